"""Measuring a clone the way a tailor does: which tape each measurement is, and `measure`.

For every measurement of the ISO 8559-1 table (:mod:`dressform.body.iso8559`, which defines
each one) this module lays a tape (:mod:`dressform.body.tape`) on the body from its landmarks
(:mod:`dressform.body.landmarks`): a girth at a landmark's level, a path over the body surface,
a height. :func:`plan_tapes` finds the tapes once on a rest-pose body; :func:`measure` reads
them into a :class:`Measurements` record, and a clone fit reads the same tapes with gradients
(:mod:`dressform.body.clone`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import numpy as np

from dressform.body.iso8559 import MEASUREMENT_NAMES
from dressform.body.landmarks import Landmarks, Z, reference_anchors
from dressform.body.mesh import Body, FloatArray, IntArray
from dressform.body.tape import (
    Tape,
    concat_tapes,
    point_of,
    read_tapes,
    section_tape,
    vertex_tape,
)
from dressform.geometry.sections import Section, hull_chain_length, merge_sections, plane_basis


@dataclass(frozen=True)
class Measurements:
    """A body's measurements in cm (and kg): the ISO 8559-1 table's, in its order (each is
    defined in :data:`dressform.body.iso8559.DEFINITIONS`)."""

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
        """Measurement name → value, in the table's order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


class _TapePlanner(Landmarks):
    """Lays the tape of each measurement on one body (numpy), from its landmarks."""

    def tape(self, name: str) -> Tape | None:
        """The tape of measurement `name` (None where its section is not found): what method
        ``_<name without its unit>`` lays."""
        return getattr(self, "_" + name.rsplit("_", 1)[0])()

    def _height(self) -> Tape:
        return vertex_tape("vertical", [self.floor_vertex, self.top])

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
        return replace(tape, level=concat_tapes("open", self.anchors.waist, self.anchors.hip))

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
        return self.surface_path(vertex_tape("open", [a_r]), vertex_tape("open", [a_l]), None,
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
            section_tape("open", sec.take(np.array([ends[0]]))),
            section_tape("open", sec.take(np.array([ends[1]]))),
            None, outward=np.array([0.0, 1.0, 0.0]), normal=Z, section=sec)

    def _arm_length(self) -> Tape:
        return vertex_tape("open", [self.acromia[0], self.head_index("lowerarm01.L"),
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
        knee = vertex_tape("open", [self.head_index("lowerleg01.L")])
        return None if tape is None else replace(tape, level=knee)

    def _calf_girth(self) -> Tape:
        return self.calf[0]

    def _ankle_girth(self) -> Tape:
        return self.ankle[0]

    def _inseam(self) -> Tape:
        return vertex_tape("vertical", [self.floor_vertex, self.crotch])

    def _waist_height(self) -> Tape:
        return concat_tapes("vertical", vertex_tape("open", [self.floor_vertex]), self.side_waist)

    def _crotch_depth(self) -> Tape:
        return concat_tapes("vertical", vertex_tape("open", [self.crotch]), self.side_waist)

    def _outseam(self) -> Tape:
        return self.outseam(self.side_waist)

    def _back_waist_length(self) -> Tape:
        back_pt = self._waist_point(self.waist[0], self.hps, front=False)
        return self.surface_path(section_tape("open", self.hps), back_pt, None,
                                 outward=np.array([0.0, 1.0, 0.0]),
                                 normal=np.array([1.0, 0.0, 0.0]), below_start=True)

    def _front_waist_length(self) -> Tape:
        front_pt = self._waist_point(self.waist[0], self.bust_point, front=True)
        return self.surface_path(section_tape("open", self.hps), front_pt, self.bust_point,
                                 outward=np.array([0.0, -1.0, 0.0]), below_start=True)

    def plan(self, names: Iterable[str]) -> dict[str, Tape]:
        """The tapes of the named measurements (weight is not a tape: left out)."""
        tapes = {n: self.tape(n) for n in names if n != "weight_kg"}
        missing = [n for n, t in tapes.items() if t is None]
        if missing:
            raise ValueError(f"could not locate {missing}")
        return tapes  # type: ignore[return-value]

    def _waist_point(self, waist: Tape, near: Section | Tape, front: bool) -> Tape:
        """The point of the waist girth, on its front or back half, level with `near` in x."""
        wp = waist.points(self.x)
        x_near = (near.points(self.x) if isinstance(near, Tape) else near.points)[0, 0]
        half = np.flatnonzero(wp[:, 1] < np.median(wp[:, 1])) if front else \
            np.flatnonzero(wp[:, 1] > np.median(wp[:, 1]))
        return point_of(waist, int(half[np.argmin(np.abs(wp[half, 0] - x_near))]))

    def surface_path(self, start: Tape, end: Tape, via: Tape | None, outward: FloatArray,
                     normal: FloatArray | None = None, section: Section | None = None,
                     below_start: bool = False) -> Tape:
        """A tape laid from `start` to `end` over the body, in the plane through both and `via`
        (or with the given `normal`), bulging `outward` (it bridges hollows).

        `below_start`: only the body below the start counts — a tape laid down from the
        shoulder must not bridge over the chin or the back of the head, which the plane may
        also cut.
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
        mid = section_tape("open", sec.take(inner))
        return concat_tapes("open", start, mid, end)

    def outseam(self, side_pt: Tape) -> Tape:
        """The tape from the side waist point down the outside of the leg to the floor."""
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
        end = section_tape("open", sec.take(np.array([floor_k])))
        # Down the outside of hip, thigh, knee and ankle to the sole, bridging hollows.
        return self.surface_path(side_pt, end, None, outward=np.array([1.0, 0.0, 0.0]),
                                 normal=normal, section=sec)


def plan_tapes(vertices: FloatArray, heads: FloatArray, faces: IntArray,
               bone_names: tuple[str, ...],
               names: Iterable[str] = MEASUREMENT_NAMES) -> dict[str, Tape]:
    """Find the tapes of the named measurements (default: all) on a rest-pose body (anny
    topology). Only the landmarks those tapes need are looked for."""
    return _TapePlanner(vertices, heads, faces, bone_names, reference_anchors()).plan(names)


def measure(body: Body) -> Measurements:
    """Measure a clone (each measurement is defined in :mod:`dressform.body.iso8559`)."""
    heads = body.skeleton.heads
    tapes = plan_tapes(body.vertices, heads, body.faces, body.skeleton.names)
    return Measurements(**read_tapes(tapes, MEASUREMENT_NAMES, body.vertices, heads, body.faces))


__all__ = ["Measurements", "measure", "plan_tapes"]
