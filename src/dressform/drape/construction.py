"""Where a garment's sewing shows on its cloth: hems, seams and bands, face corner by face
corner, from the pattern's own edges, stitches and allowances.

A draped garment's mesh welds the two sides of every seam into one vertex, so per-vertex
values cannot say which panel a point belongs to. Each face corner, though, is a pattern
vertex of its own panel (`ClothMesh.faces_uv`), so this module gives the renderer, per
corner: the flat pattern coordinate (turned so that its second axis runs along the panel's
grain), the distance to the nearest hem (a free edge, with that edge's allowance) and to the
nearest seam, and how far along each it lies. Distances to a straight edge are linear in
the pattern plane, so the renderer interpolating them across a triangle draws a stitch row
at an exact distance from the edge however coarse the mesh is. A pattern change moves every
line with it, since nothing here is drawn by hand.

Example::

    from dressform.drape.construction import construction

    sewn = construction(pattern, spacing_mm=20.0)
    sewn.hem_distance.shape  # (faces, 3), metres
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from dressform.drape.cloth_mesh import mesh_pattern
from dressform.drape.folding import fold_bands, is_band
from dressform.garment.pattern import Panel, Pattern, sub_polyline

#: A point further than this (m) from every line of a kind is "nowhere near one".
FAR_M = 1.0


@dataclass(frozen=True, eq=False)
class Construction:
    """A garment's sewing per face corner of its cloth mesh ((F, 3) arrays, metres).

    corners: (F, 3) the pattern vertex at each face corner (`ClothMesh.faces_uv`).
    vertex_uv: (P, 2) each pattern vertex's flat coordinate, its second axis along its
    panel's grain; vertex_panel: (P,) its panel, an index into `panel_names`.
    hem_distance, hem_allowance, hem_along: the nearest free edge (a hem, a neckline, a
    band's fold): how far off, its turned allowance (0 for a fold), how far along it.
    seam_distance, seam_along: the nearest stitched edge: how far off, how far along it.
    seam_first: 1 where that seam is the first side of its stitch (a flat-felled seam's
    topstitching shows on one side), else 0.
    band: (F,) True on a folded band (a waistband, a neckband or a cuff).
    seams: (S, 2) pattern vertices sewn together, seam_stitch: (S,) their stitch;
    stitch_names: each stitch as "panel.edge / panel.edge"; stitch_matched: whether the
    pattern asks for a print to be matched across it (`Stitch.match`).
    """

    corners: np.ndarray
    vertex_uv: np.ndarray
    vertex_panel: np.ndarray
    panel_names: tuple[str, ...]
    hem_distance: np.ndarray
    hem_allowance: np.ndarray
    hem_along: np.ndarray
    seam_distance: np.ndarray
    seam_along: np.ndarray
    seam_first: np.ndarray
    band: np.ndarray
    seams: np.ndarray
    seam_stitch: np.ndarray
    stitch_names: tuple[str, ...]
    stitch_matched: tuple[bool, ...]

    @property
    def corner_uv(self) -> np.ndarray:
        """(F, 3, 2) the flat coordinate at each face corner, along its panel's grain."""
        return self.vertex_uv[self.corners]


@dataclass(frozen=True)
class _Line:
    panel: str
    points_mm: np.ndarray
    allowance_mm: float = 0.0
    first: bool = True


def construction(pattern: Pattern, spacing_mm: float, fasten: bool = True) -> Construction:
    """The sewing of `pattern` meshed at `spacing_mm` as the drape meshes it (bands folded,
    fastened if `fasten`: `dressform.drape.folding`), per face corner of that mesh."""
    bands = {p.name for p in pattern.panels if is_band(p)}
    folded = fold_bands(pattern, fasten=fasten)
    cloth = mesh_pattern(folded, spacing_mm)
    hems, seams = _lines(folded)
    n = len(cloth.uv)
    per_vertex = {key: np.full(n, FAR_M if key.endswith("distance") else 0.0)
                  for key in ("hem_distance", "hem_allowance", "hem_along", "seam_distance",
                              "seam_along", "seam_first")}
    uv = np.asarray(cloth.uv, dtype=np.float64).copy()
    for k, panel in enumerate(folded.panels):
        at = np.flatnonzero(cloth.panel == k)
        points = shapely.points(uv[at] * 1000.0)
        for kind, lines in (("hem", hems), ("seam", seams)):
            own = [line for line in lines if line.panel == panel.name]
            if not own:
                continue
            shapes = np.array([shapely.LineString(line.points_mm) for line in own])
            d = shapely.distance(points[:, None], shapes[None, :])
            nearest = d.argmin(axis=1)
            per_vertex[f"{kind}_distance"][at] = d[np.arange(len(at)), nearest] / 1000.0
            per_vertex[f"{kind}_along"][at] = shapely.line_locate_point(
                shapes[nearest], points) / 1000.0
            if kind == "hem":
                per_vertex["hem_allowance"][at] = [own[j].allowance_mm / 1000.0
                                                   for j in nearest]
            else:
                per_vertex["seam_first"][at] = [float(own[j].first) for j in nearest]
        uv[at] = _along_grain(uv[at], panel)
    corners = cloth.faces_uv
    band_ids = [k for k, p in enumerate(folded.panels) if p.name in bands]
    return Construction(
        corners=corners, vertex_uv=uv, vertex_panel=cloth.panel, panel_names=cloth.panel_names,
        **{key: value[corners] for key, value in per_vertex.items()},
        band=np.isin(cloth.panel[corners[:, 0]], band_ids), seams=cloth.seams,
        seam_stitch=cloth.seam_stitch,
        stitch_names=tuple(f"{st.a.panel}.{st.a.edge} / {st.b.panel}.{st.b.edge}"
                           for st in folded.stitches),
        stitch_matched=tuple(st.match for st in folded.stitches))


def _lines(pattern: Pattern) -> tuple[list[_Line], list[_Line]]:
    """The free edges (hems, with their allowances) and the stitched edges of every panel."""
    sewn: dict[tuple[str, str], list[tuple[float, float, bool]]] = {}
    for st in pattern.stitches:
        for ref, first in ((st.a, True), (st.b, False)):
            sewn.setdefault((ref.panel, ref.edge), []).append((ref.start, ref.end, first))
    hems: list[_Line] = []
    seams: list[_Line] = []
    for panel in pattern.panels:
        for edge in panel.edges:
            pts = edge.polyline()
            spans = sorted(sewn.get((panel.name, edge.name), []))
            seams += [_Line(panel.name, sub_polyline(pts, a, b), first=first)
                      for a, b, first in spans if b - a > 1e-6]
            at = 0.0
            for a, b, _ in [*spans, (1.0, 1.0, True)]:
                if a - at > 1e-6:
                    hems.append(_Line(panel.name, sub_polyline(pts, at, a),
                                      edge.seam_allowance_mm))
                at = max(at, b)
    return hems, seams


def _along_grain(uv: np.ndarray, panel: Panel) -> np.ndarray:
    """Pattern coordinates turned so that the second axis runs along the panel's grain
    line (unchanged for a panel without one: drafted with its grain upright)."""
    if panel.grain is None:
        return uv
    (x0, y0), (x1, y1) = panel.grain
    turn = math.pi / 2.0 - math.atan2(y1 - y0, x1 - x0)
    if abs(turn) < 1e-9:
        return uv
    c, s = math.cos(turn), math.sin(turn)
    return uv @ np.array([[c, s], [-s, c]])
