"""The base layer: cut from the body's own surface, it covers what it must, stays a millimetre
or two off the skin in any pose, and keeps inside the clothes worn over it."""

from __future__ import annotations

import time

import numpy as np
import pytest
from scipy.spatial import cKDTree

from dressform.body import Body, BodySpec
from dressform.body.landmarks import Landmarks, reference_anchors
from dressform.body.pose import pose_body
from dressform.body.underwear import (
    BASE_STYLES,
    BaseLayer,
    base_layer,
    base_pieces,
    default_base,
)
from dressform.body.wear import WearPiece
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.geometry.distance import BodyDistance, SurfaceQuery
from dressform.geometry.edges import unshared_sides
from dressform.geometry.normals import vertex_normals

MM = 0.001


@pytest.fixture(scope="module")
def layers(woman: Body, man: Body) -> dict[tuple[str, str], BaseLayer]:
    """Every style cut from both bodies."""
    return {(who, style): base_layer(body, style)
            for who, body in (("woman", woman), ("man", man)) for style in BASE_STYLES}


@pytest.fixture(scope="module")
def woman_poses(woman: Body) -> dict[str, Body]:
    return {name: pose_body(woman, name) for name in ("relaxed", "walking", "seated")}


def _landmarks(body: Body) -> Landmarks:
    return Landmarks(np.asarray(body.vertices), np.asarray(body.skeleton.heads),
                     np.asarray(body.faces), body.skeleton.names, reference_anchors())


def _merged(pieces: list[WearPiece]) -> tuple[np.ndarray, np.ndarray]:
    verts, faces, at = [], [], 0
    for p in pieces:
        verts.append(p.vertices)
        faces.append(p.faces + at)
        at += len(p.vertices)
    return np.concatenate(verts), np.concatenate(faces)


def _covered(body: Body, pieces: list[WearPiece], region: np.ndarray) -> np.ndarray:
    """Which body vertices of `region` have the layer right over them: its nearest point
    within 6 mm (more where it bridges a hollow), straight out along the skin's normal (not
    off to one side, past an edge)."""
    v = np.asarray(body.vertices)[region]
    n = vertex_normals(body.vertices, body.faces)[region]
    face, _, near = SurfaceQuery(*_merged(pieces)).nearest(v, 0.006)
    d = near - v
    along = np.einsum("ij,ij->i", d, n) / np.maximum(np.linalg.norm(d, axis=1), 1e-12)
    return (face >= 0) & (along > 0.7)


def _private_regions(body: Body) -> dict[str, np.ndarray]:
    """Genitals and buttocks, from landmarks (not from how the layer is cut): round the
    crotch point, up the front of the pubis, and the back from the crotch to over the
    fullest seat, across the buttocks."""
    lm = _landmarks(body)
    v = np.asarray(body.vertices)
    trunk = body.part_mask("torso", "hips", "thigh_left", "thigh_right")
    crotch = v[lm.crotch]
    torso_y = v[body.part_mask("torso", "hips"), 1].mean()
    hip_half = np.abs(lm.hip[0].points(lm.x)[:, 0]).max()
    genitals = trunk & (((np.linalg.norm(v - crotch, axis=1) < 0.05)
                         & (v[:, 2] > crotch[2] - 0.015))
                        | ((np.abs(v[:, 0]) < 0.04) & (v[:, 1] < torso_y)
                           & (v[:, 2] > crotch[2]) & (v[:, 2] < crotch[2] + 0.07)))
    buttocks = (trunk & (v[:, 1] > torso_y + 0.02) & (np.abs(v[:, 0]) < 0.6 * hip_half)
                & (v[:, 2] > crotch[2] + 0.005) & (v[:, 2] < lm.hip[1] + 0.03))
    return {"genitals": np.flatnonzero(genitals), "buttocks": np.flatnonzero(buttocks)}


def _breasts(body: Body) -> np.ndarray:
    """Both breasts: the front of the chest within 5 cm of either bust point (landmark)."""
    lm = _landmarks(body)
    v = np.asarray(body.vertices)
    bp = lm.bust_point.points(lm.x)[0]
    torso_y = v[body.part_mask("torso", "hips"), 1].mean()
    near = [np.linalg.norm(v - bp * [s, 1, 1], axis=1) < 0.05 for s in (1, -1)]
    return np.flatnonzero(body.part_mask("torso") & (near[0] | near[1])
                          & (v[:, 1] < torso_y - 0.04))


def test_default_style_by_sex_and_age() -> None:
    assert default_base(BodySpec(sex="female")) == "briefs-bra"
    assert default_base(BodySpec(sex=0.4)) == "briefs-bra"
    assert default_base(BodySpec(sex="male")) == "trunks"
    assert default_base(BodySpec(sex=0.5)) == "trunks"
    assert default_base(BodySpec(sex="female", age_years=8)) == "vest-shorts"


def test_unknown_style_suggests(woman: Body) -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'briefs'"):
        base_layer(woman, "brief")
    with pytest.raises(UnknownNameError, match="did you mean 'bodysuit'"):
        base_layer(woman, "bodysiut")


def test_auto_is_the_default_style(woman: Body) -> None:
    assert base_layer(woman).style == "briefs-bra"


@pytest.mark.parametrize("who", ["woman", "man"])
def test_every_style_covers_genitals_and_buttocks(who: str, request, layers) -> None:
    body = request.getfixturevalue(who)
    regions = _private_regions(body)
    assert all(len(r) > 30 for r in regions.values())
    for style in BASE_STYLES:
        pieces = base_pieces(layers[who, style], body)
        for name, region in regions.items():
            covered = _covered(body, pieces, region)
            assert covered.all(), (f"{style} leaves {np.sum(~covered)} of {len(region)} "
                                   f"vertices of the {name} bare")


@pytest.mark.parametrize("style", ["briefs-bra", "briefs-bralette"])
def test_bra_styles_cover_the_breasts(style: str, woman: Body, layers) -> None:
    region = _breasts(woman)
    assert len(region) > 50
    covered = _covered(woman, base_pieces(layers["woman", style], woman), region)
    assert covered.all(), f"{style} leaves {np.sum(~covered)} of {len(region)} bare"


def _skin_contact(body: Body) -> np.ndarray:
    """Body vertices where skin touches other skin (a closed slit, a seated lap pressed on
    the belly): just off them is already near the body again."""
    v = np.asarray(body.vertices)
    n = vertex_normals(v, body.faces)
    return BodyDistance(v, np.asarray(body.faces))(v + 0.6 * MM * n) < 0.3 * MM


@pytest.mark.parametrize("pose", ["rest", "relaxed", "walking", "seated"])
def test_layer_is_off_the_skin_in_every_pose(pose: str, woman: Body, woman_poses, layers
                                             ) -> None:
    body = woman if pose == "rest" else woman_poses[pose]
    v = np.asarray(body.vertices)
    distance = BodyDistance(v, np.asarray(body.faces))
    contact = v[_skin_contact(body)]
    for style in ("briefs-bra", "bodysuit"):
        points = _merged(base_pieces(layers["woman", style], body))[0]
        d, near = distance.query(points)
        # Where skin meets skin the layer is caught between (and hidden): judged elsewhere.
        free = np.ones(len(points), dtype=bool)
        if len(contact):
            free = cKDTree(contact).query(near)[0] > 0.015
        assert free.mean() > (0.9 if pose == "seated" else 0.99)
        off = d[free]
        within = (off >= 0.5 * MM) & (off <= 3.0 * MM)
        # Linear-blend skinning creases the skin where a joint bends (the armpit of a
        # swinging arm; seated, the thigh folded up against the buttock and the belly) and
        # the skin closes on itself in a slit: folds the contact test above does not see.
        # There a few vertices (2 % seated) come nearer the skin or dip into it.
        assert within.mean() >= (0.98 if pose == "seated" else 0.995), (
            f"{style} in {pose}: {off.min() / MM:.2f}–{off.max() / MM:.2f} mm off the skin, "
            f"{np.sum(~within)} of {len(off)} outside 0.5–3 mm")
        # Nowhere, not even in a fold, more than 2.5 mm inside the body.
        assert d.min() > -2.5 * MM


def test_bands_are_closed_rolled_tubes(woman: Body, layers) -> None:
    distance = BodyDistance(np.asarray(woman.vertices), np.asarray(woman.faces))
    for style in BASE_STYLES:
        pieces = base_pieces(layers["woman", style], woman)
        bands = [p for p in pieces if p.material == "elastic"]
        assert len(bands) >= 3
        for band in bands:
            assert not unshared_sides(band.faces).any(), f"{band.name} has an open edge"
            # Seen side-on, an edge shows thickness: its faces span over a millimetre.
            d = distance(band.vertices)
            assert np.ptp(d) > 1.2 * MM, band.name


def test_pieces_follow_the_pose_with_the_same_topology(woman: Body, woman_poses, layers
                                                       ) -> None:
    layer = layers["woman", "briefs-bra"]
    rest = base_pieces(layer, woman)
    assert {p.kind for p in rest} == {"base:briefs-bra"}
    assert {p.material for p in rest} == {"fabric", "elastic"}
    for posed in woman_poses.values():
        moved = base_pieces(layer, posed)
        assert [p.name for p in moved] == [p.name for p in rest]
        for a, b in zip(rest, moved, strict=True):
            assert a.faces.shape == b.faces.shape and (a.faces == b.faces).all()
            assert a.vertices.shape == b.vertices.shape
    # It moved with the body: the seated briefs are where the seated hips are.
    seated = base_pieces(layer, woman_poses["seated"])[0]
    assert np.linalg.norm(seated.vertices - rest[0].vertices, axis=1).max() > 0.05


def test_placing_is_fast(woman: Body, woman_poses, layers) -> None:
    layer = layers["woman", "briefs-bra"]
    base_pieces(layer, woman_poses["walking"])
    times = []
    for _ in range(5):
        t = time.perf_counter()
        base_pieces(layer, woman_poses["walking"])
        times.append(time.perf_counter() - t)
    assert np.median(times) < 0.1  # ~15 ms on a laptop core; a runway walk is 150 frames


def test_wrong_topology_is_refused(woman: Body, layers) -> None:
    from dataclasses import replace

    small = replace(woman, vertices=np.asarray(woman.vertices)[:-1])
    with pytest.raises(InvalidInputError, match="vertices"):
        base_pieces(layers["woman", "briefs"], small)


def _tight_garment(body: Body, gap: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The body's torso and hips as a garment `gap` off the skin (negative: inside it), and
    which body faces lie well under it (all corners over 3 cm from its edges)."""
    v = np.asarray(body.vertices)
    f = np.asarray(body.faces)
    n = vertex_normals(v, f)
    part = body.part_mask("torso", "hips")
    inside = part[f].all(axis=1)
    faces = f[inside]
    edge = np.unique(faces[unshared_sides(faces)[:, 0]][:, [1, 2]])
    far = cKDTree(v[edge]).query(v)[0] > 0.03
    return v + gap * n, faces, inside & far[f].all(axis=1)


def test_garment_over_it_pulls_it_in(woman: Body, layers) -> None:
    layer = layers["woman", "bodysuit"]
    v = np.asarray(woman.vertices)
    distance = BodyDistance(v, np.asarray(woman.faces))
    skin = SurfaceQuery(v, np.asarray(woman.faces))
    cloth, faces, covered = _tight_garment(woman, 1.0 * MM)

    free = _merged(base_pieces(layer, woman))[0]
    # The layer's points over skin the cloth covers well inside its edges.
    face, _, _ = skin.nearest(free, 0.01)
    mask = (face >= 0) & covered[np.maximum(face, 0)]
    d_free, near = distance.query(free)
    # Where skin closes on itself (the vulva's slit) the skin's own distance misleads.
    contact = v[_skin_contact(woman)]
    mask &= cKDTree(contact).query(near)[0] > 0.015
    assert mask.sum() > 1000 and d_free[mask].max() > 1.0 * MM  # it would poke through

    pulled = _merged(base_pieces(layer, woman, under=[(cloth, faces)]))[0]
    d = distance(pulled)[mask]
    # 0.5 mm inside the 1 mm cloth: at most 0.5 mm off the skin, and never under it.
    assert d.max() <= 0.55 * MM and d.min() >= -0.05 * MM

    sunk, faces = _tight_garment(woman, -0.5 * MM)[:2]
    d = distance(_merged(base_pieces(layer, woman, under=[(sunk, faces)]))[0])[mask]
    assert np.abs(d).max() <= 0.2 * MM  # cloth inside the skin: the layer lies on the skin
