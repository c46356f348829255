"""`dressform clone`, `measure` and `cast`: clones from tape measurements, the measurements
of a clone's mesh, and a diverse cast."""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dressform.cli.options import console, err, key_values, progress
from dressform.errors import InvalidInputError

commands = typer.Typer()


def _parse_measure(items: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in key_values(items, "--measure").items():
        try:
            out[name] = float(value)
        except ValueError:
            raise InvalidInputError(f"--measure {name}: {value!r} is not a number") from None
    return out


def _measurement_table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> Table:
    table = Table(title=title)
    for h in header:
        table.add_column(h, justify="left" if h == "measurement" else "right")
    for row in rows:
        table.add_row(*row)
    return table


@commands.command("clone")
def clone_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="Mesh to write (.glb or .obj)")],
    height: Annotated[float | None, typer.Option(help="Height, cm")] = None,
    weight: Annotated[float | None, typer.Option(help="Weight, kg")] = None,
    bust: Annotated[float | None, typer.Option(help="Bust / chest girth, cm")] = None,
    waist: Annotated[float | None, typer.Option(help="Waist girth, cm")] = None,
    hip: Annotated[float | None, typer.Option(help="Hip (seat) girth, cm")] = None,
    measure: Annotated[list[str] | None, typer.Option(
        "--measure", "-m", help="Any other measurement, NAME=VALUE (dressform names in cm, or "
        "FreeSewing names in mm); repeatable")] = None,
    sex: Annotated[str, typer.Option(help="female, male, or a 0–1 blend (1 = male)")] = "female",
    age: Annotated[float, typer.Option(help="Age, years")] = 30.0,
    skin_tone: Annotated[int, typer.Option(help="Monk Skin Tone 1–10")] = 5,
    personality: Annotated[str, typer.Option(help=(
        "How the clone stands and walks: neutral, confident, relaxed, playful, poised"))
    ] = "neutral",
    preview: Annotated[bool, typer.Option(help="Also write a preview PNG beside the mesh")] = True,
    predicted: Annotated[bool, typer.Option(
        "--predicted", help="Also print the measurements not given, as the clone has them")
    ] = False,
) -> None:
    """Fit a clone to tape measurements; print given / reached / residual; write the mesh."""
    from dressform.body.clone import clone_from_measurements
    from dressform.body.files import export_body

    given = {k: v for k, v in (("height_cm", height), ("weight_kg", weight),
                               ("bust_girth_cm", bust), ("waist_girth_cm", waist),
                               ("hip_girth_cm", hip)) if v is not None}
    given.update(_parse_measure(measure or []))
    sex_value: float | str = sex
    with contextlib.suppress(ValueError):
        sex_value = float(sex)
    with err.status("fitting the clone to the measurements..."):
        result = clone_from_measurements(given, sex=sex_value, age_years=age,
                                         skin_tone=skin_tone, personality=personality)
    rows = []
    for name, r in result.residuals.items():
        mark = "[green]ok[/]" if r.ok else "[red]off[/]"
        rows.append((name, f"{r.given:.1f}", f"{r.reached:.1f}", f"{r.residual:+.2f}",
                     f"±{r.tolerance:.1f}", mark))
    console.print(_measurement_table("clone: given vs reached", rows,
                                     ("measurement", "given", "reached", "residual", "tol", "")))
    console.print(result.summary())
    if result.unused:
        console.print(f"accepted, not fitted (no standing-clone equivalent): "
                      f"{', '.join(result.unused)}")
    if predicted:
        rest = [(k, f"{v:.1f}") for k, v in result.measurements.as_dict().items()
                if k not in result.residuals]
        console.print(_measurement_table("clone: predicted", rest,
                                         ("measurement", "value")))
    export_body(result.body, output)
    console.print(f"wrote {output}")
    if preview:
        from dressform.render import render_body, save_png

        png = output.with_suffix(".png")
        save_png(render_body(result.body, width=512, height=768), png)
        console.print(f"wrote {png}")


@commands.command("measure")
def measure_cmd(
    path: Annotated[Path, typer.Argument(help="A clone's mesh (.glb/.obj written by dressform)")],
) -> None:
    """Print the ISO 8559-1 measurements of a clone's mesh."""
    from dressform.body.files import load_body
    from dressform.body.measure import measure

    with err.status("measuring..."):
        values = measure(load_body(path)).as_dict()
    rows = [(k, f"{v:.1f}") for k, v in values.items()]
    console.print(_measurement_table(f"measurements of {path.name}", rows,
                                     ("measurement", "value")))


@commands.command("cast")
def cast_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write the cast to")],
    n: Annotated[int, typer.Option("-n", help="Number of clones")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same cast)")] = 0,
    columns: Annotated[int, typer.Option(help="Contact-sheet columns")] = 6,
) -> None:
    """Sample a diverse cast: meshes, a CSV of specs and measurements, a contact sheet."""
    write_cast(output, n, seed, columns)


def write_cast(output: Path, n: int, seed: int, columns: int) -> Path:
    """Sample `n` clones into `output` (GLBs, cast.csv, a contact sheet in `columns`) and
    print the cast's coverage; `output`."""
    from dressform.body.cast import age_band, cast, coverage_table, sex_label, size_band
    from dressform.body.files import export_glb
    from dressform.body.iso8559 import MEASUREMENT_NAMES
    from dressform.body.measure import measure
    from dressform.render import contact_sheet, render_body, save_png

    output.mkdir(parents=True, exist_ok=True)
    with err.status(f"sampling and building {n} clones..."):
        c = cast(n, seed=seed)
    rows, images, labels = [], [], []
    with progress() as bar:
        task = bar.add_task("measuring, exporting, rendering", total=n)
        for i, (spec, body) in enumerate(zip(c.specs, c.bodies, strict=True), start=1):
            name = f"clone_{i:03d}"
            export_glb(body, output / f"{name}.glb")
            m = measure(body).as_dict()
            rows.append({"name": name, "sex": round(spec.sex, 3), "age_years": spec.age_years,
                         "skin_tone": spec.skin_tone, "expression": spec.expression,
                         "personality": spec.personality,
                         "sex_label": sex_label(spec), "size_band": size_band(spec),
                         "age_band": age_band(spec), **m})
            images.append(render_body(body, width=256, height=384))
            labels.append(f"{i} · MST-{spec.skin_tone} · {spec.age_years:.0f}y · "
                          f"{m['height_cm']:.0f}cm {m['weight_kg']:.0f}kg")
            bar.advance(task)
    csv_path = output / "cast.csv"
    with csv_path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    sheet = output / "contact_sheet.png"
    save_png(contact_sheet(images, labels, columns=min(columns, n)), sheet)
    for group, counts in coverage_table(list(c.specs)).items():
        table = Table(title=f"coverage: {group}")
        table.add_column(group)
        table.add_column("clones", justify="right")
        for key, count in counts.items():
            table.add_row(key, str(count))
        console.print(table)
    console.print(f"wrote {n} meshes, {csv_path} and {sheet} ({len(MEASUREMENT_NAMES)} "
                  "measurements per clone)")
    return output
