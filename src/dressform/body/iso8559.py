"""The measurements dressform takes: ISO 8559-1 names, their definitions and tolerances.

This is the table only — what each measurement is, not how it is found on a mesh (that is
:mod:`dressform.body.landmarks` and :mod:`dressform.body.measure`). Names are ISO 8559-1's in
snake_case with the unit; their order is the order of :class:`dressform.body.measure.Measurements`
and of every table dressform writes.

The clone stands in anny's A-pose, front = −Y, left = +X, feet on z = 0. ``T`` in the definitions
is the torso length, armpit level minus crotch level. Levels defined by an extreme (fullest,
narrowest, furthest forward) are *anchored*: found once on anny's reference woman and then taken
at the same landmark on every body (see :mod:`dressform.body.landmarks`). Left-side measurements
(arm, leg) are taken on the clone's left (+X); anny bodies are symmetric.
"""

from __future__ import annotations

from dressform.errors import UnknownNameError
from dressform.names import suggest

#: Measurement name → its definition: landmark and method.
DEFINITIONS: dict[str, str] = {
    "height_cm": "vertex of the head, vertical distance to the floor (soles)",
    "weight_kg": "closed-mesh volume × 1010 kg/m³ (whole-body density with lung air)",
    "bust_girth_cm": (
        "horizontal torso girth at the bust points (anchor: where the chest front stands "
        "furthest forward, armpit − 0.3 T … armpit − 0.05 T); chest girth for men"
    ),
    "high_bust_girth_cm": (
        "horizontal torso girth just under the arms (armpit − 0.02 T), above the breasts"
    ),
    "under_bust_girth_cm": (
        "horizontal torso girth at the inframammary fold (anchor: going down from the bust, "
        "where the chest front stops receding, found under anny's largest cup size so the "
        "level is on the chest wall)"
    ),
    "waist_girth_cm": (
        "natural waist, horizontal (anchor: the smallest torso girth between crotch + 0.35 T "
        "and crotch + 0.7 T; side waist point)"
    ),
    "high_hip_girth_cm": "horizontal girth half-way between the waist and hip levels",
    "hip_girth_cm": (
        "horizontal girth at the greatest buttock prominence (anchor: where the back stands "
        "out most, crotch + 0.02 T … waist)"
    ),
    "neck_base_girth_cm": (
        "where a collar sits: the narrowest neck section between shoulders and head, in a "
        "plane tilted front-down like the reference woman's neck (anchor: square to her neck "
        "half-way between its first two joints), from the jugular notch up to the cervicale "
        "(on very muscular men it still cuts the trapezius: a known limit)"
    ),
    "shoulder_width_cm": (
        "across-back shoulder width: from acromion to acromion over the back, in the plane "
        "through both acromia and the cervicale"
    ),
    "across_back_cm": (
        "across the back between the armpit folds, horizontal, one third of the way from the "
        "armpit up to the acromion"
    ),
    "arm_length_cm": "acromion → elbow → wrist joint (arm as it hangs in the A-pose)",
    "upper_arm_girth_cm": "fullest girth perpendicular to the upper arm, 35–70 % shoulder→elbow",
    "elbow_girth_cm": "girth perpendicular to the arm at the elbow joint",
    "wrist_girth_cm": "smallest girth perpendicular to the forearm near the wrist joint",
    "thigh_girth_cm": "fullest horizontal girth of the thigh just below the crotch",
    "knee_girth_cm": "horizontal girth of the leg at the knee joint",
    "calf_girth_cm": "fullest horizontal girth of the lower leg",
    "ankle_girth_cm": "smallest horizontal girth of the leg above the ankle bones",
    "inseam_cm": "crotch to floor, vertical (inside leg length)",
    "outseam_cm": (
        "side waist point to the floor down the outside of the hip and leg, following the "
        "body's outline in the frontal plane tilted to pass through the ankle joint"
    ),
    "waist_height_cm": "side waist point to floor, vertical (FreeSewing's waistToFloor)",
    "back_waist_length_cm": (
        "high point of the shoulder (HPS), down the back to the waist, bridging the shoulder "
        "blade"
    ),
    "front_waist_length_cm": "HPS over the bust point down to the front waist",
    "crotch_depth_cm": "waist level minus crotch level (body rise)",
}

#: Every measurement's name, in the table's order.
MEASUREMENT_NAMES: tuple[str, ...] = tuple(DEFINITIONS)

#: Girths ISO 20685-1 counts as large (the torso's), with a wider tolerance.
_LARGE_GIRTHS = frozenset({"bust_girth_cm", "high_bust_girth_cm", "under_bust_girth_cm",
                           "waist_girth_cm", "high_hip_girth_cm", "hip_girth_cm"})


def check_measurement_name(name: str) -> str:
    """`name` if it is a measurement's, else `UnknownNameError` suggesting the nearest."""
    if name not in MEASUREMENT_NAMES:
        raise UnknownNameError(
            f"unknown measurement {name!r}{suggest(name, MEASUREMENT_NAMES)}; "
            f"known: {', '.join(MEASUREMENT_NAMES)}"
        )
    return name


def tolerance(name: str) -> float:
    """ISO 20685-1 allowable error (cm) between a body scanner and a tape measure, by kind of
    measurement (kg for weight)."""
    if name == "weight_kg":
        return 0.5  # kg: a bathroom scale's resolution
    if name == "height_cm":
        return 0.4
    if name.endswith("girth_cm"):
        return 0.9 if name in _LARGE_GIRTHS else 0.4
    return 0.5


__all__ = ["DEFINITIONS", "MEASUREMENT_NAMES", "check_measurement_name", "tolerance"]
