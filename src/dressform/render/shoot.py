"""A shot of a dressed clone: the clone posed, its garments re-draped into the pose (drape's
re-drape: the cloth is simulated onto the posed body, not skinned with it), dressed in their
fabrics' looks and rendered photoreal in a studio."""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from dressform.body import seat
from dressform.body.export import ExtraMesh, load_body, load_garments
from dressform.body.mesh import Body
from dressform.body.pose import get_pose, pose_body, pose_path
from dressform.errors import DressformWarning, RenderError
from dressform.files import atomic_path
from dressform.render.hair import Hair, grow_hair
from dressform.render.looks import SurfaceLook, fabric_look
from dressform.render.photoreal import RenderResult, SceneMesh, body_scene, render_still
from dressform.render.studio import Studio
from dressform.render.video import check_output, flatten

if TYPE_CHECKING:
    from dressform.drape.simulate import DrapedGarment

def garment_look(garment: ExtraMesh) -> SurfaceLook:
    """A stored garment's look: its fabric preset's type in its own colour."""
    return fabric_look(str(garment.extras.get("fabric", "cotton_poplin")), garment.color,
                       name=garment.name)


def stool(body: Body) -> SceneMesh:
    """The box stool under a seated clone's hips (`dressform.body.seat`), as drawn."""
    corners, faces = seat.stool(body)
    look = SurfaceLook(name="stool", color=(0.55, 0.42, 0.30), roughness=0.5)
    return SceneMesh("stool", corners, faces, look, smooth=False)


def posed_garments(body: Body, garments: Sequence[ExtraMesh], pose: str = "a-pose",
                   progress: Callable[[str], None] | None = None) -> dict[str, np.ndarray]:
    """Each of `garments` (rested on `body` at its rest pose) re-draped into `pose`: its
    vertices by garment name. The expensive part of a posed shot, and the same for every
    camera, light and expression of that pose: compute it once and pass it to
    `dressed_scene`. A garment that did not come to rest in the pose, or passes through
    cloth, is still returned, with a `DressformWarning` saying so."""
    from dressform.drape.redrape import redrape, redrape_layers, restore
    from dressform.geometry.crossings import crossings

    chosen = get_pose(pose)
    *between, posed = pose_path(body, chosen)
    out = {g.name: np.asarray(g.vertices) for g in garments}
    if posed is body:
        return out
    # Cloth sat on is held between the hips and the seat, as it is drawn.
    props = (seat.stool(posed),) if chosen.seated else ()
    # An outfit's layers go together, the inner first: the outer settles over it.
    layers = sorted((g for g in garments if _in_outfit(g)),
                    key=lambda g: g.extras.get("layer") != "inner")
    if layers:
        if progress:
            progress(f"re-draping the outfit ({', '.join(g.name for g in layers)}) into the "
                     f"{chosen.name} pose")
        restored = [restore(out[g.name], g.extras) for g in layers]
        tucked = layers[0].extras.get("outfit") == "tucked"
        moved = redrape_layers(restored, body, posed, through=between, tucked=tucked,
                               props=props)
        for g, m in zip(layers, moved, strict=True):
            out[g.name] = m.vertices
            _warn_if_unsettled(g.name, chosen.name, m)
        through_other = crossings(*((m.vertices, m.faces) for m in moved))
        if through_other:
            warnings.warn(DressformWarning(
                f"in the {chosen.name} pose {through_other} cloth edges of "
                f"{' and '.join(g.name for g in layers)} pass through the other garment"),
                stacklevel=2)
    for g in garments:
        if _in_outfit(g):
            continue
        if progress:
            progress(f"re-draping {g.name} into the {chosen.name} pose")
        rested, pattern, fabric = restore(out[g.name], g.extras)
        m = redrape(rested, pattern, body, posed, fabric, through=between, props=props)
        out[g.name] = m.vertices
        _warn_if_unsettled(g.name, chosen.name, m)
    return out


def _in_outfit(garment: ExtraMesh) -> bool:
    """Whether the garment is one layer of an outfit (re-draped with the other)."""
    return "outfit" in (garment.extras or {})


def _warn_if_unsettled(name: str, pose: str, garment: DrapedGarment) -> None:
    """A `DressformWarning` when a re-draped garment did not come to rest or fails the
    checks of a rest (`dressform.drape.checks`: cloth through cloth, cloth inside the body):
    the shot is still made, but the user should know what it shows."""
    from dressform.drape.checks import check

    what = [] if garment.at_rest else [f"did not come to rest ({garment.frames} solver steps)"]
    what += check(garment.vertices, garment.faces, garment.contact_m).failures()
    if what:
        warnings.warn(DressformWarning(f"re-draped into the {pose} pose, the {name}: "
                                       f"{'; '.join(what)}"), stacklevel=3)


def dressed_scene(body: Body, garments: Sequence[ExtraMesh], pose: str = "a-pose",
                  progress: Callable[[str], None] | None = None,
                  posed: dict[str, np.ndarray] | None = None) -> list[SceneMesh]:
    """The scene meshes of `body` (at its rest pose) in `pose`, wearing `garments` (rested on
    the rest pose) re-draped into it — or, if given, `posed` (from `posed_garments`)."""
    chosen = get_pose(pose)
    posed_body = pose_body(body, chosen)
    meshes = body_scene(posed_body, rest=body)
    vertices = posed if posed is not None else posed_garments(body, garments, pose, progress)
    for g in garments:
        meshes.append(SceneMesh(g.name, vertices[g.name], np.asarray(g.faces),
                                garment_look(g), uv=np.asarray(g.uvs)))
    if chosen.seated:
        meshes.append(stool(posed_body))
    return meshes


def default_hairstyle(body: Body) -> str:
    """Long hair for a woman, short for a man (the CLI's default; any style suits anyone)."""
    return "long" if body.spec.sex < 0.5 else "short"


def load_clone(dressed: str | os.PathLike[str], expression: str | None = None) -> Body:
    """The clone in file `dressed`, with its face set to `expression` (a preset of
    `dressform.body.face`) if given. Only the face changes, so garments draped on the file's
    clone still fit it."""
    body = load_body(dressed)
    if expression is None or expression == body.spec.expression:
        return body
    from dressform.body.build import build

    return build(body.spec.model_copy(update={"expression": expression}))


def raster_proof(dressed: str | os.PathLike[str], *, camera: str = "front",
                 backdrop: str = "white", width: int = 512, height: int = 768,
                 pose: str = "a-pose", expression: str | None = None,
                 posed: dict[str, np.ndarray] | None = None) -> Image.Image:
    """The dressed clone in file `dressed` from the preview rasteriser (proofs, the studio
    API, tests): the campaign's scene and camera presets, no Cycles, no hair."""
    from dressform.render.preview import PreviewMesh, render_meshes
    from dressform.render.studio import BACKDROPS, CAMERAS

    Studio(camera=camera, backdrop=backdrop)  # checks the names, with a did-you-mean
    body = load_clone(dressed, expression)
    garments = load_garments(dressed) if Path(dressed).suffix.lower() == ".glb" else []
    meshes = dressed_scene(body, garments, pose, posed=posed)
    return render_meshes([PreviewMesh(m.vertices, m.faces, m.look.color) for m in meshes],
                         width=width, height=height, camera=CAMERAS[camera].camera(),
                         background=BACKDROPS[backdrop].color)


def scene_from_file(dressed: str | os.PathLike[str], pose: str = "a-pose",
                    hair: str | None = None, hair_color: str = "dark-brown", seed: int = 0,
                    progress: Callable[[str], None] | None = None,
                    expression: str | None = None,
                    posed: dict[str, np.ndarray] | None = None
                    ) -> tuple[list[SceneMesh], Hair | None]:
    """The meshes and hair of the dressed clone in file `dressed` (a GLB from `dressform
    drape`, or an undressed clone) in `pose` and `expression`, with `hair` (a style from
    `HAIR_STYLES`; None: the clone's default); `posed` as in `dressed_scene`."""
    body = load_clone(dressed, expression)
    garments = load_garments(dressed) if Path(dressed).suffix.lower() == ".glb" else []
    meshes = dressed_scene(body, garments, pose, progress, posed)
    if progress:
        progress("growing hair")
    strands = grow_hair(pose_body(body, pose), hair or default_hairstyle(body), hair_color,
                        seed=seed)
    return meshes, strands


def shoot(dressed: str | os.PathLike[str], output: str | os.PathLike[str], *,
          pose: str = "a-pose", studio: Studio | None = None, hair: str | None = None,
          hair_color: str = "dark-brown", expression: str | None = None,
          progress: Callable[[str], None] | None = None,
          posed: dict[str, np.ndarray] | None = None) -> RenderResult:
    """A still of the dressed clone in file `dressed` (see `scene_from_file`) written to
    `output` (.png keeps alpha; .jpg/.jpeg is flattened on white)."""
    out = Path(output)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".jpg", ".jpeg"):
        raise RenderError(f"{out.name}: write a still as .png, .jpg or .jpeg")
    studio = studio or Studio()
    meshes, strands = scene_from_file(dressed, pose, hair, hair_color, studio.seed, progress,
                                      expression, posed)
    if progress:
        progress(f"rendering {studio.size[0]}×{studio.size[1]} with Cycles")
    if suffix == ".png":
        return render_still(meshes, studio, out, hair=strands)
    with tempfile.TemporaryDirectory(prefix="dressform-shot-") as tmp:
        result = render_still(meshes, studio, Path(tmp) / "still.png", hair=strands)
        with atomic_path(out) as partial:
            flatten(result.path).save(partial, format="JPEG", quality=92)
    return RenderResult(out, result.width, result.height, result.seconds, result.samples)


def turntable(dressed: str | os.PathLike[str], outputs: Sequence[str | os.PathLike[str]], *,
              frames: int = 60, fps: float = 24.0, pose: str = "a-pose",
              studio: Studio | None = None, hair: str | None = None,
              hair_color: str = "dark-brown", expression: str | None = None,
              progress: Callable[[str], None] | None = None) -> list[Path]:
    """The dressed clone turned a full circle in `frames` frames, written as each of
    `outputs` (.mp4 and/or .gif)."""
    from dressform.render.photoreal import check_frames, render_turntable
    from dressform.render.video import write_video

    check_frames(frames)
    for o in outputs:
        check_output(o, "a turntable")
    studio = studio or Studio(quality="preview")
    meshes, strands = scene_from_file(dressed, pose, hair, hair_color, studio.seed, progress,
                                      expression)
    if progress:
        progress(f"rendering {frames} frames of {studio.size[0]}×{studio.size[1]} with Cycles")
    with tempfile.TemporaryDirectory(prefix="dressform-turntable-") as tmp:
        paths = render_turntable(meshes, studio, tmp, frames, hair=strands)
        return [write_video(paths, o, fps) for o in outputs]


def walk_video(dressed: str | os.PathLike[str], outputs: Sequence[str | os.PathLike[str]], *,
               seconds: float = 5.0, fps: float = 30.0, studio: Studio | None = None,
               hair: str | None = None, hair_color: str = "dark-brown",
               progress: Callable[[str], None] | None = None) -> list[Path]:
    """The dressed clone in file `dressed` walking towards the camera for `seconds`, its
    garments simulated frame by frame on the moving body, written as each of `outputs`
    (.mp4 and/or .gif). The solver steps 1/30 s, so at 30 frames a second the cloth moves in
    real time."""
    from dressform.body.walk import check_walk, walk, walk_pose
    from dressform.drape.redrape import follow, redrape, restore
    from dressform.render.hair import carried
    from dressform.render.photoreal import Motion, check_frames, render_animation
    from dressform.render.video import write_video

    for o in outputs:
        check_output(o, "a walk")
    check_walk(seconds, fps)  # before anything is loaded
    check_frames(round(seconds * fps))
    studio = studio or Studio(camera="85mm", quality="preview")
    body = load_body(dressed)
    garments = load_garments(dressed) if Path(dressed).suffix.lower() == ".glb" else []
    if any("outfit" in (g.extras or {}) for g in garments):
        raise RenderError("a walk in a two-layer outfit is not simulated yet (each layer "
                          "would pass through the other frame by frame): shoot it still, "
                          "in any pose, or walk one garment")
    frames = walk(body, seconds, fps)
    *lead_in, _ = pose_path(body, walk_pose(0.0))
    moving: dict[str, list[np.ndarray]] = {"body": [np.asarray(f.vertices) for f in frames]}
    meshes = body_scene(frames[0], rest=body)
    for g in garments:
        rested, pattern, fabric = restore(np.asarray(g.vertices), g.extras)
        if progress:
            progress(f"simulating {g.name} over {len(frames)} frames")
        first = redrape(rested, pattern, body, frames[0], fabric, through=lead_in,
                        max_frames=60)
        moving[g.name] = [first.vertices, *follow(first, pattern, frames[0], frames[1:],
                                                  fabric)]
        meshes.append(SceneMesh(g.name, first.vertices, np.asarray(g.faces), garment_look(g),
                                uv=np.asarray(g.uvs)))
    strands = grow_hair(body, hair or default_hairstyle(body), hair_color, seed=studio.seed)
    motion = Motion(moving, None if strands is None else [carried(strands, body, f)
                                                          for f in frames])
    if progress:
        progress(f"rendering {len(frames)} frames of {studio.size[0]}×{studio.size[1]}")
    with tempfile.TemporaryDirectory(prefix="dressform-walk-") as tmp:
        paths = render_animation(meshes, motion, studio, tmp, hair=strands)
        return [write_video(paths, o, fps) for o in outputs]
