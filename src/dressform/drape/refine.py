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
        w = _barycentric_2d(fine.uv[mine, None, :], corners[near])  # (M, K, 3)
        # The triangle the point is most inside (a point on a curved outline can lie just
        # outside the coarse outline's chord: then the nearest triangle, weights clamped).
        best = w.min(axis=2).argmax(axis=1)
        pick = np.arange(len(mine))
        weights = w[pick, best].clip(0.0, None)
        weights /= weights.sum(axis=1, keepdims=True)
        held = rest[coarse.weld[tris[near[pick, best]]]]  # (M, 3 corners, 3)
        out[mine] = (weights[:, :, None] * held).sum(axis=1)
    return fuse(fine, out)


def _barycentric_2d(p: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """Barycentric weights (..., 3) of 2-D points p (..., 2) in triangles tri (..., 3, 2)."""
    a, b, c = tri[..., 0, :], tri[..., 1, :], tri[..., 2, :]
    v0, v1, v2 = b - a, c - a, p - a
    den = v0[..., 0] * v1[..., 1] - v1[..., 0] * v0[..., 1]
    den = np.where(np.abs(den) < 1e-18, 1e-18, den)
    u = (v2[..., 0] * v1[..., 1] - v1[..., 0] * v2[..., 1]) / den
    v = (v0[..., 0] * v2[..., 1] - v2[..., 0] * v0[..., 1]) / den
    return np.stack([1.0 - u - v, u, v], axis=-1)
