"""The named poses a clone strikes, and the stances it is dressed in.

A pose can lay a hand on the body (`Rest`): the hand's joint angles are written for one
clone, but hips differ by a hand's width between clones, so the arm is then turned further,
by as little as it takes, until the palm lies a set gap off the skin (room for the clothes
under it) on whichever body it poses. Arms that hang by the sides are turned out in the
same way, by as little as it takes, until they leave room for the clothes between them and
the trunk (`ARM_GAP_M`): a broad clone's arms hang further out than a slim one's.
"""

from __future__ import annotations

from collections.abc import Mapping

from dressform.body.rig import CURL, FAN, HINGE, Pose, Rest, Turn, X, Y, Z, both

#: Arms hanging at ease: brought down close by the sides (`arms_clear` then turns each out by
#: as much as the clone's shape needs), turned in so that the softly bent forearms come in
#: towards the thighs rather than hanging out from the hips.
_RELAXED_ARMS = {"upperarm01.L": ((Y, 36.0), (X, -6.0), (Z, -35.0)),
                 "lowerarm01.L": ((HINGE, -16.0),)}
#: A hand at rest: the fingers curl a little more from the index to the little finger and
#: close together, the thumb along the index (anny's rest hand is splayed flat).
RELAXED_HAND = {
    "finger1-2.L": ((CURL, 10.0),), "finger1-3.L": ((CURL, 15.0),),
    "finger2-1.L": ((CURL, 13.0), (FAN, 7.0)), "finger2-2.L": ((CURL, 20.0),),
    "finger2-3.L": ((CURL, 11.0),),
    "finger3-1.L": ((CURL, 18.0),), "finger3-2.L": ((CURL, 26.0),), "finger3-3.L": ((CURL, 13.0),),
    "finger4-1.L": ((CURL, 22.0), (FAN, -4.0)), "finger4-2.L": ((CURL, 31.0),),
    "finger4-3.L": ((CURL, 15.0),),
    "finger5-1.L": ((CURL, 26.0), (FAN, -10.0)), "finger5-2.L": ((CURL, 33.0),),
    "finger5-3.L": ((CURL, 16.0),),
}


def _at_ease(turns: Mapping[str, tuple[Turn, ...]] | None = None) -> dict[str, tuple[Turn, ...]]:
    """Arms hanging and hands relaxed on both sides, then `turns`, which replace those
    bones' turns."""
    return {**both({**_RELAXED_ARMS, **RELAXED_HAND}), **(turns or {})}


#: Room between a palm laid on the body and the skin: the cloth's 4 mm clearance on each side
#: of two layers (a top tucked into a skirt) and their thickness.
PALM_GAP_M = 0.015
#: Room between a hanging arm and the side it hangs by, for the sleeve and the bodice between
#: them (measured on the skin as the rig poses it). Closer, the cloth pinched there has no
#: place to rest and passes through itself: a 12 mm T-shirt walked to rest with 10 mm
#: (BENCHMARKS.md), not with the arm pressed to the side.
ARM_GAP_M = 0.010
#: Room between a seated clone's upper arm and its side: the arm comes forwards to lay the
#: hand on the thigh, and cloth between them is not pinched along a hanging arm's length.
SEATED_ARM_GAP_M = 0.003
#: A seated clone's hand rests this far out of the line from its hip to its knee: on the
#: thigh's top, fingers towards the inside, not across the lap to the other hand.
HAND_OUTWARDS_M = 0.035
#: Skin this far from the side at rest is the arm's own, not the armpit's.
ARM_BEYOND_M = 0.04


def arms_clear(*sides: str, parts: tuple[str, ...] = ("upper_arm", "forearm", "hand"),
               gap_m: float = ARM_GAP_M) -> tuple[Rest, ...]:
    """Each arm of `sides` ("left", "right") turned out from the body, by as little as it
    takes, until its `parts` hang `gap_m` clear of the trunk and thighs: a turn written for
    one clone presses a broader clone's arm into its side."""
    return tuple(Rest(tuple(f"{part}_{side}" for part in parts),
                      ("torso", "hips", "thigh_left", "thigh_right"),
                      (f"upperarm01.{side[0].upper()}",),
                      (0.0, -1.0 if side == "left" else 1.0, 0.0), gap_m,
                      settle=False, beyond_m=ARM_BEYOND_M) for side in sides)

#: A palm laid flat on the body: the fingers together, barely curled.
_FLAT_HAND = {bone: tuple((axis, d * (0.25 if axis == CURL else 1.0)) for axis, d in turns)
              for bone, turns in RELAXED_HAND.items()}
#: The left hand on the hip, fingers forwards and down, elbow out. The wrist is bent back so
#: the palm lies along the hip: without it the fingers went on along the forearm, 10 cm into
#: the pelvis, and cloth was caught inside the hand.
_HAND_ON_HIP = {"upperarm01.L": ((Y, -5.0),), "lowerarm01.L": ((HINGE, -38.0), (Y, 90.0)),
                "wrist.L": ((X, -60.0), (Y, -30.0), (Z, 20.0)), **_FLAT_HAND}
_PALM_ON_HIP = {side: Rest((f"hand_{side}",), ("torso", "hips", f"thigh_{side}"),
                           (f"upperarm01.{side[0].upper()}",),
                           (0.0, -1.0 if side == "left" else 1.0, 0.0), PALM_GAP_M)
                for side in ("left", "right")}


def _head_back(degrees: float) -> dict[str, tuple[Turn, ...]]:
    """The head turned `degrees` to the clone's right (towards a camera the body has turned
    away from), the turn shared between the neck and the head as a person turns it."""
    return {"neck02": ((Z, -0.5 * degrees),), "head": ((Z, -0.5 * degrees),)}


POSES: dict[str, Pose] = {p.name: p for p in (
    Pose("a-pose", "anny's rest pose: arms 47° below horizontal, feet apart"),
    Pose("relaxed", "standing at ease, arms hanging by the sides, hands relaxed",
         _at_ease(), rests=arms_clear("left", "right")),
    Pose("contrapposto", "weight on the right leg: the left hip drops and the left knee bends, "
         "the pelvis turns to the left and the shoulders back to the right and tilt the other "
         "way, the head tilted",
         _at_ease({"root": ((Y, 6.0), (Z, 6.0)),
                   "spine03": ((Y, -6.0), (Z, -6.0)), "spine01": ((Y, -4.0), (Z, -4.0)),
                   "upperleg01.R": ((Y, -10.0), (Z, -4.0)),
                   "upperleg01.L": ((Y, -3.0), (X, -18.0), (Z, 10.0)),
                   "lowerleg01.L": ((X, 40.0),), "foot.L": ((X, -2.0),),
                   "neck02": ((Y, 5.0),), "head": ((Y, 3.0), (Z, -4.0))}),
         rests=arms_clear("left", "right")),
    Pose("hand-on-hip", "the left hand on the hip, fingers forwards and down, elbow out; "
         "the right arm relaxed",
         _at_ease(_HAND_ON_HIP), rests=(_PALM_ON_HIP["left"], *arms_clear("right"))),
    Pose("hands-on-hips", "both hands on the hips, elbows out, the feet a little apart and "
         "the chest up",
         {**both(_HAND_ON_HIP), "spine03": ((X, -3.0),), "head": ((X, -3.0),),
          **both({"upperleg01.L": ((Y, -3.0),)})},
         rests=(_PALM_ON_HIP["left"], _PALM_ON_HIP["right"])),
    Pose("walking", "mid-stride: the left leg forward, the right back, arms swinging "
         "against the legs",
         # Arms brought down no further than at ease: at 38° the swinging forearm lay
         # 2 mm from the hip, and a garment's side was caught inside it (22 mm deep).
         {**both(RELAXED_HAND),
          "upperarm01.L": ((Y, 26.0), (X, 15.0)), "lowerarm01.L": ((HINGE, -25.0),),
          "upperarm01.R": ((Y, -30.0), (X, -18.0)), "lowerarm01.R": ((HINGE, -10.0),),
          "upperleg01.L": ((X, -22.0),), "lowerleg01.L": ((X, 8.0),),
          "upperleg01.R": ((X, 14.0),), "lowerleg01.R": ((X, 18.0),),
          "foot.R": ((X, -10.0),),
          "spine03": ((Z, -4.0),)},
         rests=arms_clear("left", "right")),
    Pose("step-forward", "the weight on the right leg, the left foot a step forwards and "
         "pointed, its knee soft; the hips turned a little to the right",
         _at_ease({"root": ((Z, -8.0),), "spine03": ((Z, 5.0),),
                   "upperleg01.L": ((X, -16.0), (Y, 2.0), (Z, 6.0)),
                   "lowerleg01.L": ((X, 6.0),), "foot.L": ((X, 22.0),),
                   "upperleg01.R": ((X, 4.0), (Y, -3.0)), **_head_back(-6.0)}),
         rests=arms_clear("left", "right")),
    Pose("power-stance", "feet planted wide, the weight even, the chest up and the chin "
         "raised, arms at the sides",
         _at_ease({**both({"upperleg01.L": ((Y, -5.0),), "foot.L": ((Y, 3.0),)}),
                   "spine03": ((X, -4.0),), "neck02": ((X, 2.0),), "head": ((X, -5.0),)}),
         rests=arms_clear("left", "right")),
    Pose("three-quarter", "relaxed, the body turned 35° to its left (towards a camera on "
         "its left front), the head turned back to the camera",
         _at_ease(_head_back(20.0)), rests=arms_clear("left", "right"), facing_deg=35.0),
    Pose("profile", "relaxed, the body turned 90° to its left: its right side to the camera, "
         "the head a little towards it",
         _at_ease(_head_back(12.0)), rests=arms_clear("left", "right"), facing_deg=90.0),
    Pose("back", "relaxed, its back to the camera, to show the back of the garment",
         _at_ease(), rests=arms_clear("left", "right"), facing_deg=180.0),
    Pose("over-the-shoulder", "turned away, its back three-quarters to the camera, looking "
         "back over its right shoulder",
         _at_ease({"spine03": ((Z, -12.0),), "spine01": ((Z, -8.0),),
                   "neck02": ((Z, -35.0), (Y, -4.0)), "head": ((Z, -35.0), (X, 4.0))}),
         rests=arms_clear("left", "right"), facing_deg=125.0),
    Pose("seated", "sitting on a stool: thighs level and drawn in, knees bent square, "
         "hands on the thighs",
         # The thighs drawn in 10° before they bend up (straight up, the knees were 27 cm
         # apart and a skirt stretched between them), the shins turned back out 8° so the
         # feet stand under the knees rather than crossing.
         both({"upperleg01.L": ((Y, 10.0), (X, -88.0)),
               "lowerleg01.L": ((X, 88.0), (Y, -8.0)),
               "upperarm01.L": ((Y, 38.0), (X, -20.0)),
               "lowerarm01.L": ((HINGE, -38.0), (X, -40.0), (Z, -10.0)), **_FLAT_HAND}),
         # The upper arms off the sides first (a fuller trunk pushes them out), each
         # forearm then turned in until the hand is over its thigh, and lowered until it
         # lies on it.
         seated=True,
         rests=(*arms_clear("left", "right", parts=("upper_arm",), gap_m=SEATED_ARM_GAP_M),
                *(Rest((f"hand_{side}",), (f"thigh_{side}",), (f"lowerarm01.{s}",),
                       (0.0, 0.0, 1.0 if s == "L" else -1.0), HAND_OUTWARDS_M, within_deg=60.0,
                       over=(f"upperleg01.{s}", f"lowerleg01.{s}"))
                  for side, s in (("left", "L"), ("right", "R"))),
                *(Rest((f"hand_{side}",), (f"thigh_{side}",), (f"lowerarm01.{s}",), HINGE,
                       PALM_GAP_M) for side, s in (("left", "L"), ("right", "R"))))),
    Pose("arms-crossed", "standing, forearms folded across the chest, the left over the right, "
         "each hand at the other arm",
         # Forearms held clear of the chest (the right one was 39 mm inside it, and a top
         # under it was caught there), the right under the left; the wrists turned so each
         # hand lies along the other arm rather than running on into it.
         {"upperarm01.L": ((Y, 50.0), (X, -40.0)),
          "lowerarm01.L": ((HINGE, -38.0), (X, -55.0), (Z, -80.0)),
          "wrist.L": ((X, 15.0), (Y, 30.0), (Z, -15.0)),
          "upperarm01.R": ((Y, -50.0), (X, -30.0)),
          "lowerarm01.R": ((HINGE, -38.0), (X, -40.0), (Z, 70.0)),
          "wrist.R": ((X, 0.0), (Y, 15.0), (Z, 45.0))},
         # A fuller chest or belly pushes the folded arms forwards, by as much as it takes:
         # both arms about the line through the shoulders, so they stay folded as they were.
         rests=(Rest(("forearm_left", "forearm_right"), ("torso",),
                     ("upperarm01.L", "upperarm01.R"), (-1.0, 0.0, 0.0), PALM_GAP_M,
                     within_deg=45.0, settle=False),)),
)}


#: How a clone stands while it is dressed (draping starts from these, not from shoot poses).
STANCES: dict[str, Pose] = {
    "a-pose": POSES["a-pose"],
    "fitting": Pose("fitting", "a fit model's stance: anny's rest pose with each leg turned "
                    "out 4° more, so that trouser legs have room between thighs that would "
                    "touch", both({"upperleg01.L": ((Y, -4.0),)}), personal=False),
}
