"""Procedural hair: strands grown from a clone's scalp, styled short, long, in a bun, or
curly/coily, for the photoreal renderer (Blender hair curves with the Principled Hair BSDF).

A clone without hair reads as a shop mannequin. anny ships no hair, so it is grown here:
roots are sampled over the scalp (the head's skin above a hairline that runs from the
forehead over the ears to the nape), and each strand is grown step by step, combed away from
a centre parting, pulled down by gravity as it lengthens, and pushed out of the head and body
after every step so that it lies on them instead of through them. Hair colour is given as
melanin (eumelanin amount and redness), the physical parameters of the hair shader, so the
presets range from black to platinum and grey as real hair does.

Strand counts are far below a real head's ~100,000 and each strand is drawn thicker, the
usual trade for render time; at campaign resolution the hair reads as hair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from dressform.body.mesh import Body
from dressform.errors import UnknownNameError
from dressform.geometry.rigid import rigid_fit
from dressform.names import suggest
from dressform.render.face import eyes_centre

if TYPE_CHECKING:
    from dressform.geometry.distance import BodyDistance

HairStyle = Literal["none", "short", "long", "bun", "curly"]
HAIR_STYLES: tuple[str, ...] = get_args(HairStyle)

#: (melanin, melanin redness, roughness) of each hair colour, for the Principled Hair BSDF.
HAIR_COLORS: dict[str, tuple[float, float, float]] = {
    "black": (0.95, 0.05, 0.35), "dark-brown": (0.78, 0.2, 0.35), "brown": (0.6, 0.3, 0.38),
    "auburn": (0.55, 0.8, 0.38), "blonde": (0.28, 0.35, 0.35), "platinum": (0.1, 0.1, 0.3),
    "grey": (0.12, 0.0, 0.4),
}


@dataclass(frozen=True, eq=False)
class Hair:
    """Strands (N, P, 3) in metres, root first; `radius_m` at the root (tapering to a third
    at the tip); melanin, redness and roughness for the hair shader."""

    style: str
    strands: np.ndarray
    radius_m: float
    melanin: float
    redness: float
    roughness: float


@dataclass(frozen=True)
class _Cut:
    count: int  # strands
    length_m: tuple[float, float]  # shortest, longest
    points: int
    gravity: float  # how fast a strand turns downwards as it grows (per metre)
    lift_m: float  # how far the hair stands off the scalp (volume)
    radius_m: float


_CUTS: dict[str, _Cut] = {
    "short": _Cut(9000, (0.03, 0.055), 8, 6.0, 0.004, 0.00022),
    "long": _Cut(7000, (0.32, 0.42), 20, 9.0, 0.005, 0.00022),
    "bun": _Cut(7000, (0.10, 0.16), 12, 0.0, 0.003, 0.0002),
    "curly": _Cut(14000, (0.035, 0.06), 24, 0.0, 0.03, 0.0003),
}

#: The hairline's height above the eyes (m) round the head: azimuth 0° is the face, 180° the
#: nape (linear in between).
_HAIRLINE = ((0.0, 0.05), (50.0, 0.045), (80.0, 0.04), (100.0, 0.035), (125.0, 0.0),
             (150.0, -0.05), (180.0, -0.075))


def _head_frame(body: Body) -> tuple[np.ndarray, float]:
    """The head's centre (between and ~8 cm behind the eyes, at eye height) and eye height."""
    eyes = eyes_centre(body)
    return eyes + np.array([0.0, 0.08, 0.0]), float(eyes[2])


def scalp_faces(body: Body) -> np.ndarray:
    """Indices of the head's faces that grow hair: all three corners above the hairline."""
    centre, eye_z = _head_frame(body)
    v = np.asarray(body.vertices)
    rel = v - centre
    azimuth = np.degrees(np.abs(np.arctan2(rel[:, 0], -rel[:, 1])))
    line = np.interp(azimuth, *zip(*_HAIRLINE, strict=True))
    on = body.part_mask("head") & (v[:, 2] > eye_z + line)
    faces = np.asarray(body.faces)
    return np.flatnonzero(on[faces].all(axis=1))


def grow_hair(body: Body, style: str = "short", color: str = "dark-brown", *,
              seed: int = 0, density: float = 1.0,
              over: Sequence[tuple[np.ndarray, np.ndarray]] = ()) -> Hair | None:
    """Hair for `body` in `style` (none, short, long, bun, curly) and `color` (see
    `HAIR_COLORS`); None for "none". `density` scales the strand count. `over`: the
    garments worn (vertices, faces, triangles facing out): long hair falls over them."""

    if style not in HAIR_STYLES:
        raise UnknownNameError(f"unknown hairstyle {style!r}{suggest(style, HAIR_STYLES)} "
                               f"(hairstyles: {', '.join(HAIR_STYLES)})")
    if color not in HAIR_COLORS:
        raise UnknownNameError(f"unknown hair colour {color!r}{suggest(color, HAIR_COLORS)} "
                               f"(colours: {', '.join(HAIR_COLORS)})")
    if style == "none":
        return None
    cut = _CUTS[style]
    rng = np.random.default_rng(seed)
    roots, normals = _sample_roots(body, max(50, int(cut.count * density)), rng)
    centre, _ = _head_frame(body)
    skin = _surface(body, over)
    lengths = rng.uniform(*cut.length_m, size=len(roots))
    if style == "curly":
        coils = _coils(roots, normals, lengths, cut, rng)
        tips = skin.push_out(coils[:, 1:].reshape(-1, 3), 0.002, rounds=2)
        strands = np.concatenate([coils[:, :1], tips.reshape(len(coils), -1, 3)], axis=1)
    else:
        target = centre + np.array([0.0, 0.075, 0.03]) if style == "bun" else None
        strands = _combed(roots, normals, lengths, cut, centre, skin, target)
    if style == "bun":
        strands = np.concatenate([strands, _bun(centre, cut, rng, skin)], axis=0)
    melanin, redness, roughness = HAIR_COLORS[color]
    return Hair(style, strands.astype(np.float32), cut.radius_m, melanin, redness, roughness)


def _surface(body: Body, over: Sequence[tuple[np.ndarray, np.ndarray]]) -> BodyDistance:
    """The body and the garments on it as one surface the hair stays outside (a point
    beyond a garment's open edge, past a hem, is outside it)."""
    from dressform.geometry.distance import BodyDistance, open_edge_mask

    vertices, faces = [np.asarray(body.vertices)], [np.asarray(body.faces)]
    solid, count = len(faces[0]), len(vertices[0])
    edges = [np.zeros(solid, dtype=np.int32)]
    for v, f in over:
        vertices.append(np.asarray(v, dtype=np.float64))
        faces.append(np.asarray(f) + count)
        edges.append(open_edge_mask(np.asarray(f)))
        count += len(v)
    return BodyDistance(np.vstack(vertices), np.vstack(faces), np.concatenate(edges),
                        solid_faces=solid)


def _sample_roots(body: Body, count: int, rng: np.random.Generator
                  ) -> tuple[np.ndarray, np.ndarray]:
    faces = np.asarray(body.faces)[scalp_faces(body)]
    tri = np.asarray(body.vertices)[faces]
    cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area = 0.5 * np.linalg.norm(cross, axis=1)
    pick = rng.choice(len(faces), size=count, p=area / area.sum())
    a, b = rng.random(count), rng.random(count)
    flip = a + b > 1.0
    a[flip], b[flip] = 1.0 - a[flip], 1.0 - b[flip]
    t = tri[pick]
    roots = t[:, 0] + a[:, None] * (t[:, 1] - t[:, 0]) + b[:, None] * (t[:, 2] - t[:, 0])
    normals = cross[pick] / np.linalg.norm(cross[pick], axis=1, keepdims=True)
    return roots, normals


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _combed(roots: np.ndarray, normals: np.ndarray, lengths: np.ndarray, cut: _Cut,
            centre: np.ndarray, skin, target: np.ndarray | None) -> np.ndarray:
    """Strands grown in steps: combed from a centre parting (or towards `target`, a bun),
    bending down under gravity as they lengthen, kept off the skin after every step."""
    n, steps = len(roots), cut.points - 1
    step = lengths / steps
    out = np.empty((n, cut.points, 3))
    pos = roots + normals * cut.lift_m * 0.5
    out[:, 0] = roots
    down = np.array([0.0, 0.0, -1.0])
    grown = np.zeros(n)
    for k in range(1, cut.points):
        rel = pos - centre
        if target is None:
            # Away from the parting (x = 0), backwards and down.
            comb = np.stack([np.sign(rel[:, 0]) * 0.6, np.full(n, 0.5), np.full(n, -0.4)], 1)
        else:
            comb = target - pos
        outward = _unit(rel)
        comb = _unit(comb - (comb * outward).sum(1, keepdims=True) * outward)
        weight = np.clip(grown * cut.gravity, 0.0, 1.0)[:, None]
        direction = _unit((1.0 - weight) * comb + weight * down)
        pos = pos + direction * step[:, None]
        if target is not None:  # stop at the bun
            arrived = np.linalg.norm(pos - target, axis=1) < 0.02
            pos[arrived] = out[arrived, k - 1]
        pos = skin.push_out(pos, cut.lift_m, rounds=2)
        grown += step
        out[:, k] = pos
    return out


def _coils(roots: np.ndarray, normals: np.ndarray, lengths: np.ndarray, cut: _Cut,
           rng: np.random.Generator) -> np.ndarray:
    """Curly/coily hair: tight helices standing out from the scalp, giving volume."""
    s = np.linspace(0.0, 1.0, cut.points)[None, :, None]
    e1 = _unit(np.cross(normals, np.array([0.0, 0.0, 1.0]) + 1e-3))
    e2 = np.cross(normals, e1)
    turns = rng.uniform(4.0, 7.0, size=len(roots))[:, None, None]
    phase = rng.uniform(0, 2 * np.pi, size=len(roots))[:, None, None]
    angle = 2 * np.pi * turns * s + phase
    radius = 0.004 * np.minimum(1.0, 4.0 * s)
    lean = _unit(normals + 0.35 * rng.normal(size=normals.shape))
    axis = roots[:, None] + lean[:, None] * lengths[:, None, None] * s
    return axis + radius * (np.cos(angle) * e1[:, None] + np.sin(angle) * e2[:, None])


def _bun(centre: np.ndarray, cut: _Cut, rng: np.random.Generator, skin) -> np.ndarray:
    """The bun: strands wound round a ball at the back of the head."""
    middle = centre + np.array([0.0, 0.115, 0.035])
    count = cut.count // 3
    axis = _unit(rng.normal(size=(count, 3)))
    start = _unit(np.cross(axis, rng.normal(size=(count, 3))))
    angle = np.linspace(0.0, 1.6 * np.pi, cut.points)[None, :, None]
    other = np.cross(axis, start)
    radius = 0.032 + rng.uniform(-0.004, 0.004, size=(count, 1, 1))
    ring = np.cos(angle) * start[:, None] + np.sin(angle) * other[:, None]
    points = middle + radius * ring
    flat = skin.push_out(points.reshape(-1, 3), cut.lift_m, rounds=2)
    return flat.reshape(points.shape)


def carried(hair: Hair, rest: Body, moved: Body) -> np.ndarray:
    """`hair` grown on `rest` moved rigidly with the head onto `moved` (the same clone in
    another frame of a motion): the best rigid fit of the head's vertices (Kabsch)."""
    head = rest.part_mask("head")
    rot, shift = rigid_fit(np.asarray(rest.vertices)[head], np.asarray(moved.vertices)[head])
    return (hair.strands @ rot.T + shift).astype(np.float32)
