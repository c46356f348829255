"""Open edges of triangle meshes: the hems, cuffs and necklines of a garment."""

from __future__ import annotations

import numpy as np


def unshared_sides(faces: np.ndarray) -> np.ndarray:
    """(F, 3) bool: side k of each triangle (the one opposite corner k) is used by no other
    triangle."""
    f = np.asarray(faces, dtype=np.int64)
    sides = np.stack([f[:, [1, 2]], f[:, [2, 0]], f[:, [0, 1]]], axis=1)  # (F, 3, 2)
    keys = np.sort(sides, axis=2).reshape(-1, 2)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    return (counts[inverse.ravel()] == 1).reshape(-1, 3)


def boundary_vertices(faces: np.ndarray) -> np.ndarray:
    """Indices of the vertices on an open edge."""
    f = np.asarray(faces, dtype=np.int64)
    single = unshared_sides(f)
    ends = np.concatenate([f[single[:, k]][:, [(k + 1) % 3, (k + 2) % 3]].ravel()
                           for k in range(3)])
    return np.unique(ends)
