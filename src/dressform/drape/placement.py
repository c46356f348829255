"""Placing cut cloth around a body before it is sewn and simulated.

Torso panels are drafted in the body frame (y = height above the floor), so each pattern row
y wraps, at that height, round a loop that encloses the body's cross-section with a margin:
the panels follow one another round the loop in the order they are sewn (front, then back,
counter-clockwise seen from above) at their own widths, so seam partners land on the same
spot. The loop is widened, never shrunk, to the garment's girth there: cloth starts at rest
length, outside the body.

Trouser legs follow the same rule with the body cut in two: below the pattern's crotch each
leg's panels wrap that leg (its half of the cut, kept a few millimetres off the midline);
above it, one loop takes all four, pinched between the legs where the body's cut is still
two legs. Sleeves are tubes along the upper arm and on along the forearm; a hood goes up,
its rows round the head with the back seam at the centre back and the face left open, blended
down to the neckline it is sewn to. Garments that cannot go on are refused by what is wrong:
too small at a named level, legs longer than the body's, thighs that touch (below the fork
of the crotch, where the trousers' own crotch sits, closer than two layers of cloth need:
the clone can be dressed in the fitting stance, `dressform.body.poses.STANCES`).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, MultiPoint, Point, box

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh
from dressform.errors import PatternError
from dressform.garment.pattern import Pattern
from dressform.geometry.distance import BodyDistance
from dressform.geometry.sections import plane_section_loops

MARGIN_M = 0.015  # cloth starts this far outside the body
ROW_M = 0.005  # loops are computed every 5 mm of height
HOOD_CLEARANCE_M = 0.02  # a hood's rows reach this far over the top of the head
HOOD_SKULL_M = 0.04  # rows higher than this below the top of the head wrap round that loop
HOOD_BLEND_M = 0.10  # hood rows blend down to the neckline over this height
LEGS_BELOW = 0.55  # of the body's height: the crotch is near 0.47
FACE_M = 0.22  # the face opening a hood is placed with (its edges clear of the eyes)
ANKLE_BELOW_M = 0.02  # a hem may reach this far below the ankle joint
LEG_GAP_M = 0.003  # the two legs of trousers start at least twice this far apart
CLOTH_ROOM_M = 0.003  # ...and each leg's cloth this far clear of the thigh it goes round
CROTCH_APEX_M = 0.03  # legs closer than that this far under the crotch are still its fork

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
    torso = [k for k, r in regions.items() if r in ("torso", "leg_left", "leg_right")]
    arms = [k for k, r in regions.items() if r in ("arm_left", "arm_right")]
    bands = [k for k, r in regions.items() if r in ("waist", "neck")]
    hood = [k for k, r in regions.items() if r == "head"]
    other = sorted(set(regions) - set(torso) - set(arms) - set(bands) - set(hood))
    if other:
        names = ", ".join(cloth.panel_names[k] for k in other)
        raise PatternError([f"cannot place panel(s) {names}: only torso, leg, sleeve, band "
                            "and hood panels are placed"])
    if not torso:
        raise PatternError(["nothing to hang the garment on: it has no torso or leg panel"])
    out = np.zeros((len(cloth.uv), 3))
    _wrap_body(cloth, pattern, body, torso, out, max_stretch, level_offset(pattern, body))
    placed = np.isin(cloth.panel, torso)
    for k in arms:
        _wrap_arm(cloth, body, k, regions[k] == "arm_left", out, placed)
    placed |= np.isin(cloth.panel, arms)
    for k in bands:
        _raise_band(cloth, k, out, placed)
        placed |= cloth.panel == k
    if hood:
        _wrap_hood(cloth, pattern, body, hood, out, placed)
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


def _wrap_body(cloth: ClothMesh, pattern: Pattern, body: Body, wrapped: list[int],
               out: np.ndarray, max_stretch: float, lift: float) -> None:
    """Rows of torso and leg panels round loops of the body: above the crotch one loop round
    the trunk holding every panel of the row, below it one loop round each leg."""
    placements = {k: pattern.panel(cloth.panel_names[k]).placement for k in wrapped}
    legs = {"leg_left": 1.0, "leg_right": -1.0}
    crotch = (pattern.levels_mm.get("crotch", -np.inf)
              if any(p.region in legs for p in placements.values()) else -np.inf)
    # Round the body counter-clockwise seen from above, from the front: a pair of fronts
    # goes right then left (front = -Y, left = +X), a pair of backs left then right.
    order = sorted(wrapped, key=lambda k: (
        _ORDER[placements[k].side],
        (placements[k].region == "leg_left") == (placements[k].side == "front")))
    sections = _Sections(body)
    rows = np.round(cloth.uv[:, 1] / ROW_M).astype(int)
    if np.isfinite(crotch):
        _refuse_over_the_feet(cloth, wrapped, body, lift)
    armpit = pattern.levels_mm.get("armpit", np.inf)
    outlines = {k: pattern.panel(cloth.panel_names[k]).outline[:, 1] for k in wrapped}
    reach = {k: (float(y.min()), float(y.max())) for k, y in outlines.items()}
    for row in np.unique(rows[np.isin(cloth.panel, wrapped)]):
        y_mm = row * ROW_M * 1000.0
        here = [k for k in order
                if reach[k][0] - 500.0 * ROW_M <= y_mm <= reach[k][1] + 500.0 * ROW_M]
        if y_mm > crotch or sections.at_crotch(round(row * ROW_M + lift, 4)):
            tubes = [(here, 0.0)]
        else:
            tubes = [([k for k in here if placements[k].region == leg], sign)
                     for leg, sign in legs.items()]
        for members, sign in tubes:
            if members:
                # Above the armholes a top is no closed tube: nothing to be too small.
                _wrap_row(cloth, rows, pattern, sections, members, placements, row, sign, out,
                          max_stretch if y_mm < armpit - 30.0 else np.inf, lift)


def _refuse_over_the_feet(cloth: ClothMesh, wrapped: list[int], body: Body, lift: float
                          ) -> None:
    """Legs longer than the body's reach below the ankle bones, round the feet: refused by
    how much too long they are, not as 'too small' round a foot."""
    ankle = min(float(body.skeleton.head(f"foot.{s}")[2]) for s in "LR")
    hem = float(cloth.uv[np.isin(cloth.panel, wrapped), 1].min()) + lift
    if hem < ankle - ANKLE_BELOW_M:
        raise PatternError([f"the legs are {100 * (ankle - hem):.0f} cm too long for this "
                            "body, reaching below the ankle bone over the foot: choose a "
                            "shorter length (or draft for this body's height)"])


def _wrap_row(cloth: ClothMesh, rows: np.ndarray, pattern: Pattern, sections: _Sections,
              members: list[int], placements: dict, row: int, leg: float, out: np.ndarray,
              max_stretch: float, lift: float) -> None:
    """One row of `members` (in order round the loop) round the trunk (`leg` 0) or the left
    (+1) or right (-1) leg, the front panels centred on the loop's front."""
    y_mm = row * ROW_M * 1000.0
    spans = [_x_span(pattern.panel(cloth.panel_names[k]), y_mm) for k in members]
    total = sum(hi - lo for lo, hi in spans) / 1000.0
    z = round(row * ROW_M + lift, 4)
    hull = sections.hull(z, leg)
    if leg and sections.legs_apart(z) and sections.no_room(z):
        gap = sections.leg_gap(z)
        raise PatternError([
            f"the thighs touch {100 * z:.0f} cm up ({1000 * gap:.0f} mm apart): there is "
            "no room between them for the trouser legs' inseams; drape on the clone in "
            "the fitting stance (legs a little apart: `--stance fitting`)"])
    skin = hull.length
    if skin > total * (1.0 + max_stretch):
        raise PatternError([_too_small(pattern, y_mm, total, skin)])
    loop = sections.loop(z, total, leg, pinch=any(placements[k].region != "torso"
                                                  for k in members))
    front = sum(hi - lo for (lo, hi), k in zip(spans, members, strict=True)
                if placements[k].side == "front") / 1000.0
    start = loop.project(_crossing(loop, loop.centroid.x if leg else 0.0))
    _lay_row(cloth, rows, members, spans, row, loop, start - front / 2.0 * loop.length / total,
             z, out)


def _lay_row(cloth: ClothMesh, rows: np.ndarray, members: list[int],
             spans: list[tuple[float, float]], row: int, loop: LinearRing, start: float,
             z: float, out: np.ndarray, scale: float | None = None) -> None:
    """Lay row `row` (of `rows`, each pattern vertex's) of the panels `members` along `loop`,
    one after another from arc length `start`, all stretched by `scale` (by default: so they
    fill the loop); the row's vertices at height z (pattern y relative to the row's)."""
    uv = cloth.uv
    if scale is None:
        scale = loop.length / max(sum(hi - lo for lo, hi in spans) / 1000.0, 1e-9)
    at = start
    for (lo, hi), panel_index in zip(spans, members, strict=True):
        sel = np.flatnonzero((rows == row) & (cloth.panel == panel_index))
        s = at + (uv[sel, 0] * 1000.0 - lo) / 1000.0 * scale
        pts = shapely.line_interpolate_point(loop, np.mod(s, loop.length))
        out[sel, 0] = shapely.get_x(pts)
        out[sel, 1] = shapely.get_y(pts)
        out[sel, 2] = z + uv[sel, 1] - row * ROW_M
        at += (hi - lo) / 1000.0 * scale


def _crossing(loop: LinearRing, x: float, back: bool = False) -> Point:
    """Where the loop crosses the plane X = x in front (or at the back). Not the loop's
    foremost point: at the bust that is one breast, and rows centred there would shear the
    panels."""
    cy = loop.centroid.y
    hit = loop.intersection(LineString([(x, cy), (x, cy + (2.0 if back else -2.0))]))
    points = [hit] if isinstance(hit, Point) else list(getattr(hit, "geoms", []))
    if not points:
        coords = np.asarray(loop.coords)
        return Point(coords[(np.argmax if back else np.argmin)(coords[:, 1])])
    return (max if back else min)(points, key=lambda p: p.y)


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
    shoulder, elbow, wrist = (body.skeleton.head(f"{j}.{side}")
                              for j in ("upperarm01", "lowerarm01", "wrist"))
    upper = float(np.linalg.norm(elbow - shoulder))
    frames = [_arm_frame(shoulder, elbow, left), _arm_frame(elbow, wrist, left)]
    sel = np.flatnonzero(cloth.panel == k)
    uv = cloth.uv[sel]
    crown = uv[:, 1].max()
    cap = _SewnEdge(cloth, _partners(cloth, sel, out, placed))
    base_y = float(cap.y.min()) if len(cap) >= 2 else crown
    # The tube slides along the arm until its underarm row is level with the armpit, where
    # the cap's ends are sewn; left at the shoulder joint it would start a cap-height too far
    # down the arm and the underarm would be stretched across the armpit.
    shift = 0.0
    if len(cap) >= 2:
        pit = cap.positions[cap.y <= base_y + 1e-9].mean(axis=0)
        shift = float((pit - shoulder) @ frames[0][0]) - (crown - base_y)

    def tube(xs: np.ndarray, y: float, half: float) -> np.ndarray:
        # Down the upper arm to the elbow, then on along the forearm.
        along = crown - y + shift
        axis, up, across = frames[0] if along < upper else frames[1]
        centre = shoulder + along * axis if along < upper else elbow + (along - upper) * axis
        radius = max(half / np.pi, 0.03)
        phi = xs / half * np.pi
        return centre + radius * (np.outer(np.cos(phi), up) + np.outer(np.sin(phi), across))

    rows = np.round(uv[:, 1] / ROW_M)
    for row in np.unique(rows):
        r_sel = rows == row
        xs = uv[r_sel, 0]
        out[sel[r_sel]] = tube(xs, float(uv[r_sel, 1].mean()),
                               max(float(np.abs(xs).max()), 1e-3))
    if len(cap) < 2:
        return
    half = max(float(np.abs(cap.x).max()), 1e-3)
    above = sel[uv[:, 1] > base_y]
    x, y = cloth.uv[above, 0], cloth.uv[above, 1]
    top_y = np.interp(x, cap.x, cap.y)
    top = cap.at(x)
    base = tube(x, base_y, half)
    t = np.clip((y - base_y) / np.maximum(top_y - base_y, 1e-6), 0.0, 1.0)[:, None]
    out[above] = base + t * (top - base)
    out[cap.index] = cap.positions


def _wrap_hood(cloth: ClothMesh, pattern: Pattern, body: Body, hood: list[int],
               out: np.ndarray, placed: np.ndarray) -> None:
    """A hood up: its rows round the head, the back seam at the centre back and the face
    opening wherever the hood's width leaves it; pressed a little in height so its crown is
    just over the top of the head (rows above the skull wrap round the skull's top loop and
    fall onto it). Near the neckline each vertex blends down to the edge it is sewn to."""
    placements = {k: pattern.panel(cloth.panel_names[k]).placement for k in hood}
    # Counter-clockwise seen from above: the left side from the face to the back seam, then
    # the right side on round to the face again; the face opening is what the loop has left.
    order = sorted(hood, key=lambda k: placements[k].side != "left")
    sel = np.flatnonzero(np.isin(cloth.panel, hood))
    edge = _partners(cloth, sel, out, placed)
    if not edge:
        raise PatternError(["the hood is not sewn to anything placed"])
    neck = np.array(list(edge.values()))
    top = float(np.asarray(body.vertices)[:, 2].max())
    base = float(neck[:, 2].max())
    height = float(cloth.uv[sel, 1].max())
    squeeze = min(1.0, (top + HOOD_CLEARANCE_M - base) / max(height, 1e-6))
    sections = _Sections(body)
    rows = np.round(cloth.uv[:, 1] / ROW_M).astype(int)
    for row in np.unique(rows[sel]):
        y_mm = row * ROW_M * 1000.0
        spans = [_x_span(pattern.panel(cloth.panel_names[k]), y_mm) for k in order]
        total = sum(hi - lo for lo, hi in spans) / 1000.0
        z = base + row * ROW_M * squeeze
        # The loop leaves the face open: longer than the hood is wide by a face's width.
        loop = sections.loop(min(z, top - HOOD_SKULL_M), total + FACE_M)
        left = (spans[0][1] - spans[0][0]) / 1000.0
        scale = (loop.length - FACE_M) / total if total > 1e-6 else 1.0  # 1: the crown
        start = loop.project(_crossing(loop, 0.0, back=True)) - left * scale
        _lay_row(cloth, rows, order, spans, row, loop, start, z, out, scale)
    # The bottom of the hood blends into the neckline it is sewn to.
    for k in hood:
        mine = np.flatnonzero(cloth.panel == k)
        sewn = _SewnEdge(cloth, {i: p for i, p in edge.items() if cloth.panel[i] == k})
        if len(sewn) < 2:
            continue
        x, y = cloth.uv[mine, 0], cloth.uv[mine, 1]
        t = np.clip((y - np.interp(x, sewn.x, sewn.y)) / HOOD_BLEND_M, 0.0, 1.0)[:, None]
        at_edge = sewn.at(x)
        out[mine] = at_edge + t * (out[mine] - at_edge)
        out[sewn.index] = sewn.positions


def _arm_frame(start: np.ndarray, end: np.ndarray, left: bool
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit axis from `start` to `end`, the direction most nearly up across it, and the
    third direction: seen from outside, +x of the left sleeve runs to the back (+Y), of the
    right to the front."""
    axis = (end - start) / np.linalg.norm(end - start)
    up = np.array([0.0, 0.0, 1.0]) - axis[2] * axis
    up /= np.linalg.norm(up)
    across = np.cross(axis, up) * (1.0 if left else -1.0)
    if across[1] * (1.0 if left else -1.0) < 0:
        across = -across
    return axis, up, across


class _SewnEdge:
    """A panel's vertices sewn to cloth already placed, in pattern-x order: their pattern
    heights and their partners' positions, read off at any pattern x (linearly between)."""

    def __init__(self, cloth: ClothMesh, partner: dict[int, np.ndarray]) -> None:
        self.index = np.array(sorted(partner, key=lambda i: cloth.uv[i, 0]), dtype=np.int64)
        self.x, self.y = cloth.uv[self.index, 0], cloth.uv[self.index, 1]
        self.positions = np.array([partner[i] for i in self.index]).reshape(-1, 3)

    def __len__(self) -> int:
        return len(self.index)

    def at(self, x: np.ndarray) -> np.ndarray:
        """(N, 3) positions along the sewn edge at pattern x."""
        return np.stack([np.interp(x, self.x, self.positions[:, d]) for d in range(3)],
                        axis=-1)


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
    sewn = _SewnEdge(cloth, partner)
    kx = sewn.x
    centre = sewn.positions[:, :2].mean(axis=0)
    for i, (x, y) in zip(sel, uv, strict=True):
        if x <= kx[-1]:
            base = sewn.at(x)
        else:  # the overlap: carried on past the sewn end, lapped 6 mm outside the start
            base = sewn.at(np.interp(x - kx[-1], [0.0, kx[-1] - kx[0]], [kx[0], kx[-1]]))
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
        self.height = float(self.v[:, 2].max())

    @lru_cache(maxsize=4096)  # noqa: B019 (one body per instance, short-lived)
    def _points(self, z: float) -> tuple[np.ndarray, bool]:
        """(N, 2) points of the body's cut at height z, and whether the cut is two legs."""
        loops = plane_section_loops(self.v, self.faces, np.array([0.0, 0.0, z]),
                                    np.array([0.0, 0.0, 1.0]))
        if not loops:  # where the arms join, the trunk's cut is open: its vertices near z
            used = np.unique(self.faces)
            return self.v[used][np.abs(self.v[used, 2] - z) < 0.01][:, :2], False
        xs = [sec.points[:, 0] for sec in loops]
        # Separate loops either side of the midline are legs below the hips (higher up they
        # are eyes or ears).
        legs = (z < LEGS_BELOW * self.height and any((x > 0).all() for x in xs)
                and any((x < 0).all() for x in xs))
        return np.vstack([sec.points[:, :2] for sec in loops]), legs

    def legs_apart(self, z: float) -> bool:
        """Whether the body's cut at height z is two legs (below the crotch)."""
        return self._points(round(z, 4))[1]

    def at_crotch(self, z: float) -> bool:
        """Whether height z is just under the body's crotch (within `CROTCH_APEX_M`), where
        its two legs have parted but leave no room for two layers of cloth: trouser
        legs there go round both legs as one pinched loop, as above their crotch seam (the
        seam sits in the fork; a tube round each leg would have no room between them)."""
        return (self.legs_apart(z) and not self.legs_apart(z + CROTCH_APEX_M)
                and self.no_room(z))

    def no_room(self, z: float) -> bool:
        """Whether the legs at height z (apart) leave no room for a trouser leg round each."""
        return self.leg_gap(z) < 2.0 * (LEG_GAP_M + CLOTH_ROOM_M)

    def leg_gap(self, z: float) -> float:
        """The gap (m) between the legs at height z, across the midline."""
        x = self._points(round(z, 4))[0][:, 0]
        return float(x[x > 0].min() - x[x < 0].max())

    def hull(self, z: float, leg: float = 0.0):
        """Convex hull of the body's cut at height z (of one leg: `leg` +1 left, -1 right):
        what a tape measure round it reads."""
        pts = self._points(round(z, 4))[0]
        if leg:  # thighs that touch are split at the midline
            pts = pts[pts[:, 0] * leg > 0.0]
        if len(pts) < 3:
            raise PatternError([f"the garment reaches a height ({z:.2f} m) where the body "
                                "has no cross-section to wrap it round"])
        return MultiPoint(pts).convex_hull

    def loop(self, z: float, girth: float, leg: float = 0.0, pinch: bool = False
             ) -> LinearRing:
        """A counter-clockwise loop at least `girth` long round the body's cut at height z
        (`leg` as in `hull`) with a margin. With `pinch`, round both legs below the crotch
        (`leg` 0) it is pinched between them, as trousers are above their crotch seam."""
        pinched = pinch and not leg and self.legs_apart(z)
        margin = MARGIN_M
        for _ in range(4):  # widened until the loop is as long as the garment is round
            shape = (self._pinched(z, margin) if pinched else
                     self._grown(self.hull(round(z, 4), leg), margin, leg))
            if shape.exterior.length >= girth - 1e-4:
                break
            margin += (girth - shape.exterior.length) / (2 * np.pi)
        ring = LinearRing(shape.exterior.coords)
        return ring if ring.is_ccw else LinearRing(list(ring.coords)[::-1])

    @staticmethod
    def _grown(hull, margin: float, leg: float):
        grown = hull.buffer(margin)
        if leg > 0:  # each leg's cloth keeps to its own side, clear of the other's
            grown = grown.intersection(box(LEG_GAP_M, -2.0, 2.0, 2.0))
        elif leg < 0:
            grown = grown.intersection(box(-2.0, -2.0, -LEG_GAP_M, 2.0))
        return grown

    def _pinched(self, z: float, margin: float):
        """Both legs' loops joined by a narrow bridge half-way between their centres."""
        left = self._grown(self.hull(round(z, 4), 1.0), margin, 1.0)
        right = self._grown(self.hull(round(z, 4), -1.0), margin, -1.0)
        y = 0.5 * (left.centroid.y + right.centroid.y)
        bridge = box(right.bounds[2] - 0.02, y - LEG_GAP_M, left.bounds[0] + 0.02, y + LEG_GAP_M)
        joined = left.union(right).union(bridge)
        return joined if joined.geom_type == "Polygon" else joined.convex_hull
