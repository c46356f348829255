"""Eyes, lashes and brows as geometry: a wet eyeball with its iris under a clear cornea,
and lashes and brow hairs as fine tapered strands, for the photoreal renderer.

anny carries each eyeball as a coarse sphere (72 vertices skinned to the eye bone) inside
closed lids. Painted, it read as a painted eye: no depth, no catchlight. Here each globe is
drawn again, finely, on the same centre and radius, with the anatomy of Gullstrand's
schematic eye, scaled to the opening anny gives:

- the iris a flat disc (radius 5.9 mm) recessed about 3 mm behind the corneal apex (the
  anterior chamber), its pupil 1.8 mm in studio light, its fibres and limbal ring in a
  texture;
- the cornea a clear cap of radius 7.8 mm and refractive index 1.376 standing proud of the
  white, meeting it at the limbus: it refracts the iris and reflects the lights, the
  catchlights a portrait needs;
- the white (sclera) wet: a thin clear coat over a warm, slightly translucent white;
- along each lower lid a wet line: the tear meniscus, a clear strip tinted by the pink margin
  under it, from the lid's edge up onto the globe.

The coarse globe is shrunk inside the new one (not deleted, so the body keeps its faces and
its per-face labels). Lashes grow from the lids' front edge (found where the lid skin meets
the globe) and curl away from the eye; brow hairs grow over the brow band, lying along the
skin, pointing up at the brow's inner end and out along its tail. Everything is built once on
the clone at rest and carried into any pose: rigidly with the head (or the globe, for the
eyes), plus each strand's own root's movement, so lashes follow a blink or a smile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dressform.body.mesh import Body
from dressform.geometry.rigid import rigid_fit
from dressform.render.hair import resampled, sample_on, unit

#: Gullstrand-like dimensions (m): iris and pupil radii, the cornea's radius of curvature,
#: the anterior chamber's depth (corneal apex to iris).
IRIS_RADIUS, PUPIL_RADIUS = 0.0059, 0.0018
CORNEA_RADIUS, CHAMBER_DEPTH = 0.0078, 0.0030
CORNEA_IOR = 1.376
#: The texture spans ±_TEXTURE_HALF (m) about the gaze axis, seen from in front.
_TEXTURE_HALF = 0.012
#: Lash and brow hairs (m): lengths, ribbon widths at the root, and counts per eye.
#: Upper and lower lashes per eye: (count, longest length, curl up or down).
_UPPER, _LOWER = (110, 0.009, 1.0), (28, 0.0035, -1.0)
_BROW_HAIRS = 260
#: Ribbon widths at the root: a lash's ~0.1 mm and a brow hair's, drawn a little wider so
#: that a strand is not lost between pixels at campaign framing.
_LASH_WIDTH, _BROW_WIDTH = 0.0002, 0.00014
#: The tear meniscus on each lower lid: a strip of tear film rising this far (m) from the lid's
#: front edge up onto the globe, bowed in towards the corner between them, in this many steps
#: along the lid. It is the wet line that catches a thin highlight in a close-up.
_TEAR_RISE, _TEAR_STEPS = 0.0011, 40


@dataclass(frozen=True, eq=False)
class Globe:
    """One eye at rest: the coarse globe's vertex indices, its centre and radius (m)."""

    vertices: np.ndarray
    centre: np.ndarray
    radius: float


@dataclass(frozen=True, eq=False)
class Strands:
    """Fine strands drawn as tapered ribbons: `points` (N, P, 3) root first, `width` (N,) at
    the root, `across` (N, 3) the ribbon's width direction, `anchor` (N,) the body vertex
    each strand rides on."""

    points: np.ndarray
    width: np.ndarray
    across: np.ndarray
    anchor: np.ndarray


def globes(rest: Body) -> tuple[Globe, Globe]:
    """The left and right eyeballs of `rest` (anny's vertices skinned mostly to eye.L/R)."""
    out = []
    joints, weights = np.asarray(rest.skin_joints), np.asarray(rest.skin_weights)
    v = np.asarray(rest.vertices)
    for side in "LR":
        j = rest.skeleton.names.index(f"eye.{side}")
        idx = np.flatnonzero(((joints == j) * weights).sum(axis=1) > 0.5)
        centre, radius = _sphere_fit(v[idx])
        out.append(Globe(idx, centre, radius))
    return out[0], out[1]


def globe_faces(rest: Body) -> np.ndarray:
    """(F,) bool: the faces of anny's coarse eyeballs (hidden inside the drawn ones)."""
    inside = np.zeros(len(rest.vertices), dtype=bool)
    for g in globes(rest):
        inside[g.vertices] = True
    return inside[np.asarray(rest.faces)].all(axis=1)


def hide_globes(eyes: Sequence[Globe], vertices: np.ndarray) -> np.ndarray:
    """`vertices` (a pose of the body whose `globes` are `eyes`) with the coarse eyeballs
    shrunk to half their size, inside the eyeballs drawn in their place."""
    out = np.array(vertices, dtype=np.float64)
    for g in eyes:
        middle = out[g.vertices].mean(axis=0)
        out[g.vertices] = middle + 0.5 * (out[g.vertices] - middle)
    return out


# --- the eyeball ------------------------------------------------------------------------------


def eyeball(globe: Globe, rings: int = 48, segments: int = 64
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The eyeball at rest (looking along −Y): vertices (V, 3), faces (F, 3) and per-corner
    texture coordinates (F, 3, 2) of the texture of `eye_texture`. The front within the
    limbus is the iris's flat disc, the anterior chamber's depth behind the corneal apex."""
    r = globe.radius
    limbus = np.arcsin(min(IRIS_RADIUS / r, 0.95))
    apex = _cornea_apex(r)
    iris_depth = apex - CHAMBER_DEPTH  # distance of the iris plane from the centre
    # Rings by polar angle from the gaze axis: dense over the iris and the visible white.
    theta = np.concatenate([np.linspace(0.0, limbus, rings // 3, endpoint=False),
                            np.linspace(limbus, np.pi, rings - rings // 3 + 1)])
    phi = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    lateral = r * np.sin(t)
    depth = r * np.cos(t)
    iris = t < limbus
    depth = np.where(iris, np.minimum(depth, iris_depth), depth)
    x, z = lateral * np.cos(p), lateral * np.sin(p)
    local = np.stack([x, -depth, z], axis=-1).reshape(-1, 3)
    faces = _grid_faces(len(theta), segments)
    uv = _planar_uv(local)
    return local + globe.centre, faces, uv[faces]


def cornea(globe: Globe, rings: int = 12, segments: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """The cornea at rest: a clear spherical cap over the iris whose rim lies just inside
    the white at the limbus (vertices, faces)."""
    r = globe.radius
    apex = _cornea_apex(r)
    rim = IRIS_RADIUS * 1.04  # a hair past the limbus, so no gap shows at the edge
    half = np.arcsin(min(rim / CORNEA_RADIUS, 0.99))
    theta = np.linspace(0.0, half, rings)
    phi = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    lateral = CORNEA_RADIUS * np.sin(t)
    depth = apex - CORNEA_RADIUS * (1.0 - np.cos(t))
    local = np.stack([lateral * np.cos(p), -depth, lateral * np.sin(p)], axis=-1)
    return local.reshape(-1, 3) + globe.centre, _grid_faces(rings, segments)


def _cornea_apex(r: float) -> float:
    """The corneal apex's distance from the globe's centre: the cap of radius
    `CORNEA_RADIUS` that meets the globe at the limbus."""
    at_limbus = np.sqrt(max(r**2 - IRIS_RADIUS**2, 0.0))
    sag = CORNEA_RADIUS - np.sqrt(CORNEA_RADIUS**2 - IRIS_RADIUS**2)
    return float(at_limbus + sag)


def _grid_faces(rows: int, segments: int) -> np.ndarray:
    """Two triangles per quad of a (rows, segments) grid wrapped round in its second index,
    facing out of a sphere whose rows run from the front pole backwards."""
    i, j = np.meshgrid(np.arange(rows - 1), np.arange(segments), indexing="ij")
    a = i * segments + j
    b = i * segments + (j + 1) % segments
    c, d = a + segments, b + segments
    return np.concatenate([np.stack([a, c, b], -1).reshape(-1, 3),
                           np.stack([b, c, d], -1).reshape(-1, 3)]).astype(np.int64)


def _planar_uv(local: np.ndarray) -> np.ndarray:
    """Texture coordinates of eyeball points seen from in front (x across, z up)."""
    return np.stack([0.5 + local[:, 0] / (2 * _TEXTURE_HALF),
                     0.5 + local[:, 2] / (2 * _TEXTURE_HALF)], axis=1)


@lru_cache(maxsize=16)
def eye_texture(iris: tuple[float, float, float], size: int = 512, seed: int = 0
                ) -> np.ndarray:
    """(size, size, 4) uint8 RGBA over the eyeball's front (row 0 at the top): an iris of
    sRGB colour `iris` with radial fibres, a paler collarette and a dark limbal ring, a
    black pupil; over the white, faint warm vessels towards the corners. Alpha is coverage
    over the white's own colour."""
    rng = np.random.default_rng(seed)
    axis = (np.arange(size) + 0.5) / size * 2 * _TEXTURE_HALF - _TEXTURE_HALF
    x, z = np.meshgrid(axis, -axis)  # row 0 is the top
    r = np.hypot(x, z)
    angle = np.arctan2(z, x)
    # Fibres: a sum of angular waves, sharper near the pupil.
    fibres = np.zeros_like(r)
    for k, amp in ((23, 0.5), (41, 0.35), (67, 0.25), (113, 0.2)):
        fibres += amp * np.sin(k * angle + rng.uniform(0, 2 * np.pi)
                               + 3.0 * np.sin(3 * angle + rng.uniform(0, 2 * np.pi)))
    fibres = 0.5 + 0.5 * fibres / 1.3
    u = np.clip((r - PUPIL_RADIUS) / (IRIS_RADIUS - PUPIL_RADIUS), 0.0, 1.0)
    base = np.asarray(iris)[None, None, :]
    shade = 0.75 + 0.45 * fibres[..., None]
    collarette = np.exp(-(((u - 0.3) / 0.08) ** 2))[..., None]
    rgb = base * shade * (1.0 + 0.45 * collarette) + 0.06 * collarette
    rgb *= (1.0 - 0.55 * np.clip((u - 0.82) / 0.18, 0.0, 1.0) ** 1.5)[..., None]  # limbus
    pupil = np.clip((PUPIL_RADIUS + 0.0001 - r) / 0.0002, 0.0, 1.0)[..., None]
    rgb = rgb * (1.0 - pupil) + 0.01 * pupil
    iris_alpha = np.clip((IRIS_RADIUS + 0.00015 - r) / 0.0003, 0.0, 1.0)
    # The white: redder towards the corners (vessels), clear round the iris.
    veins = np.clip((np.abs(x) - 0.006) / 0.006, 0.0, 1.0) * (0.25 + 0.75 * fibres)
    vessel = np.array([0.72, 0.42, 0.40])
    alpha = np.maximum(iris_alpha, 0.35 * veins * (1.0 - iris_alpha))
    rgb = np.where(iris_alpha[..., None] > 0, rgb, vessel[None, None, :])
    out = np.concatenate([np.clip(rgb, 0.0, 1.0), alpha[..., None]], axis=-1)
    return (out * 255).round().astype(np.uint8)


# --- lashes and brows -------------------------------------------------------------------------


def lash_strands(rest: Body, seed: int = 0) -> Strands:
    """Upper and lower lashes of both eyes of `rest`, curling away from the eye."""
    rng = np.random.default_rng(seed)
    v = np.asarray(rest.vertices)
    parts = [_lashes(v, line, globe, *(_UPPER if upper else _LOWER), rng)
             for globe, upper, line in lid_edges(rest)]
    return _joined(parts)


def lash_line(rest: Body, count: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Points along the lids' front edges where the lashes grow (M, 3), and how dark the
    line of their roots reads at each (1 on the upper lids, fainter on the lower)."""
    v = np.asarray(rest.vertices)
    points, weight = [], []
    for globe, upper, line in lid_edges(rest):
        edge = _along(v, line, globe)
        points.append(edge.at(edge.span(count))[0])
        weight.append(np.full(count, 1.0 if upper else 0.4))
    if not points:
        return np.zeros((0, 3)), np.zeros(0)
    return np.concatenate(points), np.concatenate(weight)


def lid_edges(rest: Body) -> list[tuple[Globe, bool, np.ndarray]]:
    """For each eye and lid (upper True), the vertices of the lid's front edge: skin just
    proud of the globe, well in front of its centre, above or below the opening's middle."""
    v = np.asarray(rest.vertices)
    head = rest.part_mask("head")
    out = []
    for globe in globes(rest):
        rel = v - globe.centre
        off = np.linalg.norm(rel, axis=1) - globe.radius
        hidden = np.zeros(len(v), dtype=bool)
        hidden[globe.vertices] = True
        edge = head & ~hidden & (off > 0.0008) & (off < 0.0024) & (rel[:, 1] < -0.5 * globe.radius)
        for upper in (True, False):
            line = np.flatnonzero(edge & ((rel[:, 2] > -0.001) == upper))
            if len(line) >= 4:
                out.append((globe, upper, line))
    return out


@dataclass(frozen=True, eq=False)
class _Edge:
    """A lid's front edge in order across the face: each vertex's x from the globe's centre,
    its point and its index."""

    xs: np.ndarray
    points: np.ndarray
    ids: np.ndarray

    def span(self, count: int) -> np.ndarray:
        """`count` x positions evenly from one corner to the other."""
        return np.linspace(self.xs[0], self.xs[-1], count)

    def at(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points on the edge at `xs` (linearly between its vertices), and the vertex each
        rides on (the next one across)."""
        points = np.stack([np.interp(xs, self.xs, self.points[:, k]) for k in range(3)], axis=1)
        return points, self.ids[np.clip(np.searchsorted(self.xs, xs), 0, len(self.xs) - 1)]


def _along(v: np.ndarray, line: np.ndarray, globe: Globe) -> _Edge:
    """The lid-edge vertices `line` in order across the face."""
    order = np.argsort((v[line] - globe.centre)[:, 0])
    ids = line[order]
    return _Edge((v[ids] - globe.centre)[:, 0], v[ids], ids)


def _lashes(v: np.ndarray, line: np.ndarray, globe: Globe, count: int, length: float,
            curl: float, rng: np.random.Generator) -> Strands:
    """`count` lashes along the lid edge through vertices `line`: longest mid-lid, leaving
    the lid along the globe's outward normal and curving towards up (`curl` 1) or down
    (−1)."""
    edge = _along(v, line, globe)
    span = edge.span(count) + rng.normal(0, 0.0002, count)
    roots, anchor = edge.at(span)
    along = (span - edge.xs[0]) / max(edge.xs[-1] - edge.xs[0], 1e-9)
    out = unit(roots - globe.centre)
    up = np.array([0.0, 0.0, curl])
    size = length * (0.45 + 0.55 * np.sin(np.pi * np.clip(along, 0.05, 0.95)) ** 0.6)
    size *= rng.uniform(0.8, 1.1, count)
    tangent = unit(np.gradient(roots, axis=0))
    steps = np.linspace(0.0, 1.0, 5)
    # The direction turns from 5° to 55° off the outward normal, towards up (or down).
    bend = np.radians(5.0 + 50.0 * steps)[None, :, None]
    direction = np.cos(bend) * out[:, None] + np.sin(bend) * up[None, None]
    seg = size[:, None, None] / (len(steps) - 1) * direction
    points = roots[:, None] + np.concatenate([np.zeros_like(seg[:, :1]),
                                              np.cumsum(seg[:, 1:], axis=1)], axis=1)
    return Strands(points, np.full(count, _LASH_WIDTH), tangent, anchor)


def tear_lines(rest: Body) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The wet line along each lower lid of `rest`: (vertices, faces, anchor), a strip three
    vertices across (lid edge, the meniscus bowed in, the globe) at each step along the lid,
    narrowing to nothing at the corners; each vertex rides on its lid-edge vertex."""
    v = np.asarray(rest.vertices)
    verts, faces, anchor = [], [], []
    for globe, upper, line in lid_edges(rest):
        if upper:
            continue
        edge = _along(v, line, globe)
        lid, ids = edge.at(edge.span(_TEAR_STEPS))
        rise = _TEAR_RISE * np.sin(np.linspace(0.0, np.pi, _TEAR_STEPS)) ** 0.5
        surface = globe.radius + 0.0002  # just off the white, over its clear coat
        corner = globe.centre + unit(lid - globe.centre) * surface
        top = corner + rise[:, None] * np.array([0.0, 0.0, 1.0])
        top = globe.centre + unit(top - globe.centre) * surface
        middle = 0.5 * (lid + top) + 0.3 * (corner - 0.5 * (lid + top))
        rows = np.stack([lid, middle, top], axis=1)  # (steps, 3 across, 3)
        base = sum(len(x) for x in verts)
        k = base + 3 * np.arange(_TEAR_STEPS - 1)[:, None] + np.arange(2)[None, :]
        a, b, c, d = k, k + 1, k + 3, k + 4
        faces.append(np.concatenate([np.stack([a, c, d], -1).reshape(-1, 3),
                                     np.stack([a, d, b], -1).reshape(-1, 3)]))
        verts.append(rows.reshape(-1, 3))
        anchor.append(np.repeat(ids, 3))
    if not verts:
        return np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(verts), np.concatenate(faces), np.concatenate(anchor)


def brow_strands(rest: Body, seed: int = 0) -> Strands:
    """Brow hairs of `rest` over the brow band the face paint marks, lying along the skin."""
    from dressform.render.face import brow_alpha

    rng = np.random.default_rng(seed + 1)
    v, f = np.asarray(rest.vertices), np.asarray(rest.faces)
    head_faces = np.flatnonzero(rest.part_mask("head")[f].all(axis=1))
    tri = v[f[head_faces]]
    middles = tri.mean(axis=1)
    parts = []
    for eye_side, side in (("L", 1.0), ("R", -1.0)):
        alpha, t = brow_alpha(rest, middles, eye_side)
        pick = alpha > 0.4
        if pick.sum() < 3:
            continue
        roots, normal, choice = sample_on(tri[pick], _BROW_HAIRS, rng)
        along = t[pick][choice]
        # Inner hairs stand up, the body of the brow sweeps out, the tail points down-out.
        heading = np.radians(np.interp(along, [0.0, 0.25, 0.7, 1.0], [80.0, 35.0, 10.0, -15.0]))
        heading += rng.normal(0, np.radians(8.0), _BROW_HAIRS)
        want = np.stack([side * np.cos(heading), np.zeros(_BROW_HAIRS), np.sin(heading)], 1)
        tangent = unit(want - (want * normal).sum(1, keepdims=True) * normal)
        length = rng.uniform(0.005, 0.009, _BROW_HAIRS)
        steps = np.linspace(0.0, 1.0, 4)[None, :, None]
        lift = (0.0002 + 0.0008 * steps**2) * normal[:, None]
        points = roots[:, None] + length[:, None, None] * steps * tangent[:, None] + lift
        across = unit(np.cross(normal, tangent))
        anchor = f[head_faces[pick][choice], 0]
        parts.append(Strands(points, np.full(_BROW_HAIRS, _BROW_WIDTH), across, anchor))
    return _joined(parts)


def _joined(parts: list[Strands]) -> Strands:
    if not parts:
        return Strands(np.zeros((0, 2, 3)), np.zeros(0), np.zeros((0, 3)),
                       np.zeros(0, dtype=np.int64))
    width = max(p.points.shape[1] for p in parts)
    points = [p.points if p.points.shape[1] == width else resampled(p.points, width)
              for p in parts]
    return Strands(np.concatenate(points), np.concatenate([p.width for p in parts]),
                   np.concatenate([p.across for p in parts]),
                   np.concatenate([p.anchor for p in parts]))


def ribbons(strands: Strands) -> tuple[np.ndarray, np.ndarray]:
    """Strands as tapered ribbons (vertices, faces): two vertices per point, half the width
    either side, tapering to a fifth at the tip."""
    n, p = strands.points.shape[:2]
    taper = np.linspace(1.0, 0.2, p)[None, :, None]
    half = 0.5 * strands.width[:, None, None] * taper * strands.across[:, None]
    verts = np.stack([strands.points - half, strands.points + half], axis=2).reshape(-1, 3)
    k = np.arange(p - 1)[None, :] + (np.arange(n) * p)[:, None]
    a, b = 2 * k, 2 * k + 1
    c, d = a + 2, b + 2
    faces = np.concatenate([np.stack([a, b, d], -1).reshape(-1, 3),
                            np.stack([a, d, c], -1).reshape(-1, 3)])
    return verts, faces.astype(np.int64)


# --- carried into a pose ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Face:
    """The eyes, corneas and face hairs of one clone, built at rest, with what carries each
    into a pose: `place` gives each part's vertices on a posed body."""

    rest: Body
    eyes: tuple[Globe, Globe]
    eyeball_faces: np.ndarray
    eyeball_uv: np.ndarray  # per face corner
    cornea_faces: np.ndarray
    hair_faces: np.ndarray
    tear_faces: np.ndarray
    _eyeballs: tuple[np.ndarray, np.ndarray]  # each eye's eyeball vertices at rest
    _corneas: tuple[np.ndarray, np.ndarray]
    _hair: np.ndarray  # ribbon vertices at rest
    _hair_anchor: np.ndarray  # the body vertex each ribbon vertex rides on
    _tear: np.ndarray  # the wet lines' vertices at rest
    _tear_anchor: np.ndarray

    def place(self, posed: np.ndarray) -> dict[str, np.ndarray]:
        """The vertices of "eyes", "cornea", "tear" (the lower lids' wet lines) and "brows and
        lashes" on the body's pose `posed` (its vertices)."""
        v = np.asarray(self.rest.vertices)
        posed = np.asarray(posed, dtype=np.float64)
        balls, corneas = [], []
        for globe, ball, cap in zip(self.eyes, self._eyeballs, self._corneas, strict=True):
            rot, shift = rigid_fit(v[globe.vertices], posed[globe.vertices])
            balls.append(ball @ rot.T + shift)
            corneas.append(cap @ rot.T + shift)
        head = self.rest.part_mask("head")
        hair = carried(self.rest, posed, self._hair, self._hair_anchor, head)
        tear = carried(self.rest, posed, self._tear, self._tear_anchor, head)
        return {"eyes": np.concatenate(balls), "cornea": np.concatenate(corneas),
                "tear": tear, "brows and lashes": hair}


def face_parts(rest: Body, seed: int = 0) -> Face:
    """The eyes and face hairs of `rest` (a clone at its rest pose, its face as it will be
    shown)."""
    eyes = globes(rest)
    balls, ball_faces, ball_uv, caps, cap_faces = [], [], [], [], []
    for g in eyes:
        vb, fb, uv = eyeball(g)
        ball_faces.append(fb + sum(len(b) for b in balls))
        balls.append(vb)
        ball_uv.append(uv)
        vc, fc = cornea(g)
        cap_faces.append(fc + sum(len(c) for c in caps))
        caps.append(vc)
    lashes, brows = lash_strands(rest, seed), brow_strands(rest, seed)
    strands = _joined([lashes, brows])
    verts, faces = ribbons(strands)
    anchor = np.repeat(strands.anchor, 2 * strands.points.shape[1])
    tear, tear_faces, tear_anchor = tear_lines(rest)
    return Face(rest, eyes, np.concatenate(ball_faces), np.concatenate(ball_uv),
                np.concatenate(cap_faces), faces, tear_faces, (balls[0], balls[1]),
                (caps[0], caps[1]), verts, anchor, tear, tear_anchor)


def carried(rest: Body, posed: np.ndarray, points: np.ndarray, anchor: np.ndarray,
            region: np.ndarray) -> np.ndarray:
    """`points` (N, 3) built on `rest` moved onto the body's pose `posed` (its vertices):
    rigidly as the vertices `region` move (best fit), plus each point's `anchor` vertex's own
    movement beyond that (a lid that blinks)."""
    v = np.asarray(rest.vertices)
    rot, shift = rigid_fit(v[region], posed[region])
    extra = posed[anchor] - (v[anchor] @ rot.T + shift)
    return points @ rot.T + shift + extra


def _sphere_fit(points: np.ndarray) -> tuple[np.ndarray, float]:
    """The least-squares sphere through `points`: centre and radius."""
    a = np.c_[2 * points, np.ones(len(points))]
    s = np.linalg.lstsq(a, (points**2).sum(axis=1), rcond=None)[0]
    centre = s[:3]
    return centre, float(np.sqrt(s[3] + centre @ centre))
