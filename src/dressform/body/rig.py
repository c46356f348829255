"""The rig's mechanics: a pose as turns per bone, the bones' transforms, and skinning.

anny's rest pose is an A-pose. A pose here is a list of turns per bone, applied from the root
outwards. Each turn is about an axis through the bone's head as its parent has already placed
it, the axis being either fixed in the world (Z up, front = −Y, the clone's left = +X) or one
of the joint's own axes, carried round with the bones before it ("hinge": the elbow's axis;
"curl" and "fan": a finger's). That is how a posing artist says it ("hang the upper arm, then
fold the forearm forwards by 90°"), and it keeps the presets readable and mirror-symmetric: a
turn written for the left side is mirrored to the right (rotation axes are pseudovectors:
(x, y, z) → (x, −y, −z); a joint's own axis is each side's own).

The mesh follows by linear-blend skinning with anny's own weights (`Body.skin_weights`,
`Body.skin_joints`), the same deformation anny applies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from dressform.body.mesh import Body, Skeleton
from dressform.errors import InvalidInputError, UnknownNameError

Axis = tuple[float, float, float]
#: One turn of a bone: about a world axis, or one of the joint's own axes (`JOINT_AXES`), by
#: degrees.
Turn = tuple[Axis | str, float]
HINGE = "hinge"
#: A finger's own axes, each side's own (a turn written for the left hand curls the right
#: hand's fingers the same way): "curl" runs along the knuckles from the index finger to the
#: little finger, so +θ bends a finger towards the palm; "fan" is the palm's normal, so +θ
#: swings a finger sideways towards the little finger (closing a splayed hand's index finger
#: on the others; −θ closes the little finger).
CURL, FAN = "curl", "fan"
JOINT_AXES = (HINGE, CURL, FAN)
#: A hinge joint's axis at rest: the cross product of the limb segment before the joint
#: (from the first bone's head to the joint) and the one after it (the joint to the second
#: bone's head). A turn of +θ about it bends the joint further.
HINGES: dict[str, tuple[str, str]] = {
    "lowerarm01.L": ("upperarm01.L", "wrist.L"), "lowerarm01.R": ("upperarm01.R", "wrist.R"),
}

X: Axis = (1.0, 0.0, 0.0)
Y: Axis = (0.0, 1.0, 0.0)
Z: Axis = (0.0, 0.0, 1.0)

# Signs in the clone's frame, for the LEFT side (mirrored for the right):
#   about +Y by +θ  lowers the left arm towards the body (adducts) and tilts the spine's top
#                   to the clone's left;
#   about +X by −θ  swings a hanging limb forwards (flexes hip or shoulder); +θ bends a knee;
#   about +Z by +θ  turns the front towards the clone's left (and a left elbow backwards);
#   hinge by −38°   straightens anny's rest elbow (its forearm is bent 38° forwards).


@dataclass(frozen=True)
class Rest:
    """Body parts laid on others: after the pose's turns, `bones` turn further, together and
    by one angle, about `axis` (the way that lifts `parts` off them) until their nearest
    vertex is `gap_m` off the surface of `onto`, within `within_deg` either way. The axis
    may be the joint's "hinge" (bending an elbow further lifts a hand laid in front of the
    body). With `settle=False` the parts are only lifted to `gap_m`, never brought down.
    `beyond_m`: only the parts' skin at least this far from `onto` in the rest pose counts
    (an upper arm's, not its armpit's, which is joined to the chest).

    `over` (two bones, a limb's line) aims instead of laying: the parts' middle is turned to
    lie `gap_m` outwards (away from the body's middle) of the upright plane through that
    line, 0 right over it: a hand brought over its thigh, however wide the clone sits."""

    parts: tuple[str, ...]
    onto: tuple[str, ...]
    bones: tuple[str, ...]
    axis: Axis | str
    gap_m: float
    within_deg: float = 30.0
    settle: bool = True
    beyond_m: float = 0.0
    over: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pose:
    """A named pose: turns per bone (applied in order), parts laid on the body (`rests`),
    and whether the clone sits (its seat height then matters to the scene).

    `facing_deg`: the posed clone then turned as a whole about the vertical through where it
    stands, to its left (a side or back view): a camera's angle on the pose, not a joint's,
    so the turns above stay in the clone's own frame and cloth re-draped into the pose turns
    with it unchanged. `personal`: the clone's personality restyles the pose (its posture,
    stance and head, `dressform.body.personality`); not a stance it is dressed in, nor a
    walk's frame, whose gait carries its personality."""

    name: str
    description: str
    turns: Mapping[str, tuple[Turn, ...]] = field(default_factory=dict)
    seated: bool = False
    rests: tuple[Rest, ...] = ()
    facing_deg: float = 0.0
    personal: bool = True

    @property
    def at_rest(self) -> bool:
        """No joint turned and not turned: anny's rest pose, the one garments are draped in."""
        return not self.turns and not self.facing_deg


def mirror_axis(axis: Axis | str) -> Axis | str:
    return axis if isinstance(axis, str) else (axis[0], -axis[1], -axis[2])


def both(left: Mapping[str, Sequence[Turn]], right: Mapping[str, Sequence[Turn]] | None = None,
          centre: Mapping[str, Sequence[Turn]] | None = None) -> dict[str, tuple[Turn, ...]]:
    """Turns for bones named `*.L` in `left`, their mirror images on `*.R` (unless `right`
    gives the right side its own), and unsided bones in `centre`."""
    out: dict[str, tuple[Turn, ...]] = {k: tuple(v) for k, v in (centre or {}).items()}
    out |= {bone: tuple(turns) for bone, turns in left.items()}
    out |= mirrored(left) if right is None else {b: tuple(t) for b, t in right.items()}
    return out


def mirrored(left: Mapping[str, Sequence[Turn]]) -> dict[str, tuple[Turn, ...]]:
    """The mirror images, on the bones `*.R`, of the turns of the bones `*.L` in `left`."""
    return {bone[:-2] + ".R": tuple((mirror_axis(a), d) for a, d in turns)
            for bone, turns in left.items()}


def partial(chosen: Pose, fraction: float) -> Pose:
    """`chosen` part of the way from the rest pose: every turn's angle times `fraction`."""
    return replace(chosen, name=f"{chosen.name} ({fraction:.0%})",
                   turns={b: tuple((a, d * fraction) for a, d in t)
                          for b, t in chosen.turns.items()})


def rotation_matrix(axis: Axis | np.ndarray, degrees: float) -> np.ndarray:
    """Right-handed rotation about `axis` (need not be unit length) by `degrees`."""
    a = np.asarray(axis, dtype=np.float64)
    n = float(np.linalg.norm(a))
    if not n or not math.isfinite(degrees):
        raise InvalidInputError(f"a pose turn needs a non-zero axis and a finite angle, got "
                                f"{axis} by {degrees}")
    x, y, z = a / n
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    return np.eye(3) + s * k + (1.0 - c) * (k @ k)


def bone_transforms(skeleton: Skeleton, pose: Pose) -> tuple[np.ndarray, np.ndarray]:
    """Each bone's world transform for `pose`: rotations (J, 3, 3) and translations (J, 3),
    so that a rest-pose point p bound to bone j goes to R[j] @ p + t[j]."""
    names = list(skeleton.names)
    unknown = [b for b in pose.turns if b not in names]
    if unknown:
        raise UnknownNameError(f"pose {pose.name!r} turns bones the rig does not have: "
                               f"{', '.join(unknown)}")
    count = len(names)
    rot = np.repeat(np.eye(3)[None], count, axis=0)
    trans = np.zeros((count, 3))
    heads = np.asarray(skeleton.heads, dtype=np.float64)
    for j in _parents_first(skeleton.parents):
        p = skeleton.parents[j]
        if p >= 0:
            rot[j], trans[j] = rot[p], trans[p]
        head = rot[j] @ heads[j] + trans[j]  # where the parent has put this bone's head
        for axis, degrees in pose.turns.get(names[j], ()):
            if isinstance(axis, str):
                axis = rot[j] @ _joint_axis(skeleton, names[j], axis)
            turn = rotation_matrix(axis, degrees)
            # x ↦ turn (x − head) + head, after everything before it.
            rot[j] = turn @ rot[j]
            trans[j] = turn @ (trans[j] - head) + head
    return rot, trans


def _joint_axis(skeleton: Skeleton, bone: str, name: str) -> np.ndarray:
    """The rest-pose direction of `bone`'s own axis `name` (see `JOINT_AXES`)."""
    if name == HINGE:
        if bone not in HINGES:
            raise UnknownNameError(f"bone {bone!r} has no hinge (hinges: {', '.join(HINGES)})")
        before, after = (skeleton.head(b) for b in HINGES[bone])
        joint = skeleton.head(bone)
        axis = np.cross(joint - before, after - joint)
    elif name in (CURL, FAN):
        side = bone[-2:]
        if not (bone.startswith("finger") and side in (".L", ".R")):
            raise UnknownNameError(f"only a finger bone turns about {name!r}, not {bone!r}")
        knuckles = skeleton.head(f"finger5-1{side}") - skeleton.head(f"finger2-1{side}")
        finger = skeleton.head(f"finger3-2{side}") - skeleton.head(f"finger3-1{side}")
        # An axis is a pseudovector, so the knuckle line (a plain direction) is reversed on
        # the right for one turn to curl both hands alike; the palm's normal, a cross
        # product, mirrors as it should.
        axis = (np.cross(finger, knuckles) if name == FAN
                else knuckles * (1.0 if side == ".L" else -1.0))
    else:
        raise UnknownNameError(f"unknown joint axis {name!r} (axes: {', '.join(JOINT_AXES)})")
    return axis / np.linalg.norm(axis)


def _parents_first(parents: Sequence[int]) -> list[int]:
    order: list[int] = []
    seen: set[int] = set()

    def visit(j: int) -> None:
        if j in seen:
            return
        if parents[j] >= 0:
            visit(parents[j])
        seen.add(j)
        order.append(j)

    for j in range(len(parents)):
        visit(j)
    return order


def skin(points: np.ndarray, weights: np.ndarray, joints: np.ndarray, rot: np.ndarray,
         trans: np.ndarray) -> np.ndarray:
    """Linear-blend skinning: each point the weighted sum of its bones' transforms of it."""
    moved = np.einsum("vkab,vb->vka", rot[joints], points) + trans[joints]
    return np.einsum("vk,vka->va", weights, moved)


def moved_by(body: Body, offset: np.ndarray) -> Body:
    """`body` translated by `offset` (m)."""
    return replace(body, vertices=np.asarray(body.vertices) + offset,
                   skeleton=replace(body.skeleton, heads=np.asarray(body.skeleton.heads) + offset))
