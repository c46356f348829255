"""A population to size for: people's measurements, from a cast or from a table of real ones.

A table is a CSV with one person per row: measurement columns in dressform's names (cm, kg) or
FreeSewing's (mm), and optionally `name`, `sex` (female / male, or a 0–1 blend as a cast
writes it, sized in the chart `dressform fit` sizes that clone in) and `age_years`. The other
columns a cast writes (skin tone, bands, …) are read past. A row with a missing or implausible
value is not dropped in silence: the person is kept with the reason, and the coverage names
them as not judged.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dressform.body.cast import sized_as
from dressform.body.iso8559 import MEASUREMENT_NAMES
from dressform.body.measure import measure
from dressform.body.mesh import Body
from dressform.body.names import FREESEWING_TO_DRESSFORM, FREESEWING_UNUSED, normalise_measurements
from dressform.errors import DressformError, InvalidInputError, UnknownNameError
from dressform.names import suggest

#: Columns a cast's CSV carries that are not measurements (read past, or read as below).
META_COLUMNS = frozenset({"name", "id", "sex", "sex_label", "age_years", "skin_tone",
                          "expression", "size_band", "age_band"})


@dataclass(frozen=True, eq=False)
class Population:
    """People to size for. `measurements` maps dressform names to (N,) arrays in cm/kg, NaN
    where a person's value is unknown; `problems[i]` says why person i cannot be judged
    ("" when they can)."""

    names: tuple[str, ...]
    sex: tuple[str, ...]  # the chart sex: "female", "male" or "" (unknown) per person
    age_years: np.ndarray
    measurements: dict[str, np.ndarray]
    problems: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.names)

    def person(self, i: int) -> dict[str, float]:
        """Person i's known measurements."""
        return {k: float(v[i]) for k, v in self.measurements.items() if math.isfinite(v[i])}

    def select(self, keep: np.ndarray) -> Population:
        idx = np.flatnonzero(keep)
        return Population(tuple(self.names[i] for i in idx), tuple(self.sex[i] for i in idx),
                          self.age_years[idx], {k: v[idx] for k, v in self.measurements.items()},
                          tuple(self.problems[i] for i in idx))


def population_from_records(records: Sequence[dict[str, object]]) -> Population:
    """People from rows of {column: value} (see the module docstring for the columns)."""
    if not records:
        raise InvalidInputError("the population has no people")
    columns = list(dict.fromkeys(k for r in records for k in r))
    known = [*MEASUREMENT_NAMES, *FREESEWING_TO_DRESSFORM, *FREESEWING_UNUSED, *META_COLUMNS]
    for c in columns:
        if c not in known:
            raise UnknownNameError(f"population column {c!r} is not a measurement"
                                   f"{suggest(c, known)}")
    names, sexes, ages, problems, rows = [], [], [], [], []
    for i, rec in enumerate(records, 1):
        name = str(rec.get("name") or rec.get("id") or f"person {i}")
        problem = ""
        try:
            sex = _sex(rec["sex"] if rec.get("sex") not in (None, "") else rec.get("sex_label"))
        except InvalidInputError as e:
            sex, problem = "", str(e)
        try:
            age = _age(rec.get("age_years"))
        except InvalidInputError as e:
            age, problem = 30.0, problem or str(e)
        given = {k: v for k, v in rec.items() if k not in META_COLUMNS and v not in (None, "")}
        try:
            values, _ = normalise_measurements(given)
        except DressformError as e:
            values, problem = {}, problem or str(e)
        names.append(name)
        sexes.append(sex)
        ages.append(age)
        problems.append(problem)
        rows.append(values)
    keys = sorted({k for r in rows for k in r})
    if not keys:
        raise InvalidInputError("no person in the population has a usable measurement: "
                                f"{next((p for p in problems if p), 'no measurement columns')}")
    measurements = {k: np.array([r.get(k, np.nan) for r in rows], dtype=float) for k in keys}
    return Population(tuple(names), tuple(sexes), np.array(ages), measurements, tuple(problems))


def read_population(path: str | Path) -> Population:
    """People from a CSV file (a cast's `cast.csv`, or real measurements)."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"population {path}: no such file")
    if p.suffix.lower() != ".csv":
        raise InvalidInputError(f"population {path}: expected a .csv file")
    with p.open(newline="", encoding="utf-8") as f:
        # A short row's missing cells come as None: left unknown, not a crash.
        records = [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                   for row in csv.DictReader(f)]
    try:
        return population_from_records(records)
    except DressformError as e:
        raise type(e)(f"population {p.name}: {e}") from None


def population_from_bodies(names: Sequence[str], bodies: Sequence[Body]) -> Population:
    """People from clones (a cast): each measured, sex and age from its spec."""
    records: list[dict[str, object]] = []
    for name, body in zip(names, bodies, strict=True):
        records.append({"name": name, "sex": body.spec.sex,
                        "age_years": body.spec.age_years, **measure(body).as_dict()})
    return population_from_records(records)


def _sex(raw: object) -> str:
    if raw in (None, ""):
        return ""
    text = str(raw).strip().lower()
    if text in ("female", "f", "woman", "women"):
        return "female"
    if text in ("male", "m", "man", "men"):
        return "male"
    try:
        value = float(text)
    except ValueError:
        raise InvalidInputError(f"sex {raw!r}: expected female, male or a 0–1 blend") from None
    if not 0.0 <= value <= 1.0:
        raise InvalidInputError(f"sex {raw!r}: a blend is between 0 (female) and 1 (male)")
    return sized_as(value)


def _age(raw: object) -> float:
    """Age in years (30 when not given): only the clones for the sample drapes use it."""
    if raw in (None, ""):
        return 30.0
    try:
        age = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        age = math.nan
    if not 18.0 <= age <= 90.0:
        raise InvalidInputError(f"age_years {raw!r}: expected an adult's age, 18–90")
    return age
