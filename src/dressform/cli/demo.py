"""`dressform demo`: the main job end to end, through the other modules' commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dressform.cli.options import console

commands = typer.Typer()


@commands.command("demo")
def demo_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder")] = Path(
        "out/demo"),
) -> None:
    """The main job: a 12-clone diverse cast, a clone from tape measurements, a T-shirt
    pattern made to the clone's measure, a skirt graded over the women's size chart, how
    well the T-shirt's sizes cover the cast (from the charts alone: no drapes), and a small
    real campaign: four clones, two looks, two shots each, draped, shot photoreal, signed
    (C2PA), watermarked, recorded in a SQLite store, with a contact sheet and a lookbook."""
    # The demo runs the commands themselves (their printing and files), so it imports them
    # when it runs: the other modules need nothing of this one.
    from dressform.body.files import load_body
    from dressform.body.measure import measure as measure_body
    from dressform.cli.body import clone_cmd, write_cast
    from dressform.cli.campaign import DEMO, run_cmd
    from dressform.cli.consent import verify_cmd
    from dressform.cli.fit import coverage_cmd
    from dressform.cli.pattern import grade_cmd
    from dressform.garment.blocks import draft
    from dressform.garment.io.files import write_pattern
    from dressform.provenance.keys import CHAIN_FILE, KEY_FILE, make_dev_credentials

    write_cast(output / "cast", 12, 0, 6)
    clone_cmd(output=output / "me.glb", height=168, weight=62, bust=88, waist=70, hip=96,
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
    keys = output / "keys"
    if not (keys / KEY_FILE).is_file():
        make_dev_credentials(keys)
    db = f"sqlite:///{(output / 'dressform.db').resolve()}"
    console.print(f"campaign {DEMO.name}: development signing keys in {keys}, store {db}")
    run_cmd(DEMO, output=output / "campaign", executor="local", workers=2, address=None,
            key=keys / KEY_FILE, chain=keys / CHAIN_FILE, db=db)
    first = sorted((output / "campaign").glob("*/*/*.jpg"))[0]
    verify_cmd(first, trust=keys / "ca.pem")
