"""`dressform drape`, `outfit` and `fabric drape-test`: garments sewn and simulated onto a
clone, written as a dressed GLB, each garment as OBJ, and a preview; fabrics' drape tests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dressform.cli.options import (
    BaseColor,
    BaseOpt,
    BodyFile,
    Garment,
    HeelOpt,
    MaxFrames,
    ShoeColor,
    ShoeMaterial,
    ShoesOpt,
    Spacing,
    console,
    draping,
    err,
    garment_pattern,
    progress,
    worn_as,
)
from dressform.drape.spacing import DRAPE_SPACING_MM

if TYPE_CHECKING:
    from dressform.body.mesh import Body
    from dressform.drape.simulate import DrapedGarment
    from dressform.drape.worn import GarmentRecord
    from dressform.render.wear import Wear

GARMENT_RGB = (0.16, 0.27, 0.55)
Stance = Annotated[str, typer.Option(help=(
    "How the clone stands while dressed: a-pose (anny's rest pose) or fitting (each leg 4° "
    "further out: room for trouser legs between thighs that touch)"))]

commands = typer.Typer()
fabric_app = typer.Typer(help="Fabric presets and their simulated drape tests.",
                         no_args_is_help=True)
commands.add_typer(fabric_app, name="fabric")


@commands.command("drape")
def drape_cmd(
    body: BodyFile,
    output: Annotated[Path, typer.Option("-o", "--output", help="Dressed clone to write (.glb)")],
    garment: Garment,
    size: Annotated[str, typer.Option(help="Size for a block --garment")] = "M",
    chart: Annotated[str, typer.Option(help="Size chart for a block --garment")] = "women",
    fabric: Annotated[str, typer.Option(help="Fabric preset")] = "cotton_jersey",
    spacing: Spacing = DRAPE_SPACING_MM,
    max_frames: Annotated[int, typer.Option(help="Stop after this many solver steps")
                          ] = 300,
    preview: Annotated[bool, typer.Option(help="Also write a preview PNG")] = True,
    solver: Annotated[str, typer.Option(help=(
        "projective (dressform's own, fast) or newton (Newton's Style3D, the reference)"))
                      ] = "projective",
    stance: Stance = "a-pose",
    hood: Annotated[str, typer.Option(help=(
        "A hood worn up, or down (pushed off the head onto the back)"))] = "up",
    base: BaseOpt = "auto",
    base_color: BaseColor = "nude",
    shoes: ShoesOpt = "trainers",
    heel: HeelOpt = None,
    shoe_material: ShoeMaterial = None,
    shoe_color: ShoeColor = None,
) -> None:
    """Sew a pattern onto a clone and simulate the cloth until it rests; the preview shows
    it over the clone's base layer, in shoes (the wear options)."""
    from dressform.drape.simulate import drape
    from dressform.drape.worn import record

    pattern = garment_pattern(garment, size, chart)
    wear = worn_as(base, base_color, shoes, heel, shoe_material, shoe_color)
    clone = _standing(body, stance)
    with progress() as bar:
        dressed = drape(pattern, clone, fabric, spacing_mm=spacing, max_frames=max_frames,
                        progress=draping(bar, pattern.name, max_frames), solver=solver,
                        hood=hood)
    _report(pattern.name, dressed)
    _write(clone, [(pattern.name, dressed, record(pattern, fabric, dressed))], output,
           preview and wear)


@commands.command("outfit")
def outfit_cmd(
    body: BodyFile,
    output: Annotated[Path, typer.Option("-o", "--output", help="Dressed clone to write (.glb)")],
    top: Annotated[str, typer.Option(help="Top: a block name or a pattern file")] = "tshirt",
    bottom: Annotated[str, typer.Option(help="Bottom: a block name or a pattern file")
                      ] = "trousers",
    layering: Annotated[str, typer.Option(help="tucked (top inside the bottom) or over")
                        ] = "over",
    size: Annotated[str, typer.Option(help="Size for blocks")] = "M",
    chart: Annotated[str, typer.Option(help="Size chart for blocks")] = "women",
    top_fabric: Annotated[str, typer.Option(help="Fabric preset of the top")
                          ] = "cotton_jersey",
    bottom_fabric: Annotated[str, typer.Option(help="Fabric preset of the bottom")
                             ] = "cotton_poplin",
    spacing: Spacing = DRAPE_SPACING_MM,
    max_frames: MaxFrames = 400,
    preview: Annotated[bool, typer.Option(help="Also write a preview PNG")] = True,
    stance: Stance = "a-pose",
    base: BaseOpt = "auto",
    base_color: BaseColor = "nude",
    shoes: ShoesOpt = "trainers",
    heel: HeelOpt = None,
    shoe_material: ShoeMaterial = None,
    shoe_color: ShoeColor = None,
) -> None:
    """Dress a clone in a top and a bottom, layered: the inner one drapes first, the outer
    one over it; the preview shows them over the clone's base layer, in shoes."""
    from dressform.drape.outfit import dress
    from dressform.drape.worn import outfit_records

    # --top and --bottom name the garment's place in the outfit; each takes what --garment
    # takes elsewhere, read the same way.
    patterns = [garment_pattern(value, size, chart, option)
                for value, option in ((top, "--top"), (bottom, "--bottom"))]
    wear = worn_as(base, base_color, shoes, heel, shoe_material, shoe_color)
    clone = _standing(body, stance)
    with progress() as bar:
        ticks = {name: draping(bar, f"{name}: {p.name}", max_frames)
                 for name, p in zip(("top", "bottom"), patterns, strict=True)}
        result = dress(clone, *patterns, (top_fabric, bottom_fabric), layering,  # type: ignore[arg-type]
                       spacing_mm=spacing, max_frames=max_frames,
                       progress=lambda name, step, speed: ticks[name](step, speed))
    for p, dressed in zip(patterns, (result.top, result.bottom), strict=True):
        _report(p.name, dressed)
    verdict = ("[green]no cloth through cloth[/]" if not result.crossings else
               f"[red]{result.crossings} cloth edges through the other garment[/]")
    console.print(f"layering: top {layering}; {verdict}")
    # The layers are re-draped together (into a pose, `redrape_layers`), never one alone.
    records = outfit_records(result, (patterns[0], patterns[1]), (top_fabric, bottom_fabric))
    _write(clone, [(patterns[0].name, result.top, records[0]),
                   (patterns[1].name, result.bottom, records[1])], output, preview and wear)


def _standing(path: Path, stance: str) -> Body:
    """The clone read from `path`, in the stance it is dressed in (the file written holds
    it so: a shoot poses it from there)."""
    from dressform.body.files import load_body
    from dressform.body.pose import get_stance, pose_body

    return pose_body(load_body(path), get_stance(stance))


def _report(name: str, dressed: DrapedGarment) -> None:
    """One line on a garment at rest (or not: then a hint on stderr)."""
    state = "at rest" if dressed.at_rest else "[yellow]not yet at rest[/]"
    console.print(f"{name}: {len(dressed.vertices)} cloth vertices, {dressed.frames} "
                  f"frames, {state}, {dressed.seconds:.0f} s; closest to the skin "
                  f"{1000 * dressed.contact_m.min():+.1f} mm")
    if not dressed.at_rest:
        err.print("[yellow]the cloth was still moving: raise --max-frames[/]")


def _write(clone: Body, garments: list[tuple[str, DrapedGarment, GarmentRecord]],
           output: Path, preview: Wear | bool) -> None:
    """The dressed clone as GLB, each garment as OBJ beside it, and a preview PNG of it in
    the base layer and shoes `preview` (none: False)."""
    import trimesh

    from dressform.drape.worn import save_dressed, worn_mesh

    colours = [GARMENT_RGB, (0.55, 0.2, 0.16)]
    meshes = [worn_mesh(name, g, colours[k % 2], rec)
              for k, (name, g, rec) in enumerate(garments)]
    out = save_dressed(clone, output, meshes)
    written = [str(out)]
    for name, g, _ in garments:
        obj = output.with_name(output.stem + f"_{name}.obj")
        trimesh.Trimesh(g.vertices, g.faces, process=False,
                        visual=trimesh.visual.TextureVisuals(uv=g.uv)).export(obj)
        written.append(str(obj))
    console.print(f"wrote {', '.join(written)}")
    if preview:
        from dressform.render.preview import (
            Camera,
            PreviewMesh,
            contact_sheet,
            render_meshes,
            worn_meshes,
        )

        names = ("front", "side", "back")
        scene = worn_meshes(clone, preview if not isinstance(preview, bool) else None,
                            under=[PreviewMesh(m.vertices, m.faces, m.color) for m in meshes])
        views = [render_meshes(scene, width=400, height=600, camera=Camera.for_view(v))
                 for v in names]
        png = output.with_suffix(".png")
        contact_sheet(views, names, columns=3).save(png)
        console.print(f"wrote {png}")


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
