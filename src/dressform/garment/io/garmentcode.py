"""GarmentCode's JSON pattern specification (pygarment), in and out, so that patterns from the
GarmentCode / GarmentCodeData corpus can be draped here and ours can go there.

The format: ``{"pattern": {"panels": {name: panel}, "stitches": [[{"panel", "edge"},
{"panel", "edge"}], ...]}, "properties": {"units_in_meter", "curvature_coords"...}}``. A panel
has 2-D ``vertices``, ``edges`` (``endpoints`` indices into them, an optional ``label`` and
``curvature``: ``quadratic`` or ``cubic`` control points, in "relative" coordinates — along
the edge and across it to the left, both as fractions of the edge — or ``circle`` as
[radius, large_arc, right]), and a 3-D ``translation`` and XYZ Euler ``rotation`` (degrees)
that place it around the body (y up, z to the front). Loops run counter-clockwise.

A GarmentCode stitch joins two whole edges; ours may join parts of edges, so on export edges
are cut where a seam changes partner, and each of our seams becomes one stitch per piece.
Edge labels carry our edge names, so the names survive a round trip.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from dressform.errors import InvalidInputError
from dressform.garment.curves import Arc, Cubic, Curve, Line, Polyline, Quadratic, split_path
from dressform.garment.pattern import Edge, EdgeRef, Panel, Pattern, Placement, Stitch

MM_PER_CM = 10.0
#: Length difference (fraction of the longer edge) taken as ease in a foreign GarmentCode seam.
IMPLICIT_EASE = 0.05


# --- export ------------------------------------------------------------------------------
def to_garmentcode(pattern: Pattern) -> dict:
    """The pattern as a GarmentCode specification (centimetres, relative curvature)."""
    cuts = _cut_fractions(pattern)
    panels: dict[str, dict] = {}
    index: dict[tuple[str, str], list[tuple[float, float, int, int]]] = {}
    gc_lengths: dict[tuple[str, int], float] = {}
    for panel in pattern.panels:
        verts: list[tuple[float, float]] = []
        edges: list[dict] = []
        for edge in panel.edges:
            pieces = split_path(edge.curves, sorted(cuts[(panel.name, edge.name)]))
            total = edge.length()
            at = 0.0
            spans = []
            for piece in pieces:
                first = len(edges)
                for curve in piece:
                    for c in _gc_curves(curve):
                        gc_lengths[(panel.name, len(edges))] = c.length()
                        verts.append(c.start)
                        edges.append({"label": edge.name, **_curvature(c)})
                length = sum(c.length() for c in piece)
                spans.append((at / total, (at + length) / total, first, len(edges)))
                at += length
            index[(panel.name, edge.name)] = spans
        n = len(verts)
        for k, e in enumerate(edges):
            e["endpoints"] = [k, (k + 1) % n]
        placement = panel.placement or Placement(region="torso", side="front")
        panels[panel.name] = {
            "translation": _to_gc_3d(placement.translation_mm),
            "rotation": list(placement.rotation_deg),
            "vertices": [[x / MM_PER_CM, y / MM_PER_CM] for x, y in verts],
            "edges": [{"endpoints": e.pop("endpoints"), **e} for e in edges],
        }
    stitches = []
    for st in pattern.stitches:
        a = _gc_edges(index[(st.a.panel, st.a.edge)], st.a)
        b = _gc_edges(index[(st.b.panel, st.b.edge)], st.b)
        if st.reversed:
            b = b[::-1]
        # GarmentCode stitches have no ease: ours rides along as extra keys (readers that do
        # not know them ignore them), each piece's own share of the seam's ease.
        for ea, eb in zip(a, b, strict=False):
            first: dict = {"panel": st.a.panel, "edge": ea}
            if st.ease_mm:
                diff = abs(gc_lengths[(st.a.panel, ea)] - gc_lengths[(st.b.panel, eb)])
                first["ease_mm"] = round(min(st.ease_mm, diff) + 0.5, 2)
            if st.gather > 1:
                first["gather"] = st.gather
            pair: list = [first, {"panel": st.b.panel, "edge": eb}]
            if not st.reversed:
                pair.append("right_wrong")  # GarmentCode's start-to-start seam
            stitches.append(pair)
    return {
        "pattern": {"panels": panels, "stitches": stitches,
                    "panel_order": [p.name for p in pattern.panels]},
        "parameters": {}, "parameter_order": [],
        "properties": {"curvature_coords": "relative", "normalize_panel_translation": False,
                       "normalized_edge_loops": True, "units_in_meter": 100},
    }


def _cut_fractions(pattern: Pattern) -> dict[tuple[str, str], set[float]]:
    """Where each edge must be cut so that every seam joins whole GarmentCode edges: the ends
    of partial seams, and each side's curve joints carried over to the other side."""
    cuts: dict[tuple[str, str], set[float]] = defaultdict(set)

    def joints(ref: EdgeRef) -> list[float]:
        edge = pattern.panel(ref.panel).edge(ref.edge)
        lengths = np.cumsum([c.length() for c in edge.curves])
        return [float(x) for x in lengths[:-1] / lengths[-1] if ref.start < x < ref.end]

    for st in pattern.stitches:
        for ref in (st.a, st.b):
            cuts[(ref.panel, ref.edge)].update({ref.start, ref.end})
        for src, dst in ((st.a, st.b), (st.b, st.a)):
            for f in joints(src):
                u = (f - src.start) / (src.end - src.start)
                u = 1.0 - u if st.reversed else u
                cuts[(dst.panel, dst.edge)].add(dst.start + u * (dst.end - dst.start))
    return cuts


def _gc_edges(spans: list[tuple[float, float, int, int]], ref: EdgeRef) -> list[int]:
    """GarmentCode edge indices covering the referenced part of an edge, in order."""
    out: list[int] = []
    for f0, f1, first, stop in spans:
        if ref.start < (f0 + f1) / 2 < ref.end:  # pieces never straddle a seam's ends
            out += list(range(first, stop))
    return out


def _gc_curves(curve: Curve) -> list[Curve]:
    """GarmentCode has no polylines: one straight edge per segment."""
    if isinstance(curve, Polyline):
        p = curve.points
        return [Line(p0=a, p1=b) for a, b in itertools.pairwise(p)]
    return [curve]


def _rel(p0, p1, q) -> list[float]:
    """A point in GarmentCode's edge frame: (along, left) as fractions of the edge vector."""
    e = np.subtract(p1, p0)
    d = np.subtract(q, p0)
    ee = float(e @ e)
    return [float(d @ e) / ee, float(e[0] * d[1] - e[1] * d[0]) / ee]


def _curvature(c: Curve) -> dict:
    if isinstance(c, Quadratic):
        return {"curvature": {"type": "quadratic", "params": [_rel(c.p0, c.p1, c.c)]}}
    if isinstance(c, Cubic):
        return {"curvature": {"type": "cubic", "params": [_rel(c.p0, c.p1, c.c0),
                                                          _rel(c.p0, c.p1, c.c1)]}}
    if isinstance(c, Arc) and abs(c.bulge) > 1e-9:
        _, radius, _ = c.centre_radius_sweep()
        # A counter-clockwise arc (positive bulge) bulges to the right of its chord.
        return {"curvature": {"type": "circle", "params": [
            radius / MM_PER_CM, int(abs(c.bulge) > 1.0), int(c.bulge > 0)]}}
    return {}


def _to_gc_3d(v: tuple[float, float, float]) -> list[float]:
    # Ours: mm, Z up, front −Y. GarmentCode: cm, Y up, front +Z.
    return [v[0] / MM_PER_CM, v[2] / MM_PER_CM, -v[1] / MM_PER_CM]


def _from_gc_3d(v) -> tuple[float, float, float]:
    return (float(v[0]) * MM_PER_CM, -float(v[2]) * MM_PER_CM, float(v[1]) * MM_PER_CM)


# --- import ------------------------------------------------------------------------------
def from_garmentcode(spec: Mapping, name: str = "garmentcode") -> Pattern:
    """A pattern from a GarmentCode specification. Consecutive edges with the same label
    become one edge of that name; unlabelled edges are named e1, e2...; each stitch joins
    the corresponding (parts of) edges."""
    try:
        body = spec["pattern"]
        panels_in = body["panels"]
        props = spec.get("properties", {})
    except (KeyError, TypeError):
        raise InvalidInputError("not a GarmentCode specification: no pattern.panels") from None
    scale = 1000.0 / float(props.get("units_in_meter", 100))  # mm per unit
    absolute = props.get("curvature_coords", "relative") == "absolute"
    panels, where = [], {}
    for pname, pdata in panels_in.items():
        panel, mapping = _read_panel(pname, pdata, scale, absolute)
        panels.append(panel)
        where[pname] = mapping
    stitches = []
    for k, pair in enumerate(body.get("stitches", [])):
        try:
            refs = [where[side["panel"]][int(side["edge"])] for side in pair[:2]]
        except (KeyError, IndexError, TypeError, ValueError):
            raise InvalidInputError(f"GarmentCode stitch {k + 1} refers to a missing panel or "
                                    f"edge: {pair!r}") from None
        extra = pair[0] if isinstance(pair[0], Mapping) else {}
        ease = extra.get("ease_mm")
        if ease is None:
            # A foreign pattern: GarmentCode sews edges of unequal length by spreading the
            # difference, so a small one is ease as drafted; a large one stays an error.
            la, lb = (_ref_length(panels, r) for r in refs)
            diff = abs(la - lb)
            ease = diff if diff <= IMPLICIT_EASE * max(la, lb) else 0.0
        # GarmentCode joins the end of the first edge to the start of the second unless the
        # stitch says "right_wrong" (start to start).
        same_way = "right_wrong" in [x for x in pair[2:] if isinstance(x, str)]
        stitches.append(Stitch(a=refs[0], b=refs[1], ease_mm=float(ease),
                               gather=float(extra.get("gather", 1.0)), reversed=not same_way))
    return Pattern(name=name, panels=tuple(panels), stitches=tuple(stitches))


def _ref_length(panels: list[Panel], ref: EdgeRef) -> float:
    panel = next(p for p in panels if p.name == ref.panel)
    return panel.edge(ref.edge).length() * (ref.end - ref.start)


def _read_panel(name: str, data: Mapping, scale: float, absolute: bool
                ) -> tuple[Panel, list[EdgeRef]]:
    try:
        verts = np.asarray(data["vertices"], dtype=float) * scale
        gc_edges = list(data["edges"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInputError(f"GarmentCode panel {name!r}: needs vertices and edges") from None
    # GarmentCode turns each loop so its normal faces away from the body's centre, so some
    # panels run clockwise in their own plane: seen from outside they run counter-clockwise,
    # which is ours — mirror them (x → −x; curvature offsets flip side with it).
    mirrored = _clockwise(verts, gc_edges)
    if mirrored:
        verts = verts * np.array([-1.0, 1.0])
    curves: list[tuple[str, Curve]] = []
    for i, e in enumerate(gc_edges):
        try:
            a, b = (verts[int(j)] for j in e["endpoints"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise InvalidInputError(f"GarmentCode panel {name!r}: edge {i} has bad endpoints"
                                    ) from None
        curvature = _mirror_curvature(e.get("curvature")) if mirrored else e.get("curvature")
        curves.append((str(e.get("label") or f"e{i + 1}"), _curve(a, b, curvature,
                                                                  scale, absolute, name)))
    # Consecutive edges with one label make one edge; remember where each GarmentCode edge
    # lies in it (a fraction range) for the stitches.
    groups: list[tuple[str, list[Curve]]] = []
    for label, c in curves:
        if groups and groups[-1][0] == label:
            groups[-1][1].append(c)
        else:
            groups.append((label, [c]))
    if len(groups) > 1 and groups[0][0] == groups[-1][0]:  # a labelled edge across the start
        label, tail = groups.pop()
        groups[0] = (label, tail + groups[0][1])
        curves = curves[-len(tail):] + curves[:-len(tail)]
        order = list(range(len(gc_edges) - len(tail), len(gc_edges))) + \
            list(range(len(gc_edges) - len(tail)))
    else:
        order = list(range(len(gc_edges)))
    seen: dict[str, int] = defaultdict(int)
    edges, mapping = [], [EdgeRef(panel=name, edge="")] * len(gc_edges)
    k = 0
    for label, group in groups:
        seen[label] += 1
        ename = label if seen[label] == 1 else f"{label}_{seen[label]}"
        lengths = [c.length() for c in group]
        total, at = sum(lengths), 0.0
        for length in lengths:
            mapping[order[k]] = EdgeRef(panel=name, edge=ename, start=at / total,
                                        end=min(1.0, (at + length) / total))
            at += length
            k += 1
        edges.append(Edge(name=ename, curves=tuple(group)))
    translation = _from_gc_3d(data.get("translation", (0, 0, 0)))
    rotation = tuple(float(r) for r in data.get("rotation", (0, 0, 0)))
    placement = Placement(region=_region(name, translation), side=_side(name, translation),
                          rotation_deg=rotation, translation_mm=translation)  # type: ignore[arg-type]
    return Panel(name=name, edges=tuple(edges), placement=placement), mapping


def _clockwise(verts: np.ndarray, edges: list) -> bool:
    try:
        loop = verts[[int(e["endpoints"][0]) for e in edges]]
    except (KeyError, IndexError, TypeError, ValueError):
        return False
    x, y = loop[:, 0], loop[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) < 0


def _mirror_curvature(curvature):
    """Curvature after x → −x: relative offsets change side, arcs turn the other way."""
    if not curvature:
        return curvature
    if isinstance(curvature, list):
        return [curvature[0], -curvature[1]]
    params = curvature.get("params", [])
    if curvature.get("type") == "circle":
        return {**curvature, "params": [params[0], params[1], 1 - int(params[2])]}
    return {**curvature, "params": [[p[0], -p[1]] for p in params]}


def _curve(a: np.ndarray, b: np.ndarray, curvature, scale: float, absolute: bool,
           panel: str) -> Curve:
    p0, p1 = (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))
    if not curvature:
        return Line(p0=p0, p1=p1)
    if isinstance(curvature, list):  # the older format: one quadratic control point
        curvature = {"type": "quadratic", "params": [curvature]}
    kind, params = curvature.get("type"), curvature.get("params", [])

    def absolute_point(q) -> tuple[float, float]:
        if absolute:
            return (float(q[0]) * scale, float(q[1]) * scale)
        e = b - a
        p = a + float(q[0]) * e + float(q[1]) * np.array([-e[1], e[0]])
        return (float(p[0]), float(p[1]))

    if kind == "quadratic":
        return Quadratic(p0=p0, c=absolute_point(params[0]), p1=p1)
    if kind == "cubic":
        return Cubic(p0=p0, c0=absolute_point(params[0]), c1=absolute_point(params[1]), p1=p1)
    if kind == "circle":
        radius, large, right = float(params[0]) * scale, bool(params[1]), bool(params[2])
        chord = float(np.linalg.norm(b - a))
        centre = math.sqrt(max(radius**2 - chord**2 / 4.0, 0.0))
        sagitta = radius + centre if large else radius - centre
        return Arc(p0=p0, p1=p1, bulge=(1.0 if right else -1.0) * 2.0 * sagitta / chord)
    raise InvalidInputError(f"GarmentCode panel {panel!r}: unknown curvature type {kind!r}")


def _side(name: str, t: tuple[float, float, float]) -> str:
    low = name.lower()
    for side in ("front", "back"):
        if side in low or f"_{side[0]}" in low:
            return side
    return "front" if t[1] < 0 else "back"


def _region(name: str, t: tuple[float, float, float]) -> str:
    low = name.lower()
    side = "left" if t[0] >= 0 else "right"
    if "sleeve" in low or "cuff" in low:
        return f"arm_{side}"
    if "pant" in low or "leg" in low:
        return f"leg_{side}"
    if "collar" in low or "neck" in low:
        return "neck"
    if "hood" in low:
        return "head"
    if "wb" in low or "waistband" in low:
        return "waist"
    return "torso"
