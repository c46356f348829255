"""Realism of skin, measured on renders: per Monk Skin Tone, the colour of lit skin under the
neutral light box against the tone's skin (`dressform.body.skin_optics.tone_lab`), the share
of skin pixels clipped under e-commerce high-key light, and how far apart neighbouring tones
render against how far apart their skins are. Before (the scale's swatch as albedo, one
subsurface radius for all) and after (each tone's skin from its melanin and blood), in one
run, on the same clone, pose and camera.

Then faces (catchlights, the whites of the eyes) in a close-up of every tone, the campaign
preset's sampling against a 256-sample reference on skin and hair, and how evenly the
cyclorama is lit, and the skin's fine texture.

`python benchmarks/realism.py [BENCHMARKS.md] [skin] [faces] [quality] [cyclorama] [pores]`
(about 55 minutes on two cores) replaces its sections of BENCHMARKS.md.
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
from dressform.render.hair import grow_hair
from dressform.render.looks import SurfaceLook, skin_look
from dressform.render.mask import classed, read_mask
from dressform.render.photoreal import render_still
from dressform.render.studio import QUALITY, Studio
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
                # Before, one colour all over; after, the skin by region as drawn.
                meshes = [replace(m, look=look(tone), vertex_color=m.vertex_color if
                                  name == "after" else None) if m.name == "body" else m
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


FACES = "### realism: faces"
#: The sampling the campaign preset might use: (samples per pixel, denoiser).
CANDIDATES = ((4, "FAST"), (8, "FAST"), (16, "FAST"), (32, "FAST"), (8, "HIGH"), (16, "HIGH"))
REFERENCE = (256, "HIGH")


def close_up(tone: int) -> tuple[list, object]:
    """The woman of `tone` in her base layer, relaxed, long hair: the close-up's scene with
    the corneas told apart in the mask (as "prop:cornea"), and her hair."""
    rest = build(woman(tone))
    scene, posed = dressed_scene(rest, [], "relaxed")
    meshes = [replace(m, mask_class="prop:cornea") if m.name == "cornea" else m
              for m in classed(scene, rest)]
    return meshes, grow_hair(posed, "long", "dark-brown")


def lab_image(png: Path) -> np.ndarray:
    """(H, W, 3) CIELAB of a render."""
    rgb = np.asarray(Image.open(png).convert("RGB"), dtype=np.float64) / 255.0
    return srgb_lab(rgb.reshape(-1, 3)).reshape(rgb.shape)


def face_lines() -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tone in TONES:
            meshes, hair = close_up(tone)
            png = Path(tmp) / f"face-{tone}.png"
            result = render_still(meshes, Studio(camera="close-up", light="editorial"), png,
                                  hair=hair, passes=True)
            mask, lab = read_mask(png), lab_image(png)
            cornea = lab[mask.of("prop:cornea"), 0]
            whites = lab[mask.of("eyes"), 0]
            skin = lab[np.isin(mask.indices, [i for i, c in enumerate(mask.classes)
                                              if c.startswith("skin:")])]
            catch, iris = np.percentile(cornea, 99.5), np.median(cornea)
            rows.append((f"MST-{tone}", f"{catch:.0f}", f"{iris:.0f}", f"{catch - iris:+.0f}",
                         f"{np.median(whites):.0f}", f"{lit_median(skin)[0]:.0f}",
                         f"{result.seconds:.0f}"))
    return [FACES,
            "The same woman in each Monk tone, close-up camera (105 mm), editorial light, "
            "campaign quality (1024×1536), long hair; regions by the class mask "
            "(corneas told apart). Catchlight: the cornea's brightest 0.5 % (L*), against "
            "the iris seen through it (its median): a catchlight reads where it stands well "
            "above the iris. White of the eye: the visible sclera's median L*, beside the "
            "lit skin's (as in the skin table): a white that outshines the face glows.", "",
            *table(("tone", "catchlight L*", "iris L*", "catchlight − iris",
                    "white of the eye L*", "lit skin L*", "seconds"), rows)]


QUALITY_TITLE = "### realism: samples and denoising"


def quality_lines() -> list[str]:
    """Each candidate sampling of a campaign still against the same still at 256 samples:
    colour error and fine detail kept, on skin and on hair."""
    meshes, hair = close_up(5)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        def shot(samples: int, denoiser: str) -> tuple[Path, float]:
            png = Path(tmp) / f"q-{samples}-{denoiser}.png"
            r = render_still(meshes, Studio(camera="close-up", light="editorial",
                                            samples=samples, denoiser=denoiser), png,
                             hair=hair, passes=True)
            return png, r.seconds

        ref_png, ref_s = shot(*REFERENCE)
        ref, mask = lab_image(ref_png), read_mask(ref_png)
        regions = {"skin": np.isin(mask.indices, [i for i, c in enumerate(mask.classes)
                                                  if c.startswith("skin:")]),
                   "hair": mask.of("hair")}
        ref_detail = {k: detail(ref[..., 0], m) for k, m in regions.items()}
        for samples, denoiser in CANDIDATES:
            png, seconds = shot(samples, denoiser)
            lab = lab_image(png)
            cells: list[object] = [f"{samples}, {denoiser.lower()}"]
            for k, m in regions.items():
                error = np.linalg.norm(lab[m] - ref[m], axis=1).mean()
                cells += [f"{error:.1f}", f"{detail(lab[..., 0], m) / ref_detail[k]:.2f}"]
            rows.append((*cells, f"{seconds:.0f}"))
    return [QUALITY_TITLE,
            "The close-up of MST-5 (as above) at 1024×1536, each sampling against the same "
            f"still at {REFERENCE[0]} samples, {REFERENCE[1].lower()} denoising "
            f"({ref_s:.0f} s). Error: mean CIELAB ΔE*ab over the region's pixels. Detail: "
            "the region's high-pass energy (L* less its 2-pixel Gaussian blur, mean "
            "absolute) against the reference's: below 1 the denoiser smeared it, above 1 "
            "noise is left. The campaign preset takes "
            f"{QUALITY['campaign'].samples}, {QUALITY['campaign'].denoise_quality.lower()}.",
            "", *table(("samples, denoiser", "skin error", "skin detail", "hair error",
                        "hair detail", "seconds"), rows)]


PORES = "### realism: skin texture"


def pores_lines() -> list[str]:
    """Fine detail of the face's skin in a close-up and a portrait, with the skin's relief
    and mottle and without them (a smooth, even skin), on a light and a deep tone."""
    from scipy.ndimage import binary_erosion

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tone in (3, 8):
            meshes, hair = close_up(tone)
            for camera in ("close-up", "portrait"):
                cells: list[object] = [f"MST-{tone}", camera]
                for pores in (0.0, skin_look(tone).pores):
                    drawn = [replace(m, look=m.look.model_copy(update={"pores": pores}))
                             if m.name == "body" else m for m in meshes]
                    png = Path(tmp) / f"{tone}-{camera}-{pores}.png"
                    render_still(drawn, Studio(camera=camera, light="editorial"), png,
                                 hair=hair, passes=True)
                    mask, lab = read_mask(png), lab_image(png)
                    # Away from its outline, where hair and the backdrop would count.
                    face = binary_erosion(mask.of("skin:head"), iterations=4)
                    cells.append(f"{detail(lab[..., 0], face):.2f}")
                rows.append(cells)
    return [PORES,
            "The close-up of each tone (as in the faces table) and the portrait camera, "
            "campaign quality (1024×1536), editorial light. Skin detail: the mean absolute "
            "high-pass of L* (less its 2-pixel blur) over the head's skin by the class "
            "mask (4 pixels in from its outline), with the skin's relief (pores, grain, "
            "undulation) and mottle off and on (`SurfaceLook.pores`); the rest of the face "
            "(brows, lips, lids) is in both.", "",
            *table(("tone", "camera", "skin detail, smooth", "skin detail, with pores"),
                   rows)]


CYCLORAMA = "### realism: cyclorama"
#: The wall: backdrop pixels in the picture's top half (the floor keeps the subject's shadow).
WALL_ROWS = 0.5


def cyclorama_lines() -> list[str]:
    """The white cove behind a full-length shot in each studio rig that washes it, with the
    wash and without (the key lights alone): how bright and how even its wall reads, and
    whether the brighter cove pushes any skin into clipping."""
    from dressform.render import studio as studios

    rest = build(woman(3))
    scene, posed = dressed_scene(rest, [], "relaxed")
    meshes, hair = classed(scene, rest), grow_hair(posed, "long", "dark-brown")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for light in [n for n, r in studios.LIGHTS.items() if r.backdrop_w > 0]:
            rig = studios.LIGHTS[light]
            cells: list[object] = [light, f"{rig.backdrop_w:.0f}"]
            for wash in (0.0, rig.backdrop_w):
                studios.LIGHTS[light] = replace(rig, backdrop_w=wash)
                png = Path(tmp) / f"{light}-{wash}.png"
                try:
                    render_still(meshes, Studio(quality="preview", light=light), png,
                                 hair=hair, passes=True)
                finally:
                    studios.LIGHTS[light] = rig
                mask, lab = read_mask(png), lab_image(png)
                wall = mask.indices == 0
                wall[int(WALL_ROWS * wall.shape[0]):] = False
                lo, mid, hi = np.percentile(lab[wall, 0], [5, 50, 95])
                rgb, _ = skin_pixels(png)
                clipped = float((rgb.max(axis=1) >= CLIPPED).mean())
                cells += [f"{mid:.0f}", f"{hi - lo:.1f}", f"{100 * clipped:.1f} %"]
            rows.append(cells)
    return [CYCLORAMA,
            "The woman 168/62 (MST-3) in her base layer, relaxed, long hair, front camera, "
            "white backdrop, preview quality (512×768); regions by the class mask. Wall: "
            "backdrop pixels in the picture's top half; its median L* and the spread of its "
            "L* (5th to 95th percentile: how unevenly it is lit). Clipped: skin pixels with "
            "a channel ≥ 0.97. Without the wash: the rig's key lights alone.", "",
            *table(("light", "wash (W)", "wall L* without", "wall spread without",
                    "clipped skin without", "wall L* with wash", "wall spread with wash",
                    "clipped skin with wash"), rows)]


def detail(lightness: np.ndarray, region: np.ndarray) -> float:
    """Mean absolute high-pass of `lightness` (L*, less its 2-pixel Gaussian blur) over
    `region`."""
    from scipy.ndimage import gaussian_filter

    return float(np.abs(lightness - gaussian_filter(lightness, 2.0))[region].mean())


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md")
    parts = sys.argv[2:] or ["skin", "faces", "quality", "cyclorama", "pores"]
    for part, lines in (("skin", realism_lines), ("faces", face_lines),
                        ("quality", quality_lines), ("cyclorama", cyclorama_lines),
                        ("pores", pores_lines)):
        if part in parts:
            replace_section(out, lines())
