"""A top and a bottom worn together, layered: the top tucked into the bottom, or worn over it.

The inner garment drapes first, on the body alone; the outer one then drapes on the body and
the inner one at rest, colliding with both (it starts outside both). The inner layer is held
where it rested while the outer settles: a tucked top is not squeezed by the waistband, so
the waistband sits on the top's folds instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from dressform.body.mesh import Body
from dressform.drape.fabrics import FabricPhysics
from dressform.drape.simulate import DrapedGarment, drape
from dressform.drape.spacing import DRAPE_SPACING_MM
from dressform.errors import DressformError
from dressform.garment.pattern import Pattern
from dressform.geometry.crossings import crossings

Layering = Literal["tucked", "over"]


@dataclass(frozen=True)
class Outfit:
    """top, bottom: the two garments at rest. layering: the top tucked into the bottom or
    worn over it. crossings: cloth edges of either garment passing through the other
    (0 when the layers are sound)."""

    top: DrapedGarment
    bottom: DrapedGarment
    layering: Layering
    crossings: int

    @property
    def inner(self) -> DrapedGarment:
        return self.top if self.layering == "tucked" else self.bottom

    @property
    def outer(self) -> DrapedGarment:
        return self.bottom if self.layering == "tucked" else self.top


def dress(body: Body, top: Pattern, bottom: Pattern,
          fabrics: tuple[str | FabricPhysics, str | FabricPhysics] = ("cotton_jersey",
                                                                       "cotton_poplin"),
          layering: Layering = "over", *, spacing_mm: float = DRAPE_SPACING_MM,
          max_frames: int = 400, progress: Callable[[str, int, float], None] | None = None
          ) -> Outfit:
    """Drape `top` (fabric `fabrics[0]`) and `bottom` (`fabrics[1]`) on `body`, layered.

    `progress(garment, step, speed)` follows both drapes ("top" / "bottom"). Raises
    `DressformError` for an unknown layering and what `drape` raises for each garment.
    """
    if layering not in ("tucked", "over"):
        raise DressformError(f"unknown layering {layering!r}: tucked or over")
    order = [("top", top, fabrics[0]), ("bottom", bottom, fabrics[1])]
    if layering == "over":
        order.reverse()
    done: dict[str, DrapedGarment] = {}
    for name, pattern, fabric in order:
        done[name] = drape(pattern, body, fabric, spacing_mm=spacing_mm, max_frames=max_frames,
                           over=tuple(done.values()),
                           progress=None if progress is None else
                           (lambda step, speed, n=name: progress(n, step, speed)))
    t, b = done["top"], done["bottom"]
    return Outfit(t, b, layering, crossings((t.vertices, t.faces), (b.vertices, b.faces)))
