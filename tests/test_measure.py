import pytest

from dressform.body.measure import MEASUREMENT_NAMES, Measurements, check_measurement_name, measure
from dressform.errors import UnknownNameError


@pytest.fixture(scope="module")
def woman_m(woman) -> Measurements:
    return measure(woman)


@pytest.fixture(scope="module")
def man_m(man) -> Measurements:
    return measure(man)


def test_at_least_twenty_iso_measurements(woman_m):
    assert len(MEASUREMENT_NAMES) >= 20
    values = woman_m.as_dict()
    assert all(v > 0 for v in values.values())


def test_measurements_are_anatomically_ordered(woman_m, man_m):
    for m in (woman_m, man_m):
        assert m.wrist_girth_cm < m.ankle_girth_cm < m.calf_girth_cm < m.thigh_girth_cm
        assert m.elbow_girth_cm < m.upper_arm_girth_cm
        assert m.under_bust_girth_cm < m.bust_girth_cm
        assert m.waist_girth_cm < m.hip_girth_cm
        assert m.inseam_cm < m.waist_height_cm < m.outseam_cm < m.height_cm
        assert m.crotch_depth_cm == pytest.approx(m.waist_height_cm - m.inseam_cm, abs=1.5)
        assert 0.40 < m.inseam_cm / m.height_cm < 0.52
    assert man_m.shoulder_width_cm > woman_m.shoulder_width_cm
    assert man_m.neck_base_girth_cm > woman_m.neck_base_girth_cm - 1


def test_plausible_adult_values(woman_m):
    # A 168 cm / 62 kg woman: population-typical ranges (ISO 8559-2 / EN 13402 tables).
    assert woman_m.height_cm == pytest.approx(168.0, abs=0.1)
    assert 80 < woman_m.bust_girth_cm < 100
    assert 62 < woman_m.waist_girth_cm < 82
    assert 90 < woman_m.hip_girth_cm < 108
    assert 30 < woman_m.neck_base_girth_cm < 42
    assert 13 < woman_m.wrist_girth_cm < 18


def test_bigger_body_measures_bigger(woman):
    from dressform.body import BodySpec, build

    heavier = measure(build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=80)))
    base = measure(woman)
    for name in ("bust_girth_cm", "waist_girth_cm", "hip_girth_cm", "thigh_girth_cm"):
        assert getattr(heavier, name) > getattr(base, name) + 2


def test_unknown_measurement_name_suggests():
    with pytest.raises(UnknownNameError, match="did you mean 'waist_girth_cm'"):
        check_measurement_name("waist_girth")
