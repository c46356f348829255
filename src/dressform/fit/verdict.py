"""A fit technician's verdict per region: tight, snug, regular or loose (and, for lengths, too
long or too short).

Two readings decide, and the tighter wins:

* **Ease** at the region's girths, as a share of the body girth, against bands for the fit
  intent. The bands follow the ease allowances of pattern-cutting practice: a regular bodice
  carries some 8–12 % bust ease, a slim one a few per cent, an oversized one 15 % or more; a
  knit may be cut with negative ease and stretch to fit, which the strain reading judges.
* **Stretch** of the cloth over the region (the 90th percentile of each triangle's larger
  warp/weft strain) against the fabric's own `max_stretch`, the stretch beyond which the
  fabric is "too small" (3 % for wovens, far more for knits): above it the region is tight,
  above half of it snug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dressform.fit.ease import GirthEase
from dressform.fit.regions import RegionStrain

Intent = Literal["slim", "regular", "oversized"]
Verdict = Literal["tight", "snug", "regular", "loose", "too long", "too short"]
_ORDER: tuple[Verdict, ...] = ("tight", "snug", "regular", "loose")

#: Ease bands (% of the body girth) per intent: below the first the region is tight, below the
#: second snug, up to the third regular, above it loose.
EASE_BANDS_PCT: dict[str, tuple[float, float, float]] = {
    "slim": (-2.0, 2.0, 10.0),
    "regular": (0.0, 5.0, 16.0),
    "oversized": (5.0, 12.0, 35.0),
}
#: Which girths (dressform names) judge each region's ease.
REGION_GIRTHS: dict[str, tuple[str, ...]] = {
    "shoulders": ("high_bust_girth_cm",),
    "bust": ("bust_girth_cm", "under_bust_girth_cm"),
    "waist": ("waist_girth_cm",),
    "hip": ("high_hip_girth_cm", "hip_girth_cm"),
    "thigh": ("thigh_girth_cm", "knee_girth_cm"),
    "sleeves": ("upper_arm_girth_cm", "elbow_girth_cm", "wrist_girth_cm"),
}


@dataclass(frozen=True)
class RegionVerdict:
    region: str
    verdict: Verdict
    reason: str  # the reading that decided, in words


def ease_verdict(ease_pct: float, intent: Intent) -> Verdict:
    tight, snug, regular = EASE_BANDS_PCT[intent]
    if ease_pct < tight:
        return "tight"
    if ease_pct < snug:
        return "snug"
    return "regular" if ease_pct <= regular else "loose"


def stretch_verdict(p90: float, max_stretch: float) -> Verdict:
    if p90 > max_stretch:
        return "tight"
    return "snug" if p90 > 0.5 * max_stretch else "regular"


_STRETCH_UNSTRAINED: Verdict = "regular"


def region_verdicts(ease: tuple[GirthEase, ...], strain: dict[str, RegionStrain],
                    max_stretch: float, intent: Intent = "regular") -> dict[str, RegionVerdict]:
    """The verdict of each region the garment covers (see the module docstring)."""
    by_name = {e.name: e for e in ease}
    out = {}
    for region, girths in REGION_GIRTHS.items():
        readings = [by_name[g] for g in girths if g in by_name]
        candidates: list[tuple[Verdict, str]] = []
        if readings:
            tightest = min(readings, key=lambda e: e.ease_pct)
            label = tightest.name.removesuffix("_girth_cm").replace("_", " ")
            candidates.append((ease_verdict(tightest.ease_pct, intent),
                               f"{label} ease {tightest.ease_cm:+.1f} cm "
                               f"({tightest.ease_pct:+.0f} %)"))
        if region in strain:
            s = strain[region]
            by_stretch = stretch_verdict(s.p90, max_stretch)
            # Unstretched cloth says nothing against ease: only a stretch can make it tighter.
            if by_stretch != _STRETCH_UNSTRAINED or not candidates:
                candidates.append((by_stretch,
                                   f"cloth stretched {100 * s.p90:.0f} % (90th percentile; "
                                   f"the fabric's limit is {100 * max_stretch:.0f} %)"))
        if candidates:
            verdict, reason = min(candidates, key=lambda c: _ORDER.index(c[0]))
            out[region] = RegionVerdict(region, verdict, reason)
    return out
