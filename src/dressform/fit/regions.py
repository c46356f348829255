"""Which region of the body each piece of cloth covers, and the strain there.

A garment vertex belongs to the body part nearest to it (anny's skinning labels); torso cloth
is split by height at the body's own girth levels: above the under-arm level it is the
shoulders, below it the nearest of bust, waist and hip. Per region the cloth's stretch is
summarised from its triangles (area-weighted), in the pattern's own weft and warp directions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from dressform.body.mesh import Body
from dressform.body.tape import Tape
from dressform.drape.projective import SolverSettings
from dressform.fit.ease import body_tapes

#: Cloth this close to the skin touches it: the solver keeps cloth its clearance (4 mm) away,
#: and resting cloth settles a millimetre beyond that.
TOUCH_M = SolverSettings().clearance_m + 0.001
REGIONS: tuple[str, ...] = ("shoulders", "bust", "waist", "hip", "thigh", "sleeves")
_TORSO_PARTS = frozenset({"neck", "torso", "hips"})
_LEG_PARTS = ("thigh", "shin", "foot")
_ARM_PARTS = ("upper_arm", "forearm", "hand")


@dataclass(frozen=True)
class RegionStrain:
    """Stretch of the cloth over one region: the area share above a strain, and quantiles of
    each triangle's larger stretch (weft or warp, engineering strain: 0.05 = 5 % longer)."""

    region: str
    area_m2: float
    median: float
    p90: float
    max: float
    contact_share: float  # area share of cloth touching the skin (see `TOUCH_M`)


def vertex_regions(vertices: np.ndarray, body: Body, levels: dict[str, float],
                   crotch_m: float) -> np.ndarray:
    """(V,) index into `REGIONS` of each garment vertex (−1: none, e.g. over the head).

    `levels` are the body's girth levels (m): "high_bust", "bust", "waist", "hip". Cloth over
    a thigh above `crotch_m` (the crotch's height) is torso: anny's thigh part reaches up over
    the side of the hip, where a T-shirt's hem or a trouser seat is not on a thigh."""
    _, nearest = cKDTree(body.vertices).query(vertices)
    part = np.asarray(body.part_names)[body.part_ids[nearest]]
    region = np.full(len(vertices), -1, dtype=np.int64)
    z = vertices[:, 2]
    torso = np.isin(part, list(_TORSO_PARTS)) | (np.char.startswith(part, "thigh")
                                                 & (z > crotch_m))
    names = [n for n in ("bust", "waist", "hip") if n in levels]
    if names:
        heights = np.array([levels[n] for n in names])
        closest = np.argmin(np.abs(z[:, None] - heights[None]), axis=1)
        region[torso] = [REGIONS.index(names[k]) for k in closest[torso]]
    if "high_bust" in levels:
        region[torso & (z > levels["high_bust"])] = REGIONS.index("shoulders")
    for prefixes, name in ((_LEG_PARTS, "thigh"), (_ARM_PARTS, "sleeves")):
        hit = np.zeros(len(part), dtype=bool)
        for prefix in prefixes:
            hit |= np.char.startswith(part, prefix)
        region[hit & ~torso] = REGIONS.index(name)
    return region


LEVEL_GIRTHS = ("high_bust_girth_cm", "bust_girth_cm", "waist_girth_cm", "hip_girth_cm")


def body_levels(body: Body, tapes: dict[str, Tape] | None = None) -> dict[str, float]:
    """The heights (m) of the body's high-bust, bust, waist and hip girths ("bust"...), from
    its tapes if already found."""
    tapes = body_tapes(body, LEVEL_GIRTHS) if tapes is None else tapes
    x = np.vstack([body.vertices, body.skeleton.heads])
    return {n.removesuffix("_girth_cm"): float(tapes[n].points(x)[:, 2].mean())
            for n in LEVEL_GIRTHS if n in tapes}


def region_strain(vertices: np.ndarray, faces: np.ndarray, strain: np.ndarray,
                  contact_m: np.ndarray, region: np.ndarray) -> dict[str, RegionStrain]:
    """Stretch statistics per region (a triangle belongs to its first vertex's region)."""
    tri = vertices[faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    stretch = strain[:, :2].max(axis=1)
    near = (contact_m[faces] < TOUCH_M).all(axis=1)
    face_region = region[faces[:, 0]]
    out = {}
    for k, name in enumerate(REGIONS):
        sel = face_region == k
        if not sel.any():
            continue
        a, s = area[sel], stretch[sel]
        order = np.argsort(s)
        cum = np.cumsum(a[order]) / a.sum()
        out[name] = RegionStrain(
            name, float(a.sum()),
            median=float(s[order][np.searchsorted(cum, 0.5)]),
            p90=float(s[order][min(np.searchsorted(cum, 0.9), len(s) - 1)]),
            max=float(s.max()),
            contact_share=float(a[near[sel]].sum() / a.sum()),
        )
    return out
