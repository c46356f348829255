"""The forecast as an HTML report with charts (one folder: index.html, PNG charts, CSVs)."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from dressform.files import atomic_open, atomic_path
from dressform.forecast.run import ForecastResult
from dressform.forecast.trends import share_series

CSS = """body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;
color:#1d1d1f}h1{font-size:24px}h2{margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 8px;border-bottom:1px solid #eee;
text-align:right}td:first-child,th:first-child{text-align:left}img{max-width:100%}
.note{color:#666}.flag{color:#a33}"""


def write_report(result: ForecastResult, out: str | Path, top: int = 6) -> Path:
    """Write the report into folder `out`; returns index.html's path."""
    import matplotlib

    matplotlib.use("Agg")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    d = result.demand
    write_csv(d.forecast, folder / "forecast.csv")
    write_csv(d.choices, folder / "backtest.csv")
    trends = pd.DataFrame([t.__dict__ for t in result.trends])
    write_csv(trends, folder / "trends.csv")
    ignored = result.sales.ignored
    parts = [f"<h1>Demand forecast</h1><p>{html.escape(result.sales.describe())}. Source: "
             f"{html.escape(result.sales.source)}. Horizon {d.settings.horizon} weeks, "
             f"{d.settings.level} % intervals; computed in {result.seconds:.0f} s.</p>"
             + (f"<p class='note'>Columns left out (not attributes: one value, or over 50): "
                f"{html.escape(', '.join(ignored))}.</p>" if ignored else "")]
    parts += _demand(result, folder, top)
    parts += _trends(result, trends, folder)
    parts += _sizes(result, folder)
    parts += _customers(result, folder)
    page = folder / "index.html"
    with atomic_open(page, "w") as f:
        f.write(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>dressform "
                f"forecast</title><style>{CSS}</style></head><body>{''.join(parts)}"
                "</body></html>")
    return page


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """`df` as a CSV file (dates as days), written atomically."""
    with atomic_open(path, "w") as f:
        df.to_csv(f, index=False, date_format="%Y-%m-%d")


def _table(df: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for _, r in df.iterrows():
        cells = []
        for c in df.columns:
            v = r[c]
            text = (formats[c].format(v) if c in formats and pd.notna(v)
                    else ("—" if isinstance(v, float) and np.isnan(v) else str(v)))
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _save(fig, path: Path) -> str:  # type: ignore[no-untyped-def]
    import matplotlib.pyplot as plt

    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", bbox_inches="tight")
    plt.close(fig)
    return f"<img src='{path.name}' alt='{path.stem}'>"


def _demand(result: ForecastResult, folder: Path, top: int) -> list[str]:
    import matplotlib.pyplot as plt

    d = result.demand
    s = d.summary()
    out = ["<h2>Demand, back-tested</h2>"]
    if s.get("series"):
        out.append(
            f"<p>Rolling-origin back-test: {d.settings.windows} windows of "
            f"{d.settings.horizon} weeks, {int(s['series'])} series. Against the seasonal-"
            f"naive baseline (season {d.season_length} weeks):</p>" + _table(pd.DataFrame({
                "": ["chosen per series", "seasonal naive"],
                "MASE": [s["mase"], s["base_mase"]], "sMAPE %": [s["smape"], s["base_smape"]],
                f"coverage of {d.settings.level} % intervals": [s["coverage"],
                                                                   s["base_coverage"]]}),
                {"MASE": "{:.3f}", "sMAPE %": "{:.1f}",
                 f"coverage of {d.settings.level} % intervals": "{:.0f} %"})
            + f"<p>The chosen model beats the baseline's MASE on "
              f"{100 * s['beats_baseline']:.0f} % of the series.</p>")
    counts = d.choices.groupby(["kind", "model"]).size().reset_index(name="series")
    out.append(_table(counts))
    out += [f"<p class='note'>{html.escape(n)}</p>" for n in d.notes]
    units = result.series.groupby("unique_id")["y"].sum().sort_values(ascending=False)
    articles = set(result.sales.frame["article"])
    ids = [u for u in units.index if u in articles][:top] or list(units.index[:top])
    fig, axes = plt.subplots(len(ids), 1, figsize=(10, 2.3 * len(ids)), squeeze=False)
    for ax, uid in zip(axes[:, 0], ids, strict=True):
        hist = result.series[result.series["unique_id"] == uid].tail(78)
        fc = d.forecast[d.forecast["unique_id"] == uid]
        ax.plot(hist["ds"], hist["y"], color="#333", lw=1, label="sold")
        ax.plot(fc["ds"], fc["y_hat"], color="#2f4f8f", lw=2, label=fc["model"].iloc[0])
        if fc["lo"].notna().any():
            ax.fill_between(fc["ds"], fc["lo"], fc["hi"], color="#2f4f8f", alpha=0.2,
                            label=f"{d.settings.level} % interval")
        ax.set_title(uid, loc="left", fontsize=10)
        ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    out.append(_save(fig, folder / "demand.png"))
    return out


def _trends(result: ForecastResult, trends: pd.DataFrame, folder: Path) -> list[str]:
    import matplotlib.pyplot as plt
    from matplotlib.colors import is_color_like

    out = ["<h2>Trends</h2>"]
    if trends.empty:
        return [*out, "<p>No attributes to test (columns other than the known ones).</p>"]
    moving = [t for t in result.trends if t.direction != "flat"]
    out.append(f"<p>{len(moving)} of {len(result.trends)} attribute values changed share "
               "significantly (recent weeks against the weeks before; two-proportion z-test, "
               "Benjamini–Hochberg adjusted p &lt; 0.05).</p>")
    table = pd.DataFrame({"attribute": [t.attribute for t in result.trends],
                          "value": [t.value for t in result.trends],
                          "direction": [t.direction for t in result.trends],
                          "evidence": [t.evidence for t in result.trends]})
    out.append(_table(table))
    attrs = list(dict.fromkeys(t.attribute for t in (moving or result.trends)))[:3]
    fig, axes = plt.subplots(len(attrs), 1, figsize=(10, 2.6 * len(attrs)), squeeze=False)
    for ax, attr in zip(axes[:, 0], attrs, strict=True):
        shares = share_series(result.sales, attr).rolling(4, min_periods=1).mean()
        for col in shares.columns:
            # A colour's line is drawn in that colour (green in green), else the cycle's.
            own = {"color": str(col)} if is_color_like(str(col)) else {}
            ax.plot(shares.index, 100 * shares[col], lw=1.5, label=str(col), **own)
        ax.set_ylabel("% of units")
        ax.set_title(f"{attr}: share of units (4-week mean)", loc="left", fontsize=10)
        ax.legend(fontsize=8, ncol=4)
    fig.tight_layout()
    out.append(_save(fig, folder / "trends.png"))
    return out


def _sizes(result: ForecastResult, folder: Path) -> list[str]:
    import matplotlib.pyplot as plt

    if result.sizes is None:
        return ["<h2>Size curve</h2><p>The sales have no size column.</p>"]
    c = result.sizes
    write_csv(c.table, folder / "sizes.csv")
    src = ("sales (kept units) and the population's coverage, "
           f"{100 * c.weight_sales:.0f} : {100 * (1 - c.weight_sales):.0f}"
           if result.coverage is not None else "sales (kept units); no population given")
    out = ["<h2>Size curve</h2>", f"<p>Forecast units per size, from {src}.</p>",
           _table(c.table, {"sales_share": "{:.1%}", "population_share": "{:.1%}",
                            "share": "{:.1%}", "units": "{:.0f}"})]
    out += [f"<p class='flag'>{html.escape(f)}</p>" for f in c.flags()]
    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = np.arange(len(c.table))
    for k, (col, label) in enumerate((("sales_share", "sales"),
                                      ("population_share", "population"),
                                      ("share", "forecast curve"))):
        ax.bar(x + (k - 1) * 0.27, 100 * c.table[col], 0.27, label=label)
    ax.set_xticks(x, c.table["size"])
    ax.set_ylabel("% of units")
    ax.legend(fontsize=8)
    out.append(_save(fig, folder / "sizes.png"))
    return out


def _customers(result: ForecastResult, folder: Path) -> list[str]:
    import matplotlib.pyplot as plt

    b = result.customers
    out = ["<h2>Customers and returns</h2>"]
    if b.customers:
        out.append(f"<p>{b.customers} customers; {100 * b.repeat_rate:.1f} % bought again "
                   f"(on another day or order); {b.orders_per_customer:.2f} orders each.</p>")
    for name, df in (("size", b.by_size), ("fit", b.by_fit)):
        if df.empty or "return_rate" not in df.columns:
            continue
        write_csv(df, folder / f"returns_by_{name}.csv")
        out.append(f"<h3>Returns by {name}</h3>" + _table(
            df, {"return_rate": "{:.1%}", "fit_return_rate": "{:.1%}"}))
    if not b.by_size.empty and "fit_return_rate" in b.by_size.columns:
        fig, ax = plt.subplots(figsize=(9, 3))
        t = b.by_size
        ax.bar(t["size"], 100 * t["too_small"] / t["units"], label="too small")
        ax.bar(t["size"], 100 * t["too_large"] / t["units"],
               bottom=100 * t["too_small"] / t["units"], label="too large")
        ax.set_ylabel("% of units returned for fit")
        ax.legend(fontsize=8)
        out.append(_save(fig, folder / "returns.png"))
    if result.link is not None:
        out.append("<h3>Fit returns and the fit verdicts</h3><p>The share of the people "
                   "wearing each size (the population's coverage) whom it leaves tight or snug, "
                   "or loose, at a control girth, beside that size's returns for being too "
                   "small or too large.</p>" + _table(result.link, {
                       "population_tight_or_snug": "{:.0%}", "population_loose": "{:.0%}",
                       "too_small_rate": "{:.1%}", "too_large_rate": "{:.1%}"}))
    return out
