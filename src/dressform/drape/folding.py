"""Bands as the cloth simulation takes them: one layer, closed.

A waistband or neckband is cut double and folded along its length; the simulation takes the
half below the fold (the fold becomes its top edge), so there is no second layer lying on
the first to collide with. A waistband cut longer than the edge it is sewn to, for its
fastening, is taken as fastened: its sewn length with its ends joined, the lap that would
lie buttoned over the band's other end left out (a free flap 3 cm long pressed onto the band
under it would only crumple through it while the garment settles). A garment draped over
another (an outfit's outer layer) has its band cut the same way but left open, its ends
not joined (the slit of an unbuttoned band): it once kept the whole lap instead, and over a
tucked T-shirt that flap folded back through the band under it every few steps, so the
skirt never came to rest.
"""

from __future__ import annotations

from dressform.errors import PatternError
from dressform.garment.blocks.common import band_panel, seam
from dressform.garment.curves import Line
from dressform.garment.pattern import Edge, EdgeRef, Panel, Pattern


def fold_bands(pattern: Pattern, fasten: bool = True) -> Pattern:
    """The pattern with every band (a panel with a fold line across its whole width)
    cut to its sewn length (`fasten_bands`), its ends joined if `fasten`, and replaced by its
    folded, single-layer half."""
    pattern = fasten_bands(pattern, join=fasten)
    panels = tuple(_folded(p) if is_band(p) else p for p in pattern.panels)
    return pattern.model_copy(update={"panels": panels})


def fasten_bands(pattern: Pattern, join: bool = True) -> Pattern:
    """The pattern with every band sewn from its start along only part of its seam edge (a
    waistband's overlap) cut to the sewn part, its two ends sewn to each other if `join`."""
    panels, stitches = list(pattern.panels), list(pattern.stitches)
    for k, panel in enumerate(panels):
        names = {e.name for e in panel.edges}
        if not is_band(panel) or not {"seam", "end_a", "end_b"} <= names:
            continue
        refs = [r for st in stitches for r in (st.a, st.b)
                if r.panel == panel.name and r.edge == "seam"]
        closed = any({st.a.panel, st.b.panel} == {panel.name} for st in stitches)
        if closed or not refs or min(r.start for r in refs) > 1e-6:
            continue
        sewn = max(r.end for r in refs)
        if sewn > 1.0 - 1e-6:
            continue
        x0, y0, x1, y1 = panel.bounds()
        length = (x1 - x0) * sewn
        band = band_panel(panel.name, length, (y1 - y0) / 2.0, panel.placement.region
                          if panel.placement else "waist")
        panels[k] = band.model_copy(update={
            "placement": panel.placement, "fabric": panel.fabric,
            "notches": tuple(n for n in panel.notches
                             if n.edge != "seam" or n.at_mm <= length)})

        def cut(ref: EdgeRef, name: str = panel.name, sewn: float = sewn) -> EdgeRef:
            if ref.panel != name or ref.edge != "seam":
                return ref
            return ref.model_copy(update={"start": ref.start / sewn,
                                          "end": min(1.0, ref.end / sewn)})

        stitches = [st.model_copy(update={"a": cut(st.a), "b": cut(st.b)}) for st in stitches]
        if join:
            stitches.append(seam(panel.name, "end_a", panel.name, "end_b"))
    return pattern.model_copy(update={"panels": tuple(panels), "stitches": tuple(stitches)})


def is_band(panel: Panel) -> bool:
    """Whether `panel` is a band: cut double, with a fold line across its whole width."""
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
