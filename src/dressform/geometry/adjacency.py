"""Which vertices of a triangle mesh are neighbours, and regions grown over them."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def vertex_adjacency(faces: np.ndarray, count: int) -> sp.csr_matrix:
    """(count, count) sparse matrix, 1.0 between vertices that share an edge, else 0."""
    f = np.asarray(faces, dtype=np.int64)
    e = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    adj = sp.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(count, count))
    return ((adj + adj.T) > 0).astype(np.float64).tocsr()


def grown(mask: np.ndarray, adjacency: sp.csr_matrix, rings: int = 1) -> np.ndarray:
    """`mask` with `rings` rings of neighbours added."""
    out = np.asarray(mask, dtype=bool)
    for _ in range(rings):
        out = out | ((adjacency @ out.astype(np.float64)) > 0)
    return out
