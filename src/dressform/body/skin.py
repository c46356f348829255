"""Skin tone on the Monk Skin Tone (MST) scale.

anny ships no skin colour; dressform uses the 10-tone Monk Skin Tone scale (Ellis Monk, 2019,
released by Google under CC-BY-4.0) as the user-facing scale. The swatch colours below are the
scale's published sRGB values, from MST-1 (lightest) to MST-10 (deepest).
"""

from __future__ import annotations

from typing import overload

import numpy as np

MONK_SKIN_TONES: tuple[str, ...] = (
    "#f6ede4", "#f3e7db", "#f7ead0", "#eadaba", "#d7bd96",
    "#a07e56", "#825c43", "#604134", "#3a312a", "#292420",
)  # fmt: skip


def skin_tone_hex(tone: int) -> str:
    if not 1 <= tone <= len(MONK_SKIN_TONES):
        from dressform.errors import InvalidInputError

        raise InvalidInputError(f"unknown skin tone {tone}; use Monk Skin Tone 1–10")
    return MONK_SKIN_TONES[tone - 1]


def skin_tone_rgb(tone: int) -> tuple[float, float, float]:
    """sRGB colour in 0–1."""
    h = skin_tone_hex(tone).lstrip("#")
    return (int(h[0:2], 16) / 255.0, int(h[2:4], 16) / 255.0, int(h[4:6], 16) / 255.0)


@overload
def srgb_to_linear(c: float) -> float: ...
@overload
def srgb_to_linear(c: np.ndarray) -> np.ndarray: ...
def srgb_to_linear(c: float | np.ndarray) -> float | np.ndarray:
    """sRGB-encoded values (0–1; a number or an array) as linear light."""
    a = np.asarray(c, dtype=np.float64)
    out = np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)
    return float(out) if out.ndim == 0 else out


@overload
def linear_to_srgb(c: float) -> float: ...
@overload
def linear_to_srgb(c: np.ndarray) -> np.ndarray: ...
def linear_to_srgb(c: float | np.ndarray) -> float | np.ndarray:
    """Linear light (a number or an array, clipped to 0–1) sRGB-encoded."""
    a = np.clip(np.asarray(c, dtype=np.float64), 0.0, 1.0)
    out = np.where(a <= 0.0031308, a * 12.92, 1.055 * a ** (1.0 / 2.4) - 0.055)
    return float(out) if out.ndim == 0 else out


def relative_luminance(tone: int) -> float:
    """WCAG relative luminance of the swatch (ordered: lighter tones are brighter)."""
    r, g, b = (srgb_to_linear(c) for c in skin_tone_rgb(tone))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
