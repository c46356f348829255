"""What a draped garment must show at rest: nothing through the body, no cloth through cloth,
seams closed, hanging where it was put.

Pure functions of positions and faces, so the same checks judge either solver, a re-drape or
an outfit of several garments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dressform.geometry.crossings import crossing_pairs

#: Deepest a vertex may be inside the body (m).
MAX_INSIDE_M = 0.001
#: Widest a seam may gape (m).
MAX_SEAM_GAP_M = 0.002


@dataclass(frozen=True)
class DrapeChecks:
    """inside_m: how deep the deepest vertex is inside the body (0 if none is).
    intersections: edges of the cloth that pass through one of its own (or another
    garment's) triangles. seam_gap_m: widest distance between the two sides of a seam."""

    inside_m: float
    intersections: int
    seam_gap_m: float

    @property
    def passed(self) -> bool:
        return (self.inside_m <= MAX_INSIDE_M and self.intersections == 0
                and self.seam_gap_m < MAX_SEAM_GAP_M)

    def failures(self) -> list[str]:
        out = []
        if self.inside_m > MAX_INSIDE_M:
            out.append(f"cloth {self.inside_m * 1000:.1f} mm inside the body")
        if self.intersections:
            out.append(f"{self.intersections} cloth edges through cloth")
        if self.seam_gap_m >= MAX_SEAM_GAP_M:
            out.append(f"a seam open by {self.seam_gap_m * 1000:.1f} mm")
        return out


def check(vertices: np.ndarray, faces: np.ndarray, contact_m: np.ndarray,
          seams: np.ndarray | None = None) -> DrapeChecks:
    """The checks for cloth `vertices`/`faces` whose signed distances to the body are
    `contact_m`; `seams` (S, 2) pairs vertex indices that are sewn together."""
    gap = (0.0 if seams is None or not len(seams) else
           float(np.linalg.norm(vertices[seams[:, 0]] - vertices[seams[:, 1]], axis=1).max()))
    return DrapeChecks(max(0.0, -float(np.min(contact_m))),
                       self_intersections(vertices, faces), gap)


def self_intersections(vertices: np.ndarray, faces: np.ndarray) -> int:
    """How many edges of the mesh pass through a triangle they are not part of (the mesh
    may be several garments together: then this counts layers through each other too)."""
    return len(np.unique(crossing_pairs(vertices, faces)[0], axis=0))
