"""Fabric looks: can each fabric preset be told from every other in a campaign still, and
does a garment render in the colour it was given (and the colour profile that makes it), and
what drawing cloth as sewn costs a still.

`python benchmarks/fabrics.py [BENCHMARKS.md] [looks] [colour] [cost] [profile]` (the first
three, the default, about 16 minutes on two cores). The gallery (`gallery.py`) shows the presets,
their sewing close up and the prints.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy.ndimage import binary_erosion, gaussian_filter, sobel

from bench_format import table
from clones import replace_section
from dressed import dressed_outfit, woman
from dressform.body import Body
from dressform.body.skin_optics import srgb_lab
from dressform.drape.posed import posed_garments
from dressform.drape.worn import WornGarment
from dressform.render.hair import grow_hair
from dressform.render.looks import FABRIC_TYPE, fabric_look, parse_color
from dressform.render.mask import classed, read_mask
from dressform.render.photoreal import SceneMesh, render_still
from dressform.render.studio import Studio
from dressform.render.video import flatten
from dressform.shoot.scene import cloth_of, dressed_scene
from realism import de2000

LOOKS = "### fabric looks: telling the presets apart"
COLOUR = "### fabric looks: colour accuracy"
PROFILE = "### fabric looks: colour profile"
TOP = ("tshirt", "cotton_jersey", (0.9, 0.88, 0.84))
SKIRT = ("aline_skirt", "cotton_poplin", (0.62, 0.16, 0.2))
GREY = "mid-grey"
#: A colour per fabric for the gallery (denim in its own default wash).
SHOWN_IN = {"cotton_jersey": "terracotta", "cotton_poplin": "sky", "denim": None,
            "wool_suiting": "charcoal", "silk_charmeuse": "emerald",
            "polyester_chiffon": "blush", "stretch_knit": "navy"}
#: Presets rendered twice (another sampling seed): the descriptor's noise floor.
REPEATED = ("cotton_jersey", "silk_charmeuse")
#: Colours the accuracy table checks: names, hex and a measured CIELAB.
TEST_COLORS = ("white", "mid-grey", "black", "navy", "red", "camel", "emerald", "#c8a2c8",
               "lab(45, 30, 25)")


def outfit() -> tuple[Body, list[WornGarment], list[SceneMesh], Body]:
    rest, worn = dressed_outfit(woman(6), TOP, SKIRT)
    posed = posed_garments(rest, worn, "relaxed")
    scene, body = dressed_scene(rest, worn, "relaxed", posed=posed)
    return rest, worn, classed(scene, rest), body


def in_fabric(scene: list[SceneMesh], fabric: str, color: str | None) -> list[SceneMesh]:
    """The scene with its skirt ("bottom") in `fabric` and `color` (its sewing as it is)."""
    return [replace(m, look=fabric_look(fabric, color, name=m.name)) if m.name == "bottom"
            else m for m in scene]


def descriptor(png: Path, region_class: str) -> np.ndarray:
    """What a fabric looks like in a picture, over the pixels of `region_class` (4 pixels in
    from its outline): the lightness's level and spread (median, 5th–95th percentiles),
    its detail at 1, 2–4 and 4–8 pixels (mean absolute band-pass of L*), how much of that
    detail runs one way (gradient coherence), the share in highlight (L* 12 over the
    median) and the mean chroma (a* and b*: what shows through a sheer cloth)."""
    mask = read_mask(png)
    region = binary_erosion(mask.of(region_class), iterations=4)
    lab = srgb_lab(np.asarray(flatten(png).convert("RGB"), dtype=np.float64) / 255.0)
    light = lab[..., 0]
    blurred = [light, *(gaussian_filter(light, s) for s in (1.0, 2.0, 4.0))]
    bands = [float(np.abs(a - b)[region].mean()) for a, b in pairwise(blurred)]
    gx, gy = sobel(blurred[1], axis=1), sobel(blurred[1], axis=0)
    jxx, jyy, jxy = (gaussian_filter(a, 3.0) for a in (gx * gx, gy * gy, gx * gy))
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy ** 2) / (jxx + jyy + 1e-9)
    values = light[region]
    median = float(np.median(values))
    lo, hi = np.percentile(values, [5, 95])
    return np.array([median, hi - lo, *bands, float(coherence[region].mean()),
                     float((values > median + 12.0).mean()) * 100.0,
                     float(lab[..., 1][region].mean()), float(lab[..., 2][region].mean())])


def looks_lines() -> list[str]:
    _, worn, scene, body = outfit()
    hair = grow_hair(body, "long", "dark-brown", over=cloth_of(scene, worn))
    fabrics = list(FABRIC_TYPE)
    features: dict[str, np.ndarray] = {}
    repeats: dict[str, np.ndarray] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fabric in fabrics:
            png = Path(tmp) / f"{fabric}.png"
            started = time.perf_counter()
            render_still(in_fabric(scene, fabric, GREY), Studio(camera="three-quarter"), png,
                         hair=hair, passes=True)
            seconds[fabric] = time.perf_counter() - started
            features[fabric] = descriptor(png, "garment:bottom")
            print(fabric, f"{seconds[fabric]:.1f} s", flush=True)
        for fabric in REPEATED:
            png = Path(tmp) / f"{fabric}-again.png"
            render_still(in_fabric(scene, fabric, GREY), Studio(camera="three-quarter",
                                                                seed=1), png, hair=hair,
                         passes=True)
            repeats[fabric] = descriptor(png, "garment:bottom")
    # Each feature in units of its spread over the presets, so none dominates by its unit.
    stack = np.array([features[f] for f in fabrics])
    scale = stack.std(axis=0) + 1e-9

    def distance(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.linalg.norm((a - b) / scale))

    floor = max(distance(features[f], repeats[f]) for f in REPEATED)
    pairs = {(a, b): distance(features[a], features[b]) for i, a in enumerate(fabrics)
             for b in fabrics[i + 1:]}
    threshold = 3.0 * floor
    closest = min(pairs, key=pairs.__getitem__)
    rows = [(a, *(f"{distance(features[a], features[b]):.1f}" if a != b else "—"
                  for b in fabrics)) for a in fabrics]
    return [LOOKS,
            "The woman 168/62 in the gallery's outfit (a cotton-jersey T-shirt tucked into an "
            "A-line skirt), relaxed pose, three-quarter camera, editorial light, Cycles at "
            "campaign quality (1024×1536); the skirt in each fabric preset, all in one "
            f"mid-grey ({GREY}), so that only the cloth differs. Descriptor over the skirt's "
            "pixels by the class mask (4 pixels in from its outline): L* median and 5–95 % "
            "spread, mean band-pass of L* at 1, 2–4 and 4–8 pixels, gradient coherence, "
            "share of highlight pixels, mean a* and b*; each feature divided by its spread "
            "over the seven presets. Noise floor: the same preset rendered with another "
            f"sampling seed ({', '.join(REPEATED)}); two presets count as told apart when "
            "their distance is over three times that floor.", "",
            *table(("", *fabrics), rows), "",
            *table(("noise floor", "threshold (3×)", "closest pair", "its distance",
                    "pairs told apart"),
                   [(f"{floor:.2f}", f"{threshold:.2f}", " / ".join(closest),
                     f"{pairs[closest]:.2f}",
                     f"{sum(d > threshold for d in pairs.values())} of {len(pairs)}")]), "",
            "Seconds a campaign still takes with each fabric on the skirt (all of it on: "
            "structure, sewing, thickness; the mask pass included):", "",
            *table(("fabric", "still (s)"), [(f, f"{seconds[f]:.1f}") for f in fabrics])]


COST = "### fabric looks: what the cloth costs a still"


def cost_lines() -> list[str]:
    """A campaign still of the outfit with its cloth as drawn (structure, sewing,
    thickness, in the garments' own fabrics) against the same still with plain surfaces
    (each look's colour and BSDF alone), alternated, two of each."""
    _, worn, scene, body = outfit()
    hair = grow_hair(body, "long", "dark-brown", over=cloth_of(scene, worn))
    plain = [replace(m, sewing=None, look=m.look.model_copy(update={
        "structure": "none", "finish": None, "thickness_m": 0.0, "sheer": 0.0, "fade": 0.0}))
        if m.name in ("top", "bottom") else m for m in scene]
    seconds: dict[str, list[float]] = {"plain surfaces": [], "cloth as sewn": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(2):
            for name, meshes in (("plain surfaces", plain), ("cloth as sewn", scene)):
                started = time.perf_counter()
                render_still(meshes, Studio(camera="three-quarter"), Path(tmp) / "x.png",
                             hair=hair)
                seconds[name].append(time.perf_counter() - started)
    base, full = (float(np.mean(seconds[k])) for k in seconds)
    return [COST,
            "The gallery's outfit (cotton-jersey T-shirt, poplin skirt), three-quarter camera, "
            "editorial light, campaign quality (1024×1536), Cycles on the CPU; the two "
            "alternated, the mean of two each.", "",
            *table(("garments drawn as", "campaign still (s)", "ratio"),
                   [("plain surfaces", f"{base:.1f}", "1.00"),
                    ("cloth as sewn", f"{full:.1f}", f"{full / base:.2f}")])]


def swatches(fabric: str, colors: tuple[str, ...] = TEST_COLORS, managed: bool = True
             ) -> list[SceneMesh]:
    """A row of flat 16 cm swatches of `fabric`, one in each of `colors`."""
    n = 9  # a grid, so that the middle is cloth away from an edge (its folds fade denim)
    u, v = np.meshgrid(np.linspace(-0.08, 0.08, n), np.linspace(1.0, 1.16, n))
    idx = np.arange(n * n).reshape(n, n)
    a, b, c, d = (idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel(), idx[1:, 1:].ravel(),
                  idx[1:, :-1].ravel())
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    out = []
    for k, color in enumerate(colors):
        x = u.ravel() + (k - (len(colors) - 1) / 2.0) * 0.2
        points = np.stack([x, np.zeros(n * n), v.ravel()], axis=1)
        # A sheer cloth's colour is measured folded into an opaque stack, as a mill does.
        look = fabric_look(fabric, color, name=f"swatch-{k}", managed=managed
                           ).model_copy(update={"sheer": 0.0})
        out.append(SceneMesh(f"swatch-{k}", points, faces, look, uv=points[:, [0, 2]]))
    return out


def swatch_colors(meshes: list[SceneMesh], png_dir: Path, name: str) -> np.ndarray:
    """(N, 3) the median rendered sRGB (0–1) of each swatch of `meshes` (6 pixels in from
    its edge) under the colour-check light box (specular excluded)."""
    png = png_dir / f"{name}.png"
    render_still(meshes, Studio(light="colour-check", camera="front", quality="preview",
                                width=int(256 * len(meshes) / 1.5), height=256), png, passes=True)
    mask = read_mask(png)
    rgb = np.asarray(flatten(png).convert("RGB"), dtype=np.float64) / 255.0
    return np.array([np.median(rgb[binary_erosion(mask.of(f"garment:swatch-{k}"),
                                                  iterations=6)], axis=0)
                     for k in range(len(meshes))])


#: The grey ramp the colour profile is fitted to (sRGB levels).
RAMP = tuple("#" + f"{round(255 * g):02x}" * 3 for g in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9))


def profile_lines() -> list[str]:
    """Fit each fabric type's `COLOR_PROFILE` (seen = gain × albedo + lift, linear) to a
    grey ramp rendered unmanaged, and print it."""
    from dressform.body.skin import srgb_to_linear
    from dressform.render.looks import FABRIC_LOOK

    rows, profile = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in FABRIC_LOOK:
            albedo = srgb_to_linear(np.array([parse_color(c)[0] for c in RAMP]))
            seen = srgb_to_linear(swatch_colors(swatches(kind, RAMP, managed=False),
                                                Path(tmp), kind)).mean(axis=1)
            gain, lift = np.polyfit(albedo, seen, 1)
            residual = float(np.abs(gain * albedo + lift - seen).max())
            profile[kind] = (round(float(gain), 3), round(float(lift), 4))
            rows.append((kind, f"{gain:.3f}", f"{lift:.4f}", f"{residual:.4f}"))
    print("COLOR_PROFILE =", profile, flush=True)
    return [PROFILE,
            "Each fabric type's colour profile: swatches of a grey ramp (sRGB "
            f"{', '.join(RAMP)}) rendered without colour management under the colour-check light "
            "box (chiffon folded opaque), preview sampling; a straight line fitted to the "
            "median rendered linear "
            "value against the albedo (`looks.COLOR_PROFILE`).", "",
            *table(("fabric type", "gain", "lift", "largest residual (linear)"), rows)]


def colour_lines() -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fabric in FABRIC_TYPE:
            seen = srgb_lab(swatch_colors(swatches(fabric), Path(tmp), fabric))
            errors = [de2000(lab, srgb_lab(parse_color(color)))
                      for lab, color in zip(seen, TEST_COLORS, strict=True)]
            rows.append((fabric, *(f"{e:.1f}" for e in errors),
                         f"{np.mean(errors):.1f}"))
    return [COLOUR,
            "Flat swatches of each preset in each colour (named, hex and a CIELAB "
            "measurement), colour-managed by `looks.COLOR_PROFILE`, under the colour-check light "
            "box (an even white world, mirror reflections trapped, Standard view), Cycles at "
            "preview sampling; CIEDE2000 between the median CIELAB of each swatch (6 pixels "
            "in from its edge) and the colour asked for. Chiffon is measured as a mill "
            "measures a sheer cloth, folded into an opaque stack (its sheerness off).", "",
            *table(("fabric", *TEST_COLORS, "mean"), rows)]


def close_ups(scene: list[SceneMesh]) -> list[tuple[str, list[SceneMesh], np.ndarray]]:
    """The sewing close-ups of the outfit `scene`: (name, scene, the point framed) of the
    T-shirt's sleeve hem (turned, twin-needle stitched), the skirt's hem in poplin, the
    skirt in denim at its waistband (contrast topstitching) and the T-shirt's rib
    neckband."""
    top = next(m for m in scene if m.name == "top").vertices
    skirt = next(m for m in scene if m.name == "bottom").vertices
    sleeve_end = top[top[:, 0] > top[:, 0].max() - 0.03]
    waist = skirt[skirt[:, 2] > skirt[:, 2].max() - 0.02]
    neck = top[top[:, 2] > top[:, 2].max() - 0.05]
    hem = skirt[skirt[:, 2] < skirt[:, 2].min() + 0.01]
    return [("hem-jersey", scene, sleeve_end[np.argmin(sleeve_end[:, 2])]),
            ("hem-poplin", scene, hem[np.argmin(hem[:, 1])] + [0.0, 0.0, 0.04]),
            ("seam-denim", in_fabric(scene, "denim", None),
             waist[np.argmin(waist[:, 1])] - [0.0, 0.0, 0.02]),
            ("band-rib", scene, neck[np.argmin(neck[:, 1])])]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md")
    parts = sys.argv[2:] or ["looks", "colour", "cost"]
    for part, lines in (("profile", profile_lines), ("looks", looks_lines),
                        ("colour", colour_lines), ("cost", cost_lines)):
        if part in parts:
            replace_section(out, lines())
