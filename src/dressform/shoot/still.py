"""Stills of a dressed clone: photoreal with Cycles (`shoot`), or a quick raster proof."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from dressform.drape.styling import COMPLETE, Styling
from dressform.drape.worn import load_worn
from dressform.errors import RenderError
from dressform.files import atomic_path
from dressform.render.mask import Mask, classed, read_mask, scene_classes, write_mask
from dressform.render.photoreal import RenderResult, render_still
from dressform.render.studio import Studio
from dressform.render.video import flatten
from dressform.render.wear import DEFAULT_WEAR, Wear
from dressform.shoot.scene import dressed_scene, load_clone, scene_from_file


def raster_proof(dressed: str | os.PathLike[str], *, camera: str = "front",
                 backdrop: str = "white", width: int = 512, height: int = 768,
                 pose: str = "a-pose", expression: str | None = None,
                 posed: dict[str, np.ndarray] | None = None,
                 wear: Wear = DEFAULT_WEAR) -> Image.Image:
    """The dressed clone in file `dressed` from the preview rasteriser (proofs, the studio
    API, tests): the campaign's scene and camera presets, no Cycles, no hair; the garments
    as the file has them (a proof of the drape), over the base layer, in shoes (`wear`)."""
    return _raster_proof(dressed, camera, backdrop, width, height, pose, expression, posed,
                         wear, passes=False)[0]


def raster_proof_passes(dressed: str | os.PathLike[str], *, camera: str = "front",
                        backdrop: str = "white", width: int = 512, height: int = 768,
                        pose: str = "a-pose", expression: str | None = None,
                        posed: dict[str, np.ndarray] | None = None,
                        wear: Wear = DEFAULT_WEAR) -> tuple[Image.Image, Mask]:
    """`raster_proof` and its class mask (`dressform.render.mask`), pixel-aligned with it."""
    image, mask = _raster_proof(dressed, camera, backdrop, width, height, pose, expression,
                                posed, wear, passes=True)
    assert mask is not None
    return image, mask


def _raster_proof(dressed: str | os.PathLike[str], camera: str, backdrop: str, width: int,
                  height: int, pose: str, expression: str | None,
                  posed: dict[str, np.ndarray] | None, wear: Wear, *, passes: bool
                  ) -> tuple[Image.Image, Mask | None]:
    from dressform.render.preview import PreviewMesh, render_mask, render_meshes
    from dressform.render.studio import BACKDROPS, CAMERAS

    Studio(camera=camera, backdrop=backdrop)  # checks the names, with a did-you-mean
    body = load_clone(dressed, expression)
    meshes, _ = dressed_scene(body, load_worn(dressed), pose, posed=posed, wear=wear)
    drawn = [PreviewMesh(m.vertices, m.faces, m.look.color) for m in meshes]
    view = CAMERAS[camera].camera()
    image = render_meshes(drawn, width=width, height=height, camera=view,
                          background=BACKDROPS[backdrop].color)
    if not passes:
        return image, None
    classes, per_face = scene_classes(classed(meshes, body), hair=False)
    return image, Mask(render_mask(drawn, per_face, width=width, height=height, camera=view),
                       classes)


def shoot(dressed: str | os.PathLike[str], output: str | os.PathLike[str], *,
          pose: str = "a-pose", studio: Studio | None = None, hair: str | None = None,
          hair_color: str = "dark-brown", expression: str | None = None,
          progress: Callable[[str], None] | None = None,
          posed: dict[str, np.ndarray] | None = None, wear: Wear = DEFAULT_WEAR,
          styling: Styling = COMPLETE, passes: bool = False) -> RenderResult:
    """A still of the dressed clone in file `dressed` (see `scene_from_file`: a look of one
    garment completed as `styling` says, over a base layer, in shoes, as `wear` says)
    written to `output` (.png keeps alpha; .jpg/.jpeg is flattened on white); with `passes`
    its class mask beside it (``look.jpg`` → ``look.mask.png``, ``look.mask.json``)."""
    out = Path(output)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".jpg", ".jpeg"):
        raise RenderError(f"{out.name}: write a still as .png, .jpg or .jpeg")
    studio = studio or Studio()
    meshes, strands = scene_from_file(dressed, pose, hair, hair_color, studio.seed, progress,
                                      expression, posed, wear=wear, styling=styling)
    if passes:  # the body told apart by region, on the file's clone at its rest pose
        meshes = classed(meshes, load_clone(dressed))
    if progress:
        progress(f"rendering {studio.size[0]}×{studio.size[1]} with Cycles")
    if suffix == ".png":
        return render_still(meshes, studio, out, hair=strands, passes=passes)
    with tempfile.TemporaryDirectory(prefix="dressform-shot-") as tmp:
        result = render_still(meshes, studio, Path(tmp) / "still.png", hair=strands,
                              passes=passes)
        with atomic_path(out) as partial:
            flatten(result.path).save(partial, format="JPEG", quality=92)
        mask = None if result.mask is None else write_mask(read_mask(result.mask), out)[0]
    return RenderResult(out, result.width, result.height, result.seconds, result.samples,
                        mask, result.mask_seconds)
