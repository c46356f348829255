"""Complete looks: a top is always worn with a bottom, and a bottom with a top.

A clone dressed in one garment is styled with a partner drafted in its own size — neutral
trousers under a top, a T-shirt over a bottom — in a colour that goes with the garment
(`partner`), and the two are draped together as an outfit (`dressform.drape.outfit`). A
dress, or a top and a bottom, is complete already. `Styling(bottom="none")` (or top) keeps a
look as it is.
"""

from __future__ import annotations

import colorsys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from dressform.errors import UnknownNameError
from dressform.garment.blocks import BLOCK_ROLES
from dressform.names import suggest

if TYPE_CHECKING:
    from dressform.body.mesh import Body
    from dressform.drape.worn import WornGarment

Role = Literal["top", "bottom", "dress"]
RGB = tuple[float, float, float]

#: What a missing half of a look may be: a block of that role, "auto" (chosen to go with
#: the garment) or "none" (leave the look as it is).
BOTTOMS = ("auto", "none", *(b for b, r in BLOCK_ROLES.items() if r == "bottom"))
TOPS = ("auto", "none", *(b for b, r in BLOCK_ROLES.items() if r == "top"))
#: Neutral colours a partner is drawn from (sRGB).
NEUTRALS: dict[str, RGB] = {
    "navy": (0.09, 0.13, 0.28), "charcoal": (0.18, 0.18, 0.19), "stone": (0.78, 0.75, 0.68),
    "white": (0.93, 0.93, 0.91), "black": (0.05, 0.05, 0.055),
}


@dataclass(frozen=True)
class Styling:
    """How a look of one garment is completed: `bottom` under a top, `top` over a bottom
    (see `BOTTOMS`, `TOPS`)."""

    bottom: str = "auto"
    top: str = "auto"

    def __post_init__(self) -> None:
        for value, allowed, what in ((self.bottom, BOTTOMS, "bottom"), (self.top, TOPS, "top")):
            if value not in allowed:
                raise UnknownNameError(f"unknown {what} {value!r}{suggest(value, allowed)} "
                                       f"({what}s: {', '.join(allowed)})")


#: Every look is completed unless told otherwise.
COMPLETE = Styling()
AS_IS = Styling(bottom="none", top="none")


@dataclass(frozen=True)
class Partner:
    """The garment that completes a look: a block, its fabric, colour and the layering."""

    block: str
    fabric: str
    color: RGB
    color_name: str
    layering: Literal["tucked", "over"]
    role: Role


def partner(role: Role, color: RGB, styling: Styling = COMPLETE, *, skirt: bool = False
            ) -> Partner | None:
    """The garment that completes a look whose only garment has `role` and `color`, or None
    when the look is complete (a dress) or `styling` says to leave it; `skirt`: the
    garment is a skirt (a T-shirt is tucked into it).

    A stylist's rule of thumb: a neutral bottom contrasting in lightness with the top (navy
    under light tops, stone under dark ones, charcoal under blues), and a white T-shirt over
    a dark bottom, black over a light one, tucked into a skirt, worn over trousers."""
    lightness = colorsys.rgb_to_hls(*color)[1]
    if role == "top":
        if styling.bottom == "none":
            return None
        block = "trousers" if styling.bottom == "auto" else styling.bottom
        hue, _, saturation = colorsys.rgb_to_hls(*color)
        bluish = 0.55 <= hue <= 0.72 and saturation > 0.25
        name = "stone" if lightness < 0.4 else "charcoal" if bluish else "navy"
        return Partner(block, "cotton_poplin", NEUTRALS[name], name, "over", "bottom")
    if role == "bottom":
        if styling.top == "none":
            return None
        block = "tshirt" if styling.top == "auto" else styling.top
        name = "white" if lightness < 0.55 else "black"
        return Partner(block, "cotton_jersey", NEUTRALS[name], name,
                       "tucked" if skirt and block == "tshirt" else "over", "top")
    return None


def role_of(body: Body, vertices: np.ndarray) -> Role:
    """What a garment draped on `body` (at its rest pose) covers, from where its cloth is:
    a top reaches the chest, a bottom below the crotch, a dress both."""
    z = np.asarray(vertices)[:, 2]
    v = np.asarray(body.vertices)
    hips = v[body.part_mask("hips")]
    crotch = float(hips[np.abs(hips[:, 0]) < 0.03, 2].min())
    shoulders = float(np.asarray(body.skeleton.heads)[
        [body.skeleton.names.index(b) for b in ("upperarm01.L", "upperarm01.R")], 2].mean())
    chest = crotch + 0.75 * (shoulders - crotch)
    top, bottom = z.max() > chest, z.min() < crotch - 0.05
    return "dress" if top and bottom else "top" if top else "bottom"


def complete(body: Body, garments: Sequence[WornGarment], styling: Styling = COMPLETE,
             progress: Callable[[str], None] | None = None) -> list[WornGarment]:
    """`garments` (rested on `body`) as a complete look: one garment with a `partner` drafted
    in the clone's own size, the two draped together as an outfit; anything else as it is.

    The garment is draped again with its partner (the layers must settle on each other),
    from its own pattern and fabric; a garment whose file keeps no pattern stays alone."""
    from dressform.drape.outfit import dress
    from dressform.drape.worn import WornGarment, outfit_records, worn_mesh
    from dressform.garment.blocks import MEASURED, draft_for

    if len(garments) != 1 or garments[0].record is None:
        return list(garments)
    worn = garments[0]
    rec = worn.recorded()
    role = role_of(body, np.asarray(worn.mesh.vertices))
    chosen = partner(role, tuple(worn.mesh.color), styling,  # type: ignore[arg-type]
                     skirt="skirt" in rec.pattern.name)
    if chosen is None:
        return list(garments)
    other = draft_for(chosen.block, body, MEASURED)
    if progress:
        progress(f"styling the {worn.name} with {chosen.color_name} {chosen.block} in "
                 f"size {other.size}")
    pair = (rec.pattern, other) if chosen.role == "bottom" else (other, rec.pattern)
    fabrics = ((rec.fabric, chosen.fabric) if chosen.role == "bottom"
               else (chosen.fabric, rec.fabric))
    outfit = dress(body, pair[0], pair[1], fabrics, chosen.layering,
                   spacing_mm=rec.spacing_mm)
    records = outfit_records(outfit, pair, fabrics)
    named = ((worn.name, tuple(worn.mesh.color)), (chosen.block, chosen.color))
    if chosen.role == "top":
        named = named[::-1]
    return [WornGarment(worn_mesh(n, d, c, r), r)  # type: ignore[arg-type]
            for (n, c), d, r in zip(named, (outfit.top, outfit.bottom), records, strict=True)]
