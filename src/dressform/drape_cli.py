"""`dressform drape`: a pattern sewn and simulated onto a clone, written as a dressed GLB, the
garment as OBJ, and a preview."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dressform.console import console, err, progress
from dressform.errors import InvalidInputError, PatternError

GARMENT_RGB = (0.16, 0.27, 0.55)


def drape_cmd(
    body: Annotated[Path, typer.Option(help="The clone: a .glb or .obj written by dressform")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Dressed clone to write (.glb)")],
    pattern: Annotated[Path | None, typer.Option(help=(
        "Pattern file with its seams: GarmentCode .json or .dressform.json"))] = None,
    block: Annotated[str | None, typer.Option(help="Or draft this block (e.g. tshirt, skirt)")
                     ] = None,
    size: Annotated[str, typer.Option(help="Size for --block")] = "M",
    chart: Annotated[str, typer.Option(help="Size chart for --block")] = "women",
    fabric: Annotated[str, typer.Option(help="Fabric preset")] = "cotton_jersey",
    spacing: Annotated[float, typer.Option(help="Particle spacing, mm (finer is slower)")
                       ] = 20.0,
    max_frames: Annotated[int, typer.Option(help="Stop after this many solver steps")
                          ] = 300,
    preview: Annotated[bool, typer.Option(help="Also write a preview PNG")] = True,
    solver: Annotated[str, typer.Option(help=(
        "projective (dressform's own, fast) or newton (Newton's Style3D, the reference)"))
                      ] = "projective",
) -> None:
    """Sew a pattern onto a clone and simulate the cloth until it rests."""
    import trimesh

    from dressform.body.export import ExtraMesh, export_glb, load_body
    from dressform.drape.simulate import drape

    if (pattern is None) == (block is None):
        raise InvalidInputError("give either --pattern FILE or --block NAME")
    if pattern is not None:
        from dressform.garment.io.files import read_pattern

        garment = read_pattern(pattern)
    else:
        from dressform.garment.blocks import draft
        from dressform.garment.sizes import load_chart

        garment = draft(block, load_chart(chart).size(size).body_cm, size=size)  # type: ignore[arg-type]
    if not garment.stitches:
        raise PatternError([f"{garment.name!r} has no seams (DXF-AAMA carries none): drape a "
                            "GarmentCode .json, a .dressform.json or a --block"])
    clone = load_body(body)
    with progress() as bar:
        task = bar.add_task(f"draping {garment.name}", total=max_frames)

        def tick(frame: int, speed: float) -> None:
            bar.update(task, completed=frame,
                       description=f"draping {garment.name} (fastest vertex {speed:.3f} m/s)")

        dressed = drape(garment, clone, fabric, spacing_mm=spacing, max_frames=max_frames,
                        progress=tick, solver=solver)
    mesh = ExtraMesh(garment.name, dressed.vertices, dressed.faces, dressed.uv, GARMENT_RGB)
    out = export_glb(clone, output, [mesh])
    obj = output.with_name(output.stem + f"_{garment.name}.obj")
    trimesh.Trimesh(dressed.vertices, dressed.faces, process=False,
                    visual=trimesh.visual.TextureVisuals(uv=dressed.uv)).export(obj)
    state = "at rest" if dressed.at_rest else "[yellow]not yet at rest[/]"
    console.print(f"{garment.name}: {len(dressed.vertices)} cloth vertices, {dressed.frames} "
                  f"frames, {state}, {dressed.seconds:.0f} s; closest to the skin "
                  f"{1000 * dressed.contact_m.min():+.1f} mm")
    console.print(f"wrote {out} and {obj}")
    if preview:
        from dressform.render.preview import (
            Camera,
            PreviewMesh,
            body_mesh,
            contact_sheet,
            render_meshes,
        )

        names = ("front", "side", "back")
        views = [render_meshes([body_mesh(clone), PreviewMesh(dressed.vertices, dressed.faces,
                                                              GARMENT_RGB)],
                               width=400, height=600, camera=Camera.for_view(v))
                 for v in names]
        sheet = contact_sheet(views, names, columns=3)
        png = output.with_suffix(".png")
        sheet.save(png)
        console.print(f"wrote {png}")
    if not dressed.at_rest:
        err.print("[yellow]the cloth was still moving: raise --max-frames[/]")


fabric_app = typer.Typer(help="Fabric presets and their simulated drape tests.",
                         no_args_is_help=True)


@fabric_app.command("drape-test")
def drape_test_cmd(
    names: Annotated[list[str] | None, typer.Argument(
        help="Fabric presets to test (default: all of them)")] = None,
    png: Annotated[Path | None, typer.Option(help="Also write a picture of the specimens")
                   ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the specimen's starting ripples")] = 0,
) -> None:
    """Simulate a Cusick drape test (30 cm disc on an 18 cm support) for fabric presets and
    report each drape coefficient against the published range for its type."""
    from rich.table import Table

    from dressform.drape.cusick import drape_test
    from dressform.drape.fabrics import PRESETS, fabric_preset

    chosen = [fabric_preset(n).name for n in names] if names else list(PRESETS)
    table = Table(title="Cusick drape test (simulated)")
    for h in ("fabric", "drape coefficient", "published range", "nodes", "steps", "verdict"):
        table.add_column(h, justify="left" if h in ("fabric", "verdict") else "right")
    results = []
    with progress() as bar:
        task = bar.add_task("draping specimens", total=len(chosen))
        for name in chosen:
            bar.update(task, description=f"draping {name}")
            r = drape_test(name, seed=seed)
            results.append(r)
            lo, hi = PRESETS[name].drape_range or (float("nan"), float("nan"))
            verdict = ("[green]in range[/]" if r.in_published_range else "[red]outside[/]")
            if not r.at_rest:
                verdict += " [yellow](not at rest)[/]"
            table.add_row(name, f"{r.coefficient:.2f}", f"{lo:.2f}–{hi:.2f}", str(r.nodes),
                          str(r.steps), verdict)
            bar.advance(task)
    console.print(table)
    if png is not None:
        import numpy as np

        from dressform.render.preview import Camera, PreviewMesh, contact_sheet, render_meshes

        tiles = [render_meshes([PreviewMesh(r.vertices + np.array([0.0, 0.0, 1.0]), r.faces,
                                            GARMENT_RGB)],
                               width=320, height=320,
                               camera=Camera.for_view("front", elevation_deg=35.0))
                 for r in results]
        sheet = contact_sheet(tiles, [f"{r.fabric}  DC {r.coefficient:.2f}" for r in results],
                              columns=len(tiles))
        sheet.save(png)
        console.print(f"wrote {png}")
