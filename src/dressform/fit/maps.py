"""Heat maps on the garment: front and back renders with a legend in physical units.

The colour ramp runs from cool (no stretch, no pressure, far from the skin) to hot; values
past the legend's top are drawn in its top colour, and the legend says so. The body is drawn
in a neutral grey so that the garment's colours read alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from dressform.body.mesh import Body

#: sRGB control points of the ramp (0 → 1): dark blue, cyan, green, yellow, red.
_RAMP = np.array([[0.16, 0.20, 0.55], [0.10, 0.65, 0.85], [0.35, 0.75, 0.35],
                  [0.98, 0.85, 0.20], [0.85, 0.12, 0.10]])
BODY_GREY = (0.72, 0.72, 0.72)


@dataclass(frozen=True)
class HeatMap:
    """Per-vertex values to paint on a garment, and how to label them."""

    title: str  # e.g. "stretch"
    values: np.ndarray  # (V,)
    unit: str  # e.g. "%"
    top: float  # the legend's top value (in `unit`)
    scale: float = 1.0  # values × scale are in `unit`


def ramp(t: np.ndarray) -> np.ndarray:
    """(N, 3) sRGB colours for values in 0–1 (clipped)."""
    t = np.clip(np.asarray(t, dtype=np.float64), 0.0, 1.0) * (len(_RAMP) - 1)
    lo = np.minimum(t.astype(int), len(_RAMP) - 2)
    f = (t - lo)[:, None]
    return _RAMP[lo] * (1.0 - f) + _RAMP[lo + 1] * f


def heat_map_image(body: Body, vertices: np.ndarray, faces: np.ndarray, heat: HeatMap,
                   width: int = 360, height: int = 540) -> Image.Image:
    """Front and back renders of the painted garment on the body, with the legend."""
    from dressform.render.preview import Camera, PreviewMesh, render_meshes, worn_meshes

    colours = ramp(heat.values * heat.scale / heat.top)
    garment = PreviewMesh(vertices, faces, colours, name="garment")
    scene = worn_meshes(body, color=BODY_GREY, under=[garment])
    views = [render_meshes(scene, width=width, height=height, camera=Camera.for_view(v))
             for v in ("front", "back")]
    legend = _legend(heat, height)
    sheet = Image.new("RGB", (2 * width + legend.width, height + 28), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((8, 6), f"{heat.title}: front and back", fill=(20, 20, 20))
    for k, view in enumerate(views):
        sheet.paste(view, (k * width, 28))
    sheet.paste(legend, (2 * width, 28))
    return sheet


def _legend(heat: HeatMap, height: int) -> Image.Image:
    width, bar_w, top, bottom = 110, 22, 30, 30
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    span = height - top - bottom
    colours = (ramp(np.linspace(1.0, 0.0, span)) * 255).astype(np.uint8)
    for y, c in enumerate(colours):
        draw.line([(10, top + y), (10 + bar_w, top + y)], fill=tuple(int(v) for v in c))
    for k in range(5):
        value = heat.top * (1.0 - k / 4)
        y = top + round(k / 4 * (span - 1))
        label = f"{value:.3g} {heat.unit}" + (" +" if k == 0 else "")
        draw.line([(10 + bar_w, y), (14 + bar_w, y)], fill=(20, 20, 20))
        draw.text((18 + bar_w, y - 6), label, fill=(20, 20, 20))
    draw.text((10, 8), heat.unit, fill=(20, 20, 20))
    return img
