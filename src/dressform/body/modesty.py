"""The body's regions a picture must not show bare: each vertex and face of a clone labelled
with its body part (:mod:`dressform.body.parts`), refined into breasts, genitals, buttocks,
soles and toes — what a render's class mask (`dressform.render.mask`) says of the skin, and
what a shot's coverage check reads.

Every region is found on the clone at its rest pose (anny's A-pose) from its landmarks
(:mod:`dressform.body.landmarks`), so it sits on the same anatomy on every body of a cast —
petite or tall, slim or plus-size, a woman or an older man — and, labels being per vertex,
follows the skin into any pose. Each region is the *core* of that anatomy: what every cover
of it (briefs, a bra, a bikini) covers; the last centimetre or two at its edge is left to the
garment, so that a cover of the region passes and only skin that should be covered fails.

- **breasts** (bodies with breasts, see `has_breasts`): the nipple and areola, a disc on
  the skin round each bust point (the left one anchored on the mesh as the bust girth's,
  mirrored for the right; on every body it is where the breast projects most), its radius
  along the surface 0.35 × the breast's projection (bust point in front of the fold under
  the breast), 2–3.5 cm. What a cup leaves of the breast's upper curve (a balconette, a
  plunge, a bralette's triangle: 2 cm out and up from the bust point) is not the region.
- **genitals**: the front of the pelvis from the crotch up to 2 cm above the hip joints, as
  wide as 0.75 × a hip joint's distance from the midline at the top and 2.5 cm either side
  of the midline at the crotch (the pubic triangle), down round the crotch to 2 cm behind
  it.
- **buttocks**: the back of the seat from the gluteal fold up to 40 % of the way from the
  fullest seat (the hip anchor) to the waist, out to 1.3 × a hip joint's distance from the
  midline, and the cleft between. The fold is at the crotch or 9 cm under the fullest seat,
  whichever is higher (a heavy body's crotch sits lower between full thighs, under its
  fold), plus the seat's underside 2 cm below it; outside the leg's middle it rises, as a
  brief's leg opening does, by up to 60 % of the way to the fullest seat (the lower outer
  seat is the hip's, which a cheeky cut shows).
- **soles**: the feet's downward faces (normals more than 60° below level) within 2 cm of
  the floor.
- **toes**: skin moved most by a toe bone of anny's rig.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from dressform.body.mesh import Body, IntArray
from dressform.body.parts import PART_NAMES
from dressform.geometry.normals import vertex_normals

#: The refinements, in rising order of what a picture must not show: where a face's corners
#: are in three different regions it takes the last of them.
REGIONS: tuple[str, ...] = ("soles", "toes", "buttocks", "genitals", "breasts")
#: What a label indexes: anny's body parts, then the regions.
LABELS: tuple[str, ...] = PART_NAMES + REGIONS
#: A body built below this `BodySpec.sex` (0 = female, 1 = male) has breasts.
BREASTS_BELOW_SEX = 0.5

_TRUNK = ("torso", "hips", "thigh_left", "thigh_right")


@dataclass(frozen=True, eq=False)
class BodyRegions:
    """Labels of one body's skin: `vertex` (V,) and `face` (F,) indices into `LABELS`."""

    vertex: IntArray
    face: IntArray

    def classes(self) -> tuple[str, ...]:
        """A render mask's class name of each label: "skin:<label>"."""
        return tuple(f"skin:{name}" for name in LABELS)

    def count(self, name: str) -> int:
        """Faces labelled `name`."""
        return int((self.face == LABELS.index(name)).sum())


def has_breasts(body: Body) -> bool:
    """Whether the picture must keep `body`'s breasts covered: a body built female or
    female-leaning (`sex` below 0.5), whatever its cup size. A male body's chest is torso (a
    bare male chest is an ordinary fashion picture), however full."""
    return body.spec.sex < BREASTS_BELOW_SEX


def body_regions(body: Body) -> BodyRegions:
    """The part or region of each vertex and face of `body`, which must be at its rest pose
    (a posed clone of the same spec shares its labels: they are per vertex)."""
    from dressform.body.landmarks import Landmarks, reference_anchors

    v = np.asarray(body.vertices, dtype=np.float64)
    f = np.asarray(body.faces, dtype=np.int64)
    heads = np.asarray(body.skeleton.heads, dtype=np.float64)
    anchors = reference_anchors()
    marks = Landmarks(v, heads, f, body.skeleton.names, anchors)
    x = np.vstack([v, heads])
    normals = vertex_normals(v, f)
    labels = np.asarray(body.part_ids, dtype=np.int64).copy()
    part = np.asarray(body.part_ids)
    trunk = np.isin(part, [PART_NAMES.index(p) for p in _TRUNK])
    crotch = v[marks.crotch]
    hip_l, hip_r = body.skeleton.head("upperleg01.L"), body.skeleton.head("upperleg01.R")
    hip_joints = 0.5 * (hip_l + hip_r)
    half_hips = 0.5 * float(hip_l[0] - hip_r[0])
    seat_z, waist_z = marks.anchor_z(anchors.hip), marks.anchor_z(anchors.waist)

    def mark(where: np.ndarray, region: str) -> None:
        labels[where] = LABELS.index(region)

    # Feet first: a sole's toes are toes, and the rest of the order is by what must be covered.
    feet = part_mask(body, "foot_left", "foot_right")
    floor = float(v[feet, 2].min())
    mark(feet & (normals[:, 2] < -0.5) & (v[:, 2] < floor + 0.02), "soles")
    names = np.array(body.skeleton.names)
    joints, weights = np.asarray(body.skin_joints), np.asarray(body.skin_weights)
    strongest = names[joints[np.arange(len(v)), np.argmax(weights, axis=1)]]
    mark(np.char.startswith(strongest.astype(str), "toe"), "toes")

    # Buttocks: the back of the seat (facing back, or in the cleft behind the crotch).
    back = ((normals[:, 1] > 0.25) | ((np.abs(v[:, 0]) < 0.03) & (v[:, 1] > crotch[1] + 0.02)))
    back &= v[:, 1] > hip_joints[1]
    top = seat_z + 0.4 * (waist_z - seat_z)
    # The fold rises to the side as a leg opening does (outside the leg's middle, the seat
    # turns into the hip), and below it the seat's underside reaches 2 cm lower.
    side = np.clip((np.abs(v[:, 0]) - 0.8 * half_hips) / (0.5 * half_hips), 0.0, 1.0)
    fold = max(float(crotch[2]), seat_z - 0.09)
    low = fold + 0.6 * side * (seat_z - fold)
    under = (normals[:, 2] < -0.3) & (v[:, 2] > low - 0.02)
    mark(trunk & back & (v[:, 2] < top) & (np.abs(v[:, 0]) < 1.3 * half_hips)
         & ((v[:, 2] > low) | under), "buttocks")

    # Genitals: the pubic triangle, from the crotch up to just above the hip joints.
    rise = v[:, 2] - crotch[2]
    height = float(hip_joints[2]) + 0.02 - float(crotch[2])
    width = 0.025 + (0.75 * half_hips - 0.025) * np.clip(rise / height, 0.0, 1.0)
    mark(trunk & (rise > -0.01) & (rise < height) & (np.abs(v[:, 0]) < width)
         & (v[:, 1] < crotch[1] + 0.02), "genitals")

    if has_breasts(body):
        bust = anchors.bust.points(x)[0]
        fold = anchors.under_bust.points(x)[0]
        radius = float(np.clip(0.35 * (fold[1] - bust[1]), 0.02, 0.035))
        points = [bust, bust * np.array([-1.0, 1.0, 1.0])]
        sources = [int(np.argmin(np.linalg.norm(v - p, axis=1))) for p in points]
        along = _geodesic(v, f, sources, radius)
        mark((along < radius) & (part == PART_NAMES.index("torso")), "breasts")
        faces = face_labels(labels, f)
        # A large breast's faces are large: a face is in by its middle too, so the disc is
        # whole however coarse the mesh is there.
        middles = v[f].mean(axis=1)
        near = np.min([np.linalg.norm(middles - v[k], axis=1) for k in sources], axis=0)
        faces[(near < radius) & (part[f] == PART_NAMES.index("torso")).all(axis=1)] = \
            LABELS.index("breasts")
        return BodyRegions(labels, faces)
    return BodyRegions(labels, face_labels(labels, f))


def part_mask(body: Body, *names: str) -> np.ndarray:
    """Vertices of `body` in one of the parts `names`."""
    return np.isin(np.asarray(body.part_ids), [PART_NAMES.index(n) for n in names])


def face_labels(vertex: IntArray, faces: IntArray) -> IntArray:
    """Each face's label: the one most of its corners have; three different, the highest
    (regions are numbered by what must be covered, so a face at a region's edge goes in)."""
    a, b, c = (np.asarray(vertex)[np.asarray(faces)[:, k]] for k in range(3))
    return np.where((a == b) | (a == c), a, np.where(b == c, b, np.maximum(np.maximum(a, b), c)))


def _geodesic(v: np.ndarray, f: np.ndarray, sources: list[int], limit: float) -> np.ndarray:
    """Distance along the mesh's edges from the nearest of `sources` (inf past `limit`)."""
    e = np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]])
    w = np.linalg.norm(v[e[:, 0]] - v[e[:, 1]], axis=1)
    graph = sp.coo_matrix((w, (e[:, 0], e[:, 1])), shape=(len(v), len(v))).tocsr()
    return np.asarray(dijkstra(graph, directed=False, indices=sources, limit=limit,
                               min_only=True))


__all__ = ["BREASTS_BELOW_SEX", "LABELS", "REGIONS", "BodyRegions", "body_regions",
           "face_labels", "has_breasts", "part_mask"]
