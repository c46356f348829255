"""The whole forecast of a sales file: demand per article and attribute, trends, the size
curve (joined with the fit module's population coverage) and customer behaviour."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from dressform.fit.coverage import CoverageReport
from dressform.forecast.customers import Behaviour, behaviour
from dressform.forecast.demand import Demand, DemandSettings, forecast_demand
from dressform.forecast.sales import Sales
from dressform.forecast.series import weekly
from dressform.forecast.sizes import SizeCurve, fit_return_link, size_curve
from dressform.forecast.trends import Trend, detect_trends


@dataclass(frozen=True, eq=False)
class ForecastResult:
    sales: Sales
    series: pd.DataFrame = field(repr=False)
    demand: Demand
    trends: tuple[Trend, ...]
    sizes: SizeCurve | None
    customers: Behaviour
    link: pd.DataFrame | None = field(repr=False)
    coverage: CoverageReport | None
    seconds: float


def run_forecast(sales: Sales, settings: DemandSettings | None = None,
                 coverage: CoverageReport | None = None, trend_weeks: int = 13,
                 progress: Callable[[str], None] | None = None) -> ForecastResult:
    """Everything the report shows, for `sales`. `coverage`: the population coverage of the
    garment whose size chart the sales' sizes follow (joins the size curve, and links fit
    returns to fit verdicts)."""
    started = time.perf_counter()
    settings = settings or DemandSettings()
    say = progress or (lambda _: None)
    say("weekly series per article and attribute")
    articles = weekly(sales, "article")
    series = pd.concat([articles, *(weekly(sales, a) for a in sales.attributes)],
                       ignore_index=True)
    demand = forecast_demand(series, settings, progress)
    say("trends")
    trends = tuple(detect_trends(sales, window_weeks=trend_weeks))
    say("customers and returns")
    customers = behaviour(sales)
    sizes = link = None
    if sales.has("size"):
        ids = set(articles["unique_id"])
        total = demand.forecast.loc[demand.forecast["unique_id"].isin(ids), "y_hat"].sum()
        sizes = size_curve(sales, float(total), coverage)
        if coverage is not None:
            link = fit_return_link(customers.by_size, coverage)
    return ForecastResult(sales, series, demand, trends, sizes, customers, link, coverage,
                          time.perf_counter() - started)
