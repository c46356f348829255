"""Where meshes pass through themselves or each other: the edges of one through the
triangles of another (or its own), found exactly (Möller–Trumbore) among the pairs a k-d tree
of triangle centres puts near each other. Used to judge cloth (`dressform.drape.checks`) and
to find skin that posing pressed through skin (`dressform.body.contact`)."""

from __future__ import annotations

from itertools import chain

import numpy as np
from scipy.spatial import cKDTree


def crossing_pairs(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(edges (N, 2), triangles (N,)): each edge of the mesh that passes through a triangle
    it is not part of, with that triangle's index (an edge through two triangles is listed
    twice)."""
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces, dtype=np.int64)
    edges = _edges(f)
    e_idx, t_idx = _hits(v, edges, v, f, own=True)
    return edges[e_idx], t_idx


def crossing_vertices(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(V,) mask of the vertices of edges through the mesh and of the triangles they pass
    through."""
    edges, tris = crossing_pairs(vertices, faces)
    mask = np.zeros(len(vertices), dtype=bool)
    mask[edges.ravel()] = True
    mask[np.asarray(faces)[tris].ravel()] = True
    return mask


def crossings(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> int:
    """How many edges of mesh `a` (vertices, faces) pass through triangles of mesh `b`, and
    of `b` through `a`: one garment through another."""
    (va, fa), (vb, fb) = ((np.asarray(v, dtype=np.float64), np.asarray(f, dtype=np.int64))
                          for v, f in (a, b))
    return (len(np.unique(_hits(va, _edges(fa), vb, fb, own=False)[0]))
            + len(np.unique(_hits(vb, _edges(fb), va, fa, own=False)[0])))


def _edges(faces: np.ndarray) -> np.ndarray:
    return np.unique(np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]],
                                             faces[:, [2, 0]]]), axis=1), axis=0)


def _hits(ve: np.ndarray, edges: np.ndarray, vt: np.ndarray, faces: np.ndarray,
          own: bool) -> tuple[np.ndarray, np.ndarray]:
    """(edge indices, triangle indices) of the `edges` (of vertices `ve`) that pass through a
    triangle of `faces` (of `vt`); with `own` the two are one mesh and an edge's own fan
    does not count."""
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if not len(edges) or not len(faces):
        return none
    # A triangle an edge crosses lies within half the edge of the edge's midpoint.
    half = 0.5 * np.linalg.norm(ve[edges[:, 1]] - ve[edges[:, 0]], axis=1)
    e_idx, t_idx = near_triangles(0.5 * (ve[edges[:, 0]] + ve[edges[:, 1]]), half, vt, faces)
    if not len(e_idx):
        return none
    tri = faces[t_idx]
    ends = edges[e_idx]
    if own:  # an edge touching the triangle at a shared vertex is the mesh's own fan
        keep = ~(tri[:, :, None] == ends[:, None, :]).any(axis=(1, 2))
        e_idx, t_idx, tri, ends = e_idx[keep], t_idx[keep], tri[keep], ends[keep]
    hit = _segment_hits_triangle(ve[ends[:, 0]], ve[ends[:, 1]], vt[tri[:, 0]],
                                 vt[tri[:, 1]], vt[tri[:, 2]])
    return e_idx[hit], t_idx[hit]


def near_triangles(points: np.ndarray, radius: np.ndarray, vertices: np.ndarray,
                   faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point indices, triangle indices) of every triangle that may come within `radius`
    (one per point) of a point: its centroid nearer than the radius plus the triangle's
    reach (centroid to farthest corner)."""
    tri = vertices[faces]
    centres = tri.mean(axis=1)
    reach = np.linalg.norm(tri - centres[:, None], axis=2).max(axis=1)
    # One search radius for all would be set by the largest triangle, and a few stretched
    # ones (a seam just pulled shut) would make every search wide: the rest are searched
    # at the 99th percentile's reach, the few larger ones from their own side.
    cut = float(np.quantile(reach, 0.99)) if len(reach) else 0.0
    small, big = np.flatnonzero(reach <= cut), np.flatnonzero(reach > cut)
    p1, t1 = _ball_pairs(cKDTree(centres[small]), points, radius + cut)
    t2, p2 = _ball_pairs(cKDTree(points), centres[big], reach[big] + radius.max())
    t2 = big[t2]
    close = np.linalg.norm(points[p2] - centres[t2], axis=1) <= radius[p2] + reach[t2]
    return np.concatenate([p1, p2[close]]), np.concatenate([small[t1], t2[close]])


def _ball_pairs(tree: cKDTree, points: np.ndarray, radius: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """(point indices, tree indices) of every tree point within `radius` of a point."""
    if not len(points) or not tree.n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    near = tree.query_ball_point(points, radius)
    counts = np.fromiter(map(len, near), dtype=np.int64, count=len(near))
    return (np.repeat(np.arange(len(points)), counts),
            np.fromiter(chain.from_iterable(near), dtype=np.int64, count=int(counts.sum())))


def _segment_hits_triangle(p: np.ndarray, q: np.ndarray, a: np.ndarray, b: np.ndarray,
                           c: np.ndarray) -> np.ndarray:
    """Möller–Trumbore, row by row: whether segment pq passes through triangle abc."""
    d = q - p
    e1, e2 = b - a, c - a
    h = np.cross(d, e2)
    det = np.einsum("ij,ij->i", e1, h)
    ok = np.abs(det) > 1e-14
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    s = p - a
    u = inv * np.einsum("ij,ij->i", s, h)
    qv = np.cross(s, e1)
    w = inv * np.einsum("ij,ij->i", d, qv)
    t = inv * np.einsum("ij,ij->i", e2, qv)
    return ok & (u >= 0.0) & (w >= 0.0) & (u + w <= 1.0) & (t >= 0.0) & (t <= 1.0)
