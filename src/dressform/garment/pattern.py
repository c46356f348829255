"""Sewing patterns as immutable records: a `Pattern` is `Panel`s joined by `Stitch`es.

Conventions (see docs/architecture.md): millimetres, +y up the body. A panel's outline is a closed
chain of named `Edge`s, each a path of curves, running counter-clockwise seen from the fabric's
right (outer) side. Outlines are *sewing lines*; the cutting line lies `seam_allowance_mm` outside
each edge. Blocks draft body panels in a body frame — x across the body from its centre line, y the
height above the floor — so a level of the body is the same y on every panel.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from dressform.errors import UnknownNameError
from dressform.garment.curves import FLATTEN_TOL_MM, Curve, Point, path_polyline
from dressform.names import suggest

Side = Literal["front", "back", "left", "right", "centre"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Edge(_Record):
    """A named stretch of outline (a side seam, a hem...): one or more curves end to end."""

    name: str
    curves: tuple[Curve, ...] = Field(min_length=1)
    seam_allowance_mm: float = Field(default=10.0, ge=0.0, le=100.0)

    @property
    def start(self) -> Point:
        return self.curves[0].start

    @property
    def end(self) -> Point:
        return self.curves[-1].end

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        return path_polyline(self.curves, tol)

    def length(self) -> float:
        """Sewing length of the edge (mm)."""
        p = self.polyline()
        return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())


class InternalLine(_Record):
    """A line drawn inside a panel: a fold, a placement line, or a dart.

    A dart is a closed outline (a fish-eye dart's diamond, a point first and last): the cloth
    inside is folded away, so it takes its width out of every girth it crosses.
    """

    kind: Literal["dart", "fold", "line"]
    curves: tuple[Curve, ...] = Field(min_length=1)

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        return path_polyline(self.curves, tol)


class Notch(_Record):
    """A notch on an edge, `at_mm` along it from its start: where two seams must meet."""

    edge: str
    at_mm: float = Field(ge=0.0)


class Placement(_Record):
    """Where a panel goes for draping: body region, which side it faces, and its pose.

    `rotation_deg` (XYZ Euler, degrees) and `translation_mm` take the pattern plane (z = 0,
    right side facing +z) into the body frame (mm, Z up, front −Y), as GarmentCode does.
    """

    region: str  # torso, arm_left, arm_right, leg_left, leg_right, waist, neck, head, ...
    side: Side
    rotation_deg: tuple[float, float, float] = (0.0, 0.0, 0.0)
    translation_mm: tuple[float, float, float] = (0.0, 0.0, 0.0)


class Fabric(_Record):
    name: str
    width_mm: float = Field(default=1500.0, gt=0.0)
    weight_gsm: float = Field(default=160.0, gt=0.0)
    stretch: float = Field(default=0.0, ge=0.0, le=2.0)  # fraction across the grain


class Panel(_Record):
    name: str
    edges: tuple[Edge, ...] = Field(min_length=1)
    internal: tuple[InternalLine, ...] = ()
    notches: tuple[Notch, ...] = ()
    grain: tuple[Point, Point] | None = None  # from → to, along the warp
    placement: Placement | None = None
    fabric: str = "main"

    @model_validator(mode="after")
    def _unique_edge_names(self) -> Panel:
        names = [e.name for e in self.edges]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"panel {self.name!r}: edge name(s) {dup} used twice")
        return self

    def edge(self, name: str) -> Edge:
        return _named(self.edges, name, f"panel {self.name!r} has no edge")

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False
                   ) -> Panel:
        # A copy with new edges must not inherit the cached outline of the old ones.
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("outline", None)
        return copy

    @cached_property
    def outline(self) -> np.ndarray:
        """(n, 2) closed sewing line, first point not repeated at the end."""
        pts = np.vstack([e.polyline()[:-1] for e in self.edges])
        return pts

    def area_mm2(self) -> float:
        """Net area inside the sewing line (darts folded away)."""
        darts = sum(abs(_shoelace(d.polyline())) for d in self.internal if d.kind == "dart")
        return abs(_shoelace(self.outline)) - darts

    def bounds(self) -> tuple[float, float, float, float]:
        p = self.outline
        lo, hi = p.min(axis=0), p.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


class EdgeRef(_Record):
    """An edge of a panel, or the part of it between fractions `start` and `end` of its
    length (both 0–1, `start` < `end`)."""

    panel: str
    edge: str
    start: float = Field(default=0.0, ge=0.0, le=1.0)
    end: float = Field(default=1.0, ge=0.0, le=1.0)


class Stitch(_Record):
    """A seam joining edge `a` to edge `b`.

    `reversed`: b runs against a (a's start meets b's end), as on two panels both outlined
    counter-clockwise that lie side by side. `right_side_out`: the panels' right sides face
    out of the garment once sewn (False for a facing or a lining turned inside).
    `ease_mm`: how much longer one edge may be (eased in, as a sleeve cap into its armhole).
    `gather`: how many times longer one edge may be (gathered or stretched onto the other:
    a rib neckband, a gathered skirt); 1 = none. `match`: a print (stripes, checks) is
    matched across this seam, the panels cut so that it meets there.
    """

    a: EdgeRef
    b: EdgeRef
    reversed: bool = True
    right_side_out: bool = True
    ease_mm: float = Field(default=0.0, ge=0.0)
    gather: float = Field(default=1.0, ge=1.0)
    match: bool = False


class Pattern(_Record):
    name: str
    panels: tuple[Panel, ...]
    stitches: tuple[Stitch, ...] = ()
    fabrics: tuple[Fabric, ...] = (Fabric(name="main"),)
    size: str = ""
    #: Design ease (cm) the block declares at body levels: girth here = body girth + ease.
    ease_cm: dict[str, float] = Field(default_factory=dict)
    #: Body levels (y, mm) of those girths and any others a tool may want (waist, hip...).
    levels_mm: dict[str, float] = Field(default_factory=dict)
    #: The body measurements (cm) it was drafted from, if any.
    body_cm: dict[str, float] = Field(default_factory=dict)

    def panel(self, name: str) -> Panel:
        return _named(self.panels, name, f"pattern {self.name!r} has no panel")

    def fabric(self, name: str) -> Fabric:
        return _named(self.fabrics, name, f"pattern {self.name!r} has no fabric")

    def ref_polyline(self, ref: EdgeRef) -> np.ndarray:
        """The polyline of the referenced (part of an) edge."""
        pts = self.panel(ref.panel).edge(ref.edge).polyline()
        return sub_polyline(pts, ref.start, ref.end)


_Named = TypeVar("_Named", Edge, Panel, Fabric)


def _named(items: tuple[_Named, ...], name: str, missing: str) -> _Named:
    for item in items:
        if item.name == name:
            return item
    raise UnknownNameError(f"{missing} {name!r}{suggest(name, [i.name for i in items])}")


def sub_polyline(pts: np.ndarray, start: float, end: float) -> np.ndarray:
    """The part of a polyline between fractions `start` and `end` of its length."""
    if start <= 0.0 and end >= 1.0:
        return pts
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    s = np.array([start, end]) * cum[-1]
    inner = (cum > s[0]) & (cum < s[1])
    ends = [np.array([np.interp(v, cum, pts[:, k]) for k in range(2)]) for v in s]
    return np.vstack([ends[0], pts[inner], ends[1]])


def polyline_length(pts: np.ndarray) -> float:
    return float(np.linalg.norm(np.diff(pts, axis=0), axis=1).sum())


def _shoelace(p: np.ndarray) -> float:
    x, y = p[:, 0], p[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def signed_area(p: np.ndarray) -> float:
    """Signed area of a closed polygon (positive when counter-clockwise)."""
    return _shoelace(p)
