"""What a clone wears on its own body whatever the look: a base layer next to the skin and
shoes on its feet, made from the body's own surface so that they follow it into every pose.

A `WearPiece` is one mesh of it at one pose of the body (an underwear garment, its elastic
band, a shoe's upper or sole). Base layers are built by `dressform.body.underwear`, shoes by
`dressform.body.shoes`; `dressform.render.wear` gives them their looks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class WearPiece:
    """One mesh a clone wears, at one pose of its body.

    Attributes:
        name: unique in the shot, e.g. "base:briefs", "base:briefs:band", "shoes:trainers:sole".
        kind: its class in a render's mask: "base:<style>" or "shoes:<style>".
        material: which of its kind's looks it takes, e.g. "fabric", "elastic", "upper",
            "sole", "heel", "lining".
        vertices: (V, 3) metres, Z up (the body's frame and pose).
        faces: (F, 3) vertex indices, counter-clockwise seen from outside.
        uv: (V, 2) surface coordinates in metres (for a weave or grain), or None.
    """

    name: str
    kind: str
    material: str
    vertices: np.ndarray
    faces: np.ndarray
    uv: np.ndarray | None = None
