"""`dressform` command line: thin shells over the library, with Rich tables and progress."""

from __future__ import annotations

import contextlib
import csv
import sys
import warnings
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.table import Table

from dressform.campaign_cli import campaign_app, consent_app, keys_app, verify_cmd
from dressform.console import console, err, key_values
from dressform.console import progress as _progress
from dressform.drape_cli import drape_cmd, fabric_app, outfit_cmd
from dressform.errors import DressformError, DressformWarning, InvalidInputError
from dressform.fit_cli import coverage_cmd, fit_cmd
from dressform.forecast_cli import forecast_cmd, sales_example_cmd
from dressform.pattern_cli import grade_cmd, pattern_app
from dressform.shoot_cli import shoot_cmd, turntable_cmd, walk_cmd
from dressform.web_cli import serve_cmd, tryon_app

app = typer.Typer(
    name="dressform",
    help="dressform: digital clones for fashion — bodies, measurements, casts, patterns, "
         "drapes, photoreal shoots.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(pattern_app, name="pattern")
app.command("drape")(drape_cmd)
app.command("outfit")(outfit_cmd)
app.command("fit")(fit_cmd)
app.command("coverage")(coverage_cmd)
app.add_typer(fabric_app, name="fabric")
app.command("shoot")(shoot_cmd)
app.command("turntable")(turntable_cmd)
app.command("walk")(walk_cmd)
app.add_typer(campaign_app, name="campaign")
app.add_typer(consent_app, name="consent")
app.add_typer(keys_app, name="keys")
app.command("verify")(verify_cmd)
app.command("serve")(serve_cmd)
app.command("forecast")(forecast_cmd)
app.command("sales-example")(sales_example_cmd)
app.add_typer(tryon_app, name="tryon")


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


@app.command()
def clone(
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
    preview: Annotated[bool, typer.Option(help="Also write a preview PNG beside the mesh")] = True,
    predicted: Annotated[bool, typer.Option(
        "--predicted", help="Also print the measurements not given, as the clone has them")
    ] = False,
) -> None:
    """Fit a clone to tape measurements; print given / reached / residual; write the mesh."""
    from dressform.body.clone import clone_from_measurements
    from dressform.body.export import export_body

    given = {k: v for k, v in (("height_cm", height), ("weight_kg", weight),
                               ("bust_girth_cm", bust), ("waist_girth_cm", waist),
                               ("hip_girth_cm", hip)) if v is not None}
    given.update(_parse_measure(measure or []))
    sex_value: float | str = sex
    with contextlib.suppress(ValueError):
        sex_value = float(sex)
    with err.status("fitting the clone to the measurements..."):
        result = clone_from_measurements(given, sex=sex_value, age_years=age,
                                         skin_tone=skin_tone)
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


@app.command("measure")
def measure_cmd(
    path: Annotated[Path, typer.Argument(help="A clone's mesh (.glb/.obj written by dressform)")],
) -> None:
    """Print the ISO 8559-1 measurements of a clone's mesh."""
    from dressform.body.export import load_body
    from dressform.body.measure import measure

    with err.status("measuring..."):
        values = measure(load_body(path)).as_dict()
    rows = [(k, f"{v:.1f}") for k, v in values.items()]
    console.print(_measurement_table(f"measurements of {path.name}", rows,
                                     ("measurement", "value")))


@app.command("cast")
def cast_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write the cast to")],
    n: Annotated[int, typer.Option("-n", help="Number of clones")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same cast)")] = 0,
    columns: Annotated[int, typer.Option(help="Contact-sheet columns")] = 6,
) -> None:
    """Sample a diverse cast: meshes, a CSV of specs and measurements, a contact sheet."""
    write_cast(output, n, seed, columns)


def write_cast(output: Path, n: int, seed: int, columns: int) -> Path:
    from dressform.body.cast import age_band, cast, coverage_table, sex_label, size_band
    from dressform.body.export import export_glb
    from dressform.body.measure import MEASUREMENT_NAMES, measure
    from dressform.render import contact_sheet, render_body, save_png

    output.mkdir(parents=True, exist_ok=True)
    with err.status(f"sampling and building {n} clones..."):
        c = cast(n, seed=seed)
    rows, images, labels = [], [], []
    with _progress() as progress:
        task = progress.add_task("measuring, exporting, rendering", total=n)
        for i, (spec, body) in enumerate(zip(c.specs, c.bodies, strict=True), start=1):
            name = f"clone_{i:03d}"
            export_glb(body, output / f"{name}.glb")
            m = measure(body).as_dict()
            rows.append({"name": name, "sex": round(spec.sex, 3), "age_years": spec.age_years,
                         "skin_tone": spec.skin_tone, "expression": spec.expression,
                         "sex_label": sex_label(spec), "size_band": size_band(spec),
                         "age_band": age_band(spec), **m})
            images.append(render_body(body, width=256, height=384))
            labels.append(f"{i} · MST-{spec.skin_tone} · {spec.age_years:.0f}y · "
                          f"{m['height_cm']:.0f}cm {m['weight_kg']:.0f}kg")
            progress.advance(task)
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


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder")] = Path(
        "out/demo"),
) -> None:
    """The main job: a 12-clone diverse cast, a clone from tape measurements, a T-shirt
    pattern made to the clone's measure, a skirt graded over the women's size chart, how
    well the T-shirt's sizes cover the cast (from the charts alone: no drapes), and a small
    real campaign: four clones, two looks, two shots each, draped, shot photoreal, signed
    (C2PA), watermarked, recorded in a SQLite store, with a contact sheet and a lookbook."""
    from dressform.body.export import load_body
    from dressform.body.measure import measure as measure_body
    from dressform.garment.blocks import draft
    from dressform.garment.io.files import write_pattern

    write_cast(output / "cast", 12, 0, 6)
    clone(output=output / "me.glb", height=168, weight=62, bust=88, waist=70, hip=96,
          measure=None, sex="female", age=30, skin_tone=6, preview=True, predicted=False)
    body = measure_body(load_body(output / "me.glb")).as_dict()
    tee = draft("tshirt", {k: v for k, v in body.items() if k != "weight_kg"}, size="me")
    for suffix in (".svg", ".png", ".dxf", ".json"):
        write_pattern(tee, output / "patterns" / f"tshirt_me{suffix}")
    console.print(f"wrote the clone's made-to-measure T-shirt to {output / 'patterns'} "
                  "(SVG 1:1, PNG, DXF-AAMA, GarmentCode JSON)")
    grade_cmd("skirt", output / "patterns" / "skirt_graded", chart="women", ease=None,
              fmt="svg")
    coverage_cmd(output=output / "coverage", population=output / "cast" / "cast.csv",
                 cast=None, garment="tshirt", chart=None, intent=None, fabric="cotton_jersey",
                 sample=0, seed=0, spacing=25.0, max_frames=250)
    from dressform.campaign_cli import DEMO, run_cmd
    from dressform.provenance.keys import CHAIN_FILE, KEY_FILE, make_dev_credentials

    keys = output / "keys"
    if not (keys / KEY_FILE).is_file():
        make_dev_credentials(keys)
    db = f"sqlite:///{(output / 'dressform.db').resolve()}"
    console.print(f"campaign {DEMO.name}: development signing keys in {keys}, store {db}")
    run_cmd(DEMO, output=output / "campaign", executor="local", workers=2, address=None,
            key=keys / KEY_FILE, chain=keys / CHAIN_FILE, db=db)
    first = sorted((output / "campaign").glob("*/*/*.jpg"))[0]
    verify_cmd(first, trust=keys / "ca.pem")


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: TextIO | None = None, line: str | None = None) -> None:
    """dressform's own warnings as one plain line on stderr, not a source location."""
    if issubclass(category, DressformWarning):
        err.print(f"[yellow]warning:[/] {message}")
    else:
        _default_show(message, category, filename, lineno, file, line)


_default_show = warnings.showwarning


def main() -> None:
    warnings.showwarning = _show_warning
    try:
        app()
    except DressformError as exc:
        err.print(f"[red]error:[/] {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
