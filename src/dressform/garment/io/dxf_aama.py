"""DXF-AAMA (ASTM D6673) export and import — the format CLO3D, Gerber, Lectra and Optitex
exchange — with ezdxf.

Each panel is a BLOCK, inserted once in model space, holding the AAMA layers:
1 cut line (boundary), 14 sewing line, 2 turn points (where one edge ends and the next
begins), 4 notches (POINTs on the sewing line: slit length as z, direction as the angle, as
Valentina/Seamly2D write them), 7 grain line, 8 internal lines,
and TEXT lines "Piece Name:", "Size:", "Quantity:", "Category:" (body region/side). Edge names
and seam allowances, which AAMA has no field for, ride on layer-15 annotation text at each
edge's middle ("Edge: side_l; Seam allowance: 10"); readers that do not know them ignore
them. Stitches are not part of the format: an imported pattern has none.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import ezdxf
import numpy as np
from ezdxf.lldxf.const import DXFError

from dressform.errors import ExportError
from dressform.garment.curves import Line, Polyline, point_at_length
from dressform.garment.pattern import (
    Edge,
    Fabric,
    InternalLine,
    Notch,
    Panel,
    Pattern,
    Placement,
)
from dressform.garment.quantities import cut_outline

#: AAMA layers (ASTM D6673-04, table 1).
BOUNDARY, TURN, NOTCH, GRAIN, INTERNAL, SEW, ANNOTATION = "1", "2", "4", "7", "8", "14", "15"
TEXT_MM = 5.0


def export_dxf(pattern: Pattern, path: str | Path) -> Path:
    """Write the pattern as an AAMA DXF (R12, millimetres)."""
    quiet = logging.getLogger("ezdxf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # R12 has no units header; "Units: METRIC" below says mm
    try:
        doc = ezdxf.new("R12")
    finally:
        quiet.setLevel(level)
    msp = doc.modelspace()
    msp.add_text(f"Style Name: {pattern.name}", height=TEXT_MM, dxfattribs={"layer": "1"})
    msp.add_text("Units: METRIC", height=TEXT_MM,
                 dxfattribs={"layer": "1", "insert": (0.0, -2 * TEXT_MM)})
    for k, panel in enumerate(pattern.panels):
        block = doc.blocks.new(name=_block_name(panel.name, k))
        _write_panel(block, panel, pattern.size)
        msp.add_blockref(block.name, (0.0, 0.0))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        doc.saveas(out)
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e}") from None
    return out


def _block_name(name: str, k: int) -> str:
    return f"P{k}_" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _write_panel(block, panel: Panel, size: str) -> None:
    def text(s: str, at, layer: str = BOUNDARY) -> None:
        block.add_text(s, height=TEXT_MM, dxfattribs={"layer": layer, "insert": tuple(at)})

    x0, y0, x1, y1 = panel.bounds()
    placement = panel.placement
    lines = [f"Piece Name: {panel.name}", f"Size: {size}", "Quantity: 1",
             f"Category: {placement.region}/{placement.side}" if placement else "Category:",
             f"Material: {panel.fabric}"]
    for i, s in enumerate(lines):
        text(s, ((x0 + x1) / 2, (y0 + y1) / 2 - i * 2 * TEXT_MM))
    cut = np.asarray(cut_outline(panel).exterior.coords)[:-1]
    block.add_polyline2d([tuple(p) for p in cut], close=True, dxfattribs={"layer": BOUNDARY})
    block.add_polyline2d([tuple(p) for p in panel.outline], close=True, dxfattribs={"layer": SEW})
    for edge in panel.edges:
        block.add_point(edge.start, dxfattribs={"layer": TURN})
        pts = edge.polyline()
        mid, _ = point_at_length(pts, edge.length() / 2)
        text(f"Edge: {edge.name}; Seam allowance: {edge.seam_allowance_mm:g}", mid, ANNOTATION)
    for notch in panel.notches:
        edge = panel.edge(notch.edge)
        p, t = point_at_length(edge.polyline(), notch.at_mm)
        # AAMA's notch: a POINT on the sewing line, its slit length as z and its direction
        # (out through the seam allowance) as the angle.
        out = np.degrees(np.arctan2(-t[0], t[1]))
        block.add_point((float(p[0]), float(p[1]), max(edge.seam_allowance_mm, 5.0)),
                        dxfattribs={"layer": NOTCH, "angle": float(out)})
    if panel.grain is not None:
        block.add_line(panel.grain[0], panel.grain[1], dxfattribs={"layer": GRAIN})
    for line in panel.internal:
        pts = line.polyline()
        closed = line.kind == "dart"
        block.add_polyline2d([tuple(p) for p in (pts[:-1] if closed else pts)], close=closed,
                             dxfattribs={"layer": INTERNAL})
        text(f"Internal: {line.kind}", pts[0], ANNOTATION)


def import_dxf(path: str | Path) -> Pattern:
    """Read an AAMA DXF: one panel per piece block (sewing line, or the cut line when a piece
    has none), its grain line, notches, internal lines and name."""
    p = Path(path)
    try:
        doc = ezdxf.readfile(p)
    except (OSError, DXFError) as e:
        raise ExportError(f"cannot read {p} as DXF: {e}") from None
    msp = doc.modelspace()
    style = p.stem
    size = ""
    for e in msp.query("TEXT"):
        if e.dxf.text.startswith("Style Name:"):
            style = e.dxf.text.split(":", 1)[1].strip() or style
    panels = []
    for ref in msp.query("INSERT"):
        block = doc.blocks.get(ref.dxf.name)
        if block is None:
            continue
        panel, piece_size = _read_piece(block, ref.dxf.name)
        if panel is not None:
            panels.append(panel)
            size = size or piece_size
    if not panels:
        raise ExportError(f"{p}: no pattern pieces (AAMA blocks with a boundary) found")
    # AAMA names each piece's material but describes none: widths and weights are defaults.
    fabrics = tuple(Fabric(name=n) for n in dict.fromkeys(p.fabric for p in panels))
    return Pattern(name=style, panels=tuple(panels), size=size, fabrics=fabrics)


def _read_piece(block, block_name: str) -> tuple[Panel | None, str]:
    texts = {layer: [] for layer in (BOUNDARY, ANNOTATION)}
    fields: dict[str, str] = {}
    outlines: dict[str, np.ndarray] = {}
    turns, notches, internal = [], [], []
    grain = None
    for e in block:
        kind, layer = e.dxftype(), e.dxf.layer
        if kind == "TEXT":
            s = e.dxf.text
            if ":" in s and layer != ANNOTATION:
                key, value = s.split(":", 1)
                fields[key.strip().lower()] = value.strip()
            texts.setdefault(layer, []).append((s, _xy(e.dxf.insert)))
        elif kind in ("POLYLINE", "LWPOLYLINE"):
            pts = np.array([_xy(v) for v in e.points()] if kind == "POLYLINE"
                           else list(e.get_points("xy")), dtype=float)
            if layer in (BOUNDARY, SEW):
                outlines[layer] = pts
            elif layer == INTERNAL:
                internal.append((pts, bool(e.is_closed)))
        elif kind == "POINT" and layer == TURN:
            turns.append(_xy(e.dxf.location))
        elif kind == "POINT" and layer == NOTCH:
            notches.append(_xy(e.dxf.location))
        elif kind == "LINE" and layer == NOTCH:  # some writers draw the slit as a line
            notches.append(_xy(e.dxf.start))
        elif kind == "LINE" and layer == GRAIN:
            grain = (tuple(_xy(e.dxf.start)), tuple(_xy(e.dxf.end)))
    outline = outlines.get(SEW, outlines.get(BOUNDARY))
    if outline is None:
        return None, ""
    edges = _split_edges(outline, turns, texts[ANNOTATION],
                         default_allowance=0.0 if SEW not in outlines else 10.0)
    panel_notches = tuple(n for n in (_notch_on(edges, q) for q in notches) if n is not None)
    kinds = [s.split(":", 1)[1].strip() for s, _ in texts[ANNOTATION] if s.startswith("Internal:")]
    lines = tuple(InternalLine(kind=(kinds[i] if i < len(kinds) else "line"),  # type: ignore[arg-type]
                               curves=(Polyline(points=tuple(map(tuple, np.vstack([pts, pts[:1]])
                                                                 if closed else pts))),))
                  for i, (pts, closed) in enumerate(internal))
    region, _, side = fields.get("category", "").partition("/")
    placement = (Placement(region=region, side=side) if region and side in
                 ("front", "back", "left", "right", "centre") else None)
    name = fields.get("piece name") or block_name
    return Panel(name=name, edges=edges, notches=panel_notches, internal=lines, grain=grain,
                 placement=placement, fabric=fields.get("material") or "main"), \
        fields.get("size", "")


def _split_edges(outline: np.ndarray, turns: list[np.ndarray], notes: list,
                 default_allowance: float) -> tuple[Edge, ...]:
    """The closed outline cut at its turn points into edges, named by the nearest edge note."""
    n = len(outline)
    cuts = sorted({int(np.argmin(np.linalg.norm(outline - t, axis=1))) for t in turns}) or [0]
    labels = [(s, at) for s, at in notes if s.startswith("Edge:")]
    edges = []
    for k, start in enumerate(cuts):
        stop = cuts[(k + 1) % len(cuts)]
        idx = list(range(start, stop + 1)) if stop > start else \
            list(range(start, n)) + list(range(0, stop + 1))
        pts = outline[idx]
        name, allowance = f"edge{k + 1}", default_allowance
        if labels:
            length = float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())
            mid, _ = point_at_length(pts, length / 2)
            s, at = min(labels, key=lambda lab: float(np.linalg.norm(lab[1] - mid)))
            if np.linalg.norm(at - mid) < 1.0:
                name, allowance = _edge_note(s, name, allowance)
        curve = Line(p0=tuple(pts[0]), p1=tuple(pts[1])) if len(pts) == 2 else \
            Polyline(points=tuple(map(tuple, pts)))
        edges.append(Edge(name=name, curves=(curve,), seam_allowance_mm=allowance))
    return tuple(edges)


def _edge_note(s: str, name: str, allowance: float) -> tuple[str, float]:
    m = re.match(r"Edge:\s*(.+?);\s*Seam allowance:\s*([0-9.]+)", s)
    return (m.group(1), float(m.group(2))) if m else (name, allowance)


def _notch_on(edges: tuple[Edge, ...], q: np.ndarray) -> Notch | None:
    """The notch at point q: the edge it lies on and how far along (mm)."""
    best = None
    for edge in edges:
        pts = edge.polyline()
        seg = np.diff(pts, axis=0)
        lens = np.linalg.norm(seg, axis=1)
        t = np.clip(np.einsum("ij,ij->i", q - pts[:-1], seg) / np.maximum(lens**2, 1e-12), 0, 1)
        proj = pts[:-1] + t[:, None] * seg
        d = np.linalg.norm(proj - q, axis=1)
        i = int(np.argmin(d))
        at = float(np.concatenate([[0.0], np.cumsum(lens)])[i] + t[i] * lens[i])
        if best is None or d[i] < best[0]:
            best = (float(d[i]), edge.name, at)
    if best is None or best[0] > 0.5:
        return None
    return Notch(edge=best[1], at_mm=best[2])


def _xy(v) -> np.ndarray:
    return np.array([float(v[0]), float(v[1])])
