"""A clone's personality: how it stands and walks, so that a cast is not one mannequin.

Each personality is a posture and a gait. The posture restyles every pose the clone strikes
(`dressform.body.pose`): the chest lifted or let down, the chin raised or lowered, the head
tilted and turned, the feet set wider or closer. The gait (`Gait`) is its runway walk
(`dressform.body.walk`): cadence, stride, arm swing, hip sway, crossover and bounce. The
numbers are a posing director's, within what fashion models do (cadence 100–120 steps a
minute, feet near one line, a head that stays level).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dressform.body.rig import Pose, Turn, X, Y, Z, both
from dressform.errors import UnknownNameError
from dressform.names import suggest


@dataclass(frozen=True)
class Gait:
    """A walk's shape. Angles in degrees; `cadence` in steps a minute (two steps a cycle).

    `hip_deg`/`hip_back_deg`: the thigh's swing forwards at heel strike and back at toe-off;
    `knee_swing_deg`: the knee's bend in swing, to clear the foot; `arm_deg`: each arm's swing
    forwards and back, against its leg; `pelvis_deg`: the pelvis's turn with the forward leg
    (the chest turns back against it); `sway_deg`: the hip dropped on the swinging side as the
    weight goes over the standing leg; `crossover_deg`: each foot placed towards the line
    under the body (a model's one-line walk); `chest_deg`, `chin_deg`, `head_tilt_deg`: the
    posture it walks with (`Posture`)."""

    cadence: float = 110.0
    hip_deg: float = 30.0
    hip_back_deg: float = 20.0
    knee_stance_deg: float = 12.0
    knee_swing_deg: float = 58.0
    arm_deg: float = 16.0
    pelvis_deg: float = 5.0
    sway_deg: float = 4.0
    crossover_deg: float = 10.0
    chest_deg: float = 0.0
    chin_deg: float = 0.0
    head_tilt_deg: float = 0.0

    @property
    def cycle_s(self) -> float:
        """The length of one cycle (two steps), seconds."""
        return 120.0 / self.cadence


@dataclass(frozen=True)
class Posture:
    """How a clone holds itself in any pose (degrees): `chest_deg` lifts the chest (the upper
    spine extended; negative lets it down), `chin_deg` raises the chin, `head_tilt_deg`
    tilts the head to the clone's left, `head_turn_deg` turns it to its left, and
    `stance_deg` sets each leg further out (negative: the feet closer)."""

    chest_deg: float = 0.0
    chin_deg: float = 0.0
    head_tilt_deg: float = 0.0
    head_turn_deg: float = 0.0
    stance_deg: float = 0.0


@dataclass(frozen=True)
class Personality:
    """A named way of standing and walking."""

    name: str
    description: str
    posture: Posture = field(default_factory=Posture)
    gait: Gait = field(default_factory=Gait)


PERSONALITIES: dict[str, Personality] = {p.name: p for p in (
    Personality("neutral", "the poses as written, an even walk"),
    Personality("confident", "chest up, chin raised, feet set wide; a long, quick stride with "
                "a strong arm swing and hip sway",
                Posture(chest_deg=4.0, chin_deg=4.0, stance_deg=2.5),
                Gait(cadence=116.0, hip_deg=32.0, hip_back_deg=22.0, arm_deg=20.0,
                     sway_deg=5.5, crossover_deg=10.0, chest_deg=4.0, chin_deg=3.0)),
    Personality("relaxed", "shoulders easy, the head a little down and tilted; an unhurried "
                "walk with a soft arm swing",
                Posture(chest_deg=-3.0, chin_deg=-3.0, head_tilt_deg=3.0, stance_deg=1.0),
                Gait(cadence=102.0, hip_deg=27.0, hip_back_deg=18.0, arm_deg=12.0,
                     sway_deg=3.0, crossover_deg=7.0, chest_deg=-2.0, chin_deg=-2.0,
                     head_tilt_deg=2.0)),
    Personality("playful", "the head tilted and turned, the feet close; a light, quick walk "
                "with a swinging arm and a marked hip sway",
                Posture(chest_deg=2.0, chin_deg=1.0, head_tilt_deg=8.0, head_turn_deg=6.0,
                        stance_deg=-1.0),
                Gait(cadence=118.0, hip_deg=29.0, hip_back_deg=19.0, knee_swing_deg=62.0,
                     arm_deg=19.0, sway_deg=6.5, crossover_deg=11.0, chest_deg=2.0,
                     head_tilt_deg=5.0)),
    Personality("poised", "tall and still: the chest lifted, the head level; a runway walk "
                "on one line with a steady head",
                Posture(chest_deg=3.0, chin_deg=1.0),
                Gait(cadence=108.0, hip_deg=31.0, hip_back_deg=21.0, arm_deg=15.0,
                     sway_deg=5.0, crossover_deg=12.0, chest_deg=3.0, chin_deg=1.0)),
)}


def get_personality(name: str | Personality) -> Personality:
    if isinstance(name, Personality):
        return name
    if name not in PERSONALITIES:
        raise UnknownNameError(f"unknown personality {name!r}{suggest(name, PERSONALITIES)} "
                               f"(personalities: {', '.join(PERSONALITIES)})")
    return PERSONALITIES[name]


def posture_turns(chest_deg: float, chin_deg: float, head_tilt_deg: float,
                  head_turn_deg: float = 0.0) -> dict[str, tuple[Turn, ...]]:
    """The turns that lift the chest, raise the chin and tilt and turn the head: the chest's
    lift shared between two vertebrae, the chin raised against it (a lifted chest alone
    would tip the face up)."""
    return {"spine03": ((X, -0.6 * chest_deg),), "spine01": ((X, -0.4 * chest_deg),),
            "neck02": ((X, chest_deg),),
            "head": ((X, -chin_deg), (Y, head_tilt_deg), (Z, head_turn_deg))}


def styled(pose: Pose, personality: str | Personality) -> Pose:
    """`pose` as a clone of `personality` strikes it: its posture's turns appended to the
    bones' own (a seated clone keeps its knees where the pose puts them). Unchanged if the
    pose is not `personal` or at rest (the pose garments are draped in)."""
    chosen = get_personality(personality)
    if not pose.personal or not pose.turns:
        return pose
    p = chosen.posture
    extra = posture_turns(p.chest_deg, p.chin_deg, p.head_tilt_deg, p.head_turn_deg)
    if p.stance_deg and not pose.seated:
        extra |= both({"upperleg01.L": ((Y, -p.stance_deg),)})
    turns = dict(pose.turns)
    for bone, more in extra.items():
        kept = tuple((a, d) for a, d in more if d)
        if kept:
            turns[bone] = (*turns.get(bone, ()), *kept)
    return replace(pose, turns=turns, personal=False)
