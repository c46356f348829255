"""The scene of a shot: the clone from its file, posed, its look completed (a top with a
bottom, `dressform.drape.styling`), its garments re-draped into the pose and dressed in their
fabrics' looks, its base layer and shoes (`dressform.render.wear`), the stool of a seated
pose, and hair."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from dressform.body import seat
from dressform.body.files import load_body
from dressform.body.mesh import Body
from dressform.body.pose import get_pose
from dressform.body.wear import WearPiece
from dressform.drape.construction import Construction, construction
from dressform.drape.posed import posed_garments
from dressform.drape.prints import print_shifts, printed_uv
from dressform.drape.styling import AS_IS, Styling, complete
from dressform.drape.worn import WornGarment, load_worn
from dressform.render.hair import Hair, grow_hair
from dressform.render.looks import SurfaceLook, fabric_look
from dressform.render.photoreal import SceneMesh, body_scene
from dressform.render.wear import DEFAULT_WEAR, Dressing, Wear, dressing, lifted


def garment_look(garment: WornGarment) -> SurfaceLook:
    """A stored garment's look: its fabric preset's type in its own colour."""
    return fabric_look(garment.fabric, garment.mesh.color, name=garment.name)


def garment_scene(garment: WornGarment, vertices: np.ndarray,
                  look: SurfaceLook | None = None) -> SceneMesh:
    """A stored garment at `vertices` (posed, or a motion's first frame), as drawn in `look`
    (None: its fabric's, `garment_look`): with its record, on its flat pattern panel by
    panel along the grain, a print cut to match where the pattern asks
    (`dressform.drape.prints`), with its sewing (hems, seams, bands:
    `dressform.drape.construction`); without, on the mesh's own UVs."""
    faces = np.asarray(garment.mesh.faces)
    plain = SceneMesh(garment.name, vertices, faces, look or garment_look(garment),
                      uv=np.asarray(garment.mesh.uvs))
    rec = garment.record
    if rec is None:
        return plain
    sewn = construction(rec.pattern, rec.spacing_mm, rec.bands_fastened)
    if len(sewn.corners) != len(faces):
        return plain  # meshed otherwise than its pattern meshes now: draw it as stored
    uv = sewn.corner_uv
    if plain.look.print_kind != "none":
        period, kind = plain.look.print_period_m, plain.look.print_kind
        uv = printed_uv(sewn, print_shifts(sewn, period, kind))
    return replace(plain, uv=None, corner_uv=uv, sewing=sewing(sewn))


def sewing(sewn: Construction) -> dict[str, np.ndarray]:
    """A garment's construction as the renderer draws it (`SceneMesh.sewing`)."""
    return {"hem_distance": sewn.hem_distance, "hem_allowance": sewn.hem_allowance,
            "hem_along": sewn.hem_along, "seam_distance": sewn.seam_distance,
            "seam_along": sewn.seam_along, "seam_first": sewn.seam_first,
            "band": np.repeat(sewn.band[:, None].astype(np.float64), 3, axis=1)}


def stool(body: Body) -> SceneMesh:
    """The box stool under a seated clone's hips (`dressform.body.seat`), as drawn."""
    corners, faces = seat.stool(body)
    look = SurfaceLook(name="stool", color=(0.55, 0.42, 0.30), roughness=0.5)
    return SceneMesh("stool", corners, faces, look, smooth=False)


def wear_scene(dressed: Dressing, pieces: Sequence[WearPiece]) -> list[SceneMesh]:
    """Base-layer and shoe pieces (`Dressing.pieces`) as drawn."""
    return [SceneMesh(p.name, p.vertices, p.faces, dressed.look(p), uv=p.uv) for p in pieces]


def dressed_scene(body: Body, garments: Sequence[WornGarment], pose: str = "a-pose",
                  progress: Callable[[str], None] | None = None,
                  posed: dict[str, np.ndarray] | None = None,
                  wear: Wear = DEFAULT_WEAR) -> tuple[list[SceneMesh], Body]:
    """The scene meshes of `body` (at its rest pose) in `pose`, wearing `garments` (rested on
    the rest pose) re-draped into it — or, if given, `posed` (from `posed_garments`) — over
    its base layer, in its shoes (`wear`); and the posed body they were placed on."""
    chosen = get_pose(pose)
    dressed = dressing(body, wear)
    posed_body, dz = dressed.posed(body, chosen)
    vertices = posed if posed is not None else posed_garments(body, garments, pose, progress)
    cloth = {g.name: lifted(vertices[g.name], dz) for g in garments}
    meshes = body_scene(posed_body, rest=body)
    meshes += [garment_scene(g, cloth[g.name]) for g in garments]
    meshes += wear_scene(dressed, dressed.pieces(
        posed_body, [(cloth[g.name], np.asarray(g.mesh.faces)) for g in garments]))
    if chosen.seated:
        meshes.append(stool(posed_body))
    return meshes, posed_body


def cloth_of(meshes: Sequence[SceneMesh], garments: Sequence[WornGarment]
             ) -> list[tuple[np.ndarray, np.ndarray]]:
    """The garments' cloth in a scene (vertices, faces): what hair falls over."""
    worn = {g.name for g in garments}
    return [(m.vertices, m.faces) for m in meshes if m.name in worn]


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
    from dressform.body.bodies import build

    return build(body.spec.model_copy(update={"expression": expression}))


def scene_from_file(dressed: str | os.PathLike[str], pose: str = "a-pose",
                    hair: str | None = None, hair_color: str = "dark-brown", seed: int = 0,
                    progress: Callable[[str], None] | None = None,
                    expression: str | None = None,
                    posed: dict[str, np.ndarray] | None = None, *,
                    wear: Wear = DEFAULT_WEAR, styling: Styling = AS_IS
                    ) -> tuple[list[SceneMesh], Hair | None]:
    """The meshes and hair of the dressed clone in file `dressed` (a GLB from `dressform
    drape`, or an undressed clone) in `pose` and `expression`, with `hair` (a style from
    `HAIR_STYLES`; None: the clone's default); its look completed as `styling` says (not
    with `posed`, which holds the garments of the file); `posed` and `wear` as in
    `dressed_scene`."""
    body = load_clone(dressed, expression)
    garments = load_worn(dressed)
    if posed is None:
        garments = complete(body, garments, styling, progress)
    meshes, posed_body = dressed_scene(body, garments, pose, progress, posed, wear)
    if progress:
        progress("growing hair")
    strands = grow_hair(posed_body, hair or default_hairstyle(body), hair_color, seed=seed,
                        over=cloth_of(meshes, garments))
    return meshes, strands
