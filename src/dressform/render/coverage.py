"""The coverage check of a picture: does it show what it must not? Read from its class mask
(`dressform.render.mask`), pixel by pixel.

A picture fails if bare skin of the breasts, genitals or buttocks shows (the regions of
:mod:`dressform.body.modesty`), or bare soles or toes unless the look leaves the feet bare
(sandals, or barefoot asked for). A mask whose body is not told apart by region fails too:
what cannot be read is not passed.

The tolerance: a mask pixel is the class at its centre, with no anti-aliasing, so a cover
that does its job leaves no mixed pixels at its edge; what can show is geometry — the skin
poking through where a cover's flat triangles cut the chord of the curved body between its
vertices (a millimetre or so on a cover laid 1–2 mm off the skin), seen at a grazing angle
along the cover's edge or a fold: specks and lines a pixel wide. So a region may show in up to
`TOLERANCE_PX` pixels, or `TOLERANCE_SHARE` of the picture on a large one (31 px at
1024×1536) — well under what a bare region takes there (a nipple alone is about 50 px at that
size, an areola several hundred).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dressform.errors import InvalidInputError
from dressform.render.mask import UNREFINED_SKIN, Mask

#: Skin that must never show.
COVERED: tuple[str, ...] = ("skin:breasts", "skin:genitals", "skin:buttocks")
#: Skin that shows only where the look leaves the feet bare.
FEET: tuple[str, ...] = ("skin:soles", "skin:toes")
#: Pixels a region may show (specks where a cover's triangles cut the body's curve), or
#: this share of the picture's pixels if more.
TOLERANCE_PX = 3
TOLERANCE_SHARE = 2e-5


def open_shoes() -> frozenset[str]:
    """Shoe styles that leave the toes bare (`dressform.body.shoes`: an open toe)."""
    from dressform.body.shoes import STYLES

    return frozenset(name for name, style in STYLES.items() if style.toe == "open")


@dataclass(frozen=True)
class CoverageCheck:
    """The check of one picture: `passed`, why not (`reasons`, one line each), the pixels of
    each region that showed more than tolerated (`offending`), every checked region's
    visible pixels (`visible`, tolerated or not) and the tolerance (pixels)."""

    passed: bool
    reasons: tuple[str, ...]
    offending: dict[str, int] = field(default_factory=dict)
    visible: dict[str, int] = field(default_factory=dict)
    tolerance_px: int = TOLERANCE_PX

    def __str__(self) -> str:
        return "passes" if self.passed else "; ".join(self.reasons)


class CoverageError(InvalidInputError):
    """A picture that shows what it must not (its `check` says what): the look, pose or
    camera must change; rendering it again would show the same."""

    def __init__(self, message: str, check: CoverageCheck | None = None) -> None:
        super().__init__(message)
        self.check = check


def tolerance(mask: Mask) -> int:
    """Pixels a region of `mask` may show (see the module's note)."""
    width, height = mask.size
    return max(TOLERANCE_PX, int(TOLERANCE_SHARE * width * height))


def check_coverage(mask: Mask, *, bare_feet: bool | None = None) -> CoverageCheck:
    """Whether the picture of `mask` may be shown. `bare_feet`: the look leaves the feet bare
    (sandals, or barefoot asked for: `dressform.render.wear.Wear.bare_feet`); None: only if
    the mask shows open shoes."""
    if not isinstance(mask, Mask):
        raise InvalidInputError(f"the coverage check reads a Mask, not {type(mask).__name__}")
    if bare_feet is None:
        bare_feet = any(c.startswith("shoes:") and c.split(":")[1] in open_shoes()
                        for c in mask.counts())
    counts = mask.counts()
    limit = tolerance(mask)
    checked = COVERED + (() if bare_feet else FEET)
    visible = {c: counts.get(c, 0) for c in checked}
    offending = {c: n for c, n in visible.items() if n > limit}
    reasons = [f"bare {c.split(':')[1]} show in {n} pixels (at most {limit} tolerated)"
               for c, n in offending.items()]
    if counts.get(UNREFINED_SKIN, 0) > 0:
        offending[UNREFINED_SKIN] = counts[UNREFINED_SKIN]
        reasons.append("the mask does not tell the body's regions apart (class 'skin'): "
                       "it cannot be checked")
    return CoverageCheck(not reasons, tuple(reasons), offending, visible, limit)


def require_coverage(mask: Mask, what: str, *, bare_feet: bool | None = None
                     ) -> CoverageCheck:
    """`check_coverage`, raising a `CoverageError` naming `what` (the picture) if it fails."""
    check = check_coverage(mask, bare_feet=bare_feet)
    if not check.passed:
        raise CoverageError(f"{what} shows what it must not: {check}", check)
    return check


def offending_pixels(mask: Mask, check: CoverageCheck) -> np.ndarray:
    """(H, W) bool: where the regions that failed `check` show."""
    return mask.of(*check.offending)


__all__ = ["COVERED", "FEET", "TOLERANCE_PX", "TOLERANCE_SHARE", "CoverageCheck",
           "CoverageError", "check_coverage", "offending_pixels", "open_shoes",
           "require_coverage", "tolerance"]
