"""Size advice: drape the likely sizes on the person and recommend one, with the reason.

The candidates are the size the chart points to (the smallest whose control girths are not
below the person's) and its neighbours — three drapes, not the whole chart. Each is drafted
for the person's height (a petite or tall fitting), draped and read (:func:`assess`). The
advice is the smallest candidate with no region tight and no length problem; if every one has
some, the one with the fewest, larger sizes first. A bigger person under a monotone chart
gets tighter fittings in every size, so the advice never goes down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dressform.body.cast import sized_as
from dressform.body.measure import measure
from dressform.body.mesh import Body
from dressform.body.spec import BodySpec
from dressform.drape.fabrics import FabricPhysics
from dressform.drape.simulate import drape
from dressform.errors import DressformError
from dressform.fit.ease import ease_settled
from dressform.fit.report import FitReport, assess, unsettled
from dressform.fit.verdict import Intent
from dressform.garment.blocks import CONTROL_DIMENSIONS, draft_size
from dressform.garment.sizes import Size, SizeChart, builtin_chart


@dataclass(frozen=True)
class SizeAdvice:
    size: str
    reason: str
    fittings: dict[str, FitReport | str]  # per candidate: its fitting, or why it failed


def chart_name_for(spec: BodySpec) -> str:
    """The built-in chart a clone is sized in: the men's for a man, else the women's."""
    return "men" if sized_as(spec.sex) == "male" else "women"


def candidate_sizes(chart: SizeChart, body_cm: dict[str, float], dims: tuple[str, ...],
                    count: int = 3) -> list[Size]:
    """The chart's pick for this body and its neighbours (`count` in all, in chart order)."""
    pick = chart.sizes.index(chart.smallest_fitting(body_cm, dims))
    lo = max(0, min(pick - (count - 1) // 2, len(chart.sizes) - count))
    return list(chart.sizes[lo: lo + count])


def advise(body: Body, block: str, *, chart: SizeChart | None = None,
           fabric: str | FabricPhysics = "cotton_jersey", intent: Intent = "regular",
           spacing_mm: float = 25.0, max_frames: int = 250,
           progress: Callable[[str], None] | None = None) -> SizeAdvice:
    """Recommend a size of `block` for `body` (see the module docstring)."""
    if chart is None:
        chart = builtin_chart(chart_name_for(body.spec))
    girths = measure(body).as_dict()
    fittings: dict[str, FitReport | str] = {}
    for size in candidate_sizes(chart, girths, CONTROL_DIMENSIONS[block]):
        if progress:
            progress(size.label)
        pattern = draft_size(block, size, body.spec.height_cm)
        try:
            garment = drape(pattern, body, fabric, spacing_mm=spacing_mm, max_frames=max_frames,
                            converged=ease_settled(body))
        except DressformError as err:  # e.g. legs too long for this body: not this size
            fittings[size.label] = str(err)
            continue
        # A fit is read from cloth at rest, never from wherever the step budget ran out.
        fittings[size.label] = assess(garment, body, fabric, intent) if garment.at_rest else (
            unsettled(garment))
    return _choose(fittings)


def _problems(fitting: FitReport | str) -> int:
    if isinstance(fitting, str):
        return 1000
    return len(fitting.tight) + len(fitting.length_problems)


def _choose(fittings: dict[str, FitReport | str]) -> SizeAdvice:
    labels = list(fittings)
    good = [s for s in labels if _problems(fittings[s]) == 0]
    if good:
        size = good[0]
        reason = f"{size}: {_said(fittings[size])}"
    else:
        size = min(reversed(labels), key=lambda s: _problems(fittings[s]))
        reason = f"{size}, though no size fits well: {_said(fittings[size])}"
    smaller = labels[: labels.index(size)]
    if smaller:
        reason += f"; {smaller[-1]}: {_said(fittings[smaller[-1]])}"
    return SizeAdvice(size, reason, fittings)


def _said(fitting: FitReport | str) -> str:
    return fitting if isinstance(fitting, str) else fitting.summary()
