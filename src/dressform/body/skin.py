"""Skin tone on the Monk Skin Tone (MST) scale.

anny ships no skin colour; dressform uses the 10-tone Monk Skin Tone scale (Ellis Monk, 2019,
released by Google under CC-BY-4.0) as the user-facing scale. The swatch colours below are the
scale's published sRGB values, from MST-1 (lightest) to MST-10 (deepest).
"""

from __future__ import annotations

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


def srgb_to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_to_srgb(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1.0 / 2.4) - 0.055


def relative_luminance(tone: int) -> float:
    """WCAG relative luminance of the swatch (ordered: lighter tones are brighter)."""
    r, g, b = (srgb_to_linear(c) for c in skin_tone_rgb(tone))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
