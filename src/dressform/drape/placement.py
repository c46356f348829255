"""Placing cut cloth around a body before it is sewn and simulated.

Torso panels are drafted in the body frame (y = height above the floor), so each pattern row
y wraps, at that height, round a loop that encloses the body's cross-section with a margin:
the panels follow one another round the loop in the order they are sewn (front, then back,
counter-clockwise seen from above) at their own widths, so seam partners land on the same
spot. The loop is widened, never shrunk, to the garment's girth there: cloth starts at rest
length, outside the body.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import LinearRing, MultiPoint, Point

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh
from dressform.drape.distance import BodyDistance
from dressform.errors import PatternError
from dressform.garment.pattern import Pattern

MARGIN_M = 0.015  # cloth starts this far outside the body
ROW_M = 0.005  # loops are computed every 5 mm of height

_ORDER = {"front": 0, "left": 1, "back": 2, "right": 3}


def place(cloth: ClothMesh, pattern: Pattern, body: Body) -> np.ndarray:
    """(V, 3) starting positions of the fused cloth vertices (metres), outside the body."""
    torso = [k for k, name in enumerate(cloth.panel_names)
             if (pl := pattern.panel(name).placement) is not None and pl.region == "torso"]
    other = sorted(set(range(len(cloth.panel_names))) - set(torso))
    if other:
        names = ", ".join(cloth.panel_names[k] for k in other)
        raise PatternError([f"cannot place panel(s) {names} yet: only torso panels drafted in "
                            "the body frame are placed"])
    order = sorted(torso, key=lambda k: _ORDER[pattern.panel(cloth.panel_names[k]).placement.side])
    panels = [pattern.panel(cloth.panel_names[k]) for k in order]
    sections = _Sections(body)
    uv = cloth.uv
    out = np.zeros((len(uv), 3))
    rows = np.round(uv[:, 1] / ROW_M).astype(int)
    for row in np.unique(rows):
        y_mm = row * ROW_M * 1000.0
        spans = [_x_span(p, y_mm) for p in panels]
        widths = [hi - lo for lo, hi in spans]
        total = sum(widths) / 1000.0
        loop = sections.loop(row * ROW_M, total)
        length = loop.length
        coords = np.asarray(loop.coords)
        s_front = loop.project(Point(coords[np.argmin(coords[:, 1])]))
        scale = length / max(total, 1e-9)
        # The first panel (the front) is centred on the front of the body.
        lo0, _ = spans[0]
        at = s_front - (0.0 - lo0) / 1000.0 * scale
        for k, panel_index in enumerate(order):
            sel = np.flatnonzero((rows == row) & (cloth.panel == panel_index))
            if len(sel):
                s = at + (uv[sel, 0] * 1000.0 - spans[k][0]) / 1000.0 * scale
                pts = shapely.line_interpolate_point(loop, np.mod(s, length))
                out[sel, 0] = shapely.get_x(pts)
                out[sel, 1] = shapely.get_y(pts)
            at += widths[k] / 1000.0 * scale
        out[rows == row, 2] = uv[rows == row, 1]
    # Seam partners round the body were placed on the same spot; over the shoulders the
    # front's and back's top edges meet half-way, which may fall inside: lift those out.
    pos = np.zeros((cloth.vertex_count, 3))
    count = np.zeros(cloth.vertex_count)
    np.add.at(pos, cloth.weld, out)
    np.add.at(count, cloth.weld, 1.0)
    pos /= count[:, None]
    return BodyDistance(body.vertices, body.faces).push_out(pos, MARGIN_M)


def _x_span(panel, y_mm: float) -> tuple[float, float]:
    """The panel's extent across at height y (mm): its outline's outermost crossings."""
    p = panel.outline
    a, b = p, np.roll(p, -1, axis=0)
    cross = (a[:, 1] < y_mm) != (b[:, 1] < y_mm)
    if not cross.any():
        y_mm = float(np.clip(y_mm, p[:, 1].min() + 1e-6, p[:, 1].max() - 1e-6))
        cross = (a[:, 1] < y_mm) != (b[:, 1] < y_mm)
    t = (y_mm - a[cross, 1]) / (b[cross, 1] - a[cross, 1])
    xs = a[cross, 0] + t * (b[cross, 0] - a[cross, 0])
    return float(xs.min()), float(xs.max())


class _Sections:
    """Loops round the body (arms left out) at given heights, grown by a margin."""

    def __init__(self, body: Body) -> None:
        names = body.part_names
        arms = [i for i, n in enumerate(names) if "arm" in n or "hand" in n]
        self.v = np.asarray(body.vertices)[~np.isin(body.part_ids, arms)]

    @lru_cache(maxsize=4096)  # noqa: B019 (one body per instance, short-lived)
    def hull(self, z: float):
        band = self.v[np.abs(self.v[:, 2] - z) < 0.015]
        if len(band) < 3:
            raise PatternError([f"the garment reaches a height ({z:.2f} m) where the body "
                                "has no cross-section to wrap it round"])
        return MultiPoint(band[:, :2]).convex_hull

    def loop(self, z: float, girth: float) -> LinearRing:
        hull = self.hull(round(z, 4))
        ring = hull.buffer(MARGIN_M).exterior
        if ring.length < girth:
            ring = hull.buffer(MARGIN_M + (girth - ring.length) / (2 * np.pi)).exterior
        ring = LinearRing(ring.coords)
        return ring if ring.is_ccw else LinearRing(list(ring.coords)[::-1])
