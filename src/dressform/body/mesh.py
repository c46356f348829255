"""`Body`: a built clone — a triangle mesh in metres with its skeleton and labels.

Conventions (``docs/architecture.md``): right-handed, Z up, front = −Y, the clone's left = +X, feet
on z = 0. The rest pose is anny's A-pose (upper arms about 47° below horizontal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from dressform.body.spec import BodySpec

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Skeleton:
    """Bones of anny's default rig at the rest pose: a head point per bone and its parent."""

    names: tuple[str, ...]
    parents: tuple[int, ...]  # -1 for the root
    heads: FloatArray  # (J, 3) metres

    def head(self, name: str) -> FloatArray:
        return self.heads[self.names.index(name)]

    def tail(self, name: str) -> FloatArray:
        """Tail of a bone: the head of its first child (or its own head for a leaf)."""
        i = self.names.index(name)
        children = [j for j, p in enumerate(self.parents) if p == i]
        return self.heads[children[0]] if children else self.heads[i]


@dataclass(frozen=True, eq=False)
class Body:
    """A clone's mesh. Arrays are read-only; build new bodies rather than editing one.

    Attributes:
        vertices: (V, 3) metres, feet on z = 0.
        faces: (F, 3) vertex indices, counter-clockwise seen from outside.
        uvs: (T, 2) texture coordinates (anny's UV layout, seams split).
        face_uvs: (F, 3) indices into `uvs` for each face corner.
        skeleton: bones at the rest pose.
        skin_weights / skin_joints: (V, K) linear-blend-skinning weights and bone indices.
        part_ids: (V,) index into `part_names` for each vertex (see :mod:`dressform.body.parts`).
        spec: the `BodySpec` the body was built from.
    """

    vertices: FloatArray
    faces: IntArray
    uvs: FloatArray
    face_uvs: IntArray
    skeleton: Skeleton
    skin_weights: FloatArray
    skin_joints: IntArray
    part_ids: IntArray
    part_names: tuple[str, ...]
    spec: BodySpec = field(default_factory=BodySpec)

    def __post_init__(self) -> None:
        for name in ("vertices", "faces", "uvs", "face_uvs", "skin_weights", "skin_joints",
                     "part_ids"):
            getattr(self, name).setflags(write=False)

    @property
    def height_m(self) -> float:
        return float(self.vertices[:, 2].max() - self.vertices[:, 2].min())

    def part_mask(self, *names: str) -> NDArray[np.bool_]:
        """Vertices whose body part is one of `names`."""
        ids = [self.part_names.index(n) for n in names]
        return np.isin(self.part_ids, ids)
