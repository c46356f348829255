"""Procedural hair: strands grown from a clone's scalp for the photoreal renderer (Blender
hair curves with the Principled Hair BSDF), in styles for every hair type: short, long, a
bun, curly, an afro, a buzz cut, locs and box braids; any of the cut styles straight, wavy,
curly or coily (`HAIR_TEXTURES`).

A clone without hair reads as a shop mannequin. anny ships no hair, so it is grown here in
two steps, as groomers do. *Guides*: roots sampled over the scalp (the head's skin above a
hairline that runs from the forehead over the ears to the nape), each strand grown step by
step, combed away from a centre parting, pulled down by gravity as it lengthens, and pushed
out of the head and body after every step so that it lies on them instead of through them;
then curled by the hair type (a helix about the strand, tighter and shrunk shorter for coily
hair). *Children*: tens of thousands of strands, each rooted on the scalp and following its
nearest guide, drawn together towards the tip (clumps, the locks real hair falls in) and
frizzed a little each; thinned near the hairline so that it fades into the skin instead of
stopping at an edge. Locs and braids are ropes of many strands twisted (or plaited in
three) about a guide. Hair colour is given as melanin (eumelanin amount and redness), the
physical parameters of the hair shader, so the presets range from black to platinum and grey
as real hair does; each strand varies a little in colour and roughness.

A real head carries about 100,000 strands; these carry 30,000–50,000, each drawn a little
thicker, the usual trade for render time; at campaign resolution the hair reads as hair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np

from dressform.body.mesh import Body
from dressform.body.rig import Z, rotation_matrix
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.geometry.rigid import rigid_fit
from dressform.names import suggest
from dressform.render.face import eyes_centre

if TYPE_CHECKING:
    from dressform.geometry.distance import BodyDistance

HairStyle = Literal["none", "short", "long", "bun", "curly", "afro", "buzz", "locs", "braids"]
HAIR_STYLES: tuple[str, ...] = get_args(HairStyle)
#: How a strand curls: (helix radius m, pitch m, shrinkage: the share of its length left).
HAIR_TEXTURES: dict[str, tuple[float, float, float]] = {
    "straight": (0.0, 1.0, 1.0), "wavy": (0.005, 0.04, 0.92), "curly": (0.005, 0.018, 0.75),
    "coily": (0.003, 0.009, 0.55),
}
#: Each style's own hair type (a cut style takes any; locs and braids are their own).
_STYLE_TEXTURE = {"short": "straight", "long": "straight", "bun": "straight", "curly": "coily",
                  "afro": "coily", "buzz": "straight", "locs": "straight",
                  "braids": "straight"}

#: (melanin, melanin redness, roughness) of each hair colour, for the Principled Hair BSDF.
HAIR_COLORS: dict[str, tuple[float, float, float]] = {
    "black": (0.95, 0.05, 0.35), "dark-brown": (0.78, 0.2, 0.35), "brown": (0.6, 0.3, 0.38),
    "auburn": (0.55, 0.8, 0.38), "blonde": (0.28, 0.35, 0.35), "platinum": (0.1, 0.1, 0.3),
    "grey": (0.12, 0.0, 0.4),
}

#: How each hair colour reads from a distance (sRGB), as photographed: the scalp under it is
#: shaded towards this.
HAIR_TINTS: dict[str, tuple[float, float, float]] = {
    "black": (0.06, 0.05, 0.045), "dark-brown": (0.16, 0.11, 0.08), "brown": (0.30, 0.20, 0.13),
    "auburn": (0.42, 0.20, 0.10), "blonde": (0.70, 0.57, 0.38), "platinum": (0.85, 0.82, 0.74),
    "grey": (0.62, 0.62, 0.60),
}


@dataclass(frozen=True, eq=False)
class Hair:
    """Strands (N, P, 3) in metres, root first; `radius_m` at the root (tapering to a third
    at the tip); melanin, redness and roughness for the hair shader; `scalp`, the shade it
    casts on the skin it grows from (the renderer blends the body there towards `tint`)."""

    style: str
    strands: np.ndarray
    radius_m: float
    melanin: float
    redness: float
    roughness: float
    #: (V,) how much the hair shades each vertex of the scalp it grows on (0–1; None: none).
    scalp: np.ndarray | None = None
    #: The colour (sRGB) the hair reads as from a distance: what it shades the scalp to.
    tint: tuple[float, float, float] = (0.16, 0.11, 0.08)


@dataclass(frozen=True)
class _Cut:
    count: int  # guide strands
    length_m: tuple[float, float]  # shortest, longest
    points: int
    gravity: float  # how fast a strand turns downwards as it grows (per metre)
    lift_m: float  # how far the hair stands off the scalp (volume)
    radius_m: float
    children: int = 5  # strands following each guide
    clump: float = 0.6  # how far children draw in to their guide at the tip (0–1)


_CUTS: dict[str, _Cut] = {
    "short": _Cut(4000, (0.03, 0.055), 8, 6.0, 0.004, 0.0002, children=8, clump=0.4),
    "long": _Cut(3000, (0.32, 0.42), 20, 9.0, 0.005, 0.00018, children=12, clump=0.7),
    "bun": _Cut(3000, (0.10, 0.16), 12, 0.0, 0.003, 0.00018, children=10, clump=0.5),
    "curly": _Cut(4000, (0.035, 0.06), 24, 0.0, 0.03, 0.00025, children=6, clump=0.5),
    "afro": _Cut(4000, (0.08, 0.11), 32, 0.0, 0.004, 0.00025, children=8, clump=0.5),
    "buzz": _Cut(30000, (0.003, 0.006), 3, 0.0, 0.0005, 0.00012, children=1, clump=0.0),
    "locs": _Cut(110, (0.26, 0.36), 36, 9.0, 0.006, 0.00022, children=45, clump=0.0),
    "braids": _Cut(120, (0.32, 0.42), 60, 10.0, 0.005, 0.0002, children=42, clump=0.0),
}
#: Rope styles: (rope radius m, twist pitch m).
_ROPES = {"locs": (0.0045, 0.03), "braids": (0.0035, 0.024)}

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
              texture: str | None = None, seed: int = 0, density: float = 1.0,
              over: Sequence[tuple[np.ndarray, np.ndarray]] = ()) -> Hair | None:
    """Hair for `body` in `style` (one of `HAIR_STYLES`, or "STYLE/TYPE" such as
    "long/coily"), `color` (see `HAIR_COLORS`) and `texture` (straight, wavy, curly or coily,
    for the cut styles; None: the style's own); None for "none". `density` scales the
    strand count. `over`: the garments worn (vertices, faces, triangles facing out): long
    hair falls over them.

    A cut is laid out round a face that looks along −Y: a clone whose head is turned (a side
    or back view, a head turned to the camera) grows it turned to face that way, and the
    strands are turned back with it."""
    turn = _facing_front(body)
    if turn is None:
        return _grow(body, style, color, texture, seed, density, over)
    hair = _grow(replace(body, vertices=np.asarray(body.vertices) @ turn.T,
                         skeleton=replace(body.skeleton,
                                          heads=np.asarray(body.skeleton.heads) @ turn.T)),
                 style, color, texture, seed, density,
                 [(np.asarray(v) @ turn.T, f) for v, f in over])
    return None if hair is None else replace(
        hair, strands=(hair.strands @ turn.astype(np.float32)).astype(np.float32))


def _facing_front(body: Body) -> np.ndarray | None:
    """The turn about the vertical that makes the head look along −Y (None: it does)."""
    across = np.asarray(body.skeleton.head("eye.L")) - np.asarray(body.skeleton.head("eye.R"))
    yaw = float(np.arctan2(across[1], across[0]))
    return None if abs(yaw) < 1e-6 else rotation_matrix(Z, -np.degrees(yaw))


def _grow(body: Body, style: str, color: str, texture: str | None, seed: int,
          density: float, over: Sequence[tuple[np.ndarray, np.ndarray]]) -> Hair | None:
    style, typed = parse_hairstyle(style)
    if texture is not None and typed is not None and texture != typed:
        raise InvalidInputError(f"hairstyle {style}/{typed} asks for {typed} hair, not "
                                f"{texture}")
    texture = texture or typed
    if color not in HAIR_COLORS:
        raise UnknownNameError(f"unknown hair colour {color!r}{suggest(color, HAIR_COLORS)} "
                               f"(colours: {', '.join(HAIR_COLORS)})")
    if texture is not None:
        check_texture(style, texture)
    if style == "none":
        return None
    cut = _CUTS[style]
    rng = np.random.default_rng(seed)
    roots, normals = _sample_roots(body, max(50, int(cut.count * density * (
        20 if style in _ROPES else 1))), rng)
    if style in _ROPES:
        roots, normals = _spread(roots, normals, max(12, int(cut.count * density)))
    centre, _ = _head_frame(body)
    skin = _surface(body, over)
    hair_type = HAIR_TEXTURES[texture or _STYLE_TEXTURE[style]]
    lengths = rng.uniform(*cut.length_m, size=len(roots))
    if style == "curly":
        coils = _coils(roots, normals, lengths, cut, rng)
        tips = skin.push_out(coils[:, 1:].reshape(-1, 3), 0.002, rounds=2)
        guides = np.concatenate([coils[:, :1], tips.reshape(len(coils), -1, 3)], axis=1)
    elif style == "afro":
        guides = _curled(_radial(roots, centre, cut, hair_type[2]), hair_type, rng)
    else:
        target = centre + np.array([0.0, 0.075, 0.03]) if style == "bun" else None
        guides = _curled(_combed(roots, normals, lengths, cut, centre, skin, target),
                         hair_type, rng)
    if style in _ROPES:
        strands = _ropes(guides, normals, style, cut.children, rng)
    else:
        # Curled hair stands off the skin by its own curl; straight children are kept off
        # it, and out of the garments first (between cloth and skin, the skin is nearer).
        keep_off = [] if hair_type[0] else [*([_surface(None, over)] if over else []), skin]
        strands = np.concatenate([guides, _children(body, guides, cut, rng, keep_off)], axis=0)
    if style == "bun":
        strands = np.concatenate([strands, resampled(_bun(centre, cut, rng, skin),
                                                      strands.shape[1])], axis=0)
    melanin, redness, roughness = HAIR_COLORS[color]
    return Hair(style, strands.astype(np.float32), cut.radius_m, melanin, redness, roughness,
                scalp=_scalp_cover(body, 0.8 if style == "buzz" else 0.55),
                tint=HAIR_TINTS[color])


def parse_hairstyle(text: str) -> tuple[str, str | None]:
    """A hairstyle as written, "STYLE" or "STYLE/TYPE" (e.g. "long/coily"): the style and
    the hair type (None: the style's own). Raises `UnknownNameError` / `InvalidInputError`
    naming what is wrong."""
    style, _, texture = text.strip().lower().partition("/")
    if style not in HAIR_STYLES:
        raise UnknownNameError(f"unknown hairstyle {style!r}{suggest(style, HAIR_STYLES)} "
                               f"(hairstyles: {', '.join(HAIR_STYLES)}, each optionally "
                               f"/{'|'.join(HAIR_TEXTURES)})")
    if not texture:
        return style, None
    return style, check_texture(style, texture)


def check_texture(style: str, texture: str) -> str:
    """`texture` if it is a hair type `style` can take, else an error saying why not."""
    if texture not in HAIR_TEXTURES:
        raise UnknownNameError(f"unknown hair type {texture!r}{suggest(texture, HAIR_TEXTURES)}"
                               f" (types: {', '.join(HAIR_TEXTURES)})")
    if style in ("buzz", "none", *_ROPES) and texture != _STYLE_TEXTURE.get(style, texture):
        raise InvalidInputError(f"{style} are their own hair type: leave the type out")
    return texture


def _above_hairline(body: Body, points: np.ndarray) -> np.ndarray:
    """How far (m) each of `points` on the head lies above the hairline."""
    centre, eye_z = _head_frame(body)
    rel = points - centre
    azimuth = np.degrees(np.abs(np.arctan2(rel[:, 0], -rel[:, 1])))
    return points[:, 2] - (eye_z + np.interp(azimuth, *zip(*_HAIRLINE, strict=True)))


def _scalp_cover(body: Body, most: float) -> np.ndarray:
    """(V,) how much hair shades each vertex of `body`'s scalp (0 off it): up to `most`,
    fading in over 1.5 cm above the hairline."""
    v = np.asarray(body.vertices)
    head = body.part_mask("head")
    out = np.zeros(len(v))
    out[head] = most * np.clip(_above_hairline(body, v[head]) / 0.015, 0.0, 1.0)
    return out


def _children(body: Body, guides: np.ndarray, cut: _Cut, rng: np.random.Generator,
              keep_off: Sequence[BodyDistance]) -> np.ndarray:
    """Strands rooted over the scalp, each following its nearest guide, drawn in to it
    towards the tip (`cut.clump`) and frizzed a little; sparser near the hairline; pushed
    out of each of `keep_off` in turn."""
    from scipy.spatial import cKDTree

    want = len(guides) * (cut.children - 1)
    if want <= 0:
        return guides[:0]
    roots, _ = _sample_roots(body, int(want * 1.4), rng)
    # The hairline is soft: fewer strands over its first 1.5 cm.
    keep = rng.random(len(roots)) < np.clip(_above_hairline(body, roots) / 0.015, 0.2, 1.0)
    roots = roots[keep][:want]
    nearest = cKDTree(guides[:, 0]).query(roots)[1]
    follow = guides[nearest]
    s = np.linspace(0.0, 1.0, guides.shape[1])[None, :, None]
    offset = (roots - follow[:, 0])[:, None, :]
    frizz = rng.normal(size=(len(roots), 1, 3)) * 0.0015 * s
    out = follow + offset * (1.0 - cut.clump * s) + frizz
    for surface in keep_off:
        rest = surface.push_out(out[:, 1:].reshape(-1, 3), 0.5 * cut.lift_m, rounds=1)
        out[:, 1:] = rest.reshape(len(out), -1, 3)
    return out


def _spread(roots: np.ndarray, normals: np.ndarray, count: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """`count` of `roots` spread evenly (farthest-point picking): the partings of locs and
    braids."""
    pick = [0]
    far = np.linalg.norm(roots - roots[0], axis=1)
    for _ in range(min(count, len(roots)) - 1):
        k = int(np.argmax(far))
        pick.append(k)
        far = np.minimum(far, np.linalg.norm(roots - roots[k], axis=1))
    return roots[pick], normals[pick]


def _radial(roots: np.ndarray, centre: np.ndarray, cut: _Cut, shrink: float) -> np.ndarray:
    """An afro's guides: straight out from the head to a rounded shell (before the coils
    shrink them to it, hence `1 / shrink` as long)."""
    # From a point high in the head, so hair at the sides grows out and down over the ears.
    middle = centre + np.array([0.0, 0.01, 0.045])
    direction = unit(roots - middle)
    axes = np.array([0.15, 0.155, 0.13])
    shell = 1.0 / np.sqrt(((direction / axes) ** 2).sum(axis=1))
    length = np.maximum(shell - np.linalg.norm(roots - middle, axis=1), 0.02) / shrink
    s = np.linspace(0.0, 1.0, cut.points)[None, :, None]
    return roots[:, None] + direction[:, None] * length[:, None, None] * s


def _curled(strands: np.ndarray, hair_type: tuple[float, float, float],
            rng: np.random.Generator) -> np.ndarray:
    """`strands` curled as hair of `hair_type` (`HAIR_TEXTURES`): the first `shrink` of each
    strand's length kept, wound in a helix of the type's radius and pitch about it (waves in
    one plane), ramping in over the first centimetre from the root."""
    radius, pitch, shrink = hair_type
    if radius == 0.0:
        return strands
    n, p = strands.shape[:2]
    arc = np.concatenate([np.zeros((n, 1)), np.cumsum(
        np.linalg.norm(np.diff(strands, axis=1), axis=2), axis=1)], axis=1)
    turns = float((arc[:, -1] * shrink).max() / pitch)
    points = int(np.clip(max(p, 6 * turns + 2), p, 128))
    # Resampled evenly along the first `shrink` of each strand.
    target = np.linspace(0.0, 1.0, points)[None, :] * (arc[:, -1:] * shrink)
    path = np.stack([np.stack([np.interp(target[i], arc[i], strands[i, :, k])
                               for k in range(3)], axis=-1) for i in range(n)])
    tangent = unit(np.gradient(path, axis=1))
    side = unit(np.cross(tangent, unit(rng.normal(size=(n, 1, 3)))))
    other = np.cross(tangent, side)
    angle = 2 * np.pi * target[..., None] / pitch + rng.uniform(0, 2 * np.pi, (n, 1, 1))
    ramp = np.clip(target[..., None] / 0.01, 0.0, 1.0) * radius
    wave = np.cos(angle) * side
    if pitch < 0.03:  # curls and coils wind round; waves stay in a plane
        wave = wave + np.sin(angle) * other
    return path + ramp * wave


def _ropes(guides: np.ndarray, normals: np.ndarray, style: str, per: int,
           rng: np.random.Generator) -> np.ndarray:
    """Locs (strands twisted about each guide) or box braids (three bundles plaited about
    it): `per` strands for each guide."""
    radius, pitch = _ROPES[style]
    n, p = guides.shape[:2]
    arc = np.concatenate([np.zeros((n, 1)), np.cumsum(
        np.linalg.norm(np.diff(guides, axis=1), axis=2), axis=1)], axis=1)[:, None, :, None]
    tangent = unit(np.gradient(guides, axis=1))
    side = unit(np.cross(tangent, normals[:, None, :]))
    other = np.cross(tangent, side)
    side, other, axis = side[:, None], other[:, None], guides[:, None]
    s = arc / np.maximum(arc[:, :, -1:], 1e-9)
    spin = 2 * np.pi * arc / pitch
    k = rng.integers(0, 3, size=(n, per, 1, 1))
    spread = np.sqrt(rng.random((n, per, 1, 1)))
    start = rng.uniform(0, 2 * np.pi, (n, per, 1, 1))
    taper = 1.0 - 0.35 * s
    if style == "locs":
        angle = start + spin
        offset = radius * spread * taper * (np.cos(angle) * side + np.sin(angle) * other)
    else:
        phase = spin + 2 * np.pi * k / 3
        centre = radius * taper * (np.sin(phase) * side + 0.5 * np.sin(2 * phase) * other)
        own = 0.45 * radius * spread * taper * (np.cos(start) * side + np.sin(start) * other)
        offset = centre + own
    return (axis + offset).reshape(n * per, p, 3)


def resampled(strands: np.ndarray, points: int) -> np.ndarray:
    """Strands (N, P, 3) resampled to `points` each, evenly in parameter."""
    if strands.shape[1] == points:
        return strands
    old = np.linspace(0.0, 1.0, strands.shape[1])
    new = np.linspace(0.0, 1.0, points)
    idx = np.clip(np.searchsorted(old, new, side="right") - 1, 0, len(old) - 2)
    t = ((new - old[idx]) / (old[idx + 1] - old[idx]))[None, :, None]
    return strands[:, idx] * (1.0 - t) + strands[:, idx + 1] * t


def _surface(body: Body | None, over: Sequence[tuple[np.ndarray, np.ndarray]]
             ) -> BodyDistance:
    """The body (None: none) and the garments on it as one surface the hair stays outside
    (a point beyond a garment's open edge, past a hem, is outside it)."""
    from dressform.geometry.distance import BodyDistance, open_edge_mask

    vertices = [] if body is None else [np.asarray(body.vertices)]
    faces = [] if body is None else [np.asarray(body.faces)]
    solid = sum(len(f) for f in faces)
    count = sum(len(v) for v in vertices)
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
    roots, normals, _ = sample_on(np.asarray(body.vertices)[faces], count, rng)
    return roots, normals


def sample_on(tri: np.ndarray, count: int, rng: np.random.Generator
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`count` points spread evenly over triangles `tri` (T, 3, 3): the points, their
    triangles' unit normals, and the index of the triangle each lies on."""
    cross = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    area = 0.5 * np.linalg.norm(cross, axis=1)
    pick = rng.choice(len(tri), size=count, p=area / area.sum())
    a, b = rng.random(count), rng.random(count)
    flip = a + b > 1.0
    a[flip], b[flip] = 1.0 - a[flip], 1.0 - b[flip]
    t = tri[pick]
    points = t[:, 0] + a[:, None] * (t[:, 1] - t[:, 0]) + b[:, None] * (t[:, 2] - t[:, 0])
    return points, unit(cross[pick]), pick


def unit(v: np.ndarray) -> np.ndarray:
    """`v` scaled to unit length along its last axis (zero stays zero)."""
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
        outward = unit(rel)
        comb = unit(comb - (comb * outward).sum(1, keepdims=True) * outward)
        weight = np.clip(grown * cut.gravity, 0.0, 1.0)[:, None]
        direction = unit((1.0 - weight) * comb + weight * down)
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
    e1 = unit(np.cross(normals, np.array([0.0, 0.0, 1.0]) + 1e-3))
    e2 = np.cross(normals, e1)
    turns = rng.uniform(4.0, 7.0, size=len(roots))[:, None, None]
    phase = rng.uniform(0, 2 * np.pi, size=len(roots))[:, None, None]
    angle = 2 * np.pi * turns * s + phase
    radius = 0.004 * np.minimum(1.0, 4.0 * s)
    lean = unit(normals + 0.35 * rng.normal(size=normals.shape))
    axis = roots[:, None] + lean[:, None] * lengths[:, None, None] * s
    return axis + radius * (np.cos(angle) * e1[:, None] + np.sin(angle) * e2[:, None])


def _bun(centre: np.ndarray, cut: _Cut, rng: np.random.Generator, skin) -> np.ndarray:
    """The bun: strands wound round a ball at the back of the head."""
    middle = centre + np.array([0.0, 0.115, 0.035])
    count = cut.count // 3
    axis = unit(rng.normal(size=(count, 3)))
    start = unit(np.cross(axis, rng.normal(size=(count, 3))))
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
