"""Checks that a pattern can be sewn, with messages a pattern maker understands."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from shapely.geometry import LinearRing

from dressform.errors import PatternError, UnknownNameError
from dressform.garment.pattern import EdgeRef, Panel, Pattern, polyline_length, signed_area

#: Gap (mm) between an edge's end and the next edge's start that still counts as joined.
CLOSE_TOL_MM = 0.05
#: Sewing tolerance (mm): stitched lengths may differ this much beyond the declared ease.
SEW_TOL_MM = 1.0


def problems(pattern: Pattern) -> list[str]:
    """Every problem found, one readable sentence each (empty: the pattern can be sewn)."""
    out: list[str] = []
    names = [p.name for p in pattern.panels]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        out.append(f"two panels are named {dup!r}")
    fabrics = {f.name for f in pattern.fabrics}
    for panel in pattern.panels:
        out += _panel_problems(panel)
        if panel.fabric not in fabrics:
            out.append(f"panel {panel.name!r} is cut from fabric {panel.fabric!r}, which the "
                       f"pattern does not list ({', '.join(sorted(fabrics))})")
    out += _stitch_problems(pattern)
    return out


def check(pattern: Pattern) -> Pattern:
    """The pattern itself if it can be sewn; otherwise `PatternError` listing every problem."""
    found = problems(pattern)
    if found:
        raise PatternError(found)
    return pattern


def _panel_problems(panel: Panel) -> list[str]:
    out = []
    edges = panel.edges
    for i, edge in enumerate(edges):
        for a, b in zip(edge.curves, edge.curves[1:], strict=False):
            gap = float(np.hypot(b.start[0] - a.end[0], b.start[1] - a.end[1]))
            if gap > CLOSE_TOL_MM:
                out.append(f"panel {panel.name!r}: edge {edge.name!r} is broken ({gap:.1f} mm "
                           "gap between two of its curves)")
        nxt = edges[(i + 1) % len(edges)]
        gap = float(np.hypot(nxt.start[0] - edge.end[0], nxt.start[1] - edge.end[1]))
        if gap > CLOSE_TOL_MM:
            out.append(f"panel {panel.name!r}: the outline is open — edge {edge.name!r} ends "
                       f"{gap:.1f} mm from where {nxt.name!r} starts")
    if out:
        return out
    ring = LinearRing(panel.outline)
    if not ring.is_simple:
        out.append(f"panel {panel.name!r}: the outline crosses itself")
    elif signed_area(panel.outline) <= 0:
        out.append(f"panel {panel.name!r}: the outline runs clockwise; outline panels "
                   "counter-clockwise seen from the right side of the fabric")
    if panel.placement is None:
        out.append(f"panel {panel.name!r} has no placement (body region and side), so it "
                   "cannot be draped")
    lengths = {e.name: e.length() for e in edges}
    for notch in panel.notches:
        if notch.edge not in lengths:
            out.append(f"panel {panel.name!r}: a notch is on edge {notch.edge!r}, which the "
                       "panel does not have")
        elif notch.at_mm > lengths[notch.edge] + CLOSE_TOL_MM:
            out.append(f"panel {panel.name!r}: a notch {notch.at_mm:.0f} mm along "
                       f"{notch.edge!r} lies past its end ({lengths[notch.edge]:.0f} mm)")
    return out


def _describe(ref: EdgeRef) -> str:
    part = "" if ref.start == 0 and ref.end == 1 else f" ({ref.start:.0%}–{ref.end:.0%})"
    return f"{ref.panel}.{ref.edge}{part}"


def _stitch_problems(pattern: Pattern) -> list[str]:
    out = []
    used: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for k, st in enumerate(pattern.stitches):
        lengths = []
        for ref in (st.a, st.b):
            if ref.start >= ref.end:
                out.append(f"stitch {k + 1}: {_describe(ref)} has its start at or after its end")
            try:
                lengths.append(polyline_length(pattern.ref_polyline(ref)))
            except UnknownNameError as e:
                out.append(f"stitch {k + 1} joins {_describe(ref)}, which does not exist: {e}")
                continue
            for lo, hi, other in used[(ref.panel, ref.edge)]:
                if min(hi, ref.end) - max(lo, ref.start) > 1e-6:
                    out.append(f"edge {_describe(ref)} is stitched twice (stitches {other + 1} "
                               f"and {k + 1})")
            used[(ref.panel, ref.edge)].append((ref.start, ref.end, k))
        if len(lengths) < 2:
            continue
        short, long_ = sorted(lengths)
        allowed = st.gather * short + st.ease_mm + SEW_TOL_MM
        if long_ > allowed:
            out.append(
                f"stitch {k + 1}: {_describe(st.a)} is {lengths[0]:.1f} mm but "
                f"{_describe(st.b)} is {lengths[1]:.1f} mm — {long_ - short:.1f} mm apart, "
                f"more than the declared ease ({st.ease_mm:.0f} mm)"
                + (f" and gathering (×{st.gather:g})" if st.gather > 1 else ""))
    return out
