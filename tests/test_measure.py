import numpy as np
import pytest

from dressform.body.iso8559 import MEASUREMENT_NAMES, check_measurement_name
from dressform.body.measure import Measurements, measure
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


def test_measurements_record_follows_the_iso_table():
    from dataclasses import fields

    from dressform.body.iso8559 import DEFINITIONS

    assert tuple(f.name for f in fields(Measurements)) == MEASUREMENT_NAMES == tuple(DEFINITIONS)


def test_unknown_measurement_name_suggests():
    with pytest.raises(UnknownNameError, match="did you mean 'waist_girth_cm'"):
        check_measurement_name("waist_girth")


def test_waist_lengths_run_down_from_the_shoulder_not_over_the_chin():
    """On this body the plane through the HPS, bust point and waist also cuts the chin; the
    tape bridged over it (3 cm above the HPS, front waist length several cm too long)."""
    from dressform.body import BodySpec, build
    from dressform.body.measure import plan_tapes

    body = build(BodySpec(sex="male", height_cm=170, weight_kg=100, proportions=0.2))
    names = ["front_waist_length_cm", "back_waist_length_cm"]
    tapes = plan_tapes(body.vertices, body.skeleton.heads, body.faces, body.skeleton.names,
                       names)
    x = np.vstack([body.vertices, body.skeleton.heads])
    for name in names:
        z = tapes[name].points(x)[:, 2]
        assert z.max() <= z[0] + 0.002, f"{name} rises {100 * (z.max() - z[0]):.1f} cm above HPS"
        assert np.all(np.diff(z) <= 0.002), name  # it runs downwards all the way


def test_held_girths_follow_their_landmark_level():
    """Tapes found on one body and read on a slightly different one (as a clone fit does) are
    cut at the new level of their landmark, not left where the mesh carried them."""
    import torch

    from dressform.body import BodySpec, build
    from dressform.body.landmarks import reference_anchors
    from dressform.body.measure import plan_tapes
    from dressform.body.tape import TapeSet

    a = build(BodySpec(sex="female", height_cm=165, weight_kg=60))
    b = build(BodySpec(sex="female", height_cm=166, weight_kg=64))
    names = ["waist_girth_cm", "hip_girth_cm", "thigh_girth_cm"]
    held = plan_tapes(a.vertices, a.skeleton.heads, a.faces, a.skeleton.names, names)
    fresh = plan_tapes(b.vertices, b.skeleton.heads, b.faces, b.skeleton.names, names)
    x = torch.tensor(np.vstack([b.vertices, b.skeleton.heads]))
    anchors = reference_anchors()
    for name, anchor in zip(names, (anchors.waist, anchors.hip, anchors.thigh), strict=True):
        level = anchor.points(x.numpy())[0, 2]
        z = TapeSet.of([held[name]]).points(x)[:, 2]
        on_level = np.abs(z.numpy() - level) < 1e-6
        # Edges the level has left hold their end nearest it (a few mm away).
        assert on_level.mean() > 0.8 and np.abs(z.numpy() - level).max() < 0.01, name
        values = [float(TapeSet.of([t[name]]).values_cm(x)[0]) for t in (held, fresh)]
        assert values[0] == pytest.approx(values[1], abs=0.3), name


def test_numpy_reading_of_a_tape_is_the_torch_formula(man):
    """Searches score tapes in numpy; fits read them with `TapeSet` in torch: the same."""
    import torch

    from dressform.body.measure import plan_tapes
    from dressform.body.tape import TapeSet

    tapes = plan_tapes(man.vertices, man.skeleton.heads, man.faces, man.skeleton.names)
    x = np.vstack([man.vertices, man.skeleton.heads])
    for name, tape in tapes.items():
        plain = type(tape)(tape.kind, tape.a, tape.b, tape.t)  # without its level
        expected = float(TapeSet.of([plain]).values_cm(torch.from_numpy(x))[0])
        assert plain.value_cm(x) == pytest.approx(expected, abs=1e-9), name
