"""What every clone wears whatever the look — a base layer and shoes — as drawn.

A clone is never shown nude or barefoot unless a look asks for it: `Wear` says which base
layer (`dressform.body.underwear`) and which shoes (`dressform.body.shoes`) it wears, in which
colours and materials; `Dressing` is that made for one clone (built once on its rest body),
and places both on any pose of it. The defaults dress every output: stills, turntables,
walks, previews, contact sheets and try-on files.

Example::

    from dressform.body import build, pose_body
    from dressform.render.wear import Wear, dressing

    clone = build()
    dressed = dressing(clone, Wear(shoes="court", heel_mm=70))
    posed, dz = dressed.posed(clone, "relaxed")  # in the pose, on its heels, lifted by dz
    pieces = dressed.pieces(posed)                # base layer and shoes on it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from dressform.body.mesh import Body
from dressform.body.pose import get_pose, pose_body
from dressform.body.rig import Pose, moved_by
from dressform.body.shoes import (
    SHOE_STYLES,
    Shoes,
    ShoeSpec,
    lift_m,
    make_shoes,
    shod_pose,
    shoe_pieces,
)
from dressform.body.underwear import BASE_STYLES, BaseLayer, base_layer, base_pieces
from dressform.body.wear import WearPiece
from dressform.errors import UnknownNameError
from dressform.names import suggest
from dressform.render.looks import BASE_COLORS, SurfaceLook, base_look, shoe_look

#: A `Wear.base` or `Wear.shoes` that leaves that part of the body bare.
NONE = "none"
BAREFOOT = "barefoot"


@dataclass(frozen=True)
class Wear:
    """A clone's base layer and shoes.

    base: a style of `BASE_STYLES`, "auto" (by the body: briefs and a bra for a woman,
    trunks for a man) or "none"; base_color: "nude" (a nude matched to the clone's skin
    tone), "black" or "white". shoes: a style of `SHOE_STYLES` or "barefoot";
    shoe_material / shoe_color: None for the style's own; heel_mm: None for the style's
    own heel height.
    """

    base: str = "auto"
    base_color: str = "nude"
    shoes: str = "trainers"
    shoe_material: str | None = None
    shoe_color: str | None = None
    heel_mm: float | None = None

    def __post_init__(self) -> None:
        styles = ("auto", NONE, *BASE_STYLES)
        if self.base not in styles:
            raise UnknownNameError(f"unknown base layer {self.base!r}"
                                   f"{suggest(self.base, styles)} (base layers: "
                                   f"{', '.join(styles)})")
        if self.base_color not in BASE_COLORS:
            raise UnknownNameError(f"unknown base-layer colour {self.base_color!r}"
                                   f"{suggest(self.base_color, BASE_COLORS)} (colours: "
                                   f"{', '.join(BASE_COLORS)})")
        if self.shoes != BAREFOOT:
            shoe_look(self.shoes, self.shoe_material, self.shoe_color, "upper", "check")
            self.shoe_spec()

    def shoe_spec(self) -> ShoeSpec | None:
        """The shoes to make, or None for bare feet."""
        return None if self.shoes == BAREFOOT else ShoeSpec(self.shoes, self.heel_mm)

    @property
    def bare_feet(self) -> bool:
        """Whether toes or soles may show: barefoot, or shoes that leave the toes bare."""
        return self.shoes in (BAREFOOT, "sandals")


#: Every clone's wear unless told otherwise.
DEFAULT_WEAR = Wear()
#: The clone as modelled: no base layer, barefoot (anatomy views, measurement checks).
UNDRESSED = Wear(base=NONE, shoes=BAREFOOT)
WEAR_STYLES = {"base": ("auto", NONE, *BASE_STYLES), "shoes": (*SHOE_STYLES, BAREFOOT)}


@dataclass(frozen=True, eq=False)
class Dressing:
    """A `Wear` made for one clone (on its rest body): places it on any pose of that body."""

    wear: Wear
    tone: int
    base: BaseLayer | None
    shoes: Shoes | None

    def pose(self, rest: Body, pose: str | Pose) -> Pose:
        """`pose` with the feet turned as the shoes' heels ask."""
        chosen = get_pose(pose)
        return chosen if self.shoes is None else shod_pose(rest, chosen, self.shoes)

    def posed(self, rest: Body, pose: str | Pose) -> tuple[Body, float]:
        """`rest` in `pose` standing in its shoes, and how far it was lifted for that (cloth
        re-draped into the plain pose, a stool and hair are lifted alike). It stands where
        the barefoot pose stands, so that cloth still fits it, with the feet turned as the
        heels ask and the soles on the floor."""
        chosen = get_pose(pose)
        plain = pose_body(rest, chosen)
        if self.shoes is None:
            return plain, 0.0
        shod = self.pose(rest, chosen)
        if shod.turns != chosen.turns:
            # The rig places both alike above the ankles: take the plain pose's stand.
            offset = (np.asarray(plain.vertices) - np.asarray(
                pose_body(rest, chosen, stand=False).vertices)).mean(axis=0)
            plain = moved_by(pose_body(rest, shod, stand=False), offset)
        dz = self.lift(plain)
        return moved_by(plain, np.array([0.0, 0.0, dz])), dz

    def lift(self, posed: Body) -> float:
        """How far a body in this pose must rise for its soles to stand on the floor."""
        return 0.0 if self.shoes is None else lift_m(self.shoes, posed)

    def pieces(self, posed: Body, under: Sequence[tuple[np.ndarray, np.ndarray]] = ()
               ) -> list[WearPiece]:
        """The base layer (pulled in under the garments `under`: (vertices, faces) at this
        pose) and the shoes on `posed`."""
        out: list[WearPiece] = []
        if self.base is not None:
            out += base_pieces(self.base, posed, under=under)
        if self.shoes is not None:
            out += shoe_pieces(self.shoes, posed)
        return out

    def look(self, piece: WearPiece) -> SurfaceLook:
        """How `piece` looks: its base-layer colour or its shoes' material."""
        if piece.kind.startswith("base:"):
            return base_look(self.wear.base_color, self.tone, piece.material, piece.name)
        return shoe_look(self.wear.shoes, self.wear.shoe_material, self.wear.shoe_color,
                         piece.material, piece.name)


def dressing(rest: Body, wear: Wear = DEFAULT_WEAR) -> Dressing:
    """`wear` made for the clone `rest` (at its rest pose)."""
    spec = wear.shoe_spec()
    return Dressing(wear, int(rest.spec.skin_tone),
                    None if wear.base == NONE else base_layer(rest, wear.base),
                    None if spec is None else make_shoes(rest, spec))


def lifted(vertices: np.ndarray, dz: float) -> np.ndarray:
    """`vertices` raised by `dz` metres."""
    return np.asarray(vertices) + np.array([0.0, 0.0, dz])


def with_wear(wear: Wear, **changes: object) -> Wear:
    """`wear` with the fields in `changes` that are not None replaced."""
    return replace(wear, **{k: v for k, v in changes.items() if v is not None})
