"""`dressform shoot`, `turntable` and `walk`: a photoreal still, a 360° turntable and a runway
walk of a dressed clone, posed, in a studio."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from dressform.body.face import EXPRESSION_PRESETS
from dressform.body.poses import POSES
from dressform.cli.options import (
    BaseColor,
    BaseOpt,
    HeelOpt,
    ShoeColor,
    ShoeMaterial,
    ShoesOpt,
    console,
    err,
    worn_as,
)
from dressform.render.hair import HAIR_COLORS, HAIR_STYLES, HAIR_TEXTURES
from dressform.render.studio import BACKDROPS, CAMERAS, LIGHTS, QUALITY

if TYPE_CHECKING:
    from dressform.drape.styling import Styling

T = TypeVar("T")
commands = typer.Typer()


def _choices(table: Mapping[str, object]) -> str:
    return ", ".join(table)


Pose = Annotated[str, typer.Option(help=f"Pose: {_choices(POSES)}")]
CameraOpt = Annotated[str, typer.Option("--camera", help=f"Camera: {_choices(CAMERAS)}")]
LightOpt = Annotated[str, typer.Option("--light", help=f"Lighting: {_choices(LIGHTS)}")]
Backdrop = Annotated[str, typer.Option(help=f"Backdrop: {_choices(BACKDROPS)}")]
Seed = Annotated[int, typer.Option(help="Sampling seed (same seed, same image)")]
HairOpt = Annotated[str | None, typer.Option("--hair", help=(
    f"Hairstyle: {', '.join(HAIR_STYLES)}; a cut style takes a hair type after a slash: "
    f"{', '.join(f'/{t}' for t in HAIR_TEXTURES)} (e.g. long/coily; default: long for a "
    "woman, short for a man)"))]
HairColor = Annotated[str, typer.Option(help=f"Hair colour: {_choices(HAIR_COLORS)}")]
Expression = Annotated[str | None, typer.Option(help=(
    f"Face: {', '.join(EXPRESSION_PRESETS)} (default: the clone's own)"))]
QualityOpt = Annotated[str, typer.Option("--quality", help=f"Quality: {_choices(QUALITY)}")]
VideoOut = Annotated[list[Path], typer.Option("-o", "--output", help=(
    "Video to write: .mp4 or .gif (give -o twice for both)"))]
BottomOpt = Annotated[str, typer.Option("--bottom", help=(
    "With a top alone: the bottom it is styled with — auto (neutral trousers in a colour "
    "that goes with it), a block (trousers, skirt, aline_skirt) or none"))]
TopOpt = Annotated[str, typer.Option("--top", help=(
    "With a bottom alone: the top — auto (a white or black T-shirt), tshirt, hoodie, "
    "or none"))]
Dressed = Annotated[Path, typer.Argument(help="A dressed clone (.glb from `dressform drape`) "
                                              "or a clone (.glb/.obj)")]


def _styling(bottom: str, top: str) -> Styling:
    from dressform.drape.styling import Styling

    return Styling(bottom=bottom, top=top)


def _with_status(job: Callable[[Callable[[str], None]], T]) -> T:
    """Run `job(progress)` under a spinner that shows what it says it is doing."""
    with err.status("loading the clone...") as status:
        return job(lambda what: status.update(what + "..."))


@commands.command("shoot")
def shoot_cmd(
    dressed: Dressed,
    output: Annotated[Path, typer.Option("-o", "--output", help="Still to write: .jpg or "
                                         ".png (with alpha)")],
    pose: Pose = "relaxed",
    camera: CameraOpt = "front",
    light: LightOpt = "editorial",
    backdrop: Backdrop = "white",
    quality: QualityOpt = "campaign",
    seed: Seed = 0,
    hair: HairOpt = None,
    hair_color: HairColor = "dark-brown",
    expression: Expression = None,
    transparent: Annotated[bool, typer.Option(help="No backdrop: a cut-out with alpha "
                                              "(.png)")] = False,
    base: BaseOpt = "auto",
    base_color: BaseColor = "nude",
    shoes: ShoesOpt = "trainers",
    heel: HeelOpt = None,
    shoe_material: ShoeMaterial = None,
    shoe_color: ShoeColor = None,
    bottom: BottomOpt = "auto",
    top: TopOpt = "auto",
    passes: Annotated[bool, typer.Option(
        "--passes", help="Also write its class mask (NAME.mask.png, NAME.mask.json) and "
                         "check that it shows nothing it must not")] = False,
) -> None:
    """Render a photoreal still (Blender Cycles, CPU); garments are re-draped into the pose."""
    from dressform.render.studio import Studio
    from dressform.shoot.still import shoot

    studio = Studio(light=light, backdrop=backdrop, camera=camera, quality=quality, seed=seed,
                    transparent=transparent)
    result = _with_status(lambda progress: shoot(
        dressed, output, pose=pose, studio=studio, hair=hair, hair_color=hair_color,
        expression=expression, progress=progress,
        wear=worn_as(base, base_color, shoes, heel, shoe_material, shoe_color),
        styling=_styling(bottom, top), passes=passes))
    console.print(f"wrote {result.path} ({result.width}×{result.height}, "
                  f"{result.seconds:.1f} s)")
    if result.mask is not None:
        from dressform.render.coverage import check_coverage
        from dressform.render.mask import read_mask

        wear = worn_as(base, base_color, shoes, heel, shoe_material, shoe_color)
        check = check_coverage(read_mask(result.mask), bare_feet=wear.bare_feet)
        console.print(f"wrote {result.mask} and its .json ({result.mask_seconds:.1f} s); "
                      f"coverage: {check}")
        if not check.passed:
            err.print(f"[yellow]warning:[/] {result.path.name} shows what it must not: {check}")


@commands.command("turntable")
def turntable_cmd(
    dressed: Dressed,
    output: VideoOut,
    frames: Annotated[int, typer.Option(help="Frames in the full turn")] = 60,
    fps: Annotated[float, typer.Option(help="Frames per second")] = 24.0,
    pose: Pose = "relaxed",
    camera: CameraOpt = "front",
    light: LightOpt = "editorial",
    backdrop: Backdrop = "white",
    quality: QualityOpt = "preview",
    seed: Seed = 0,
    hair: HairOpt = None,
    hair_color: HairColor = "dark-brown",
    expression: Expression = None,
    base: BaseOpt = "auto",
    base_color: BaseColor = "nude",
    shoes: ShoesOpt = "trainers",
    heel: HeelOpt = None,
    shoe_material: ShoeMaterial = None,
    shoe_color: ShoeColor = None,
    bottom: BottomOpt = "auto",
    top: TopOpt = "auto",
) -> None:
    """Render a 360° turntable (the clone turns; camera, lights and backdrop stay)."""
    from dressform.render.studio import Studio
    from dressform.shoot.motion import turntable

    studio = Studio(light=light, backdrop=backdrop, camera=camera, quality=quality, seed=seed)
    written = _with_status(lambda progress: turntable(
        dressed, output, frames=frames, fps=fps, pose=pose, studio=studio, hair=hair,
        hair_color=hair_color, expression=expression, progress=progress,
        wear=worn_as(base, base_color, shoes, heel, shoe_material, shoe_color),
        styling=_styling(bottom, top)))
    console.print(f"wrote {', '.join(str(p) for p in written)}")


@commands.command("walk")
def walk_cmd(
    dressed: Dressed,
    output: VideoOut,
    seconds: Annotated[float, typer.Option(help="Length of the walk")] = 5.0,
    fps: Annotated[float, typer.Option(help="Frames per second, 10 or more (30: the cloth in "
                                             "real time)")
                   ] = 30.0,
    camera: CameraOpt = "85mm",
    light: LightOpt = "editorial",
    backdrop: Backdrop = "white",
    quality: QualityOpt = "preview",
    seed: Seed = 0,
    hair: HairOpt = None,
    hair_color: HairColor = "dark-brown",
    base: BaseOpt = "auto",
    base_color: BaseColor = "nude",
    shoes: ShoesOpt = "trainers",
    heel: HeelOpt = None,
    shoe_material: ShoeMaterial = None,
    shoe_color: ShoeColor = None,
    bottom: BottomOpt = "auto",
    top: TopOpt = "auto",
) -> None:
    """Render a runway walk towards the camera, the cloth simulated frame by frame."""
    from dressform.render.studio import Studio
    from dressform.shoot.motion import walk_video

    studio = Studio(light=light, backdrop=backdrop, camera=camera, quality=quality, seed=seed)
    written = _with_status(lambda progress: walk_video(
        dressed, output, seconds=seconds, fps=fps, studio=studio, hair=hair,
        hair_color=hair_color, progress=progress,
        wear=worn_as(base, base_color, shoes, heel, shoe_material, shoe_color),
        styling=_styling(bottom, top)))
    console.print(f"wrote {', '.join(str(p) for p in written)}")
