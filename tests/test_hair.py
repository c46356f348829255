"""Hair: strand counts, clumps, hair types, textured styles and the shaded scalp."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.body import Body
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.render.hair import HAIR_TEXTURES, grow_hair, parse_hairstyle
from dressform.render.photoreal import body_scene, shaded_scalp


def _length(strands: np.ndarray) -> np.ndarray:
    """Each strand's length along its points."""
    return np.linalg.norm(np.diff(strands, axis=1), axis=2).sum(axis=1)


def test_a_full_head_carries_tens_of_thousands_of_strands_in_clumps(woman: Body):
    hair = grow_hair(woman, "long", "brown")
    assert 30_000 <= len(hair.strands) <= 60_000
    # Clumped: each tip lies nearer its neighbours' tips than the roots lie to theirs,
    # relative to the head's size (strands drawn in towards their guide).
    from scipy.spatial import cKDTree

    sample = hair.strands[::20]
    root_gap = cKDTree(sample[:, 0]).query(sample[:, 0], k=2)[0][:, 1].mean()
    mid = sample.shape[1] // 2
    mid_gap = cKDTree(sample[:, mid]).query(sample[:, mid], k=2)[0][:, 1].mean()
    assert mid_gap < 3.0 * root_gap


def _curvature(strands: np.ndarray) -> float:
    """Median curvature (1/m) along strands: the turn between segments per length."""
    seg = np.diff(strands.astype(np.float64), axis=1)
    ds = np.linalg.norm(seg, axis=2)
    t = seg / np.maximum(ds, 1e-12)[..., None]
    turn = np.arccos(np.clip((t[:, 1:] * t[:, :-1]).sum(axis=2), -1.0, 1.0))
    return float(np.median(turn / (0.5 * (ds[:, 1:] + ds[:, :-1]))))


def test_hair_types_curl_and_shrink_as_real_hair_does(woman: Body):
    curvature, tip_z = {}, {}
    for texture in HAIR_TEXTURES:
        hair = grow_hair(woman, "long", "black", texture=texture, density=0.05)
        curvature[texture] = _curvature(hair.strands)
        tip_z[texture] = float(np.median(hair.strands[:, -1, 2]))
    # Straight hair bends only as it is combed and falls; each tighter type winds more
    # (a helix's curvature is r / (r² + (pitch / 2π)²): 150 and 270 per metre for curly and
    # coily; a wave's peaks reach 120, its median, sampled six points a turn, about 60).
    assert curvature["straight"] < 40.0
    assert 60.0 < curvature["wavy"] < curvature["curly"] < curvature["coily"]
    # Coily hair hangs far shorter than straight hair of the same cut (shrinkage).
    assert tip_z["coily"] > tip_z["straight"] + 0.08


def test_textured_styles_take_their_own_shapes(woman: Body):
    centre = 0.5 * (woman.skeleton.head("eye.L") + woman.skeleton.head("eye.R"))
    centre = centre + np.array([0.0, 0.08, 0.0])
    afro = grow_hair(woman, "afro", "black", density=0.1)
    tips = np.linalg.norm(afro.strands[:, -1] - centre, axis=1)
    assert np.median(tips) > 0.12  # a rounded volume well off the head
    buzz = grow_hair(woman, "buzz", "black", density=0.1)
    assert _length(buzz.strands).max() < 0.008  # a few millimetres
    for style, radius in (("locs", 0.0045), ("braids", 0.0035)):
        ropes = grow_hair(woman, style, "black")
        per = len(ropes.strands) // 110 if style == "locs" else len(ropes.strands) // 120
        bundles = ropes.strands.reshape(-1, per, *ropes.strands.shape[1:])
        mid = bundles[:, :, bundles.shape[2] // 2]
        # Each rope's strands stay within its radius (twice, for the plait) of its middle.
        spread = np.linalg.norm(mid - mid.mean(axis=1, keepdims=True), axis=2)
        assert np.quantile(spread, 0.95) < 2.2 * radius
        assert len(bundles) >= 100


def test_hair_shades_the_scalp_it_grows_on_and_not_the_face(woman: Body):
    hair = grow_hair(woman, "short", "black", density=0.1)
    body = body_scene(woman)[0]
    shaded = shaded_scalp(body, hair)
    changed = np.abs(shaded.vertex_color - body.vertex_color).max(axis=1) > 0.01
    v = np.asarray(woman.vertices)
    eye_z = float(woman.skeleton.head("eye.L")[2])
    assert changed.sum() > 100
    assert v[changed, 2].min() > eye_z - 0.09  # the scalp, down to the nape's hairline
    face = woman.part_mask("head") & (v[:, 1] < woman.skeleton.head("eye.L")[1]) & (
        v[:, 2] < eye_z + 0.03)
    assert not (changed & face).any()
    assert (shaded.vertex_color[changed].mean(axis=0)
            < body.vertex_color[changed].mean(axis=0)).all()  # darker, towards black


def test_unknown_hair_types_and_types_on_ropes_are_refused(woman: Body):
    with pytest.raises(UnknownNameError, match="coily"):
        grow_hair(woman, "long", texture="coiley")
    with pytest.raises(InvalidInputError, match="locs"):
        grow_hair(woman, "locs", texture="wavy")


def test_a_hairstyle_names_its_hair_type_after_a_slash(woman: Body):
    assert parse_hairstyle("long/coily") == ("long", "coily")
    assert parse_hairstyle("Afro") == ("afro", None)
    coily = grow_hair(woman, "long/coily", "black", density=0.05)
    assert coily.style == "long" and _curvature(coily.strands) > 150.0
    with pytest.raises(UnknownNameError, match="wavy"):
        parse_hairstyle("long/wavey")
    with pytest.raises(UnknownNameError, match="braids"):
        parse_hairstyle("braid/coily")
    with pytest.raises(InvalidInputError, match="coily hair, not wavy"):
        grow_hair(woman, "long/coily", texture="wavy")
