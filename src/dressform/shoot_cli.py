"""`dressform shoot`: a photoreal still of a dressed clone, posed, in a studio."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dressform.body.pose import POSES
from dressform.console import console, err
from dressform.render.hair import HAIR_COLORS, HAIR_STYLES
from dressform.render.studio import BACKDROPS, CAMERAS, LIGHTS, QUALITY


def _choices(table: dict) -> str:
    return ", ".join(table)


def shoot_cmd(
    dressed: Annotated[Path, typer.Argument(help="A dressed clone (.glb from `dressform "
                                                 "drape`) or a clone (.glb/.obj)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Still to write: .jpg or "
                                         ".png (with alpha)")],
    pose: Annotated[str, typer.Option(help=f"Pose: {_choices(POSES)}")] = "relaxed",
    camera: Annotated[str, typer.Option(help=f"Camera: {_choices(CAMERAS)}")] = "front",
    light: Annotated[str, typer.Option(help=f"Lighting: {_choices(LIGHTS)}")] = "editorial",
    backdrop: Annotated[str, typer.Option(help=f"Backdrop: {_choices(BACKDROPS)}")
                        ] = "white",
    quality: Annotated[str, typer.Option(help=f"Quality: {_choices(QUALITY)}")] = "campaign",
    seed: Annotated[int, typer.Option(help="Sampling seed (same seed, same image)")] = 0,
    hair: Annotated[str | None, typer.Option(help=f"Hairstyle: {', '.join(HAIR_STYLES)} "
                                             "(default: long for a woman, short for a man)")
                    ] = None,
    hair_color: Annotated[str, typer.Option(help=f"Hair colour: {_choices(HAIR_COLORS)}")
                          ] = "dark-brown",
    transparent: Annotated[bool, typer.Option(help="No backdrop: a cut-out with alpha "
                                              "(.png)")] = False,
) -> None:
    """Render a photoreal still (Blender Cycles, CPU); garments are re-draped into the pose."""
    from dressform.render.shoot import shoot
    from dressform.render.studio import Studio

    studio = Studio(light=light, backdrop=backdrop, camera=camera, quality=quality, seed=seed,
                    transparent=transparent)
    with err.status("loading the clone...") as status:
        result = shoot(dressed, output, pose=pose, studio=studio, hair=hair,
                       hair_color=hair_color,
                       progress=lambda what: status.update(what + "..."))
    console.print(f"wrote {result.path} ({result.width}×{result.height}, "
                  f"{result.seconds:.1f} s)")
