"""Panels to cloth: a quality triangle mesh per panel at a chosen particle spacing, the two
sides of every seam sampled with the same number of vertices, and the seams fused so the
garment is one surface.

Each mesh vertex keeps its 2-D pattern coordinate (the cloth's rest shape, UVs, strain), so
a 3-D vertex on a seam stands for one pattern vertex on each side; faces keep pointing at
their own panel's coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.spatial import Delaunay
from shapely.geometry import Polygon

from dressform.errors import PatternError
from dressform.garment.curves import point_at_length
from dressform.garment.pattern import Pattern, sub_polyline
from dressform.garment.validate import check

DEFAULT_SPACING_MM = 12.0


@dataclass(frozen=True)
class ClothMesh:
    """A garment's cloth before it is placed: pattern vertices, faces and seams.

    uv: (P, 2) pattern coordinates in metres, one row per pattern vertex.
    faces_uv: (F, 3) triangles into `uv`, counter-clockwise in the pattern plane.
    panel: (P,) index into `panel_names` of each pattern vertex.
    weld: (P,) the 3-D vertex each pattern vertex becomes (seam partners share one).
    seams: (S, 2) pattern-vertex pairs joined by stitches.
    boundary: (P,) True on a panel's outline.
    seam_stitch: (S,) the index of the pattern's stitch each seam pair belongs to.
    """

    uv: np.ndarray
    faces_uv: np.ndarray
    panel: np.ndarray
    weld: np.ndarray
    seams: np.ndarray
    boundary: np.ndarray
    panel_names: tuple[str, ...]
    spacing_m: float
    seam_stitch: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def vertex_count(self) -> int:
        return int(self.weld.max()) + 1

    @property
    def faces(self) -> np.ndarray:
        """(F, 3) triangles into the fused 3-D vertices."""
        return self.weld[self.faces_uv]

    def representative(self) -> np.ndarray:
        """(V,) one pattern vertex per 3-D vertex (the first that welds to it)."""
        rep = np.full(self.vertex_count, -1, dtype=np.int64)
        order = np.arange(len(self.weld))[::-1]
        rep[self.weld[order]] = order
        return rep


def mesh_pattern(pattern: Pattern, spacing_mm: float = DEFAULT_SPACING_MM) -> ClothMesh:
    """Mesh every panel at `spacing_mm` and fuse the seams (the pattern must be sewable)."""
    if not 2.0 <= spacing_mm <= 100.0:
        raise PatternError([f"particle spacing {spacing_mm:g} mm is outside 2–100 mm"])
    check(pattern)
    h = float(spacing_mm)
    # Seam sampling first: both sides of a stitch get the same number of segments.
    breaks: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for st in pattern.stitches:
        la = _length(pattern.ref_polyline(st.a))
        lb = _length(pattern.ref_polyline(st.b))
        n = max(2, round(0.5 * (la + lb) / h))
        for ref in (st.a, st.b):
            breaks.setdefault((ref.panel, ref.edge), []).append((ref.start, ref.end, n))
    uv_parts, face_parts, panel_ids, boundary_parts = [], [], [], []
    ref_vertices: dict[tuple[str, str, float, float], np.ndarray] = {}
    offset = 0
    for k, panel in enumerate(pattern.panels):
        ring: list[np.ndarray] = []
        spans_at: list[tuple[str, float, float, int, int]] = []
        for edge in panel.edges:
            pts = edge.polyline(0.05)
            length = _length(pts)
            spans = _spans(breaks.get((panel.name, edge.name), []), length, h)
            for f0, f1, n in spans:
                part = sub_polyline(pts, f0, f1)
                seg = _resample(part, n)
                start = sum(len(r) for r in ring)
                ring.append(seg[:-1])
                spans_at.append((edge.name, f0, f1, start, n))
        outline = np.vstack(ring)
        count = len(outline)
        for name, f0, f1, start, n in spans_at:
            idx = (start + np.arange(n + 1)) % count
            ref_vertices[(panel.name, name, round(f0, 9), round(f1, 9))] = idx + offset
        pts, faces = _fill(outline, h, panel.name)
        uv_parts.append(pts / 1000.0)
        face_parts.append(faces + offset)
        panel_ids.append(np.full(len(pts), k))
        boundary_parts.append(np.arange(len(pts)) < count)
        offset += len(pts)
    pairs = []
    for st in pattern.stitches:
        a = ref_vertices[(st.a.panel, st.a.edge, round(st.a.start, 9), round(st.a.end, 9))]
        b = ref_vertices[(st.b.panel, st.b.edge, round(st.b.start, 9), round(st.b.end, 9))]
        pairs.append(np.stack([a, b[::-1] if st.reversed else b], axis=1))
    seams = np.vstack(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)
    weld = _weld(offset, seams)
    stitch_of = np.concatenate([np.full(len(p), k) for k, p in enumerate(pairs)]
                               or [np.zeros(0, dtype=np.int64)])
    return ClothMesh(np.vstack(uv_parts), np.vstack(face_parts), np.concatenate(panel_ids),
                     weld, seams, np.concatenate(boundary_parts),
                     tuple(p.name for p in pattern.panels), h / 1000.0, stitch_of)


def mesh_piece(outline_mm: np.ndarray, spacing_mm: float, name: str = "piece") -> ClothMesh:
    """One loose piece of cloth (no seams) inside a closed outline (mm, counter-clockwise),
    its boundary resampled at the spacing: a test specimen, say."""
    outline_mm = np.asarray(outline_mm, dtype=float)
    closed = np.vstack([outline_mm, outline_mm[:1]])
    ring = _resample(closed, max(3, math.ceil(_length(closed) / spacing_mm)))[:-1]
    pts, faces = _fill(ring, float(spacing_mm), name)
    n = len(pts)
    return ClothMesh(pts / 1000.0, faces, np.zeros(n, dtype=np.int64), np.arange(n),
                     np.zeros((0, 2), dtype=np.int64), np.arange(n) < len(ring), (name,),
                     spacing_mm / 1000.0)


def _fill(outline: np.ndarray, h: float, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The outline's points and an interior lattice, triangulated (points, faces)."""
    pts = np.vstack([outline, _interior_points(outline, h)])
    return pts, _triangulate(pts, outline, name)


def _length(p: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())


def _spans(stitched: list[tuple[float, float, int]], length: float, h: float
           ) -> list[tuple[float, float, int]]:
    """The edge cut into spans: stitched parts with their shared segment counts, free parts
    at the spacing."""
    out, at = [], 0.0
    for f0, f1, n in sorted(stitched):
        if f0 > at + 1e-9:
            out.append((at, f0, max(1, math.ceil((f0 - at) * length / h))))
        out.append((f0, f1, n))
        at = f1
    if at < 1.0 - 1e-9:
        out.append((at, 1.0, max(1, math.ceil((1.0 - at) * length / h))))
    return out


def _resample(p: np.ndarray, n: int) -> np.ndarray:
    """n + 1 points evenly spaced along a polyline (its ends included)."""
    length = _length(p)
    return np.array([point_at_length(p, s)[0] for s in np.linspace(0.0, length, n + 1)])


def _interior_points(outline: np.ndarray, h: float) -> np.ndarray:
    """A triangular lattice at spacing h inside the outline, kept 0.6 h from it."""
    x0, y0 = outline.min(axis=0)
    x1, y1 = outline.max(axis=0)
    dy = h * math.sqrt(3.0) / 2.0
    rows = np.arange(y0 + dy / 2, y1, dy)
    pts = [np.stack([np.arange(x0 + (i % 2) * h / 2, x1, h), np.full(
        len(np.arange(x0 + (i % 2) * h / 2, x1, h)), y)], axis=1) for i, y in enumerate(rows)]
    if not pts:
        return np.zeros((0, 2))
    cand = np.vstack(pts)
    poly = Polygon(outline)
    inside = shapely.contains_xy(poly, cand[:, 0], cand[:, 1])
    cand = cand[inside]
    far = shapely.distance(poly.exterior, shapely.points(cand)) > 0.6 * h
    return cand[far]


def _triangulate(pts: np.ndarray, outline: np.ndarray, name: str) -> np.ndarray:
    """Delaunay of the points, triangles outside the outline dropped; every outline segment
    must come out as a mesh edge (a closed, conforming boundary)."""
    tri = Delaunay(pts).simplices
    centroids = pts[tri].mean(axis=1)
    poly = Polygon(outline)
    tri = tri[shapely.contains_xy(poly, centroids[:, 0], centroids[:, 1])]
    area = triangle_areas(pts, tri)
    tri = tri[np.abs(area) > 1e-9]
    area = area[np.abs(area) > 1e-9]
    tri[area < 0] = tri[area < 0][:, [0, 2, 1]]
    n = len(outline)
    edges = {tuple(sorted(e)) for t in tri for e in ((t[0], t[1]), (t[1], t[2]), (t[2], t[0]))}
    missing = [i for i in range(n) if tuple(sorted((i, (i + 1) % n))) not in edges]
    if missing:
        raise PatternError([f"panel {name!r} could not be meshed along its outline "
                            f"({len(missing)} gaps); try a finer particle spacing"])
    return tri


def rest_inverse(uv: np.ndarray, faces_uv: np.ndarray) -> np.ndarray:
    """(F, 2, 2) inverse of each triangle's edge matrix [p1 − p0, p2 − p0] in the pattern:
    multiplied into 3-D edges it gives the deformation gradient against the flat cloth."""
    (a, c), (b, d) = (uv[faces_uv[:, 1]] - uv[faces_uv[:, 0]]).T, \
        (uv[faces_uv[:, 2]] - uv[faces_uv[:, 0]]).T
    # In closed form: LAPACK's batched inverse, one call per 2 × 2 matrix, took seconds for a
    # T-shirt whenever BLAS threads were busy elsewhere.
    det = a * d - b * c
    return np.stack([np.stack([d, -b], axis=-1), np.stack([-c, a], axis=-1)],
                    axis=1) / det[:, None, None]


def triangle_strain(cloth: ClothMesh, positions: np.ndarray) -> np.ndarray:
    """(F, 3) strain of each triangle against its flat pattern shape: weft and warp
    (engineering strain, + = stretched, along the pattern's x and y) and shear (radians by
    which the weft and warp directions have turned from a right angle)."""
    x = positions[cloth.faces]
    ds = np.stack([x[:, 1] - x[:, 0], x[:, 2] - x[:, 0]], axis=-1)  # (F, 3, 2)
    grad = ds @ rest_inverse(cloth.uv, cloth.faces_uv)  # d position / d weft, / d warp
    weft, warp = np.linalg.norm(grad[:, :, 0], axis=1), np.linalg.norm(grad[:, :, 1], axis=1)
    cos = (grad[:, :, 0] * grad[:, :, 1]).sum(axis=1) / np.maximum(weft * warp, 1e-12)
    return np.stack([weft - 1.0, warp - 1.0, np.pi / 2 - np.arccos(np.clip(cos, -1, 1))],
                    axis=1)


def triangle_areas(pts: np.ndarray, tri: np.ndarray) -> np.ndarray:
    """Signed areas of 2-D triangles (positive when counter-clockwise)."""
    a, b, c = pts[tri[:, 0]], pts[tri[:, 1]], pts[tri[:, 2]]
    return 0.5 * ((b - a)[:, 0] * (c - a)[:, 1] - (b - a)[:, 1] * (c - a)[:, 0])


def _weld(count: int, pairs: np.ndarray) -> np.ndarray:
    """Union-find over seam pairs: the fused 3-D vertex of each pattern vertex."""
    parent = np.arange(count)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([root(i) for i in range(count)])
    _, weld = np.unique(roots, return_inverse=True)
    return weld
