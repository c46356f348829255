"""Watermark survival: the share of marked images whose 8-byte payload is read back exactly
after each edit a published image goes through (JPEG q70, a 50 % resize, a 10 %-per-side
crop, a filled patch of 2 % of the picture, a caption band, a logo, and combinations), per image
size; the false-positive rate (a CRC-valid payload found) on unmarked images after the same
edits; the PSNR of the mark; embed and read times.

Images: the 49 gallery renders (256×384, upscaled) and the 512×768 preview render, plus
synthetic pictures (coloured 1/f noise, like a photograph's spectrum, with flat shapes on it).

`python benchmarks/watermark.py [N]` runs only this (N images per size, 24 by default) and
replaces its section of BENCHMARKS.md; `make bench` runs it with everything else.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from bench_format import table
from clones import replace_section
from dressform.provenance.edits import EDITS, Edit
from dressform.provenance.watermark import decode, embed

TITLE = "### watermark survival"
DOCS = Path(__file__).resolve().parents[1] / "docs"
SIZES = [(512, 768), (1024, 1536), (2048, 3072)]


ATTACKS: dict[str, Edit] = {"none": lambda im: im, **EDITS}
#: what unmarked pictures go through before a reader looks for a payload in them
FP_ATTACKS = ["none", "JPEG q70", "crop 10 % a side", "50 % resize → JPEG q70"]


def synthetic(seed: int, size: tuple[int, int]) -> Image.Image:
    """Coloured 1/f noise (a natural picture's spectrum) with a few flat shapes on it."""
    rng = np.random.default_rng(seed)
    w, h = size
    fy, fx = np.fft.fftfreq(h)[:, None], np.fft.rfftfreq(w)[None, :]
    amp = 1.0 / np.maximum(np.hypot(fx, fy), 1.0 / max(w, h))
    planes = []
    for _ in range(3):
        spec = amp * np.exp(2j * np.pi * rng.random(amp.shape))
        p = np.fft.irfft2(spec, s=(h, w))
        planes.append((p - p.mean()) / p.std())
    mix = rng.normal(0, 1, (3, 3)) * 0.3 + np.eye(3)
    rgb = np.einsum("ij,jhw->hwi", mix, np.array(planes)) * 35 + rng.uniform(60, 190, 3)
    image = Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(0.05, 0.2) * w
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    return image


def pictures(n: int, size: tuple[int, int]) -> list[Image.Image]:
    """``n`` pictures of ``size``: renders first (half of them), then synthetic ones."""
    renders = [DOCS / "render" / "preview.jpg", *sorted((DOCS / "gallery").glob("*-*.jpg"))]
    renders = renders[: (n + 1) // 2]
    out = [Image.open(p).convert("RGB").resize(size, Image.Resampling.LANCZOS) for p in renders]
    return out + [synthetic(i, size) for i in range(n - len(out))]


def payload(i: int) -> bytes:
    return np.random.default_rng(1000 + i).integers(0, 256, 8, dtype=np.uint8).tobytes()


def _psnr(a: Image.Image, b: Image.Image) -> float:
    x, y = (np.asarray(im, dtype=np.float64) for im in (a, b))
    return float(10 * np.log10(255.0 ** 2 / np.mean((x - y) ** 2)))


def watermark_lines(n: int = 24) -> list[str]:
    survived = {a: {} for a in ATTACKS}
    false_pos = {s: 0 for s in SIZES}
    psnrs: dict[tuple[int, int], list[float]] = {s: [] for s in SIZES}
    t_embed: dict[tuple[int, int], list[float]] = {s: [] for s in SIZES}
    t_read: dict[tuple[int, int], list[float]] = {s: [] for s in SIZES}
    t_search: dict[tuple[int, int], list[float]] = {s: [] for s in SIZES}
    for size in SIZES:
        ok = dict.fromkeys(ATTACKS, 0)
        for i, original in enumerate(pictures(n, size)):
            t = time.perf_counter()
            marked = embed(original, payload(i))
            t_embed[size].append(time.perf_counter() - t)
            psnrs[size].append(_psnr(original, marked))
            for name, attack in ATTACKS.items():
                seen = attack(marked)
                t = time.perf_counter()
                ok[name] += decode(seen) == payload(i)
                (t_read if name == "none" else t_search)[size].append(time.perf_counter() - t)
            for name in FP_ATTACKS:
                false_pos[size] += decode(ATTACKS[name](original)) is not None
        for name in ATTACKS:
            survived[name][size] = ok[name]
    dims = [f"{w}×{h}" for w, h in SIZES]
    lines = [TITLE,
             f"{n} images per size (the first {(n + 1) // 2} renders of docs/render and "
             "docs/gallery, upscaled, and synthetic 1/f-noise pictures), each marked with its "
             "own payload, edited, then read with `decode` (the 8 bytes must come back exactly). "
             "A 10 % crop cuts 10 % of the width and height off every side (64 % of the picture "
             "is left); the patch is a filled square of 2 % of the picture over the figure; the "
             "caption a black band over the bottom tenth with white text; the logo a disc "
             "of 1/6 the width in a corner.", "",
             *table(("edit", *dims),
                    [(a, *(f"{survived[a][s]}/{n}" for s in SIZES)) for a in ATTACKS]),
             "",
             f"False positives: a payload found on unmarked images, each read as it is, "
             f"after JPEG q70, a 10 % crop, and a 50 % resize then JPEG q70 "
             f"({len(FP_ATTACKS) * n} reads per size).", "",
             *table(("", *dims), [
                 ("false positives", *(f"{false_pos[s]}/{len(FP_ATTACKS) * n}" for s in SIZES)),
                 ("PSNR of the mark, median (min)", *(
                     f"{statistics.median(psnrs[s]):.1f} dB ({min(psnrs[s]):.1f})"
                     for s in SIZES)),
                 ("embed, median", *(f"{statistics.median(t_embed[s]) * 1000:.0f} ms"
                                     for s in SIZES)),
                 ("read an unedited copy, median", *(
                     f"{statistics.median(t_read[s]) * 1000:.0f} ms" for s in SIZES)),
                 ("read an edited copy, median (max)", *(
                     f"{statistics.median(t_search[s]) * 1000:.0f} ms "
                     f"({max(t_search[s]) * 1000:.0f})" for s in SIZES)),
             ])]
    return lines


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    replace_section(Path("BENCHMARKS.md"), watermark_lines(count))
