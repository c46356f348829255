"""Diverse casts on purpose: both sexes, ages 18–80, heights and BMIs over adult percentiles,
all ten Monk skin tones, mixed ethnicity blends — deterministic for a seed.

Heights are drawn from normal distributions per sex (adult means 163 cm ♀ / 176 cm ♂, SD 7 cm,
close to the NCD-RisC global figures for adults born 1970–1996); BMI from a log-normal centred on
24.5 with SD ≈ 4.5 (the spread of adult BMI in national surveys), clipped to 17–40. Skin tones are
dealt round-robin from a shuffled deck so every tone appears once n ≥ 10; ages are stratified
over 18–80; a few clones are sex blends; personalities (how each stands and walks) are dealt
in turn. Each body is checked (it must build; the model must
reach its height and weight); an implausible draw is redrawn, never kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from dressform.body.bodies import build_many
from dressform.body.mesh import Body
from dressform.body.spec import BodySpec, Ethnicity, make_spec
from dressform.errors import ImplausibleBodyError, InvalidInputError

#: The personalities a cast is dealt (`dressform.body.personality`): a cast stands and walks
#: like different people.
CAST_PERSONALITIES = ("confident", "relaxed", "playful", "poised")


@dataclass(frozen=True)
class CastRanges:
    """Ranges a cast is drawn from (people's units)."""

    age_years: tuple[float, float] = (18.0, 80.0)
    bmi: tuple[float, float] = (17.0, 40.0)
    height_cm_female: tuple[float, float] = (150.0, 180.0)
    height_cm_male: tuple[float, float] = (160.0, 195.0)
    share_female: float = 0.5
    share_blend: float = 0.1


@dataclass(frozen=True)
class Cast:
    specs: tuple[BodySpec, ...]
    bodies: tuple[Body, ...] = field(repr=False)

    def coverage(self) -> dict[str, dict[str, int]]:
        """How many clones per skin tone, personality, size (BMI) band, age band and sex."""
        return coverage_table(self.specs)


def size_band(spec: BodySpec) -> str:
    bmi = (spec.weight_kg or 0) / ((spec.height_cm or 1) / 100) ** 2
    return "under 18.5" if bmi < 18.5 else "18.5–25" if bmi < 25 else "25–30" if bmi < 30 \
        else "30+"


def age_band(spec: BodySpec) -> str:
    a = spec.age_years
    return "18–29" if a < 30 else "30–44" if a < 45 else "45–59" if a < 60 else "60+"


def sex_label(spec: BodySpec) -> str:
    return sex_word(spec.sex)


def sex_word(sex: float) -> str:
    """"female", "male" or "blend" for a 0 (female) – 1 (male) value."""
    return "female" if sex <= 0.2 else "male" if sex >= 0.8 else "blend"


def sized_as(sex: float) -> str:
    """The sex whose size chart a body is sized in: the men's for a man, else the women's
    (a blend's proportions are nearer a woman's block)."""
    return "male" if sex_word(sex) == "male" else "female"


def coverage_table(specs: tuple[BodySpec, ...] | list[BodySpec]) -> dict[str, dict[str, int]]:
    def count(key: Callable[[BodySpec], str]) -> dict[str, int]:
        return dict(sorted(Counter(key(s) for s in specs).items()))

    return {
        "skin tone": count(lambda s: f"MST-{s.skin_tone}"),
        "personality": count(lambda s: s.personality),
        "size band (BMI)": count(size_band),
        "age band": count(age_band),
        "sex": count(sex_label),
    }


def _draw(rng: np.random.Generator, i: int, n: int, tones: list[int],
          ranges: CastRanges) -> BodySpec:
    u = rng.random()
    if u < ranges.share_blend:
        sex = float(rng.uniform(0.3, 0.7))
    else:
        # Interleaved so that any prefix of the cast keeps the share (round-robin by share).
        share = ranges.share_female
        sex = 0.0 if np.floor((i + 1) * share) > np.floor(i * share) else 1.0
    female = sex < 0.5
    lo_h, hi_h = ranges.height_cm_female if female else ranges.height_cm_male
    height = float(np.clip(rng.normal(163.0 if female else 176.0, 7.0), lo_h, hi_h))
    bmi = float(np.clip(np.exp(rng.normal(np.log(24.5), 0.18)), *ranges.bmi))
    lo_a, hi_a = ranges.age_years
    age = float(lo_a + (hi_a - lo_a) * ((i + rng.random()) / n))  # stratified
    blend = rng.dirichlet([0.6, 0.6, 0.6])
    return make_spec(
        sex=sex, age_years=round(age, 1), height_cm=round(height, 1),
        weight_kg=round(bmi * (height / 100) ** 2, 1), proportions=float(rng.uniform(0.3, 0.7)),
        ethnicity=Ethnicity(african=blend[0], asian=blend[1], caucasian=blend[2]),
        skin_tone=tones[i % len(tones)],
        expression=str(rng.choice(["neutral", "soft smile", "smile", "serious"])),
        # Dealt in turn, not drawn, so that the draws above stay as they were for a seed.
        personality=CAST_PERSONALITIES[i % len(CAST_PERSONALITIES)],
    )


def cast(n: int, spec_ranges: CastRanges | None = None, seed: int = 0,
         max_redraws: int = 20) -> Cast:
    """`n` diverse clones (deterministic for `seed`)."""
    if not isinstance(n, int) or n < 1 or n > 10_000:
        raise InvalidInputError(f"cast size must be an integer 1–10000, got {n!r}")
    ranges = spec_ranges or CastRanges()
    rng = np.random.default_rng(seed)
    tones = list(rng.permutation(np.arange(1, 11)).tolist())
    order = rng.permutation(n)  # decorrelate age strata from the sex alternation
    specs: list[BodySpec] = []
    bodies: list[Body] = []
    for i in range(n):
        for _ in range(max_redraws):
            spec = _draw(rng, int(order[i]), n, tones, ranges)
            try:
                bodies.append(build_many([spec])[0])
            except ImplausibleBodyError:
                continue  # the model cannot make this one: draw again
            specs.append(spec)
            break
        else:
            raise ImplausibleBodyError(f"could not draw a buildable body for clone {i + 1}")
    return Cast(tuple(specs), tuple(bodies))
