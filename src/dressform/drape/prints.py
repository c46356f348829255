"""Prints across seams: where a repeating print (stripes, checks, dots) meets itself at each
seam of a garment, how far it jumps there, and the cut that matches it where the pattern
asks (`Stitch.match`).

A print lies on each panel's flat pattern, along its grain (`Construction.vertex_uv`),
repeating every `period_m`. At a seam, the two points sewn together show the print each at
its own phase. A cutter matches stripes by moving a panel on the fabric's lay until they
meet at the seam; `print_shifts` does the same, panel by panel along the matched seams, and
`print_jumps` measures what is left: on a flared skirt, stripes chevron at the side seams
whatever the cut, and that shows.

Example::

    from dressform.drape.construction import construction
    from dressform.drape.prints import print_jumps, print_shifts

    sewn = construction(pattern, spacing_mm=20.0)
    shifts = print_shifts(sewn, 0.05, "stripes")
    for jump in print_jumps(sewn, 0.05, "stripes", shifts):
        print(jump.seam, f"{jump.jump_mm:.0f} mm")
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dressform.drape.construction import Construction
from dressform.errors import InvalidInputError

#: Which cloth axes each print repeats along: stripes (running along the grain) across the
#: weft only, breton stripes (running across the grain) along the warp only; checks, dots
#: and images both ways.
PRINT_AXES: dict[str, tuple[int, ...]] = {"stripes": (0,), "breton": (1,), "check": (0, 1),
                                          "dots": (0, 1), "image": (0, 1)}
#: A print offset across a seam by more than this shows: the usual tolerance for matched
#: stripes and checks in garment quality standards (1/8 inch).
PRINT_MATCH_MM = 3.0


@dataclass(frozen=True)
class SeamJump:
    """How far a print jumps across one seam (the largest offset along it, mm), and whether
    the pattern asks for it to be matched there."""

    seam: str
    jump_mm: float
    matched: bool

    def describe(self, kind: str) -> str:
        return f"{kind} jump {self.jump_mm:.0f} mm at {self.seam}"


def _axes(kind: str, period_m: float) -> tuple[int, ...]:
    if kind not in PRINT_AXES:
        raise InvalidInputError(f"unknown print {kind!r}: use {', '.join(PRINT_AXES)}")
    if not period_m > 0:
        raise InvalidInputError(f"a print repeats over a positive length, not {period_m} m")
    return PRINT_AXES[kind]


def _wrapped(offset: np.ndarray, period_m: float) -> np.ndarray:
    """Offsets folded into ±half a repeat: a print shifted by a whole repeat meets itself."""
    return (offset + period_m / 2.0) % period_m - period_m / 2.0


def _stitch_panels(sewn: Construction, k: int) -> tuple[np.ndarray, int, int]:
    pairs = sewn.seams[sewn.seam_stitch == k]
    return pairs, int(sewn.vertex_panel[pairs[0, 0]]), int(sewn.vertex_panel[pairs[0, 1]])


def print_shifts(sewn: Construction, period_m: float, kind: str) -> np.ndarray:
    """(panels, 2) how far each panel's print is moved on the cloth (m) so that the print
    meets across the matched seams: from the first panel, each panel reached over a matched
    seam is shifted by the mean phase difference across it (a circular mean, so a whole
    repeat counts as none); the longest seams are matched first, panels reached by none
    stay where they were cut."""
    axes = _axes(kind, period_m)
    shifts = np.zeros((len(sewn.panel_names), 2))
    matched = sorted((k for k, m in enumerate(sewn.stitch_matched)
                      if m and (sewn.seam_stitch == k).any()),
                     key=lambda k: -int((sewn.seam_stitch == k).sum()))
    known = np.zeros(len(sewn.panel_names), dtype=bool)
    while not known.all():
        known[np.flatnonzero(~known)[0]] = True
        grew = True
        while grew:
            grew = False
            for k in matched:
                pairs, a, b = _stitch_panels(sewn, k)
                if known[a] == known[b]:
                    continue
                if known[b]:
                    pairs, a, b = pairs[:, ::-1], b, a
                difference = sewn.vertex_uv[pairs[:, 0]] + shifts[a] - sewn.vertex_uv[pairs[:, 1]]
                turn = 2.0 * np.pi * difference / period_m
                mean = np.arctan2(np.sin(turn).mean(axis=0), np.cos(turn).mean(axis=0))
                for axis in axes:
                    shifts[b, axis] = mean[axis] * period_m / (2.0 * np.pi)
                known[b] = grew = True
    return shifts


def printed_uv(sewn: Construction, shifts: np.ndarray) -> np.ndarray:
    """(F, 3, 2) the print's coordinate at each face corner: the panel's grain coordinate
    moved by its panel's shift (`print_shifts`)."""
    return (sewn.vertex_uv + shifts[sewn.vertex_panel])[sewn.corners]


def print_jumps(sewn: Construction, period_m: float, kind: str,
                shifts: np.ndarray | None = None) -> tuple[SeamJump, ...]:
    """How far the print jumps across each seam (the largest offset along it, folded into
    half a repeat), with each panel's print moved by `shifts` (None: as cut, unmoved)."""
    axes = list(_axes(kind, period_m))
    moved = sewn.vertex_uv + (0.0 if shifts is None else shifts[sewn.vertex_panel])
    out = []
    for k, name in enumerate(sewn.stitch_names):
        pairs = sewn.seams[sewn.seam_stitch == k]
        if not len(pairs):
            continue
        offset = _wrapped(moved[pairs[:, 0]] - moved[pairs[:, 1]], period_m)[:, axes]
        out.append(SeamJump(name, 1000.0 * float(np.linalg.norm(offset, axis=1).max()),
                            sewn.stitch_matched[k]))
    return tuple(out)


@dataclass(frozen=True)
class PrintMatch:
    """A print on a garment cut to match where its pattern asks: the print, and how far it
    jumps across each seam."""

    kind: str
    period_m: float
    jumps: tuple[SeamJump, ...]

    @property
    def visible(self) -> list[SeamJump]:
        """The jumps over `PRINT_MATCH_MM` at seams the pattern asks to be matched."""
        return [j for j in self.jumps if j.matched and j.jump_mm > PRINT_MATCH_MM]


def print_match(sewn: Construction, period_m: float, kind: str) -> PrintMatch:
    """`kind` repeating every `period_m` on the garment of `sewn`, cut to match
    (`print_shifts`), and what still jumps."""
    return PrintMatch(kind, period_m, print_jumps(sewn, period_m, kind,
                                                  print_shifts(sewn, period_m, kind)))
