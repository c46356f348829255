"""Personality: a clone's way of standing and walking, and the runway walk it gives."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest

from dressform.body import Body
from dressform.body.personality import PERSONALITIES, get_personality
from dressform.body.pose import pose_body
from dressform.body.poses import STANCES
from dressform.body.spec import make_spec
from dressform.body.walk import gait_of, walk
from dressform.errors import InvalidInputError, UnknownNameError


def _as(body: Body, personality: str) -> Body:
    """The same clone with another personality (it changes how it poses, not its shape)."""
    return replace(body, spec=body.spec.model_copy(update={"personality": personality}))


def _head(body: Body, bone: str) -> np.ndarray:
    return np.asarray(body.skeleton.head(bone))


def _roll_deg(body: Body) -> float:
    """How far the line between the eyes tilts from level (degrees)."""
    d = _head(body, "eye.L") - _head(body, "eye.R")
    return float(np.degrees(np.arctan2(d[2], np.hypot(d[0], d[1]))))


def _yaw_deg(body: Body, left: str, right: str) -> float:
    d = _head(body, left) - _head(body, right)
    return float(np.degrees(np.arctan2(d[1], d[0])))


def _ankles_apart(body: Body) -> float:
    return float(abs(_head(body, "foot.L")[0] - _head(body, "foot.R")[0]))


def _chin_deg(body: Body) -> float:
    """How far the line from the head's joint to the eyes points up from level (degrees)."""
    d = (_head(body, "eye.L") + _head(body, "eye.R")) / 2 - _head(body, "head")
    return float(np.degrees(np.arctan2(d[2], -d[1])))


def _stoop_deg(body: Body) -> float:
    """How far the upper back leans forwards from upright (degrees)."""
    d = _head(body, "neck01") - _head(body, "spine03")
    return float(np.degrees(np.arctan2(-d[1], d[2])))


def test_a_personality_is_part_of_the_clone_and_an_unknown_one_is_refused():
    assert make_spec(personality="confident").personality == "confident"
    assert make_spec().personality == "neutral"
    with pytest.raises(InvalidInputError, match=r"personality.*confident"):
        make_spec(personality="confidnt")
    with pytest.raises(UnknownNameError, match="playful"):
        get_personality("playfull")


def test_personalities_stand_differently(woman):
    neutral = pose_body(woman, "relaxed")
    confident = pose_body(_as(woman, "confident"), "relaxed")
    relaxed = pose_body(_as(woman, "relaxed"), "relaxed")
    playful = pose_body(_as(woman, "playful"), "relaxed")
    # Confident: feet set wider, chest up, chin raised; relaxed: an easy stoop, the head let
    # down; playful: the feet closer, the head tilted.
    assert _ankles_apart(confident) > _ankles_apart(neutral) + 0.03
    assert _ankles_apart(playful) < _ankles_apart(neutral) - 0.01
    assert _chin_deg(confident) > _chin_deg(neutral) + 3.0 > _chin_deg(relaxed) + 5.0
    assert _stoop_deg(confident) < _stoop_deg(neutral) - 2.0 < _stoop_deg(relaxed) - 4.0
    assert abs(_roll_deg(neutral)) < 0.5 and abs(_roll_deg(playful)) > 5.0


def test_a_seated_clone_keeps_its_knees_and_a_fitting_stance_is_not_restyled(woman):
    for name in PERSONALITIES:
        seated = pose_body(_as(woman, name), "seated")
        knees = abs(_head(seated, "lowerleg01.L")[0] - _head(seated, "lowerleg01.R")[0])
        assert 0.1 < knees < 0.18, name
        fitting = pose_body(_as(woman, name), STANCES["fitting"])
        np.testing.assert_allclose(fitting.vertices, pose_body(woman, STANCES["fitting"])
                                   .vertices, atol=1e-12)


@pytest.fixture(scope="module")
def walks(woman) -> dict[str, list[Body]]:
    return {name: walk(_as(woman, name), gait_of(_as(woman, name)).cycle_s, 30.0)
            for name in PERSONALITIES}


def _stance(body: Body) -> str:
    low = {s: float(body.vertices[body.part_mask(f"foot_{n}"), 2].min())
           for s, n in (("L", "left"), ("R", "right"))}
    return min(low, key=low.get)  # type: ignore[arg-type]


def _foot_pitch_deg(body: Body, side: str) -> float:
    """The foot's slope from the ankle to the ball of the foot: up is positive."""
    d = _head(body, f"toe3-1.{side}") - _head(body, f"foot.{side}")
    return float(np.degrees(np.arctan2(d[2], np.hypot(d[0], d[1]))))


def test_every_walk_is_at_a_runway_cadence_measured_from_its_steps(walks):
    for name, frames in walks.items():
        changes = sum(a != b for a, b in pairwise(_stance(f) for f in frames))
        seconds = len(frames) / 30.0
        cadence = get_personality(name).gait.cadence
        assert 100.0 <= cadence <= 120.0
        # One cycle is two steps: the weight passes from foot to foot twice.
        assert changes == 2, (name, changes)
        assert cadence == pytest.approx(2 * 60.0 / seconds, rel=0.02)


def test_the_runway_walk_reads_as_a_model_walk(woman, walks):
    frames = walks["poised"]
    n = len(frames)
    rest_pitch = _foot_pitch_deg(woman, "L")
    # Heel strike with the toes up, toe-off with them pushed down.
    assert _foot_pitch_deg(frames[0], "L") > rest_pitch + 5.0
    assert min(_foot_pitch_deg(f, "L") for f in frames[n // 2:int(0.7 * n)]) < rest_pitch - 10.0
    # Each foot set down near one line under the body: at each heel strike the feet are
    # closer than the hips are wide.
    hips = abs(_head(woman, "upperleg01.L")[0] - _head(woman, "upperleg01.R")[0])
    for k in (0, n // 2):
        assert _ankles_apart(frames[k]) < 0.6 * hips
    # Arms swing against the legs: the left foot forwards, the left hand back.
    assert _head(frames[0], "foot.L")[1] < _head(frames[0], "foot.R")[1] - 0.3
    assert _head(frames[0], "wrist.L")[1] > _head(frames[0], "wrist.R")[1] + 0.15
    # The hips sway; the head stays level and faces ahead.
    pelvis = [_yaw_deg(f, "upperleg01.L", "upperleg01.R") for f in frames]
    sway = [float(np.degrees(np.arctan2(*(_head(f, "upperleg01.L") - _head(f, "upperleg01.R")
                                          )[[2, 0]]))) for f in frames]
    assert np.ptp(sway) > 6.0 and np.ptp(pelvis) > 4.0
    assert np.ptp([_roll_deg(f) for f in frames]) < 1.0
    assert np.ptp([_yaw_deg(f, "eye.L", "eye.R") for f in frames]) < 1.0


def test_personalities_walk_differently(walks):
    def arm_swing(frames: list[Body]) -> float:
        return float(np.ptp([_head(f, "wrist.L")[1] - _head(f, "root")[1] for f in frames]))

    def feet_line(frames: list[Body]) -> float:
        return max(_ankles_apart(frames[k]) for k in (0, len(frames) // 2))

    assert arm_swing(walks["confident"]) > arm_swing(walks["relaxed"]) + 0.05
    assert feet_line(walks["poised"]) < feet_line(walks["relaxed"]) - 0.03


def test_the_legs_swing_past_each_other_not_through(woman, walks):
    from dressform.geometry.crossings import crossing_pairs

    left, right = (woman.part_mask(f"shin_{s}", f"foot_{s}") for s in ("left", "right"))
    faces = woman.faces[(left | right)[woman.faces].all(axis=1)]
    for name, frames in walks.items():
        for f in frames:
            edges, tris = crossing_pairs(np.asarray(f.vertices), faces)
            through = (left[edges].all(axis=1) & right[faces[tris]].all(axis=1)) | \
                (right[edges].all(axis=1) & left[faces[tris]].all(axis=1))
            assert not through.any(), name
