"""Shoes made from the clone's feet: sizes, fit round the foot, the heel's foot pose, the
lift onto the floor, placement through poses and the walk, and clear errors."""

from __future__ import annotations

import time

import numpy as np
import pytest

from dressform.body import Body
from dressform.body.pose import pose_body
from dressform.body.shoes import (
    SHOE_STYLES,
    Shoes,
    ShoeSpec,
    foot_clearance,
    foot_size,
    lift_m,
    make_shoes,
    shod_pose,
    shoe_pieces,
)
from dressform.body.walk import walk_pose
from dressform.errors import InvalidInputError, UnknownNameError

#: A foot vertex may lie this far outside the upper's surface before it counts as showing
#: through (m): the upper is sampled at its 2 mm grid, so a vertex-to-vertex distance
#: overstates a gap on a curved wall by up to about half a millimetre.
POKE_TOL_M = 0.0005
#: The lowest shoe point after the lift stands on the floor to this (m).
FLOOR_TOL_M = 0.0005


@pytest.fixture(scope="module")
def pairs(woman: Body) -> dict[str, Shoes]:
    """Every style made once for the woman."""
    return {style: make_shoes(woman, ShoeSpec(style)) for style in SHOE_STYLES}


def _heel_over_ball(body: Body, side: str = "left") -> float:
    """Height (m) of the heel's underside above the ball's, on the foot's own vertices."""
    v = np.asarray(body.vertices)[body.part_mask(f"foot_{side}")]
    ahead = v[:, 1] < np.quantile(v[:, 1], 0.30)  # the front (toes and ball: −Y)
    behind = v[:, 1] > np.quantile(v[:, 1], 0.92)  # the heel's back
    return float(v[behind, 2].min() - v[ahead, 2].min())


def test_foot_size_plausible_and_scales(woman: Body, man: Body) -> None:
    length_w, width_w = foot_size(woman)
    length_m, width_m = foot_size(man)
    # A 168 cm woman's foot is about 15 % of her height (ANSUR II: 24–25 cm), a 180 cm
    # man's about 27 cm; ball widths 9–11 cm.
    assert 225 < length_w < 265 and 85 < width_w < 108
    assert 250 < length_m < 290 and 95 < width_m < 118
    assert length_m > length_w + 10 and width_m > width_w


def test_spec_errors() -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'trainers'"):
        ShoeSpec("trainer")
    with pytest.raises(UnknownNameError, match="ankle-boots"):
        ShoeSpec("ankle-boot")
    with pytest.raises(InvalidInputError, match="court heels are 20–120 mm"):
        ShoeSpec("court", heel_mm=300.0)
    with pytest.raises(InvalidInputError, match="trainers heels"):
        ShoeSpec("trainers", heel_mm=float("nan"))
    assert ShoeSpec("court").heel == 75.0 and ShoeSpec("court", 90.0).heel == 90.0


def test_every_style_holds_the_foot_on_the_floor(woman: Body, pairs: dict[str, Shoes]
                                                 ) -> None:
    for style, shoes in pairs.items():
        posed = pose_body(woman, shod_pose(woman, "a-pose", shoes))
        pieces = shoe_pieces(shoes, posed)
        lift = lift_m(shoes, posed)
        low = min(float(p.vertices[:, 2].min()) for p in pieces) + lift
        assert abs(low) < FLOOR_TOL_M, style
        outside, below = foot_clearance(shoes, posed)
        # No foot vertex under the insole; a closed shoe's upper over every foot vertex
        # below its topline (sandals: toes bare by design, only the footbed is checked).
        assert below < 0.0, (style, below)
        if style != "sandals":
            assert outside < POKE_TOL_M, (style, outside)
        assert {p.material for p in pieces} >= {"upper", "lining", "insole", "sole"}
        assert all(p.kind == f"shoes:{style}" for p in pieces)
        names = [p.name for p in pieces]
        assert len(names) == len(set(names))


def test_court_heel_raises_the_heel(woman: Body, pairs: dict[str, Shoes]) -> None:
    court = pairs["court"]
    barefoot = _heel_over_ball(woman)
    posed = pose_body(woman, shod_pose(woman, "a-pose", court))
    raised = _heel_over_ball(posed) - barefoot
    # 75 mm heel on a 7 mm forepart: the heel stands ~68 mm above the ball.
    assert 0.060 < raised < 0.078, raised
    pieces = shoe_pieces(court, posed)
    lift = lift_m(court, posed)
    heel = next(p for p in pieces if p.material == "heel" and p.name.endswith(":L"))
    # The heel's tip is on the floor with the sole's front: the shoe stands level.
    assert abs(heel.vertices[:, 2].min() + lift) < FLOOR_TOL_M
    sole = next(p for p in pieces if p.material == "sole" and p.name.endswith(":L"))
    assert abs(sole.vertices[:, 2].min() + lift) < 0.002
    trainers = pairs["trainers"]
    assert court.pitch_deg["left"] > 15.0 > trainers.pitch_deg["left"] >= 0.0


@pytest.mark.parametrize("pose", ["relaxed", "walking", "seated", "walk"])
def test_posed_and_walking(woman: Body, pairs: dict[str, Shoes], pose: str) -> None:
    chosen = walk_pose(0.3) if pose == "walk" else pose
    for style in ("court", "ankle-boots"):
        shoes = pairs[style]
        rest_faces = [len(p.faces) for p in shoe_pieces(
            shoes, pose_body(woman, shod_pose(woman, "a-pose", shoes)))]
        posed = pose_body(woman, shod_pose(woman, chosen, shoes))
        pieces = shoe_pieces(shoes, posed)
        assert [len(p.faces) for p in pieces] == rest_faces
        outside, below = foot_clearance(shoes, posed)
        assert outside < POKE_TOL_M and below < 0.0, (style, pose, outside, below)
        lift = lift_m(shoes, posed)
        assert lift >= 0.0
        low = min(float(p.vertices[:, 2].min()) for p in pieces) + lift
        assert low > -FLOOR_TOL_M


def test_fits_another_body_and_is_fast(man: Body) -> None:
    shoes = make_shoes(man, ShoeSpec("trainers"))
    posed = pose_body(man, shod_pose(man, "walking", shoes))
    start = time.perf_counter()
    pieces = shoe_pieces(shoes, posed)
    took = time.perf_counter() - start
    assert took < 0.1  # ~5 ms measured; a walk's 150 frames must not wait on shoes
    outside, below = foot_clearance(shoes, posed)
    assert outside < POKE_TOL_M and below < 0.0
    length = np.ptp(next(p for p in pieces if p.material == "sole").vertices[:, 1])
    assert length * 1000.0 > foot_size(man)[0]  # the sole is longer than the foot
