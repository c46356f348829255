"""Forecasting: a generated catalogue whose answers are known, real retail transactions
(CDNOW, shipped in the lifetimes package), bad files, and the command line."""

from __future__ import annotations

import pandas as pd
import pytest

from dressform.fit.coverage import coverage
from dressform.fit.population import population_from_records
from dressform.forecast.customers import behaviour
from dressform.forecast.data import (
    KNOWN_FIT_RETURNS,
    KNOWN_REPEAT_RATE,
    KNOWN_SIZE_SHARES,
    cdnow,
    cdnow_path,
    known_case,
)
from dressform.forecast.demand import DemandSettings, forecast_demand
from dressform.forecast.run import run_forecast
from dressform.forecast.sales import SalesError, read_sales, validate_sales
from dressform.forecast.series import weekly
from dressform.forecast.sizes import fit_return_link, size_curve
from dressform.garment.sizes import builtin_chart


@pytest.fixture(scope="module")
def known():
    sales = known_case()
    return sales, run_forecast(sales, DemandSettings(horizon=8, windows=3))


def test_trends_find_the_colours_that_moved(known):
    _, result = known
    by = {(t.attribute, t.value): t for t in result.trends}
    assert by[("colour", "green")].direction == "rising"
    assert by[("colour", "red")].direction == "falling"
    assert by[("colour", "black")].direction == "flat"
    assert {by[("fit", v)].direction for v in ("slim", "regular")} == {"flat"}
    assert by[("colour", "green")].p_value < 1e-3


def test_returns_and_repeat_purchases_are_counted_exactly(known):
    _sales, result = known
    b = result.customers
    assert b.repeat_rate == pytest.approx(KNOWN_REPEAT_RATE, abs=0.002)
    rates = b.by_size.set_index("size")
    for size, (reason, share) in KNOWN_FIT_RETURNS.items():
        column = "too_small" if reason == "too small" else "too_large"
        assert rates.loc[size, "fit_return_rate"] == pytest.approx(share, abs=0.001)
        assert rates.loc[size, column] == rates.loc[size, "fit_returns"]
    assert list(rates.index) == ["S", "M", "L", "XL"]  # size order, not alphabetical


def test_each_series_gets_a_model_for_its_demand_pattern(known):
    _, result = known
    c = result.demand.choices.set_index("unique_id")
    assert c.loc["scarf", "kind"] == "intermittent"
    assert c.loc["tee", "kind"] == "smooth" and c.loc["coat", "kind"] == "smooth"
    # Flat Poisson demand: a level forecast beats repeating last year's noise.
    assert c.loc["tee", "model"] != "SeasonalNaive"
    assert c.loc["tee", "mase"] < 0.85 * c.loc["tee", "base_mase"]
    fc = result.demand.forecast
    tee = fc[fc["unique_id"] == "tee"]
    assert len(tee) == 8 and (fc["y_hat"] >= 0).all()
    assert tee["y_hat"].mean() == pytest.approx(40, abs=6)
    s = result.demand.summary()
    assert s["mase"] < s["base_mase"] and 50 <= s["coverage"] <= 100


def test_size_curve_from_sales_is_the_kept_shares(known):
    _sales, result = known
    kept = {s: p * (1 - KNOWN_FIT_RETURNS[s][1]) for s, p in KNOWN_SIZE_SHARES.items()}
    total = sum(kept.values())
    t = result.sizes.table.set_index("size")
    for s, k in kept.items():
        assert t.loc[s, "share"] == pytest.approx(k / total, abs=0.02)
    assert t["units"].sum() == pytest.approx(
        result.demand.forecast.query("~unique_id.str.contains('=')")["y_hat"].sum(), rel=0.01)


def test_population_coverage_joins_the_size_curve_and_flags_gaps(known):
    sales, _ = known
    people = population_from_records(
        [{"sex": "female", "height_cm": 168, "bust_girth_cm": b, "waist_girth_cm": b - 16,
          "hip_girth_cm": b + 8} for b in (84, 88, 92, 92, 96, 100)]
        + [{"sex": "female", "height_cm": 168, "bust_girth_cm": 150, "waist_girth_cm": 140,
            "hip_girth_cm": 158}])
    cov = coverage(people, "tshirt", builtin_chart("women"), sample=0)
    odd = validate_sales(pd.concat([sales.frame.head(50).assign(size="7XL"),
                                    sales.frame], ignore_index=True))
    curve = size_curve(odd, 1000.0, cov, weight_sales=0.5)
    t = curve.table.set_index("size")
    assert t["share"].sum() == pytest.approx(1.0)
    assert t.loc["M", "population_share"] > 0 and "7XL" in curve.not_in_chart
    assert curve.uncovered.get("bigger than the largest size", 0) == pytest.approx(1 / 7)
    flags = " ".join(curve.flags())
    assert "bigger than the largest size" in flags and "7XL" in flags
    link = fit_return_link(behaviour(sales).by_size, cov)
    assert {"population_tight_or_snug", "too_small_rate"} <= set(link.columns)
    assert link.set_index("size").loc["S", "too_small_rate"] == pytest.approx(0.2, abs=0.001)


def test_real_cdnow_transactions():
    sales = cdnow()
    f = sales.frame
    assert f["customer_id"].nunique() == 23570
    assert sales.start == pd.Timestamp("1997-01-01") and sales.end == pd.Timestamp("1998-06-30")
    # The cohort: every customer's first purchase is in the first quarter of 1997.
    assert f.groupby("customer_id")["date"].min().max() < pd.Timestamp("1997-04-01")
    # Repeat buyers counted independently of dressform, from the raw file.
    raw = pd.read_csv(cdnow_path(), sep=r"\s+", dtype=str)
    days = raw.groupby("customer_id")["date"].nunique()
    assert behaviour(sales).repeat_rate == pytest.approx(float((days > 1).mean()), abs=1e-9)
    total = weekly(sales, "article")
    some = f[f["customer_id"].isin(f["customer_id"].drop_duplicates().head(300))]
    customers = weekly(validate_sales(some.assign(article="c" + some["customer_id"])))
    d = forecast_demand(pd.concat([total, customers]), DemandSettings(horizon=8, windows=3))
    c = d.choices.set_index("unique_id")
    assert c.loc["cd", "season"] == 52  # 79 weeks: a year before the back-test
    assert set(c["season"]) <= {52, 13} and (c["kind"] == "short").sum() == 0
    assert c.loc["cd", "kind"] == "smooth" and (c["kind"] == "intermittent").sum() > 250
    s = d.summary()
    assert s["mase"] <= s["base_mase"] and s["series"] == len(c)
    assert d.forecast.groupby("unique_id").size().eq(8).all()


def test_bad_sales_files_are_refused_with_the_line(tmp_path):
    def bad(text: str, match: str, name: str = "s.csv") -> None:
        p = tmp_path / name
        p.write_text(text)
        with pytest.raises(SalesError, match=match):
            read_sales(p)

    bad("date,article\n2026-01-01,a\n", "missing column.*quantity")
    bad("date,article,quantity\n2026-01-01,a,1\nyesterday,a,2\n", "'yesterday'.*line.*3")
    bad("date,article,quantity\n2026-01-01,a,-1\n", "quantity must be a number ≥ 0.*line.*2")
    bad("date,article,quantity\n2026-01-01,a,1.5\n", "whole number")
    bad("date,article,quantity,returned\n2026-01-01,a,1,2\n", "returned exceeds quantity")
    bad("date,article,quantity\n", "no sales lines")
    bad("date,sku,article,quantity\n2026-01-01,a,a,1\n", "appears twice")
    bad("x", "give a .csv or .parquet", name="s.xlsx")
    with pytest.raises(SalesError, match="no sales file"):
        read_sales(tmp_path / "none.csv")
    ok = tmp_path / "ok.csv"
    ok.write_text("Date,SKU,Qty,Color\n2026-01-05,a,2,Red\n2026-01-06,b,1,Blue\n")
    s = read_sales(ok)
    assert s.attributes == ("colour",) and s.frame["colour"][0] == "red"


def test_parquet_reads_like_csv(tmp_path):
    frame = known_case(weeks=60).frame
    frame.to_parquet(tmp_path / "s.parquet")
    s = read_sales(tmp_path / "s.parquet")
    assert len(s.frame) == len(frame) and set(s.attributes) == {"colour", "fit"}


def test_cli_writes_the_report(cli, tmp_path):
    csv = tmp_path / "sales.csv"
    r = cli("sales-example", "known", "-o", str(csv))
    assert r.returncode == 0, r.stderr
    out = tmp_path / "report"
    r = cli("forecast", str(csv), "-o", str(out), "--horizon", "4", "--windows", "2")
    assert r.returncode == 0, r.stderr
    assert "rising: colour green" in r.stdout
    page = (out / "index.html").read_text()
    assert "Trends" in page and "seasonal naive" in page and "Returns by size" in page
    for png in ("demand.png", "trends.png", "sizes.png", "returns.png"):
        assert (out / png).stat().st_size > 10_000
    assert len(pd.read_csv(out / "forecast.csv")) == 4 * 8  # 8 series × 4 weeks
    r = cli("forecast", str(tmp_path / "missing.csv"))
    assert r.returncode != 0 and "no sales file" in r.stderr and "Traceback" not in r.stderr


def test_identifier_columns_are_not_attributes_and_a_part_week_is_dropped(tmp_path):
    frame = known_case(weeks=60).frame
    frame = frame[frame["date"] <= "2024-02-20"]  # ends on a Tuesday
    frame = frame.assign(email=[f"p{i}@example.com" for i in range(len(frame))],
                         shop="online")
    s = validate_sales(frame)
    assert set(s.attributes) == {"colour", "fit"} and set(s.ignored) == {"email", "shop"}
    w = weekly(s, "article")
    assert w["ds"].max() == pd.Timestamp("2024-02-12")  # the last whole week's Monday


def test_short_intermittent_series_do_not_stop_the_run():
    weeks = pd.date_range("2025-01-06", periods=36, freq="W-MON")
    y = [0.0] * 36
    y[5], y[20] = 2.0, 1.0
    df = pd.concat([pd.DataFrame({"unique_id": f"a{k}", "ds": weeks, "y": y})
                    for k in range(3)], ignore_index=True)
    d = forecast_demand(df, DemandSettings(horizon=8, windows=3))
    assert set(d.choices["kind"]) == {"short"} and len(d.forecast) == 3 * 8
