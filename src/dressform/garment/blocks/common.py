"""What every block shares: the design record, fits and their ease, symmetric panels, sleeves
and bands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from dressform.garment.curves import Cubic, Curve, Line, Point
from dressform.garment.pattern import (
    Edge,
    EdgeRef,
    InternalLine,
    Notch,
    Panel,
    Pattern,
    Placement,
    Side,
    Stitch,
)

Fit = Literal["slim", "regular", "oversized"]

#: Design ease (cm) by fit: bust/chest, waist and hip minimums, upper arm; from the usual
#: ranges for knit tops and woven skirts/trousers (slim = close-fitting, oversized = loose).
EASE_CM: dict[Fit, dict[str, float]] = {
    "slim": {"bust": 5.0, "waist": 5.0, "hip": 4.0, "upper_arm": 4.0, "thigh": 5.0},
    "regular": {"bust": 10.0, "waist": 10.0, "hip": 6.0, "upper_arm": 7.0, "thigh": 9.0},
    "oversized": {"bust": 24.0, "waist": 24.0, "hip": 16.0, "upper_arm": 14.0, "thigh": 18.0},
}

SEAM_MM = 10.0
HEM_MM = 25.0
NECK_MM = 6.0


class Design(BaseModel):
    """Design choices; each block reads those that apply to it (None: the block's default)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fit: Fit = "regular"
    length_cm: float | None = Field(default=None, gt=0, le=200)  # from the waist (bottoms) or HPS
    sleeve: Literal["none", "short", "long"] | None = None
    sleeve_length_cm: float | None = Field(default=None, gt=0, le=100)
    neckline_depth_cm: float | None = Field(default=None, ge=0, le=40)  # below the HPS line
    neckline_width_cm: float | None = Field(default=None, gt=0, le=40)  # across, at the HPS
    flare_cm: float | None = Field(default=None, ge=0, le=80)  # extra hem width per side seam
    waistband_cm: float = Field(default=3.5, gt=0, le=15)
    hem_width_cm: float | None = Field(default=None, gt=0, le=200)  # trouser leg opening


def edge(name: str, curves: Sequence[Curve], allowance: float = SEAM_MM) -> Edge:
    return Edge(name=name, curves=tuple(curves), seam_allowance_mm=allowance)


def line(a: Point, b: Point) -> Line:
    return Line(p0=_p(a), p1=_p(b))


def _p(a) -> Point:
    return (float(a[0]), float(a[1]))


def _mirror(q: Point) -> Point:
    return (-q[0], q[1])


def _mirrored(e: Edge, name: str) -> Edge:
    curves = tuple(c.mapped(_mirror).reversed() for c in reversed(e.curves))
    return Edge(name=name, curves=curves, seam_allowance_mm=e.seam_allowance_mm)


def wearer_sides(side: Side) -> tuple[str, str]:
    """Suffixes for the +x and −x halves of a panel seen from outside: on a front panel +x is
    the wearer's left (anny: left = +X), on a back panel the wearer's right."""
    return ("l", "r") if side == "front" else ("r", "l")


def mirrored_panel(name: str, half: Sequence[Edge], side: Side, region: str,
                   notches: Sequence[Notch] = (), darts: Sequence[Sequence[Curve]] = (),
                   fabric: str = "main", suffixes: tuple[str, str] | None = None) -> Panel:
    """A panel symmetric about x = 0 from its +x half.

    `half` runs counter-clockwise from the centre line at the bottom to the centre line at
    the top. Its first and last edges cross the centre and are joined with their mirror
    images; edge names may hold "{s}", replaced by the wearer's side of each half (or by
    `suffixes` for the +x and −x halves). Notches and darts are given for the +x half and
    mirrored.
    """
    pos, neg = suffixes or wearer_sides(side)
    first, *middle, last = half

    def named(e: Edge, s: str) -> str:
        return e.name.format(s=s)

    bottom = Edge(name=first.name, curves=_mirrored(first, "").curves + first.curves,
                  seam_allowance_mm=first.seam_allowance_mm)
    top = Edge(name=last.name, curves=last.curves + _mirrored(last, "").curves,
               seam_allowance_mm=last.seam_allowance_mm)
    edges = [bottom, *[Edge(name=named(e, pos), curves=e.curves,
                            seam_allowance_mm=e.seam_allowance_mm) for e in middle], top,
             *[_mirrored(e, named(e, neg)) for e in reversed(middle)]]
    lengths = {e.name: e.length() for e in edges}
    mirrored_notches = []
    for n in notches:
        mirrored_notches.append(Notch(edge=n.edge.format(s=pos), at_mm=n.at_mm))
        other = n.edge.format(s=neg)
        mirrored_notches.append(Notch(edge=other, at_mm=max(0.0, lengths[other] - n.at_mm)))
    internal = []
    for d in darts:
        internal.append(InternalLine(kind="dart", curves=tuple(d)))
        internal.append(InternalLine(kind="dart", curves=tuple(
            c.mapped(_mirror).reversed() for c in reversed(d))))
    ys = np.concatenate([e.polyline(0.5)[:, 1] for e in edges])
    grain = ((0.0, float(ys.min()) + 40.0), (0.0, float(ys.max()) - 40.0))
    return Panel(name=name, edges=tuple(edges), internal=tuple(internal),
                 notches=tuple(mirrored_notches), grain=grain,
                 placement=Placement(region=region, side=side), fabric=fabric)


def seam(a: str, a_edge: str, b: str, b_edge: str, *, a_part: tuple[float, float] = (0.0, 1.0),
         b_part: tuple[float, float] = (0.0, 1.0), **kw) -> Stitch:
    return Stitch(a=EdgeRef(panel=a, edge=a_edge, start=a_part[0], end=a_part[1]),
                  b=EdgeRef(panel=b, edge=b_edge, start=b_part[0], end=b_part[1]), **kw)


def side_seam_pairs(front: str, back: str, edges: Sequence[str]) -> list[Stitch]:
    """Front and back joined along the same-named edges on both sides of the body, a print
    matched across them (as stripes are matched at side seams)."""
    return [seam(front, f"{e}_{s}", back, f"{e}_{s}").model_copy(update={"match": True})
            for e in edges for s in ("l", "r")]


def cap_curve(underarm: Point, top: Point) -> Cubic:
    """Half a sleeve cap, from its underarm point to its crown: an S-curve that leaves the
    underarm rising gently and arrives level at the crown."""
    (x0, y0), (x1, y1) = underarm, top
    h = y1 - y0
    return Cubic(p0=_p(underarm), c0=(x0 - 0.4 * (x0 - x1), y0 + 0.1 * h),
                 c1=(x1 + 0.45 * (x0 - x1), y1), p1=_p(top))


def sleeve_panel(name: str, arm: Literal["left", "right"], cap_width: float, cap_height: float,
                 length: float, hem_width: float, hem_allowance: float = HEM_MM) -> Panel:
    """A set-in sleeve in its own frame: centre line x = 0, hem at y = 0, crown at y = length.

    Seen from outside, the left sleeve's +x half lies towards the back (the right sleeve's
    towards the front), which names its edges: cap_front/cap_back, seam_front/seam_back.
    """
    # The left arm seen from outside (from +X): +x points to the back; the right arm: front.
    halves = ("back", "front") if arm == "left" else ("front", "back")
    under = (cap_width / 2.0, length - cap_height)
    half = [
        edge("hem", [line((0.0, 0.0), (hem_width / 2.0, 0.0))], hem_allowance),
        edge("seam_{s}", [line((hem_width / 2.0, 0.0), under)]),
        edge("cap", [cap_curve(under, (0.0, length))]),
    ]
    panel = mirrored_panel(name, half, "left" if arm == "left" else "right", f"arm_{arm}",
                           suffixes=halves)
    # The crown is one edge; its halves meet the front and back armholes (`cap_split`).
    return panel


def band_panel(name: str, length: float, width: float, region: str) -> Panel:
    """A straight band (neckband, waistband, cuff), folded along its length: the rectangle is
    the band's two layers, its bottom edge the seam, its short ends sewn to each other."""
    pts = [(0.0, 0.0), (length, 0.0), (length, 2 * width), (0.0, 2 * width)]
    names = ["seam", "end_b", "fold_edge", "end_a"]
    edges = tuple(edge(n, [line(pts[i], pts[(i + 1) % 4])], 0.0 if n == "fold_edge" else SEAM_MM)
                  for i, n in enumerate(names))
    fold = InternalLine(kind="fold", curves=(line((0.0, width), (length, width)),))
    return Panel(name=name, edges=edges, internal=(fold,),
                 grain=((length / 2, 0.2 * width), (length / 2, 1.8 * width)),
                 placement=Placement(region=region, side="centre"))


def mirror_panel(panel: Panel, name: str, side: Side, region: str,
                 rename: dict[str, str] | None = None) -> Panel:
    """The panel's mirror image (x → −x), still counter-clockwise, e.g. the right leg's from
    the left's. `rename` maps edge names (the other side's)."""
    rename = rename or {}
    edges = tuple(
        _mirrored(e, rename.get(e.name, e.name)) for e in reversed(panel.edges))
    lengths = {e.name: e.length() for e in panel.edges}
    notches = tuple(Notch(edge=rename.get(n.edge, n.edge),
                          at_mm=max(0.0, lengths[n.edge] - n.at_mm)) for n in panel.notches)
    internal = tuple(InternalLine(kind=i.kind, curves=tuple(
        c.mapped(_mirror).reversed() for c in reversed(i.curves))) for i in panel.internal)
    grain = None if panel.grain is None else (_mirror(panel.grain[0]), _mirror(panel.grain[1]))
    return Panel(name=name, edges=edges, internal=internal, notches=notches, grain=grain,
                 placement=Placement(region=region, side=side), fabric=panel.fabric)


def waistband(panels: Sequence[Panel], pieces: Sequence[tuple[str, str]], width: float,
              overlap: float = 30.0) -> tuple[Panel, list[Stitch]]:
    """A folded waistband sewn along the waist edges `pieces` ((panel, edge), in order round
    the body), `overlap` mm longer for the fastening."""
    by_name = {p.name: p for p in panels}
    lengths = [by_name[p].edge(e).length() for p, e in pieces]
    total = sum(lengths) + overlap
    band = band_panel("waistband", total, width, "waist")
    stitches, at = [], 0.0
    # Sewn right side to right side, the band runs against the edges it is sewn to: along the
    # band the pieces come in reverse order, so that it runs once round, unbroken.
    for (panel, e), length in reversed(list(zip(pieces, lengths, strict=True))):
        stitches.append(seam("waistband", "seam", panel, e,
                             a_part=(at / total, (at + length) / total)))
        at += length
    return band, stitches


def notched(pattern: Pattern, levels: Sequence[str] = ("waist", "hip")) -> Pattern:
    """The pattern with the notches a sewer matches: where the body levels cross each side
    seam, and where a partly stitched edge changes partner (a sleeve cap at the shoulder
    seam, a waistband at each side seam)."""
    marks: dict[tuple[str, str], set[float]] = {}
    for st in pattern.stitches:
        for ref in (st.a, st.b):
            length = pattern.panel(ref.panel).edge(ref.edge).length()
            for f in (ref.start, ref.end):
                if 0.0 < f < 1.0:
                    marks.setdefault((ref.panel, ref.edge), set()).add(round(f * length, 2))
    for panel in pattern.panels:
        for e in panel.edges:
            if not e.name.startswith("side"):
                continue
            pts = e.polyline(0.2)
            cum = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(pts, axis=0), axis=1))])
            for level in levels:
                y = pattern.levels_mm.get(level)
                if y is None:
                    continue
                # A level often falls on a curve's end point: count it once, half-open.
                k = np.flatnonzero((pts[:-1, 1] <= y) != (pts[1:, 1] <= y))
                for i in k[:1]:
                    f = (y - pts[i, 1]) / (pts[i + 1, 1] - pts[i, 1])
                    marks.setdefault((panel.name, e.name), set()).add(
                        round(float(cum[i] + f * (cum[i + 1] - cum[i])), 2))
    panels = []
    for panel in pattern.panels:
        extra = [Notch(edge=e, at_mm=at) for (p, e), ats in sorted(marks.items())
                 if p == panel.name for at in sorted(ats)]
        panels.append(panel.model_copy(update={"notches": (*panel.notches, *extra)})
                      if extra else panel)
    return pattern.model_copy(update={"panels": tuple(panels)})
