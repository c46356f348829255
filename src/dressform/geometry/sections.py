"""Plane sections of triangle meshes and the lengths a tape measure reads off them.

A tape measure around a body bridges hollows: it follows the *convex hull* of the body's section
(between the breasts, over the small of the back). A tape laid along the body between two points
likewise follows the outer hull of the section between them. Both are computed here on numpy
arrays; each point of a section lies on a mesh edge, so the result is also returned as
(edge, plane) references that :mod:`dressform.body.measure` can re-evaluate in torch to get
gradients for fitting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import ConvexHull, QhullError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Section:
    """One closed loop of a mesh cut by a plane, in loop order.

    Attributes:
        a, b: (N,) vertex indices of the mesh edge each point lies on.
        t: (N,) position along the edge: point = v[a] + t (v[b] − v[a]).
        points: (N, 3) positions.
    """

    a: IntArray
    b: IntArray
    t: FloatArray
    points: FloatArray

    def take(self, idx: IntArray) -> Section:
        return Section(self.a[idx], self.b[idx], self.t[idx], self.points[idx])

    def contains(self, point: FloatArray, u: FloatArray, w: FloatArray) -> bool:
        """Whether `point` lies inside the loop, seen in the plane spanned by `u`, `w`."""
        return point_in_polygon(
            np.array([point @ u, point @ w]), np.stack([self.points @ u, self.points @ w], 1)
        )


def plane_basis(normal: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Two unit vectors spanning the plane with this normal."""
    n = normal / np.linalg.norm(normal)
    helper = np.array([0.0, 0.0, 1.0]) if abs(n[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(n, helper)
    u /= np.linalg.norm(u)
    return u, np.cross(n, u)


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
    d = (vertices - origin) @ (normal / np.linalg.norm(normal))
    d = np.where(d == 0.0, 1e-12, d)  # no vertex exactly on the plane: every crossing is an edge
    tri = faces if face_mask is None else faces[face_mask]
    s = d[tri] > 0
    crossing = s.any(axis=1) & ~s.all(axis=1)
    tri = tri[crossing]
    if len(tri) == 0:
        return []
    s = s[crossing]
    # For each crossing triangle, the two edges whose ends are on opposite sides.
    e = np.stack([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]], axis=1)  # (T, 3, 2)
    es = np.stack([s[:, 0] != s[:, 1], s[:, 1] != s[:, 2], s[:, 2] != s[:, 0]], axis=1)
    pairs = e[es].reshape(-1, 2, 2)  # (T, 2 edges, 2 vertices)
    keys = np.sort(pairs, axis=2)
    flat = keys.reshape(-1, 2)
    uniq, inverse = np.unique(flat[:, 0] * (len(vertices) + 1) + flat[:, 1], return_inverse=True)
    seg = inverse.reshape(-1, 2)  # each triangle joins two edge ids
    n_edges = len(uniq)
    # Each edge of a closed surface is shared by two crossing triangles: walk the chain.
    neighbours = np.full((n_edges, 2), -1, dtype=np.int64)
    fill = np.zeros(n_edges, dtype=np.int64)
    for i, j in seg:
        if fill[i] < 2:
            neighbours[i, fill[i]] = j
            fill[i] += 1
        if fill[j] < 2:
            neighbours[j, fill[j]] = i
            fill[j] += 1
    edge_a = uniq // (len(vertices) + 1)
    edge_b = uniq % (len(vertices) + 1)
    visited = np.zeros(n_edges, dtype=bool)
    loops: list[Section] = []
    for start in range(n_edges):
        if visited[start] or fill[start] < 2:
            continue
        order = [start]
        visited[start] = True
        prev, cur = -1, start
        closed = False
        while True:
            nxt = neighbours[cur, 0] if neighbours[cur, 0] != prev else neighbours[cur, 1]
            if nxt < 0 or fill[nxt] < 2:
                break
            if nxt == start:
                closed = True
                break
            if visited[nxt]:
                break
            visited[nxt] = True
            order.append(nxt)
            prev, cur = cur, nxt
        if closed and len(order) >= 3:
            idx = np.array(order)
            a, b = edge_a[idx], edge_b[idx]
            t = d[a] / (d[a] - d[b])
            pts = vertices[a] + t[:, None] * (vertices[b] - vertices[a])
            loops.append(Section(a, b, t, pts))
    return loops


def point_in_polygon(p: FloatArray, poly: FloatArray) -> bool:
    """Even-odd rule for a 2-D point and polygon (N, 2)."""
    x, y = p
    xs, ys = poly[:, 0], poly[:, 1]
    xn, yn = np.roll(xs, -1), np.roll(ys, -1)
    cond = (ys > y) != (yn > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xcross = xs + (y - ys) * (xn - xs) / (yn - ys)
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
