"""Photoreal stills: a dressed clone in a studio, rendered by Blender Cycles on the CPU.

The scene is worked out here, in plain numpy (what each mesh looks like, where the camera
stands, where the lights go, the cyclorama's shape), written to a job folder, and drawn by
Blender in a worker process (:mod:`dressform.render.blender_worker`; why a process: see
there). The output PNG is written to a temporary name and moved into place only when Blender
finished, so a crashed or killed render never leaves a half-written image.

Example::

    from dressform.body import build, pose_body
    from dressform.render.photoreal import body_scene, render_still
    from dressform.render.studio import Studio

    clone = pose_body(build(), "contrapposto")
    render_still(body_scene(clone), Studio(light="editorial", camera="three-quarter"),
                 "look.png")
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from dressform.body.mesh import Body
from dressform.body.skin import linear_to_srgb, srgb_to_linear
from dressform.errors import RenderError
from dressform.files import scratch_dir
from dressform.render.camera import SENSOR_LONG_SIDE_MM, place_camera
from dressform.render.eyes import Face, eye_texture, face_parts, hide_globes
from dressform.render.face import IRIS_COLORS, check_iris, face_overlay
from dressform.render.hair import Hair
from dressform.render.looks import (
    CORNEA,
    FACE_HAIR,
    SCLERA,
    TEAR,
    SurfaceLook,
    resolved,
    skin_look,
)
from dressform.render.mask import Mask, decode_colors, encode_colors, scene_classes, write_mask
from dressform.render.skin_map import skin_map
from dressform.render.studio import (
    BACKDROPS,
    CAMERAS,
    LIGHTS,
    Light,
    LightRig,
    Studio,
    frame_box,
)


@dataclass(frozen=True, eq=False)
class SceneMesh:
    """A mesh in the shot: metres, Z up; `uv` per vertex (a garment's pattern coordinates,
    metres) for prints and weave, or `corner_uv` per face corner (F, 3, 2; a body's UV
    layout, split at seams); `overlay` an RGBA image (uint8, on the corner UVs) laid over
    the base colour by its alpha (a face's features); `subject` meshes are framed by the
    camera. In a render's class mask (`dressform.render.mask`) the mesh is `mask_class`
    (None: `mask.default_class` of its name), or face by face `face_classes` (F,) indices
    into `class_names` (a body's regions: `mask.body_classes`). `vertex_color` (V, 3; sRGB
    0–1) and `vertex_roughness` (V,), when given, replace the look's colour and roughness
    vertex by vertex (skin by region, `dressform.render.skin_map`); `texture_space` (V, 3),
    the points fine relief is fixed to (the body's at rest, so pores stay put in any
    pose). `sewing`, for a garment: where its hems, seams and bands lie, face corner by
    face corner (each of `SEWING` an (F, 3) array; `dressform.drape.construction`), drawn
    as its look's finish."""

    name: str
    vertices: np.ndarray
    faces: np.ndarray
    look: SurfaceLook
    uv: np.ndarray | None = None
    smooth: bool = True
    subject: bool = True
    corner_uv: np.ndarray | None = None
    overlay: np.ndarray | None = None
    mask_class: str | None = None
    face_classes: np.ndarray | None = None
    class_names: tuple[str, ...] = ()
    vertex_color: np.ndarray | None = None
    vertex_roughness: np.ndarray | None = None
    texture_space: np.ndarray | None = None
    sewing: Mapping[str, np.ndarray] | None = None


#: What a garment's `SceneMesh.sewing` holds, per face corner (metres; the last 0 or 1).
SEWING = ("hem_distance", "hem_allowance", "hem_along", "seam_distance", "seam_along",
          "seam_first", "band")


@dataclass(frozen=True)
class RenderResult:
    path: Path
    width: int
    height: int
    seconds: float
    samples: int
    #: The class mask written beside the image (its .mask.png), when asked for.
    mask: Path | None = None
    #: Seconds of the worker's time that went on the mask.
    mask_seconds: float = 0.0


def body_scene(body: Body, rest: Body | None = None, iris: str | None = None
               ) -> list[SceneMesh]:
    """The clone's skin in its Monk Skin Tone, coloured and finished by region (cheeks,
    palms, nails…: `dressform.render.skin_map`), with brows and lips painted on, its eyes
    (iris colour `iris`, one of `IRIS_COLORS`; None: brown, dark brown on Monk tones 6–10),
    corneas, brows and lashes (built on `rest`, the clone at its rest pose, if `body` is
    not)."""
    rest = rest or body
    iris = check_iris(iris or ("dark-brown" if body.spec.skin_tone >= 6 else "brown"))
    corner_uv = np.asarray(body.uvs)[np.asarray(body.face_uvs)]
    regional, face = skin_map(rest), face_parts(rest)
    skin = SceneMesh("body", hide_globes(face.eyes, np.asarray(body.vertices)),
                     np.asarray(body.faces), skin_look(body.spec.skin_tone),
                     corner_uv=corner_uv, overlay=face_overlay(rest),
                     vertex_color=regional.color, vertex_roughness=regional.roughness,
                     texture_space=np.asarray(rest.vertices))
    return [skin, *face_scene(face, np.asarray(body.vertices), iris)]


def face_scene(face: Face, posed: np.ndarray, iris: str = "brown") -> list[SceneMesh]:
    """The eyes, corneas, wet lines, brows and lashes of `face` on the body's pose `posed`
    (vertices)."""
    at = face.place(posed)
    texture = eye_texture(IRIS_COLORS[iris])
    return [SceneMesh("eyes", at["eyes"], face.eyeball_faces, SCLERA,
                      corner_uv=face.eyeball_uv, overlay=texture, mask_class="eyes"),
            SceneMesh("cornea", at["cornea"], face.cornea_faces, CORNEA, mask_class="eyes"),
            SceneMesh("tear", at["tear"], face.tear_faces, TEAR, mask_class="eyes"),
            SceneMesh("brows and lashes", at["brows and lashes"], face.hair_faces, FACE_HAIR,
                      smooth=False, mask_class="hair")]


#: The radius (m) of the cyclorama's cove, the curve from floor to wall.
COVE_M = 1.5


def cyclorama(azimuth_deg: float, color: tuple[float, float, float], wall: bool = True,
              centre: Sequence[float] = (0.0, 0.0), *, width_m: float = 14.0,
              behind_m: float = 3.0, cove_m: float = COVE_M, height_m: float = 6.0
              ) -> SceneMesh:
    """A photographer's infinity cove: a floor that curves up into a wall behind the subject
    (as seen from a camera at `azimuth_deg`), so there is no horizon line; or only the floor
    (`wall=False`, outdoors)."""
    # Profile in (depth away from the camera, height), floor from in front of the camera.
    # Outdoors the ground runs out to a far horizon (the sky below it is not ground).
    if not wall:
        behind_m, width_m = 400.0, 800.0
    floor = [(-12.0, 0.0), (behind_m, 0.0)]
    profile = floor
    if wall:
        arc = [(behind_m + cove_m * math.sin(t), cove_m * (1.0 - math.cos(t)))
               for t in np.linspace(0.0, math.pi / 2.0, 12)[1:]]
        profile = floor + arc + [(behind_m + cove_m, height_m)]
    d = np.array([p[0] for p in profile])
    z = np.array([p[1] for p in profile])
    xs = np.array([-width_m / 2.0, width_m / 2.0])
    across, depth = np.meshgrid(xs, d)
    heights = np.repeat(z[:, None], 2, axis=1)
    az = math.radians(azimuth_deg)
    # Away from the camera is −back; "across" is the camera's right.
    away = np.array([-math.sin(az), math.cos(az)])
    right = np.array([math.cos(az), math.sin(az)])
    xy = depth[..., None] * away + across[..., None] * right + np.asarray(centre)
    vertices = np.concatenate([xy, heights[..., None]], axis=-1).reshape(-1, 3)
    rows = len(profile)
    faces = []
    for r in range(rows - 1):
        a, b, c, e = 2 * r, 2 * r + 1, 2 * r + 2, 2 * r + 3
        faces += [(a, b, e), (a, e, c)]
    look = SurfaceLook(name="backdrop", color=color, roughness=0.9)
    return SceneMesh("cyclorama", vertices, np.array(faces), look, subject=False)


#: The backdrop's wash: a rectangle this wide and tall (m), this far in front of the wall and
#: this high, aimed this high on the wall; sized to cover what a full-length shot sees.
WASH_SIZE_M = (10.0, 4.0)
WASH_OFFSET_M = 1.8
WASH_HEIGHT_M = 2.2
WASH_AIM_M = 0.5


def backdrop_wash(centre: np.ndarray, away: np.ndarray, wall_depth_m: float,
                  power_w: float) -> dict[str, object]:
    """The light that washes a cyclorama's wall, `wall_depth_m` beyond `centre` (x, y) in the
    level direction `away` from the camera: facing the wall, behind the subject, so that it
    lights the backdrop and casts no shadow of the subject on it."""
    location = np.array([*(centre + away * (wall_depth_m - WASH_OFFSET_M)), WASH_HEIGHT_M])
    target = np.array([*(centre + away * wall_depth_m), WASH_AIM_M])
    return {"location": location.tolist(), "rotation": _look_at(location, target),
            "size_m": list(WASH_SIZE_M), "power_w": power_w}


def _look_at(location: np.ndarray, target: np.ndarray) -> list[list[float]]:
    """Rotation (columns: right, up, back) for an object at `location` whose −Z looks at
    `target`, with world Z up."""
    back = location - target
    back /= np.linalg.norm(back)
    right = np.cross([0.0, 0.0, 1.0], back)
    if np.linalg.norm(right) < 1e-6:  # straight above
        right = np.array([1.0, 0.0, 0.0])
    right /= np.linalg.norm(right)
    up = np.cross(back, right)
    return np.stack([right, up, back], axis=1).tolist()


def _swept(points: np.ndarray, centre: np.ndarray, turns_deg: Sequence[float]) -> np.ndarray:
    """`points` turned about the vertical through `centre` by each of `turns_deg`."""
    out = []
    for t in turns_deg:
        c, s = math.cos(math.radians(t)), math.sin(math.radians(t))
        rel = points[:, :2] - centre[:2]
        xy = np.stack([c * rel[:, 0] - s * rel[:, 1], s * rel[:, 0] + c * rel[:, 1]], 1)
        out.append(np.concatenate([xy + centre[:2], points[:, 2:]], axis=1))
    return np.concatenate(out)


def _sun_direction(rig: LightRig, camera_az_deg: float) -> np.ndarray:
    """Unit vector towards the sun, its azimuth relative to the camera's like a light's."""
    az = math.radians(camera_az_deg + rig.sun_azimuth_deg)
    el = math.radians(rig.sun_elevation_deg)
    return np.array([math.sin(az) * math.cos(el), -math.cos(az) * math.cos(el), math.sin(el)])


def _light(light: Light, camera_az_deg: float, stand: np.ndarray, centre: np.ndarray
           ) -> dict[str, object]:
    """An area light `light.distance_m` from `stand` (in the direction its azimuth gives),
    aimed at `centre`."""
    az = math.radians(camera_az_deg + light.azimuth_deg)
    # Azimuth 0 is the camera's side: the camera at azimuth a stands at (sin a, −cos a).
    where = stand[:2] + light.distance_m * np.array([math.sin(az), -math.cos(az)])
    location = np.array([*where, light.height_m])
    target = np.array([*centre[:2], light.aim_height_m])
    return {"location": location.tolist(), "rotation": _look_at(location, target),
            "size_m": light.size_m, "power_w": light.power_w, "color": list(light.color)}


@dataclass(frozen=True, eq=False)
class Motion:
    """An animation's moving parts: per mesh name, its vertices on every frame (the same
    mesh, moved), and the hair's strands on every frame (or None: the hair stays)."""

    vertices: dict[str, list[np.ndarray]]
    hair: list[np.ndarray] | None = None


def render_job(meshes: Sequence[SceneMesh], studio: Studio, output: Path | Sequence[Path],
               hair: Hair | None = None, turns_deg: Sequence[float] = (0.0,),
               motion: Motion | None = None, masks: Sequence[Path] = ()
               ) -> tuple[dict, dict]:
    """The job (settings) and arrays (meshes, hair strands) the Blender worker draws: pure,
    no files. `output` is one path per frame; on each the subject is turned by `turns_deg`
    about the vertical through its centre (a still has the one turn 0) and, with `motion`,
    its meshes and hair moved. `masks`: one path per frame for its class-mask render
    (`mask_job`), or none."""
    outputs = [output] if isinstance(output, Path) else list(output)
    if len(outputs) != len(turns_deg):
        raise RenderError("one output path per turn of the subject")
    moves = motion.vertices if motion else {}
    if any(len(v) != len(outputs) for v in moves.values()) or (
            motion and motion.hair is not None and len(motion.hair) != len(outputs)):
        raise RenderError("an animation needs positions for every frame")
    subjects = [m for m in meshes if m.subject]
    if not subjects:
        raise RenderError("nothing to render: the shot has no subject mesh")
    for m in meshes:
        v, f = np.asarray(m.vertices), np.asarray(m.faces)
        if v.ndim != 2 or v.shape[1] != 3 or not np.isfinite(v).all():
            raise RenderError(f"mesh {m.name!r}: vertices must be finite (V, 3) metres")
        if f.ndim != 2 or f.shape[1] != 3 or (f.size and (f.min() < 0 or f.max() >= len(v))):
            raise RenderError(f"mesh {m.name!r}: faces must be (F, 3) indices into its "
                              f"{len(v)} vertices")
        if m.vertex_color is not None and np.shape(m.vertex_color) != (len(v), 3):
            raise RenderError(f"mesh {m.name!r}: vertex_color must be ({len(v)}, 3) sRGB")
        if m.vertex_roughness is not None and np.shape(m.vertex_roughness) != (len(v),):
            raise RenderError(f"mesh {m.name!r}: vertex_roughness must be ({len(v)},)")
        if m.texture_space is not None and np.shape(m.texture_space) != (len(v), 3):
            raise RenderError(f"mesh {m.name!r}: texture_space must be ({len(v)}, 3)")
        if m.sewing is not None and (set(m.sewing) != set(SEWING) or any(
                np.shape(a) != f.shape for a in m.sewing.values())):
            raise RenderError(f"mesh {m.name!r}: sewing must hold {', '.join(SEWING)}, "
                              f"each one value per face corner {f.shape}")
    everything = np.concatenate(
        [np.asarray(m.vertices) for m in subjects]
        + ([] if hair is None else [hair.strands.reshape(-1, 3)])
        + [np.asarray(v) for frames in moves.values() for v in frames]
        # (the hair's reach on every tenth frame: it moves with the head)
        + ([] if motion is None or motion.hair is None
           else [h.reshape(-1, 3) for h in motion.hair[::10]]))
    preset = CAMERAS[studio.camera]
    width, height = studio.size
    centre = 0.5 * (everything.min(axis=0) + everything.max(axis=0))
    if len(set(turns_deg)) > 1:  # frame what the subject sweeps as it turns
        everything = _swept(everything, centre, sorted(set(turns_deg)))
    lo, hi = frame_box(everything, preset, studio)
    at = place_camera(preset.camera(), lo, hi, width / height)
    rig = LIGHTS[studio.light]
    backdrop = BACKDROPS[studio.backdrop]
    drawn = list(meshes)
    az = math.radians(preset.azimuth_deg)
    away = np.array([-math.sin(az), math.cos(az)])  # from the camera, level
    depth = (everything[:, :2] - centre[:2]) @ away
    front = centre[:2] + away * min(0.0, float(depth.min()) + 0.5)
    wash = None
    if not studio.transparent:
        # The cove's foot 1.5 m behind the furthest the subject goes (a walk comes from it).
        behind = max(3.0, float(depth.max()) + 1.5)
        wall = backdrop.wall and not rig.sky
        drawn.append(cyclorama(preset.azimuth_deg, backdrop.color, wall, centre[:2],
                               behind_m=behind))
        if wall and rig.backdrop_w > 0:
            wash = backdrop_wash(centre[:2], away, behind + COVE_M, rig.backdrop_w)
    quality = studio.sampling
    # What one pixel spans on the subject: cloth finer than that is drawn as roughness.
    pixel_m = (float(np.linalg.norm(at.eye - 0.5 * (lo + hi))) * SENSOR_LONG_SIDE_MM
               / preset.focal_length_mm / max(width, height))
    arrays: dict[str, np.ndarray] = {}
    specs = []
    if hair is not None:
        drawn = [shaded_scalp(m, hair) if m.name == "body" else m for m in drawn]
    for i, m in enumerate(drawn):
        arrays[f"v{i}"] = np.asarray(m.vertices, dtype=np.float32)
        for k, v in enumerate(moves.get(m.name, [])):
            arrays[f"v{i}@{k}"] = np.asarray(v, dtype=np.float32)
        arrays[f"f{i}"] = np.asarray(m.faces, dtype=np.int32)
        if m.uv is not None:
            arrays[f"uv{i}"] = np.asarray(m.uv, dtype=np.float32)
        if m.corner_uv is not None:
            arrays[f"cuv{i}"] = np.asarray(m.corner_uv, dtype=np.float32).reshape(-1, 2)
        if m.overlay is not None:
            arrays[f"tex{i}"] = np.asarray(m.overlay, dtype=np.uint8)
        if m.vertex_color is not None:
            arrays[f"vc{i}"] = srgb_to_linear(np.asarray(m.vertex_color)).astype(np.float32)
        if m.vertex_roughness is not None:
            arrays[f"vr{i}"] = np.asarray(m.vertex_roughness, dtype=np.float32)
        if m.texture_space is not None:
            arrays[f"ts{i}"] = np.asarray(m.texture_space, dtype=np.float32)
        for key, values in (m.sewing or {}).items():
            arrays[f"sew{i}_{key}"] = np.asarray(values, dtype=np.float32)
        if m.look.fade > 0:
            f = np.asarray(m.faces)
            arrays[f"ridge{i}"] = ridges(np.asarray(m.vertices), f)[f].astype(np.float32)
        specs.append({"index": i, "name": m.name, "look": _job_look(m.look, pixel_m),
                      "smooth": m.smooth, "subject": m.subject,
                      "sewing": list(m.sewing or ())})
    if hair is not None:
        arrays["hair"] = hair.strands
        for k, strands in enumerate(motion.hair if motion and motion.hair else []):
            arrays[f"hair@{k}"] = np.asarray(strands, dtype=np.float32)
    job = {
        "hair": None if hair is None else {"radius_m": hair.radius_m, "melanin": hair.melanin,
                                           "redness": hair.redness,
                                           "roughness": hair.roughness},
        "outputs": [str(p) for p in outputs],
        "moving": [i for i, m in enumerate(drawn) if m.name in moves],
        "hair_moves": bool(motion and motion.hair),
        "turns": [math.radians(t) for t in turns_deg],
        "pivot": [float(centre[0]), float(centre[1]), 0.0],
        "width": width, "height": height, "seed": studio.seed,
        "samples": quality.samples, "noise_threshold": quality.noise_threshold,
        "denoise": quality.denoise, "max_bounces": quality.max_bounces,
        "hair_ribbons": quality.hair_ribbons, "subsurface": quality.subsurface,
        "denoise_quality": quality.denoise_quality,
        "transparent": studio.transparent, "meshes": specs,
        # Lights stand round the front of what the subject covers (a walk comes towards
        # the camera and must not pass its lights), aimed at its middle.
        "lights": [_light(li, preset.azimuth_deg, front, centre) for li in rig.lights],
        "backdrop_wash": wash,
        "ambient": rig.ambient, "reflections": rig.reflections, "sky": rig.sky,
        "gloss_trap": rig.gloss_trap,
        "sky_strength": rig.sky_strength,
        "exposure": rig.exposure, "view": rig.view,
        "sun_elevation": math.radians(rig.sun_elevation_deg),
        "sun_rotation": math.radians(preset.azimuth_deg + rig.sun_azimuth_deg),
        "sun_strength": rig.sun_strength,
        "sun_rotation_matrix": _look_at(_sun_direction(rig, preset.azimuth_deg), np.zeros(3)),
        "camera": {"location": at.eye.tolist(), "rotation": at.rotation.tolist(),
                   "lens_mm": preset.focal_length_mm, "sensor_mm": SENSOR_LONG_SIDE_MM},
    }
    job["masks"] = None
    if masks:
        if len(masks) != len(outputs):
            raise RenderError("one mask path per frame")
        job["masks"] = mask_job(drawn, hair is not None, masks, arrays)
    return job, arrays


#: A vertex standing out of its neighbours' mean plane by this share of their distance is
#: the crest of a fold (ridge 1); flat cloth and hollows are 0.
CREST = 0.15
#: Times the crests are averaged with their neighbours (each spreads them about an edge).
_CREST_SPREAD = 3


def ridges(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(V,) how much each vertex is the crest of a fold, 0–1: how far it stands out along
    its normal from the mean of its neighbours, per their mean distance (`CREST` = 1).
    Hems and other open edges count as flat (their neighbours lie to one side)."""
    v = np.asarray(vertices, dtype=np.float64)
    f = np.asarray(faces)
    normal = np.zeros_like(v)
    area = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    for k in range(3):
        np.add.at(normal, f[:, k], area)
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    edges, uses = np.unique(np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]),
                                    axis=1), axis=0, return_counts=True)
    total, count, reach = np.zeros_like(v), np.zeros(len(v)), np.zeros(len(v))
    length = np.linalg.norm(v[edges[:, 0]] - v[edges[:, 1]], axis=1)
    for a, b in ((edges[:, 0], edges[:, 1]), (edges[:, 1], edges[:, 0])):
        np.add.at(total, a, v[b])
        np.add.at(count, a, 1.0)
        np.add.at(reach, a, length)
    count = np.maximum(count, 1.0)
    out = ((v - total / count[:, None]) * normal).sum(axis=1) / np.maximum(reach / count,
                                                                          1e-12)
    border = np.zeros(len(v), dtype=bool)
    border[edges[uses == 1].ravel()] = True
    crest = np.where(border, 0.0, np.clip(out / CREST, 0.0, 1.0))
    for _ in range(_CREST_SPREAD):  # a worn fold is a band a few centimetres wide
        spread = np.zeros(len(v))
        for a, b in ((edges[:, 0], edges[:, 1]), (edges[:, 1], edges[:, 0])):
            np.add.at(spread, a, crest[b])
        crest = 0.5 * crest + 0.5 * spread / count
    return crest


def _job_look(look: SurfaceLook, pixel_m: float) -> dict:
    """`look` as the worker takes it: colours scene-linear (looks are written in sRGB), and
    the cloth's structure resolved at `pixel_m` (`resolved`)."""
    out = look.model_dump()
    for key in ("color", "print_color"):
        out[key] = [*(srgb_to_linear(c) for c in out[key]), 1.0]
    if look.weft_color is not None:
        out["weft_color"] = [*(srgb_to_linear(c) for c in look.weft_color), 1.0]
    if look.finish is not None and look.finish.thread is not None:
        out["finish"]["thread"] = [srgb_to_linear(c) for c in look.finish.thread]
    out["relief"], out["roughness"] = resolved(look, pixel_m)
    return out


def shaded_scalp(body: SceneMesh, hair: Hair) -> SceneMesh:
    """`body` with its scalp shaded under `hair` (its colour blended towards the hair's by
    `hair.scalp`): skin between strands reads as hair, not as a bald patch or a white
    parting."""
    if hair.scalp is None or len(hair.scalp) != len(np.asarray(body.vertices)):
        return body
    from dataclasses import replace

    color = (np.asarray(body.vertex_color, dtype=np.float64) if body.vertex_color is not None
             else np.tile(np.asarray(body.look.color), (len(hair.scalp), 1)))
    tint = srgb_to_linear(np.asarray(hair.tint))
    w = hair.scalp[:, None]
    return replace(body, vertex_color=linear_to_srgb(srgb_to_linear(color) * (1.0 - w)
                                                     + tint * w))


def mask_job(drawn: Sequence[SceneMesh], hair: bool, masks: Sequence[Path],
             arrays: dict[str, np.ndarray]) -> dict[str, object]:
    """The worker's settings for the class masks of `drawn` (and `hair`), each face's class
    index put in `arrays` ("cls<i>"): one flat colour per class (`mask.encode_colors`)."""
    classes, per_face = scene_classes(drawn, hair)
    for i, fc in enumerate(per_face):
        arrays[f"cls{i}"] = fc
    return {"outputs": [str(p) for p in masks], "classes": list(classes),
            "colors": encode_colors(len(classes)).tolist(),
            "hair": classes.index("hair") if hair else None}


def render_still(meshes: Sequence[SceneMesh], studio: Studio, output: str | os.PathLike[str],
                 *, hair: Hair | None = None, timeout_s: float = 900.0,
                 passes: bool = False) -> RenderResult:
    """Render `meshes` (and `hair`) in `studio` to the PNG `output` (RGBA); with `passes`,
    its class mask too, beside it (`dressform.render.mask`: ``look.mask.png`` and
    ``look.mask.json``). Raises `RenderError` with Blender's own last words if the render
    crashes, is killed, or runs past `timeout_s`."""
    out = Path(output)
    if out.suffix.lower() != ".png":
        raise RenderError(f"{out}: a photoreal still is written as .png")
    started = time.perf_counter()
    masks, mask_s = _render(meshes, studio, [out], hair, (0.0,), timeout_s, masks=passes)
    width, height = studio.size
    mask = write_mask(masks[0], out)[0] if passes else None
    return RenderResult(out, width, height, time.perf_counter() - started,
                        studio.sampling.samples, mask, mask_s)


def render_turntable(meshes: Sequence[SceneMesh], studio: Studio,
                     folder: str | os.PathLike[str], frames: int = 60, *,
                     hair: Hair | None = None, timeout_s: float | None = None) -> list[Path]:
    """The subject turned a full circle in `frames` equal steps (camera, lights and backdrop
    still, framed for the whole turn), one PNG per frame in `folder` (frame_000.png, …),
    rendered in one Blender process. Returns the frames in order."""
    check_frames(frames)
    out = Path(folder)
    paths = [out / f"frame_{k:03d}.png" for k in range(frames)]
    turns = [360.0 * k / frames for k in range(frames)]
    _render(meshes, studio, paths, hair, turns, timeout_s or 120.0 + 60.0 * frames)
    return paths


def render_animation(meshes: Sequence[SceneMesh], motion: Motion, studio: Studio,
                     folder: str | os.PathLike[str], *, hair: Hair | None = None,
                     timeout_s: float | None = None) -> list[Path]:
    """One PNG per frame of `motion` in `folder` (frame_000.png, …), the camera framed for
    the whole of it, rendered in one Blender process. Returns the frames in order."""
    frames = len(next(iter(motion.vertices.values()))) if motion.vertices else 0
    check_frames(frames)
    paths = [Path(folder) / f"frame_{k:04d}.png" for k in range(frames)]
    _render(meshes, studio, paths, hair, [0.0] * frames, timeout_s or 120.0 + 60.0 * frames,
            motion)
    return paths


def check_frames(frames: int) -> None:
    if not 2 <= frames <= 3600:
        raise RenderError(f"an animation has 2 to 3600 frames, not {frames}")


def _render(meshes: Sequence[SceneMesh], studio: Studio, outputs: list[Path],
            hair: Hair | None, turns: Sequence[float], timeout_s: float,
            motion: Motion | None = None, masks: bool = False) -> tuple[list[Mask], float]:
    """Run the worker on a job; each output appears only once Blender has written it. With
    `masks`, also each frame's class mask (returned, not written) and the seconds Blender
    spent on them."""
    for out in outputs:
        out.parent.mkdir(parents=True, exist_ok=True)
    with scratch_dir("render") as job_dir:
        partial = [job_dir / f"render_{k:04d}.png" for k in range(len(outputs))]
        raw = [job_dir / f"mask_{k:04d}.png" for k in range(len(outputs))] if masks else []
        job, arrays = render_job(meshes, studio, partial, hair, turns, motion, raw)
        (job_dir / "job.json").write_text(json.dumps(job))
        np.savez(job_dir / "meshes.npz", **arrays)
        _run_worker(job_dir, timeout_s)
        found = []
        for src in raw:
            if not src.exists():
                raise RenderError("Blender finished without writing a class mask")
            with Image.open(src) as im:
                rgb = np.asarray(im.convert("RGB"))
            found.append(Mask(decode_colors(rgb, job["masks"]["classes"]),
                              tuple(job["masks"]["classes"])))
        for src, dst in zip(partial, outputs, strict=True):
            if not src.exists():
                raise RenderError("Blender finished without writing an image")
            _move(src, dst)
        timing = job_dir / "timing.json"
        mask_s = json.loads(timing.read_text()).get("masks_s", 0.0) if timing.exists() else 0.0
    return found, float(mask_s)


def _run_worker(job_dir: Path, timeout_s: float) -> None:
    cmd = [sys.executable, "-m", "dressform.render.blender_worker", str(job_dir)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    except subprocess.TimeoutExpired as e:
        raise RenderError(f"the render ran past {timeout_s:.0f} s and was stopped") from e
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        why = lines[-1] if lines else "no message"
        how = (f"was killed by signal {-done.returncode}" if done.returncode < 0
               else f"failed (exit {done.returncode})")
        raise RenderError(f"the Blender render {how}: {why}")


def _move(src: Path, dst: Path) -> None:
    """Move a finished file into place atomically (a rename; across file systems, a copy to
    a hidden name beside it, then the rename)."""
    if os.stat(src).st_dev == os.stat(dst.parent).st_dev:
        os.replace(src, dst)
        return
    from dressform.files import atomic_path

    with atomic_path(dst) as tmp:
        tmp.write_bytes(src.read_bytes())
