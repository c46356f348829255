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
from shapely.geometry import LinearRing, LineString, MultiPoint, Point

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh
from dressform.drape.distance import BodyDistance
from dressform.errors import PatternError
from dressform.garment.pattern import Pattern
from dressform.geometry.sections import plane_section_loops

MARGIN_M = 0.015  # cloth starts this far outside the body
ROW_M = 0.005  # loops are computed every 5 mm of height

_ORDER = {"front": 0, "left": 1, "back": 2, "right": 3, "centre": 4}


def place(cloth: ClothMesh, pattern: Pattern, body: Body, max_stretch: float = 0.03
          ) -> np.ndarray:
    """(V, 3) starting positions of the fused cloth vertices (metres), outside the body: the
    panels as `place_panels` puts them, seam partners joined half-way and lifted out again."""
    out = place_panels(cloth, pattern, body, max_stretch)
    return BodyDistance(body.vertices, body.faces).push_out(fuse(cloth, out), MARGIN_M)


def fuse(cloth: ClothMesh, positions: np.ndarray) -> np.ndarray:
    """(V, 3) positions of the fused vertices: the mean of each one's pattern vertices."""
    pos = np.zeros((cloth.vertex_count, 3))
    count = np.zeros(cloth.vertex_count)
    np.add.at(pos, cloth.weld, positions)
    np.add.at(count, cloth.weld, 1.0)
    return pos / count[:, None]


def place_panels(cloth: ClothMesh, pattern: Pattern, body: Body, max_stretch: float = 0.03
                 ) -> np.ndarray:
    """(P, 3) positions of every pattern vertex (metres), each panel at rest length round its
    part of the body and outside it, seams not yet joined.

    Torso panels wrap round the body at their own heights; sleeves wrap round the arm from the
    shoulder joint down; bands (waistbands, neckbands, folded to one layer) rise from the
    seam they are sewn to. A garment whose girth at some height is smaller than the body's
    there, beyond what the cloth can stretch (`max_stretch`), is refused: `PatternError`
    naming the nearest body level and both girths.
    """
    regions = {k: (pattern.panel(n).placement.region if pattern.panel(n).placement else None)
               for k, n in enumerate(cloth.panel_names)}
    torso = [k for k, r in regions.items() if r == "torso"]
    arms = [k for k, r in regions.items() if r in ("arm_left", "arm_right")]
    bands = [k for k, r in regions.items() if r in ("waist", "neck")]
    other = sorted(set(regions) - set(torso) - set(arms) - set(bands))
    if other:
        names = ", ".join(cloth.panel_names[k] for k in other)
        raise PatternError([f"cannot place panel(s) {names} yet: torso panels, sleeves and "
                            "bands are placed (legs and hoods are not)"])
    if not torso:
        raise PatternError(["nothing to hang the garment on: it has no torso panel"])
    out = np.zeros((len(cloth.uv), 3))
    _wrap_torso(cloth, pattern, body, torso, out, max_stretch, level_offset(pattern, body))
    placed = np.isin(cloth.panel, torso)
    for k in arms:
        _wrap_arm(cloth, body, k, regions[k] == "arm_left", out, placed)
    placed |= np.isin(cloth.panel, arms)
    for k in bands:
        _raise_band(cloth, k, out, placed)
        placed |= cloth.panel == k
    return BodyDistance(body.vertices, body.faces).push_out(out, MARGIN_M)


def level_offset(pattern: Pattern, body: Body) -> float:
    """How far up (m) the pattern's body frame must move to sit on this body: a top hangs
    from the shoulders (its HPS level on the body's), a bottom from the waist. Zero for a
    pattern with neither level (drafted for this very body, or foreign)."""
    from dressform.body.measure import measure

    levels = pattern.levels_mm
    if "hps" not in levels and "waist" not in levels:
        return 0.0
    m = measure(body)
    if "hps" in levels:
        # The HPS sits a back-waist length above the waist, over the curve of the back.
        body_hps = m.waist_height_cm + 0.97 * m.back_waist_length_cm
        return (10.0 * body_hps - levels["hps"]) / 1000.0
    return (10.0 * m.waist_height_cm - levels["waist"]) / 1000.0


def _wrap_torso(cloth: ClothMesh, pattern: Pattern, body: Body, torso: list[int],
                out: np.ndarray, max_stretch: float, lift: float) -> None:
    def side(k: int) -> int:
        return _ORDER[pattern.panel(cloth.panel_names[k]).placement.side]

    order = sorted(torso, key=side)
    panels = [pattern.panel(cloth.panel_names[k]) for k in order]
    sections = _Sections(body)
    uv = cloth.uv
    mine = np.isin(cloth.panel, order)
    rows = np.round(uv[:, 1] / ROW_M).astype(int)
    for row in np.unique(rows[mine]):
        y_mm = row * ROW_M * 1000.0
        spans = [_x_span(p, y_mm) for p in panels]
        widths = [hi - lo for lo, hi in spans]
        total = sum(widths) / 1000.0
        z = round(row * ROW_M + lift, 4)
        skin = sections.hull(z).length
        # Above the armholes a top is no closed tube round the body: nothing to be too small.
        closed = y_mm < pattern.levels_mm.get("armpit", np.inf) - 30.0
        if closed and skin > total * (1.0 + max_stretch):
            raise PatternError([_too_small(pattern, y_mm, total, skin)])
        loop = sections.loop(z, total)
        length = loop.length
        s_front = loop.project(_centre_front(loop))
        scale = length / max(total, 1e-9)
        # The first panel (the front) is centred on the front of the body.
        at = s_front + spans[0][0] / 1000.0 * scale
        for k, panel_index in enumerate(order):
            sel = np.flatnonzero((rows == row) & (cloth.panel == panel_index))
            if len(sel):
                s = at + (uv[sel, 0] * 1000.0 - spans[k][0]) / 1000.0 * scale
                pts = shapely.line_interpolate_point(loop, np.mod(s, length))
                out[sel, 0] = shapely.get_x(pts)
                out[sel, 1] = shapely.get_y(pts)
                out[sel, 2] = uv[sel, 1] + lift
            at += widths[k] / 1000.0 * scale


def _centre_front(loop: LinearRing) -> Point:
    """Where the loop crosses the body's midline (x = 0) in front. Not the loop's foremost
    point: at the bust that is one breast, and rows centred there would shear the panels."""
    cy = loop.centroid.y
    hit = loop.intersection(LineString([(0.0, cy), (0.0, cy - 2.0)]))
    points = [hit] if isinstance(hit, Point) else list(getattr(hit, "geoms", []))
    if not points:
        coords = np.asarray(loop.coords)
        return Point(coords[np.argmin(coords[:, 1])])
    return min(points, key=lambda p: p.y)


def _too_small(pattern: Pattern, y_mm: float, garment_m: float, body_m: float) -> str:
    levels = pattern.levels_mm
    where = f"{y_mm / 10:.0f} cm up the pattern"
    if levels:
        name = min(levels, key=lambda k: abs(levels[k] - y_mm))
        gap = (y_mm - levels[name]) / 10.0
        where = (f"the {name}" if abs(gap) < 2.0 else
                 f"{abs(gap):.0f} cm {'above' if gap > 0 else 'below'} the {name}")
    return (f"the garment is too small {where}: {garment_m * 100:.0f} cm round where the body "
            f"measures {body_m * 100:.0f} cm — choose a larger size")


def _wrap_arm(cloth: ClothMesh, body: Body, k: int, left: bool, out: np.ndarray,
              placed: np.ndarray) -> None:
    """A sleeve as a tube round the arm below its cap, its centre line along the top of the
    arm and its underarm seam underneath (each row's circumference the sleeve's width
    there); the cap rises from the tube to the armhole it is sewn to, already placed on the
    torso panels, so sewing starts with the seam already close."""
    side = "L" if left else "R"
    shoulder = body.skeleton.head(f"upperarm01.{side}")
    elbow = body.skeleton.head(f"lowerarm01.{side}")
    axis = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
    up = np.array([0.0, 0.0, 1.0]) - axis[2] * axis
    up /= np.linalg.norm(up)
    # Seen from outside, +x of the left sleeve runs to the back (+Y), of the right to the front.
    across = np.cross(axis, up) * (1.0 if left else -1.0)
    if across[1] * (1.0 if left else -1.0) < 0:
        across = -across
    sel = np.flatnonzero(cloth.panel == k)
    uv = cloth.uv[sel]
    crown = uv[:, 1].max()
    cap = _partners(cloth, sel, out, placed)
    idx = np.array(sorted(cap, key=lambda i: cloth.uv[i, 0]), dtype=np.int64)
    cx, cy = cloth.uv[idx, 0], cloth.uv[idx, 1]
    cp = np.array([cap[i] for i in idx]).reshape(-1, 3)
    base_y = float(cy.min()) if len(idx) >= 2 else crown
    # The tube slides along the arm until its underarm row is level with the armpit, where
    # the cap's ends are sewn; left at the shoulder joint it would start a cap-height too far
    # down the arm and the underarm would be stretched across the armpit.
    shift = 0.0
    if len(idx) >= 2:
        pit = cp[cy <= base_y + 1e-9].mean(axis=0)
        shift = float((pit - shoulder) @ axis) - (crown - base_y)

    def tube(xs: np.ndarray, y: float, half: float) -> np.ndarray:
        radius = max(half / np.pi, 0.03)
        phi = xs / half * np.pi
        centre = shoulder + (crown - y + shift) * axis
        return centre + radius * (np.outer(np.cos(phi), up) + np.outer(np.sin(phi), across))

    rows = np.round(uv[:, 1] / ROW_M)
    for row in np.unique(rows):
        r_sel = rows == row
        xs = uv[r_sel, 0]
        out[sel[r_sel]] = tube(xs, float(uv[r_sel, 1].mean()),
                               max(float(np.abs(xs).max()), 1e-3))
    if len(idx) < 2:
        return
    half = max(float(np.abs(cx).max()), 1e-3)
    above = sel[uv[:, 1] > base_y]
    x, y = cloth.uv[above, 0], cloth.uv[above, 1]
    top_y = np.interp(x, cx, cy)
    top = np.stack([np.interp(x, cx, cp[:, d]) for d in range(3)], axis=1)
    base = tube(x, base_y, half)
    t = np.clip((y - base_y) / np.maximum(top_y - base_y, 1e-6), 0.0, 1.0)[:, None]
    out[above] = base + t * (top - base)
    out[idx] = cp


def _partners(cloth: ClothMesh, sel: np.ndarray, out: np.ndarray, placed: np.ndarray
              ) -> dict[int, np.ndarray]:
    """For the vertices `sel` on a seam to something already placed: the placed partner's
    position."""
    partner = {}
    on_seam = set(cloth.seams.ravel().tolist())
    for i in sel:
        if int(i) in on_seam:
            others = np.flatnonzero((cloth.weld == cloth.weld[i]) & placed)
            if len(others):
                partner[int(i)] = out[others[0]]
    return partner


def _raise_band(cloth: ClothMesh, k: int, out: np.ndarray, placed: np.ndarray) -> None:
    """A band stands on the edge it is sewn to: each vertex above the seam vertex at its x,
    as high as it is in the pattern; past the sewn part (a waistband's overlap) it follows
    on 6 mm further out, over the band's other end."""
    sel = np.flatnonzero(cloth.panel == k)
    uv = cloth.uv[sel]
    partner = _partners(cloth, sel[uv[:, 1] < 1e-6], out, placed)
    if not partner:
        raise PatternError([f"band {cloth.panel_names[k]!r} is not sewn to anything placed"])
    known = np.array(sorted(partner, key=lambda i: cloth.uv[i, 0]))
    kx = cloth.uv[known, 0]
    kp = np.array([partner[i] for i in known])
    centre = kp[:, :2].mean(axis=0)
    for i, (x, y) in zip(sel, uv, strict=True):
        if x <= kx[-1]:
            base = np.array([np.interp(x, kx, kp[:, d]) for d in range(3)])
        else:  # the overlap: carried on past the sewn end, lapped 6 mm outside the start
            s = np.interp(x - kx[-1], [0.0, kx[-1] - kx[0]], [kx[0], kx[-1]])
            base = np.array([np.interp(s, kx, kp[:, d]) for d in range(3)])
            radial = base[:2] - centre
            base[:2] += 0.006 * radial / max(float(np.linalg.norm(radial)), 1e-9)
        out[i] = base + np.array([0.0, 0.0, y])


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
        self.v = np.asarray(body.vertices)
        keep = ~np.isin(body.part_ids, arms)
        # Faces of the trunk and legs only: an arm section would widen the loop.
        self.faces = np.asarray(body.faces)[keep[np.asarray(body.faces)].all(axis=1)]

    @lru_cache(maxsize=4096)  # noqa: B019 (one body per instance, short-lived)
    def hull(self, z: float):
        """Convex hull of the body's cut at height z: what a tape measure round it reads."""
        loops = plane_section_loops(self.v, self.faces, np.array([0.0, 0.0, z]),
                                    np.array([0.0, 0.0, 1.0]))
        if loops:
            pts = np.vstack([sec.points[:, :2] for sec in loops])
        else:  # where the arms join, the trunk's cut is open: take its vertices near z
            pts = self.v[np.unique(self.faces)][:, :2][
                np.abs(self.v[np.unique(self.faces), 2] - z) < 0.01]
        if len(pts) < 3:
            raise PatternError([f"the garment reaches a height ({z:.2f} m) where the body "
                                "has no cross-section to wrap it round"])
        return MultiPoint(pts).convex_hull

    def loop(self, z: float, girth: float) -> LinearRing:
        hull = self.hull(round(z, 4))
        ring = hull.buffer(MARGIN_M).exterior
        if ring.length < girth:
            ring = hull.buffer(MARGIN_M + (girth - ring.length) / (2 * np.pi)).exterior
        ring = LinearRing(ring.coords)
        return ring if ring.is_ccw else LinearRing(list(ring.coords)[::-1])
