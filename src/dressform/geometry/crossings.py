"""Where meshes pass through themselves or each other: the edges of one through the
triangles of another (or its own), found exactly (Möller–Trumbore, in double precision) among
the pairs whose bounding boxes meet in warp's BVH of the triangles, in compiled kernels (the
solver asks every few steps, so the search is on its hot path). Used to judge cloth
(`dressform.drape.checks`), to keep cloth on its side of itself
(`dressform.drape.projective`) and to find skin that posing pressed through skin
(`dressform.body.contact`)."""

from __future__ import annotations

import numpy as np
import warp as wp

from dressform.geometry.warp_runtime import start_warp, warp_mesh


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
    """(E, 2) the mesh's edges, each once, the lower vertex first, in order."""
    pairs = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]),
                    axis=1).astype(np.int64)
    n = int(faces.max()) + 1 if len(faces) else 1
    key = np.unique(pairs[:, 0] * n + pairs[:, 1])  # one integer per edge: a 1-D sort
    return np.stack([key // n, key % n], axis=1)


def _hits(ve: np.ndarray, edges: np.ndarray, vt: np.ndarray, faces: np.ndarray,
          own: bool) -> tuple[np.ndarray, np.ndarray]:
    """(edge indices, triangle indices) of the `edges` (of vertices `ve`) that pass through a
    triangle of `faces` (of `vt`); with `own` the two are one mesh and an edge's own fan
    does not count."""
    if not len(edges) or not len(faces):
        return _NONE
    start_warp()
    lo, hi = np.minimum(ve[edges[:, 0]], ve[edges[:, 1]]), np.maximum(ve[edges[:, 0]],
                                                                      ve[edges[:, 1]])
    ends = _vec3d(ve)
    return _pairs(_through, len(edges), lo, hi, vt, faces,
                  [ends, wp.array(np.ascontiguousarray(edges, dtype=np.int32),
                                  dtype=wp.vec2i, device="cpu"),
                   ends if own else _vec3d(vt), int(own)])


def near_triangles(points: np.ndarray, radius: np.ndarray, vertices: np.ndarray,
                   faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point indices, triangle indices) of every triangle that may come within `radius`
    (one per point) of a point: its bounding box meets the point's box of that radius."""
    if not len(points) or not len(faces):
        return _NONE
    points = np.asarray(points, dtype=np.float64)
    r = np.broadcast_to(np.asarray(radius, dtype=np.float64), len(points))[:, None]
    return _pairs(_boxed, len(points), points - r, points + r, vertices, faces, [])


_NONE = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
#: Query boxes grow by this (m) so that the BVH's single-precision bounds never miss a pair
#: the double-precision test would find.
_PAD_M = 1e-5


def _vec3d(x: np.ndarray) -> wp.array:
    return wp.array(np.ascontiguousarray(x, dtype=np.float64), dtype=wp.vec3d, device="cpu")


def _pairs(kernel: wp.Kernel, n: int, lo: np.ndarray, hi: np.ndarray, vt: np.ndarray,
           faces: np.ndarray, extra: list) -> tuple[np.ndarray, np.ndarray]:
    """(query indices, triangle indices) that `kernel` accepts among the triangles of
    (`vt`, `faces`) whose boxes meet each query's box [`lo`, `hi`]: warp's BVH finds the
    candidates, and the kernel runs twice, counting and then writing, so the output is
    allocated once and comes out ordered by query, the same on every run."""
    *_arrays, mesh = warp_mesh(vt, faces)  # the arrays kept while the mesh is used
    tri = np.ascontiguousarray(faces, dtype=np.int32)
    boxes = [wp.array(np.ascontiguousarray(b + pad, dtype=np.float32), dtype=wp.vec3,
                      device="cpu") for b, pad in ((lo, -_PAD_M), (hi, _PAD_M))]
    inputs = [mesh.id, *boxes, wp.array(tri, dtype=wp.vec3i, device="cpu"), *extra]
    counts = wp.zeros(n, dtype=wp.int32, device="cpu")
    none = wp.zeros(1, dtype=wp.int32, device="cpu")
    wp.launch(kernel, dim=n, inputs=[*inputs, none, 0, none, none, counts], device="cpu")
    c = counts.numpy()
    total = int(c.sum())
    if total == 0:
        return _NONE
    offsets = wp.array((np.cumsum(c) - c).astype(np.int32), dtype=wp.int32, device="cpu")
    out_q, out_t = (wp.zeros(total, dtype=wp.int32, device="cpu") for _ in range(2))
    wp.launch(kernel, dim=n, inputs=[*inputs, offsets, 1, out_q, out_t, counts],
              device="cpu")
    return out_q.numpy().astype(np.int64), out_t.numpy().astype(np.int64)


@wp.func
def _segment_through(p: wp.vec3d, q: wp.vec3d, a: wp.vec3d, b: wp.vec3d,
                     c: wp.vec3d) -> bool:
    """Möller–Trumbore: whether segment pq passes through triangle abc."""
    d = q - p
    e1 = b - a
    e2 = c - a
    h = wp.cross(d, e2)
    det = wp.dot(e1, h)
    if wp.abs(det) <= wp.float64(1.0e-14):
        return False
    inv = wp.float64(1.0) / det
    s = p - a
    u = inv * wp.dot(s, h)
    qv = wp.cross(s, e1)
    w = inv * wp.dot(d, qv)
    t = inv * wp.dot(e2, qv)
    zero = wp.float64(0.0)
    one = wp.float64(1.0)
    return u >= zero and w >= zero and u + w <= one and t >= zero and t <= one


@wp.kernel
def _through(mesh: wp.uint64, lo: wp.array(dtype=wp.vec3), hi: wp.array(dtype=wp.vec3),
             faces: wp.array(dtype=wp.vec3i), ve: wp.array(dtype=wp.vec3d),
             edges: wp.array(dtype=wp.vec2i), vt: wp.array(dtype=wp.vec3d), own: int,
             offsets: wp.array(dtype=wp.int32), write: int, out_q: wp.array(dtype=wp.int32),
             out_t: wp.array(dtype=wp.int32), counts: wp.array(dtype=wp.int32)):
    i = wp.tid()
    e = edges[i]
    query = wp.mesh_query_aabb(mesh, lo[i], hi[i])
    t = wp.int32(0)
    n = wp.int32(0)
    while wp.mesh_query_aabb_next(query, t):
        f = faces[t]
        # An edge touching the triangle at a shared vertex is the mesh's own fan.
        if own != 0 and (f[0] == e[0] or f[1] == e[0] or f[2] == e[0] or f[0] == e[1]
                         or f[1] == e[1] or f[2] == e[1]):
            continue
        if _segment_through(ve[e[0]], ve[e[1]], vt[f[0]], vt[f[1]], vt[f[2]]):
            if write != 0:
                out_q[offsets[i] + n] = i
                out_t[offsets[i] + n] = t
            n += 1
    counts[i] = n


@wp.kernel
def _boxed(mesh: wp.uint64, lo: wp.array(dtype=wp.vec3), hi: wp.array(dtype=wp.vec3),
           faces: wp.array(dtype=wp.vec3i), offsets: wp.array(dtype=wp.int32), write: int,
           out_q: wp.array(dtype=wp.int32), out_t: wp.array(dtype=wp.int32),
           counts: wp.array(dtype=wp.int32)):
    i = wp.tid()
    query = wp.mesh_query_aabb(mesh, lo[i], hi[i])
    t = wp.int32(0)
    n = wp.int32(0)
    while wp.mesh_query_aabb_next(query, t):
        if write != 0:
            out_q[offsets[i] + n] = i
            out_t[offsets[i] + n] = t
        n += 1
    counts[i] = n


