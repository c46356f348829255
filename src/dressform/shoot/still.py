"""Stills of a dressed clone: photoreal with Cycles (`shoot`), or a quick raster proof."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from dressform.drape.worn import load_worn
from dressform.errors import RenderError
from dressform.files import atomic_path
from dressform.render.photoreal import RenderResult, render_still
from dressform.render.studio import Studio
from dressform.render.video import flatten
from dressform.shoot.scene import dressed_scene, load_clone, scene_from_file


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
    meshes = dressed_scene(body, load_worn(dressed), pose, posed=posed)
    return render_meshes([PreviewMesh(m.vertices, m.faces, m.look.color) for m in meshes],
                         width=width, height=height, camera=CAMERAS[camera].camera(),
                         background=BACKDROPS[backdrop].color)


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
