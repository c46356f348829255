"""Skin that varies as real skin does: per vertex, its colour from its own melanin and blood,
and its roughness.

One colour over the whole body reads as wax. Real skin is redder where capillaries lie dense
and near the surface (cheeks, the nose, ears, knuckles), far lighter on the palms and soles
of deep skin (palmoplantar skin has several times fewer melanocytes than the back of the
hand; Yamaguchi et al., J Cell Biol 165, 2004), and shows the pink nail bed through the
clear nail plate. So each region's skin is the clone's own chromophores (its Monk tone's,
:mod:`dressform.body.skin_optics`) changed by the region's factors (`REGION_SKIN`), and its
colour worked out by the same optics; a vertex's colour is a blend of its skin's and its
region's by how far into the region it lies, so the edges are soft. Roughness follows the
skin's oil and finish: the forehead and nose (the T-zone) shinier, palms and soles matte,
nails glossy.

Regions are found on the clone at rest from its rig (eye, finger and toe bones) and surface
normals, so they sit on the same anatomy on every body and follow the skin into any pose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from dressform.body.mesh import Body
from dressform.body.skin import linear_to_srgb, srgb_to_linear
from dressform.body.skin_optics import Chromophores, skin_rgb, tone_skin
from dressform.geometry.normals import vertex_normals

#: Each region's skin against the clone's own: factors on melanin and blood (and scattering).
REGION_SKIN: dict[str, dict[str, float]] = {
    "flush": {"blood": 3.0},  # cheeks, nose, ears: dense, shallow capillaries
    "volar": {"melanin": 0.3, "blood": 1.3},  # palms and soles
    "knuckle": {"melanin": 1.35, "blood": 1.6},  # creased skin: darker on deep, redder on light
    "nail": {"melanin": 0.3, "blood": 1.8, "scattering": 1.5},  # the bed under a clear plate
    "lips": {"melanin": 0.6, "blood": 6.0, "scattering": 0.6},  # thin, clear over capillaries
}
#: Roughness of skin (the renderer's Principled roughness) by its finish.
ROUGHNESS: dict[str, float] = {"skin": 0.5, "t-zone": 0.43, "volar": 0.62, "nail": 0.18,
                               "lips": 0.33}

#: Which way a toenail faces at rest: up, tilted towards the front of the foot (−Y).
_TOENAIL = np.array([0.0, -0.4, 1.0]) / np.sqrt(1.16)


@dataclass(frozen=True, eq=False)
class SkinMap:
    """Per vertex: `color` (V, 3) sRGB 0–1 and `roughness` (V,)."""

    color: np.ndarray
    roughness: np.ndarray


def skin_map(rest: Body) -> SkinMap:
    """The colour and roughness of every vertex of `rest`'s skin (its Monk tone's)."""
    w = region_weights(rest)
    own = tone_skin(rest.spec.skin_tone)
    color = np.tile(_linear(own), (len(w["flush"]), 1))
    for region in ("flush", "knuckle", "volar", "nail"):
        color += w[region][:, None] * (_linear(_region_skin(own, region)) - color)
    rough = np.full(len(color), ROUGHNESS["skin"])
    for region in ("t-zone", "volar", "nail", "lips"):
        rough += w[region] * (ROUGHNESS[region] - rough)
    return SkinMap(linear_to_srgb(color), rough)


def lip_rgb(tone: int) -> tuple[float, float, float]:
    """The lips' colour (sRGB) on skin of Monk tone `tone`: its chromophores changed as
    `REGION_SKIN["lips"]` says."""
    return skin_rgb(_region_skin(tone_skin(tone), "lips"))


def region_weights(rest: Body) -> dict[str, np.ndarray]:
    """How far each vertex of `rest` lies in each region (0–1): flush, knuckle, volar, nail
    (colour), t-zone and lips (finish; the lips' colour is painted, `face.face_overlay`)."""
    from dressform.render.face import lip_alpha

    v = np.asarray(rest.vertices)
    normals = vertex_normals(v, np.asarray(rest.faces))
    names = np.array(rest.skeleton.names)
    joints, weights = np.asarray(rest.skin_joints), np.asarray(rest.skin_weights)
    bone = names[joints[np.arange(len(v)), np.argmax(weights, axis=1)]].astype(str)
    flush, tzone = _face(rest, v, normals)
    volar = np.zeros(len(v))
    knuckle = np.zeros(len(v))
    nail = np.zeros(len(v))
    for side in "LR":
        hand = rest.part_mask(f"hand_{'left' if side == 'L' else 'right'}")
        palm = palm_direction(rest, side)
        facing = normals @ palm
        volar = np.maximum(volar, hand * _ramp(facing, -0.1, 0.5))
        for finger in range(1, 6):
            tip = f"finger{finger}-3.{side}"
            back = -palm
            if finger == 1:  # the thumb's nail faces away from the palm and the index finger
                away = rest.skeleton.head(tip) - rest.skeleton.head(f"finger2-1.{side}")
                back = back + away / np.linalg.norm(away)
                back /= np.linalg.norm(back)
            nail = np.maximum(nail, _nail(v, normals, bone == tip, back,
                                          rest.skeleton.head(tip)))
            if finger > 1:
                for joint in (f"finger{finger}-1.{side}", f"finger{finger}-2.{side}"):
                    d = np.linalg.norm(v - rest.skeleton.head(joint), axis=1)
                    near = np.exp(-((d / 0.009) ** 2)) * _ramp(-facing, 0.2, 0.6) * hand
                    knuckle = np.maximum(knuckle, 0.8 * near)
        foot = rest.part_mask(f"foot_{'left' if side == 'L' else 'right'}")
        volar = np.maximum(volar, foot * _ramp(-normals[:, 2], 0.2, 0.6))
        for toe in range(1, 6):
            last = f"toe{toe}-{2 if toe == 1 else 3}.{side}"
            nail = np.maximum(nail, _nail(v, normals, bone == last, _TOENAIL,
                                          rest.skeleton.head(last)))
    lips = lip_alpha(rest, v) * rest.part_mask("head")
    return {"flush": flush, "knuckle": knuckle, "volar": volar, "nail": nail, "t-zone": tzone,
            "lips": lips}


def palm_direction(rest: Body, side: str) -> np.ndarray:
    """The unit direction the palm of hand `side` ("L" or "R") faces at rest: the normal of
    the plane of the knuckles, on the side the fingers curl and the thumb lies."""
    head = rest.skeleton.head
    wrist = head(f"wrist.{side}")
    across = head(f"finger5-1.{side}") - head(f"finger2-1.{side}")
    normal = np.cross(head(f"finger3-1.{side}") - wrist, across)
    normal /= np.linalg.norm(normal)
    towards = (head(f"finger3-3.{side}") - head(f"finger3-1.{side}")
               + head(f"finger1-3.{side}") - wrist)
    return normal if normal @ towards > 0 else -normal


def _face(rest: Body, v: np.ndarray, normals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flush (cheeks, nose tip, ears) and T-zone (forehead, nose) weights on the head."""
    from dressform.render.face import eye_scale, eyes_centre

    head = rest.part_mask("head")
    eyes, scale = eyes_centre(rest), eye_scale(rest)
    front = head & (normals[:, 1] < -0.2)
    rel = (v - eyes) / scale
    # Cheeks: the apple of each cheek, under the eye and a little out from it.
    cheek = np.zeros(len(v))
    for x in (0.034, -0.034):
        d2 = (rel[:, 0] - x) ** 2 + (rel[:, 2] + 0.03) ** 2
        cheek = np.maximum(cheek, np.exp(-d2 / (2 * 0.013**2)))
    midline = head & (np.abs(rel[:, 0]) < 0.012) & (rel[:, 2] < -0.01) & (rel[:, 2] > -0.06)
    tip = v[midline][np.argmin(v[midline, 1])]
    nose = np.exp(-(np.linalg.norm(v - tip, axis=1) / scale) ** 2 / (2 * 0.011**2))
    # Ears: the outermost skin of the head's sides, behind the eyes, at about eye height.
    band = head & (rel[:, 2] > -0.045) & (rel[:, 2] < 0.015) & (rel[:, 1] > 0.05)
    reach = np.abs(rel[:, 0])
    outer = float(reach[band].max()) if band.any() else 1.0
    ear = band * _ramp(reach, outer - 0.02, outer - 0.008)
    flush = np.maximum.reduce([0.85 * cheek * front, 0.6 * nose * head, 0.6 * ear])
    forehead = front * (np.abs(rel[:, 0]) < 0.035) * _ramp(rel[:, 2], 0.012, 0.025) * (
        rel[:, 2] < 0.07)
    bridge = front * (np.abs(rel[:, 0]) < 0.012) * (rel[:, 2] < 0.0) * (rel[:, 2] > -0.055)
    return flush, np.maximum(forehead, bridge.astype(float))


def _nail(v: np.ndarray, normals: np.ndarray, phalanx: np.ndarray, dorsal: np.ndarray,
          joint: np.ndarray) -> np.ndarray:
    """The nail of a distal phalanx (vertices `phalanx`, its bone's head at `joint`): its
    skin facing `dorsal`, over the far part of the bone's length."""
    out = np.zeros(len(v))
    if phalanx.sum() < 4:
        return out
    p = v[phalanx]
    middle = p.mean(axis=0)
    # The phalanx's axis: its longest extent.
    _, _, vt = np.linalg.svd(p - middle, full_matrices=False)
    axis = vt[0]
    t = (p - middle) @ axis
    if (middle - joint) @ axis < 0:  # point it away from the joint, at the tip
        axis, t = -axis, -t
    along = (t - t.min()) / max(np.ptp(t), 1e-9)
    out[phalanx] = _ramp(normals[phalanx] @ dorsal, 0.45, 0.7) * _ramp(along, 0.3, 0.42)
    return out


def _ramp(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """0 below `lo`, 1 above `hi`, smooth between."""
    t = np.clip((np.asarray(x, dtype=np.float64) - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _region_skin(own: Chromophores, region: str) -> Chromophores:
    f = REGION_SKIN[region]
    return replace(own, melanin=own.melanin * f.get("melanin", 1.0),
                   blood=own.blood * f.get("blood", 1.0),
                   scattering=own.scattering * f.get("scattering", 1.0))


@lru_cache(maxsize=128)
def _linear_cached(skin: Chromophores) -> tuple[float, float, float]:
    r, g, b = skin_rgb(skin)
    return (srgb_to_linear(r), srgb_to_linear(g), srgb_to_linear(b))


def _linear(skin: Chromophores) -> np.ndarray:
    return np.array(_linear_cached(skin))
