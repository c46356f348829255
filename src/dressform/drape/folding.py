"""Folded bands as one layer: a waistband or neckband is cut double and folded along its
length; the cloth simulation takes the half below the fold (the fold becomes its top edge),
so there is no second layer lying on the first to collide with."""

from __future__ import annotations

from dressform.errors import PatternError
from dressform.garment.curves import Line
from dressform.garment.pattern import Edge, Panel, Pattern


def fold_bands(pattern: Pattern) -> Pattern:
    """The pattern with every band (a panel with a fold line across its whole width)
    replaced by its folded, single-layer half."""
    panels = tuple(_folded(p) if _is_band(p) else p for p in pattern.panels)
    return pattern.model_copy(update={"panels": panels})


def _is_band(panel: Panel) -> bool:
    folds = [i for i in panel.internal if i.kind == "fold"]
    if not folds:
        return False
    x0, _, x1, _ = panel.bounds()
    pts = folds[0].polyline()
    level = abs(pts[0, 1] - pts[-1, 1]) < 1e-6
    return level and abs(abs(pts[-1, 0] - pts[0, 0]) - (x1 - x0)) < 1e-3


def _folded(panel: Panel) -> Panel:
    fold_y = float(next(i for i in panel.internal if i.kind == "fold").polyline()[0, 1])
    edges: list[Edge] = []
    for e in panel.edges:
        if not all(isinstance(c, Line) for c in e.curves) or len(e.curves) != 1:
            raise PatternError([f"band {panel.name!r}: only straight-edged bands can be folded"])
        (x0, y0), (x1, y1) = e.start, e.end
        if y0 > fold_y + 1e-9 and y1 > fold_y + 1e-9:
            continue  # above the fold: the other layer
        if y0 > fold_y or y1 > fold_y:
            t = (fold_y - y0) / (y1 - y0)
            cut = (x0 + t * (x1 - x0), fold_y)
            if y0 > fold_y:  # coming down from above the fold: start on it
                if edges and edges[-1].name != "fold":
                    edges.append(Edge(name="fold", curves=(Line(p0=edges[-1].end, p1=cut),),
                                      seam_allowance_mm=0.0))
                e = e.model_copy(update={"curves": (Line(p0=cut, p1=(x1, y1)),)})
            else:
                e = e.model_copy(update={"curves": (Line(p0=(x0, y0), p1=cut),)})
        edges.append(e)
    if edges[-1].end != edges[0].start:  # the fold closes the outline after the last edge
        edges.append(Edge(name="fold", curves=(Line(p0=edges[-1].end, p1=edges[0].start),),
                          seam_allowance_mm=0.0))
    return panel.model_copy(update={
        "edges": tuple(edges), "internal": (),
        "notches": tuple(n for n in panel.notches if n.edge in {e.name for e in edges}
                         and n.at_mm <= next(e for e in edges if e.name == n.edge).length())})
