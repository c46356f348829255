"""Weekly demand forecasts, each series' model chosen by rolling-origin back-testing and
always reported against a seasonal-naive baseline.

Each series is classed by its demand pattern (Syntetos–Boylan: intermittent when the average
interval between non-zero weeks is over 1.32 weeks) and given candidates that suit it:
AutoETS and AutoARIMA for smooth demand, Croston (optimised) and TSB for intermittent demand,
and the seasonal-naive forecast for both. Every candidate is back-tested on the last
`windows` × `horizon` weeks (each window forecast from the history before it); the one with
the lowest MASE over the windows is chosen and refitted on the whole history. Weekly data
carries a yearly season of 52 weeks, longer than ETS takes (it fits trend and level); the
seasonal naive carries the year over, and wins where the year repeats.

A series whose history cannot hold a full year before the back-test windows (a customer who
came later than the data begins) is compared with a 13- or 4-week seasonal naive instead.
Series too short to back-test at all (a launch of the last weeks) get the naive forecast,
marked `short`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dressform.errors import InvalidInputError
from dressform.forecast.series import FREQ

BASELINE = "SeasonalNaive"
SMOOTH = ("AutoETS", "AutoARIMA")
INTERMITTENT = ("CrostonOptimized", "TSB")
#: Syntetos–Boylan's cut-off on the average demand interval (weeks).
ADI_CUTOFF = 1.32
#: AutoARIMA costs ~50× AutoETS per series: above this many smooth series it is left out
#: (ETS and the baseline remain) to keep tens of thousands of series within minutes.
ARIMA_MAX_SERIES = 2000
#: Above this many smooth series, the back-test fits each model once (at the first origin)
#: rather than at every origin.
REFIT_MAX_SERIES = 2000


@dataclass(frozen=True)
class DemandSettings:
    horizon: int = 8
    level: int = 80
    windows: int = 3
    season_length: int = 52
    n_jobs: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= 104:
            raise InvalidInputError(f"horizon must be 1–104 weeks, not {self.horizon}")
        if not 50 <= self.level < 100:
            raise InvalidInputError(f"interval level must be 50–99 %, not {self.level}")
        if not 1 <= self.windows <= 20:
            raise InvalidInputError(f"back-test windows must be 1–20, not {self.windows}")


@dataclass(frozen=True, eq=False)
class Demand:
    """Forecasts (`forecast`: unique_id, ds, model, y_hat, lo, hi) and per-series back-test
    results (`choices`: unique_id, kind, adi, model, mase, smape, coverage and the baseline's
    base_mase, base_smape, base_coverage)."""

    forecast: pd.DataFrame = field(repr=False)
    choices: pd.DataFrame = field(repr=False)
    settings: DemandSettings
    season_length: int  # the baseline's season of most series
    seconds: float
    notes: tuple[str, ...] = ()

    def summary(self) -> dict[str, float]:
        """Back-test figures over the series that had one: means of the chosen models'
        MASE, sMAPE (%) and interval coverage (%), the baseline's, and the share of series
        where the chosen model beat the baseline's MASE."""
        c = self.choices[self.choices["kind"] != "short"]
        if c.empty:
            return {"series": 0.0}
        both = c.dropna(subset=["mase", "base_mase"])
        return {
            "series": float(len(c)),
            "mase": float(both["mase"].mean()), "base_mase": float(both["base_mase"].mean()),
            "smape": float(c["smape"].mean()), "base_smape": float(c["base_smape"].mean()),
            "coverage": float(c["coverage"].mean()),
            "base_coverage": float(c["base_coverage"].mean()),
            "beats_baseline": float((both["mase"] < both["base_mase"]).mean()),
        }


def classify(series: pd.DataFrame) -> pd.DataFrame:
    """unique_id, n (weeks), adi (mean weeks between sales), kind (smooth/intermittent)."""
    g = series.groupby("unique_id")["y"]
    n = g.size()
    nonzero = g.apply(lambda y: int((y > 0).sum()))
    adi = n / nonzero.clip(lower=1)
    kind = np.where(nonzero == 0, "intermittent", np.where(adi > ADI_CUTOFF, "intermittent",
                                                           "smooth"))
    return pd.DataFrame({"unique_id": n.index, "n": n.values, "adi": adi.values,
                         "kind": kind})


def season_for(weeks: int, settings: DemandSettings) -> int:
    """The season the data can carry: `settings.season_length` if every back-test window
    has a full season before it, else the longest of 13 and 4 weeks that does, else 1."""
    span = settings.windows * settings.horizon
    for m in (settings.season_length, 13, 4):
        if weeks >= m + span + 1:
            return m
    return 1


def forecast_demand(series: pd.DataFrame, settings: DemandSettings | None = None,
                    progress: Callable[[str], None] | None = None) -> Demand:
    """Back-test, choose and forecast every series of `series` (unique_id, ds, y)."""
    from statsforecast import StatsForecast
    from statsforecast.models import (
        TSB,
        AutoARIMA,
        AutoETS,
        CrostonOptimized,
        Naive,
        SeasonalNaive,
    )
    from statsforecast.utils import ConformalIntervals

    settings = settings or DemandSettings()
    if series.empty:
        raise InvalidInputError("no series to forecast")
    started = time.perf_counter()
    h, level = settings.horizon, settings.level
    kinds = classify(series)
    span = settings.windows * h
    # Each series is back-tested against the longest season its history can carry: a
    # customer who came later has fewer weeks than the data.
    kinds["season"] = [season_for(int(n), settings) for n in kinds["n"]]
    # Too short to back-test: under 8 weeks before the first origin, or for intermittent
    # series under the 2·h + 1 their conformal intervals are calibrated on.
    need = np.where(kinds["kind"] == "intermittent", span + 2 * h + 1, span + 8)
    kinds.loc[kinds["n"] < need, "kind"] = "short"
    notes = []
    conformal = ConformalIntervals(h=h, n_windows=2)
    n_smooth = int((kinds["kind"] == "smooth").sum())
    if n_smooth > ARIMA_MAX_SERIES:
        notes.append(f"{n_smooth} smooth series: AutoARIMA left out (over "
                     f"{ARIMA_MAX_SERIES}); AutoETS and the baseline compete")
    forecasts, choices = [], []
    for (kind, season), part in kinds[kinds["kind"] != "short"].groupby(["kind", "season"]):
        m = int(season)
        if m != settings.season_length:
            notes.append(f"{len(part)} {kind} series have too few weeks for a "
                         f"{settings.season_length}-week season before the back-test: their "
                         f"baseline repeats {m} week(s)")
        small_m = m if m <= 24 else 1  # ETS takes no season over 24
        if kind == "smooth":
            models = [AutoETS(season_length=small_m, alias="AutoETS")]
            if n_smooth <= ARIMA_MAX_SERIES:
                models.append(AutoARIMA(season_length=small_m, alias="AutoARIMA"))
        else:
            models = [CrostonOptimized(prediction_intervals=conformal),
                      TSB(alpha_d=0.2, alpha_p=0.2, prediction_intervals=conformal)]
        ids = part["unique_id"]
        df = series[series["unique_id"].isin(ids)]
        names = [mod.alias for mod in models] + [BASELINE]
        if progress:
            progress(f"back-testing {len(ids)} {kind} series ({', '.join(names)})")
        # A model that cannot be fitted to a series (too few non-zero weeks) gives way to
        # the naive forecast for it rather than stopping the run.
        sf = StatsForecast(models=[*models, SeasonalNaive(season_length=m, alias=BASELINE)],
                           freq=FREQ, n_jobs=settings.n_jobs, fallback_model=Naive())
        # Above REFIT_MAX_SERIES smooth series, ETS and ARIMA are fitted at the first origin
        # and their states carried through the later windows (half the cost); Croston and
        # TSB are cheap and cannot be carried, so they are refitted.
        refit = kind != "smooth" or len(ids) <= REFIT_MAX_SERIES
        cv = sf.cross_validation(df=df, h=h, n_windows=settings.windows, step_size=h,
                                 level=[level], refit=refit)
        chosen = _choose(_scores(cv, df, names, m, level), names)
        chosen = chosen.merge(part[["unique_id", "kind", "adi", "season"]], on="unique_id")
        choices.append(chosen)
        if progress:
            progress(f"forecasting {len(ids)} {kind} series")
        forecasts.append(_pick(sf.forecast(df=df, h=h, level=[level]), chosen, level))
    short = kinds[kinds["kind"] == "short"]
    if not short.empty:
        df = series[series["unique_id"].isin(short["unique_id"])]
        fc = StatsForecast(models=[Naive()], freq=FREQ, n_jobs=1).forecast(
            df=df, h=h, level=[level])
        chosen = short[["unique_id", "kind", "adi", "season"]].assign(model="Naive")
        forecasts.append(_pick(fc, chosen, level))
        choices.append(chosen)
        notes.append(f"{len(short)} series too short to back-test (under {span + 8} weeks, "
                     f"intermittent under {span + 2 * h + 1}): naive forecast")
    season = int(kinds["season"].mode().iloc[0])
    return Demand(pd.concat(forecasts, ignore_index=True),
                  pd.concat(choices, ignore_index=True), settings, season,
                  time.perf_counter() - started, tuple(notes))


def _scores(cv: pd.DataFrame, history: pd.DataFrame, names: list[str], season: int,
            level: int) -> pd.DataFrame:
    """Per series and model over all windows: MASE (scaled by the series' in-sample
    seasonal-naive error before the first origin, lag `season`, or lag 1 where that is
    zero), sMAPE (%, 0–200) and the share of actuals inside the interval."""
    # The scale comes from the history before each series' first origin only: the test
    # windows must not inform their own yardstick.
    first = cv.groupby("unique_id")["cutoff"].min()
    before = history[history["ds"] <= history["unique_id"].map(first)]
    scale = _scale(before, season)
    rows = []
    for name in names:
        err = (cv["y"] - cv[name]).abs()
        denom = cv["y"].abs() + cv[name].abs()
        smape = np.where(denom > 0, 2.0 * err / denom.where(denom > 0, 1.0), 0.0)
        lo, hi = cv.get(f"{name}-lo-{level}"), cv.get(f"{name}-hi-{level}")
        inside = (((cv["y"] >= lo) & (cv["y"] <= hi)).astype(float).where(lo.notna() & hi.notna())
                  if lo is not None and hi is not None else np.nan)
        part = pd.DataFrame({"unique_id": cv["unique_id"], "err": err, "smape": smape,
                             "inside": inside})
        g = part.groupby("unique_id").agg(mae=("err", "mean"), smape=("smape", "mean"),
                                          coverage=("inside", "mean"))
        g["mase"] = g["mae"] / scale.reindex(g.index)
        g["model"] = name
        rows.append(g.reset_index())
    out = pd.concat(rows, ignore_index=True)
    out["smape"] *= 100.0
    out["coverage"] *= 100.0
    out["mase"] = out["mase"].replace([np.inf, -np.inf], np.nan)
    return out


def _scale(history: pd.DataFrame, season: int) -> pd.Series:
    def one(y: pd.Series) -> float:
        v = y.to_numpy()
        for m in (season, 1):
            if len(v) > m:
                d = np.abs(v[m:] - v[:-m]).mean()
                if d > 0:
                    return float(d)
        return np.nan

    return history.groupby("unique_id")["y"].apply(one)


def _choose(scores: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The candidate with the lowest MASE per series (sMAPE where MASE is undefined, the
    baseline on ties), with its figures and the baseline's."""
    order = {n: i for i, n in enumerate(reversed(names))}  # baseline first on ties
    s = scores.assign(rank=scores["model"].map(order))
    s = s.assign(key=s["mase"].fillna(np.inf), key2=s["smape"])
    best = s.sort_values(["unique_id", "key", "key2", "rank"]).groupby("unique_id").head(1)
    base = scores[scores["model"] == BASELINE].set_index("unique_id")
    best = best.set_index("unique_id")[["model", "mase", "smape", "coverage"]]
    best[["base_mase", "base_smape", "base_coverage"]] = base[["mase", "smape", "coverage"]]
    return best.reset_index()


def _pick(fc: pd.DataFrame, chosen: pd.DataFrame, level: int) -> pd.DataFrame:
    """Each series' chosen model's forecast: unique_id, ds, model, y_hat, lo, hi (≥ 0)."""
    fc = fc.reset_index() if "unique_id" not in fc.columns else fc
    fc = fc.merge(chosen[["unique_id", "model"]], on="unique_id")
    out = []
    for name, part in fc.groupby("model"):
        lo, hi = f"{name}-lo-{level}", f"{name}-hi-{level}"
        out.append(pd.DataFrame({
            "unique_id": part["unique_id"], "ds": part["ds"], "model": name,
            "y_hat": part[name].clip(lower=0.0),
            "lo": part[lo].clip(lower=0.0) if lo in part else np.nan,
            "hi": part[hi].clip(lower=0.0) if hi in part else np.nan}))
    return pd.concat(out, ignore_index=True)
