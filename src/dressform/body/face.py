"""Face expressions: anny's 52 ARKit blend shapes and named presets."""

from __future__ import annotations

from collections.abc import Mapping

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.names import suggest

#: The 52 ARKit face actions, in anny's order (anny's ``facial_actions="all"``).
ARKIT_ACTIONS: tuple[str, ...] = (
    "browDownLeft", "browDownRight", "browInnerUp", "browOuterUpLeft", "browOuterUpRight",
    "cheekPuff", "cheekSquintLeft", "cheekSquintRight", "eyeBlinkLeft", "eyeBlinkRight",
    "eyeLookDownLeft", "eyeLookDownRight", "eyeLookInLeft", "eyeLookInRight", "eyeLookOutLeft",
    "eyeLookOutRight", "eyeLookUpLeft", "eyeLookUpRight", "eyeSquintLeft", "eyeSquintRight",
    "eyeWideLeft", "eyeWideRight", "jawForward", "jawLeft", "jawOpen", "jawRight", "mouthClose",
    "mouthDimpleLeft", "mouthDimpleRight", "mouthFrownLeft", "mouthFrownRight", "mouthFunnel",
    "mouthLeft", "mouthLowerDownLeft", "mouthLowerDownRight", "mouthPressLeft",
    "mouthPressRight", "mouthPucker", "mouthRight", "mouthRollLower", "mouthRollUpper",
    "mouthShrugLower", "mouthShrugUpper", "mouthSmileLeft", "mouthSmileRight",
    "mouthStretchLeft", "mouthStretchRight", "mouthUpperUpLeft", "mouthUpperUpRight",
    "noseSneerLeft", "noseSneerRight", "tongueOut",
)  # fmt: skip

#: Named expressions for campaign work: symmetric weights strong enough to read in a full-length
#: still (a face about 100 pixels tall), chosen by rendering them there. The smiles keep the lips
#: closed (the mouth has no teeth to show), lifting the cheeks and narrowing the eyes as a real
#: smile does; "serious" lowers the brows and presses the lips. Each is a mapping of ARKit
#: action → weight.
EXPRESSION_PRESETS: dict[str, dict[str, float]] = {
    "neutral": {},
    "soft smile": {
        "mouthSmileLeft": 0.65, "mouthSmileRight": 0.65,
        "cheekSquintLeft": 0.4, "cheekSquintRight": 0.4,
        "eyeSquintLeft": 0.15, "eyeSquintRight": 0.15,
        "mouthDimpleLeft": 0.2, "mouthDimpleRight": 0.2,
    },
    "smile": {
        "mouthSmileLeft": 0.9, "mouthSmileRight": 0.9,
        "cheekSquintLeft": 0.6, "cheekSquintRight": 0.6,
        "eyeSquintLeft": 0.3, "eyeSquintRight": 0.3,
        "mouthDimpleLeft": 0.3, "mouthDimpleRight": 0.3,
        "mouthPressLeft": 0.2, "mouthPressRight": 0.2,
    },
    "serious": {
        "browDownLeft": 0.5, "browDownRight": 0.5,
        "mouthPressLeft": 0.5, "mouthPressRight": 0.5,
        "mouthFrownLeft": 0.25, "mouthFrownRight": 0.25,
        "eyeSquintLeft": 0.15, "eyeSquintRight": 0.15,
    },
}  # fmt: skip


def expression_weights(expression: str | Mapping[str, float]) -> dict[str, float]:
    """ARKit action weights for a preset name or an explicit mapping (validated)."""
    if isinstance(expression, str):
        key = expression.strip().lower().replace("_", " ").replace("-", " ")
        if key not in EXPRESSION_PRESETS:
            raise UnknownNameError(
                f"unknown expression {expression!r}; presets: {', '.join(EXPRESSION_PRESETS)}"
                " (or give ARKit action weights)"
            )
        return dict(EXPRESSION_PRESETS[key])
    weights: dict[str, float] = {}
    for name, value in expression.items():
        if name not in ARKIT_ACTIONS:
            raise UnknownNameError(
                f"unknown face action {name!r}{suggest(name, ARKIT_ACTIONS)}"
                " (the 52 ARKit blend-shape names)"
            )
        if not 0.0 <= float(value) <= 1.0:
            raise InvalidInputError(f"face action {name} must be within 0–1, got {value}")
        weights[name] = float(value)
    return weights
