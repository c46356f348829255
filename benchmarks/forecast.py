"""Demand forecasting: back-tests on real retail transactions (CDNOW, from the lifetimes
package) against the seasonal-naive baseline, and the time to forecast tens of thousands of
series (every CDNOW customer's weekly purchases; smooth series timed apart).

`python benchmarks/forecast.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench_format import table
from clones import replace_section
from dressform.forecast.data import cdnow, known_case
from dressform.forecast.demand import DemandSettings, forecast_demand
from dressform.forecast.run import run_forecast
from dressform.forecast.sales import validate_sales
from dressform.forecast.series import FREQ, weekly

TITLE = "### forecast: back-tests and scale"


def row(label: str, d) -> str:  # type: ignore[no-untyped-def]
    s = d.summary()
    models = ", ".join(f"{m} {n}" for m, n in d.choices["model"].value_counts().items())
    return (f"| {label} | {int(s['series'])} | {s['mase']:.3f} | {s['base_mase']:.3f} | "
            f"{s['smape']:.1f} | {s['base_smape']:.1f} | {s['coverage']:.0f} | "
            f"{s['base_coverage']:.0f} | {100 * s['beats_baseline']:.0f} % | {models} | "
            f"{d.seconds:.1f} |")


def forecast_lines() -> list[str]:
    settings = DemandSettings(horizon=8, windows=3)
    lines = [TITLE, "Rolling-origin back-test: 3 windows of 8 weeks, each forecast from the "
             "history before it; MASE scaled by each series' seasonal-naive error over its "
             "history before the first origin; sMAPE in % (0–200; it punishes any non-zero "
             "forecast of a zero week by 200 %, so intermittent series read high); coverage "
             "of the 80 % intervals. One process (n_jobs = 1).", "",
             "| data | series | MASE | baseline MASE | sMAPE % | baseline sMAPE % | "
             "coverage % | baseline coverage % | beats baseline | models chosen | seconds |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    sales = cdnow()
    total = weekly(sales, "article")
    lines.append(row("CDNOW, all CDs a week (real)", forecast_demand(total, settings)))
    f = sales.frame
    per = validate_sales(f.assign(article="c" + f["customer_id"]), "CDNOW customers")
    customers = weekly(per, "article")
    t = time.perf_counter()
    d = forecast_demand(customers, settings)
    lines.append(row("CDNOW, each customer's CDs a week (real, intermittent)", d))
    per_minute = 60 * len(d.choices) / (time.perf_counter() - t)
    known = run_forecast(known_case(), settings)
    lines.append(row("generated catalogue (articles, colours, fits)", known.demand))
    rng = np.random.default_rng(0)
    weeks = pd.date_range("2023-01-02", periods=130, freq=FREQ)
    n = 3000
    level = rng.uniform(5, 60, n)[:, None]
    season = rng.uniform(0, 0.5, n)[:, None] * np.cos(2 * np.pi * np.arange(130) / 52)
    smooth = pd.DataFrame({"unique_id": np.repeat([f"s{i}" for i in range(n)], 130),
                           "ds": np.tile(weeks, n),
                           "y": rng.poisson(level * (1 + season)).ravel().astype(float)})
    ds = forecast_demand(smooth, settings)
    lines.append(row("3000 smooth series (generated, for time: AutoARIMA left out above "
                     "2000)", ds))
    seasons = ", ".join(f"{n} against a {m}-week season" for m, n in
                        d.choices["season"].value_counts().items())
    lines += ["", "CDNOW is the cohort of customers who first bought in the first quarter of "
              "1997, 78 weeks to June 1998 (Fader and Hardie); its total falls from the "
              "acquisition weeks to a steady level, which repeating last year's weeks cannot "
              "follow.",
              "", *table(("scale", "series", "seconds", "series a minute, one core"), [
                  (f"CDNOW customer series ({seasons}; a customer who first bought in March "
                   "has fewer weeks than a year plus the back-test): back-test and forecast "
                   "of Croston, TSB and the seasonal naive", len(d.choices),
                   f"{d.seconds:.0f}", f"{per_minute:.0f}"),
                  ("smooth series (AutoETS and the seasonal naive; over 2000 smooth series ETS "
                   "is fitted at the first origin and carried through the later windows)", n,
                   f"{ds.seconds:.0f}", f"{60 * n / ds.seconds:.0f}")])]
    return lines


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    forecast_lines())
