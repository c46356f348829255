"""ISO 8559-1 body measurements of a clone, the way a tailor takes them.

Every measurement is a *tape*: points on the body surface (each on a mesh edge, or a joint
centre), joined as a closed loop (a girth), an open path (a length laid along the body) or a
vertical difference (a height). Tapes are found on numpy arrays by :func:`plan_tapes` and then
read from vertex positions by one torch formula (:class:`TapeSet`) — in
:func:`measure`, and with gradients in :mod:`dressform.body.clone` — so fitting and measuring
agree exactly.

Girths are convex-hull perimeters of plane sections (a tape bridges hollows) of the loop that
encloses the right body segment. The clone stands in anny's A-pose, front = −Y, left = +X,
feet on z = 0. ``T`` below is the torso length, armpit level minus crotch level.

Levels defined by an extreme (the bust points, the fold under the bust, the narrowest waist,
the fullest seat, thigh and calf, the narrowest ankle) are found once, on anny's reference
woman, and then *anchored*: each is the level of a point on a mesh edge there, and anny's bodies
share one mesh, so that point is the same landmark on every body (:class:`Anchors`). Searching
each body afresh would slide the "fullest chest" to the belly of a heavy body, and would make
the measurements jump as a fit changes the shape.

=========================  ================================================================
measurement                definition (landmark and method)
=========================  ================================================================
height_cm                  vertex of the head, vertical distance to the floor (soles)
weight_kg                  closed-mesh volume × 1010 kg/m³ (whole-body density with lung air)
bust_girth_cm              horizontal torso girth at the bust points (anchor: where the chest
                           front stands furthest forward, armpit − 0.3 T … armpit − 0.05 T);
                           chest girth for men
high_bust_girth_cm         horizontal torso girth just under the arms (armpit − 0.02 T),
                           above the breasts
under_bust_girth_cm        horizontal torso girth at the inframammary fold (anchor: going down
                           from the bust, where the chest front stops receding, found under
                           anny's largest cup size so the level is on the chest wall)
waist_girth_cm             natural waist, horizontal (anchor: the smallest torso girth between
                           crotch + 0.35 T and crotch + 0.7 T; side waist point)
high_hip_girth_cm          horizontal girth half-way between the waist and hip levels
hip_girth_cm               horizontal girth at the greatest buttock prominence (anchor: where
                           the back stands out most, crotch + 0.02 T … waist)
neck_base_girth_cm         where a collar sits: the narrowest neck section between shoulders
                           and head, in a plane tilted front-down like the reference woman's
                           neck (anchor: square to her neck half-way between its first two
                           joints), from the jugular notch up to the cervicale
                           (on very muscular men it still cuts the trapezius: a known limit)
shoulder_width_cm          across-back shoulder width: from acromion to acromion over the back,
                           in the plane through both acromia and the cervicale
across_back_cm             across the back between the armpit folds, horizontal, one third of
                           the way from the armpit up to the acromion
arm_length_cm              acromion → elbow → wrist joint (arm as it hangs in the A-pose)
upper_arm_girth_cm         fullest girth perpendicular to the upper arm, 35–70 % shoulder→elbow
elbow_girth_cm             girth perpendicular to the arm at the elbow joint
wrist_girth_cm             smallest girth perpendicular to the forearm near the wrist joint
thigh_girth_cm             fullest horizontal girth of the thigh just below the crotch
knee_girth_cm              horizontal girth of the leg at the knee joint
calf_girth_cm              fullest horizontal girth of the lower leg
ankle_girth_cm             smallest horizontal girth of the leg above the ankle bones
inseam_cm                  crotch to floor, vertical (inside leg length)
outseam_cm                 side waist point to the floor down the outside of the hip and leg,
                           following the body's outline in the frontal plane tilted to pass
                           through the ankle joint
waist_height_cm            side waist point to floor, vertical (FreeSewing's waistToFloor)
back_waist_length_cm       high point of the shoulder (HPS), down the back to the waist,
                           bridging the shoulder blade
front_waist_length_cm      HPS over the bust point down to the front waist
crotch_depth_cm            waist level minus crotch level (body rise)
=========================  ================================================================
Left-side measurements (arm, leg) are taken on the clone's left (+X); anny bodies are symmetric.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from functools import cache, cached_property
from typing import Literal

import numpy as np
import torch
from numpy.typing import NDArray

from dressform.body.mesh import Body
from dressform.body.params import body_mass_kg
from dressform.errors import UnknownNameError
from dressform.geometry.sections import (
    Section,
    convex_hull_order,
    hull_chain_length,
    merge_sections,
    plane_basis,
    plane_section_loops,
)
from dressform.names import suggest

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

Z = np.array([0.0, 0.0, 1.0])
LEVEL_STEP = 0.005  # m between the levels searched for an extreme girth


@dataclass(frozen=True)
class Measurements:
    """A body's measurements in cm (and kg). See the module docstring for definitions."""

    height_cm: float
    weight_kg: float
    bust_girth_cm: float
    high_bust_girth_cm: float
    under_bust_girth_cm: float
    waist_girth_cm: float
    high_hip_girth_cm: float
    hip_girth_cm: float
    neck_base_girth_cm: float
    shoulder_width_cm: float
    across_back_cm: float
    arm_length_cm: float
    upper_arm_girth_cm: float
    elbow_girth_cm: float
    wrist_girth_cm: float
    thigh_girth_cm: float
    knee_girth_cm: float
    calf_girth_cm: float
    ankle_girth_cm: float
    inseam_cm: float
    outseam_cm: float
    waist_height_cm: float
    back_waist_length_cm: float
    front_waist_length_cm: float
    crotch_depth_cm: float

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


MEASUREMENT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Measurements))


def check_measurement_name(name: str) -> str:
    if name not in MEASUREMENT_NAMES:
        raise UnknownNameError(
            f"unknown measurement {name!r}{suggest(name, MEASUREMENT_NAMES)}; "
            f"known: {', '.join(MEASUREMENT_NAMES)}"
        )
    return name


@dataclass(frozen=True, eq=False)
class Tape:
    """Points on the body and how to read them.

    Point k is ``X[a_k] + t_k (X[b_k] − X[a_k])`` where X is the vertices followed by the bone
    heads (index V + j is bone j's head). kind: "closed" (loop length), "open" (path length),
    "vertical" (z of the last point minus z of the first).

    level: for a girth taken in a horizontal plane at a landmark's height, the landmark
    points (their mean z is the level). Read on another shape, the tape's points are cut again
    at that level along the same edges — the tape follows the landmark, as a tailor's does,
    instead of drifting off the plane with the mesh (a fit reads tapes on shapes it has moved).
    """

    kind: str
    a: IntArray
    b: IntArray
    t: FloatArray
    level: Tape | None = None

    def points(self, x: FloatArray) -> FloatArray:
        return x[self.a] + self.t[:, None] * (x[self.b] - x[self.a])

    def value_cm(self, x: FloatArray) -> float:
        """The reading in cm (numpy: searches score hundreds of candidate tapes)."""
        if self.level is not None:  # cut again at the level: the one formula does that
            return float(self.value_cm_torch(torch.from_numpy(x)))
        p = self.points(x)
        if self.kind == "vertical":
            return float(p[-1, 2] - p[0, 2]) * 100.0
        steps = np.diff(p, axis=0, append=p[:1]) if self.kind == "closed" else np.diff(p, axis=0)
        return float(np.sqrt((steps * steps).sum(axis=1)).sum()) * 100.0

    def value_cm_torch(self, x: torch.Tensor) -> torch.Tensor:
        """The reading in cm, differentiable with respect to `x` (vertices then bone heads)."""
        return TapeSet.of([self]).values_cm(x)[0]


@dataclass(frozen=True, eq=False)
class TapeSet:
    """Several tapes read at once — one gather of their points, one sum over their segments —
    the single formula behind every reading (a fit evaluates it hundreds of times)."""

    a: torch.Tensor
    b: torch.Tensor
    t: torch.Tensor
    seg_from: torch.Tensor  # segments of the open and closed tapes: point indices
    seg_to: torch.Tensor
    seg_owner: torch.Tensor  # which tape each segment belongs to
    vertical: torch.Tensor  # (k, 3): tape, its first point, its last point
    count: int
    cut: torch.Tensor  # points cut again at their tape's level
    cut_level: torch.Tensor  # which level each of them is cut at
    level_a: torch.Tensor  # the levels' landmark points (edge ends, position)
    level_b: torch.Tensor
    level_t: torch.Tensor
    level_owner: torch.Tensor  # which level each landmark point sets

    @classmethod
    def of(cls, tapes: Iterable[Tape]) -> TapeSet:
        a, b, t, frm, to, owner, vertical = [], [], [], [], [], [], []
        cut, cut_level, lv_a, lv_b, lv_t, lv_owner = [], [], [], [], [], []
        start = 0
        tapes = list(tapes)
        for k, tape in enumerate(tapes):
            n = len(tape.a)
            idx = np.arange(start, start + n)
            if tape.level is not None:
                cut.append(idx)
                cut_level.append(np.full(n, len(lv_a)))
                lv_owner.append(np.full(len(tape.level.a), len(lv_a)))
                lv_a.append(tape.level.a)
                lv_b.append(tape.level.b)
                lv_t.append(tape.level.t)
            if tape.kind == "vertical":
                vertical.append((k, start, start + n - 1))
            else:
                nxt = np.roll(idx, -1) if tape.kind == "closed" else idx[1:]
                frm.append(idx[: len(nxt)])
                to.append(nxt)
                owner.append(np.full(len(nxt), k))
            a.append(tape.a)
            b.append(tape.b)
            t.append(tape.t)
            start += n

        def cat(parts: list[np.ndarray], dtype=np.int64) -> torch.Tensor:
            return torch.from_numpy(np.concatenate(parts).astype(dtype) if parts
                                    else np.zeros(0, dtype))

        return cls(cat(a), cat(b), cat(t, np.float64), cat(frm), cat(to), cat(owner),
                   torch.tensor(vertical, dtype=torch.int64).reshape(-1, 3), len(tapes),
                   cat(cut), cat(cut_level), cat(lv_a), cat(lv_b), cat(lv_t, np.float64),
                   cat(lv_owner))

    def values_cm(self, x: torch.Tensor) -> torch.Tensor:
        """(..., count) readings in cm of (..., N, 3) points (vertices, then bone heads) — one
        body or a batch — differentiable with respect to `x`."""
        p = self.points(x)
        lengths = (p[..., self.seg_to, :] - p[..., self.seg_from, :]).norm(dim=-1)
        out = torch.zeros((*x.shape[:-2], self.count), dtype=x.dtype)
        out = out.index_add(-1, self.seg_owner, lengths)
        if len(self.vertical):
            k, first, last = self.vertical.T
            out = out.index_copy(-1, k, p[..., last, 2] - p[..., first, 2])
        return out * 100.0

    def points(self, x: torch.Tensor) -> torch.Tensor:
        """(..., points, 3): every tape's points on these vertices (then bone heads), those of
        levelled tapes cut again at their landmarks' level."""
        xa, xb = x[..., self.a, :], x[..., self.b, :]
        t = self.t.to(x.dtype).expand(*x.shape[:-2], -1)
        if len(self.cut):
            za, zb = x[..., self.level_a, 2], x[..., self.level_b, 2]
            ref = za + self.level_t.to(x.dtype) * (zb - za)
            count = torch.bincount(self.level_owner)
            z = torch.zeros((*x.shape[:-2], len(count)), dtype=x.dtype)
            z = z.index_add(-1, self.level_owner, ref) / count.to(x.dtype)
            za, zb = xa[..., self.cut, 2], xb[..., self.cut, 2]
            dz = zb - za
            dz = torch.where(dz.abs() < 1e-9, torch.full_like(dz, 1e-9), dz)
            # An edge the level has left holds its end nearest the level (the section point
            # would have moved to the next edge); extrapolating along it throws points off.
            cut = ((z[..., self.cut_level] - za) / dz).clamp(0.0, 1.0)
            t = t.index_copy(-1, self.cut, cut)
        return xa + t[..., None] * (xb - xa)


def tape_values(tapes: dict[str, Tape], names: list[str], vertices: torch.Tensor,
                heads: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Readings of the named measurements (cm, and kg for weight), differentiable."""
    x = torch.cat([vertices, heads], dim=0)
    taped = [n for n in names if n != "weight_kg"]
    values = dict(zip(taped, TapeSet.of(tapes[n] for n in taped).values_cm(x), strict=True))
    if "weight_kg" in names:
        values["weight_kg"] = body_mass_kg(vertices, faces).to(x.dtype)
    return torch.stack([values[n] for n in names])


def read_tapes(tapes: dict[str, Tape], names: Iterable[str], vertices: FloatArray,
               heads: FloatArray, faces: IntArray) -> dict[str, float]:
    """Readings of the named measurements (cm, kg for weight) on a body, rounded to 0.1 mm."""
    names = list(names)
    # Copies: a Body's arrays are read-only, which torch cannot wrap.
    with torch.no_grad():
        values = tape_values(tapes, names, torch.tensor(vertices), torch.tensor(heads),
                             torch.tensor(faces))
    return {n: round(float(v), 2) for n, v in zip(names, values, strict=True)}


def compact_tapes(tapes: dict[str, Tape], n_vertices: int) -> tuple[IntArray, dict[str, Tape]]:
    """The mesh vertices the tapes read, and the tapes re-indexed onto those vertices followed
    by the bone heads (what a fit differentiates through, instead of the whole mesh)."""
    ids = np.concatenate([np.concatenate([t.a, t.b]) for t in tapes.values()]
                         + [np.concatenate([t.level.a, t.level.b]) for t in tapes.values()
                            if t.level is not None])
    used = np.unique(ids[ids < n_vertices])

    def remap(i: IntArray) -> IntArray:
        return np.where(i < n_vertices, np.searchsorted(used, i), len(used) + i - n_vertices)

    def moved(t: Tape) -> Tape:
        return Tape(t.kind, remap(t.a), remap(t.b), t.t,
                    None if t.level is None else moved(t.level))

    return used, {k: moved(t) for k, t in tapes.items()}


def _vertex_tape(kind: str, indices: list[int]) -> Tape:
    idx = np.asarray(indices, dtype=np.int64)
    return Tape(kind, idx, idx, np.zeros(len(idx)))


def _section_tape(kind: str, sec: Section) -> Tape:
    return Tape(kind, sec.a, sec.b, sec.t)


def _concat(kind: str, *tapes: Tape) -> Tape:
    return Tape(kind, np.concatenate([t.a for t in tapes]), np.concatenate([t.b for t in tapes]),
                np.concatenate([t.t for t in tapes]))


def _point_of(tape: Tape, k: int) -> Tape:
    return Tape("open", tape.a[[k]], tape.b[[k]], tape.t[[k]])


@dataclass(frozen=True)
class Anchors:
    """Where the girths that are defined by an extreme (fullest hip, narrowest waist...) are
    taken: each level is that of a point on a mesh edge, found once on anny's reference woman.

    anny's bodies share one mesh, so an edge point is an anatomical landmark on every body
    (the left bust point, the side of the natural waist...). Anchoring the levels keeps the
    measurements of a heavy body where a tailor takes them (a searched "fullest level" would
    slide to the belly) and makes them smooth functions of shape, which the clone fit needs.
    """

    bust: Tape  # the left bust point
    under_bust: Tape  # front of the inframammary fold, below the bust point
    waist: Tape  # side waist point
    hip: Tape  # back of the seat at its greatest prominence
    thigh: Tape  # outside of the thigh at its fullest
    calf: Tape  # back of the calf at its fullest
    ankle: Tape  # outside of the leg at its narrowest above the ankle
    neck_axis: FloatArray  # normal of the neck-base plane
    upper_arm: float  # fraction from shoulder to elbow joint of the fullest upper-arm girth
    wrist: float  # fraction from elbow to wrist joint of the smallest wrist girth
    acromia: tuple[int, int]  # left and right acromion vertices (a searched vertex jumps)


def _find_anchors(p: _Planner, full_cup: _Planner) -> Anchors:
    x = p.x

    def extreme_point(tape: Tape, axis: int, sign: float, where=None) -> Tape:
        pts = tape.points(x)
        idx = np.arange(len(pts)) if where is None else np.flatnonzero(where(pts))
        return _point_of(tape, int(idx[np.argmax(sign * pts[idx, axis])]))

    # The fold is found under the largest breasts anny makes: under smaller ones that level is
    # still on the chest wall, whereas a fold found on small breasts would lie on large ones.
    bust_x = full_cup.bust_point.points(full_cup.x)[0, 0]
    under = full_cup.under_bust[0]
    up = under.points(full_cup.x)
    front = np.flatnonzero(up[:, 1] < np.median(up[:, 1]))
    return Anchors(
        bust=p.bust_point,
        under_bust=_point_of(under, int(front[np.argmin(np.abs(up[front, 0] - bust_x))])),
        waist=p.side_waist,
        hip=extreme_point(p.hip[0], 1, 1.0, lambda q: np.abs(q[:, 0]) < 0.1),
        thigh=extreme_point(p.thigh[0], 0, 1.0),
        calf=extreme_point(p.calf[0], 1, 1.0),
        ankle=extreme_point(p.ankle[0], 0, 1.0),
        neck_axis=p.neck[1],
        upper_arm=p.upper_arm_level,
        wrist=p.wrist_level,
        acromia=p.acromia,
    )


@cache
def reference_anchors() -> Anchors:
    """The anchors, found on anny's reference woman (every phenotype at its middle; the fold
    under the bust on the same woman with the largest cup size)."""
    from dressform.body.model import get_model

    model = get_model()

    def planner(**phenotypes: float) -> _Planner:
        with torch.no_grad():
            verts, heads = model.rest_shape(model.params({"gender": 1.0, **phenotypes}))
        return _Planner(verts[0].double().numpy(), heads[0].double().numpy(), model.faces,
                        model.bone_names)

    return _find_anchors(planner(), planner(cupsize=1.0))


class _Planner:
    """Finds the landmarks and tapes of one body (numpy)."""

    def __init__(self, vertices: FloatArray, heads: FloatArray, faces: IntArray,
                 bone_names: tuple[str, ...], anchors: Anchors | None = None) -> None:
        self.anchors = anchors
        self.v = vertices
        self.heads = heads
        self.faces = faces
        self.bones = bone_names
        self.nv = len(vertices)
        self.x = np.vstack([vertices, heads])
        self.floor_vertex = int(np.argmin(vertices[:, 2]))
        self.floor = float(vertices[self.floor_vertex, 2])
        self._face_extent: dict[tuple[float, ...], tuple[FloatArray, FloatArray]] = {}

    # --- helpers -----------------------------------------------------------------------------
    @cached_property
    def _corners(self) -> IntArray:
        return np.ascontiguousarray(self.faces.T)

    def head(self, bone: str) -> FloatArray:
        return self.heads[self.bones.index(bone)]

    def head_index(self, bone: str) -> int:
        return self.nv + self.bones.index(bone)

    def loops(self, origin: FloatArray, normal: FloatArray) -> list[Section]:
        # Only the faces spanning the plane: their extent along each normal a search uses
        # again and again (levels of the torso, the neck, along an arm) is found once.
        unit = normal / np.linalg.norm(normal)
        key = tuple(np.round(unit, 12))
        if key not in self._face_extent:
            d = self.v @ unit
            # Corner by corner: numpy's min/max along a length-3 axis is ~10× slower.
            d0, d1, d2 = d[self._corners[0]], d[self._corners[1]], d[self._corners[2]]
            self._face_extent[key] = (np.minimum(np.minimum(d0, d1), d2),
                                      np.maximum(np.maximum(d0, d1), d2))
        lo, hi = self._face_extent[key]
        level = origin @ unit
        # A vertex exactly on the plane counts as above it, as in `plane_section_loops`.
        return plane_section_loops(self.v, self.faces, origin, normal, (lo < level) & (hi >= level))

    def loop_around(self, origin: FloatArray, normal: FloatArray,
                    inside: FloatArray | None = None) -> Section | None:
        """The section loop that encloses `inside` (default: the origin)."""
        inside = origin if inside is None else inside
        u, w = plane_basis(normal)
        found = [s for s in self.loops(origin, normal) if s.contains(inside, u, w)]
        # Nested loops (e.g. the mouth cavity inside the head): the tape goes round the outside.
        return max(found, key=lambda s: np.ptp(s.points @ u) + np.ptp(s.points @ w),
                   default=None)

    def hull_tape(self, sec: Section, normal: FloatArray) -> Tape:
        u, w = plane_basis(normal)
        pts2 = np.stack([sec.points @ u, sec.points @ w], axis=1)
        order = convex_hull_order(pts2)
        return _section_tape("closed", sec.take(order))

    def girth(self, origin: FloatArray, normal: FloatArray,
              inside: FloatArray | None = None) -> Tape | None:
        sec = self.loop_around(origin, normal, inside)
        return None if sec is None else self.hull_tape(sec, normal)

    def spine_point(self, z: float) -> FloatArray:
        """A point inside the torso at level z: the spine chain, interpolated."""
        chain = ["root", "spine04", "spine03", "spine02", "spine01", "neck01"]
        pts = np.array([self.head(b) for b in chain])
        y = np.interp(z, pts[:, 2], pts[:, 1])
        # The spine lies towards the back; the torso's middle is a few cm in front of it.
        return np.array([0.0, y - 0.03, z])

    def torso(self, z: float) -> Tape | None:
        return self.girth(self.spine_point(z), Z)

    def leg_point(self, z: float) -> FloatArray:
        chain = ["upperleg01.L", "lowerleg01.L", "foot.L"]
        pts = np.array([self.head(b) for b in chain])[::-1]
        return np.array([np.interp(z, pts[:, 2], pts[:, 0]),
                         np.interp(z, pts[:, 2], pts[:, 1]), z])

    def leg(self, z: float) -> Tape | None:
        return self.girth(np.array([0.0, 0.0, z]), Z, self.leg_point(z))

    def extreme(self, levels: FloatArray, make, pick=max) -> tuple[Tape, float]:
        """The tape with the largest (or smallest) value over `levels`, and its level."""
        sign = 1.0 if pick is max else -1.0
        return self._search(levels, make, lambda tape: sign * tape.value_cm(self.x))

    def _search(self, levels: FloatArray, make, score) -> tuple[Tape, float]:
        # Every third level first, then the neighbours of the best: the girth profiles are
        # smooth at this scale, and this needs a third of the sections.
        cache: dict[int, tuple[float, Tape] | None] = {}

        def at(i: int) -> tuple[float, Tape] | None:
            if i not in cache:
                tape = make(levels[i])
                cache[i] = None if tape is None else (score(tape), tape)
            return cache[i]

        coarse = [*list(range(0, len(levels), 3)), len(levels) - 1]
        scored = [(at(i)[0], i) for i in coarse if at(i) is not None]
        if not scored:
            raise ValueError("no section found")
        i_best = max(scored)[1]
        for i in range(max(0, i_best - 2), min(len(levels), i_best + 3)):
            at(i)
        i_best = max((v[0], i) for i, v in cache.items() if v is not None)[1]
        return cache[i_best][1], float(levels[i_best])

    def profile_extreme(self, levels: FloatArray, profile: Literal["front out", "back out"]
                        ) -> tuple[Tape, float]:
        """Torso girth and level where the middle (|x| < 10 cm) of the front ("front out") or
        of the back ("back out") stands furthest out."""

        def score(tape: Tape) -> float:
            if profile == "front out":
                return self.front(tape)
            p = tape.points(self.x)
            mid = p[np.abs(p[:, 0]) < 0.1, 1]
            return float(mid.max()) if len(mid) else -np.inf

        return self._search(levels, self.torso, score)

    # --- landmarks ---------------------------------------------------------------------------
    @cached_property
    def crotch(self) -> int:
        """The crotch: the lowest vertex on the midline of the body's middle height band."""
        v = self.v
        h = v[:, 2].max() - self.floor
        cand = np.flatnonzero((np.abs(v[:, 0]) < 0.01) & (v[:, 2] > self.floor + 0.3 * h)
                              & (v[:, 2] < self.floor + 0.6 * h))
        return int(cand[np.argmin(v[cand, 2])])

    @cached_property
    def armpit_z(self) -> float:
        """Highest level where the left arm is still a loop of its own, apart from the torso."""
        lo = self.head("lowerarm01.L")[2]
        hi = self.head("upperarm01.L")[2]

        def separate(z: float) -> bool:
            # Torso and both arms: three loops. Hands hang below the elbow, out of this range.
            return len(self.loops(np.array([0.0, 0.0, z]), Z)) >= 3

        for _ in range(10):
            mid = 0.5 * (lo + hi)
            if separate(mid):
                lo = mid
            else:
                hi = mid
        return float(lo)

    def acromion(self, side: str) -> int:
        j = self.head(f"upperarm01.{side}")
        sign = 1.0 if side == "L" else -1.0
        v = self.v
        near = np.flatnonzero((sign * (v[:, 0] - j[0]) >= 0) & (sign * (v[:, 0] - j[0]) < 0.02)
                              & (np.abs(v[:, 1] - j[1]) < 0.04)
                              & (np.abs(v[:, 2] - j[2]) < 0.12))
        return int(near[np.argmax(v[near, 2])])

    # --- landmarks and levels, each found once and only when a tape needs it ---------------
    @cached_property
    def top(self) -> int:
        return int(np.argmax(self.v[:, 2]))

    @cached_property
    def crotch_z(self) -> float:
        return float(self.v[self.crotch, 2])

    @cached_property
    def torso_len(self) -> float:
        return self.armpit_z - self.crotch_z

    def band(self, lo: float, hi: float) -> FloatArray:
        return np.arange(lo, hi + 1e-9, LEVEL_STEP)

    def anchor_z(self, anchor: Tape) -> float:
        return float(anchor.points(self.x)[0, 2])

    def anchored(self, name: str, search: Callable[[], tuple[Tape, float]],
                 make: Callable[[float], Tape | None]) -> tuple[Tape, float]:
        """A girth at its anchored level, or (on the reference body) found by `search`."""
        if self.anchors is None:
            return search()
        anchor = getattr(self.anchors, name)
        z = self.anchor_z(anchor)
        tape = make(z)
        if tape is None:
            raise ValueError(f"no section for {name} at z = {z:.3f} m")
        return replace(tape, level=anchor), z

    @cached_property
    def bust(self) -> tuple[Tape, float]:
        """The level where the chest front stands furthest forward (the bust points)."""
        # The search band (armpit, torso length) is only worked out on the reference body.
        return self.anchored("bust", lambda: self.profile_extreme(self.band(
            self.armpit_z - 0.3 * self.torso_len, self.armpit_z - 0.05 * self.torso_len),
            "front out"), self.torso)

    @cached_property
    def under_bust(self) -> tuple[Tape, float]:
        """The inframammary fold: going down from the bust, where the chest front stops
        receding (under the breast, the front is the chest wall)."""
        return self.anchored("under_bust", self._fold, self.torso)

    def _fold(self) -> tuple[Tape, float]:
        z = self.bust[1]
        prev = self.front(self.bust[0])
        receding = False  # round the apex of the breast the front is flat too: pass it first
        for level in z - LEVEL_STEP * np.arange(1, int(0.3 * self.torso_len / LEVEL_STEP)):
            tape = self.torso(level)
            if tape is None:
                continue
            front = self.front(tape)
            if prev - front > 0.3 * LEVEL_STEP:
                receding = True
            elif receding and prev - front < 0.1 * LEVEL_STEP:
                return tape, float(level)
            prev = front
        raise ValueError("no inframammary fold below the bust")

    def front(self, tape: Tape) -> float:
        """How far forward the middle (|x| < 10 cm) of a torso girth stands (m, towards −Y)."""
        p = tape.points(self.x)
        mid = p[np.abs(p[:, 0]) < 0.1, 1]
        return float(-mid.min()) if len(mid) else -np.inf

    @cached_property
    def waist(self) -> tuple[Tape, float]:
        return self.anchored("waist", lambda: self.extreme(self.band(
            self.crotch_z + 0.35 * self.torso_len, self.crotch_z + 0.7 * self.torso_len),
            self.torso, pick=min), self.torso)

    @cached_property
    def hip(self) -> tuple[Tape, float]:
        """The level of the greatest buttock prominence, where the back stands out most."""
        return self.anchored("hip", lambda: self.profile_extreme(
            self.band(self.crotch_z + 0.02 * self.torso_len, self.waist[1]), "back out"),
            self.torso)

    @cached_property
    def thigh(self) -> tuple[Tape, float]:
        scale = (self.v[self.top, 2] - self.floor) / 1.7
        return self.anchored("thigh", lambda: self.extreme(self.band(
            self.crotch_z - 0.06 * scale, self.crotch_z - 0.01 * scale), self.leg), self.leg)

    @cached_property
    def calf(self) -> tuple[Tape, float]:
        ankle, shin = self._shin()
        return self.anchored("calf", lambda: self.extreme(
            self.band(ankle + 0.45 * shin, ankle + 0.85 * shin), self.leg), self.leg)

    @cached_property
    def ankle(self) -> tuple[Tape, float]:
        ankle, shin = self._shin()
        return self.anchored("ankle", lambda: self.extreme(
            self.band(ankle + 0.1 * shin, ankle + 0.35 * shin), self.leg, pick=min), self.leg)

    def upper_arm(self, f: float) -> Tape | None:
        sh, el, _, up, _ = self.arm_axes
        return self.girth(sh + f * (el - sh), up)

    def forearm(self, f: float) -> Tape | None:
        _, el, wr, _, fore = self.arm_axes
        return self.girth(el + f * (wr - el), fore)

    @cached_property
    def upper_arm_level(self) -> float:
        """Fraction of the way from shoulder to elbow joint of the fullest upper-arm girth."""
        if self.anchors is not None:
            return self.anchors.upper_arm
        return self.extreme(np.linspace(0.35, 0.7, 15), self.upper_arm)[1]

    @cached_property
    def wrist_level(self) -> float:
        """Fraction of the way from elbow to wrist joint of the smallest wrist girth."""
        if self.anchors is not None:
            return self.anchors.wrist
        return self.extreme(np.linspace(0.8, 1.0, 9), self.forearm, pick=min)[1]

    @cached_property
    def neck(self) -> tuple[Section, FloatArray]:
        """The neck section where a collar sits, and its plane's normal.

        The plane keeps the reference woman's tilt (front lower, as from the jugular notch up
        to the cervicale) and is the narrowest such section between the shoulders and the
        head. Neck joints are a poor guide on heavy or muscular bodies: they lean back (a
        plane square to them passes under the chin) or sit in the trapezius.
        """
        n0, n1 = self.head("neck01"), self.head("neck02")
        if self.anchors is None:  # the reference body: square to its neck, half-way up
            axis = (n1 - n0) / np.linalg.norm(n1 - n0)
            sec = self.loop_around(n0 + 0.5 * (n1 - n0), axis)
            if sec is None:
                raise ValueError("no section around the neck")
            return sec, axis
        axis = self.anchors.neck_axis
        chain = np.array([self.head(b) for b in ("neck01", "neck02", "neck03", "head")])
        z_lo, z_hi = self.v[self.acromia[0], 2], chain[-1, 2]

        def at(z: float) -> FloatArray:
            return np.array([0.0, np.interp(z, chain[:, 2], chain[:, 1]), z])

        levels = np.linspace(z_lo, z_hi, 16)
        girths: dict[float, Tape | None] = {}

        def girth(z: float) -> Tape | None:
            if z not in girths:
                girths[z] = self.girth(at(z), axis)
            return girths[z]

        tape, z = self.extreme(levels, girth, pick=min)
        # The narrowest level between the searched ones (a parabola through its neighbours,
        # which the search has mostly cut already): the collar, and the HPS on it, then move
        # smoothly with the body's shape.
        i = int(np.argmin(np.abs(levels - z)))
        h = levels[1] - levels[0]
        around = [girth(levels[j]) if 0 <= j < len(levels) else None for j in (i - 1, i + 1)]
        if all(t is not None for t in around):
            g_lo, g_hi = (t.value_cm(self.x) for t in around)  # type: ignore[union-attr]
            g0 = tape.value_cm(self.x)
            curve = g_lo - 2.0 * g0 + g_hi
            if curve > 0:
                z += float(np.clip(0.5 * h * (g_lo - g_hi) / curve, -h, h))
        sec = self.loop_around(at(z), axis)
        assert sec is not None  # found by the search
        return sec, axis

    @cached_property
    def hps(self) -> Section:
        """High point of the shoulder: the collar section's outermost point on the left."""
        sec = self.neck[0]
        return sec.take(np.array([int(np.argmax(sec.points[:, 0]))]))

    @cached_property
    def acromia(self) -> tuple[int, int]:
        if self.anchors is not None:
            return self.anchors.acromia
        return self.acromion("L"), self.acromion("R")

    @cached_property
    def side_waist(self) -> Tape:
        waist = self.waist[0]
        k = int(np.argmax(waist.points(self.x)[:, 0]))
        return _point_of(waist, k)

    @cached_property
    def bust_point(self) -> Tape:
        if self.anchors is not None:
            return self.anchors.bust
        bust = self.bust[0]
        bp = bust.points(self.x)
        left = np.flatnonzero(bp[:, 0] > 0.02)
        return _point_of(bust, int(left[np.argmin(bp[left, 1])]))

    @cached_property
    def arm_axes(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Shoulder, elbow and wrist joints, upper-arm and forearm directions."""
        sh, el, wr = self.head("upperarm01.L"), self.head("lowerarm01.L"), self.head("wrist.L")
        return (sh, el, wr, (el - sh) / np.linalg.norm(el - sh),
                (wr - el) / np.linalg.norm(wr - el))

    # --- one tape per measurement ------------------------------------------------------------
    def tape(self, name: str) -> Tape | None:
        return getattr(self, "_" + name.rsplit("_", 1)[0])()

    def _height(self) -> Tape:
        return _vertex_tape("vertical", [self.floor_vertex, self.top])

    def _bust_girth(self) -> Tape:
        return self.bust[0]

    def _high_bust_girth(self) -> Tape | None:
        return self.torso(self.armpit_z - 0.02 * self.torso_len)

    def _under_bust_girth(self) -> Tape:
        return self.under_bust[0]

    def _waist_girth(self) -> Tape:
        return self.waist[0]

    def _hip_girth(self) -> Tape:
        return self.hip[0]

    def _high_hip_girth(self) -> Tape | None:
        tape = self.torso(0.5 * (self.waist[1] + self.hip[1]))
        if tape is None or self.anchors is None:
            return tape
        return replace(tape, level=_concat("open", self.anchors.waist, self.anchors.hip))

    def _neck_base_girth(self) -> Tape:
        return self.hull_tape(*self.neck)

    def _shoulder_width(self) -> Tape:
        # Over the back, in the plane through both acromia and the cervicale.
        neck = self.neck[0]
        c7 = neck.take(np.array([int(np.argmax(neck.points[:, 1]))]))
        a_l, a_r = self.acromia
        p_r, p_l, p_c = self.v[a_r], self.v[a_l], c7.points[0]
        normal = np.cross(p_l - p_r, p_c - p_r)
        # Only the shoulders and the base of the neck: on a short neck this plane also cuts
        # the back of the head, which the tape would otherwise pass over.
        section = merge_sections(self.loops(p_r, normal))
        section = section.take(np.flatnonzero(section.points[:, 2] <= p_c[2] + 0.01))
        return self.surface_path(_vertex_tape("open", [a_r]), _vertex_tape("open", [a_l]), None,
                                 outward=np.array([0.0, 1.0, 0.0]), normal=normal,
                                 section=section)

    def _across_back(self) -> Tape:
        # Between the armpit folds, a third of the way up to the acromion.
        z_ab = self.armpit_z + (self.v[self.acromia[0], 2] - self.armpit_z) / 3.0
        under_arm = self._high_bust_girth()
        if under_arm is None:
            raise ValueError("no torso section under the arms")
        x_fold = np.abs(under_arm.points(self.x)[:, 0]).max()
        centre = self.spine_point(z_ab)
        sec = self.loop_around(centre, Z)
        if sec is None:
            raise ValueError("no torso section across the back")
        back = np.flatnonzero(sec.points[:, 1] > centre[1])
        ends = [back[np.argmin(np.abs(sec.points[back, 0] - s * x_fold))] for s in (-1, 1)]
        return self.surface_path(
            _section_tape("open", sec.take(np.array([ends[0]]))),
            _section_tape("open", sec.take(np.array([ends[1]]))),
            None, outward=np.array([0.0, 1.0, 0.0]), normal=Z, section=sec)

    def _arm_length(self) -> Tape:
        return _vertex_tape("open", [self.acromia[0], self.head_index("lowerarm01.L"),
                                     self.head_index("wrist.L")])

    def _upper_arm_girth(self) -> Tape | None:
        return self.upper_arm(self.upper_arm_level)

    def _elbow_girth(self) -> Tape | None:
        _, el, _, up, fore = self.arm_axes
        return self.girth(el, (up + fore) / np.linalg.norm(up + fore))

    def _wrist_girth(self) -> Tape | None:
        return self.forearm(self.wrist_level)

    def _thigh_girth(self) -> Tape:
        return self.thigh[0]

    def _knee_girth(self) -> Tape | None:
        tape = self.leg(self.head("lowerleg01.L")[2])
        knee = _vertex_tape("open", [self.head_index("lowerleg01.L")])
        return None if tape is None else replace(tape, level=knee)

    def _shin(self) -> tuple[float, float]:
        ankle = self.head("foot.L")[2]
        return ankle, self.head("lowerleg01.L")[2] - ankle

    def _calf_girth(self) -> Tape:
        return self.calf[0]

    def _ankle_girth(self) -> Tape:
        return self.ankle[0]

    def _inseam(self) -> Tape:
        return _vertex_tape("vertical", [self.floor_vertex, self.crotch])

    def _waist_height(self) -> Tape:
        return _concat("vertical", _vertex_tape("open", [self.floor_vertex]), self.side_waist)

    def _crotch_depth(self) -> Tape:
        return _concat("vertical", _vertex_tape("open", [self.crotch]), self.side_waist)

    def _outseam(self) -> Tape:
        return self.outseam(self.side_waist)

    def _back_waist_length(self) -> Tape:
        back_pt = self._waist_point(self.waist[0], self.hps, front=False)
        return self.surface_path(_section_tape("open", self.hps), back_pt, None,
                                 outward=np.array([0.0, 1.0, 0.0]),
                                 normal=np.array([1.0, 0.0, 0.0]), below_start=True)

    def _front_waist_length(self) -> Tape:
        front_pt = self._waist_point(self.waist[0], self.bust_point, front=True)
        return self.surface_path(_section_tape("open", self.hps), front_pt, self.bust_point,
                                 outward=np.array([0.0, -1.0, 0.0]), below_start=True)

    def plan(self, names: Iterable[str]) -> dict[str, Tape]:
        tapes = {n: self.tape(n) for n in names if n != "weight_kg"}
        missing = [n for n, t in tapes.items() if t is None]
        if missing:
            raise ValueError(f"could not locate {missing}")
        return tapes  # type: ignore[return-value]

    def _waist_point(self, waist: Tape, near: Section | Tape, front: bool) -> Tape:
        wp = waist.points(self.x)
        x_near = (near.points(self.x) if isinstance(near, Tape) else near.points)[0, 0]
        half = np.flatnonzero(wp[:, 1] < np.median(wp[:, 1])) if front else \
            np.flatnonzero(wp[:, 1] > np.median(wp[:, 1]))
        return _point_of(waist, int(half[np.argmin(np.abs(wp[half, 0] - x_near))]))

    def surface_path(self, start: Tape, end: Tape, via: Tape | None, outward: FloatArray,
                     normal: FloatArray | None = None, section: Section | None = None,
                     below_start: bool = False) -> Tape:
        """A tape laid from `start` to `end` over the body, in the plane through both and `via`
        (or with the given `normal`), bulging `outward` (it bridges hollows).

        `below_start`: only the body below the start counts — a tape laid down from the
        shoulder must not bridge over the chin or the back of the head, which the plane may
        also cut (it did: 7–10 cm too long on some bodies, and jumping as the shape changed).
        """
        p0, p1 = start.points(self.x)[0], end.points(self.x)[0]
        if normal is None:
            pv = via.points(self.x)[0]
            normal = np.cross(p1 - p0, pv - p0)
        normal = normal / np.linalg.norm(normal)
        u, w = plane_basis(normal)
        sec = merge_sections(self.loops(p0, normal)) if section is None else section
        if below_start:
            sec = sec.take(np.flatnonzero(sec.points[:, 2] <= p0[2] + 1e-3))

        def to2(p: FloatArray) -> FloatArray:
            return np.stack([p @ u, p @ w], axis=-1)

        _, inner = hull_chain_length(to2(sec.points), to2(p0), to2(p1), to2(outward))
        mid = _section_tape("open", sec.take(inner))
        return _concat("open", start, mid, end)

    def outseam(self, side_pt: Tape) -> Tape:
        p0 = side_pt.points(self.x)[0]
        # The frontal plane tilted to pass through the ankle joint too: a plane at the waist
        # point's depth alone can miss the lower leg and the foot.
        normal = np.cross(self.head("foot.L") - p0, np.array([1.0, 0.0, 0.0]))
        normal /= np.linalg.norm(normal)
        # The loop through the leg (the arm and hand are separate loops in this plane).
        sec = self.loop_around(p0, normal, self.leg_point(0.5 * (p0[2] + self.floor)))
        if sec is None:
            raise ValueError("no frontal section through the leg for the outseam")
        pts = sec.points
        leftside = np.flatnonzero((pts[:, 0] > 0.0) & (pts[:, 2] < p0[2]))
        floor_k = leftside[np.argmin(pts[leftside, 2] - 1e-3 * pts[leftside, 0])]
        end = _section_tape("open", sec.take(np.array([floor_k])))
        # Down the outside of hip, thigh, knee and ankle to the sole, bridging hollows.
        return self.surface_path(side_pt, end, None, outward=np.array([1.0, 0.0, 0.0]),
                                 normal=normal, section=sec)


def plan_tapes(vertices: FloatArray, heads: FloatArray, faces: IntArray,
               bone_names: tuple[str, ...],
               names: Iterable[str] = MEASUREMENT_NAMES) -> dict[str, Tape]:
    """Find the tapes of the named measurements (default: all) on a rest-pose body (anny
    topology). Only the landmarks those tapes need are looked for."""
    return _Planner(vertices, heads, faces, bone_names, reference_anchors()).plan(names)


def measure(body: Body) -> Measurements:
    """Measure a clone (see the module docstring for each definition)."""
    heads = body.skeleton.heads
    tapes = plan_tapes(body.vertices, heads, body.faces, body.skeleton.names)
    return Measurements(**read_tapes(tapes, MEASUREMENT_NAMES, body.vertices, heads, body.faces))
