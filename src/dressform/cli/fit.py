"""`dressform fit` and `coverage`: drape a garment on a clone and write the fit report (or
advise a size); how much of a population a garment's sizes fit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dressform.cli.options import (
    BodyFile,
    Garment,
    MaxFrames,
    Spacing,
    console,
    draping,
    garment_block,
    garment_pattern,
    garment_source,
    load_people,
    progress,
)

commands = typer.Typer()


@commands.command("fit")
def fit_cmd(
    body: BodyFile,
    output: Annotated[Path, typer.Option("-o", "--output", help="Report to write (.png; an "
                                         ".html page and the heat maps go beside it)")],
    garment: Garment = "tshirt",
    size: Annotated[str | None, typer.Option(help=(
        "Size to fit (blocks); without it, dressform advises one by draping the likely "
        "sizes"))] = None,
    chart: Annotated[str | None, typer.Option(help=(
        "Size chart (default: the women's or men's chart by the clone's sex)"))] = None,
    fabric: Annotated[str, typer.Option(help="Fabric preset")] = "cotton_jersey",
    intent: Annotated[str, typer.Option(help="Fit intent: slim, regular or oversized")
                      ] = "regular",
    spacing: Spacing = 20.0,
    max_frames: MaxFrames = 300,
    print_: Annotated[str | None, typer.Option("--print", help=(
        "The cloth's print (stripes, breton, check, dots): the report says where it jumps "
        "across a seam the pattern matches"))] = None,
    print_cm: Annotated[float, typer.Option(help="The print's repeat (cm)")] = 5.0,
) -> None:
    """Drape a garment on a clone and write a one-page fit report: stretch and pressure maps,
    ease at each girth, a verdict per region, lengths, a print's jumps at the seams; with no
    --size, the size advice."""
    from dressform.body.files import load_body
    from dressform.drape.construction import construction
    from dressform.drape.prints import PRINT_AXES, print_match
    from dressform.drape.simulate import drape
    from dressform.errors import FitError, InvalidInputError
    from dressform.fit import advise, assess
    from dressform.fit.advice import chart_name_for
    from dressform.fit.ease import ease_settled
    from dressform.fit.page import write_report
    from dressform.fit.report import unsettled
    from dressform.fit.verdict import EASE_BANDS_PCT
    from dressform.garment.sizes import load_chart

    if intent not in EASE_BANDS_PCT:
        raise InvalidInputError(f"unknown fit intent {intent!r}; use slim, regular or oversized")
    if print_ is not None and (print_ not in PRINT_AXES or print_ == "image"):
        raise InvalidInputError(f"unknown print {print_!r}: use stripes, breton, check or "
                                "dots")
    if not print_cm > 0:
        raise InvalidInputError(f"a print's repeat is a positive length, not {print_cm} cm")
    is_block = isinstance(garment_source(garment), str)
    clone = load_body(body)
    chart_name = chart or chart_name_for(clone.spec)
    advice_text = None
    if size is None and is_block:
        with console.status("advising a size") as status:
            advice = advise(clone, garment, chart=load_chart(chart_name), fabric=fabric,
                            intent=intent, spacing_mm=spacing, max_frames=max_frames,  # type: ignore[arg-type]
                            progress=lambda s: status.update(f"draping size {s}"))
        size, advice_text = advice.size, advice.reason
        console.print(f"advice: [bold]{advice_text}[/]")
    pattern = garment_pattern(garment, size or "M", chart_name)
    with progress() as bar:
        dressed = drape(pattern, clone, fabric, spacing_mm=spacing, max_frames=max_frames,
                        progress=draping(bar, pattern.name, max_frames),
                        converged=ease_settled(clone))
    if not dressed.at_rest:
        raise FitError(unsettled(dressed))
    prints = None if print_ is None else print_match(
        construction(pattern, spacing), print_cm / 100.0, print_)
    report = assess(dressed, clone, fabric, intent, prints)  # type: ignore[arg-type]
    for v in report.verdicts.values():
        console.print(f"{v.region:10s} {v.verdict:8s} {v.reason}")
    for c in report.lengths:
        console.print(c.describe())
    for j in prints.visible if prints else ():
        console.print(f"[red]{j.describe(prints.kind)}[/]")  # type: ignore[union-attr]
    title = f"fit report: {pattern.name} size {size or '-'} on {body.name}"
    written = write_report(report, clone, dressed, output, title, advice_text)
    console.print(f"wrote {', '.join(str(p) for p in written)}")


@commands.command("coverage")
def coverage_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help=(
        "Folder for the report: coverage_<chart>.png (charts), .html and .csv (every "
        "person's size or why none fits)"))],
    population: Annotated[Path | None, typer.Option(help=(
        "People as a CSV: measurement columns (dressform names in cm, or FreeSewing's in mm), "
        "optional name, sex, age_years; a cast's cast.csv works as it is"))] = None,
    cast: Annotated[int | None, typer.Option(help=(
        "Instead of --population: sample a diverse cast of this many clones"))] = None,
    # The same option as elsewhere, but only a block will do: coverage drafts every size.
    garment: Annotated[str, typer.Option(
        "--garment", help="A block name (e.g. tshirt, trousers)")] = "tshirt",
    chart: Annotated[str | None, typer.Option(help=(
        "Size chart (default: the built-in women's and men's charts, each for its people)"))
                     ] = None,
    intent: Annotated[str | None, typer.Option(help=(
        "Fit intent: slim, regular or oversized (default: the block's own)"))] = None,
    fabric: Annotated[str, typer.Option(help="Fabric preset of the sample drapes")
                      ] = "cotton_jersey",
    sample: Annotated[int, typer.Option(help=(
        "People to drape to correct the chart's estimate (0: the chart alone)"))] = 6,
    seed: Annotated[int, typer.Option(help="Seed of the cast and of the sample")] = 0,
    spacing: Spacing = 25.0,
    max_frames: MaxFrames = 250,
) -> None:
    """Which share of a population each size of a garment fits, the share the size set fits,
    who no size fits and why, and a size curve — from the chart, corrected by drapes."""
    from dressform.errors import InvalidInputError
    from dressform.fit.coverage import coverage
    from dressform.fit.coverage_page import write_coverage
    from dressform.garment.sizes import builtin_chart, load_chart

    if (population is None) == (cast is None):
        raise InvalidInputError("give one of --population FILE.csv or --cast N")
    block = garment_block(garment, "coverage drafts the garment in every size of a chart")
    people = load_people(population, cast, seed)
    if chart:
        charts = [load_chart(chart)]
    else:
        present = {s for s in people.sex if s} or {"female"}
        charts = [builtin_chart(name) for name, sex in (("women", "female"), ("men", "male"))
                  if sex in present]
    for ch in charts:
        with console.status(f"sizing {len(people)} people in the {ch.name} chart") as status:
            report = coverage(people, block, ch, intent=intent, fabric=fabric,  # type: ignore[arg-type]
                              sample=sample, seed=seed, spacing_mm=spacing,
                              max_frames=max_frames, progress=status.update)
        for line in report.summary():
            console.print(line)
        written = write_coverage(report, output / f"coverage_{ch.name.split()[-1]}.png")
        console.print(f"wrote {', '.join(str(p) for p in written)}")

