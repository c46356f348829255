"""`dressform fit`: drape a garment on a clone and write the fit report (or advise a size)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dressform.console import console, progress
from dressform.drape_cli import MaxFrames, Spacing, _garment, _ticker


def fit_cmd(
    body: Annotated[Path, typer.Option(help="The clone: a .glb or .obj written by dressform")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Report to write (.png; an "
                                         ".html page and the heat maps go beside it)")],
    garment: Annotated[str, typer.Option(help="A block name (e.g. tshirt) or a pattern file")
                       ] = "tshirt",
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
) -> None:
    """Drape a garment on a clone and write a one-page fit report: stretch and pressure maps,
    ease at each girth, a verdict per region, lengths; with no --size, the size advice."""
    from dressform.body.export import load_body
    from dressform.drape.simulate import drape
    from dressform.errors import InvalidInputError
    from dressform.fit import advise, assess
    from dressform.fit.advice import chart_name_for
    from dressform.fit.page import write_report
    from dressform.fit.verdict import EASE_BANDS_PCT
    from dressform.garment.sizes import load_chart

    if intent not in EASE_BANDS_PCT:
        raise InvalidInputError(f"unknown fit intent {intent!r}; use slim, regular or oversized")
    clone = load_body(body)
    chart_name = chart or chart_name_for(clone.spec)
    is_file = Path(garment).suffix != ""
    advice_text = None
    if size is None and not is_file:
        with console.status("advising a size") as status:
            advice = advise(clone, garment, chart=load_chart(chart_name), fabric=fabric,
                            intent=intent, spacing_mm=spacing, max_frames=max_frames,  # type: ignore[arg-type]
                            progress=lambda s: status.update(f"draping size {s}"))
        size, advice_text = advice.size, advice.reason
        console.print(f"advice: [bold]{advice_text}[/]")
    pattern = _garment(Path(garment) if is_file else None, None if is_file else garment,
                       size or "M", chart_name)
    with progress() as bar:
        dressed = drape(pattern, clone, fabric, spacing_mm=spacing, max_frames=max_frames,
                        progress=_ticker(bar, pattern.name, max_frames))
    report = assess(dressed, clone, fabric, intent)  # type: ignore[arg-type]
    for v in report.verdicts.values():
        console.print(f"{v.region:10s} {v.verdict:8s} {v.reason}")
    for c in report.lengths:
        console.print(c.describe())
    title = f"fit report: {pattern.name} size {size or '-'} on {body.name}"
    written = write_report(report, clone, dressed, output, title, advice_text)
    console.print(f"wrote {', '.join(str(p) for p in written)}")
