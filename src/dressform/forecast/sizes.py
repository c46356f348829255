"""The size curve of a forecast: units per size, from what sold (kept, not returned for fit)
blended with what the customer population needs (the fit module's coverage of the size
chart), and the sizes the chart leaves uncovered."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dressform.errors import InvalidInputError
from dressform.fit.coverage import CoverageReport
from dressform.fit.verdict import EASE_BANDS_PCT
from dressform.forecast.sales import Sales, in_size_order, size_order


@dataclass(frozen=True, eq=False)
class SizeCurve:
    #: size, sales_share, population_share, share (blended, 0–1), units; chart order.
    table: pd.DataFrame = field(repr=False)
    #: why no size fits → share of the population (from the coverage), e.g.
    #: {"bigger than the largest size": 0.04}.
    uncovered: dict[str, float]
    #: sizes sold that the chart does not have.
    not_in_chart: tuple[str, ...]
    weight_sales: float

    def flags(self) -> list[str]:
        out = [f"{100 * v:.1f} % of the population: {k}" for k, v in self.uncovered.items()
               if v > 0]
        out += [f"size {s} sells but is not in the chart" for s in self.not_in_chart]
        t = self.table
        unsold = t[(t["sales_share"] == 0) & (t["population_share"] > 0.01)]
        out += [f"size {s} is needed by {100 * p:.0f} % of the population but has no sales"
                for s, p in zip(unsold["size"], unsold["population_share"], strict=True)]
        return out


def size_curve(sales: Sales, units: float, coverage: CoverageReport | None = None,
               weight_sales: float = 0.5) -> SizeCurve:
    """`units` (a forecast's total) split per size. With `coverage`, the shares are
    `weight_sales` × the sales' share + the rest × the population's; without, the sales'."""
    if not sales.has("size"):
        raise InvalidInputError("the sales have no size column: a size curve needs one")
    if not 0.0 <= weight_sales <= 1.0:
        raise InvalidInputError(f"weight_sales must be 0–1, not {weight_sales}")
    f = sales.frame
    kept = f["quantity"].astype(float)
    if sales.has("returned"):
        # A return for fit means the buyer's size was another one: not demand for this one.
        kept = kept - f["returned"].where(sales.fit_reason.notna(), 0)
    sold = kept.groupby(f["size"]).sum()
    sold = sold / max(sold.sum(), 1e-9)
    chart = coverage.labels if coverage is not None else []
    sizes = [s.upper() for s in chart] + sorted(set(sold.index) - {s.upper() for s in chart},
                                                key=size_order)
    pop = (pd.Series(coverage.size_curve, index=[s.upper() for s in chart])
           if coverage is not None else pd.Series(dtype=float))
    w = weight_sales if coverage is not None else 1.0
    table = pd.DataFrame({"size": sizes})
    table["sales_share"] = table["size"].map(sold).fillna(0.0)
    table["population_share"] = table["size"].map(pop).fillna(0.0)
    share = w * table["sales_share"] + (1 - w) * table["population_share"]
    table["share"] = share / max(share.sum(), 1e-9)
    table["units"] = np.round(table["share"] * units, 1)
    uncovered: dict[str, float] = {}
    if coverage is not None and coverage.count:
        uncovered = {k: v / coverage.count for k, v in coverage.categories().items()}
    not_in_chart = tuple(s for s in sold.index if chart and s not in
                         {c.upper() for c in chart})
    return SizeCurve(table, uncovered, not_in_chart, w)


def fit_return_link(by_size: pd.DataFrame, coverage: CoverageReport) -> pd.DataFrame:
    """Per size: the fit-return rates (too small, too large) beside the fit module's verdicts
    for the population wearing that size (their own size, or the nearest for people no size
    fits): the share it leaves tight or snug, and the share it leaves loose, at a control
    girth. Returns for 'too small' should gather where the verdicts say snug, and so on."""
    j = coverage.judgement
    _, snug, regular = EASE_BANDS_PCT[coverage.intent]
    control = coverage.sizes.control
    wears = np.where(j.pick >= 0, j.pick, j.nearest)
    rows = []
    for s, label in enumerate(coverage.labels):
        e = j.ease_pct[wears == s, s][:, control]  # (people, control dims)
        n = len(e)
        with np.errstate(invalid="ignore"):
            small = int((e < snug).any(axis=1).sum())
            large = int((e > regular).any(axis=1).sum())
        rows.append({"size": label.upper(), "wearers": n,
                     "population_tight_or_snug": small / n if n else np.nan,
                     "population_loose": large / n if n else np.nan})
    link = pd.DataFrame(rows)
    if by_size.empty or "too_small" not in by_size.columns:
        return link
    r = by_size.assign(size=by_size["size"].str.upper())
    r["too_small_rate"] = r["too_small"] / r["units"].replace(0, np.nan)
    r["too_large_rate"] = r["too_large"] / r["units"].replace(0, np.nan)
    out = link.merge(r[["size", "too_small_rate", "too_large_rate"]], on="size", how="outer")
    return in_size_order(out)
