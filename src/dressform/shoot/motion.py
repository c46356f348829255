"""Moving pictures of a dressed clone: a turntable, and a runway walk with its garments
simulated frame by frame on the moving body."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from dressform.body.files import load_body
from dressform.body.pose import pose_path
from dressform.body.rig import moved_by
from dressform.body.walk import arms_out, check_walk, gait_of, walk, walk_pose
from dressform.drape.posed import moving_garments
from dressform.drape.styling import COMPLETE, Styling, complete
from dressform.drape.worn import load_worn
from dressform.render.eyes import face_parts, hide_globes
from dressform.render.hair import carried, grow_hair
from dressform.render.photoreal import (
    Motion,
    body_scene,
    check_frames,
    render_animation,
    render_turntable,
)
from dressform.render.studio import Studio
from dressform.render.video import check_output, write_video
from dressform.render.wear import DEFAULT_WEAR, Wear, dressing, lifted
from dressform.shoot.scene import (
    default_hairstyle,
    garment_scene,
    scene_from_file,
    wear_scene,
)


def turntable(dressed: str | os.PathLike[str], outputs: Sequence[str | os.PathLike[str]], *,
              frames: int = 60, fps: float = 24.0, pose: str = "a-pose",
              studio: Studio | None = None, hair: str | None = None,
              hair_color: str = "dark-brown", expression: str | None = None,
              progress: Callable[[str], None] | None = None, wear: Wear = DEFAULT_WEAR,
              styling: Styling = COMPLETE) -> list[Path]:
    """The dressed clone turned a full circle in `frames` frames, written as each of
    `outputs` (.mp4 and/or .gif); its look, base layer and shoes as in `shoot`."""
    check_frames(frames)
    for o in outputs:
        check_output(o, "a turntable")
    studio = studio or Studio(quality="preview")
    meshes, strands = scene_from_file(dressed, pose, hair, hair_color, studio.seed, progress,
                                      expression, wear=wear, styling=styling)
    if progress:
        progress(f"rendering {frames} frames of {studio.size[0]}×{studio.size[1]} with Cycles")
    with tempfile.TemporaryDirectory(prefix="dressform-turntable-") as tmp:
        paths = render_turntable(meshes, studio, tmp, frames, hair=strands)
        return [write_video(paths, o, fps) for o in outputs]


def walk_video(dressed: str | os.PathLike[str], outputs: Sequence[str | os.PathLike[str]], *,
               seconds: float = 5.0, fps: float = 30.0, studio: Studio | None = None,
               hair: str | None = None, hair_color: str = "dark-brown",
               progress: Callable[[str], None] | None = None, wear: Wear = DEFAULT_WEAR,
               styling: Styling = COMPLETE) -> list[Path]:
    """The dressed clone in file `dressed` walking towards the camera for `seconds`, its
    garments simulated frame by frame on the moving body, written as each of `outputs`
    (.mp4 and/or .gif); its look, base layer and shoes as in `shoot`. The solver steps
    1/30 s, so at 30 frames a second the cloth moves in real time."""
    for o in outputs:
        check_output(o, "a walk")
    check_walk(seconds, fps)  # before anything is loaded
    check_frames(round(seconds * fps))
    studio = studio or Studio(camera="85mm", quality="preview")
    body = load_body(dressed)
    garments = load_worn(dressed)
    garments = complete(body, garments, styling, progress)
    frames = walk(body, seconds, fps)
    gait = gait_of(body)
    *lead_in, _ = pose_path(body, walk_pose(0.0, gait, arms_out(body, gait)))
    cloth = moving_garments(body, garments, frames, lead_in, progress)
    # Each frame stands in its shoes: body, cloth and hair rise by that frame's lift.
    dressed_as = dressing(body, wear)
    lifts = [dressed_as.lift(f) for f in frames]
    frames = [moved_by(f, np.array([0.0, 0.0, dz])) for f, dz in zip(frames, lifts, strict=True)]
    cloth = {n: [lifted(v, dz) for v, dz in zip(vs, lifts, strict=True)]
             for n, vs in cloth.items()}
    worn = [dressed_as.pieces(f, [(cloth[g.name][k], np.asarray(g.mesh.faces))
                                  for g in garments]) for k, f in enumerate(frames)]
    face = face_parts(body)
    moving: dict[str, list[np.ndarray]] = {
        "body": [hide_globes(face.eyes, np.asarray(f.vertices)) for f in frames], **cloth}
    placed = [face.place(np.asarray(f.vertices)) for f in frames]
    moving |= {name: [p[name] for p in placed] for name in placed[0]}
    moving |= {p.name: [w[i].vertices for w in worn] for i, p in enumerate(worn[0])}
    meshes = body_scene(frames[0], rest=body)
    meshes += [garment_scene(g, cloth[g.name][0]) for g in garments]
    meshes += wear_scene(dressed_as, worn[0])
    strands = grow_hair(body, hair or default_hairstyle(body), hair_color, seed=studio.seed)
    motion = Motion(moving, None if strands is None else [carried(strands, body, f)
                                                          for f in frames])
    if progress:
        progress(f"rendering {len(frames)} frames of {studio.size[0]}×{studio.size[1]}")
    with tempfile.TemporaryDirectory(prefix="dressform-walk-") as tmp:
        paths = render_animation(meshes, motion, studio, tmp, hair=strands)
        return [write_video(paths, o, fps) for o in outputs]
