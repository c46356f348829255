"""Ease: how much more cloth than body there is round each girth the garment covers.

A fit technician measures the garment where the body was measured: at each ISO 8559-1 girth
the body's tape lies in a plane (horizontal for the torso and legs, square to the arm for the
arm girths); the garment is cut by the same plane and its loop round that part of the body is
measured *along the cloth* (the garment's own circumference: a fold or a pleat counts, as it
would on the flat garment). Ease is garment minus body, in cm and as a share of the body girth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dressform.body.measure import plan_tapes
from dressform.body.mesh import Body
from dressform.body.tape import Tape
from dressform.geometry.sections import Section, plane_basis, plane_section_loops

#: The girths ease is read at, top to bottom (dressform measurement names).
EASE_GIRTHS: tuple[str, ...] = (
    "neck_base_girth_cm", "high_bust_girth_cm", "bust_girth_cm", "under_bust_girth_cm",
    "waist_girth_cm", "high_hip_girth_cm", "hip_girth_cm", "upper_arm_girth_cm",
    "elbow_girth_cm", "wrist_girth_cm", "thigh_girth_cm", "knee_girth_cm", "calf_girth_cm",
    "ankle_girth_cm",
)  # fmt: skip
#: A fit is read once every ease holds to a millimetre (a tenth of the half-centimetre a fit
#: reports) over `EASE_CHECK_STEPS` solver steps (0.13 s of simulated time): `ease_settled`.
EASE_TOLERANCE_CM = 0.1
EASE_CHECK_STEPS = 4
#: Girths taken round one leg: a garment loop there must go round that leg alone.
LEG_GIRTHS = frozenset({"thigh_girth_cm", "knee_girth_cm", "calf_girth_cm", "ankle_girth_cm"})
#: Girths round the torso: at the under-arm level a loop round the sleeves too is not one.
TORSO_GIRTHS = frozenset({"high_bust_girth_cm", "bust_girth_cm", "under_bust_girth_cm",
                          "waist_girth_cm", "high_hip_girth_cm", "hip_girth_cm"})


@dataclass(frozen=True)
class GirthEase:
    """The body's girth and the garment's circumference in the same plane (cm)."""

    name: str
    body_cm: float
    garment_cm: float
    level_m: float  # height of the tape's centre

    @property
    def ease_cm(self) -> float:
        return self.garment_cm - self.body_cm

    @property
    def ease_pct(self) -> float:
        return 100.0 * self.ease_cm / self.body_cm

    def rounded_cm(self) -> dict[str, float]:
        """Body, garment and ease in cm to the millimetre (a table row, an API answer)."""
        return {"body_cm": round(self.body_cm, 1), "garment_cm": round(self.garment_cm, 1),
                "ease_cm": round(self.ease_cm, 1)}


def loop_length_m(section: Section) -> float:
    """Length of a section loop along its segments (m): the cloth's own length round."""
    p = section.points
    return float(np.linalg.norm(p[section.segments[:, 0]] - p[section.segments[:, 1]],
                                axis=1).sum())


def tape_plane(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(centre, unit normal) of the plane a girth tape's points lie in."""
    centre = points.mean(axis=0)
    _, _, vt = np.linalg.svd(points - centre)
    return centre, vt[-1]


def garment_girth_m(vertices: np.ndarray, faces: np.ndarray, centre: np.ndarray,
                    normal: np.ndarray, exclude: tuple[np.ndarray, ...] = ()) -> float | None:
    """The garment's circumference (m) in the plane (centre, normal) round `centre`: the
    shortest garment loop that encloses it and none of the `exclude` points (the other leg,
    the arms: a loop round those too is not this girth's), or None where the garment does not
    go round there."""
    u, w = plane_basis(normal)
    loops = [s for s in plane_section_loops(vertices, faces, centre, normal)
             if s.contains(centre, u, w) and not any(s.contains(p, u, w) for p in exclude)]
    return min((loop_length_m(s) for s in loops), default=None)


def girth_ease(vertices: np.ndarray, faces: np.ndarray, body: Body,
               tapes: dict[str, Tape] | None = None) -> tuple[GirthEase, ...]:
    """Ease at each of the body's girths that the garment (vertices, faces) goes round (the
    girths among `tapes`, the body's tapes if already found; default: `EASE_GIRTHS`)."""
    x = np.vstack([body.vertices, body.skeleton.heads])
    tapes = body_tapes(body, EASE_GIRTHS) if tapes is None else tapes
    out = []
    for name, tape in tapes.items():
        if name not in EASE_GIRTHS:
            continue
        points = tape.points(x)
        centre, normal = tape_plane(points)
        if name in LEG_GIRTHS:
            exclude: tuple[np.ndarray, ...] = (centre * np.array([-1.0, 1.0, 1.0]),)
        elif name in TORSO_GIRTHS:
            exclude = _arm_points(body, float(centre[2]))
        else:
            exclude = ()
        garment = garment_girth_m(vertices, faces, centre, normal, exclude)
        if garment is not None:
            out.append(GirthEase(name, tape.value_cm(x), 100.0 * garment, float(centre[2])))
    return tuple(out)


def ease_settled(body: Body, tolerance_cm: float = EASE_TOLERANCE_CM,
                 every: int = EASE_CHECK_STEPS) -> Callable[[np.ndarray, np.ndarray], bool]:
    """A convergence test for cloth settling on `body` (called once a solver step with the
    cloth's vertices and faces; see `dressform.drape.simulate.Converged`): it holds once the
    ease at every girth the garment goes round has moved less than `tolerance_cm` over the
    last `every` steps. What a fit reads has then converged, even where a fold still creeps."""
    tapes = body_tapes(body, EASE_GIRTHS)
    last: dict[str, float] = {}
    steps = 0

    def converged(x: np.ndarray, faces: np.ndarray) -> bool:
        nonlocal last, steps
        steps += 1
        if steps % every:
            return False
        now = {e.name: e.ease_cm for e in girth_ease(x, faces, body, tapes)}
        held = bool(now) and now.keys() == last.keys() and all(
            abs(now[k] - last[k]) < tolerance_cm for k in now)
        last = now
        return held

    return converged


def _arm_points(body: Body, z: float) -> tuple[np.ndarray, ...]:
    """Points inside each upper arm at height z (none where the arm does not reach z)."""
    heads = dict(zip(body.skeleton.names, body.skeleton.heads, strict=True))
    out = []
    for side in ("L", "R"):
        sh, el = heads[f"upperarm01.{side}"], heads[f"lowerarm01.{side}"]
        if min(sh[2], el[2]) <= z <= max(sh[2], el[2]) and sh[2] != el[2]:
            out.append(sh + (z - sh[2]) / (el[2] - sh[2]) * (el - sh))
    return tuple(out)


def body_tapes(body: Body, names: tuple[str, ...]) -> dict[str, Tape]:
    """The body's tapes of these measurements, found once for every reading of a fitting
    (those of landmarks this body lacks left out)."""
    args = (body.vertices, body.skeleton.heads, body.faces, body.skeleton.names)
    try:
        return plan_tapes(*args, names)
    except ValueError:  # a landmark this body lacks: the girths one by one, skipping it
        found = {}
        for name in names:
            try:
                found.update(plan_tapes(*args, (name,)))
            except ValueError:
                continue
        return found
