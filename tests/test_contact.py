"""Posing presses skin the rig folded through skin flat where it meets (`body.contact`)."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.body import Body
from dressform.body.contact import MOST_M, pressed_apart
from dressform.body.pose import get_pose, laid, pose_body
from dressform.body.rig import bone_transforms, skin
from dressform.geometry.crossings import crossing_pairs
from dressform.geometry.normals import vertex_normals

LAP = (("torso", "hips"), ("thigh_left", "thigh_right"))
SIDES = (("torso",), ("upper_arm_left", "upper_arm_right"))


def _rig_alone(body: Body, pose: str) -> np.ndarray:
    """The pose's vertices as the rig's skinning alone puts them (not stood on the floor)."""
    rot, trans = bone_transforms(body.skeleton, laid(body, get_pose(pose)))
    return skin(np.asarray(body.vertices, dtype=np.float64), np.asarray(body.skin_weights),
                np.asarray(body.skin_joints), rot, trans)


def _through(body: Body, vertices: np.ndarray, parts: tuple[tuple[str, ...], ...]) -> int:
    """Edges of one group of parts through triangles of the other."""
    a, b = (body.part_mask(*p) for p in parts)
    faces = np.asarray(body.faces)
    sub = faces[(a | b)[faces].all(axis=1)]
    edges, tris = crossing_pairs(vertices, sub)
    e_a, e_b = a[edges].all(axis=1), b[edges].all(axis=1)
    t_a, t_b = a[sub[tris]].all(axis=1), b[sub[tris]].all(axis=1)
    return int(((e_a & t_b) | (e_b & t_a)).sum())


@pytest.mark.parametrize("pose, parts, by_the_rig", [("seated", LAP, 60),
                                                     ("relaxed", SIDES, 10),
                                                     ("arms-crossed", SIDES, 100)])
def test_skin_the_rig_folds_through_skin_is_pressed_flat(woman, pose, parts, by_the_rig):
    raw = _rig_alone(woman, pose)
    # The rig alone puts the belly through the thighs, the arms through the chest...
    assert _through(woman, raw, parts) >= by_the_rig
    posed = np.asarray(pose_body(woman, pose).vertices)
    # ...posed, they only meet (a few edges are left where the fold's apex is too tight).
    assert _through(woman, posed, parts) <= 6, pose
    head = woman.part_mask("head")
    moved = posed - raw - np.median(posed[head] - raw[head], axis=0)
    assert np.abs(moved[head]).max() < 1e-9  # the head is left as modelled
    assert np.linalg.norm(moved, axis=1).max() <= MOST_M + 1e-6


def test_skin_that_crosses_nothing_is_left_as_it_was(woman):
    rest = np.asarray(woman.vertices, dtype=np.float64)
    normals = vertex_normals(rest, woman.faces)
    moving = ~woman.part_mask("head", "foot_left", "foot_right")
    assert pressed_apart(rest, rest, woman.faces, normals, moving) is rest


def test_skin_labelled_alike_is_not_pressed_off_itself(woman):
    raw = _rig_alone(woman, "relaxed")  # the arms through the chest's sides
    normals = vertex_normals(np.asarray(woman.vertices), woman.faces)
    moving = ~woman.part_mask("head", "foot_left", "foot_right")
    rest = np.asarray(woman.vertices, dtype=np.float64)
    # Arms and chest as one tissue (as a hand's fingers are): nothing to press.
    one = (woman.part_mask("torso", "upper_arm_left", "upper_arm_right")).astype(int)
    assert pressed_apart(rest, raw, woman.faces, normals, moving, one) is raw
    assert _through(woman, pressed_apart(rest, raw, woman.faces, normals, moving),
                    SIDES) <= 6
