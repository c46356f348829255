"""What the command modules share: the consoles and progress bar (stdout for results, stderr
for progress and errors), the option types more than one module uses, the one reading of a
`--garment` value, and the error handling round the whole app.

Only light imports at module level: every command imports this at start-up, and `--help`
must stay quick; what a helper needs it imports when it runs.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from dressform.errors import DressformError, DressformWarning, InvalidInputError

if TYPE_CHECKING:
    from dressform.fit.population import Population
    from dressform.garment.pattern import Pattern
    from dressform.render.wear import Wear



BaseOpt = Annotated[str, typer.Option("--base", help=(
    "Base layer under the garments: auto (by the body), briefs-bra, briefs-bralette, briefs, "
    "trunks, bodysuit, vest-shorts, or none"))]
BaseColor = Annotated[str, typer.Option(help="Base-layer colour: nude (matched to the skin "
                                             "tone), black or white")]
ShoesOpt = Annotated[str, typer.Option("--shoes", help=(
    "Shoes: trainers, court, loafers, sandals, ankle-boots, or barefoot"))]
HeelOpt = Annotated[float | None, typer.Option("--heel", help=(
    "Heel height in mm (default: the shoes' own)"))]
ShoeMaterial = Annotated[str | None, typer.Option(help=(
    "Shoe material: leather, suede, canvas, rubber, patent (default: the shoes' own)"))]
ShoeColor = Annotated[str | None, typer.Option(help="Shoe colour: a name or #rrggbb")]


def worn_as(base: str, base_color: str, shoes: str, heel: float | None,
          material: str | None, color: str | None) -> Wear:
    """The `Wear` the wear options (`BaseOpt` …) ask for."""
    from dressform.render.wear import Wear

    return Wear(base=base, base_color=base_color, shoes=shoes, heel_mm=heel,
                shoe_material=material, shoe_color=color)


def make_console(stderr: bool = False) -> Console:
    """A console for stdout or stderr that wraps lines only on a terminal: piped into a file
    or a script, a path or a message stays on one line, as grep and the reader expect."""
    made = Console(stderr=stderr)
    made.soft_wrap = not made.is_terminal
    return made


console = make_console()
err = make_console(stderr=True)

# --- option types used by commands of more than one module ---------------------------------

BodyFile = Annotated[Path, typer.Option(help="The clone: a .glb or .obj written by dressform")]
Garment = Annotated[str, typer.Option("--garment", help=(
    "A block name (e.g. tshirt) or a pattern file (.dressform.json, GarmentCode .json or "
    ".dxf)"))]
Spacing = Annotated[float, typer.Option(help="Particle spacing, mm (finer is slower)")]
MaxFrames = Annotated[int, typer.Option(help="Stop each drape after this many steps")]
Db = Annotated[str | None, typer.Option("--db", help=(
    "Database URL (default: $DRESSFORM_DATABASE_URL, else SQLite in .dressform/)"))]


# --- progress ------------------------------------------------------------------------------

def progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                    console=err, transient=False)


def draping(bar: Progress, label: str, total: int) -> Callable[[int, float], None]:
    """A task on `bar` for one drape, and the solver's progress callback that moves it."""
    task = bar.add_task(f"draping {label}", total=total)

    def tick(frame: int, speed: float) -> None:
        bar.update(task, completed=frame,
                   description=f"draping {label} (fastest vertex {speed:.3f} m/s)")

    return tick


# --- values ----------------------------------------------------------------------------------

def key_values(items: list[str], option: str) -> dict[str, str]:
    """`KEY=VALUE` command-line items as a mapping (a clear error for any other form)."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise InvalidInputError(f"{option} expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def garment_source(value: str, option: str = "--garment") -> str | Path:
    """A `--garment` value as the block it names (str) or the pattern file it names (Path);
    a clear error naming both possibilities when it is neither."""
    from dressform.garment.blocks import BLOCKS
    from dressform.names import suggest

    # A block name wins over a file of the same name in the working folder: block names
    # carry no suffix, and a pattern file always has one.
    if value in BLOCKS:
        return value
    path = Path(value)
    if path.is_file():
        return path
    hint = "" if path.suffix else suggest(value, BLOCKS)
    raise InvalidInputError(
        f"{option} {value!r} is neither a block ({', '.join(BLOCKS)}) nor a pattern file "
        f"that exists (.dressform.json, GarmentCode .json or .dxf){hint}")


def garment_pattern(value: str, size: str, chart: str, option: str = "--garment") -> Pattern:
    """The pattern a `--garment` value names, with its seams (every caller drapes it): a
    block drafted in `size` of `chart`, or a pattern file read."""
    from dressform.errors import PatternError

    source = garment_source(value, option)
    if isinstance(source, Path):
        from dressform.garment.io.files import read_pattern

        pattern = read_pattern(source)
    else:
        from dressform.garment.blocks import draft
        from dressform.garment.sizes import load_chart

        pattern = draft(source, load_chart(chart).size(size).body_cm, size=size)
    if not pattern.stitches:
        raise PatternError([f"{pattern.name!r} has no seams (DXF-AAMA carries none): drape a "
                            "GarmentCode .json, a .dressform.json or a block"])
    return pattern


def garment_block(value: str, why: str, option: str = "--garment") -> str:
    """The block a `--garment` value names, where only a block will do (`why`: the reason,
    said when a pattern file is given)."""
    from dressform.garment.blocks import BLOCKS

    source = garment_source(value, option)
    if isinstance(source, Path):
        raise InvalidInputError(f"{option} {value!r} is a pattern file, but {why}: give a "
                                f"block ({', '.join(BLOCKS)})")
    return source


def load_people(population: Path | None, cast: int | None, seed: int = 0) -> Population:
    """People from a CSV file, else a sampled diverse cast of `cast` clones (measured)."""
    from dressform.body.cast import cast as sample_cast
    from dressform.fit.population import population_from_bodies, read_population

    if population is not None:
        return read_population(population)
    if not cast or cast < 1:
        raise InvalidInputError("--cast needs at least one clone")
    with console.status(f"sampling, building and measuring a cast of {cast}"):
        c = sample_cast(cast, seed=seed)
        return population_from_bodies([f"clone_{i:03d}" for i in range(1, cast + 1)],
                                      c.bodies)


# --- errors and warnings -------------------------------------------------------------------

_default_show = warnings.showwarning


def show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: TextIO | None = None, line: str | None = None) -> None:
    """dressform's own warnings as one plain line on stderr, not a source location."""
    if issubclass(category, DressformWarning):
        err.print(f"[yellow]warning:[/] {message}")
    else:
        _default_show(message, category, filename, lineno, file, line)


def run(app: typer.Typer) -> None:
    """Run `app` as the user's command: dressform's own errors (bad input the user can act
    on) as one red line and exit status 1, never a traceback."""
    warnings.showwarning = show_warning
    try:
        app()
    except DressformError as exc:
        err.print(f"[red]error:[/] {exc}")
        sys.exit(1)
