"""Photoreal stills: time per quality preset, and the quality each loses against a 128-sample
reference (PSNR and SSIM on luminance), on one campaign scene: a woman with long hair in a
denim skirt re-draped into the relaxed pose, three-quarter camera, editorial light, white
cyclorama, 1024×1536. Also the Blender worker's fixed cost and the preview rasteriser on the
same meshes.

`python benchmarks/render.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

from bench_format import table
from clones import replace_section
from dressed import dressed_outfit, woman
from dressform.render.coverage import check_coverage
from dressform.render.hair import grow_hair
from dressform.render.mask import classed, read_mask
from dressform.render.photoreal import render_still
from dressform.render.preview import Camera, PreviewMesh, render_meshes
from dressform.render.studio import QUALITY, Studio
from dressform.render.video import flatten
from dressform.shoot.scene import cloth_of, dressed_scene

TITLE = "### photoreal stills"
PRESETS = ("preview", "campaign")
PICTURES = Path("docs/render")


def campaign_scene():
    """The headline still: a white T-shirt tucked into a denim skirt, in trainers."""
    body, outfit = dressed_outfit(woman(5), ("tshirt", "cotton_jersey", (0.93, 0.93, 0.91)),
                                  ("skirt", "denim", (0.13, 0.2, 0.38)))
    meshes, posed = dressed_scene(body, outfit, "relaxed")
    hair = grow_hair(posed, "long", "dark-brown", over=cloth_of(meshes, outfit))
    return classed(meshes, body), hair  # the body told apart by region, for its mask


def luma(path: Path) -> np.ndarray:
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    return rgb @ np.array([0.2126, 0.7152, 0.0722])


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10.0 * np.log10(1.0 / np.mean((a - b) ** 2)))


def ssim(a: np.ndarray, b: np.ndarray, sigma: float = 1.5) -> float:
    """Mean structural similarity (Wang et al. 2004, Gaussian window σ = 1.5 px)."""
    c1, c2 = 0.01**2, 0.03**2
    mu_a, mu_b = gaussian_filter(a, sigma), gaussian_filter(b, sigma)
    var_a = gaussian_filter(a * a, sigma) - mu_a**2
    var_b = gaussian_filter(b * b, sigma) - mu_b**2
    cov = gaussian_filter(a * b, sigma) - mu_a * mu_b
    s = (((2 * mu_a * mu_b + c1) * (2 * cov + c2))
         / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2)))
    return float(s.mean())


def render_lines(presets: tuple[str, ...] = PRESETS, reference: bool = True) -> list[str]:
    meshes, hair = campaign_scene()
    studio = {"light": "editorial", "camera": "three-quarter", "backdrop": "white"}
    out = Path(__file__).resolve().parents[1] / PICTURES
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tiny = [render_still(meshes, Studio(quality="draft", width=16, height=24, **studio),
                             Path(tmp) / "tiny.png", hair=hair).seconds for _ in range(2)]
    rows, images = [], {}
    keep = Path(tempfile.mkdtemp(prefix="dressform-bench-"))
    for preset in (*presets, *(("reference",) if reference else ())):
        path = keep / f"{preset}.png"
        result = render_still(meshes, Studio(quality=preset, **studio), path, hair=hair)
        images[preset] = path
        rows.append((preset, result))
        # The repository keeps JPEGs to look at; the measures read the PNGs.
        flatten(path).save(out / f"{preset}.jpg", quality=92)
        print(preset, f"{result.seconds:.1f} s", flush=True)
    lines = [TITLE,
             f"One campaign scene (woman 168/62, MST-5, long hair of "
             f"{len(hair.strands)} strands, a white T-shirt tucked into a denim skirt, "
             "re-draped into the relaxed pose, over a nude base layer, in white trainers, "
             "three-quarter camera, editorial light, white cyclorama), Blender Cycles on the "
             "CPU in a worker process; time is the whole call (starting the worker, building "
             "the scene, rendering, denoising, writing the PNG); quality loss against the "
             "128-sample reference (round hair, random-walk subsurface, 8 bounces, denoised "
             "at OIDN's high quality), on luminance. Pictures: "
             f"`{PICTURES}/<preset>.jpg`.",
             "",
             "| preset | size | samples (most) | noise threshold | denoised | seconds | "
             "PSNR (dB) | SSIM |", "|---|---|---|---|---|---|---|---|"]
    ref = luma(images["reference"]) if reference else None
    for preset, result in rows:
        q = QUALITY[preset]
        same = ref is not None and preset != "reference" and q.width == ref.shape[1]
        quality = (f"| {psnr(luma(images[preset]), ref):.1f} | "
                   f"{ssim(luma(images[preset]), ref):.3f} |" if same else "| — | — |")
        lines.append(f"| {preset} | {q.width}×{q.height} | {q.samples} | {q.noise_threshold} | "
                     f"{'yes' if q.denoise else 'no'} | {result.seconds:.1f} {quality}")
    with tempfile.TemporaryDirectory() as tmp:
        masked = render_still(meshes, Studio(quality=presets[-1], **studio),
                              Path(tmp) / "masked.png", hair=hair, passes=True)
        assert masked.mask is not None
        check = check_coverage(read_mask(masked.mask))
    scene = [PreviewMesh(m.vertices, m.faces, m.look.color) for m in meshes]
    render_meshes(scene, width=1024, height=1536)  # GL context, once per process
    times = []
    for _ in range(5):
        t = time.perf_counter()
        render_meshes(scene, width=1024, height=1536, camera=Camera.for_view("three-quarter"))
        times.append(time.perf_counter() - t)
    lines += ["", *table(("what", "time"), [
        ("the worker's fixed cost (process start, `import bpy`, scene built, a 16×24 render)",
         f"{statistics.median(tiny):.1f} s"),
        ("preview rasteriser (moderngl, headless EGL), same meshes without hair, 1024×1536",
         f"{statistics.median(times) * 1000:.0f} ms (median of 5)"),
        (f"the {presets[-1]} still with its class mask (`--passes`): whole call; the mask "
         "pass alone", f"{masked.seconds:.1f} s; {masked.mask_seconds:.1f} s"),
        ("coverage check of that mask", str(check))])]
    return lines


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md")
    only = tuple(sys.argv[2].split(",")) if len(sys.argv) > 2 else PRESETS
    replace_section(out, render_lines(only, reference="noref" not in sys.argv))
