"""What a pattern measures: seam lengths, panel areas, fabric use, garment girth at a level."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from dressform.errors import InvalidInputError
from dressform.garment.pattern import Panel, Pattern


def seam_lengths(pattern: Pattern) -> dict[str, tuple[float, float]]:
    """Each stitch as "a ↔ b" → (length of a, length of b) in mm."""
    out = {}
    for st in pattern.stitches:
        la = _length(pattern.ref_polyline(st.a))
        lb = _length(pattern.ref_polyline(st.b))
        out[f"{st.a.panel}.{st.a.edge} ↔ {st.b.panel}.{st.b.edge}"] = (la, lb)
    return out


def _length(p: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())


def cut_outline(panel: Panel) -> Polygon:
    """The cutting line: each edge's sewing line moved out by its own seam allowance, the
    neighbours extended to meet at the corners (mitred, as a pattern maker draws them)."""
    offsets = [_offset(e.polyline(0.2), e.seam_allowance_mm) for e in panel.edges]
    ring = []
    for i, (edge, cur) in enumerate(zip(panel.edges, offsets, strict=True)):
        nxt = offsets[(i + 1) % len(offsets)]
        ring.append(cur[:-1] if len(cur) > 2 else cur[:1])
        ring.append(_corner(cur[-2], cur[-1], nxt[0], nxt[1], np.asarray(edge.end),
                            4.0 * max(edge.seam_allowance_mm, 1.0)))
    shape = Polygon(np.vstack(ring)).buffer(0)  # removes loops where allowances overlap
    if shape.geom_type != "Polygon":
        shape = max(shape.geoms, key=lambda g: g.area)
    return Polygon(shape.exterior)


def _offset(p: np.ndarray, d: float) -> np.ndarray:
    """A polyline moved `d` to its right (outwards of a counter-clockwise outline)."""
    if d == 0:
        return p
    t = np.diff(p, axis=0)
    t /= np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)
    n = np.stack([t[:, 1], -t[:, 0]], axis=1)
    vn = np.vstack([n[:1], n[:-1] + n[1:], n[-1:]])
    vn /= np.maximum(np.linalg.norm(vn, axis=1, keepdims=True), 1e-12)
    # Mitre: at a bend the offset point lies 1/cos(half the turn) out.
    cos = np.einsum("ij,ij->i", vn, np.vstack([n[:1], n])) .clip(0.25, 1.0)
    return p + (d / cos)[:, None] * vn


def _corner(a0: np.ndarray, a1: np.ndarray, b0: np.ndarray, b1: np.ndarray,
            vertex: np.ndarray, reach: float) -> np.ndarray:
    """Where the line a0→a1 meets the line b0→b1, or the midpoint of a1 and b0 when they are
    (nearly) parallel or meet further than `reach` from the sewing corner."""
    da, db = a1 - a0, b1 - b0
    den = da[0] * db[1] - da[1] * db[0]
    if abs(den) > 1e-9 * max(np.linalg.norm(da) * np.linalg.norm(db), 1e-12):
        s = ((b0[0] - a0[0]) * db[1] - (b0[1] - a0[1]) * db[0]) / den
        x = a0 + s * da
        if np.linalg.norm(x - vertex) <= reach:
            return x[None]
    return np.stack([a1, b0])


def width_at(panel: Panel, y: float) -> float:
    """Width of the panel's sewn cloth along the horizontal line at `y` (mm): the lengths
    inside the sewing line, less what darts fold away."""
    return _chords(panel.outline, y) - sum(
        _chords(d.polyline(0.2), y) for d in panel.internal if d.kind == "dart")


def _chords(poly: np.ndarray, y: float) -> float:
    """Total length of a horizontal line inside a closed polygon (even–odd rule)."""
    a, b = poly, np.roll(poly, -1, axis=0)
    # Half-open on the other side from usual: a level exactly at a panel's top edge (the
    # waist of a skirt) still cuts its sides; only the bottom edge's level would not.
    crosses = (a[:, 1] < y) != (b[:, 1] < y)
    if not crosses.any():
        return 0.0
    t = (y - a[crosses, 1]) / (b[crosses, 1] - a[crosses, 1])
    xs = np.sort(a[crosses, 0] + t * (b[crosses, 0] - a[crosses, 0]))
    return float((xs[1::2] - xs[0::2]).sum())


#: Regions whose panels are drafted in the body frame (y = height above the floor).
BODY_FRAME_REGIONS = ("torso", "leg_left", "leg_right")


def girth_at(pattern: Pattern, level: str | float, region: str | None = None) -> float:
    """Girth of the garment (cm) at a body level — a name in `pattern.levels_mm` ("bust",
    "waist", "hip"...) or a y in mm — summed over the panels placed on `region` (default:
    every panel drafted in the body frame, torso and legs).

    Blocks draft those panels in the body frame (y = height above the floor), so one y is one
    level of the body on every panel.
    """
    if isinstance(level, str):
        if level not in pattern.levels_mm:
            known = ", ".join(sorted(pattern.levels_mm)) or "none"
            raise InvalidInputError(f"pattern {pattern.name!r} has no level {level!r} "
                                    f"(it has: {known})")
        y = pattern.levels_mm[level]
    else:
        y = float(level)
    regions = BODY_FRAME_REGIONS if region is None else (region,)
    panels = [p for p in pattern.panels if p.placement and p.placement.region in regions]
    if not panels:
        raise InvalidInputError(f"pattern {pattern.name!r} has no panel on region {region!r}")
    return sum(width_at(p, y) for p in panels) / 10.0


@dataclass(frozen=True)
class FabricUse:
    fabric: str
    area_m2: float  # cloth inside the cutting lines
    marker_length_m: float  # length of fabric the marker takes at this width
    width_mm: float

    @property
    def efficiency(self) -> float:
        """Share of the marker's fabric that goes into the pieces."""
        return self.area_m2 / (self.marker_length_m * self.width_mm / 1000.0)


def fabric_use(pattern: Pattern, width_mm: float | None = None, gap_mm: float = 5.0
               ) -> list[FabricUse]:
    """Fabric each fabric of the pattern takes: the pieces' area and the length of a simple
    marker — pieces turned so their grain runs along the fabric, placed in columns across its
    width, tallest first (a real marker nests tighter; this one is an upper bound)."""
    out = []
    for fab in pattern.fabrics:
        width = width_mm or fab.width_mm
        pieces = [cut_outline(p) for p in pattern.panels if p.fabric == fab.name]
        boxes = [_grain_box(poly, panel) for poly, panel in zip(
            pieces, [p for p in pattern.panels if p.fabric == fab.name], strict=True)]
        if not pieces:
            continue
        too_wide = [b for b in boxes if b[1] > width]
        if too_wide:
            raise InvalidInputError(
                f"a piece is {too_wide[0][1]:.0f} mm across the grain, wider than the "
                f"{width:.0f} mm fabric {fab.name!r}")
        length = 0.0
        column_w, column_h = 0.0, 0.0
        for along, across in sorted(boxes, key=lambda b: -b[1]):
            if column_h + across > width:
                length += column_w + gap_mm
                column_w, column_h = 0.0, 0.0
            column_w = max(column_w, along)
            column_h += across + gap_mm
        length += column_w
        out.append(FabricUse(fab.name, sum(p.area for p in pieces) / 1e6, length / 1000.0, width))
    return out


def _grain_box(poly: Polygon, panel: Panel) -> tuple[float, float]:
    """(extent along the grain, extent across it) of a cut piece, mm."""
    pts = np.asarray(poly.exterior.coords)
    if panel.grain is None:
        d = np.array([0.0, 1.0])
    else:
        d = np.subtract(panel.grain[1], panel.grain[0])
        d = d / max(math.hypot(*d), 1e-9)
    along = pts @ d
    across = pts @ np.array([-d[1], d[0]])
    return float(np.ptp(along)), float(np.ptp(across))
