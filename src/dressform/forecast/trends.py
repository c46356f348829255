"""Rising and falling attributes: each value's share of units in the recent weeks against the
weeks before, with a two-proportion z-test and the Benjamini–Hochberg correction across all
values tested (a colour is 'rising' only if its gain is unlikely to be chance)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from dressform.forecast.sales import Sales
from dressform.forecast.series import week_of


@dataclass(frozen=True)
class Trend:
    attribute: str
    value: str
    units_before: int
    units_recent: int
    share_before: float  # of the attribute's units, 0–1
    share_recent: float
    growth: float  # share_recent / share_before − 1
    p_value: float  # adjusted (Benjamini–Hochberg)
    direction: str  # rising, falling or flat

    @property
    def evidence(self) -> str:
        return (f"{100 * self.share_before:.1f} % → {100 * self.share_recent:.1f} % of "
                f"{self.attribute} units ({100 * self.growth:+.0f} %), p = {self.p_value:.2g}")


def detect_trends(sales: Sales, attributes: tuple[str, ...] | None = None,
                  window_weeks: int = 13, alpha: float = 0.05) -> list[Trend]:
    """Trends of every value of `attributes` (default: all), the last `window_weeks` against
    the `window_weeks` before, most significant first."""
    f = sales.frame
    weeks = week_of(f["date"])
    last = weeks.max()
    recent = weeks > last - pd.Timedelta(weeks=window_weeks)
    before = ~recent & (weeks > last - pd.Timedelta(weeks=2 * window_weeks))
    rows = []
    for attr in attributes if attributes is not None else sales.attributes:
        a = pd.DataFrame({"v": f[attr], "q": f["quantity"], "r": recent, "b": before})
        n_r, n_b = int(a.loc[a.r, "q"].sum()), int(a.loc[a.b, "q"].sum())
        if n_r == 0 or n_b == 0:
            continue
        for value, g in a.groupby("v"):
            x_r, x_b = int(g.loc[g.r, "q"].sum()), int(g.loc[g.b, "q"].sum())
            if x_r + x_b == 0:  # not sold in either window: nothing to test
                continue
            p_r, p_b = x_r / n_r, x_b / n_b
            pooled = (x_r + x_b) / (n_r + n_b)
            se = np.sqrt(pooled * (1 - pooled) * (1 / n_r + 1 / n_b))
            z = (p_r - p_b) / se if se > 0 else 0.0
            rows.append((attr, str(value), x_b, x_r, p_b, p_r, 2 * stats.norm.sf(abs(z))))
    if not rows:
        return []
    p = _benjamini_hochberg(np.array([r[6] for r in rows]))
    out = []
    for r, q in zip(rows, p, strict=True):
        growth = r[5] / r[4] - 1 if r[4] > 0 else float("inf")
        direction = "flat" if q >= alpha else ("rising" if r[5] > r[4] else "falling")
        out.append(Trend(r[0], r[1], r[2], r[3], r[4], r[5], growth, float(q), direction))
    return sorted(out, key=lambda t: (t.p_value, -abs(t.share_recent - t.share_before)))


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p)
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def share_series(sales: Sales, attribute: str) -> pd.DataFrame:
    """Weekly share of units (0–1) of each value of `attribute`: rows weeks, columns values."""
    f = sales.frame
    t = pd.DataFrame({"week": week_of(f["date"]), "v": f[attribute], "q": f["quantity"]})
    units = t.pivot_table(index="week", columns="v", values="q", aggfunc="sum", fill_value=0)
    return units.div(units.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
