"""`dressform forecast` and `dressform sales-example`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dressform.cli.options import console, err, garment_block, load_people

commands = typer.Typer()


@commands.command("forecast")
def forecast_cmd(
    sales: Annotated[Path, typer.Argument(help="Sales lines (.csv or .parquet): date, "
                                          "article, quantity[, size, price, customer_id, "
                                          "order_id, returned, return_reason, attributes…]")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Report folder")] = Path(
        "forecast"),
    horizon: Annotated[int, typer.Option(help="Weeks to forecast")] = 8,
    windows: Annotated[int, typer.Option(help="Back-test windows (of --horizon weeks)")] = 3,
    level: Annotated[int, typer.Option(help="Prediction interval, %")] = 80,
    garment: Annotated[str, typer.Option(help=(
        "Block whose size chart the sizes follow (for the population's size curve)"))
    ] = "tshirt",
    chart: Annotated[str, typer.Option(help="Size chart of the sizes sold")] = "women",
    population: Annotated[Path | None, typer.Option(help=(
        "Customers' measurements (CSV) for the size curve and fit-return link"))] = None,
    cast: Annotated[int | None, typer.Option(help=(
        "Instead of --population: a sampled diverse cast of this many clones"))] = None,
    jobs: Annotated[int, typer.Option(help="Processes for the models")] = 1,
) -> None:
    """Forecast weekly demand per article and attribute (back-tested against a seasonal
    naive), find trends, split the forecast per size with the population's coverage, and
    read repeat purchases and returns: an HTML report with charts and CSVs."""
    from dressform.forecast.demand import DemandSettings
    from dressform.forecast.report import write_report
    from dressform.forecast.run import run_forecast
    from dressform.forecast.sales import read_sales

    data = read_sales(sales)
    console.print(f"{sales}: {data.describe()}")
    report = None
    if population is not None or cast is not None:
        from dressform.fit.coverage import coverage
        from dressform.garment.sizes import load_chart

        block = garment_block(garment, "the size curve drafts the garment in every size of a chart")
        people = load_people(population, cast)
        with console.status(f"sizing {len(people)} people in the {chart} chart"):
            report = coverage(people, block, load_chart(chart), sample=0)
    settings = DemandSettings(horizon=horizon, level=level, windows=windows, n_jobs=jobs)
    with console.status("forecasting") as status:
        result = run_forecast(data, settings, report, progress=status.update)
    s = result.demand.summary()
    if s.get("series"):
        console.print(f"back-test of {int(s['series'])} series: MASE {s['mase']:.3f} "
                      f"(seasonal naive {s['base_mase']:.3f}), sMAPE {s['smape']:.1f} % "
                      f"({s['base_smape']:.1f} %), {level} % intervals cover "
                      f"{s['coverage']:.0f} % ({s['base_coverage']:.0f} %)")
    for t in result.trends:
        if t.direction != "flat":
            console.print(f"{t.direction}: {t.attribute} {t.value} — {t.evidence}")
    if result.sizes is not None:
        for flag in result.sizes.flags():
            err.print(f"[yellow]size:[/] {flag}")
    page = write_report(result, output)
    console.print(f"wrote {page} in {result.seconds:.0f} s")


@commands.command("sales-example")
def sales_example_cmd(
    which: Annotated[str, typer.Argument(help="known (generated, answers known) or cdnow "
                                         "(real CD sales, from the lifetimes package)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV to write")] = Path(
        "sales.csv"),
) -> None:
    """Write example sales lines to try `dressform forecast` on."""
    from dressform.errors import InvalidInputError
    from dressform.forecast.data import cdnow, known_case
    from dressform.forecast.report import write_csv

    makers = {"known": known_case, "cdnow": cdnow}
    if which not in makers:
        raise InvalidInputError(f"unknown example {which!r}: use known or cdnow")
    frame = makers[which]().frame
    write_csv(frame, output)
    console.print(f"wrote {output} ({len(frame)} lines)")
