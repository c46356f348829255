"""Landmarks: where on a body each measurement is taken (numpy).

:class:`Landmarks` finds, on one rest-pose body of anny's topology, the points and levels a
tailor measures at — crotch, armpits, acromia, the natural waist, the fullest seat, the collar,
the high point of the shoulder... — and the girths (plane sections) at those levels. Which tape
each measurement is, built from these, is :mod:`dressform.body.measure`; the measurements'
definitions are :mod:`dressform.body.iso8559`.

Girths are convex-hull perimeters of plane sections (a tape bridges hollows) of the loop that
encloses the right body segment. The clone stands in anny's A-pose, front = −Y, left = +X,
feet on z = 0.

Levels defined by an extreme (the bust points, the fold under the bust, the narrowest waist,
the fullest seat, thigh and calf, the narrowest ankle) are found once, on anny's reference
woman, and then *anchored*: each is the level of a point on a mesh edge there, and anny's bodies
share one mesh, so that point is the same landmark on every body (:class:`Anchors`). Searching
each body afresh would slide the "fullest chest" to the belly of a heavy body, and would make
the measurements jump as a fit changes the shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import Any, Literal

import numpy as np
import torch
from numpy.typing import NDArray

from dressform.body.mesh import FloatArray, IntArray
from dressform.body.tape import Tape, point_of, section_tape
from dressform.geometry.sections import (
    Section,
    convex_hull_order,
    plane_basis,
    plane_section_loops,
)

#: Up: the normal of horizontal section planes.
Z = np.array([0.0, 0.0, 1.0])
LEVEL_STEP = 0.005  # m between the levels searched for an extreme girth


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


def _find_anchors(p: Landmarks, full_cup: Landmarks) -> Anchors:
    """The anchors on the reference body `p` (`full_cup`: the same body with the largest cup
    size, for the fold under the bust)."""
    x = p.x

    def extreme_point(tape: Tape, axis: int, sign: float,
                      where: Callable[[FloatArray], NDArray[np.bool_]] | None = None) -> Tape:
        pts = tape.points(x)
        idx = np.arange(len(pts)) if where is None else np.flatnonzero(where(pts))
        return point_of(tape, int(idx[np.argmax(sign * pts[idx, axis])]))

    # The fold is found under the largest breasts anny makes: under smaller ones that level is
    # still on the chest wall, whereas a fold found on small breasts would lie on large ones.
    bust_x = full_cup.bust_point.points(full_cup.x)[0, 0]
    under = full_cup.under_bust[0]
    up = under.points(full_cup.x)
    front = np.flatnonzero(up[:, 1] < np.median(up[:, 1]))
    return Anchors(
        bust=p.bust_point,
        under_bust=point_of(under, int(front[np.argmin(np.abs(up[front, 0] - bust_x))])),
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

    def woman(**phenotypes: float) -> Landmarks:
        with torch.no_grad():
            verts, heads = model.rest_shape(model.params({"gender": 1.0, **phenotypes}))
        return Landmarks(verts[0].double().numpy(), heads[0].double().numpy(), model.faces,
                         model.bone_names)

    return _find_anchors(woman(), woman(cupsize=1.0))


class Landmarks:
    """Finds the landmarks, levels and girths of one body (numpy), each once and only when
    asked for.

    `anchors`: where the levels defined by an extreme are (:func:`reference_anchors`); None on
    the reference body itself, where those extremes are searched for.
    """

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
        """The position of `bone`'s head (its joint)."""
        return self.heads[self.bones.index(bone)]

    def head_index(self, bone: str) -> int:
        """Index of `bone`'s head in ``x`` (the vertices followed by the bone heads)."""
        return self.nv + self.bones.index(bone)

    def loops(self, origin: FloatArray, normal: FloatArray) -> list[Section]:
        """The closed loops in which the plane through `origin` cuts the body."""
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
        """A girth round `sec`: its convex hull, as a tape bridges hollows."""
        u, w = plane_basis(normal)
        pts2 = np.stack([sec.points @ u, sec.points @ w], axis=1)
        order = convex_hull_order(pts2)
        return section_tape("closed", sec.take(order))

    def girth(self, origin: FloatArray, normal: FloatArray,
              inside: FloatArray | None = None) -> Tape | None:
        """The girth of the section loop round `inside` (default: the origin); None if none."""
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
        """The horizontal torso girth at level z."""
        return self.girth(self.spine_point(z), Z)

    def leg_point(self, z: float) -> FloatArray:
        """A point inside the left leg at level z: its joint chain, interpolated."""
        chain = ["upperleg01.L", "lowerleg01.L", "foot.L"]
        pts = np.array([self.head(b) for b in chain])[::-1]
        return np.array([np.interp(z, pts[:, 2], pts[:, 0]),
                         np.interp(z, pts[:, 2], pts[:, 1]), z])

    def leg(self, z: float) -> Tape | None:
        """The horizontal girth of the left leg at level z."""
        return self.girth(np.array([0.0, 0.0, z]), Z, self.leg_point(z))

    def extreme(self, levels: FloatArray, make: Callable[[float], Tape | None],
                pick: Callable[..., Any] = max) -> tuple[Tape, float]:
        """The tape with the largest (or smallest) value over `levels`, and its level."""
        sign = 1.0 if pick is max else -1.0
        return self._search(levels, make, lambda tape: sign * tape.value_cm(self.x))

    def _search(self, levels: FloatArray, make: Callable[[float], Tape | None],
                score: Callable[[Tape], float]) -> tuple[Tape, float]:
        """The tape `make` gives at one of `levels` with the highest `score`, and its level."""
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
        """The acromion vertex on side "L" or "R": the highest vertex just outside the
        shoulder joint."""
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
        """The vertex of the head (the body's highest vertex)."""
        return int(np.argmax(self.v[:, 2]))

    @cached_property
    def crotch_z(self) -> float:
        """The crotch level."""
        return float(self.v[self.crotch, 2])

    @cached_property
    def torso_len(self) -> float:
        """The torso length T: armpit level minus crotch level."""
        return self.armpit_z - self.crotch_z

    def band(self, lo: float, hi: float) -> FloatArray:
        """Levels from `lo` to `hi`, `LEVEL_STEP` apart, to search for an extreme girth."""
        return np.arange(lo, hi + 1e-9, LEVEL_STEP)

    def anchor_z(self, anchor: Tape) -> float:
        """The level of an anchor point on this body."""
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
        """The torso girth and level of the inframammary fold, searched down from the bust."""
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
        """The natural waist: the smallest torso girth in the waist band, and its level."""
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
        """The fullest thigh girth just below the crotch, and its level."""
        scale = (self.v[self.top, 2] - self.floor) / 1.7
        return self.anchored("thigh", lambda: self.extreme(self.band(
            self.crotch_z - 0.06 * scale, self.crotch_z - 0.01 * scale), self.leg), self.leg)

    @cached_property
    def calf(self) -> tuple[Tape, float]:
        """The fullest girth of the lower leg, and its level."""
        ankle, shin = self.shin()
        return self.anchored("calf", lambda: self.extreme(
            self.band(ankle + 0.45 * shin, ankle + 0.85 * shin), self.leg), self.leg)

    @cached_property
    def ankle(self) -> tuple[Tape, float]:
        """The smallest leg girth above the ankle bones, and its level."""
        ankle, shin = self.shin()
        return self.anchored("ankle", lambda: self.extreme(
            self.band(ankle + 0.1 * shin, ankle + 0.35 * shin), self.leg, pick=min), self.leg)

    def shin(self) -> tuple[float, float]:
        """The ankle joint's level and the lower leg's height (ankle to knee joint)."""
        ankle = self.head("foot.L")[2]
        return ankle, self.head("lowerleg01.L")[2] - ankle

    def upper_arm(self, f: float) -> Tape | None:
        """The girth square to the upper arm, fraction `f` of the way from shoulder to elbow."""
        sh, el, _, up, _ = self.arm_axes
        return self.girth(sh + f * (el - sh), up)

    def forearm(self, f: float) -> Tape | None:
        """The girth square to the forearm, fraction `f` of the way from elbow to wrist."""
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
        """The left and right acromion vertices."""
        if self.anchors is not None:
            return self.anchors.acromia
        return self.acromion("L"), self.acromion("R")

    @cached_property
    def side_waist(self) -> Tape:
        """The side waist point: the waist girth's outermost point on the left."""
        waist = self.waist[0]
        k = int(np.argmax(waist.points(self.x)[:, 0]))
        return point_of(waist, k)

    @cached_property
    def bust_point(self) -> Tape:
        """The left bust point: the bust girth's most forward point on the left breast."""
        if self.anchors is not None:
            return self.anchors.bust
        bust = self.bust[0]
        bp = bust.points(self.x)
        left = np.flatnonzero(bp[:, 0] > 0.02)
        return point_of(bust, int(left[np.argmin(bp[left, 1])]))

    @cached_property
    def arm_axes(self) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Shoulder, elbow and wrist joints, upper-arm and forearm directions."""
        sh, el, wr = self.head("upperarm01.L"), self.head("lowerarm01.L"), self.head("wrist.L")
        return (sh, el, wr, (el - sh) / np.linalg.norm(el - sh),
                (wr - el) / np.linalg.norm(wr - el))


__all__ = ["LEVEL_STEP", "Anchors", "Landmarks", "Z", "reference_anchors"]
