import json
from pathlib import Path

import pytest

from dressform.body.clone import clone_from_measurements
from dressform.body.names import normalise_measurements
from dressform.errors import InvalidInputError, UnknownNameError

FREESEWING = Path(__file__).resolve().parents[2] / "shared" / "data" / "freesewing_models.json"


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
        ({"height_cm": float("nan"), "waist_girth_cm": 70}, InvalidInputError, "positive"),
        ({"waist_girth_cm": 70, "hip_girth_cm": 96}, InvalidInputError, "sets the body's scale"),
    ],
)
def test_bad_measurements_are_refused(given, error, match):
    with pytest.raises(error, match=match):
        clone_from_measurements(given)


def test_freesewing_names_map_to_dressform_in_cm():
    sets = json.loads(FREESEWING.read_text())
    assert len(sets) == 20
    values, unused = normalise_measurements(sets["cisFemaleAdult34"])
    assert values["waist_girth_cm"] == pytest.approx(sets["cisFemaleAdult34"]["waist"] / 10)
    assert values["hip_girth_cm"] == pytest.approx(sets["cisFemaleAdult34"]["seat"] / 10)
    assert "head" in unused
