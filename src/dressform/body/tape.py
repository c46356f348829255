"""Tapes: points on the body surface and the one formula that reads them.

A tape is a list of points, each on a mesh edge or at a joint centre, joined as a closed loop
(a girth), an open path (a length laid along the body) or a vertical difference (a height).
Tapes are found on numpy arrays (:mod:`dressform.body.landmarks`, :mod:`dressform.body.measure`)
and then read from vertex positions by one torch formula (:class:`TapeSet`) — when measuring,
and with gradients when a clone is fitted (:mod:`dressform.body.clone`) — so fitting and
measuring agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch

from dressform.body.mesh import FloatArray, IntArray
from dressform.body.params import body_mass_kg
from dressform.geometry.sections import Section


@dataclass(frozen=True, eq=False)
class Tape:
    """Points on the body and how to read them.

    Point k is ``X[a_k] + t_k (X[b_k] − X[a_k])`` where X is the vertices followed by the bone
    heads (index V + j is bone j's head). kind: "closed" (loop length), "open" (path length),
    "vertical" (z of the last point minus z of the first).

    level: for a girth taken in a horizontal plane at a landmark's height, the landmark
    points (their mean z is the level). Read on another shape, the tape's points are cut again
    at that level along the same edges — the tape follows the landmark, as a tailor's does,
    instead of drifting off the plane with the mesh (a fit reads tapes on shapes it has moved).
    """

    kind: str
    a: IntArray
    b: IntArray
    t: FloatArray
    level: Tape | None = None

    def points(self, x: FloatArray) -> FloatArray:
        return x[self.a] + self.t[:, None] * (x[self.b] - x[self.a])

    def value_cm(self, x: FloatArray) -> float:
        """The reading in cm (numpy: searches score hundreds of candidate tapes)."""
        if self.level is not None:  # cut again at the level: the one formula does that
            return float(self.value_cm_torch(torch.from_numpy(x)))
        p = self.points(x)
        if self.kind == "vertical":
            return float(p[-1, 2] - p[0, 2]) * 100.0
        steps = np.diff(p, axis=0, append=p[:1]) if self.kind == "closed" else np.diff(p, axis=0)
        return float(np.sqrt((steps * steps).sum(axis=1)).sum()) * 100.0

    def value_cm_torch(self, x: torch.Tensor) -> torch.Tensor:
        """The reading in cm, differentiable with respect to `x` (vertices then bone heads)."""
        return TapeSet.of([self]).values_cm(x)[0]


@dataclass(frozen=True, eq=False)
class TapeSet:
    """Several tapes read at once — one gather of their points, one sum over their segments —
    the single formula behind every reading (a fit evaluates it hundreds of times)."""

    a: torch.Tensor
    b: torch.Tensor
    t: torch.Tensor
    seg_from: torch.Tensor  # segments of the open and closed tapes: point indices
    seg_to: torch.Tensor
    seg_owner: torch.Tensor  # which tape each segment belongs to
    vertical: torch.Tensor  # (k, 3): tape, its first point, its last point
    count: int
    cut: torch.Tensor  # points cut again at their tape's level
    cut_level: torch.Tensor  # which level each of them is cut at
    level_a: torch.Tensor  # the levels' landmark points (edge ends, position)
    level_b: torch.Tensor
    level_t: torch.Tensor
    level_owner: torch.Tensor  # which level each landmark point sets

    @classmethod
    def of(cls, tapes: Iterable[Tape]) -> TapeSet:
        a, b, t, frm, to, owner, vertical = [], [], [], [], [], [], []
        cut, cut_level, lv_a, lv_b, lv_t, lv_owner = [], [], [], [], [], []
        start = 0
        tapes = list(tapes)
        for k, tape in enumerate(tapes):
            n = len(tape.a)
            idx = np.arange(start, start + n)
            if tape.level is not None:
                cut.append(idx)
                cut_level.append(np.full(n, len(lv_a)))
                lv_owner.append(np.full(len(tape.level.a), len(lv_a)))
                lv_a.append(tape.level.a)
                lv_b.append(tape.level.b)
                lv_t.append(tape.level.t)
            if tape.kind == "vertical":
                vertical.append((k, start, start + n - 1))
            else:
                nxt = np.roll(idx, -1) if tape.kind == "closed" else idx[1:]
                frm.append(idx[: len(nxt)])
                to.append(nxt)
                owner.append(np.full(len(nxt), k))
            a.append(tape.a)
            b.append(tape.b)
            t.append(tape.t)
            start += n

        def cat(parts: list[np.ndarray], dtype: type[np.generic] = np.int64) -> torch.Tensor:
            return torch.from_numpy(np.concatenate(parts).astype(dtype) if parts
                                    else np.zeros(0, dtype))

        return cls(cat(a), cat(b), cat(t, np.float64), cat(frm), cat(to), cat(owner),
                   torch.tensor(vertical, dtype=torch.int64).reshape(-1, 3), len(tapes),
                   cat(cut), cat(cut_level), cat(lv_a), cat(lv_b), cat(lv_t, np.float64),
                   cat(lv_owner))

    def values_cm(self, x: torch.Tensor) -> torch.Tensor:
        """(..., count) readings in cm of (..., N, 3) points (vertices, then bone heads) — one
        body or a batch — differentiable with respect to `x`."""
        p = self.points(x)
        lengths = (p[..., self.seg_to, :] - p[..., self.seg_from, :]).norm(dim=-1)
        out = torch.zeros((*x.shape[:-2], self.count), dtype=x.dtype)
        out = out.index_add(-1, self.seg_owner, lengths)
        if len(self.vertical):
            k, first, last = self.vertical.T
            out = out.index_copy(-1, k, p[..., last, 2] - p[..., first, 2])
        return out * 100.0

    def points(self, x: torch.Tensor) -> torch.Tensor:
        """(..., points, 3): every tape's points on these vertices (then bone heads), those of
        levelled tapes cut again at their landmarks' level."""
        xa, xb = x[..., self.a, :], x[..., self.b, :]
        t = self.t.to(x.dtype).expand(*x.shape[:-2], -1)
        if len(self.cut):
            za, zb = x[..., self.level_a, 2], x[..., self.level_b, 2]
            ref = za + self.level_t.to(x.dtype) * (zb - za)
            count = torch.bincount(self.level_owner)
            z = torch.zeros((*x.shape[:-2], len(count)), dtype=x.dtype)
            z = z.index_add(-1, self.level_owner, ref) / count.to(x.dtype)
            za, zb = xa[..., self.cut, 2], xb[..., self.cut, 2]
            dz = zb - za
            dz = torch.where(dz.abs() < 1e-9, torch.full_like(dz, 1e-9), dz)
            # An edge the level has left holds its end nearest the level (the section point
            # would have moved to the next edge); extrapolating along it throws points off.
            cut = ((z[..., self.cut_level] - za) / dz).clamp(0.0, 1.0)
            t = t.index_copy(-1, self.cut, cut)
        return xa + t[..., None] * (xb - xa)


def tape_values(tapes: dict[str, Tape], names: list[str], vertices: torch.Tensor,
                heads: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Readings of the named measurements (cm, and kg for weight), differentiable."""
    x = torch.cat([vertices, heads], dim=0)
    taped = [n for n in names if n != "weight_kg"]
    values = dict(zip(taped, TapeSet.of(tapes[n] for n in taped).values_cm(x), strict=True))
    if "weight_kg" in names:
        values["weight_kg"] = body_mass_kg(vertices, faces).to(x.dtype)
    return torch.stack([values[n] for n in names])


def read_tapes(tapes: dict[str, Tape], names: Iterable[str], vertices: FloatArray,
               heads: FloatArray, faces: IntArray) -> dict[str, float]:
    """Readings of the named measurements (cm, kg for weight) on a body, rounded to 0.1 mm."""
    names = list(names)
    # Copies: a Body's arrays are read-only, which torch cannot wrap.
    with torch.no_grad():
        values = tape_values(tapes, names, torch.tensor(vertices), torch.tensor(heads),
                             torch.tensor(faces))
    return {n: round(float(v), 2) for n, v in zip(names, values, strict=True)}


def compact_tapes(tapes: dict[str, Tape], n_vertices: int) -> tuple[IntArray, dict[str, Tape]]:
    """The mesh vertices the tapes read, and the tapes re-indexed onto those vertices followed
    by the bone heads (what a fit differentiates through, instead of the whole mesh)."""
    ids = np.concatenate([np.concatenate([t.a, t.b]) for t in tapes.values()]
                         + [np.concatenate([t.level.a, t.level.b]) for t in tapes.values()
                            if t.level is not None])
    used = np.unique(ids[ids < n_vertices])

    def remap(i: IntArray) -> IntArray:
        return np.where(i < n_vertices, np.searchsorted(used, i), len(used) + i - n_vertices)

    def moved(t: Tape) -> Tape:
        return Tape(t.kind, remap(t.a), remap(t.b), t.t,
                    None if t.level is None else moved(t.level))

    return used, {k: moved(t) for k, t in tapes.items()}


def vertex_tape(kind: str, indices: list[int]) -> Tape:
    """A tape through these vertices (or bone heads: V + j), in order."""
    idx = np.asarray(indices, dtype=np.int64)
    return Tape(kind, idx, idx, np.zeros(len(idx)))


def section_tape(kind: str, sec: Section) -> Tape:
    """A tape through the points of a plane section, on the same mesh edges."""
    return Tape(kind, sec.a, sec.b, sec.t)


def concat_tapes(kind: str, *tapes: Tape) -> Tape:
    """One tape through the points of `tapes`, one after another (without their levels)."""
    return Tape(kind, np.concatenate([t.a for t in tapes]), np.concatenate([t.b for t in tapes]),
                np.concatenate([t.t for t in tapes]))


def point_of(tape: Tape, k: int) -> Tape:
    """Point `k` of `tape`, as a one-point tape (a landmark)."""
    return Tape("open", tape.a[[k]], tape.b[[k]], tape.t[[k]])


__all__ = ["Tape", "TapeSet", "compact_tapes", "concat_tapes", "point_of", "read_tapes",
           "section_tape", "tape_values", "vertex_tape"]
