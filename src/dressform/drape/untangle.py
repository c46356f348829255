"""Cloth that passes through itself, smoothed flat where it does.

Sewing pulls loose panels together from where they were placed, and a sleeve cap or a
waistband's lap can crumple through its own layers on the way; once the garment is fused
into one surface, a tangle stays a tangle (contact keeps each vertex on the side it is on,
which is the wrong side). So before the fused cloth settles, each tangle is smoothed out:
the vertices of crossing edges and crossed triangles, with a ring or two of neighbours, are
moved to the mean of their neighbours until the crumple is a single smooth sheet, the rest
of the cloth held where it is. The settle that follows gives the sheet its length back,
folding it again, now with contact to keep the folds from passing through one another.
"""

from __future__ import annotations

import numpy as np

from dressform.geometry.adjacency import grown, vertex_adjacency
from dressform.geometry.crossings import crossing_vertices

#: Smoothing sweeps per attempt, and attempts (each widening the smoothed region by a ring).
SWEEPS = 30
ATTEMPTS = 4


def untangle(x: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions with the tangles smoothed out, (V,) mask of the vertices moved). Tangles
    that survive `ATTEMPTS` widenings are left as they are (the checks after rest will count
    them)."""
    x = np.asarray(x, dtype=np.float64).copy()
    v = len(x)
    adj = vertex_adjacency(faces, v)
    degree = np.maximum(np.asarray(adj.sum(axis=1)).ravel(), 1.0)[:, None]
    moved = np.zeros(v, dtype=bool)
    for attempt in range(ATTEMPTS):
        region = crossing_vertices(x, faces)
        if not region.any():
            break
        region = grown(region, adj, 1 + attempt)
        for _ in range(SWEEPS):
            x[region] = (adj @ x)[region] / degree[region]
        moved |= region
    return x, moved
