"""Posing a clone: its mesh moved into a named pose (`dressform.body.poses`) on anny's rig
(`dressform.body.rig`), with its hands laid on the body and its arms clear of its sides
whatever its shape, and its personality's way of standing (`dressform.body.personality`).

A posed clone keeps its mesh, UVs and body-part labels: garments re-drape onto it
(`dressform.drape.redrape`), which moves cloth with the body surface and settles it, rather
than skinning the cloth rigidly.

After posing, the clone is put back on the floor (its lowest point at z = 0) and centred over
where its feet were, so cameras framed for the rest pose still find it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace

import numpy as np
from scipy.spatial import cKDTree

from dressform.body.contact import pressed_apart
from dressform.body.mesh import Body
from dressform.body.personality import styled
from dressform.body.poses import POSES, STANCES
from dressform.body.rig import Pose, Rest, Turn, Z, bone_transforms, partial, rotation_matrix, skin
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.geometry.distance import BodyDistance, open_edge_mask
from dressform.geometry.normals import vertex_normals
from dressform.names import suggest


def get_stance(name: str) -> Pose:
    return _named("stance", name, STANCES)


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


def pose_body(body: Body, pose: str | Pose, *, stand: bool = True) -> Body:
    """`body` moved into `pose` (a name from `POSES` or a `Pose`): same mesh, UVs, labels
    and spec; skeleton heads moved with it; standing on z = 0, centred where it stood
    (`stand=False` leaves it where the rig put it, for a walk to place)."""
    chosen = laid(body, get_pose(pose))
    if chosen.at_rest:
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
    return replace(body, vertices=faced(moved + shift, body, chosen.facing_deg),
                   skeleton=replace(body.skeleton,
                                    heads=faced(heads + shift, body, chosen.facing_deg)))


def faced(points: np.ndarray, body: Body, degrees: float) -> np.ndarray:
    """`points` turned `degrees` to the clone's left about the vertical through where `body`
    (at rest) stands: a pose's `facing_deg`, for the cloth re-draped into the unturned pose."""
    if not degrees:
        return points
    centre = np.array([*_footprint(np.asarray(body.vertices)), 0.0])
    return (np.asarray(points) - centre) @ rotation_matrix(Z, degrees).T + centre


def laid(body: Body, pose: Pose) -> Pose:
    """`pose` as `body` strikes it: styled by its personality (`styled`), and each of its
    `rests` settled on it, written out as one more turn of the rest's bone, so that
    `partial` poses on the way there move the arm smoothly."""
    pose = styled(pose, body.spec.personality)
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
        moved = skin(rest_v[mine], weights[mine], joints[mine], r, t)
        if rest.over:
            return _outwards_of(body, r, t, rest.over, moved.mean(axis=0))
        return float(height(moved).min())

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


def _outwards_of(body: Body, rot: np.ndarray, trans: np.ndarray, line: tuple[str, ...],
                 point: np.ndarray) -> float:
    """How far `point` lies outwards (away from the body's middle) of the upright plane
    through the posed heads of the bones `line` (m)."""
    names = list(body.skeleton.names)
    a, b = (rot[names.index(n)] @ body.skeleton.head(n) + trans[names.index(n)] for n in line)
    along = (b - a)[:2] / np.linalg.norm((b - a)[:2])
    across = float(along[0] * (point - a)[1] - along[1] * (point - a)[0])
    return across if line[0].endswith(".L") else -across


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


def _footprint(points: np.ndarray) -> np.ndarray:
    """The middle (x, y) of the lowest 2 cm of a mesh: where it stands."""
    low = points[points[:, 2] < points[:, 2].min() + 0.02]
    return (low[:, :2].min(axis=0) + low[:, :2].max(axis=0)) / 2.0
