"""Smooth per-vertex normals of triangle meshes."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def vertex_normals(vertices: ArrayLike, faces: ArrayLike) -> NDArray[np.float64]:
    """Smooth unit normals per vertex: the area-weighted mean of the adjacent face normals.

    Faces are taken as counter-clockwise seen from outside; a vertex on no face gets (0, 0, 1).
    """
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces, dtype=np.int64)
    fn = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])  # length = 2 × area
    n = np.zeros_like(v)
    for k in range(3):
        for axis in range(3):
            n[:, axis] += np.bincount(f[:, k], weights=fn[:, axis], minlength=len(v))
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return np.where(length > 1e-20, n / np.maximum(length, 1e-20), np.array([0.0, 0.0, 1.0]))
