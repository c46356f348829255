"""Realism of skin, measured on renders: per Monk Skin Tone, the colour of lit skin under the
neutral light box against the tone's skin (`dressform.body.skin_optics.tone_lab`), the share
of skin pixels clipped under e-commerce high-key light, and how far apart neighbouring tones
render against how far apart their skins are. Before (the scale's swatch as albedo, one
subsurface radius for all) and after (each tone's skin from its melanin and blood), in one
run, on the same clone, pose and camera.

`python benchmarks/realism.py` (about 6 minutes on two cores) replaces its section of
BENCHMARKS.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from bench_format import table
from clones import replace_section
from dressed import woman
from dressform.body import build
from dressform.body.skin import skin_tone_rgb
from dressform.body.skin_optics import srgb_lab, tone_lab
from dressform.render.looks import SurfaceLook, skin_look
from dressform.render.mask import classed, read_mask
from dressform.render.photoreal import render_still
from dressform.render.studio import Studio
from dressform.shoot.scene import dressed_scene

TITLE = "### realism: skin"
TONES = range(1, 11)
#: A channel at or above this (of 1) has lost its detail to the highlight.
CLIPPED = 0.97


def swatch_look(tone: int) -> SurfaceLook:
    """The skin as it was: the swatch's display colour as albedo, one radius for all."""
    return SurfaceLook(name=f"skin MST-{tone}", color=skin_tone_rgb(tone), roughness=0.5,
                       subsurface=0.4, subsurface_radius_m=(0.0040, 0.0016, 0.0009),
                       specular=0.45)


def de2000(a: np.ndarray, b: np.ndarray) -> float:
    import colour

    return float(colour.delta_E(a, b, method="CIE 2000"))


def skin_pixels(png: Path) -> tuple[np.ndarray, np.ndarray]:
    """(N, 3) sRGB (0–1) and (N, 3) CIELAB of the skin in a render, by its class mask."""
    mask = read_mask(png)
    skin = np.isin(mask.indices, [i for i, c in enumerate(mask.classes)
                                  if c.startswith("skin:")])
    rgb = np.asarray(Image.open(png).convert("RGB"), dtype=np.float64)[skin] / 255.0
    return rgb, srgb_lab(rgb)


def lit_median(lab: np.ndarray) -> np.ndarray:
    """The median colour of lit skin: L* between the skin's median and its 90th percentile
    (skin open to the light, not in a fold, and not the sheen at its silhouette)."""
    lo, hi = np.percentile(lab[:, 0], [50, 90])
    return np.median(lab[(lab[:, 0] >= lo) & (lab[:, 0] <= hi)], axis=0)


def realism_lines() -> list[str]:
    looks: dict[str, Callable[[int], SurfaceLook]] = {"before": swatch_look,
                                                      "after": skin_look}
    rows, seps, medians = [], [], {k: [] for k in looks}
    with tempfile.TemporaryDirectory() as tmp:
        for tone in TONES:
            rest = build(woman(tone))
            scene, _ = dressed_scene(rest, [], "relaxed")
            cells: list[object] = [f"MST-{tone}"]
            for name, look in looks.items():
                meshes = [replace(m, look=look(tone)) if m.name == "body" else m
                          for m in classed(scene, rest)]
                measured = {}
                for light in ("neutral", "high-key"):
                    png = Path(tmp) / f"{name}-{tone}-{light}.png"
                    render_still(meshes, Studio(quality="preview", camera="portrait",
                                                light=light), png, passes=True)
                    measured[light] = skin_pixels(png)
                lab = lit_median(measured["neutral"][1])
                medians[name].append(lab)
                rgb = measured["high-key"][0]
                clipped = float((rgb.max(axis=1) >= CLIPPED).mean())
                cells += [f"{de2000(lab, tone_lab(tone)):.1f}", f"{100 * clipped:.0f} %"]
                if name == "after":
                    cells += [f"{lab[0]:.0f} / {np.hypot(lab[1], lab[2]):.0f} / "
                              f"{np.degrees(np.arctan2(lab[2], lab[1])):.0f}°"]
            ref = tone_lab(tone)
            cells.append(f"{ref[0]:.0f} / {np.hypot(ref[1], ref[2]):.0f} / "
                         f"{np.degrees(np.arctan2(ref[2], ref[1])):.0f}°")
            rows.append(cells)
    for k in range(len(TONES) - 1):
        reference = de2000(tone_lab(k + 1), tone_lab(k + 2))
        seps.append((f"MST-{k + 1} → {k + 2}", f"{reference:.1f}",
                     *(f"{de2000(medians[n][k], medians[n][k + 1]):.1f}" for n in looks)))
    before_clip = [float(r[2].rstrip(" %")) for r in rows]
    after_clip = [float(r[4].rstrip(" %")) for r in rows]
    return [TITLE,
            "The woman 168/62 in her base layer, relaxed pose, portrait camera, Cycles at "
            "preview quality (512×768); skin pixels by the class mask. Lit skin: the median "
            "CIELAB of the skin between the skin's median L* and its 90th percentile, under "
            "the neutral light box (an even white world, no lamps, Standard view: lit skin "
            "shows its albedo). Its "
            "reference: the tone's skin from its melanin and blood (`body.skin_optics`, "
            "derived from the NIST set of 100 measured people). Clipped: skin pixels with a "
            "channel ≥ 0.97 under high-key light. Before: the scale's swatch as albedo.", "",
            *table(("tone", "ΔE2000 before", "clipped before", "ΔE2000 after",
                    "clipped after", "rendered L* / C* / h (after)",
                    "reference L* / C* / h"), rows), "",
            f"Clipped skin, most of any tone: {max(before_clip):.0f} % before, "
            f"{max(after_clip):.0f} % after.", "",
            "Neighbouring tones: CIEDE2000 between their references, and between their "
            "rendered lit skin.", "",
            *table(("tones", "reference", "rendered before", "rendered after"), seps)]


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    realism_lines())
