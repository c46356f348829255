"""Drawings of patterns — print-ready SVG at 1:1 in millimetres and PNG previews — from one
list of primitives, so the two always show the same thing."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dressform.garment.curves import point_at_length
from dressform.garment.pattern import Panel, Pattern
from dressform.garment.quantities import cut_outline

GAP_MM = 40.0
STYLES = {  # stroke width (mm), dash (mm or None)
    "cut": (0.5, None),
    "sew": (0.25, (4.0, 2.0)),
    "grain": (0.35, None),
    "dart": (0.25, None),
    "fold": (0.25, (8.0, 2.0, 1.0, 2.0)),
    "line": (0.25, (2.0, 2.0)),
    "notch": (0.5, None),
    "frame": (0.3, None),
}


@dataclass(frozen=True)
class Stroke:
    points: np.ndarray  # (n, 2) mm, pattern frame (+y up)
    style: str
    closed: bool = False
    colour: str = "#000000"


@dataclass(frozen=True)
class Label:
    at: tuple[float, float]
    text: str
    size_mm: float = 8.0
    colour: str = "#000000"


Item = Stroke | Label


def panel_items(panel: Panel, offset: np.ndarray, colour: str = "#000000",
                size: str = "", details: bool = True) -> list[Item]:
    """Cut line, sewing line, grain line with arrow heads, notches, darts and a label."""
    items: list[Item] = []
    cut = np.asarray(cut_outline(panel).exterior.coords)[:-1]
    items.append(Stroke(cut + offset, "cut", True, colour))
    items.append(Stroke(panel.outline + offset, "sew", True, colour))
    if not details:
        return items
    for line in panel.internal:
        items.append(Stroke(line.polyline(0.2) + offset, line.kind, line.kind == "dart", colour))
    for notch in panel.notches:
        edge = panel.edge(notch.edge)
        p, t = point_at_length(edge.polyline(0.2), notch.at_mm)
        outward = np.array([t[1], -t[0]])  # right of a counter-clockwise outline
        items.append(Stroke(np.stack([p, p + outward * max(edge.seam_allowance_mm, 5.0)])
                            + offset, "notch", False, colour))
    if panel.grain is not None:
        a, b = np.array(panel.grain[0]), np.array(panel.grain[1])
        d = (b - a) / max(np.linalg.norm(b - a), 1e-9)
        n = np.array([-d[1], d[0]])
        items.append(Stroke(np.stack([a, b]) + offset, "grain", False, colour))
        for tip, sign in ((b, -1.0), (a, 1.0)):
            head = np.stack([tip + sign * 12 * d + 5 * n, tip, tip + sign * 12 * d - 5 * n])
            items.append(Stroke(head + offset, "grain", False, colour))
    x0, y0, x1, y1 = panel.bounds()
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2]) + offset
    text = panel.name + (f" · {size}" if size else "")
    height = max(6.0, min(14.0, (x1 - x0) / max(len(text), 1) * 1.4))
    items.append(Label((float(centre[0]), float(centre[1]) + height), text, height, colour))
    items.append(Label((float(centre[0]), float(centre[1]) - 0.6 * height), "cut 1", 0.7 * height,
                       colour))
    return items


def layout(panels: Sequence[Panel]) -> list[np.ndarray]:
    """Offsets placing the panels' cut pieces side by side, bottoms aligned, gaps between."""
    offsets = []
    x = 0.0
    for p in panels:
        minx, miny, maxx, _ = cut_outline(p).bounds
        offsets.append(np.array([x - minx, -miny]))
        x += maxx - minx + GAP_MM
    return offsets


def pattern_items(pattern: Pattern) -> list[Item]:
    items: list[Item] = []
    for panel, off in zip(pattern.panels, layout(pattern.panels), strict=True):
        items += panel_items(panel, off, size=pattern.size)
    items += scale_square(bounds(items))
    return items


def scale_square(b: tuple[float, float, float, float]) -> list[Item]:
    """A 100 mm check square under the drawing: measure it on the print."""
    x0, y0 = b[0], b[1] - 140.0
    sq = np.array([[x0, y0], [x0 + 100, y0], [x0 + 100, y0 + 100], [x0, y0 + 100]])
    return [Stroke(sq, "frame", True), Label((x0 + 50, y0 + 45), "100 mm", 10.0)]


def bounds(items: Iterable[Item]) -> tuple[float, float, float, float]:
    pts = np.vstack([i.points if isinstance(i, Stroke) else np.array([i.at]) for i in items])
    return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()),
            float(pts[:, 1].max()))


def to_svg(items: Sequence[Item], margin: float = 20.0) -> str:
    """SVG at 1:1: width and height in mm, one user unit = 1 mm (+y flipped to point down)."""
    x0, y0, x1, y1 = bounds(items)
    w, h = x1 - x0 + 2 * margin, y1 - y0 + 2 * margin

    def xy(p: np.ndarray) -> str:
        return " ".join(f"{px - x0 + margin:.2f},{y1 - py + margin:.2f}" for px, py in p)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.1f}mm" height="{h:.1f}mm" '
           f'viewBox="0 0 {w:.2f} {h:.2f}">',
           '<rect width="100%" height="100%" fill="white"/>']
    for it in items:
        if isinstance(it, Stroke):
            width, dash = STYLES[it.style]
            tag = "polygon" if it.closed else "polyline"
            dash_attr = f' stroke-dasharray="{" ".join(map(str, dash))}"' if dash else ""
            out.append(f'<{tag} class="{it.style}" points="{xy(it.points)}" fill="none" '
                       f'stroke="{it.colour}" stroke-width="{width}"{dash_attr}/>')
        else:
            x, y = it.at
            out.append(f'<text x="{x - x0 + margin:.2f}" y="{y1 - y + margin:.2f}" '
                       f'font-family="sans-serif" font-size="{it.size_mm:.1f}" '
                       f'text-anchor="middle" fill="{it.colour}">{escape(it.text)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def to_png(items: Sequence[Item], max_px: int = 2000, margin: float = 20.0) -> Image.Image:
    """A preview raster of the same drawing (at most `max_px` on its longer side)."""
    x0, y0, x1, y1 = bounds(items)
    scale = max_px / max(x1 - x0 + 2 * margin, y1 - y0 + 2 * margin)
    size = (math.ceil((x1 - x0 + 2 * margin) * scale), math.ceil((y1 - y0 + 2 * margin) * scale))
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)

    def px(p: np.ndarray) -> list[tuple[float, float]]:
        return [((a - x0 + margin) * scale, (y1 - b + margin) * scale) for a, b in p]

    for it in items:
        if isinstance(it, Stroke):
            pts = px(it.points)
            if it.closed:
                pts.append(pts[0])
            width = max(1, round(STYLES[it.style][0] * scale * 2))
            draw.line(pts, fill=it.colour, width=width)
        else:
            font = _font(max(8, round(it.size_mm * scale)))
            (x, y), = px(np.array([it.at]))
            draw.text((x, y), it.text, fill=it.colour, font=font, anchor="ms")
    return img


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def write(items: Sequence[Item], path: Path) -> Path:
    """Write the drawing as .svg or .png (by the path's suffix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".svg":
        path.write_text(to_svg(items), encoding="utf-8")
    else:
        to_png(items).save(path)
    return path
