"""`dressform pattern …`: draft a block, grade it over a size chart, validate a pattern file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from dressform.cli.options import console, err, key_values, progress
from dressform.errors import InvalidInputError

if TYPE_CHECKING:
    from dressform.garment.pattern import Pattern

commands = typer.Typer()
pattern_app = typer.Typer(
    help="Sewing patterns: draft a block (one command per block), grade, validate.",
    no_args_is_help=True,
)
commands.add_typer(pattern_app, name="pattern")


def _design(fit: str | None, items: list[str]) -> dict[str, object]:
    """The design of `--fit` and the `--design KEY=VALUE` items (numbers as numbers)."""
    design: dict[str, object] = {} if fit is None else {"fit": fit}
    for key, value in key_values(items, "--design").items():
        try:
            design[key] = float(value)
        except ValueError:
            design[key] = value
    return design


def _measurements(path: Path) -> dict[str, float]:
    """The body measurements in a `--measurements` JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InvalidInputError(f"--measurements {path}: cannot read a JSON object ({e})"
                                ) from None
    if not isinstance(data, dict):
        raise InvalidInputError(f"--measurements {path}: expected a JSON object of name: value")
    return data


def _summary(pattern: Pattern) -> None:
    """Print a drafted pattern's ease per level, its pieces and its fabric use."""
    from dressform.garment.quantities import fabric_use, girth_at

    table = Table(title=f"{pattern.name}{' · ' + pattern.size if pattern.size else ''}")
    for h in ("level", "body cm", "garment cm", "ease cm"):
        table.add_column(h, justify="left" if h == "level" else "right")
    for level, ease in pattern.ease_cm.items():
        body = pattern.body_cm.get(f"{level}_girth_cm")
        if level in pattern.levels_mm and body is not None:
            table.add_row(level, f"{body:.1f}", f"{girth_at(pattern, level):.1f}", f"{ease:+.1f}")
    console.print(table)
    console.print(f"{len(pattern.panels)} panels, {len(pattern.stitches)} seams")
    for use in fabric_use(pattern):
        console.print(f"fabric {use.fabric!r}: {use.area_m2:.2f} m² in pieces, marker "
                      f"{use.marker_length_m:.2f} m at {use.width_mm / 10:.0f} cm wide "
                      f"({use.efficiency:.0%} used)")


def _block_command(block: str, doc: str) -> Callable[..., None]:
    """The command that drafts `block` (its help: `doc`)."""

    def command(
        output: Annotated[Path, typer.Option("-o", "--output", help=(
            "File to write: .svg (1:1 print), .png (preview), .dxf (AAMA), .json "
            "(GarmentCode), .dressform.json (dressform's own)"))],
        size: Annotated[str | None, typer.Option(help="Size label from --chart")] = None,
        chart: Annotated[str, typer.Option(help="Size chart: women, men, or a .csv/.yaml")
                         ] = "women",
        measurements: Annotated[Path | None, typer.Option(help=(
            "JSON of body measurements (dressform names in cm or FreeSewing's in mm) for a "
            "made-to-measure draft instead of a size"))] = None,
        ease: Annotated[str | None, typer.Option("--ease", "--fit",
                                                 help="Fit: slim, regular or oversized")] = None,
        design: Annotated[list[str] | None, typer.Option(help=(
            "Design choice KEY=VALUE, repeatable: length_cm, sleeve (none/short/long), "
            "sleeve_length_cm, neckline_depth_cm, neckline_width_cm, flare_cm, waistband_cm, "
            "hem_width_cm"))] = None,
    ) -> None:
        from dressform.garment.blocks import draft
        from dressform.garment.io.files import write_pattern
        from dressform.garment.sizes import load_chart

        if (size is None) == (measurements is None):
            raise InvalidInputError("give either --size (with --chart) or --measurements")
        if measurements is not None:
            body, label = _measurements(measurements), measurements.stem
        else:
            body, label = load_chart(chart).size(size).body_cm, size  # type: ignore[arg-type]
        pattern = draft(block, body, _design(ease, design or []), size=label)
        _summary(pattern)
        console.print(f"wrote {write_pattern(pattern, output)}")

    command.__doc__ = doc
    return command


def _register_blocks() -> None:
    """One `dressform pattern BLOCK` command per block, its help the block's own summary."""
    from dressform.garment.blocks import BLOCKS

    for name, (fn, _) in BLOCKS.items():
        doc = " ".join((fn.__doc__ or name).split()).split(": ", 1)[0]
        pattern_app.command(name, help=f"Draft: {doc}")(_block_command(name, doc))


_register_blocks()


@pattern_app.command("grade")
def grade_cmd(
    block: Annotated[str, typer.Argument(help="Block to grade (e.g. tshirt, trousers)")],
    output: Annotated[Path, typer.Option("-o", "--output", help=(
        "Folder: one pattern file per size and the graded nest (nest.png, nest.svg)"))],
    chart: Annotated[str, typer.Option(help="Size chart: women, men, or a .csv/.yaml")
                     ] = "women",
    ease: Annotated[str | None, typer.Option("--ease", "--fit", help="Fit")] = None,
    fmt: Annotated[str, typer.Option("--format", help="Per-size files: svg, png, dxf, json")
                   ] = "svg",
) -> None:
    """Draft a block for every size of a chart, check it grows with the size, draw the nest."""
    from dressform.garment import drawing
    from dressform.garment.blocks import draft
    from dressform.garment.grading import grading_problems, nest_items
    from dressform.garment.io.files import write_pattern
    from dressform.garment.sizes import load_chart

    c = load_chart(chart)
    graded = {}
    with progress() as bar:
        task = bar.add_task(f"grading {block} over {c.name}", total=len(c.sizes))
        for s in c.sizes:
            graded[s.label] = draft(block, s.body_cm, _design(ease, []), size=s.label)
            write_pattern(graded[s.label], output / f"{block}_{s.label}.{fmt}")
            bar.advance(task)
    items = nest_items(graded)
    drawing.write(items, output / "nest.svg")
    drawing.write(items, output / "nest.png")
    found = grading_problems(graded)
    if found:
        err.print("[yellow]grading is not monotone:[/] " + "; ".join(found[:5]))
        raise typer.Exit(1)
    console.print(f"graded {len(graded)} sizes ({', '.join(graded)}): every girth and width "
                  f"grows with the size; wrote {output}")


@pattern_app.command("validate")
def validate_cmd(
    path: Annotated[Path, typer.Argument(help="Pattern file: .dxf (AAMA) or .json")],
) -> None:
    """Check that a pattern can be sewn; list every problem (exit 1 if any)."""
    from dressform.garment.io.files import read_pattern
    from dressform.garment.validate import problems

    pattern = read_pattern(path)
    found = problems(pattern)
    if found:
        for f in found:
            err.print(f"[red]✗[/] {f}")
        err.print(f"[red]{path.name}: {len(found)} problem(s)[/]")
        raise typer.Exit(1)
    console.print(f"[green]✓[/] {path.name}: {len(pattern.panels)} panels, "
                  f"{len(pattern.stitches)} seams — can be sewn")
