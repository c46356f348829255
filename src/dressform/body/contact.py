"""Skin that posing pressed through skin, drawn back until the two sides only meet.

Linear blend skinning, all the body's rig does, turns each vertex by a blend of its bones.
Where a joint bends far, the skin on the inside of the bend passes through the skin it folds
onto: the belly through the tops of the thighs when sitting (from ~50° of hip flexion), the
upper arm through the side of the chest once the arm hangs by it, the forearm through the
upper arm in a folded arm. A surface through itself has no outside there, so cloth carried
into such a fold is pushed out of one side into the other and folds through itself (the
tangled lap and sides of a seated outfit). Real tissue is pressed flat where it meets.

So: where skin has come near skin it was far from at rest, the skin's edges through its own
triangles are found (`dressform.geometry.crossings`), and the end of each that lies behind the
triangle it crosses is drawn back into its own tissue, along its own normal as skinned from
the rest pose (a normal taken on the collapsed fold would point anywhere), its neighbours
going part of the way so that the pressed skin stays smooth. Both sides are drawn back, a
little at a time, until no edge crosses: they meet halfway. (Flooding from those ends to all
the skin behind the other side, to draw it back at once, leaked out through crossings the
test cannot see where the fold's triangles share a vertex, and took in the whole body.)

Cost: ~0.1 s a pose with the arms by the sides, ~2 s seated (20 rounds).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from dressform.geometry.adjacency import grown, vertex_adjacency
from dressform.geometry.crossings import crossing_pairs

#: How far skin inside the other side is drawn back per round (from each side, so the two
#: close at twice this).
STEP_M = 0.002
#: At most this many rounds...
ROUNDS = 20
#: ...and no skin drawn back further than this in all (a bend the rig folds tighter, the
#: inside of a knee bent square, is left: drawing it back would hollow the joint).
MOST_M = 0.03
#: Skin this near other skin in the pose may cross it (the search for crossings is limited to
#: such skin and the rings round it: the whole body's takes ~2 s)...
NEAR_M = 0.015
#: ...where the other skin was at least this far at rest (else it is the same tissue).
SAME_TISSUE_M = 0.03
#: Rings of skin round that searched too.
NEAR_RINGS = 3

def pressed_apart(rest: np.ndarray, vertices: np.ndarray, faces: np.ndarray,
                  normals: np.ndarray, movable: np.ndarray, alike: np.ndarray | None = None
                  ) -> np.ndarray:
    """`vertices` (the mesh `rest` posed; `normals` its rest normals skinned into the pose)
    with skin through skin drawn back until the sides meet. `movable`: the vertices that
    take part (the head's eyes and mouth cross other skin at rest as modelled, and are left
    alone). `alike`: optional (V,) labels; skin with the same label above 0 is one tissue
    however far apart it was at rest, and is not pressed off itself (a hand's fingers, which
    the rig curls through one another: pressed, they never came apart, and each frame of a
    walk took all the rounds). The same array when nothing crosses."""
    f = np.asarray(faces, dtype=np.int64)
    ring = vertex_adjacency(f, len(vertices))
    x = np.asarray(vertices, dtype=np.float64)
    label = np.zeros(len(x), dtype=np.int64) if alike is None else np.asarray(alike)
    for _ in range(ROUNDS):
        near = _near_other_skin(rest, x, movable, ring, label)
        if not near.any():
            break
        inside = _inside(x, f[near[f].all(axis=1)], label)
        if not inside.any():
            break
        if x is vertices:
            x = x.copy()
        pull = np.where(inside[:, None], -STEP_M * normals, 0.0)
        # The neighbours go part of the way: pressed tissue, not a step in the skin.
        step = np.where(inside[:, None], pull, _mean(ring, _mean(ring, pull)))
        free = np.linalg.norm(x + step - vertices, axis=1) <= MOST_M
        if not (free & inside).any():  # what crosses is drawn back as far as it may go
            break
        x += np.where(free[:, None], step, 0.0)
    return x


def _near_other_skin(rest: np.ndarray, x: np.ndarray, movable: np.ndarray,
                     ring: sp.csr_matrix, label: np.ndarray) -> np.ndarray:
    """(V,) mask of the `movable` skin near skin it was far from at rest (and not `alike`),
    and the rings round it: where a crossing can be."""
    ids = np.flatnonzero(movable)
    pairs = cKDTree(x[ids]).query_pairs(NEAR_M, output_type="ndarray")
    i, j = ids[pairs[:, 0]], ids[pairs[:, 1]]
    apart = (np.linalg.norm(rest[i] - rest[j], axis=1) > SAME_TISSUE_M) & \
        ~_alike(label, i, j)
    near = np.zeros(len(x), dtype=bool)
    near[i[apart]] = near[j[apart]] = True
    return grown(near, ring, NEAR_RINGS) & movable


def _alike(label: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether vertices `i` and `j` are one tissue by their label (above 0, the same)."""
    return (label[i] > 0) & (label[i] == label[j])


def _inside(x: np.ndarray, faces: np.ndarray, label: np.ndarray) -> np.ndarray:
    """(V,) mask of the skin found inside other skin: the end of each crossing edge that
    lies behind the triangle it crosses (not one through skin of its own `label`)."""
    edges, tris = crossing_pairs(x, faces)
    # Through its own tissue only if every corner of the triangle is of it (a triangle
    # across the wrist is the hand's and the forearm's).
    other = ~np.all([_alike(label, edges[:, 0], faces[tris, k]) for k in range(3)], axis=0)
    edges, tris = edges[other], tris[other]
    inside = np.zeros(len(x), dtype=bool)
    if len(edges):
        a, b, c = (x[faces[tris, k]] for k in range(3))
        behind = np.einsum("ij,ij->i", x[edges[:, 0]] - a, np.cross(b - a, c - a)) < 0.0
        inside[np.where(behind, edges[:, 0], edges[:, 1])] = True
    return inside


def _mean(ring: sp.csr_matrix, values: np.ndarray) -> np.ndarray:
    """Each vertex's value averaged with its neighbours'."""
    degree = np.asarray(ring.sum(axis=1)).ravel() + 1.0
    return (ring @ values + values) / degree[:, None]
