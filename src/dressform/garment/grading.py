"""Grading: a block drafted for every size of a chart, checked to grow with the size, and the
graded nest pattern makers look at (all sizes overlaid)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

from dressform.garment.blocks import Design, draft
from dressform.garment.drawing import Item, Label, bounds, layout, panel_items, scale_square
from dressform.garment.pattern import Pattern
from dressform.garment.quantities import BODY_FRAME_REGIONS, girth_at, width_at
from dressform.garment.sizes import SizeChart

#: Widths may shrink this much (mm) between sizes before grading counts as non-monotone.
MONOTONE_TOL_MM = 0.5


def grade(block: str, chart: SizeChart, design: Design | Mapping[str, object] | None = None,
          sizes: list[str] | None = None) -> dict[str, Pattern]:
    """The block drafted for each size (all of the chart's, or `sizes`), smallest first."""
    labels = sizes or chart.labels
    return {label: draft(block, chart.size(label).body_cm, design, size=label)
            for label in labels}


def grading_problems(graded: Mapping[str, Pattern], samples: int = 8) -> list[str]:
    """Where a larger size is smaller than the one before: its girth at a named level, or a
    body-frame panel's width at corresponding heights — `samples` per zone between the body
    levels the panel spans (a larger size's armpit lies lower, so the same height is not the
    same place on the body; the same fraction of the way from armpit to shoulder is)."""
    out = []
    items = list(graded.items())
    for (la, a), (lb, b) in itertools.pairwise(items):
        for level in sorted(set(a.ease_cm) & set(b.ease_cm) & set(a.levels_mm) & set(b.levels_mm)):
            ga, gb = girth_at(a, level), girth_at(b, level)
            if gb < ga - MONOTONE_TOL_MM / 10:
                out.append(f"{lb} is smaller than {la} at the {level}: {gb:.1f} < {ga:.1f} cm")
        for pa in a.panels:
            if not pa.placement or pa.placement.region not in BODY_FRAME_REGIONS:
                continue
            pb = b.panel(pa.name)
            for (y0a, y1a), (y0b, y1b), zone in _zones(pa, a, pb, b):
                for f in np.linspace(0.05, 0.95, samples):
                    wa = width_at(pa, y0a + f * (y1a - y0a))
                    wb = width_at(pb, y0b + f * (y1b - y0b))
                    if wb < wa - MONOTONE_TOL_MM:
                        out.append(f"{lb} {pa.name} is narrower than {la} {f:.0%} of the way "
                                   f"{zone}: {wb:.1f} < {wa:.1f} mm")
    return out


def _zones(pa, a: Pattern, pb, b: Pattern):
    """Corresponding height zones of a panel in two sizes: bounded by the panel's bottom, the
    body levels both sizes have inside the panel, and its top."""
    (_, ya0, _, ya1), (_, yb0, _, yb1) = pa.bounds(), pb.bounds()
    names = sorted((n for n in set(a.levels_mm) & set(b.levels_mm)
                    if ya0 < a.levels_mm[n] < ya1 and yb0 < b.levels_mm[n] < yb1),
                   key=lambda n: a.levels_mm[n])
    ka = [ya0, *[a.levels_mm[n] for n in names], ya1]
    kb = [yb0, *[b.levels_mm[n] for n in names], yb1]
    labels = ["bottom", *names, "top"]
    for i in range(len(ka) - 1):
        yield (ka[i], ka[i + 1]), (kb[i], kb[i + 1]), f"from {labels[i]} to {labels[i + 1]}"


def nest_items(graded: Mapping[str, Pattern]) -> list[Item]:
    """Every size's panels overlaid in their common frame, one colour per size (smallest
    blue to largest red), laid out side by side by the largest size, with a size key."""
    patterns = list(graded.values())
    largest = patterns[-1]
    offsets = layout(largest.panels)
    items: list[Item] = []
    n = len(patterns)
    colours = [_colour(i / max(n - 1, 1)) for i in range(n)]
    for pattern, colour in zip(patterns, colours, strict=True):
        for panel, off in zip(largest.panels, offsets, strict=True):
            items += panel_items(pattern.panel(panel.name), off, colour, details=False)
    for panel, off in zip(largest.panels, offsets, strict=True):
        x0, _, x1, y1 = panel.bounds()
        items.append(Label(((x0 + x1) / 2 + off[0], y1 + off[1] + 30.0), panel.name, 14.0))
    b = bounds(items)
    for i, (label, colour) in enumerate(zip(graded, colours, strict=True)):
        items.append(Label((b[0] + 150 + 60 * i, b[1] - 100), label, 16.0, colour))
    items += scale_square(b)
    return items


def _colour(t: float) -> str:
    r, g, b = int(40 + 200 * t), int(60 + 60 * (1 - abs(2 * t - 1))), int(220 - 190 * t)
    return f"#{r:02x}{g:02x}{b:02x}"
