"""Clones fitted to tape measurements: residuals, refusals, the FreeSewing sets."""

from __future__ import annotations

import pytest

from dressform.body.clone import clone_from_measurements
from dressform.body.names import normalise_measurements
from dressform.errors import InvalidInputError, UnknownNameError


@pytest.fixture(scope="module")
def fitted():
    return clone_from_measurements(
        {"height_cm": 168, "weight_kg": 62, "bust_girth_cm": 88, "waist_girth_cm": 70,
         "hip_girth_cm": 96}, sex="female", age_years=30)


def test_clone_reaches_consistent_measurements_within_iso_20685(fitted):
    assert fitted.ok, fitted.summary()
    for name, r in fitted.residuals.items():
        assert abs(r.residual) <= r.tolerance, name
    # What was not given is predicted by the body model, within adult ranges.
    m = fitted.measurements
    assert 30 < m.neck_base_girth_cm < 42 and 65 < m.inseam_cm < 90


def test_clone_names_what_it_could_not_reach():
    result = clone_from_measurements(
        {"height_cm": 160, "weight_kg": 40, "waist_girth_cm": 150}, sex="female")
    assert not result.ok
    assert "waist_girth_cm" in result.unreachable
    assert "waist_girth_cm" in result.summary()


@pytest.mark.parametrize(
    ("given", "error", "match"),
    [
        ({"height_cm": 40, "waist_girth_cm": 70}, InvalidInputError, "not a plausible adult"),
        ({"height_cm": 170, "waist_girth_cm": 300}, InvalidInputError, "waist_girth_cm"),
        ({"height_cm": 170, "waist": -3}, InvalidInputError, "positive"),
        ({"height_cm": 170, "wasit_girth_cm": 70}, UnknownNameError, "did you mean"),
        ({"height_cm": float("nan"), "waist_girth_cm": 70}, InvalidInputError, "not a finite"),
        ({"waist_girth_cm": 70, "hip_girth_cm": 96}, InvalidInputError, "sets the body's scale"),
    ],
)
def test_bad_measurements_are_refused(given, error, match):
    with pytest.raises(error, match=match):
        clone_from_measurements(given)


def test_freesewing_names_map_to_dressform_in_cm(freesewing_sets):
    sets = freesewing_sets
    assert len(sets) == 20
    values, unused = normalise_measurements(sets["cisFemaleAdult34"])
    assert values["waist_girth_cm"] == pytest.approx(sets["cisFemaleAdult34"]["waist"] / 10)
    assert values["hip_girth_cm"] == pytest.approx(sets["cisFemaleAdult34"]["seat"] / 10)
    assert "head" in unused


@pytest.mark.parametrize(
    "source",
    [{"sex": "male", "age_years": 45, "height_cm": 176, "weight_kg": 84, "proportions": 0.35},
     {"sex": "female", "age_years": 30, "height_cm": 160, "weight_kg": 70, "muscle": 0.3,
      "proportions": 0.7}],
)
def test_clone_reproduces_a_complete_consistent_set(source):
    """Every measurement of a real anny body, given at once, is mutually consistent: the fit
    must reach all of them within ISO 20685 allowable error."""
    from dressform.body import build, make_spec
    from dressform.body.measure import measure

    given = measure(build(make_spec(**source))).as_dict()
    result = clone_from_measurements(given, sex=source["sex"], age_years=source["age_years"])
    assert result.ok, result.summary()
    assert abs(result.spec.height_cm - source["height_cm"]) < 0.5
    assert abs(result.spec.weight_kg - source["weight_kg"]) < 0.6


@pytest.fixture(scope="module")
def freesewing_fits(freesewing_sets):
    sets = freesewing_sets
    return {name: clone_from_measurements(values, sex="male" if "Male" in name else "female")
            for name, values in sets.items()}


def test_all_freesewing_sets_fit_with_residuals_reported(freesewing_fits, freesewing_sets):
    sets = freesewing_sets
    within = {"Female": 0, "Male": 0}
    total = {"Female": 0, "Male": 0}
    for name, result in freesewing_fits.items():
        mapped, _ = normalise_measurements(sets[name])
        assert set(result.residuals) == set(mapped), name
        assert "crotchDepth" in result.unused  # taken seated by FreeSewing: not a standing tape
        for key, r in result.residuals.items():
            assert r.given == pytest.approx(mapped[key])
            assert r.ok == (abs(r.residual) <= r.tolerance)
            # Inconsistent sets get a best fit, not a wild one.
            assert abs(r.residual) < 15.0, f"{name} {key} off by {r.residual:+.1f}"
        sex = "Female" if "Female" in name else "Male"
        within[sex] += sum(r.ok for r in result.residuals.values())
        total[sex] += len(result.residuals)
    # On 2026-11-29, 83 % of the women's and 72 % of the men's measurements were reached
    # (BENCHMARKS.md has the per-set figures; FreeSewing's men's under-bust and waist are
    # beyond anny's male shapes). A regression in the fit or the tapes shows here.
    assert within["Female"] / total["Female"] >= 0.8
    assert within["Male"] / total["Male"] >= 0.6
    smallest = freesewing_fits["cisFemaleAdult28"]
    assert smallest.ok, smallest.summary()
