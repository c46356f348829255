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

#: Named expressions for campaign work: symmetric, restrained weights (a model's look, not
#: a cartoon). Each is a mapping of ARKit action → weight.
EXPRESSION_PRESETS: dict[str, dict[str, float]] = {
    "neutral": {},
    "soft smile": {
        "mouthSmileLeft": 0.35, "mouthSmileRight": 0.35,
        "cheekSquintLeft": 0.15, "cheekSquintRight": 0.15,
    },
    "smile": {
        "mouthSmileLeft": 0.8, "mouthSmileRight": 0.8,
        "cheekSquintLeft": 0.4, "cheekSquintRight": 0.4,
        "eyeSquintLeft": 0.2, "eyeSquintRight": 0.2,
        "mouthUpperUpLeft": 0.2, "mouthUpperUpRight": 0.2, "jawOpen": 0.08,
    },
    "serious": {
        "browDownLeft": 0.3, "browDownRight": 0.3,
        "mouthPressLeft": 0.3, "mouthPressRight": 0.3, "mouthFrownLeft": 0.1,
        "mouthFrownRight": 0.1,
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
