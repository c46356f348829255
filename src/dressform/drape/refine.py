"""A garment at rest on a coarse mesh carried onto a finer mesh of the same pattern.

Coarse to fine: a fine garment (10 mm, ~8k vertices for a T-shirt) costs four times as much
per step as a 20 mm one and needs as many steps to sew and fall, so it is sewn and settled
coarse, then every fine vertex starts where its point of the pattern lies on the coarse
rest (the coarse triangle holding its 2-D pattern coordinate, interpolated), and only the
last settling, of detail the coarse mesh could not show, is done fine. The fine start is
a refinement of a surface that is outside the body and clear of itself, so it is too.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from dressform.drape.cloth_mesh import ClothMesh
from dressform.drape.placement import fuse
from dressform.geometry.barycentric import barycentric

#: Coarse triangles tried for each fine vertex (the nearest by centroid in the pattern).
CANDIDATES = 8


def carry_to_mesh(coarse: ClothMesh, rest: np.ndarray, fine: ClothMesh) -> np.ndarray:
    """(V_fine, 3) positions of `fine`'s fused vertices on `coarse`'s fused rest positions
    `rest`: each pattern vertex at its pattern point on the coarse cloth."""
    if coarse.panel_names != fine.panel_names:
        raise ValueError("the two meshes are not of the same pattern")
    out = np.zeros((len(fine.uv), 3))
    for k in range(len(fine.panel_names)):
        tris = coarse.faces_uv[coarse.panel[coarse.faces_uv[:, 0]] == k]
        mine = np.flatnonzero(fine.panel == k)
        if not len(mine):
            continue
        corners = coarse.uv[tris]  # (T, 3, 2)
        near = cKDTree(corners.mean(axis=1)).query(
            fine.uv[mine], k=min(CANDIDATES, len(tris)))[1].reshape(len(mine), -1)
        c = corners[near]  # (M, K, 3 corners, 2)
        w = barycentric(fine.uv[mine, None, :], c[..., 0, :], c[..., 1, :], c[..., 2, :])
        # The triangle the point is most inside (a point on a curved outline can lie just
        # outside the coarse outline's chord: then the nearest triangle, weights clamped).
        best = w.min(axis=2).argmax(axis=1)
        pick = np.arange(len(mine))
        weights = w[pick, best].clip(0.0, None)
        weights /= weights.sum(axis=1, keepdims=True)
        held = rest[coarse.weld[tris[near[pick, best]]]]  # (M, 3 corners, 3)
        out[mine] = (weights[:, :, None] * held).sum(axis=1)
    return fuse(fine, out)
