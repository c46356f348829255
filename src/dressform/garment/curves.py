"""The curves a pattern outline is made of: lines, quadratic and cubic Béziers, circular arcs
and (for imported CAD data) polylines. Points are (x, y) in millimetres.

Every curve flattens to a polyline within a chordal tolerance, and lengths, areas and exports
all read that one polyline, so a seam's length and its drawing agree.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

Point = tuple[float, float]
#: Default chordal tolerance (mm) when a curve is flattened: far below a sewing tolerance.
FLATTEN_TOL_MM = 0.02


class _Curve(BaseModel):
    model_config = ConfigDict(frozen=True)

    @property
    def start(self) -> Point:
        return self.control_points()[0]

    @property
    def end(self) -> Point:
        return self.control_points()[-1]

    def control_points(self) -> tuple[Point, ...]:
        raise NotImplementedError

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        """(n, 2) points from start to end, within `tol` mm of the curve."""
        raise NotImplementedError

    def length(self, tol: float = FLATTEN_TOL_MM) -> float:
        p = self.polyline(tol)
        return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())

    def reversed(self) -> Curve:
        raise NotImplementedError

    def mapped(self, fn) -> Curve:
        """The curve with every control point mapped by an affine `fn` (point → point)."""
        raise NotImplementedError


def _pt(p) -> Point:
    return (float(p[0]), float(p[1]))


class Line(_Curve):
    kind: Literal["line"] = "line"
    p0: Point
    p1: Point

    def control_points(self) -> tuple[Point, ...]:
        return (self.p0, self.p1)

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        return np.array([self.p0, self.p1], dtype=float)

    def reversed(self) -> Line:
        return Line(p0=self.p1, p1=self.p0)

    def mapped(self, fn) -> Line:
        return Line(p0=_pt(fn(self.p0)), p1=_pt(fn(self.p1)))


class Quadratic(_Curve):
    kind: Literal["quadratic"] = "quadratic"
    p0: Point
    c: Point
    p1: Point

    def control_points(self) -> tuple[Point, ...]:
        return (self.p0, self.c, self.p1)

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        p0, c, p1 = (np.array(p) for p in self.control_points())
        # Flattening bound: a quadratic's chord error with n uniform steps is ≤ |Δ²| / (4 n²).
        d = float(np.linalg.norm(p0 - 2 * c + p1))
        n = max(2, math.ceil(math.sqrt(d / (4 * tol))))
        t = np.linspace(0.0, 1.0, n + 1)[:, None]
        return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t**2 * p1

    def reversed(self) -> Quadratic:
        return Quadratic(p0=self.p1, c=self.c, p1=self.p0)

    def mapped(self, fn) -> Quadratic:
        return Quadratic(p0=_pt(fn(self.p0)), c=_pt(fn(self.c)), p1=_pt(fn(self.p1)))


class Cubic(_Curve):
    kind: Literal["cubic"] = "cubic"
    p0: Point
    c0: Point
    c1: Point
    p1: Point

    def control_points(self) -> tuple[Point, ...]:
        return (self.p0, self.c0, self.c1, self.p1)

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        p0, c0, c1, p1 = (np.array(p) for p in self.control_points())
        # A cubic's chord error with n uniform steps is ≤ 3/4 · max|Δ²| / n².
        d = max(float(np.linalg.norm(p0 - 2 * c0 + c1)), float(np.linalg.norm(c0 - 2 * c1 + p1)))
        n = max(2, math.ceil(math.sqrt(0.75 * d / tol)))
        t = np.linspace(0.0, 1.0, n + 1)[:, None]
        s = 1 - t
        return s**3 * p0 + 3 * s**2 * t * c0 + 3 * s * t**2 * c1 + t**3 * p1

    def reversed(self) -> Cubic:
        return Cubic(p0=self.p1, c0=self.c1, c1=self.c0, p1=self.p0)

    def mapped(self, fn) -> Cubic:
        return Cubic(p0=_pt(fn(self.p0)), c0=_pt(fn(self.c0)), c1=_pt(fn(self.c1)),
                     p1=_pt(fn(self.p1)))


class Arc(_Curve):
    """A circular arc from `p0` to `p1` with DXF's bulge: tan(sweep / 4), positive when it
    turns counter-clockwise (0 would be a straight line, ±1 a half circle)."""

    kind: Literal["arc"] = "arc"
    p0: Point
    p1: Point
    bulge: float

    def control_points(self) -> tuple[Point, ...]:
        return (self.p0, self.p1)

    def centre_radius_sweep(self) -> tuple[np.ndarray, float, float]:
        p0, p1 = np.array(self.p0), np.array(self.p1)
        sweep = 4.0 * math.atan(self.bulge)
        chord = p1 - p0
        c_len = float(np.linalg.norm(chord))
        radius = c_len / (2.0 * abs(math.sin(sweep / 2.0)))
        # The centre lies on the chord's perpendicular bisector, left of it for a CCW arc.
        normal = np.array([-chord[1], chord[0]]) / c_len
        offset = radius * math.cos(sweep / 2.0) * math.copysign(1.0, self.bulge)
        return 0.5 * (p0 + p1) + offset * normal, radius, sweep

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        if abs(self.bulge) < 1e-12:
            return np.array([self.p0, self.p1], dtype=float)
        centre, radius, sweep = self.centre_radius_sweep()
        step = 2.0 * math.acos(max(-1.0, 1.0 - tol / radius)) if radius > tol else math.pi / 4
        n = max(2, math.ceil(abs(sweep) / step))
        a0 = math.atan2(self.p0[1] - centre[1], self.p0[0] - centre[0])
        a = a0 + np.linspace(0.0, sweep, n + 1)
        pts = centre + radius * np.stack([np.cos(a), np.sin(a)], axis=1)
        pts[0], pts[-1] = self.p0, self.p1  # exact ends: outlines must close
        return pts

    def reversed(self) -> Arc:
        return Arc(p0=self.p1, p1=self.p0, bulge=-self.bulge)

    def mapped(self, fn) -> Arc:
        # A mirror reverses the turning direction; rotations and translations keep it.
        a, b, c = (np.array(fn(p)) for p in ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0)))
        det = float(np.cross(b - a, c - a))
        return Arc(p0=_pt(fn(self.p0)), p1=_pt(fn(self.p1)),
                   bulge=math.copysign(1, det) * self.bulge)


class Polyline(_Curve):
    """Points joined by straight lines: curves imported from CAD formats that store no others."""

    kind: Literal["polyline"] = "polyline"
    points: tuple[Point, ...]

    def control_points(self) -> tuple[Point, ...]:
        return self.points

    def polyline(self, tol: float = FLATTEN_TOL_MM) -> np.ndarray:
        return np.array(self.points, dtype=float)

    def reversed(self) -> Polyline:
        return Polyline(points=self.points[::-1])

    def mapped(self, fn) -> Polyline:
        return Polyline(points=tuple(_pt(fn(p)) for p in self.points))


Curve = Annotated[Line | Quadratic | Cubic | Arc | Polyline, Field(discriminator="kind")]


def smooth_through(points: list[Point]) -> list[Curve]:
    """Cubics through `points`, passing exactly through each one (a block's girth points).

    Tangents follow the neighbouring points and their handles are a third of each segment's
    own length, so unevenly spaced points (the bust line just under the armpit) never make
    the curve overshoot and loop back."""
    p = [np.array(q, dtype=float) for q in points]
    if len(p) == 2:
        return [Line(p0=_pt(p[0]), p1=_pt(p[1]))]

    def direction(i: int) -> np.ndarray:
        d = p[min(i + 1, len(p) - 1)] - p[max(i - 1, 0)]
        return d / max(float(np.linalg.norm(d)), 1e-12)

    curves: list[Curve] = []
    for i in range(len(p) - 1):
        third = float(np.linalg.norm(p[i + 1] - p[i])) / 3.0
        curves.append(Cubic(p0=_pt(p[i]), c0=_pt(p[i] + third * direction(i)),
                            c1=_pt(p[i + 1] - third * direction(i + 1)), p1=_pt(p[i + 1])))
    return curves


def path_polyline(curves: list[Curve] | tuple[Curve, ...], tol: float = FLATTEN_TOL_MM
                  ) -> np.ndarray:
    """The curves of a path joined into one polyline (shared ends once)."""
    parts = [c.polyline(tol) for c in curves]
    return np.vstack([parts[0], *[q[1:] for q in parts[1:]]])


def point_at_length(pts: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """The point `s` mm along a polyline and the unit tangent there (clamped to its ends)."""
    seg = np.diff(pts, axis=0)
    lens = np.linalg.norm(seg, axis=1)
    cum = np.concatenate([[0.0], np.cumsum(lens)])
    s = float(np.clip(s, 0.0, cum[-1]))
    i = int(np.clip(np.searchsorted(cum, s, side="right") - 1, 0, len(seg) - 1))
    f = (s - cum[i]) / lens[i] if lens[i] > 0 else 0.0
    return pts[i] + f * seg[i], seg[i] / max(lens[i], 1e-12)


def split_path(curves: list[Curve] | tuple[Curve, ...], fractions: list[float],
               snap_mm: float = 0.05) -> list[list[Curve]]:
    """A path cut at fractions (0–1) of its length: the pieces, each a list of curves. A cut
    within `snap_mm` of an existing joint between curves uses that joint."""
    lengths = [c.length() for c in curves]
    total = sum(lengths)
    joints = np.concatenate([[0.0], np.cumsum(lengths)])
    cuts = sorted({float(np.clip(f, 0.0, 1.0)) * total for f in fractions})
    cuts = [s for s in cuts if snap_mm < s < total - snap_mm]
    pieces: list[list[Curve]] = [[]]
    for i, curve in enumerate(curves):
        here = [s - joints[i] for s in cuts if joints[i] + snap_mm < s < joints[i + 1] - snap_mm]
        for part in _cut(curve, here, lengths[i]):
            pieces[-1].append(part)
            pieces.append([])
        pieces.pop()
        if any(abs(s - joints[i + 1]) <= snap_mm for s in cuts):
            pieces.append([])
    return [p for p in pieces if p]


def _cut(curve: Curve, at_mm: list[float], length: float) -> list[Curve]:
    """A curve cut at distances along it (mm from its start)."""
    if not at_mm:
        return [curve]
    if isinstance(curve, Line | Polyline):
        pts = curve.polyline()
        seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        bounds = [0.0, *at_mm, cum[-1]]
        out: list[Curve] = []
        for s0, s1 in itertools.pairwise(bounds):
            inner = pts[(cum > s0) & (cum < s1)]
            ends = [np.array([np.interp(s, cum, pts[:, k]) for k in range(2)]) for s in (s0, s1)]
            piece = np.vstack([ends[0], inner, ends[1]])
            out.append(Line(p0=_pt(piece[0]), p1=_pt(piece[-1])) if len(piece) == 2
                       else Polyline(points=tuple(_pt(q) for q in piece)))
        return out
    if isinstance(curve, Arc):
        centre, radius, sweep = curve.centre_radius_sweep()
        a0 = math.atan2(curve.p0[1] - centre[1], curve.p0[0] - centre[0])
        angles = [0.0, *[sweep * s / length for s in at_mm], sweep]
        pts = [centre + radius * np.array([math.cos(a0 + a), math.sin(a0 + a)]) for a in angles]
        pts[0], pts[-1] = np.array(curve.p0), np.array(curve.p1)
        return [Arc(p0=_pt(pts[k]), p1=_pt(pts[k + 1]),
                    bulge=math.tan((angles[k + 1] - angles[k]) / 4.0))
                for k in range(len(pts) - 1)]
    # Béziers: the parameter at each length from a fine polyline, then de Casteljau.
    dense = curve.polyline(0.002)
    cum = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(dense, axis=0), axis=1))])
    ts = [float(np.interp(s, cum, np.linspace(0.0, 1.0, len(dense)))) for s in at_mm]
    out = []
    rest: Curve = curve
    done = 0.0
    for t in ts:
        head, rest = _bezier_split(rest, (t - done) / (1.0 - done))
        out.append(head)
        done = t
    out.append(rest)
    return out


def _bezier_split(curve: Curve, t: float) -> tuple[Curve, Curve]:
    pts = [np.array(p, dtype=float) for p in curve.control_points()]
    left, right = [pts[0]], [pts[-1]]
    while len(pts) > 1:
        pts = [(1 - t) * a + t * b for a, b in itertools.pairwise(pts)]
        left.append(pts[0])
        right.append(pts[-1])
    right.reverse()
    if isinstance(curve, Quadratic):
        return (Quadratic(p0=_pt(left[0]), c=_pt(left[1]), p1=_pt(left[2])),
                Quadratic(p0=_pt(right[0]), c=_pt(right[1]), p1=_pt(right[2])))
    return (Cubic(p0=_pt(left[0]), c0=_pt(left[1]), c1=_pt(left[2]), p1=_pt(left[3])),
            Cubic(p0=_pt(right[0]), c0=_pt(right[1]), c1=_pt(right[2]), p1=_pt(right[3])))
