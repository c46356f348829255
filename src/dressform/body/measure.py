"""ISO 8559-1 body measurements of a clone, the way a tailor takes them.

Every measurement is a *tape*: points on the body surface (each on a mesh edge, or a joint
centre), joined as a closed loop (a girth), an open path (a length laid along the body) or a
vertical difference (a height). Tapes are found on numpy arrays by :func:`plan_tapes` and then
evaluated from vertex positions — by numpy in :func:`measure`, and by torch with gradients in
:mod:`dressform.body.clone`, from the very same tape, so fitting and measuring agree exactly.

Girths are convex-hull perimeters of plane sections (a tape bridges hollows) of the loop that
encloses the right body segment. The clone stands in anny's A-pose, front = −Y, left = +X,
feet on z = 0. ``T`` below is the torso length, armpit level minus crotch level.

=========================  ================================================================
measurement                definition (landmark and method)
=========================  ================================================================
height_cm                  vertex of the head, vertical distance to the floor (soles)
weight_kg                  closed-mesh volume × 1010 kg/m³ (whole-body density with lung air)
bust_girth_cm              horizontal torso girth at the bust points: the level between
                           armpit − 0.3 T and armpit − 0.05 T where the chest stands furthest
                           forward (chest girth for men)
high_bust_girth_cm         horizontal torso girth just under the arms (armpit − 0.02 T),
                           above the breasts
under_bust_girth_cm        horizontal torso girth where the front of the chest is deepest-set
                           below the bust (the inframammary fold), bust − 0.3 T … bust − 0.02 T
waist_girth_cm             natural waist: the smallest horizontal torso girth between
                           crotch + 0.35 T and crotch + 0.7 T
high_hip_girth_cm          horizontal girth half-way between the waist and hip levels
hip_girth_cm               horizontal girth at the greatest buttock prominence (the level where
                           the back stands out most), crotch + 0.02 T … waist
neck_base_girth_cm         girth perpendicular to the neck axis at its base (neck joint), over
                           the cervicale at the back and the jugular notch at the front
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
                           following the body's outline in the frontal plane
waist_height_cm            side waist point to floor, vertical (FreeSewing's waistToFloor)
back_waist_length_cm       high point of the shoulder (HPS), down the back to the waist,
                           bridging the shoulder blade
front_waist_length_cm      HPS over the bust point down to the front waist
crotch_depth_cm            waist level minus crotch level (body rise)
=========================  ================================================================
Left-side measurements (arm, leg) are taken on the clone's left (+X); anny bodies are symmetric.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from dressform.body.mesh import Body
from dressform.errors import UnknownNameError
from dressform.geometry.sections import (
    Section,
    convex_hull_order,
    hull_chain_length,
    plane_basis,
    plane_section_loops,
)
from dressform.names import suggest

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

Z = np.array([0.0, 0.0, 1.0])


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
    """

    kind: str
    a: IntArray
    b: IntArray
    t: FloatArray

    def points(self, x: FloatArray) -> FloatArray:
        return x[self.a] + self.t[:, None] * (x[self.b] - x[self.a])

    def value_cm(self, x: FloatArray) -> float:
        p = self.points(x)
        if self.kind == "vertical":
            return float(p[-1, 2] - p[0, 2]) * 100.0
        seg = np.diff(np.vstack([p, p[:1]]) if self.kind == "closed" else p, axis=0)
        return float(np.linalg.norm(seg, axis=1).sum()) * 100.0


def _vertex_tape(kind: str, indices: list[int]) -> Tape:
    idx = np.asarray(indices, dtype=np.int64)
    return Tape(kind, idx, idx, np.zeros(len(idx)))


def _section_tape(kind: str, sec: Section) -> Tape:
    return Tape(kind, sec.a, sec.b, sec.t)


def _concat(kind: str, *tapes: Tape) -> Tape:
    return Tape(kind, np.concatenate([t.a for t in tapes]), np.concatenate([t.b for t in tapes]),
                np.concatenate([t.t for t in tapes]))


class _Planner:
    """Finds the landmarks and tapes of one body (numpy)."""

    def __init__(self, vertices: FloatArray, heads: FloatArray, faces: IntArray,
                 bone_names: tuple[str, ...], part_ids: IntArray,
                 part_names: tuple[str, ...]) -> None:
        self.v = vertices
        self.heads = heads
        self.faces = faces
        self.bones = bone_names
        self.nv = len(vertices)
        self.x = np.vstack([vertices, heads])
        self.parts = part_ids
        self.part_names = part_names
        self.floor_vertex = int(np.argmin(vertices[:, 2]))
        self.floor = float(vertices[self.floor_vertex, 2])
        fz = vertices[faces][:, :, 2]
        self.face_zmin, self.face_zmax = fz.min(axis=1), fz.max(axis=1)

    # --- helpers -----------------------------------------------------------------------------
    def head(self, bone: str) -> FloatArray:
        return self.heads[self.bones.index(bone)]

    def head_index(self, bone: str) -> int:
        return self.nv + self.bones.index(bone)

    def loops(self, origin: FloatArray, normal: FloatArray) -> list[Section]:
        mask = None
        if normal[0] == 0.0 and normal[1] == 0.0:  # horizontal: only faces spanning the level
            mask = (self.face_zmin < origin[2]) & (self.face_zmax > origin[2])
        return plane_section_loops(self.v, self.faces, origin, normal, mask)

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

    def on_segment(self, bone_a: str, bone_b: str, f: float) -> FloatArray:
        a, b = self.head(bone_a), self.head(bone_b)
        return a + f * (b - a)

    def leg_point(self, z: float) -> FloatArray:
        chain = ["upperleg01.L", "lowerleg01.L", "foot.L"]
        pts = np.array([self.head(b) for b in chain])[::-1]
        return np.array([np.interp(z, pts[:, 2], pts[:, 0]),
                         np.interp(z, pts[:, 2], pts[:, 1]), z])

    def leg(self, z: float) -> Tape | None:
        return self.girth(np.array([0.0, 0.0, z]), Z, self.leg_point(z))

    def extreme(self, levels: FloatArray, make, pick=max) -> tuple[float, Tape]:
        """The tape with the largest (or smallest) value over `levels` (coarse, then fine)."""
        return self._search(levels, make, lambda tape: tape.value_cm(self.x) *
                            (1.0 if pick is max else -1.0))

    def _search(self, levels: FloatArray, make, score) -> tuple[float, Tape]:
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
        self._level = float(levels[i_best])
        value, tape = cache[i_best]
        return value, tape

    def front_extreme(self, levels: FloatArray, forward: bool, back: bool = False
                      ) -> tuple[Tape, float]:
        """Torso girth at the level where the front (|x| < 10 cm) is most forward / set back,
        or (`back`) where the back stands out most."""

        def score(tape: Tape) -> float:
            p = tape.points(self.x)
            mid = p[np.abs(p[:, 0]) < 0.1, 1]
            if not len(mid):
                return -np.inf
            if back:
                return float(mid.max())
            return float(-mid.min() if forward else mid.min())

        _, tape = self._search(levels, self.torso, score)
        return tape, self._level

    # --- landmarks ---------------------------------------------------------------------------
    def crotch_vertex(self) -> int:
        v = self.v
        h = v[:, 2].max() - self.floor
        cand = np.flatnonzero((np.abs(v[:, 0]) < 0.01) & (v[:, 2] > self.floor + 0.3 * h)
                              & (v[:, 2] < self.floor + 0.6 * h))
        return int(cand[np.argmin(v[cand, 2])])

    def armpit_level(self) -> float:
        """Highest level where the left arm is still a loop of its own, apart from the torso."""
        lo = self.head("lowerarm01.L")[2]
        hi = self.head("upperarm01.L")[2]

        def separate(z: float) -> bool:
            # Torso and both arms: three loops. Hands hang below the elbow, out of this range.
            return len(self.loops(np.array([0.0, 0.0, z]), Z)) >= 3

        for _ in range(14):
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

    # --- the plan ----------------------------------------------------------------------------
    def plan(self) -> dict[str, Tape]:
        v, x = self.v, self.x
        tapes: dict[str, Tape] = {}
        top = int(np.argmax(v[:, 2]))
        tapes["height_cm"] = _vertex_tape("vertical", [self.floor_vertex, top])
        crotch = self.crotch_vertex()
        crotch_z = v[crotch, 2]
        armpit_z = self.armpit_level()
        torso_len = armpit_z - crotch_z
        step = 0.005

        def band(lo: float, hi: float) -> FloatArray:
            return np.arange(lo, hi + 1e-9, step)

        # Bust: the level where the chest front stands furthest forward (the bust points).
        tapes["bust_girth_cm"], bust_z = self.front_extreme(
            band(armpit_z - 0.3 * torso_len, armpit_z - 0.05 * torso_len), forward=True)
        tapes["high_bust_girth_cm"] = self.torso(armpit_z - 0.02 * torso_len)
        # Under-bust: where the chest front is set deepest below the bust (inframammary fold).
        tapes["under_bust_girth_cm"], _ = self.front_extreme(
            band(bust_z - 0.3 * torso_len, bust_z - 0.02 * torso_len), forward=False)
        _, tapes["waist_girth_cm"] = self.extreme(
            band(crotch_z + 0.35 * torso_len, crotch_z + 0.7 * torso_len), self.torso, pick=min)
        waist_z = self._level
        # Hip (seat): the level of the greatest buttock prominence, where the back stands out most.
        tapes["hip_girth_cm"], hip_z = self.front_extreme(
            band(crotch_z + 0.02 * torso_len, waist_z), forward=False, back=True)
        tapes["high_hip_girth_cm"] = self.torso(0.5 * (waist_z + hip_z))

        # Neck base: perpendicular to the neck axis at the neck joint.
        n0, n1 = self.head("neck01"), self.head("neck02")
        neck_axis = (n1 - n0) / np.linalg.norm(n1 - n0)
        neck_sec = None
        for f in (0.0, 0.25, 0.5, 0.75):  # the joint may sit at the skin on some shapes
            neck_sec = neck_sec or self.loop_around(n0 + f * (n1 - n0), neck_axis)
        tapes["neck_base_girth_cm"] = self.hull_tape(neck_sec, neck_axis)
        c7 = neck_sec.take(np.array([int(np.argmax(neck_sec.points[:, 1]))]))
        hps = neck_sec.take(np.array([int(np.argmax(neck_sec.points[:, 0]))]))

        # Shoulder width over the back: plane through both acromia and the cervicale.
        a_l, a_r = self.acromion("L"), self.acromion("R")
        tapes["shoulder_width_cm"] = self.surface_path(
            _vertex_tape("open", [a_r]), _vertex_tape("open", [a_l]),
            _section_tape("open", c7), outward=np.array([0.0, 1.0, 0.0]))

        # Across back: between the armpit folds, a third of the way up to the acromion.
        z_ab = armpit_z + (v[a_l, 2] - armpit_z) / 3.0
        under_arm = self.torso(armpit_z - 0.02 * torso_len).points(x)
        x_fold = np.abs(under_arm[:, 0]).max()
        sec = self.loop_around(self.spine_point(z_ab), Z)
        back = np.flatnonzero(sec.points[:, 1] > self.spine_point(z_ab)[1])
        ends = [back[np.argmin(np.abs(sec.points[back, 0] - s * x_fold))] for s in (-1, 1)]
        tapes["across_back_cm"] = self.surface_path(
            _section_tape("open", sec.take(np.array([ends[0]]))),
            _section_tape("open", sec.take(np.array([ends[1]]))),
            None, outward=np.array([0.0, 1.0, 0.0]), normal=Z, section=sec)

        # Arm.
        tapes["arm_length_cm"] = _vertex_tape(
            "open", [a_l, self.head_index("lowerarm01.L"), self.head_index("wrist.L")])
        sh, el, wr = self.head("upperarm01.L"), self.head("lowerarm01.L"), self.head("wrist.L")
        up_axis = (el - sh) / np.linalg.norm(el - sh)
        fore_axis = (wr - el) / np.linalg.norm(wr - el)
        _, tapes["upper_arm_girth_cm"] = self.extreme(
            np.linspace(0.35, 0.7, 15), lambda f: self.girth(sh + f * (el - sh), up_axis))
        elbow_axis = (up_axis + fore_axis) / np.linalg.norm(up_axis + fore_axis)
        tapes["elbow_girth_cm"] = self.girth(el, elbow_axis)
        _, tapes["wrist_girth_cm"] = self.extreme(
            np.linspace(0.8, 1.0, 9), lambda f: self.girth(el + f * (wr - el), fore_axis),
            pick=min)

        # Leg.
        knee, ankle = self.head("lowerleg01.L"), self.head("foot.L")
        scale = (v[top, 2] - self.floor) / 1.7
        _, tapes["thigh_girth_cm"] = self.extreme(
            band(crotch_z - 0.06 * scale, crotch_z - 0.01 * scale), self.leg)
        tapes["knee_girth_cm"] = self.leg(knee[2])
        shin = knee[2] - ankle[2]
        _, tapes["calf_girth_cm"] = self.extreme(
            band(ankle[2] + 0.45 * shin, ankle[2] + 0.85 * shin), self.leg)
        _, tapes["ankle_girth_cm"] = self.extreme(
            band(ankle[2] + 0.1 * shin, ankle[2] + 0.35 * shin), self.leg, pick=min)

        # Lengths.
        tapes["inseam_cm"] = _vertex_tape("vertical", [self.floor_vertex, crotch])
        waist = tapes["waist_girth_cm"]
        wp = waist.points(x)
        side = int(np.argmax(wp[:, 0]))
        side_pt = Tape("open", waist.a[[side]], waist.b[[side]], waist.t[[side]])
        tapes["waist_height_cm"] = _concat("vertical", _vertex_tape("open", [self.floor_vertex]),
                                           side_pt)
        tapes["crotch_depth_cm"] = _concat("vertical", _vertex_tape("open", [crotch]), side_pt)
        tapes["outseam_cm"] = self.outseam(side_pt)
        back_pt = self._waist_point(waist, hps, front=False)
        tapes["back_waist_length_cm"] = self.surface_path(
            _section_tape("open", hps), back_pt, None, outward=np.array([0.0, 1.0, 0.0]),
            normal=np.array([1.0, 0.0, 0.0]))
        bust_tape = tapes["bust_girth_cm"]
        bp = bust_tape.points(x)
        left = np.flatnonzero(bp[:, 0] > 0.02)
        bust_point = left[np.argmin(bp[left, 1])]
        bust_pt = Tape("open", bust_tape.a[[bust_point]], bust_tape.b[[bust_point]],
                       bust_tape.t[[bust_point]])
        front_pt = self._waist_point(waist, bust_pt, front=True)
        tapes["front_waist_length_cm"] = self.surface_path(
            _section_tape("open", hps), front_pt, bust_pt, outward=np.array([0.0, -1.0, 0.0]))
        missing = [n for n in MEASUREMENT_NAMES if n != "weight_kg" and tapes.get(n) is None]
        if missing:
            raise ValueError(f"could not locate {missing}")
        return tapes

    def _waist_point(self, waist: Tape, near: Section | Tape, front: bool) -> Tape:
        wp = waist.points(self.x)
        x_near = (near.points(self.x) if isinstance(near, Tape) else near.points)[0, 0]
        half = np.flatnonzero(wp[:, 1] < np.median(wp[:, 1])) if front else \
            np.flatnonzero(wp[:, 1] > np.median(wp[:, 1]))
        k = half[np.argmin(np.abs(wp[half, 0] - x_near))]
        return Tape("open", waist.a[[k]], waist.b[[k]], waist.t[[k]])

    def surface_path(self, start: Tape, end: Tape, via: Tape | None, outward: FloatArray,
                     normal: FloatArray | None = None, section: Section | None = None) -> Tape:
        """A tape laid from `start` to `end` over the body, in the plane through both and `via`
        (or with the given `normal`), bulging `outward` (it bridges hollows)."""
        p0, p1 = start.points(self.x)[0], end.points(self.x)[0]
        if normal is None:
            pv = via.points(self.x)[0]
            normal = np.cross(p1 - p0, pv - p0)
        normal = normal / np.linalg.norm(normal)
        u, w = plane_basis(normal)
        if section is None:
            secs = self.loops(p0, normal)
            pts = np.vstack([s.points for s in secs])
            sec = Section(np.concatenate([s.a for s in secs]), np.concatenate([s.b for s in secs]),
                          np.concatenate([s.t for s in secs]), pts)
        else:
            sec = section
        def to2(p: FloatArray) -> FloatArray:
            return np.stack([p @ u, p @ w], axis=-1)

        _, inner = hull_chain_length(to2(sec.points), to2(p0), to2(p1), to2(outward))
        mid = _section_tape("open", sec.take(inner))
        return _concat("open", start, mid, end)

    def outseam(self, side_pt: Tape) -> Tape:
        p0 = side_pt.points(self.x)[0]
        normal = np.array([0.0, 1.0, 0.0])
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
               bone_names: tuple[str, ...]) -> dict[str, Tape]:
    """Find every measurement's tape on a rest-pose body (anny topology)."""
    return _Planner(vertices, heads, faces, bone_names, np.zeros(0, np.int64), ()).plan()


def measure(body: Body) -> Measurements:
    """Measure a clone (see the module docstring for each definition)."""
    from dressform.body.params import BODY_DENSITY_KG_M3
    from dressform.geometry.volume import mesh_volume_np

    tapes = plan_tapes(body.vertices, body.skeleton.heads, body.faces, body.skeleton.names)
    x = np.vstack([body.vertices, body.skeleton.heads])
    values = {name: round(tape_value_cm(tape, x), 2) for name, tape in tapes.items()}
    values["weight_kg"] = round(mesh_volume_np(body.vertices, body.faces) * BODY_DENSITY_KG_M3, 2)
    return Measurements(**values)


def tape_value_cm(tape: Tape, x: FloatArray) -> float:
    return tape.value_cm(x)
