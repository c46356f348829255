"""Measurements as people give them: FreeSewing's names mapped to dressform's, values checked.

dressform's own names are ISO 8559-1's (:mod:`dressform.body.iso8559`).

FreeSewing's names (``@freesewing/models``) are in millimetres; this is the one place they are
mapped to dressform's names. FreeSewing measurements with no dressform equivalent (e.g.
``head``, ``bustSpan``) are accepted and reported as not used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from dressform.body.iso8559 import MEASUREMENT_NAMES
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.names import suggest

#: FreeSewing name → dressform name (FreeSewing values are mm, ours cm).
FREESEWING_TO_DRESSFORM: dict[str, str] = {
    "chest": "bust_girth_cm",
    "highBust": "high_bust_girth_cm",
    "underbust": "under_bust_girth_cm",
    "waist": "waist_girth_cm",
    "hips": "high_hip_girth_cm",
    "seat": "hip_girth_cm",
    "neck": "neck_base_girth_cm",
    "shoulderToShoulder": "shoulder_width_cm",
    "shoulderToWrist": "arm_length_cm",
    "biceps": "upper_arm_girth_cm",
    "wrist": "wrist_girth_cm",
    "upperLeg": "thigh_girth_cm",
    "knee": "knee_girth_cm",
    "ankle": "ankle_girth_cm",
    "inseam": "inseam_cm",
    "waistToFloor": "waist_height_cm",
    "hpsToWaistBack": "back_waist_length_cm",
    "hpsToWaistFront": "front_waist_length_cm",
}

#: FreeSewing measurements dressform does not take (yet): accepted, reported as unused.
#: ``crotchDepth`` is among them on purpose: FreeSewing takes it *seated* (waist to the
#: chair), which a standing clone cannot read; on FreeSewing's own 20 sets it is 0.6–5.5 cm
#: shorter than their ``waistToFloor − inseam``, our standing crotch depth.
FREESEWING_UNUSED: frozenset[str] = frozenset({
    "bustFront", "bustPointToUnderbust", "bustSpan", "crossSeam", "crossSeamFront", "crotchDepth",
    "heel",
    "head", "highBustFront", "hpsToBust", "seatBack", "shoulderSlope", "shoulderToElbow",
    "waistBack", "waistToArmpit", "waistToHips", "waistToKnee", "waistToSeat",
    "waistToUnderbust", "waistToUpperLeg",
})  # fmt: skip

#: Plausible range for an adult's measurement (cm / kg): outside it, the input is refused.
PLAUSIBLE_RANGES: dict[str, tuple[float, float]] = {
    "height_cm": (120.0, 230.0),
    "weight_kg": (30.0, 250.0),
    "bust_girth_cm": (60.0, 180.0),
    "high_bust_girth_cm": (60.0, 170.0),
    "under_bust_girth_cm": (55.0, 160.0),
    "waist_girth_cm": (45.0, 180.0),
    "high_hip_girth_cm": (55.0, 180.0),
    "hip_girth_cm": (65.0, 190.0),
    "neck_base_girth_cm": (25.0, 60.0),
    "shoulder_width_cm": (28.0, 60.0),
    "across_back_cm": (25.0, 60.0),
    "arm_length_cm": (40.0, 80.0),
    "upper_arm_girth_cm": (18.0, 60.0),
    "elbow_girth_cm": (16.0, 45.0),
    "wrist_girth_cm": (11.0, 25.0),
    "thigh_girth_cm": (35.0, 100.0),
    "knee_girth_cm": (25.0, 65.0),
    "calf_girth_cm": (23.0, 65.0),
    "ankle_girth_cm": (15.0, 40.0),
    "inseam_cm": (55.0, 105.0),
    "outseam_cm": (80.0, 140.0),
    "waist_height_cm": (75.0, 140.0),
    "back_waist_length_cm": (30.0, 60.0),
    "front_waist_length_cm": (28.0, 60.0),
    "crotch_depth_cm": (15.0, 40.0),
}
#: Children's bodies are smaller: the lower bounds scale down to this fraction.
CHILD_SCALE = 0.35


def normalise_measurements(
    given: Mapping[str, float], adult: bool = True
) -> tuple[dict[str, float], list[str]]:
    """Map names to dressform's (FreeSewing mm → cm) and validate values.

    Returns (measurements in cm/kg, FreeSewing names accepted but not used).
    """
    out: dict[str, float] = {}
    unused: list[str] = []
    for name, raw in given.items():
        value = positive_number(name, raw)
        if name in FREESEWING_TO_DRESSFORM:
            key, value = FREESEWING_TO_DRESSFORM[name], value / 10.0
        elif name in FREESEWING_UNUSED:
            unused.append(name)
            continue
        elif name in MEASUREMENT_NAMES:
            key = name
        else:
            known = [*MEASUREMENT_NAMES, *FREESEWING_TO_DRESSFORM]
            raise UnknownNameError(f"unknown measurement {name!r}{suggest(name, known)}")
        if key in out:
            raise InvalidInputError(f"measurement {key} given twice (as {name} too)")
        lo, hi = PLAUSIBLE_RANGES[key]
        if not adult:
            lo *= CHILD_SCALE
        if not lo <= value <= hi:
            unit = "kg" if key.endswith("_kg") else "cm"
            raise InvalidInputError(
                f"{key} = {value:g} {unit} is not a plausible {'adult ' if adult else ''}"
                f"measurement (expected {lo:g}–{hi:g} {unit})"
            )
        out[key] = value
    return out, unused


def positive_number(name: str, raw: object) -> float:
    """`raw` as a finite, positive float, or `InvalidInputError` naming the measurement."""
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInputError(f"measurement {name}: {raw!r} is not a number") from None
    if not math.isfinite(value):  # NaN and infinity are no length: say so, not "too big"
        raise InvalidInputError(f"measurement {name}: {raw!r} is not a finite number")
    if value <= 0:
        raise InvalidInputError(f"measurement {name} must be a positive number, got {raw}")
    return value

