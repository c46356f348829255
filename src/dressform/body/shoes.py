"""Shoes: a parametric footwear family made from the clone's own feet and worn on the posed foot.

A shoe is built once on the rest body, around the foot as the shoe holds it: a heel lifts the
heel of the foot and the toes bend back up at the ball (`shod_pose`), so the shoe is made on
the rest body put into that foot pose (the "shod rest"). Its parts are:

- the upper: the foot's signed distance field, smoothed and (for closed shoes) closed over the
  toes into a toe box, offset a few millimetres out; its outer and inner (lining) surfaces are
  cut along the style's topline and joined there by a band, so the collar has the leather's
  thickness, never a knife edge;
- the sole: a slab under the footprint outline, its top (the insole the foot stands on) under
  the upper's bottom and its bottom flat on the ground (a wedge: trainers, sandals) or a
  constant slab following the foot with a heel block under it (court, loafers, boots);
- trims made from the upper's own surface: laces, a loafer's saddle strap and moccasin seam.

Every piece is stored in the shod rest's frame and placed on a posed body by the rigid motion
that best moves the foot's vertices there (Kabsch), so the pair follows the feet through any
pose or walk; a boot's shaft blends towards the lower leg's motion up its height, the way
skinning blends two bones. The upper's topology never changes, so frames of a walk share
their face counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.ndimage as ndi
from scipy.spatial import ConvexHull, Delaunay

from dressform.body.mesh import Body
from dressform.body.pose import get_pose, pose_body
from dressform.body.rig import Pose, bone_transforms
from dressform.body.wear import WearPiece
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.geometry.distance import BodyDistance
from dressform.geometry.rigid import rigid_fit
from dressform.names import suggest

SHOE_STYLES: tuple[str, ...] = ("trainers", "court", "loafers", "sandals", "ankle-boots")
SIDES: tuple[tuple[str, str], ...] = (("left", "L"), ("right", "R"))

#: Room between the skin and the lining (m): a sock's thickness, so no foot vertex touches it.
LINING_GAP_M = 0.0025
#: Grid step of the foot's distance field (m): fine enough for a 2.5 mm leather wall.
GRID_M = 0.002


@dataclass(frozen=True)
class _Style:
    """How one style is cut (lengths in mm, stations as fractions of the foot's length from
    the heel). `topline` gives the cut's height over the insole at stations along the foot;
    everything above it is open (past its last station the shoe is closed over the foot)."""

    heel_mm: float  # default heel height: the heel of the foot above the ground
    heel_range: tuple[float, float]
    forepart_mm: float  # the ball of the foot above the ground
    wall_mm: float  # upper thickness
    welt_mm: float  # how far the sole stands out beyond the upper
    heel: str  # "wedge" (the sole is the heel), "stiletto", "block"
    toe: str  # "round", "almond", "open"
    topline: tuple[tuple[float, float], ...] = ()
    shaft_mm: float = 0.0  # ankle boots: shaft top over the insole at the heel
    pad_mm: float = 0.0  # a padded collar's swell
    toe_spring_mm: float = 0.0


STYLES: dict[str, _Style] = {
    # Trainers: a 30/20 mm cupsole, a padded collar under the ankle bones, laced over
    # the instep (the throat closed by the tongue).
    "trainers": _Style(30.0, (20.0, 50.0), 20.0, 3.5, 4.0, "wedge", "round",
                       ((0.0, 68.0), (0.12, 60.0), (0.30, 50.0), (0.40, 62.0),
                        (0.47, 95.0), (0.50, 400.0)), toe_spring_mm=8.0, pad_mm=4.0),
    # Court (pumps): a low-cut topline, the vamp ending short of the toes' roots, an almond
    # toe and a stiletto.
    "court": _Style(75.0, (20.0, 120.0), 7.0, 2.0, 0.5, "stiletto", "almond",
                    ((0.0, 55.0), (0.10, 48.0), (0.30, 30.0), (0.50, 28.0), (0.60, 30.0),
                     (0.655, 60.0), (0.68, 400.0))),
    # Loafers: a higher vamp over the instep, a low stacked heel.
    "loafers": _Style(20.0, (12.0, 45.0), 10.0, 2.5, 2.0, "block", "round",
                      ((0.0, 52.0), (0.12, 46.0), (0.32, 38.0), (0.45, 42.0), (0.52, 55.0),
                       (0.56, 400.0))),
    # Sandals: a footbed and straps (toes bare).
    "sandals": _Style(15.0, (10.0, 60.0), 10.0, 3.0, 2.5, "wedge", "open"),
    # Ankle boots: a shaft to just above the ankle bone, a block heel.
    "ankle-boots": _Style(40.0, (15.0, 100.0), 12.0, 2.5, 2.0, "block", "round",
                          shaft_mm=135.0),
}


@dataclass(frozen=True)
class ShoeSpec:
    """Which shoes: a style from `SHOE_STYLES` and its heel height (mm: the heel of the foot
    above the ground; None for the style's own)."""

    style: str = "trainers"
    heel_mm: float | None = None

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise UnknownNameError(f"unknown shoe style {self.style!r}"
                                   f"{suggest(self.style, STYLES)} (styles: "
                                   f"{', '.join(SHOE_STYLES)})")
        low, high = STYLES[self.style].heel_range
        if self.heel_mm is not None and not (math.isfinite(self.heel_mm)
                                             and low <= self.heel_mm <= high):
            raise InvalidInputError(f"{self.style} heels are {low:g}–{high:g} mm high, "
                                    f"not {self.heel_mm:g} mm")

    @property
    def heel(self) -> float:
        """The heel height in mm (the style's default when none was given)."""
        return STYLES[self.style].heel_mm if self.heel_mm is None else float(self.heel_mm)


@dataclass(frozen=True, eq=False)
class _Piece:
    """One mesh of one shoe in the shod rest's frame; `blend` (V,) how far each vertex
    follows the lower leg rather than the foot (a boot's shaft), or None."""

    part: str
    vertices: np.ndarray
    faces: np.ndarray
    uv: np.ndarray
    blend: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class _Shoe:
    """One shoe: its pieces, and the vertices whose motion places it: the foot's (`fit`)
    and, for a shaft, the lower leg's (`shin`), at the shod rest (`fit_at`, `shin_at`)."""

    side: str
    pieces: tuple[_Piece, ...]
    fit: np.ndarray
    fit_at: np.ndarray
    shin: np.ndarray | None
    shin_at: np.ndarray | None
    ground: np.ndarray  # sole and heel points that can touch the floor (hull vertices)
    site: _Site
    style: _Style


@dataclass(frozen=True, eq=False)
class Shoes:
    """A pair made for one body: the spec, the foot turns that the heel asks for (degrees of
    plantar flexion per side), and both shoes ready to be placed on any pose."""

    spec: ShoeSpec
    pitch_deg: dict[str, float]
    shoes: tuple[_Shoe, ...] = field(repr=False)

    @property
    def kind(self) -> str:
        return f"shoes:{self.spec.style}"


# --- the foot ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Frame:
    """A foot's frame on the ground: heel-back origin, `s` along the foot towards the toes,
    `t` across it (+X for a foot pointing −Y), z up; its length and ball width (m)."""

    origin: np.ndarray
    along: np.ndarray
    across: np.ndarray
    length: float
    width: float

    def local(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = p - self.origin
        return d @ self.along, d @ self.across


def _frame(points: np.ndarray) -> _Frame:
    """The frame of a foot standing flat (rest pose): its axis from the middle of the heel to
    the middle of the toe tips, both found along the footprint's main direction."""
    xy = points[:, :2]
    centred = xy - xy.mean(axis=0)
    axis = np.linalg.svd(centred, full_matrices=False)[2][0]
    axis = axis if axis[1] < 0 else -axis  # the toes point to the front, −Y
    for _ in range(2):  # refine: heel middle to toes middle
        s = centred @ axis
        heel = xy[s < s.min() + 0.015].mean(axis=0)
        toes = xy[s > s.max() - 0.02].mean(axis=0)
        axis = (toes - heel) / np.linalg.norm(toes - heel)
    along = np.array([axis[0], axis[1], 0.0])
    across = np.cross([0.0, 0.0, 1.0], along)
    s, t = points @ along, points @ across
    low = points[:, 2] < points[:, 2].min() + 0.04  # the ball, not the ankle bones
    origin = along * s.min() + np.array([0.0, 0.0, points[:, 2].min()])
    return _Frame(origin, along, across, float(np.ptp(s)), float(np.ptp(t[low])))


def foot_size(body: Body) -> tuple[float, float]:
    """Foot length (heel to longest toe) and ball width in mm, the mean of both feet, measured
    on `body` standing (its rest pose)."""
    vertices = np.asarray(body.vertices, dtype=np.float64)
    frames = [_frame(vertices[body.part_mask(f"foot_{side}")]) for side, _ in SIDES]
    return (1000.0 * float(np.mean([f.length for f in frames])),
            1000.0 * float(np.mean([f.width for f in frames])))


# --- the foot turned by the heel -----------------------------------------------------------


def _flex_axis(frame: _Frame) -> np.ndarray:
    """The ankle's axis at rest: turning the foot by +θ about it lowers the toes."""
    return np.cross([0.0, 0.0, 1.0], frame.along)


def _toe_bones(body: Body, s: str) -> list[str]:
    return [n for n in body.skeleton.names if n.startswith("toe") and n.endswith(f"-1.{s}")]


def _pitch(rest: Body, side: str, s: str, frame: _Frame, raise_m: float) -> float:
    """The plantar flexion (degrees) that lifts the heel's underside `raise_m` above the ball's
    when the toes are bent back level: the foot turns about the ankle, so the rise is the
    heel-to-ball vector's turned height (solved by bisection)."""
    if raise_m <= 0.0:
        return 0.0
    points = np.asarray(rest.vertices)[rest.part_mask(f"foot_{side}")]
    along, _ = frame.local(points)
    heel = points[along < 0.12 * frame.length]
    heel = heel[np.argmin(heel[:, 2])]
    heads = np.array([rest.skeleton.head(b) for b in _toe_bones(rest, s)])
    ball_s = float(np.mean(frame.local(heads)[0]))
    ball = points[np.abs(along - ball_s) < 0.01]
    ball = ball[np.argmin(ball[:, 2])]
    v = heel - ball
    d, dz = float(v @ frame.along), float(v[2])
    # Turned by θ the vector's height is −d·sin θ + dz·cos θ (d < 0: the heel is behind).
    lo, hi = 0.0, math.radians(75.0)
    for _ in range(50):
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if -d * math.sin(mid) + dz * math.cos(mid) - dz < raise_m \
            else (lo, mid)
    return math.degrees((lo + hi) / 2.0)


def _shod_turns(rest: Body, pose: Pose, pitch_deg: dict[str, float]) -> Pose:
    """`pose` with each foot turned down by its pitch about its own ankle axis (as the leg
    has carried it) and the toes turned back up as much about their roots."""
    if not any(pitch_deg.values()):
        return pose
    vertices = np.asarray(rest.vertices, dtype=np.float64)
    turns = dict(pose.turns)
    names = list(rest.skeleton.names)
    axes = {s: _flex_axis(_frame(vertices[rest.part_mask(f"foot_{side}")]))
            for side, s in SIDES}
    rot, _ = bone_transforms(rest.skeleton, replace(pose, rests=()))
    for side, s in SIDES:
        axis = rot[names.index(f"foot.{s}")] @ axes[s]
        turns[f"foot.{s}"] = (*turns.get(f"foot.{s}", ()), (tuple(map(float, axis)),
                                                              pitch_deg[side]))
    rot, _ = bone_transforms(rest.skeleton, replace(pose, turns=turns, rests=()))
    for side, s in SIDES:
        for bone in _toe_bones(rest, s):
            axis = rot[names.index(bone)] @ axes[s]
            turns[bone] = (*turns.get(bone, ()), (tuple(map(float, axis)), -pitch_deg[side]))
    return replace(pose, turns=turns)


def shod_pose(rest: Body, pose: Pose | str, shoes: Shoes) -> Pose:
    """`pose` with the feet as the shoes hold them: each ankle plantar-flexed so the heel of
    the foot stands the heel's height above the ball, the toes bent back up at the ball so
    they lie level on the insole. Pose the body with it (`pose_body(rest, shod_pose(...))`)
    before placing the shoes with `shoe_pieces`."""
    return _shod_turns(rest, get_pose(pose), shoes.pitch_deg)


# --- meshes --------------------------------------------------------------------------------


def _smoothstep(a: float, b: float, x: np.ndarray) -> np.ndarray:
    u = np.clip((x - a) / (b - a), 0.0, 1.0)
    return u * u * (3.0 - 2.0 * u)


def _marching_cubes(field_: np.ndarray, lower: np.ndarray, step: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The zero surface of a grid field (negative inside), faces counter-clockwise from
    outside."""
    import warp as wp
    from warp.geometry import IsoSurfaceMarchingCubes

    from dressform.geometry.warp_runtime import start_warp

    start_warp()
    upper = lower + step * (np.array(field_.shape) - 1)
    v, f = IsoSurfaceMarchingCubes.extract(
        wp.array(np.ascontiguousarray(field_, dtype=np.float32), dtype=float, device="cpu"),
        threshold=0.0, lower=wp.vec3(*map(float, lower)), upper=wp.vec3(*map(float, upper)))
    return v.numpy().astype(np.float64), f.numpy().reshape(-1, 3).astype(np.int64)


def _clip(vertices: np.ndarray, faces: np.ndarray, keep: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """The part of a mesh where the per-vertex function `keep` ≤ 0, cut exactly along its
    zero line (linear along each edge); cut edges share their new vertices."""
    k = np.where(np.abs(keep) < 1e-9, 1e-9, keep)
    inside = k[faces] <= 0.0
    count = inside.sum(axis=1)
    whole = faces[count == 3]
    cut = faces[(count == 1) | (count == 2)]
    cin = inside[(count == 1) | (count == 2)]
    # Roll each cut triangle so that corner 0 is the odd one out (alone on its side).
    lone = np.where(cin.sum(axis=1) == 1, np.argmax(cin, axis=1), np.argmin(cin, axis=1))
    order = (lone[:, None] + np.arange(3)) % 3
    tri = np.take_along_axis(cut, order, axis=1)
    a_in = np.take_along_axis(cin, order, axis=1)[:, 0]
    edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [0, 2]]]), axis=1)
    big = len(vertices)
    keys, idx = np.unique(edges[:, 0] * big + edges[:, 1], return_inverse=True)
    uniq = np.stack([keys // big, keys % big], axis=1)
    ka, kb = k[uniq[:, 0]], k[uniq[:, 1]]
    w = ka / (ka - kb)
    new = vertices[uniq[:, 0]] + w[:, None] * (vertices[uniq[:, 1]] - vertices[uniq[:, 0]])
    base = len(vertices)
    p01, p02 = base + idx[:len(tri)], base + idx[len(tri):]
    a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
    one = a_in  # the lone corner is kept: one triangle; else a quad of the other two
    tris = [whole, np.stack([a, p01, p02], axis=1)[one],
            np.stack([p01, b, c], axis=1)[~one], np.stack([p01, c, p02], axis=1)[~one]]
    out_v = np.concatenate([vertices, new])
    out_f = np.concatenate(tris)
    used = np.unique(out_f)
    remap = np.full(len(out_v), -1)
    remap[used] = np.arange(len(used))
    return out_v[used], remap[out_f]


def _components(faces: np.ndarray, count: int) -> np.ndarray:
    """(F,) connected component of each face (faces sharing a vertex)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    rows = np.repeat(np.arange(len(faces)), 3)
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, faces.ravel())),
                          shape=(len(faces), count)).tocsr()
    _, labels = connected_components(graph @ graph.T, directed=False)
    return labels


def _areas(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    t = vertices[faces]
    return 0.5 * np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1)


def _boundary_loops(faces: np.ndarray) -> list[np.ndarray]:
    """Loops of boundary vertices, each in the direction its faces run along it."""
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    big = int(faces.max()) + 1
    key = directed.min(axis=1) * big + directed.max(axis=1)
    _, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    edges = directed[counts[inv] == 1]
    nxt = dict(zip(edges[:, 0].tolist(), edges[:, 1].tolist(), strict=False))
    loops: list[np.ndarray] = []
    seen: set[int] = set()
    for start in nxt:
        if start in seen:
            continue
        loop = [start]
        seen.add(start)
        v = nxt[start]
        while v != start and v in nxt and v not in seen:
            loop.append(v)
            seen.add(v)
            v = nxt[v]
        if len(loop) >= 3:
            loops.append(np.array(loop))
    return loops


def _arc(points: np.ndarray) -> np.ndarray:
    """Normalised arc-length position of each point of a closed loop (0 at the first)."""
    seg = np.linalg.norm(np.roll(points, -1, axis=0) - points, axis=1)
    return np.concatenate([[0.0], np.cumsum(seg)[:-1]]) / seg.sum()


def _bridge(vertices: np.ndarray, outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Triangles joining an outer surface's boundary loop to the inner surface's (which runs
    the other way, the inner surface facing the foot): the collar's edge band. Zipped by
    arc length from the inner point nearest the outer loop's first."""
    inner = inner[::-1]
    start = int(np.argmin(np.linalg.norm(vertices[inner] - vertices[outer[0]], axis=1)))
    inner = np.roll(inner, -start)
    ao, ai = _arc(vertices[outer]), _arc(vertices[inner])
    n, m = len(outer), len(inner)
    tris: list[tuple[int, int, int]] = []
    i = j = 0
    while i < n or j < m:
        go_outer = j >= m or (i < n and ao[i] + (1.0 / n) <= ai[j] + (1.0 / m))
        if go_outer:
            tris.append((int(outer[(i + 1) % n]), int(outer[i]), int(inner[j % m])))
            i += 1
        else:
            tris.append((int(inner[j % m]), int(inner[(j + 1) % m]), int(outer[i % n])))
            j += 1
    return np.array(tris, dtype=np.int64)


def _vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    t = vertices[faces]
    fn = np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])
    n = np.zeros_like(vertices)
    for c in range(3):
        np.add.at(n, faces[:, c], fn)
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


def _slab(vertices: np.ndarray, faces: np.ndarray, lift_m: float, thick_m: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """A patch of a surface made solid: copied `lift_m` out along its normals, a second copy
    `thick_m` further, and their edges joined (a strap or lace lying on the upper)."""
    used = np.unique(faces)
    remap = np.full(len(vertices), -1)
    remap[used] = np.arange(len(used))
    v, f = vertices[used], remap[faces]
    n = _vertex_normals(v, f)
    low, high = v + lift_m * n, v + (lift_m + thick_m) * n
    count = len(v)
    out_f = [f + count, f[:, ::-1]]
    for loop in _boundary_loops(f):
        a, b = loop, np.roll(loop, -1)
        out_f += [np.stack([a, b, b + count], axis=1), np.stack([a, b + count, a + count],
                                                                 axis=1)]
    return np.concatenate([low, high]), np.concatenate(out_f)


def _submesh(vertices: np.ndarray, faces: np.ndarray, chosen: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    f = faces[chosen]
    used = np.unique(f)
    remap = np.full(len(vertices), -1)
    remap[used] = np.arange(len(used))
    return vertices[used], remap[f]


def _polygon_inside(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    from matplotlib.path import Path

    return Path(polygon).contains_points(points)


# --- one shoe ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Site:
    """Where a shoe is made: the foot's frame at the shod rest, the insole's height along
    the foot (`sole_s`, `sole_z`), and the ground under it."""

    frame: _Frame
    sole_s: np.ndarray
    sole_z: np.ndarray
    ground: float

    def insole(self, s: np.ndarray) -> np.ndarray:
        return np.interp(s, self.sole_s, self.sole_z)


def _site(points: np.ndarray, rest_frame: _Frame, forepart_m: float) -> _Site:
    """The foot's frame at the shod rest (the rest frame's heading, its own heel back) and
    the underside of the foot along it, smoothed: the insole's line."""
    origin = rest_frame.along * float((points @ rest_frame.along).min())
    frame = replace(rest_frame, origin=np.array([origin[0], origin[1], 0.0]))
    s, _ = frame.local(points)
    bins = np.linspace(0.0, frame.length, 41)
    which = np.clip(np.digitize(s, bins) - 1, 0, 39)
    low = np.full(40, np.nan)
    for b in range(40):
        zs = points[which == b, 2]
        if len(zs):
            low[b] = zs.min()
    centres = (bins[:-1] + bins[1:]) / 2.0
    good = ~np.isnan(low)
    low = np.interp(centres, centres[good], low[good])
    low = ndi.gaussian_filter1d(low, 1.5, mode="nearest")
    front = s > 0.6 * frame.length
    ground = float(points[front, 2].min()) - forepart_m
    return _Site(frame, centres, low, ground)


def _topline_keep(style: _Style, site: _Site, p: np.ndarray) -> np.ndarray:
    """≤ 0 where the style's upper is kept: below its topline (or its shaft's top)."""
    s, _ = site.frame.local(p)
    length = site.frame.length
    if style.shaft_mm:
        heel_z = float(site.insole(np.array([0.15 * length]))[0])
        return p[:, 2] - (heel_z + style.shaft_mm / 1000.0)
    knots = np.array(style.topline)
    height = np.interp(s / length, knots[:, 0], knots[:, 1] / 1000.0)
    return (p[:, 2] - site.insole(s)) - height


def _strap_keep(site: _Site, p: np.ndarray) -> np.ndarray:
    """≤ 0 on a sandal's straps: a wide band over the toes' roots, a strap round the ankle
    and one up the back of the heel to it."""
    s, _ = site.frame.local(p)
    length = site.frame.length
    rise = p[:, 2] - site.insole(s)
    toe = np.abs(s - 0.70 * length) - 0.016
    ankle = np.maximum(np.abs(rise - 0.060) - 0.0065, s - 0.5 * length)
    back = np.maximum(s - 0.05 * length, rise - 0.062)
    instep = np.maximum(np.abs(s - 0.52 * length) - 0.009, rise - 0.085)
    return np.minimum.reduce([toe, ankle, back, instep])


def _foot_field(body_d: BodyDistance, lower: np.ndarray, shape: tuple[int, int, int],
                style: _Style, site: _Site) -> np.ndarray:
    """The foot's signed distance on the grid, smoothed (skin detail gone), closed over the
    toes for a closed shoe (a toe box: no toe shows through) and, for an almond toe,
    lengthened into a narrow point beyond them."""
    axes = [lower[i] + GRID_M * np.arange(shape[i]) for i in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    # Exact distances where the surfaces will be (within 9 mm of the skin), found on every
    # other node first and interpolated elsewhere: an eighth of the queries, same surfaces.
    coarse_axes = [a[::2] for a in axes]
    coarse = np.stack(np.meshgrid(*coarse_axes, indexing="ij"), axis=-1).reshape(-1, 3)
    rough = body_d(coarse, max_dist=0.04).reshape([len(a) for a in coarse_axes])
    index = np.meshgrid(*[np.arange(n) / 2.0 for n in shape], indexing="ij")
    d = ndi.map_coordinates(rough, index, order=1, mode="nearest").ravel()
    near = np.abs(d) < 0.009
    d[near] = body_d(grid[near], max_dist=0.04)
    d = ndi.gaussian_filter(d.reshape(shape), 1.0)
    s, t = site.frame.local(grid)
    length = site.frame.length
    if style.toe == "open":
        return d
    # A closing (dilate by R, erode by R) fills the gaps between and over the toes: the
    # toe box, blended in over the forefoot only (the heel and ankle keep their own shape).
    radius = 0.016
    dilated = d <= radius
    depth = ndi.distance_transform_edt(dilated, sampling=GRID_M)
    closed = np.where(dilated, radius - depth, d)
    # Blurred wide (8 mm) the toes' ridges go (their ~16 mm ripple falls below 1 %); the
    # blur rounds the toe box in by a few millimetres, given back as toe room.
    closed = ndi.gaussian_filter(closed, 4.0) - 0.002
    w = _smoothstep(0.45 * length, 0.66 * length, s).reshape(shape)
    d = (1.0 - w) * d + w * closed
    if style.toe == "almond":
        # An ellipsoid over the toes, reaching 22 mm past them and tapering: its union
        # with the foot makes the almond toe box.
        tip = np.array([0.78 * length, float(np.median(t)), 0.0])
        z0 = float(site.insole(np.array([0.9 * length]))[0]) + 0.004
        rel = np.stack([(s - tip[0]) / (0.22 * length + 0.022),
                        (t - tip[1] + 0.006) / (0.5 * site.frame.width * 0.80),
                        (grid[:, 2] - z0) / 0.020], axis=1)
        ell = (np.linalg.norm(rel, axis=1) - 1.0) * 0.022
        ell = np.where(s > 0.6 * length, ell, 1.0)  # only ahead of the ball
        ell = np.maximum(ell, site.insole(s) - grid[:, 2])  # and never under the foot
        d = np.minimum(d, ell.reshape(shape))
    return d


def _upper(style: _Style, site: _Site, body_d: BodyDistance, foot: np.ndarray,
           extra: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray,
                                                                             np.ndarray],
                                         np.ndarray, np.ndarray, np.ndarray]:
    """The upper (outer surface and collar band) and its lining, cut along the topline or
    into straps; also the grid's lowest point, its shape and the field (for the sole)."""
    top = float(site.insole(np.array([0.0]))[0]) + (style.shaft_mm or 110.0) / 1000.0 + 0.02
    pts = np.concatenate([foot, extra])
    lower = np.array([*(pts[:, :2].min(axis=0) - 0.03), site.ground - 0.015])
    upper_corner = np.array([*(pts[:, :2].max(axis=0) + 0.03), top])
    if style.toe == "almond":
        lower[:2] -= 0.03
        upper_corner[:2] += 0.03
    shape = tuple(int(n) for n in np.ceil((upper_corner - lower) / GRID_M) + 1)
    d = _foot_field(body_d, lower, shape, style, site)
    wall = style.wall_mm / 1000.0

    def keep(p: np.ndarray) -> np.ndarray:
        k = _strap_keep(site, p) if style.toe == "open" else _topline_keep(style, site, p)
        return np.maximum(k, lower[2] + 0.004 - p[:, 2])  # never the grid's floor

    outer = d - (LINING_GAP_M + wall)
    if style.pad_mm:
        # A padded collar: the wall swells out over the last 25 mm below the topline.
        axes = [lower[i] + GRID_M * np.arange(shape[i]) for i in range(3)]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
        swell = _smoothstep(-0.025, -0.004, keep(grid)).reshape(shape)
        outer = outer - style.pad_mm / 1000.0 * swell
    outer_v, outer_f = _marching_cubes(outer, lower, GRID_M)
    inner_v, inner_f = _marching_cubes(d - LINING_GAP_M, lower, GRID_M)
    inner_f = inner_f[:, ::-1]

    outer_v, outer_f = _clip(outer_v, outer_f, keep(outer_v))
    inner_v, inner_f = _clip(inner_v, inner_f, keep(inner_v))
    outer_v, outer_f = _kept(outer_v, outer_f, style.toe == "open")
    inner_v, inner_f = _kept(inner_v, inner_f, style.toe == "open")
    v = np.concatenate([outer_v, inner_v])
    inner_f = inner_f + len(outer_v)
    outer_loops = _boundary_loops(outer_f)
    inner_loops = _boundary_loops(inner_f)
    bands = []
    centres = np.array([v[loop].mean(axis=0) for loop in inner_loops])
    for loop in outer_loops:
        if not len(centres):
            break
        j = int(np.argmin(np.linalg.norm(centres - v[loop].mean(axis=0), axis=1)))
        bands.append(_bridge(v, loop, inner_loops[j]))
    band = np.concatenate(bands) if bands else np.zeros((0, 3), dtype=np.int64)
    upper = (v, np.concatenate([outer_f, band]))
    lining = (v, inner_f)
    return upper, lining, lower, np.array(shape), d


def _kept(vertices: np.ndarray, faces: np.ndarray, many: bool) -> tuple[np.ndarray,
                                                                        np.ndarray]:
    """The open pieces of a cut surface: the largest (a closed shoe's upper) or, for straps,
    every piece bigger than 3 cm²; closed bubbles (between the toes) and crumbs go."""
    labels = _components(faces, len(vertices))
    area = np.bincount(labels, weights=_areas(vertices, faces))
    if many:
        chosen = np.isin(labels, np.flatnonzero(area > 3e-4))
    else:
        chosen = labels == int(np.argmax(area))
    return _submesh(vertices, faces, chosen)


def _outline(field_: np.ndarray, lower: np.ndarray, reach: float, welt: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sole's outline (N, 2), counter-clockwise, `welt` outside the upper's footprint
    (the upper's lowest 20 mm of each row across the foot), and the upper's underside
    height per grid column (filled outwards beyond the footprint)."""
    import contourpy

    nx, ny, nz = field_.shape
    zs = lower[2] + GRID_M * np.arange(nz)
    solid = field_ <= reach
    any_ = solid.any(axis=2)
    first = np.argmax(solid, axis=2)
    # The underside, found between grid nodes: where the field crosses `reach`.
    f0 = np.take_along_axis(field_, np.clip(first - 1, 0, nz - 1)[..., None], 2)[..., 0]
    f1 = np.take_along_axis(field_, first[..., None], 2)[..., 0]
    frac = np.clip((f0 - reach) / np.maximum(f0 - f1, 1e-9), 0.0, 1.0)
    under = np.where(any_, zs[np.clip(first - 1, 0, nz - 1)] + frac * GRID_M, np.inf)
    row_low = np.min(under, axis=0, keepdims=True)
    foot = any_ & (under < row_low + 0.012)
    foot = ndi.binary_opening(foot, iterations=1)
    # A closing (out by 12 mm, back in) takes the toes' scallops out of the outline: a sole
    # runs in one smooth curve round the toes.
    radius = 0.012
    outside = ndi.distance_transform_edt(~foot, sampling=GRID_M)
    grown = outside <= welt + radius
    shape = ndi.distance_transform_edt(grown, sampling=GRID_M) > radius
    soft = ndi.gaussian_filter(shape.astype(float), 2.0)
    xs, ys = lower[0] + GRID_M * np.arange(nx), lower[1] + GRID_M * np.arange(ny)
    lines = contourpy.contour_generator(ys, xs, soft).lines(0.5)
    line = max(lines, key=len)[:, ::-1]
    line = line[:-1] if np.allclose(line[0], line[-1]) else line
    # Even spacing: 160 points.
    seg = np.linalg.norm(np.roll(line, -1, axis=0) - line, axis=1)
    at = np.concatenate([[0.0], np.cumsum(seg)])
    want = np.linspace(0.0, at[-1], 161)[:-1]
    closed = np.concatenate([line, line[:1]])
    ring = np.stack([np.interp(want, at, closed[:, 0]), np.interp(want, at, closed[:, 1])],
                    axis=1)
    area = 0.5 * np.sum(ring[:, 0] * np.roll(ring[:, 1], -1) - np.roll(ring[:, 0], -1)
                        * ring[:, 1])
    ring = ring if area > 0 else ring[::-1]
    # The underside height everywhere: beyond the footprint, the nearest column's.
    _, near = ndi.distance_transform_edt(~foot, return_indices=True)
    filled = under[near[0], near[1]]
    # Smoothed, but never above the underside itself (1 mm): the foot stays on the insole.
    filled = np.minimum(ndi.gaussian_filter(filled, 4.0), filled + 0.001)
    return ring, xs, ys, filled


def _sample(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray, p: np.ndarray) -> np.ndarray:
    return ndi.map_coordinates(grid, [(p[:, 0] - xs[0]) / GRID_M, (p[:, 1] - ys[0]) / GRID_M],
                               order=1, mode="nearest")


def _sole(style: _Style, site: _Site, ring: np.ndarray, under: tuple[np.ndarray, np.ndarray,
                                                                      np.ndarray]
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The sole: vertices, faces, and which faces are its top (the insole) — a slab under the
    outline, its top 3 mm up inside the upper's underside, its edge bevelled; and the bottom
    height function's samples on the outline (for the heel)."""
    xs, ys, grid = under
    length = site.frame.length
    normal = np.stack([np.roll(ring[:, 1], -1) - np.roll(ring[:, 1], 1),
                       np.roll(ring[:, 0], 1) - np.roll(ring[:, 0], -1)], axis=1)
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)  # outwards (ring is CCW)
    lattice = np.stack(np.meshgrid(np.arange(xs[0], xs[-1], 0.004),
                                   np.arange(ys[0], ys[-1], 0.004), indexing="ij"),
                       axis=-1).reshape(-1, 2)
    inner = lattice[_polygon_inside(lattice, ring)]
    gap = np.min(np.linalg.norm(inner[:, None] - ring[None], axis=2), axis=1)
    inner = inner[gap > 0.003]
    flat = np.concatenate([ring, inner])
    tri = Delaunay(flat).simplices
    tri = tri[_polygon_inside(flat[tri].mean(axis=1), ring)]
    area = np.cross(flat[tri[:, 1]] - flat[tri[:, 0]], flat[tri[:, 2]] - flat[tri[:, 0]])
    tri = np.where((area > 0)[:, None], tri, tri[:, ::-1])
    # The sole's top reaches up into the upper's underside (lasted into it) and stays
    # 2.5 mm under the skin, whatever the wall's thickness.
    overlap = float(np.clip(LINING_GAP_M + style.wall_mm / 1000.0 - 0.0025, 0.0015, 0.003))
    top = _sample(xs, ys, grid, flat) + overlap
    s, _ = site.frame.local(np.column_stack([flat, np.zeros(len(flat))]))
    slab = style.forepart_mm / 1000.0 - (LINING_GAP_M + style.wall_mm / 1000.0) + overlap
    if style.heel == "wedge":
        bottom = np.full(len(flat), site.ground)
        # Toe spring: the front of the sole curves up off the ground.
        spring = style.toe_spring_mm / 1000.0 * _smoothstep(0.82, 1.05, s / length) ** 1.5
        bottom = np.minimum(bottom + spring, np.maximum(top - 0.004, bottom))
    else:
        spring = style.toe_spring_mm / 1000.0 * _smoothstep(0.80, 1.05, s / length) ** 1.5
        bottom = np.maximum(site.ground + spring, top - slab)
    n = len(ring)
    # Bevelled edge: rings from the top edge down to the bottom's, the last tucked in.
    bevel = 0.0025 if style.heel == "wedge" else 0.001
    rings = [(1.0, 0.0), (0.55, 0.0), (0.15, 0.0), (0.0, bevel)]
    if style.heel == "wedge" and style.toe != "open":
        rings = [(1.0, -0.0005), (0.72, 0.0), (0.66, 0.0015), (0.60, 0.0015), (0.54, 0.0),
                 (0.15, 0.0), (0.0, bevel)]  # a ridge round the midsole: the profile
    verts = [np.column_stack([flat, top])]
    faces = [tri]
    for k, (frac, tuck) in enumerate(rings):
        xy = ring - tuck * normal
        z = bottom[:n] + frac * (top[:n] - bottom[:n])
        verts.append(np.column_stack([xy, z]))
        if k == 0:
            prev = np.arange(n)
        cur = len(flat) + k * n + np.arange(n)
        a, b = prev, np.roll(prev, -1)
        c, d_ = cur, np.roll(cur, -1)
        faces.append(np.concatenate([np.stack([a, c, b], axis=1), np.stack([b, c, d_],
                                                                             axis=1)]))
        prev = cur
    last = len(flat) + (len(rings) - 1) * n
    bottom_flat = flat.copy()
    bottom_flat[:n] = ring - rings[-1][1] * normal
    verts.append(np.column_stack([bottom_flat, bottom]))
    base = len(flat) + len(rings) * n
    bottom_tri = tri[:, ::-1] + base
    # Stitch the bottom face's own outline to the last ring (same positions).
    faces.append(bottom_tri)
    v = np.concatenate(verts)
    f = np.concatenate(faces)
    # Merge the bottom's outline with the last ring: identical points.
    remap = np.arange(len(v))
    remap[base:base + n] = last + np.arange(n)
    f = remap[f]
    is_top = np.zeros(len(f), dtype=bool)
    # The ledge round the top's edge (the welt, outside the upper) is the sole's own
    # material: the insole is only what lies under the foot.
    is_top[:len(tri)] = (tri >= n).all(axis=1)
    return v, f, is_top, bottom


def _heel(style: _Style, site: _Site, ring: np.ndarray, bottom: np.ndarray,
          heel_m: float) -> tuple[np.ndarray, np.ndarray]:
    """A heel from the sole's underside at the seat down to the ground. Its top is the sole's
    own outline behind the breast (the heel's straight front), 1.5 mm in, so it stands flush
    under the heel of the shoe; down its height it narrows to a 9 mm stiletto tip under the
    heel bone, or to 86 % of the top for a block."""
    from scipy.interpolate import LinearNDInterpolator

    f = site.frame
    length = f.length
    s, t = f.local(np.column_stack([ring, np.zeros(len(ring))]))
    front = (0.27 if style.heel == "block" else 0.25) * length
    back = float(s.min())
    rear = s < front
    mid_t = float(np.mean(t[rear]))
    top_c = np.array([(back + front) / 2.0, mid_t])
    # The outline behind the breast, in polar form round the seat's middle.
    pts = np.column_stack([s[rear], t[rear]])
    cross = np.linspace(t[rear].min(), t[rear].max(), 24)
    pts = np.concatenate([pts, np.column_stack([np.full(len(cross), front), cross])])
    rel = pts - top_c
    theta, radius = np.arctan2(rel[:, 1], rel[:, 0]), np.linalg.norm(rel, axis=1) - 0.0015
    order = np.argsort(theta)
    angles = np.linspace(-np.pi, np.pi, 64, endpoint=False)
    r_top = np.interp(angles, theta[order], radius[order], period=2.0 * np.pi)
    rise = heel_m - style.forepart_mm / 1000.0
    if style.heel == "stiletto":
        # The tip a third of the way from the back to the breast, under the heel bone.
        bot_c = np.array([back + 0.30 * (front - back), mid_t])
        r_bot, power = np.full(len(angles), 0.0045), 3.2
    else:
        bot_c, r_bot, power = top_c, (0.86 if rise > 0.02 else 0.97) * r_top, 1.0
    direction = np.column_stack([np.cos(angles), np.sin(angles)])

    def world(st: np.ndarray) -> np.ndarray:
        return f.origin[:2] + st[:, :1] * f.along[:2] + st[:, 1:] * f.across[:2]

    top_xy = world(top_c + r_top[:, None] * direction)
    under = LinearNDInterpolator(ring, bottom[:len(ring)], fill_value=float(bottom.max()))
    top_z = under(top_xy) + 0.002
    levels = np.linspace(0.0, 1.0, 16)
    verts = []
    for u in levels:
        w = u ** power
        centre = bot_c + (top_c - bot_c) * (u ** 1.5 if style.heel == "stiletto" else u)
        r = r_bot + (r_top - r_bot) * w
        verts.append(np.column_stack([world(centre + r[:, None] * direction),
                                      site.ground + u * (top_z - site.ground)]))
    n = len(angles)
    faces = []
    for k in range(len(levels) - 1):
        a = k * n + np.arange(n)
        b = np.roll(a, -1)
        faces += [np.stack([a, b, b + n], axis=1), np.stack([a, b + n, a + n], axis=1)]
    v = np.concatenate(verts)
    centre_bot, centre_top = len(v), len(v) + 1
    v = np.concatenate([v, [[*v[:n, :2].mean(axis=0), site.ground]],
                        [[*v[-n:, :2].mean(axis=0), v[-n:, 2].mean()]]])
    ring0 = np.arange(n)
    ring1 = (len(levels) - 1) * n + np.arange(n)
    faces += [np.stack([np.roll(ring0, -1), ring0, np.full(n, centre_bot)], axis=1),
              np.stack([ring1, np.roll(ring1, -1), np.full(n, centre_top)], axis=1)]
    return v, np.concatenate(faces)


def _trims(style: _Style, site: _Site, outer: tuple[np.ndarray, np.ndarray]
           ) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Pieces laid on the upper, cut from its surface along clean lines: a trainer's laces
    across the throat and the eyelet stays beside them; a loafer's saddle strap across the
    vamp and its moccasin seam round the toe."""
    v, f = outer
    s, t = site.frame.local(v)
    length = site.frame.length
    rise = v[:, 2] - site.insole(s)
    up = _vertex_normals(v, f)[:, 2]
    mid = float(np.median(t))
    across = np.abs(t - mid)
    cuts: list[tuple[str, np.ndarray, float, float]] = []
    if style.heel == "wedge" and style.toe == "round":
        stations = (0.47 + 0.04 * np.arange(6)) * length
        lace = np.min(np.abs(s[:, None] - stations[None]), axis=1) - 0.0028
        cuts.append(("laces", np.maximum.reduce([lace, across - 0.021, 0.35 - up]),
                     0.0004, 0.0022))
        stay = np.maximum.reduce([np.abs(across - 0.027) - 0.005, 0.45 * length - s,
                                  s - 0.70 * length, 0.2 - up])
        cuts.append(("trim", stay, 0.0002, 0.0012))
    if style.heel == "block" and not style.shaft_mm:
        strap = np.maximum(np.abs(s - 0.605 * length) - 0.009, 0.5 - up)
        cuts.append(("strap", strap, 0.0003, 0.0018))
        seam = np.maximum(np.abs(rise - 0.024) - 0.0012, 0.56 * length - s)
        cuts.append(("trim", seam, 0.0001, 0.0012))
    out: list[tuple[str, np.ndarray, np.ndarray]] = []
    for part, keep, lift, thick in cuts:
        if (keep < 0).any():
            cv, cf = _clip(v, f, keep)
            if len(cf):
                out.append((part, *_slab(cv, cf, lift, thick)))
    return out


def _face_normals(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    t = v[f]
    n = np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0])
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


def _uv(site: _Site, v: np.ndarray) -> np.ndarray:
    """Surface coordinates in metres: along the foot, and up the side plus across the top
    (an unrolled cross-section), enough for a weave's scale and direction."""
    s, t = site.frame.local(v)
    mid = float(np.median(t))
    return np.column_stack([s, (v[:, 2] - site.ground) + np.abs(t - mid)])


def _make_shoe(rest: Body, shod: Body, side: str, s_: str, spec: ShoeSpec,
               body_d: BodyDistance) -> _Shoe:
    style = STYLES[spec.style]
    vertices = np.asarray(shod.vertices, dtype=np.float64)
    foot_mask = shod.part_mask(f"foot_{side}")
    foot = vertices[foot_mask]
    rest_frame = _frame(np.asarray(rest.vertices)[rest.part_mask(f"foot_{side}")])
    site = _site(foot, rest_frame, style.forepart_mm / 1000.0)
    shin_mask = shod.part_mask(f"shin_{side}")
    reach = float(site.insole(np.array([0.0]))[0]) + (style.shaft_mm or 110.0) / 1000.0
    extra = vertices[shin_mask & (vertices[:, 2] < reach)]
    upper, lining, lower, _, d = _upper(style, site, body_d, foot, extra)
    # The sole stands lowest: under the upper's underside wherever that came lower.
    site = replace(site, ground=min(site.ground, float(upper[0][:, 2].min()) - 0.001))
    ring, xs, ys, under = _outline(d, lower, LINING_GAP_M + style.wall_mm / 1000.0,
                                   style.welt_mm / 1000.0)
    sole_v, sole_f, is_top, bottom = _sole(style, site, ring, (xs, ys, under))
    pieces: list[tuple[str, np.ndarray, np.ndarray]] = [
        ("upper", *upper), ("lining", *lining),
        ("insole", *_submesh(sole_v, sole_f, is_top)),
        ("sole", *_submesh(sole_v, sole_f, ~is_top))]
    if style.heel != "wedge":
        pieces.append(("heel", *_heel(style, site, ring, bottom, spec.heel / 1000.0)))
    pieces += _trims(style, site, upper)
    # A boot's shaft follows the lower leg above the ankle, as skinning blends two bones.
    ankle = float(shod.skeleton.head(f"foot.{s_}")[2])
    blend_top = ankle + 0.06
    made: list[_Piece] = []
    for part, v, f in pieces:
        used = np.unique(f)
        remap = np.full(len(v), -1)
        remap[used] = np.arange(len(used))
        v, f = v[used], remap[f]
        blend = _smoothstep(ankle, blend_top, v[:, 2]) if style.shaft_mm else None
        made.append(_Piece(part, v, f.astype(np.int64), _uv(site, v), blend))
    fit, shin = _placing(shod, side, s_, style)
    # Only hull points can be lowest after a rigid motion: the lift looks at those alone.
    rigid = np.concatenate([p.vertices if p.blend is None else p.vertices[p.blend == 0.0]
                            for p in made])
    ground = rigid[ConvexHull(rigid).vertices]
    return _Shoe(side, tuple(made), fit, vertices[fit], shin,
                 None if shin is None else vertices[shin], ground, site, style)


def make_shoes(rest: Body, spec: ShoeSpec) -> Shoes:
    """A pair of `spec` shoes made to measure on `rest` (a body in anny's rest pose): each
    around its own foot, held as the heel holds it. Place them on a pose with `shod_pose`,
    `pose_body`, `shoe_pieces` and `lift_m`."""
    if not isinstance(spec, ShoeSpec):
        raise InvalidInputError(f"shoes need a ShoeSpec, not {type(spec).__name__}")
    style = STYLES[spec.style]
    vertices = np.asarray(rest.vertices, dtype=np.float64)
    raise_m = (spec.heel - style.forepart_mm) / 1000.0
    pitch = {side: _pitch(rest, side, s, _frame(vertices[rest.part_mask(f"foot_{side}")]),
                          raise_m) for side, s in SIDES}
    shod = pose_body(rest, _shod_turns(rest, get_pose("a-pose"), pitch), stand=False)
    body_d = BodyDistance(np.asarray(shod.vertices), np.asarray(shod.faces))
    left = _make_shoe(rest, shod, "left", "L", spec, body_d)
    # anny's bodies are mirror-symmetric: the right shoe is then the left one mirrored
    # (half the work); a body whose feet differ by over 1 mm gets a shoe made for each.
    right = _mirrored(left, shod) if _symmetric(shod) else \
        _make_shoe(rest, shod, "right", "R", spec, body_d)
    return Shoes(spec, pitch, (left, right))


def _symmetric(body: Body) -> bool:
    """Whether the right foot (with the lower leg) is the left one mirrored, within 1 mm."""
    from scipy.spatial import cKDTree

    v = np.asarray(body.vertices, dtype=np.float64)
    left = v[body.part_mask("foot_left", "shin_left")] * np.array([-1.0, 1.0, 1.0])
    right = v[body.part_mask("foot_right", "shin_right")]
    return len(left) == len(right) and float(cKDTree(right).query(left)[0].max()) < 0.001


def _mirrored(shoe: _Shoe, shod: Body) -> _Shoe:
    """The left shoe mirrored across x = 0 onto the right foot (faces turned to keep their
    outsides out), with the right foot's own vertices to place it."""
    flip = np.array([-1.0, 1.0, 1.0])
    vertices = np.asarray(shod.vertices, dtype=np.float64)
    pieces = tuple(replace(p, vertices=p.vertices * flip, faces=p.faces[:, ::-1].copy())
                   for p in shoe.pieces)
    frame = shoe.site.frame
    along = frame.along * flip
    site = replace(shoe.site, frame=replace(frame, origin=frame.origin * flip, along=along,
                                            across=np.cross([0.0, 0.0, 1.0], along)))
    fit, shin = _placing(shod, "right", "R", shoe.style)
    return _Shoe("right", pieces, fit, vertices[fit], shin,
                 None if shin is None else vertices[shin], shoe.ground * flip, site,
                 shoe.style)


def _placing(shod: Body, side: str, s_: str, style: _Style
             ) -> tuple[np.ndarray, np.ndarray | None]:
    """The vertices that place a shoe: the foot's carried by the foot and toes alone, and
    for a shaft the lower leg's between the ankle and the shaft's top."""
    vertices = np.asarray(shod.vertices, dtype=np.float64)
    weights, joints = np.asarray(shod.skin_weights), np.asarray(shod.skin_joints)
    names = shod.skeleton.names
    foot_bones = np.array([n == f"foot.{s_}" or (n.startswith("toe") and n.endswith(s_))
                           for n in names])
    on_foot = (weights * foot_bones[joints]).sum(axis=1) > 0.98
    fit = np.flatnonzero(shod.part_mask(f"foot_{side}") & on_foot)
    if not style.shaft_mm:
        return fit, None
    ankle = float(shod.skeleton.head(f"foot.{s_}")[2])
    z = vertices[:, 2]
    shin = np.flatnonzero(shod.part_mask(f"shin_{side}") & (z > ankle + 0.03)
                          & (z < ankle + style.shaft_mm / 1000.0 + 0.03))
    return fit, shin


# --- placing the pair ----------------------------------------------------------------------


def _placed(shoe: _Shoe, posed: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray],
                                                      tuple[np.ndarray, np.ndarray] | None]:
    foot = rigid_fit(shoe.fit_at, posed[shoe.fit])
    shin = None if shoe.shin is None else rigid_fit(shoe.shin_at, posed[shoe.shin])
    return foot, shin


def _move(piece: _Piece, foot: tuple[np.ndarray, np.ndarray],
          shin: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    moved = piece.vertices @ foot[0].T + foot[1]
    if shin is not None and piece.blend is not None:
        w = piece.blend[:, None]
        moved = (1.0 - w) * moved + w * (piece.vertices @ shin[0].T + shin[1])
    return moved


def _check_body(shoes: Shoes, posed: Body) -> np.ndarray:
    vertices = np.asarray(posed.vertices, dtype=np.float64)
    top = max(int(s.fit.max()) for s in shoes.shoes)
    if vertices.ndim != 2 or len(vertices) <= top:
        raise InvalidInputError("shoes are placed on the body they were made for (posed), "
                                f"not on a mesh of {len(vertices)} vertices")
    return vertices


def shoe_pieces(shoes: Shoes, posed: Body) -> list[WearPiece]:
    """Both shoes on `posed` (the rest body posed with `shod_pose`): each shoe's pieces
    moved with its foot. Names are "shoes:<style>:<part>:<L|R>"."""
    vertices = _check_body(shoes, posed)
    out: list[WearPiece] = []
    for shoe in shoes.shoes:
        foot, shin = _placed(shoe, vertices)
        side = "L" if shoe.side == "left" else "R"
        for piece in shoe.pieces:
            out.append(WearPiece(f"{shoes.kind}:{piece.part}:{side}", shoes.kind, piece.part,
                                 _move(piece, foot, shin), piece.faces, piece.uv))
    return out


def lift_m(shoes: Shoes, posed: Body) -> float:
    """How far (m) the scene must rise for the lowest point of the soles and heels on
    `posed` to stand on z = 0 (never negative: a body lying lower than its shoes is not
    pushed through the floor)."""
    vertices = _check_body(shoes, posed)
    low = np.inf
    for shoe in shoes.shoes:
        r, t = rigid_fit(shoe.fit_at, vertices[shoe.fit])
        low = min(low, float((shoe.ground @ r.T + t)[:, 2].min()))
    return max(0.0, -low)


def foot_clearance(shoes: Shoes, posed: Body) -> tuple[float, float]:
    """How well the pair holds the feet of `posed` (m): the deepest a foot vertex lies
    outside its shoe's upper, counting those 5 mm or more below the topline (negative: every
    one inside, by that much at least; NaN for sandals, whose straps hold only part of the
    foot), and the deepest a foot vertex lies below the insole's top (negative: none)."""
    from scipy.interpolate import LinearNDInterpolator
    from scipy.spatial import cKDTree

    vertices = _check_body(shoes, posed)
    outside, below = -np.inf, -np.inf
    for shoe, (side, _) in zip(shoes.shoes, SIDES, strict=True):
        r, t = rigid_fit(shoe.fit_at, vertices[shoe.fit])
        foot = (vertices[posed.part_mask(f"foot_{side}")] - t) @ r  # into the shoe's frame
        pieces = {p.part: p for p in shoe.pieces}
        insole = pieces["insole"].vertices
        top = LinearNDInterpolator(insole[:, :2], insole[:, 2])(foot[:, :2])
        if np.isfinite(top).any():
            below = max(below, float(np.nanmax(top - foot[:, 2])))
        if shoe.style.toe == "open":
            continue
        held = foot[_topline_keep(shoe.style, shoe.site, foot) < -0.005]
        upper = pieces["upper"]
        normals = _vertex_normals(upper.vertices, upper.faces)
        near = cKDTree(upper.vertices).query(held)[1]
        out = np.einsum("ij,ij->i", held - upper.vertices[near], normals[near])
        outside = max(outside, float(out.max()) if len(out) else -np.inf)
    return (float("nan") if shoes.spec.style == "sandals" else outside), below


__all__ = ["SHOE_STYLES", "ShoeSpec", "Shoes", "foot_clearance", "foot_size", "lift_m",
           "make_shoes", "shod_pose", "shoe_pieces"]
