"""Plane sections of triangle meshes and the lengths a tape measure reads off them.

A tape measure around a body bridges hollows: it follows the *convex hull* of the body's section
(between the breasts, over the small of the back). A tape laid along the body between two points
likewise follows the outer hull of the section between them. Both are computed here on numpy
arrays; each point of a section lies on a mesh edge, so the result is also returned as
(edge, plane) references that :mod:`dressform.body.tape` can re-evaluate in torch to get
gradients for fitting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull, QhullError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Section:
    """One closed loop of a mesh cut by a plane.

    The points are not in loop order: what is read off a section (convex hulls, extremes,
    containment) does not need it, and leaving the loop unwalked keeps sectioning in numpy.

    Attributes:
        a, b: (N,) vertex indices of the mesh edge each point lies on.
        t: (N,) position along the edge: point = v[a] + t (v[b] − v[a]).
        points: (N, 3) positions.
        segments: (M, 2) indices of the points joined by the loop (one per cut triangle).
    """

    a: IntArray
    b: IntArray
    t: FloatArray
    points: FloatArray
    segments: IntArray

    def take(self, idx: IntArray) -> Section:
        """The points `idx` alone (their segments are dropped: the result is not a loop)."""
        return Section(self.a[idx], self.b[idx], self.t[idx], self.points[idx],
                       np.empty((0, 2), dtype=np.int64))

    def contains(self, point: FloatArray, u: FloatArray, w: FloatArray) -> bool:
        """Whether `point` lies inside the loop, seen in the plane spanned by `u`, `w`."""
        p2 = np.stack([self.points @ u, self.points @ w], axis=1)
        return segments_contain(np.array([point @ u, point @ w]), p2[self.segments])


def merge_sections(sections: list[Section]) -> Section:
    """Several loops as one section (their points and segments together)."""
    offsets = np.cumsum([0] + [len(s.a) for s in sections[:-1]])
    return Section(*(np.concatenate([getattr(s, f) for s in sections])
                     for f in ("a", "b", "t", "points")),
                   np.concatenate([s.segments + o for s, o in zip(sections, offsets, strict=True)]))


def plane_basis(normal: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Two unit vectors spanning the plane with this normal."""
    n = normal / np.linalg.norm(normal)
    # The cross products written out: numpy's `cross` costs ~40 µs on two 3-vectors, and a
    # body's measurements ask for a basis hundreds of times (n × z, or n × x near the pole).
    u = np.array([n[1], -n[0], 0.0]) if abs(n[2]) < 0.9 else np.array([0.0, n[2], -n[1]])
    u /= np.linalg.norm(u)
    w = np.array([n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2],
                  n[0] * u[1] - n[1] * u[0]])
    return u, w


def plane_section_loops(
    vertices: FloatArray,
    faces: IntArray,
    origin: FloatArray,
    normal: FloatArray,
    face_mask: NDArray[np.bool_] | None = None,
) -> list[Section]:
    """All closed loops where the plane (origin, normal) cuts the mesh.

    Open chains (where `face_mask` cuts the surface) are dropped: a tape needs a closed loop.
    """
    unit = normal / np.linalg.norm(normal)
    d = vertices @ unit - origin @ unit
    d[d == 0.0] = 1e-12  # no vertex exactly on the plane: every crossing is an edge
    tri = faces if face_mask is None else faces[np.flatnonzero(face_mask)]
    # A triangle crosses when one or two of its corners are above: counted corner by corner
    # in bytes, several times quicker than gathering an (F, 3) array of distances.
    above = (d > 0).view(np.uint8)
    tri = tri[(above[tri[:, 0]] + above[tri[:, 1]] + above[tri[:, 2]]) % 3 != 0]
    if len(tri) == 0:
        return []
    s = d[tri] > 0
    # Each crossing triangle joins two cut edges: the one its boundary (in face order)
    # crosses going up, to the one it crosses going down. On a consistently wound surface
    # a triangle's "up" edge is its neighbour's "down" edge, so the segments run head to tail
    # round every loop (which `_components` walks in a few vector steps).
    turn = [1, 2, 0]
    nxt, tri_next = s[:, turn], tri[:, turn]
    lo_c, hi_c = np.minimum(tri, tri_next), np.maximum(tri, tri_next)
    stride = len(vertices) + 1
    key = lo_c * stride + hi_c  # (T, 3) edge k joins corners k and k + 1
    rows = np.arange(len(tri))
    up, down = np.argmax(~s & nxt, axis=1), np.argmax(s & ~nxt, axis=1)
    keys = np.concatenate([key[rows, up], key[rows, down]])
    uniq, inverse = np.unique(keys, return_inverse=True)
    seg = inverse.reshape(2, -1).T  # (T, 2): up edge → down edge
    n = len(uniq)
    n_loops, label = _components(seg, n)
    # A closed loop of a manifold surface meets every cut edge twice; open chains end at
    # edges met once.
    degree = np.bincount(seg.ravel(), minlength=n)
    open_loop = np.zeros(n_loops, dtype=bool)
    open_loop[label[degree != 2]] = True
    a_all, b_all = uniq // stride, uniq % stride  # each cut edge's corners
    t_all = d[a_all] / (d[a_all] - d[b_all])
    p_all = vertices[a_all] + t_all[:, None] * (vertices[b_all] - vertices[a_all])
    # Nodes and segments grouped by loop once, each loop a slice.
    nodes = np.argsort(label, kind="stable")
    node_cut = np.concatenate([[0], np.cumsum(np.bincount(label, minlength=n_loops))])
    seg_label = label[seg[:, 0]]
    segs = seg[np.argsort(seg_label, kind="stable")]
    seg_cut = np.concatenate([[0], np.cumsum(np.bincount(seg_label, minlength=n_loops))])
    local = np.empty(n, dtype=np.int64)
    loops: list[Section] = []
    for k in range(n_loops):
        idx = nodes[node_cut[k]:node_cut[k + 1]]
        if open_loop[k] or len(idx) < 3:
            continue
        local[idx] = np.arange(len(idx))
        loops.append(Section(a_all[idx], b_all[idx], t_all[idx], p_all[idx],
                             local[segs[seg_cut[k]:seg_cut[k + 1]]]))
    return loops


def _components(seg: IntArray, n: int) -> tuple[int, IntArray]:
    """Connected components of the graph on n nodes with these edges: (count, label per node).

    A section's segments, when every node starts one and ends one, form closed loops head to
    tail: each node's label is the smallest node on its loop, found by pointer jumping in
    log₂(n) vector steps. Other graphs (open chains, a surface wound inconsistently) go to
    scipy."""
    starts = np.bincount(seg[:, 0], minlength=n)
    ends = np.bincount(seg[:, 1], minlength=n)
    if len(seg) == n and (starts == 1).all() and (ends == 1).all():
        step = np.empty(n, dtype=np.int64)
        step[seg[:, 0]] = seg[:, 1]
        label = np.arange(n)
        for _ in range(max(1, int(np.ceil(np.log2(n))))):
            label = np.minimum(label, label[step])
            step = step[step]
        roots, label = np.unique(label, return_inverse=True)
        return len(roots), label
    order = np.argsort(seg[:, 0], kind="stable")
    graph = csr_matrix((np.ones(len(seg)), seg[order, 1],
                        np.searchsorted(seg[order, 0], np.arange(n + 1))), shape=(n, n))
    return connected_components(graph, directed=False)


def segments_contain(p: FloatArray, segments: FloatArray) -> bool:
    """Even-odd rule for a 2-D point and a closed curve given as segments (M, 2, 2)."""
    x, y = p
    x0, y0 = segments[:, 0, 0], segments[:, 0, 1]
    x1, y1 = segments[:, 1, 0], segments[:, 1, 1]
    cond = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xcross = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.count_nonzero(cond & (x < xcross)) % 2)


def convex_hull_order(points2d: FloatArray) -> IntArray:
    """Indices of the convex-hull vertices, counter-clockwise."""
    try:
        return np.asarray(ConvexHull(points2d).vertices, dtype=np.int64)
    except QhullError:
        return np.arange(len(points2d), dtype=np.int64)


def convex_perimeter(points2d: FloatArray) -> float:
    """Perimeter of the convex hull of 2-D points: a tape measure around them."""
    hull = points2d[convex_hull_order(points2d)]
    return float(np.linalg.norm(hull - np.roll(hull, -1, axis=0), axis=1).sum())


def hull_chain_length(points2d: FloatArray, start: FloatArray, end: FloatArray,
                      outward: FloatArray) -> tuple[float, IntArray]:
    """Length of a tape from `start` to `end` over the points, bulging towards `outward`.

    The tape follows the part of the convex hull of {points, start, end} that lies on the
    `outward` side of the chord start→end. Returns the length and the indices (into `points2d`)
    of the hull points it passes, in order from start to end.
    """
    pts = np.vstack([points2d, start, end])
    n = len(points2d)
    chord = end - start
    normal = np.array([-chord[1], chord[0]])
    if normal @ outward < 0:
        normal = -normal
    side = (pts - start) @ normal
    along = (pts - start) @ chord / (chord @ chord)
    # Only points beside the chord: then start and end are extreme along it, so on the hull.
    keep = np.flatnonzero((side >= -1e-12) & (along > 1e-9) & (along < 1 - 1e-9))
    keep = np.concatenate([keep, [n, n + 1]])
    order = keep[convex_hull_order(pts[keep])]
    # The hull of the kept points is the bulge plus the chord. Start it at `start`; one way
    # round reaches `end` over the bulge, the other along the chord.
    order = np.roll(order, -int(np.flatnonzero(order == n)[0]))
    k1 = int(np.flatnonzero(order == n + 1)[0])
    if k1 == 1 and len(order) > 2:
        path = np.concatenate([order[:1], order[:0:-1]])
    else:
        path = order[: k1 + 1]
    seg = np.diff(pts[path], axis=0)
    inner = path[(path != n) & (path != n + 1)]
    return float(np.linalg.norm(seg, axis=1).sum()), inner
