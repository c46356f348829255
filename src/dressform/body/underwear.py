"""A base layer (underwear) on every clone, made from the body's own surface.

A clone is never rendered nude: under (or without) its garments it wears a fitted "second
skin" — briefs and a bra, trunks, a bodysuit, a vest and shorts. Each piece is cut from the
clone's own mesh, so it follows the body into any pose with no simulation:

1. :func:`base_layer` works once on the rest body. The body faces the style covers are
   subdivided (a lattice of sub-triangles inside each face) and cut along the zero level of a
   smooth scalar field over the body (a height round the torso, an angle round a leg, a
   distance from a bust point...), triangles split along its iso-line, so every opening is a
   smooth curve and not the staircase of whole mesh faces. Every vertex of a piece is a point
   of the body's surface — a body face's corners and barycentric weights — with an offset off
   the skin. Elastic bands are tubes swept along each opening (and along the bra's straps):
   a rolled, closed cross-section, so an edge seen side-on shows its thickness.
2. :func:`base_pieces` places the layer on a posed body of the same topology: the surface
   points on the posed mesh, offset along its smoothed normals (vectorised numpy, a few
   milliseconds). Garments worn over it pull it in towards the skin where it would touch or
   poke through their cloth.

Sizes are in metres, as everywhere; offsets off the skin: fabric 1.2 mm, elastic bands from
1.0 to 2.6 mm, seams a 0.35 mm ridge on the fabric.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.interpolate import CubicSpline
from scipy.spatial import cKDTree

from dressform.body.landmarks import Landmarks, reference_anchors
from dressform.body.mesh import Body, FloatArray, IntArray
from dressform.body.spec import BodySpec
from dressform.body.wear import WearPiece
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.geometry.normals import vertex_normals
from dressform.names import suggest

if TYPE_CHECKING:
    from dressform.geometry.distance import BodyDistance, SurfaceQuery

#: The styles a base layer comes in.
BASE_STYLES: tuple[str, ...] = (
    "briefs-bra", "briefs-bralette", "briefs", "trunks", "bodysuit", "vest-shorts",
)  # fmt: skip

#: Fabric off the skin (m): a knit lies on it with a little room for its own thickness.
FABRIC_OFFSET_M = 0.0012
#: Elastic bands: the inner and outer face of the rolled band off the skin, and its width.
BAND_INNER_M, BAND_OUTER_M, BAND_WIDTH_M = 0.0010, 0.0026, 0.010
#: A bra strap: narrower than a band, the same rolled elastic.
STRAP_WIDTH_M = 0.012
#: A seam: a ridge this high and half as wide on the fabric.
SEAM_HEIGHT_M, SEAM_HALF_WIDTH_M = 0.00035, 0.0015
#: How far inside a garment's cloth the layer must stay (m), where one is worn over it.
CLOTH_CLEARANCE_M = 0.0005
#: The least a layer point is pulled in to (m): on the skin, as near as its curve allows
#: (a band's cross-section follows the skin to a tenth of a millimetre).
SKIN_FLOOR_M = 0.0001
#: How many of the cloth's nearest triangles a layer point is kept inside of.
CLOTH_PLANES = 8
#: Fabric bridges the skin's hollows by up to this much (m): it lies on the skin averaged
#: over this radius (m).
BRIDGE_M, BRIDGE_RADIUS_M = 0.0015, 0.016
#: At most this much (m) more offset where the skin folds sharply at rest.
FOLD_LIFT_M = 0.0012
#: Sub-triangles per body-face side: the lattice the openings are cut on (~2–8 mm).
LATTICE = 3
#: Points of a band's rolled cross-section, and the spacing of its rings along the band (m).
RING_POINTS, RING_SPACING_M = 10, 0.004

_FloatFn = Callable[[FloatArray], FloatArray]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Panel:
    """A fabric piece: its vertices are rows `start:stop` of the layer's surface points."""

    name: str
    start: int
    stop: int
    faces: IntArray
    offset: FloatArray  # (V,) metres off the skin
    uv: FloatArray  # (V, 2) metres
    smoother: sp.csr_matrix | None  # its own neighbour averaging, to bridge hollows; or None


@dataclass(frozen=True, eq=False)
class _Sweep:
    """An elastic tube swept along a line of surface points (a closed loop or an open strap
    with capped ends): rows `start:stop` are its middle line, then as many of its two edges
    (surface points half its width either side), so that its cross-section follows the skin's
    curve across it."""

    name: str
    start: int
    stop: int
    closed: bool
    width: float
    faces: IntArray


@dataclass(frozen=True, eq=False)
class BaseLayer:
    """A base layer worked out once on a rest body: what :func:`base_pieces` needs to place
    it on any pose of a body of the same topology.

    Attributes:
        style: one of `BASE_STYLES`.
        vertex_count: the body's vertex count (the topology it fits).
        corners: (M, 3) body vertex indices of the face each surface point lies in.
        weights: (M, 3) barycentric weights of the point in that face.
        panels / sweeps: the fabric pieces and elastic bands, each naming its rows.
        smoother: (V, V) sparse averaging of each body vertex with its neighbours (for
            normals smooth enough to offset along).
    """

    style: str
    vertex_count: int
    corners: IntArray
    weights: FloatArray
    panels: tuple[_Panel, ...]
    sweeps: tuple[_Sweep, ...]
    smoother: sp.csr_matrix

    @property
    def kind(self) -> str:
        return f"base:{self.style}"


# --------------------------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------------------------


def default_base(spec: BodySpec) -> str:
    """The style a clone wears unless told otherwise: children (under 12) a vest and shorts;
    bodies on the female side of the blend (`sex` < 0.5) briefs and a bra; the male side
    (0.5 and over, so an even blend too) trunks."""
    if spec.age_years < 12.0:
        return "vest-shorts"
    return "briefs-bra" if spec.sex < 0.5 else "trunks"


def _check_style(style: str) -> str:
    if style not in BASE_STYLES:
        raise UnknownNameError(f"unknown base-layer style {style!r}{suggest(style, BASE_STYLES)}"
                               f" (styles: auto, {', '.join(BASE_STYLES)})")
    return style


# --------------------------------------------------------------------------------------------
# The body's frame: landmark levels and the fields openings are cut along
# --------------------------------------------------------------------------------------------


def _periodic(angles_deg: Sequence[float], values: Sequence[float]) -> _FloatFn:
    """A smooth periodic function of an angle (radians) through control values at angles in
    degrees (the first repeated at +360 to close it)."""
    a = np.radians([*angles_deg, angles_deg[0] + 360.0])
    spline = CubicSpline(a, [*values, values[0]], bc_type="periodic")
    return lambda t: spline(np.mod(t - a[0], 2.0 * np.pi) + a[0])


class _Frame:
    """Levels and points of one rest body a base layer is cut by (metres)."""

    def __init__(self, body: Body) -> None:
        v = np.asarray(body.vertices)
        lm = Landmarks(v, np.asarray(body.skeleton.heads), np.asarray(body.faces),
                       body.skeleton.names, reference_anchors())
        self.v = v
        self.scale = body.height_m / 1.7
        self.crotch = lm.crotch_z
        self.hip = lm.hip[1]
        self.waist = lm.waist[1]
        self.under_bust = lm.under_bust[1]
        self.armpit = lm.armpit_z
        self.bust_point = lm.bust_point.points(lm.x)[0]
        self.hps = lm.hps.points[0]
        self.neck_y = float(lm.neck[0].points[:, 1].mean())
        self.acromion = v[lm.acromia[0]]
        trunk = body.part_mask("torso", "hips")
        self.torso_y = float(v[trunk, 1].mean())
        # Each leg's middle a little below the crotch: the centre of the angle round the leg.
        self.leg_centre: dict[int, FloatArray] = {}
        for side, part in ((1, "thigh_left"), (-1, "thigh_right")):
            z = v[:, 2]
            ring = body.part_mask(part) & (np.abs(z - (self.crotch - 0.05 * self.scale)) < 0.01)
            self.leg_centre[side] = v[ring, :2].mean(axis=0)
        self.torso_half_width = float(np.abs(v[trunk & (np.abs(v[:, 2] - self.armpit + 0.04)
                                                        < 0.01), 0]).max())

    # --- coordinates ---------------------------------------------------------------------
    def theta(self, p: FloatArray) -> FloatArray:
        """Angle round the torso: 0 at the front, +π/2 on the clone's left, ±π at the back."""
        return np.arctan2(p[:, 0], -(p[:, 1] - self.torso_y))

    def phi(self, p: FloatArray, side: int) -> FloatArray:
        """Angle round a leg (side +1 left, −1 right), mirrored: 0 outside, π/2 front, π
        inside, −π/2 behind."""
        c = self.leg_centre[side]
        return np.arctan2(-(p[:, 1] - c[1]), side * (p[:, 0] - c[0]))

    # --- fields: positive on the garment's side of a cut -----------------------------------
    def side_seams(self) -> _Seam:
        """Seams down both sides (metres round the torso from the side line)."""
        def field(p: FloatArray) -> FloatArray:
            radius = np.hypot(p[:, 0], p[:, 1] - self.torso_y)
            return (np.abs(self.theta(p)) - 0.5 * np.pi) * radius

        return field, _everywhere

    def below(self, heights: tuple[float, float, float]) -> _FloatFn:
        """Below a line round the torso at these heights at the front, side and back."""
        front, side, back = heights
        z_of = _periodic([0.0, 90.0, 180.0, 270.0], [front, side, back, side])
        return lambda p: z_of(self.theta(p)) - p[:, 2]

    def above(self, heights: tuple[float, float, float]) -> _FloatFn:
        """Above a line round the torso at these heights at the front, side and back."""
        lower = self.below(heights)
        return lambda p: -lower(p)

    def leg_opening(self, heights: Sequence[float]) -> _FloatFn:
        """Above a line round each leg at the given heights outside, front-outside, front,
        inside, back and back-outside (mirrored on the right leg)."""
        z_of = _periodic([0.0, 45.0, 100.0, 180.0, 260.0, 315.0], heights)

        def field(p: FloatArray) -> FloatArray:
            sides = [p[:, 2] - z_of(self.phi(p, s)) for s in (1, -1)]
            # Each leg's line cuts its own side only; on the other side, a ramp away from the
            # midline keeps the field continuous there.
            ramp = 5.0 * np.abs(p[:, 0])
            return np.minimum(np.where(p[:, 0] > 0, sides[0], sides[0] + ramp),
                              np.where(p[:, 0] < 0, sides[1], sides[1] + ramp))

        return field

    def armholes(self, depth: float, strap_x: float) -> _FloatFn:
        """Inside a tank's armholes: round under each arm `depth` below the armpit and over
        the shoulder at `strap_x` from the midline."""
        z_lo, z_hi = self.armpit - depth, self.acromion[2]
        x_far = self.torso_half_width + 0.005 * self.scale

        def field(p: FloatArray) -> FloatArray:
            # From the side wall under the arm, curving in fast to run up the front and
            # back of the arm's root to the shoulder strap.
            u = np.clip((p[:, 2] - z_lo) / (z_hi - z_lo), 0.0, 1.0)
            edge = strap_x + (x_far - strap_x) * (1.0 - u) ** 3
            edge = edge + 3.0 * np.maximum(z_lo - p[:, 2], 0.0)
            return edge - np.abs(p[:, 0])

        return field

    def neckline(self, front_depth: float, back_depth: float, half_width: float) -> _FloatFn:
        """Below a scoop neckline `front_depth` / `back_depth` below the shoulder line at the
        middle, reaching the shoulder `half_width` from the midline."""
        shoulder = self.hps[2] - 0.01 * self.scale

        def field(p: FloatArray) -> FloatArray:
            front = 1.0 / (1.0 + np.exp((p[:, 1] - self.neck_y) / 0.02))
            depth = front * front_depth + (1.0 - front) * back_depth
            u = np.clip(np.abs(p[:, 0]) / half_width, 0.0, 1.0)
            z_edge = shoulder - depth * (1.0 - u ** 2.2)
            return np.maximum(z_edge - p[:, 2], np.abs(p[:, 0]) - half_width)

        return field

    def cups(self, gore: float, strap: tuple[float, float], side: tuple[float, float],
             low: float, curve: float) -> tuple[_FloatFn, _FloatFn]:
        """Inside both bra cups, and the underwire's field (the cups' lower edge) alone.

        A cup's neckline runs from the centre front `gore` over the under-bust fold up to the
        strap's foot `strap` (x from the midline, height over the bust point), its outer edge
        from there down to `side` (x, height over the fold); its lower edge is a half ellipse
        round the bust point, `low` below it, from the midline to the side. `curve` bends the
        neckline (1: straight; under 1 it rises fast from the middle, covering the breast)."""
        bx, _, bz = self.bust_point
        z_gore, x_strap, z_strap = self.under_bust + gore, strap[0], bz + strap[1]
        x_side, z_side = side[0], self.under_bust + side[1]

        def top(x: FloatArray) -> FloatArray:
            u = np.clip(x / x_strap, 0.0, None)
            rising = z_gore + (z_strap - z_gore) * np.minimum(u, 1.0) ** curve
            w = np.clip((x - x_strap) / (x_side - x_strap), 0.0, None)
            falling = z_strap - (z_strap - z_side) * np.minimum(w, 1.0) ** 1.5
            return np.where(x <= x_strap, rising,
                            falling - 4.0 * np.maximum(x - x_side, 0.0))

        def wire(p: FloatArray) -> FloatArray:
            x = np.abs(p[:, 0])
            dx, dz = x - bx, np.minimum(p[:, 2] - bz, 0.0)
            rx = np.where(dx < 0, bx + 0.004 * self.scale, x_side - bx)
            e = np.sqrt((dx / rx) ** 2 + (dz / low) ** 2)
            return (1.0 - e) * min(bx, low)

        def field(p: FloatArray) -> FloatArray:
            behind = p[:, 1] - (self.torso_y + 0.02)
            return np.minimum(np.minimum(wire(p), top(np.abs(p[:, 0])) - p[:, 2]),
                              -4.0 * behind)

        return field, wire


def _union(*fields: _FloatFn) -> _FloatFn:
    return lambda p: np.max([f(p) for f in fields], axis=0)


def _meet(*fields: _FloatFn) -> _FloatFn:
    return lambda p: np.min([f(p) for f in fields], axis=0)


# --------------------------------------------------------------------------------------------
# Cutting: a lattice on the body's faces, split along a field's zero level
# --------------------------------------------------------------------------------------------


@dataclass
class _Cut:
    """A mesh being cut from the body: each point a body face and barycentric weights in it;
    each triangle the body face it lies in and its corners' weights in that face."""

    face: IntArray  # (P,) body face of each point
    bary: FloatArray  # (P, 3)
    pos: FloatArray  # (P, 3) rest positions
    tris: IntArray  # (T, 3) point indices
    tri_face: IntArray  # (T,)
    tri_bary: FloatArray  # (T, 3, 3) corner weights in tri_face


def _lattice(v: FloatArray, faces: IntArray, chosen: IntArray, n: int) -> _Cut:
    """The chosen body faces each split into n² sub-triangles, points shared between faces
    merged exactly (a point's identity is its integer lattice weights on body vertices)."""
    ij = np.array([(i, j) for i in range(n + 1) for j in range(n + 1 - i)])
    counts = np.stack([n - ij[:, 0] - ij[:, 1], ij[:, 0], ij[:, 1]], axis=1)  # (L, 3)
    local = {tuple(x): k for k, x in enumerate(ij)}
    up = [(local[i, j], local[i + 1, j], local[i, j + 1])
          for i in range(n) for j in range(n - i)]
    down = [(local[i + 1, j], local[i + 1, j + 1], local[i, j + 1])
            for i in range(n) for j in range(n - 1 - i)]
    sub = np.array(up + down)  # (n², 3) local point indices
    fv = faces[chosen]  # (C, 3)
    # Key: the three (vertex, count) codes sorted, a zero count coded −1.
    codes = np.where(counts[None] > 0, fv[:, None, :] * (n + 1) + counts[None], -1)
    keys = np.sort(codes.reshape(-1, 3), axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    bary_all = np.broadcast_to(counts / n, (len(chosen), len(ij), 3)).reshape(-1, 3)
    face_all = np.repeat(chosen, len(ij))
    tris = inverse.reshape(len(chosen), len(ij))[:, sub].reshape(-1, 3)
    tri_face = np.repeat(chosen, len(sub))
    tri_bary = np.broadcast_to((counts / n)[sub], (len(chosen), len(sub), 3, 3)).reshape(-1, 3, 3)
    face, bary = face_all[first], bary_all[first]
    pos = np.einsum("pk,pkd->pd", bary, v[faces[face]])
    return _Cut(face, bary.copy(), pos, tris, tri_face, tri_bary.copy())


def _split(cut: _Cut, value: FloatArray, faces: IntArray, v: FloatArray
           ) -> tuple[_Cut, NDArray[np.bool_]]:
    """`cut` split along the zero level of `value` (one per point): every triangle then lies
    on one side; returns the new cut and which triangles are on the positive side."""
    t = cut.tris
    pos_side = value[t] >= 0.0
    npos = pos_side.sum(axis=1)
    whole = (npos == 0) | (npos == 3)
    cross = np.flatnonzero(~whole)
    # The odd corner out first (the one on its own side), keeping the triangle's turn.
    odd = np.where((npos[cross] == 1)[:, None], pos_side[cross], ~pos_side[cross]).argmax(axis=1)
    roll = (odd[:, None] + np.arange(3)[None]) % 3
    c = np.take_along_axis(t[cross], roll, axis=1)
    cb = np.take_along_axis(cut.tri_bary[cross], roll[:, :, None], axis=1)
    f = value[c]
    # Cut points on the sides from the odd corner; one that falls within 3 % of a corner is
    # that corner (no slivers). Keyed by the side's two points, so neighbours share it.
    new_keys, new_t, new_b = [], [], []
    for k in (1, 2):
        tt = f[:, 0] / (f[:, 0] - f[:, k])
        tt = np.where(tt < 0.03, 0.0, np.where(tt > 0.97, 1.0, tt))
        a, b = c[:, 0], c[:, k]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        # The key's parameter runs from its lower-numbered point.
        tk = np.where(a == lo, tt, 1.0 - tt)
        new_keys.append(np.stack([lo, hi], axis=1))
        new_t.append(tk)
        new_b.append((1.0 - tt)[:, None] * cb[:, 0] + tt[:, None] * cb[:, k])
    keys = np.concatenate(new_keys)
    tk = np.concatenate(new_t)
    bk = np.concatenate(new_b)
    fk = np.tile(cut.tri_face[cross], 2)
    snapped = np.where(tk == 0.0, keys[:, 0], np.where(tk == 1.0, keys[:, 1], -1))
    fresh = snapped < 0
    _, first, inv = np.unique(keys[fresh], axis=0, return_index=True, return_inverse=True)
    ids = snapped.copy()
    ids[fresh] = len(cut.face) + inv.ravel()
    src = np.flatnonzero(fresh)[first]
    new_face, new_bary = fk[src], bk[src]
    new_pos = np.einsum("pk,pkd->pd", new_bary, v[faces[new_face]])
    m = len(cross)
    p1, p2 = ids[:m], ids[m:]
    b1, b2 = bk[:m], bk[m:]
    tri_a = np.stack([c[:, 0], p1, p2], axis=1)
    tri_b = np.stack([p1, c[:, 1], c[:, 2]], axis=1)
    tri_c = np.stack([p1, c[:, 2], p2], axis=1)
    bar_a = np.stack([cb[:, 0], b1, b2], axis=1)
    bar_b = np.stack([b1, cb[:, 1], cb[:, 2]], axis=1)
    bar_c = np.stack([b1, cb[:, 2], b2], axis=1)
    odd_pos = pos_side[cross, odd]
    tris = np.concatenate([t[whole], tri_a, tri_b, tri_c])
    tri_face = np.concatenate([cut.tri_face[whole], *[cut.tri_face[cross]] * 3])
    tri_bary = np.concatenate([cut.tri_bary[whole], bar_a, bar_b, bar_c])
    side = np.concatenate([npos[whole] == 3, odd_pos, ~odd_pos, ~odd_pos])
    keep = (tris[:, 0] != tris[:, 1]) & (tris[:, 1] != tris[:, 2]) & (tris[:, 0] != tris[:, 2])
    out = _Cut(np.concatenate([cut.face, new_face]), np.concatenate([cut.bary, new_bary]),
               np.concatenate([cut.pos, new_pos]), tris[keep], tri_face[keep], tri_bary[keep])
    return out, side[keep]


def _cut_region(body: Body, field: _FloatFn, parts: Sequence[str],
                seams: Sequence[_Seam] = ()) -> _Cut:
    """The part of the body's surface where `field` ≥ 0 (on the given body parts), cut on
    the lattice, split also along each seam and either side of it (rows of vertices for
    its ridge)."""
    v, faces = np.asarray(body.vertices), np.asarray(body.faces)
    allowed = body.part_mask(*parts)
    fv = field(v)
    # Faces with a corner near the region: the lattice's field decides within them.
    chosen = np.flatnonzero(allowed[faces].all(axis=1) & (fv[faces].max(axis=1) > -0.03))
    cut = _lattice(v, faces, chosen, LATTICE)
    cut, inside = _split(cut, field(cut.pos), faces, v)
    cut = _Cut(cut.face, cut.bary, cut.pos, cut.tris[inside], cut.tri_face[inside],
               cut.tri_bary[inside])
    for seam, _ in seams:
        for level in (-SEAM_HALF_WIDTH_M, 0.0, SEAM_HALF_WIDTH_M):
            cut, _ = _split(cut, seam(cut.pos) - level, faces, v)
    return _compact(cut)


def _compact(cut: _Cut) -> _Cut:
    """Only the points a triangle uses, renumbered."""
    used = np.unique(cut.tris)
    new = np.full(len(cut.face), -1)
    new[used] = np.arange(len(used))
    return _Cut(cut.face[used], cut.bary[used], cut.pos[used], new[cut.tris], cut.tri_face,
                cut.tri_bary)


def _largest_pieces(cut: _Cut, min_share: float = 0.02) -> _Cut:
    """`cut` without crumbs: connected pieces under `min_share` of its triangles (a field's
    stray islands, e.g. on a hand the lattice just touched)."""
    t = cut.tris
    n = len(cut.face)
    adj = sp.coo_matrix((np.ones(t.size), (t.ravel(), np.roll(t, 1, axis=1).ravel())),
                        shape=(n, n))
    _, label = sp.csgraph.connected_components(adj, directed=False)
    tri_label = label[t[:, 0]]
    sizes = np.bincount(tri_label)
    keep = sizes[tri_label] >= min_share * len(t)
    return _compact(_Cut(cut.face, cut.bary, cut.pos, t[keep], cut.tri_face[keep],
                         cut.tri_bary[keep]))


# --------------------------------------------------------------------------------------------
# Openings: boundary loops of a cut, resampled evenly as surface points
# --------------------------------------------------------------------------------------------


def _boundary_loops(cut: _Cut) -> list[tuple[IntArray, FloatArray]]:
    """Each opening of `cut` as a closed loop of surface points `RING_SPACING_M` apart: (body
    faces, weights) of each."""
    t = cut.tris
    sides = np.concatenate([t[:, [0, 1]], t[:, [1, 2]], t[:, [2, 0]]])
    owner = np.tile(np.arange(len(t)), 3)
    corner = np.repeat(np.arange(3), len(t))
    keys = np.sort(sides, axis=1)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    single = counts[inverse.ravel()] == 1
    start, end = sides[single, 0], sides[single, 1]
    tri, k = owner[single], corner[single]
    nxt = dict(zip(start.tolist(), range(len(start)), strict=False))
    seen = np.zeros(len(start), dtype=bool)
    loops = []
    for s0 in range(len(start)):
        if seen[s0]:
            continue
        chain, s = [], s0
        while not seen[s]:
            seen[s] = True
            chain.append(s)
            s = nxt.get(int(end[s]), s0)
        chain_a = np.array(chain)
        # Each side's ends in the weights of the body face its triangle lies in.
        fa = cut.tri_face[tri[chain_a]]
        ba = cut.tri_bary[tri[chain_a], k[chain_a]]
        bb = cut.tri_bary[tri[chain_a], (k[chain_a] + 1) % 3]
        pa = cut.pos[start[chain_a]]
        pb = cut.pos[end[chain_a]]
        seg = np.linalg.norm(pb - pa, axis=1)
        total = seg.sum()
        if total < 0.03:  # a crumb of a cut, not an opening
            continue
        count = max(round(total / RING_SPACING_M), 8)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        at = np.linspace(0.0, total, count, endpoint=False)
        i = np.clip(np.searchsorted(cum, at, side="right") - 1, 0, len(seg) - 1)
        w = np.clip((at - cum[i]) / np.maximum(seg[i], 1e-12), 0.0, 1.0)
        loops.append((fa[i], (1.0 - w)[:, None] * ba[i] + w[:, None] * bb[i]))
    return loops


def _polyline(body: Body, points: FloatArray, spacing: float = RING_SPACING_M
              ) -> tuple[IntArray, FloatArray]:
    """An open line through `points` (a smooth curve through them), laid on the body's
    surface: surface points (body faces, weights) `spacing` apart."""
    from dressform.geometry.distance import SurfaceQuery  # warp: only once a layer is cut

    v, faces = np.asarray(body.vertices), np.asarray(body.faces)
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    curve = CubicSpline(s, points, bc_type="natural")
    query = SurfaceQuery(v, faces)
    dense = curve(np.linspace(0.0, s[-1], max(int(s[-1] / 0.002), 8)))
    for _ in range(3):  # a chord under the skin, pulled to it and smoothed again
        _, _, near = query.nearest(dense, 0.2)
        dense = near
        dense[1:-1] = 0.5 * dense[1:-1] + 0.25 * (dense[:-2] + dense[2:])
    seg = np.linalg.norm(np.diff(dense, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    at = np.linspace(0.0, cum[-1], max(round(cum[-1] / spacing), 2) + 1)
    pts = np.stack([np.interp(at, cum, dense[:, d]) for d in range(3)], axis=1)
    face, bary, _ = query.nearest(pts, 0.2)
    return face.astype(np.int64), np.clip(bary, 0.0, 1.0) / np.clip(bary, 0.0, 1.0).sum(
        axis=1, keepdims=True)


def _surface_point(v: FloatArray, x: float, z: float, front: bool, mask: NDArray[np.bool_]
                   ) -> FloatArray:
    """The body's surface point seen at (x, z) from the front (or the back)."""
    near = np.flatnonzero(mask & (np.abs(v[:, 0] - x) < 0.012) & (np.abs(v[:, 2] - z) < 0.012))
    y = v[near, 1]
    return v[near[np.argmin(y) if front else np.argmax(y)]]


# --------------------------------------------------------------------------------------------
# Building a layer
# --------------------------------------------------------------------------------------------

_TRUNK = ("torso", "hips", "thigh_left", "thigh_right")
_UPPER = ("torso", "hips", "neck", "upper_arm_left", "upper_arm_right")
#: A seam: a field whose zero level it follows (metres), and where along it the ridge shows.
_Seam = tuple[_FloatFn, _FloatFn]


def _everywhere(p: FloatArray) -> FloatArray:
    return np.ones(len(p))


@dataclass
class _Piece:
    """A piece while the layer is built: a fabric cut with its seams, or a strap line."""

    name: str
    cut: _Cut | None = None
    seams: tuple[_Seam, ...] = ()
    tucked: bool = False  # its lowest opening is tucked in: no elastic there
    fill: bool = True  # bridges the skin's hollows (the crotch, between the buttocks)
    offset: float = FABRIC_OFFSET_M
    strap: tuple[IntArray, FloatArray] | None = None


def _briefs(fr: _Frame, kind: str) -> tuple[_FloatFn, tuple[_Seam, ...]]:
    """Briefs, trunks, shorts or a bodysuit's lower edge: under a waistline, above the leg
    openings; side seams."""
    s, cz, hip, waist = fr.scale, fr.crotch, fr.hip, fr.waist
    hw = waist - hip
    top = fr.below((hip + 0.45 * hw, hip + 0.55 * hw, hip + 0.6 * hw))
    if kind == "briefs":
        legs = fr.leg_opening([hip + 0.1 * hw, cz + 0.6 * (hip - cz) + 0.02 * s,
                               cz + 0.03 * s, cz - 0.025 * s, cz - 0.02 * s,
                               cz + 0.35 * (hip - cz)])
    elif kind == "trunks":
        top = fr.below((hip + 0.5 * hw, hip + 0.6 * hw, hip + 0.65 * hw))
        legs = fr.leg_opening([cz - 0.05 * s, cz - 0.05 * s, cz - 0.045 * s,
                               cz - 0.035 * s, cz - 0.045 * s, cz - 0.05 * s])
    else:  # shorts
        top = fr.below((hip + 0.55 * hw, hip + 0.65 * hw, hip + 0.7 * hw))
        legs = fr.leg_opening([cz - 0.09 * s, cz - 0.09 * s, cz - 0.085 * s,
                               cz - 0.075 * s, cz - 0.085 * s, cz - 0.09 * s])
    return _meet(top, legs), (fr.side_seams(),)


def _bra(fr: _Frame, body: Body, soft: bool
         ) -> tuple[_FloatFn, list[tuple[IntArray, FloatArray]], _FloatFn]:
    """A bra (or a softer bralette): cups round the bust points over a band under the bust,
    and the straps' lines over the shoulders."""
    s, ub = fr.scale, fr.under_bust
    bx, _, bz = fr.bust_point
    drop = max(bz - ub, 0.04 * s)
    if soft:  # a triangle on each breast, over a narrow band
        cups, wire = fr.cups(gore=0.008 * s, strap=(0.9 * bx, drop), low=drop + 0.012 * s,
                             side=(2.05 * bx, 0.02 * s), curve=0.55)
        band = _meet(fr.above((ub - 0.025 * s, ub - 0.02 * s, ub - 0.015 * s)),
                     fr.below((ub + 0.0, ub + 0.01 * s, ub + 0.01 * s)))
    else:
        cups, wire = fr.cups(gore=0.035 * s, strap=(bx + 0.005 * s, 0.7 * drop),
                             low=drop + 0.006 * s, side=(1.95 * bx, 0.045 * s), curve=0.45)
        band = _meet(fr.above((ub - 0.03 * s, ub - 0.025 * s, ub - 0.012 * s)),
                     fr.below((ub + 0.005 * s, ub + 0.045 * s, ub + 0.025 * s)))
    field = _union(cups, band)
    v = fr.v
    torso = body.part_mask("torso", "neck")
    straps = []
    strap_top = drop * (1.0 if soft else 0.7)
    for side in (1, -1):
        x_front = side * (0.9 * bx if soft else bx + 0.005 * s)
        x_top = side * (fr.hps[0] + 0.45 * (fr.acromion[0] - fr.hps[0]))
        z_top = float(v[torso & (np.abs(v[:, 0] - x_top) < 0.01), 2].max())
        z_back = ub + 0.02 * s
        pts = np.array([
            _surface_point(v, x_front, bz + strap_top - 0.01 * s, True, torso),
            _surface_point(v, 0.5 * (x_front + x_top), 0.5 * (bz + strap_top + z_top) + 0.03 * s,
                           True, torso),
            _surface_point(v, x_top, z_top - 0.02, True, torso) * [1, 0, 1]
            + [0, fr.neck_y, 0],
            _surface_point(v, x_top * 0.95, 0.5 * (z_top + z_back) + 0.04 * s, False, torso),
            _surface_point(v, side * 0.9 * bx, z_back, False, torso),
        ])
        pts[2, 2] = z_top + 0.01
        straps.append(_polyline(body, pts))
    return field, straps, wire


def _tank(fr: _Frame, hem: float, neck: tuple[float, float]) -> _FloatFn:
    """A vest (tank) top down to `hem`: scoop neckline, armholes a little under the arm."""
    s = fr.scale
    strap_in = fr.hps[0] + 0.012 * s
    strap_out = fr.hps[0] + 0.4 * (fr.acromion[0] - fr.hps[0])
    return _meet(fr.neckline(neck[0], neck[1], strap_in),
                 fr.armholes(0.035 * s, strap_out),
                 fr.above((hem, hem, hem)))


def base_layer(rest: Body, style: str = "auto") -> BaseLayer:
    """The base layer `style` (one of `BASE_STYLES`, or "auto": :func:`default_base` of the
    body's spec) cut from `rest`, a body at its rest pose.

    Raises:
        UnknownNameError: the style is not known (with a suggestion).
    """
    style = default_base(rest.spec) if style == "auto" else _check_style(style)
    fr = _Frame(rest)
    s = fr.scale
    pieces: list[_Piece] = []
    centre_back = (lambda p: p[:, 0],
                   lambda p: (p[:, 1] > fr.torso_y + 0.03).astype(float))
    lower_kind = {"briefs-bra": "briefs", "briefs-bralette": "briefs", "briefs": "briefs",
                  "trunks": "trunks", "vest-shorts": "shorts", "bodysuit": "briefs"}[style]
    lower, seams = _briefs(fr, lower_kind)
    if style == "bodysuit":
        top = _tank(fr, 0.0, (0.10 * s, 0.03 * s))
        legs = fr.leg_opening(_bodysuit_legs(fr))
        suit = _meet(top, legs)
        seams = (centre_back, fr.side_seams())
        pieces.append(_Piece("bodysuit", _cut_region(rest, suit, _UPPER + _TRUNK[2:], seams),
                             seams))
    else:
        name = {"briefs": "briefs", "trunks": "trunks", "shorts": "shorts"}[lower_kind]
        pieces.append(_Piece(name, _cut_region(rest, lower, _TRUNK, seams), seams,
                             offset=FABRIC_OFFSET_M + (0.0003 if style == "vest-shorts" else 0)))
    if style in ("briefs-bra", "briefs-bralette"):
        field, straps, wire = _bra(fr, rest, soft=style == "briefs-bralette")
        seams = ((wire, _everywhere),)
        pieces.append(_Piece("bra", _cut_region(rest, field, ("torso", "neck", "hips"), seams),
                             seams))
        for side, strap in zip(("left", "right"), straps, strict=True):
            pieces.append(_Piece(f"bra:strap-{side}", strap=strap))
    if style == "vest-shorts":
        # The vest tucked into the shorts: its hem well under their waistband, its fabric
        # nearer the skin so the two never touch; a tucked hem needs no elastic.
        hem = fr.hip + 0.25 * (fr.waist - fr.hip)
        vest = _tank(fr, hem, (0.07 * s, 0.025 * s))
        pieces.append(_Piece("vest", _cut_region(rest, vest, _UPPER, (centre_back,)),
                             (centre_back,), tucked=True, fill=False,
                             offset=FABRIC_OFFSET_M - 0.0003))
    return _assemble(rest, style, pieces, fr)


def _bodysuit_legs(fr: _Frame) -> list[float]:
    """A bodysuit's leg openings: high-cut briefs."""
    s, cz, hip = fr.scale, fr.crotch, fr.hip
    return [hip + 0.03 * s, cz + 0.6 * (hip - cz) + 0.03 * s, cz + 0.03 * s,
            cz - 0.012 * s, cz - 0.02 * s, cz + 0.35 * (hip - cz)]


def _assemble(rest: Body, style: str, pieces: list[_Piece], fr: _Frame) -> BaseLayer:
    """The layer's records: all surface points in one table, each piece naming its rows."""
    v, faces = np.asarray(rest.vertices), np.asarray(rest.faces)
    face_rows: list[IntArray] = []
    bary_rows: list[FloatArray] = []
    panels: list[_Panel] = []
    sweeps: list[_Sweep] = []
    count = 0

    def add(face: IntArray, bary: FloatArray) -> tuple[int, int]:
        nonlocal count
        face_rows.append(face)
        bary_rows.append(bary)
        count += len(face)
        return count - len(face), count

    from dressform.geometry.distance import BodyDistance, SurfaceQuery  # warp: when cut

    query = SurfaceQuery(v, faces)
    distance = BodyDistance(v, faces)
    smoother = _smoother(faces, len(v))
    normals = _smooth_normals(v, faces, smoother)

    def add_sweep(name: str, line: tuple[IntArray, FloatArray], closed: bool, width: float
                  ) -> None:
        n = len(line[0])
        a, b = add(*line)
        for edge in _edges(line, v, faces, normals, query, closed, width):
            add(*edge)
        sweeps.append(_Sweep(name, a, b, closed, width, _tube_faces(n, closed)))

    for piece in pieces:
        if piece.strap is not None:
            add_sweep(piece.name, piece.strap, False, STRAP_WIDTH_M)
            continue
        cut = _largest_pieces(piece.cut, 0.1)
        offset = np.full(len(cut.face), piece.offset)
        for seam, where in piece.seams:
            g = np.abs(seam(cut.pos))
            offset += (SEAM_HEIGHT_M * where(cut.pos)
                       * np.clip(1.0 - g / (1.01 * SEAM_HALF_WIDTH_M), 0.0, 1.0))
        offset = _clear_of_skin(cut, offset, v, faces, normals, distance)
        faces_out, face_ids, bary, offset, uv = _with_uv_seam(cut, offset, fr)
        a, b = add(face_ids, bary)
        panels.append(_Panel(piece.name, a, b, faces_out, offset, uv,
                             _bridge(cut.pos[_source(faces_out, cut)]) if piece.fill else None))
        loops = _boundary_loops(cut)
        if piece.tucked:  # the lowest opening, tucked in, has no elastic
            low = min(range(len(loops)), key=lambda i: _loop_height(cut, rest, loops[i]))
            loops = [loop for i, loop in enumerate(loops) if i != low]
        for i, loop in enumerate(loops):
            add_sweep(f"{piece.name}:band{i}", loop, True, BAND_WIDTH_M)
    face_all = np.concatenate(face_rows)
    corners = faces[face_all]
    weights = np.concatenate(bary_rows)
    return BaseLayer(style, len(v), corners, weights, tuple(panels), tuple(sweeps), smoother)


def _clear_of_skin(cut: _Cut, offset: FloatArray, v: FloatArray, faces: IntArray,
                   normals: FloatArray, distance: BodyDistance) -> FloatArray:
    """Offsets raised where, at rest, the skin folds so sharply (the creases of the groin)
    that the offset point comes nearer another part of the skin than its own offset: moved
    out until it is that far off all skin, by at most `FOLD_LIFT_M`."""
    p0, n0 = _at((cut.face, cut.bary), v, faces, normals)
    want = offset.copy()
    for _ in range(4):
        short = want - distance(p0 + n0 * offset[:, None])
        offset = np.minimum(offset + np.maximum(short, 0.0), want + FOLD_LIFT_M)
    return offset


def _edges(line: tuple[IntArray, FloatArray], v: FloatArray, faces: IntArray,
           normals: FloatArray, query: SurfaceQuery, closed: bool, width: float
           ) -> list[tuple[IntArray, FloatArray]]:
    """The two edges of a band along `line` on the rest body: the surface points nearest
    to half its width either side of it on the skin's tangent plane."""
    c, n = _at(line, v, faces, normals)
    across = _across(c, n, closed)
    out = []
    for sign in (-1.0, 1.0):
        face, bary, _ = query.nearest(c + sign * 0.5 * width * across, 0.05)
        face = np.where(face < 0, line[0], face)
        bary = np.where((face < 0)[:, None], line[1], np.clip(bary, 0.0, 1.0))
        out.append((face.astype(np.int64), bary / bary.sum(axis=1, keepdims=True)))
    return out


def _at(line: tuple[IntArray, FloatArray], v: FloatArray, faces: IntArray,
        normals: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Positions and unit normals of surface points (body faces, weights)."""
    corners = faces[line[0]]
    p = np.einsum("pk,pkd->pd", line[1], v[corners])
    n = np.einsum("pk,pkd->pd", line[1], normals[corners])
    return p, n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


def _across(centre: FloatArray, normal: FloatArray, closed: bool) -> FloatArray:
    """Unit directions across a line of points on the skin: square to the line, in the
    skin's tangent plane."""
    if closed:
        tangent = np.roll(centre, -1, axis=0) - np.roll(centre, 1, axis=0)
    else:
        tangent = np.gradient(centre, axis=0)
    across = np.cross(tangent, normal)
    return across / np.maximum(np.linalg.norm(across, axis=1, keepdims=True), 1e-12)


def _smooth_normals(v: FloatArray, faces: IntArray, smoother: sp.csr_matrix) -> FloatArray:
    """Vertex normals averaged over two rings of neighbours: smooth enough to offset along
    without creasing over the mesh's facets."""
    normals = vertex_normals(v, faces)
    for _ in range(2):
        normals = smoother @ normals
    return normals / np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)


def _loop_height(cut: _Cut, rest: Body, loop: tuple[IntArray, FloatArray]) -> float:
    """The mean height of a loop of surface points on the rest body."""
    corners = np.asarray(rest.faces)[loop[0]]
    return float(np.einsum("pk,pk->p", loop[1], np.asarray(rest.vertices)[corners, 2]).mean())


def _with_uv_seam(cut: _Cut, offset: FloatArray, fr: _Frame
                  ) -> tuple[IntArray, IntArray, FloatArray, FloatArray, FloatArray]:
    """Faces, surface points, offsets and UVs (metres: arc length round the torso, height)
    of a cut; points of triangles that straddle the centre back, where the angle jumps, are
    doubled so that the UVs do not wrap."""
    theta = fr.theta(cut.pos)
    radius = np.hypot(cut.pos[:, 0], cut.pos[:, 1] - fr.torso_y)
    t = cut.tris
    wraps = np.ptp(theta[t], axis=1) > np.pi
    neg = wraps[:, None] & (theta[t] < 0)
    dup = np.unique(t[neg])
    new_id = np.full(len(cut.face), -1)
    new_id[dup] = len(cut.face) + np.arange(len(dup))
    t = np.where(neg, new_id[t], t)
    theta = np.concatenate([theta, theta[dup] + 2.0 * np.pi])
    radius = np.concatenate([radius, radius[dup]])
    z = np.concatenate([cut.pos[:, 2], cut.pos[dup, 2]])
    uv = np.stack([theta * np.clip(radius, 0.05, 0.25), z], axis=1)
    return (t, np.concatenate([cut.face, cut.face[dup]]), np.concatenate([cut.bary,
            cut.bary[dup]]), np.concatenate([offset, offset[dup]]), uv)


def _tube_faces(n: int, closed: bool) -> IntArray:
    """Faces of a tube of `n` rings of `RING_POINTS` (ring i's point k is i·K + k), joined
    round a loop or capped at both ends (caps' centres are the last two vertices)."""
    k = RING_POINTS
    rings = n if closed else n - 1
    i = np.arange(rings)[:, None]
    j = np.arange(k)[None, :]
    a = i * k + j
    b = i * k + (j + 1) % k
    c = ((i + 1) % n) * k + (j + 1) % k
    d = ((i + 1) % n) * k + j
    quads = np.stack([np.stack([a, b, c], -1), np.stack([a, c, d], -1)], axis=2).reshape(-1, 3)
    if closed:
        return quads
    first, last = n * k, n * k + 1
    jj = np.arange(k)
    cap0 = np.stack([np.full(k, first), (jj + 1) % k, jj], axis=1)
    cap1 = np.stack([np.full(k, last), (n - 1) * k + jj, (n - 1) * k + (jj + 1) % k], axis=1)
    return np.concatenate([quads, cap0, cap1])


def _bridge(points: FloatArray) -> sp.csr_matrix:
    """Averaging of each point with those within `BRIDGE_RADIUS_M` of it (Gaussian
    weights, rows summing to 1): how far a knit spans the skin's hollows."""
    tree = cKDTree(points)
    d = tree.sparse_distance_matrix(tree, BRIDGE_RADIUS_M, output_type="coo_matrix")
    w = np.exp(-((d.data / (0.5 * BRIDGE_RADIUS_M)) ** 2))
    n = len(points)
    m = sp.csr_matrix((np.concatenate([w, np.ones(n)]),
                       (np.concatenate([d.row, np.arange(n)]),
                        np.concatenate([d.col, np.arange(n)]))), shape=(n, n))
    return sp.csr_matrix(m.multiply(1.0 / m.sum(axis=1)))


def _source(faces_out: IntArray, cut: _Cut) -> IntArray:
    """For each vertex of a panel (its centre-back doubles last), the cut point it is."""
    n = len(cut.face)
    extra = int(faces_out.max()) + 1 - n
    first = np.full(max(extra, 0), -1)
    doubled = faces_out >= n
    first[faces_out[doubled] - n] = cut.tris[doubled]
    return np.concatenate([np.arange(n), first])


def _smoother(faces: IntArray, n: int) -> sp.csr_matrix:
    """Row-normalised averaging of each vertex with its neighbours (and itself)."""
    e = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    rows = np.concatenate([e[:, 0], e[:, 1], np.arange(n)])
    cols = np.concatenate([e[:, 1], e[:, 0], np.arange(n)])
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    m.data[:] = 1.0  # each neighbour once, however many faces share the side
    return sp.csr_matrix(m.multiply(1.0 / m.sum(axis=1)))


# --------------------------------------------------------------------------------------------
# Placing a layer on a pose
# --------------------------------------------------------------------------------------------


def base_pieces(layer: BaseLayer, posed: Body, *,
                under: Sequence[tuple[np.ndarray, np.ndarray]] = ()) -> list[WearPiece]:
    """The layer's pieces on `posed` (a pose of the body it was cut from): fabric panels and
    elastic bands as `WearPiece`s, in the body's frame. `under`: garment meshes (vertices,
    faces) worn over it in this pose; the layer is pulled in towards the skin (never into
    it) wherever it would come within `CLOTH_CLEARANCE_M` of their cloth or outside it.

    Raises:
        InvalidInputError: `posed` is not of the layer's body topology.
    """
    v = np.asarray(posed.vertices, dtype=np.float64)
    if len(v) != layer.vertex_count:
        raise InvalidInputError(f"the base layer was cut from a body of {layer.vertex_count} "
                                f"vertices; this one has {len(v)}")
    normals = _smooth_normals(v, np.asarray(posed.faces), layer.smoother)
    w = layer.weights
    c = layer.corners
    base = (w[:, 0, None] * v[c[:, 0]] + w[:, 1, None] * v[c[:, 1]]
            + w[:, 2, None] * v[c[:, 2]])
    nrm = (w[:, 0, None] * normals[c[:, 0]] + w[:, 1, None] * normals[c[:, 1]]
           + w[:, 2, None] * normals[c[:, 2]])
    nrm /= np.maximum(np.linalg.norm(nrm, axis=1, keepdims=True), 1e-12)

    # Every vertex of every piece as a point on (or next to) the skin, a normal and an
    # offset along it: one pull towards the skin serves them all.
    bases, dirs, offs, sizes = [], [], [], []
    for panel in layer.panels:
        b, d = base[panel.start:panel.stop], nrm[panel.start:panel.stop]
        bases.append(b)
        dirs.append(d)
        offs.append(_bridged(panel, b, d))
        sizes.append(panel.stop - panel.start)
    for sweep in layer.sweeps:
        n = sweep.stop - sweep.start
        rows = slice(sweep.start, sweep.stop + 2 * n)
        b, d, o = _sweep_points(base[rows].reshape(3, n, 3), nrm[rows].reshape(3, n, 3),
                                sweep.closed)
        bases.append(b)
        dirs.append(d)
        offs.append(o)
        sizes.append(len(b))
    p0, n0, o0 = np.concatenate(bases), np.concatenate(dirs), np.concatenate(offs)
    points = p0 + n0 * o0[:, None]
    if under:
        pulled = _pulled_in(p0, n0, o0, under)
        moved = np.flatnonzero(pulled != o0)
        if len(moved):
            # A band's foot is a curve through points on the skin, not the skin itself:
            # what was pulled in is floored against the skin as measured.
            from dressform.geometry.distance import BodyDistance

            foot = BodyDistance(v, np.asarray(posed.faces))(p0[moved], 0.05)
            pulled[moved] = np.maximum(pulled[moved], SKIN_FLOOR_M - foot)
            points = p0 + n0 * pulled[:, None]

    out: list[WearPiece] = []
    kind = layer.kind
    at = 0
    for panel, size in zip(layer.panels, sizes, strict=False):
        out.append(WearPiece(f"{kind}:{panel.name}", kind, "fabric", points[at:at + size],
                             panel.faces, panel.uv))
        at += size
    for sweep, size in zip(layer.sweeps, sizes[len(layer.panels):], strict=True):
        out.append(WearPiece(f"{kind}:{sweep.name}", kind, "elastic", points[at:at + size],
                             sweep.faces, _sweep_uv(size, sweep)))
        at += size
    return out


def _bridged(panel: _Panel, base: FloatArray, normal: FloatArray) -> FloatArray:
    """A panel's offsets, raised over the skin's hollows (the crotch, the cleft of the
    buttocks) as knit fabric bridges them, up to `BRIDGE_M`: the panel smoothed, and each
    vertex lifted to it where that is outwards (never pulled in below its offset)."""
    if panel.smoother is None:
        return panel.offset
    p = base + normal * panel.offset[:, None]
    lift = np.einsum("ij,ij->i", panel.smoother @ p - p, normal)
    return panel.offset + np.clip(lift, 0.0, BRIDGE_M)


_ANGLES = np.linspace(0.0, 2.0 * np.pi, RING_POINTS, endpoint=False)
#: The rolled band's cross-section: a flattened superellipse (flat faces, round edges).
_ACROSS = np.sign(np.cos(_ANGLES)) * np.abs(np.cos(_ANGLES)) ** 0.6
_UP = np.sign(np.sin(_ANGLES)) * np.abs(np.sin(_ANGLES)) ** 0.6


def _sweep_points(points: FloatArray, normals: FloatArray, closed: bool
                  ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A band's ring vertices from its middle line and two edges on the skin ((3, n, 3)
    points and normals): each vertex a point on the parabola through the three across the
    band (so the band lies on the skin's curve), a normal, and the offset off the skin
    (caps' centres last for an open line)."""
    centre, left, right = points
    n = len(centre)
    a = _ACROSS[None, :, None]

    def across(c: FloatArray, lo: FloatArray, hi: FloatArray) -> FloatArray:
        return (c[:, None] + a * (0.5 * (hi - lo))[:, None]
                + a * a * (0.5 * (hi + lo) - c)[:, None])

    base = across(centre, left, right)
    dirs = across(*normals)
    dirs /= np.maximum(np.linalg.norm(dirs, axis=2, keepdims=True), 1e-12)
    mid, depth = 0.5 * (BAND_INNER_M + BAND_OUTER_M), 0.5 * (BAND_OUTER_M - BAND_INNER_M)
    offset = np.broadcast_to(mid + depth * _UP, (n, RING_POINTS))
    base, dirs, offset = base.reshape(-1, 3), dirs.reshape(-1, 3), offset.reshape(-1)
    if not closed:
        base = np.concatenate([base, centre[[0, -1]]])
        dirs = np.concatenate([dirs, normals[0][[0, -1]]])
        offset = np.concatenate([offset, [mid, mid]])
    return base, dirs, offset


def _sweep_uv(size: int, sweep: _Sweep) -> FloatArray:
    """A band's UVs in metres: along it, and round its cross-section."""
    n = sweep.stop - sweep.start
    along = np.repeat(np.arange(n) * RING_SPACING_M, RING_POINTS)
    round_ = np.tile(np.arange(RING_POINTS) * (sweep.width * 2.2 / RING_POINTS), n)
    uv = np.stack([along, round_], axis=1)
    return np.concatenate([uv, np.zeros((size - len(uv), 2))])


def _pulled_in(base: FloatArray, normal: FloatArray, offset: FloatArray,
               under: Sequence[tuple[np.ndarray, np.ndarray]]) -> FloatArray:
    """Offsets of layer points pulled in so that each lies `CLOTH_CLEARANCE_M` inside the
    garments' cloth (inside: behind the cloth's outward normal).

    The cloth near a point is the planes of its few nearest triangles (by centre); the point
    must be inside all of them, which is exact on a flat stretch and errs inwards at a
    crease. The caller floors the result against the skin."""
    centres, normals = [], []
    for verts, faces in under:
        g = np.asarray(verts, dtype=np.float64)[np.asarray(faces)]
        n = np.cross(g[:, 1] - g[:, 0], g[:, 2] - g[:, 0])
        centres.append(g.mean(axis=1))
        normals.append(n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-20))
    cc, cn = np.concatenate(centres), np.concatenate(normals)
    lo, hi = cc.min(axis=0) - 0.03, cc.max(axis=0) + 0.03
    p = base + normal * offset[:, None]
    near = np.flatnonzero(((p >= lo) & (p <= hi)).all(axis=1))
    if not len(near):
        return offset
    _, idx = cKDTree(cc).query(p[near], k=CLOTH_PLANES, distance_upper_bound=0.03)
    found = idx < len(cc)
    idx = np.where(found, idx, 0)
    # How far inside each plane the point is; planes of no triangle found count as far.
    inside = np.einsum("ikj,ikj->ik", cc[idx] - p[near, None, :], cn[idx])
    inside = np.where(found, inside, np.inf).min(axis=1)
    facing = np.einsum("ikj,ij->ik", cn[idx], normal[near])
    facing = np.maximum(np.where(found, facing, 1.0).min(axis=1), 0.3)
    short = CLOTH_CLEARANCE_M - inside
    offset = offset.copy()
    offset[near] = np.where(short > 0, offset[near] - short / facing, offset[near])
    return offset


__all__ = ["BASE_STYLES", "BaseLayer", "base_layer", "base_pieces", "default_base"]
