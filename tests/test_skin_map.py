"""Skin by region: redder cheeks, lighter palms and soles on deep skin, nails, finish."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from dressform.body import Body, build
from dressform.body.skin_optics import srgb_lab
from dressform.body.spec import BodySpec
from dressform.errors import RenderError
from dressform.render.photoreal import body_scene, render_job
from dressform.render.skin_map import ROUGHNESS, palm_direction, region_weights, skin_map
from dressform.render.studio import Studio


@pytest.fixture(scope="module")
def deep() -> Body:
    return build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62,
                          skin_tone=9))


@pytest.fixture(scope="module")
def light() -> Body:
    return build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62,
                          skin_tone=2))


def _lab(rgb: np.ndarray) -> np.ndarray:
    return srgb_lab(np.asarray(rgb))


def test_palms_face_the_body_and_the_fingers_curl_towards_them(woman: Body):
    for side, sign in (("L", -1.0), ("R", 1.0)):
        palm = palm_direction(woman, side)
        # In anny's A-pose the palms face down and in, towards the thighs.
        assert palm[2] < -0.3 and sign * palm[0] > 0.3


def test_regions_lie_on_their_anatomy(woman: Body):
    w = region_weights(woman)
    v = np.asarray(woman.vertices)
    head = woman.part_mask("head")
    hands = woman.part_mask("hand_left", "hand_right")
    feet = woman.part_mask("foot_left", "foot_right")
    assert (w["flush"][~head] == 0).all() and w["flush"].max() > 0.5
    assert (w["nail"][~(hands | feet)] == 0).all()
    assert (w["knuckle"][~hands] == 0).all()
    assert (w["volar"][~(hands | feet)] == 0).all()
    # Twenty nails: the tip of every finger and toe carries some.
    names = np.array(woman.skeleton.names)
    joints, weights = np.asarray(woman.skin_joints), np.asarray(woman.skin_weights)
    bone = names[joints[np.arange(len(v)), weights.argmax(axis=1)]]
    for side in "LR":
        for k in range(1, 6):
            assert w["nail"][bone == f"finger{k}-3.{side}"].max() > 0.9
            assert w["nail"][bone == f"toe{k}-{2 if k == 1 else 3}.{side}"].max() > 0.9
    # Soles: the feet's undersides are volar, their tops are not.
    assert w["volar"][feet & (v[:, 2] < 0.01)].mean() > 0.7
    assert w["volar"][feet & (v[:, 2] > 0.06)].mean() < 0.2


def test_light_skin_has_redder_cheeks_and_deep_skin_lighter_palms(light: Body, deep: Body):
    for body in (light, deep):
        m, w = skin_map(body), region_weights(body)
        lab = _lab(m.color)
        plain = (w["flush"] == 0) & (w["volar"] == 0) & (w["nail"] == 0) & (w["knuckle"] == 0)
        base = np.median(lab[plain], axis=0)
        cheeks = lab[w["flush"] > 0.6].mean(axis=0)
        if body is light:  # (on deep skin melanin hides the blood: darker, not redder)
            assert cheeks[1] > base[1] + 2.0  # redder (a*): cheek over forearm, ~3–5
        else:
            assert cheeks[0] < base[0]
        palms = lab[w["volar"] > 0.9].mean(axis=0)
        if body is deep:
            assert palms[0] > base[0] + 15.0  # far lighter on deep skin
        else:
            assert abs(palms[0] - base[0]) < 8.0  # little melanin to lose on light skin
        nails = lab[w["nail"] > 0.9].mean(axis=0)
        assert nails[0] > base[0]  # the pale nail bed through a clear plate
    m = skin_map(light)
    assert m.roughness.min() == pytest.approx(ROUGHNESS["nail"], abs=0.02)
    assert m.roughness.max() == pytest.approx(ROUGHNESS["volar"], abs=0.02)


def test_a_vertex_colour_of_the_wrong_shape_is_refused(woman: Body):
    scene = body_scene(woman)
    bad = dataclasses.replace(scene[0], vertex_color=np.zeros((5, 3)))
    with pytest.raises(RenderError, match="vertex_color"):
        render_job([bad], Studio(quality="draft"), Path("x.png"))
    bad = dataclasses.replace(scene[0], vertex_roughness=np.zeros(3))
    with pytest.raises(RenderError, match="vertex_roughness"):
        render_job([bad], Studio(quality="draft"), Path("x.png"))
