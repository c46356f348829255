import itertools
import math

import numpy as np
import pytest

from dressform.body import BodySpec, build, make_spec
from dressform.body.params import (
    anny_age_to_years,
    params_to_spec,
    spec_to_params,
    years_to_anny_age,
)
from dressform.body.skin import relative_luminance
from dressform.errors import ImplausibleBodyError, InvalidInputError, UnknownNameError


@pytest.mark.parametrize(
    "fields",
    [
        {"height_cm": -170},
        {"height_cm": 0},
        {"weight_kg": math.nan},
        {"age_years": 120},
        {"skin_tone": 11},
        {"skin_tone": "MST-0"},
        {"sex": "robot"},
        {"muscle": 1.5},
    ],
)
def test_bad_spec_values_are_refused_with_the_field_named(fields):
    with pytest.raises(InvalidInputError) as exc:
        make_spec(**fields)
    assert next(iter(fields)) in str(exc.value)


def test_skin_tone_accepts_the_scale_labels():
    assert make_spec(skin_tone="MST-7").skin_tone == 7


def test_unknown_expression_and_local_change_are_named():
    with pytest.raises(UnknownNameError, match="unknown expression"):
        build(BodySpec(expression="grin"))
    with pytest.raises(UnknownNameError, match="did you mean"):
        build(BodySpec(local_changes={"measure-waist-circ-inc": 0.2}))


def test_impossible_height_is_refused_with_the_reachable_range():
    with pytest.raises(ImplausibleBodyError, match="spans about"):
        build(BodySpec(height_cm=300, weight_kg=80))


def test_body_reaches_height_and_weight_and_stands_on_the_floor(woman):
    assert woman.vertices[:, 2].min() == pytest.approx(0.0, abs=1e-9)
    assert woman.height_m * 100 == pytest.approx(168.0, abs=0.05)
    from dressform.body.measure import measure

    assert measure(woman).weight_kg == pytest.approx(62.0, abs=0.05)


def test_axes_left_is_plus_x_and_front_is_minus_y(woman):
    left_hand = woman.vertices[woman.part_mask("hand_left")]
    assert left_hand[:, 0].mean() > 0.2
    nose_tip = woman.vertices[woman.part_mask("head")][:, 1].min()
    back_of_head = woman.vertices[woman.part_mask("head")][:, 1].max()
    assert abs(nose_tip) > abs(back_of_head) * 0.5  # the face looks to −Y
    assert set(woman.part_names) >= {"torso", "thigh_left", "upper_arm_right", "head"}
    assert all(np.count_nonzero(woman.part_mask(p)) > 50 for p in woman.part_names)


def test_spec_round_trips_through_anny_parameters():
    spec = BodySpec(sex=0.3, age_years=45, height_cm=171.5, weight_kg=70.2, proportions=0.4,
                    local_changes={"measure-waist-circ-incr": 0.3}, skin_tone=3)
    params = spec_to_params(spec)
    back = params_to_spec(params, skin_tone=spec.skin_tone)
    assert back.height_cm == pytest.approx(171.5, abs=0.05)
    assert back.weight_kg == pytest.approx(70.2, abs=0.02)
    assert back.sex == pytest.approx(0.3, abs=1e-6)
    assert back.age_years == pytest.approx(45, abs=1e-3)
    assert back.local_changes == pytest.approx({"measure-waist-circ-incr": 0.3})
    again = build(back)
    np.testing.assert_allclose(again.vertices, build(spec).vertices, atol=2e-4)


def test_age_mapping_round_trips_and_uses_anny_calibration():
    for years in (2, 18, 25, 40, 64, 90):
        assert anny_age_to_years(years_to_anny_age(years)) == pytest.approx(years)
    assert years_to_anny_age(18) == pytest.approx(0.77)


def test_heavy_bodies_are_reachable_when_muscle_is_left_open():
    body = build(BodySpec(sex="female", height_cm=165, weight_kg=95))  # BMI 34.9
    from dressform.body.measure import measure

    assert measure(body).weight_kg == pytest.approx(95, abs=0.1)
    with pytest.raises(ImplausibleBodyError, match="leave muscle unset"):
        build(BodySpec(sex="female", height_cm=165, weight_kg=130, muscle=0.9))


def test_monk_skin_tones_are_ordered_light_to_dark():
    lum = [relative_luminance(t) for t in range(1, 11)]
    assert lum[0] > lum[4] > lum[9]
    assert all(a >= b * 0.97 for a, b in itertools.pairwise(lum))


def test_fast_rest_shape_is_annys_own():
    """The rest-shape shortcut (sparse corner shapes for a few bodies, the compact basis for
    batches and gradients) is the same sum anny computes."""
    import torch

    from dressform.body.model import get_model

    model = get_model()
    pheno = {"gender": 1.0, "age": 0.8, "muscle": 0.63, "weight": 0.71, "proportions": 0.3}
    local = {"measure-waist-circ-incr": 0.4}
    with torch.no_grad():
        want = model.anny(phenotype_kwargs=pheno, local_changes_kwargs=local)
        sparse, heads = model.rest_shape(model.params(pheno, local))
        batch, _ = model.rest_shape(model.params(pheno, local, batch_size=8))
    grad_params = model.params({**pheno, "muscle": torch.tensor(0.63, requires_grad=True)},
                               local)
    dense, _ = model.rest_shape(grad_params)
    for verts in (sparse[0], batch[3], dense[0].detach()):
        assert (verts - want["rest_vertices"][0]).abs().max() < 1e-5
    assert (heads[0] - want["rest_bone_heads"][0]).abs().max() < 1e-5


def test_mixture_is_annys_phenotype_weighting():
    """`AnnyModel.mixture` replaces anny's own function for speed: same numbers, including
    extrapolated weights past 1 and an all-zero ethnicity blend."""
    import torch
    from anny.models.phenotype import phenotype_blendshape_weights

    from dressform.body.model import get_model

    model = get_model()
    gen = torch.Generator().manual_seed(3)
    ph = torch.rand(64, len(model.phenotype_labels), generator=gen) * 1.4 - 0.2
    ph[:4, [model.phenotype_labels.index(r) for r in ("african", "asian", "caucasian")]] = 0.0
    a = model.anny
    expected = phenotype_blendshape_weights(ph, model.phenotype_labels, a.anchors,
                                            a.stacked_phenotype_blend_shapes_mask,
                                            extrapolate=True)
    assert torch.allclose(model.mixture(ph), expected, atol=1e-6)
