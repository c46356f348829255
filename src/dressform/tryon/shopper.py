"""A shopper's try-on: their clone from a few measurements, the size advice, and the garment
carried from the nearest prepared grid body onto the clone and settled there.

The clone is shown in a complete look, never nude: the garment with what completes it (a top
over neutral trousers, `dressform.drape.styling`), over a base layer and in shoes
(`dressform.render.wear`). The fit is the garment's alone: it is settled on the clone by
itself, exactly as it is assessed, and what completes the look is carried with the skin
from its grid body and kept on its side of the garment (under a top) — drawn, never
assessed, and a few milliseconds instead of a second settle."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from dressform.body.clone import CloneResult, clone_from_measurements
from dressform.body.files import glb_bytes
from dressform.body.garment_files import WEAR_EXTRAS_KEY, ExtraMesh
from dressform.body.mesh import Body
from dressform.drape.projective import SolverSettings
from dressform.drape.redrape import carry, limb_groups, redrape
from dressform.drape.simulate import DrapedGarment, collider
from dressform.drape.styling import Partner
from dressform.errors import DressformError, InvalidInputError
from dressform.fit.ease import EASE_TOLERANCE_CM, ease_settled
from dressform.fit.maps import ramp
from dressform.fit.report import FitReport, assess
from dressform.garment.blocks import CONTROL_DIMENSIONS
from dressform.geometry.distance import BodyDistance, open_edge_mask
from dressform.geometry.normals import vertex_normals
from dressform.render.looks import parse_color
from dressform.tryon.catalogue import (
    GRID_BMI,
    GridBody,
    TryOnGarment,
    chart_for,
    chart_size,
    grid,
    grid_body,
    grid_measurements,
)
from dressform.tryon.library import (
    DrapeLibrary,
    DrapeRefused,
    PreparedPartner,
    size_label,
    under_garment,
)

BodyShape = Literal["hourglass", "pear", "apple", "rectangle", "inverted_triangle"]

#: A body-shape choice, for a shopper who gives no girths: cm added to the bust, waist and
#: hip that a clone of their height and weight alone would have (its shape is the average).
SHAPE_OFFSETS_CM: dict[str, tuple[float, float, float]] = {
    "hourglass": (2.0, -5.0, 2.0),
    "pear": (-3.0, -1.0, 5.0),
    "apple": (2.0, 7.0, -1.0),
    "rectangle": (-1.0, 3.0, -2.0),
    "inverted_triangle": (5.0, 0.0, -4.0),
}
GIRTHS = ("bust_girth_cm", "waist_girth_cm", "hip_girth_cm")
#: Solver steps a try-on may take to settle (a carried drape's eases hold in 40-80).
SETTLE_MAX_STEPS = 200
#: A clone further than this (cm or kg) from a given measurement is not the shopper's: the
#: measurements contradict each other (or one was mistyped), and a try-on would mislead.
MAX_MISS = 3.0


class ShopperBody(BaseModel):
    """What a shopper tells us about their body (personal data: never logged or stored)."""

    # NaN is refused as "not a finite number" (it fails every bound, so would be misreported).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    sex: Literal["female", "male"] = "female"
    height_cm: float = Field(ge=130, le=215, description="standing height, cm")
    weight_kg: float = Field(ge=35, le=200, description="weight, kg")
    bust_cm: float | None = Field(None, ge=60, le=180, description="bust or chest girth, cm")
    waist_cm: float | None = Field(None, ge=45, le=180, description="waist girth, cm")
    hip_cm: float | None = Field(None, ge=60, le=190, description="hip girth, cm")
    body_shape: BodyShape | None = Field(
        None, description="used only where no bust, waist or hip is given")

    def girths(self) -> dict[str, float]:
        given = zip(GIRTHS, (self.bust_cm, self.waist_cm, self.hip_cm), strict=True)
        return {k: v for k, v in given if v is not None}


def shopper_clone(body: ShopperBody) -> CloneResult:
    """The shopper's clone. Raises `InvalidInputError` for a set no body has."""
    base = {"height_cm": body.height_cm, "weight_kg": body.weight_kg}
    girths = body.girths()
    if not girths and body.body_shape:
        average = clone_from_measurements(base, sex=body.sex).measurements.as_dict()
        offsets = SHAPE_OFFSETS_CM[body.body_shape]
        girths = {k: average[k] + d for k, d in zip(GIRTHS, offsets, strict=True)}
    clone = clone_from_measurements({**base, **girths}, sex=body.sex)
    off = {k: v for k, v in clone.unreachable.items() if abs(v) > MAX_MISS}
    if off:
        said = ", ".join(f"{k.removesuffix('_cm').removesuffix('_kg').replace('_', ' ')} "
                         f"by {v:+.0f}" for k, v in off.items())
        raise InvalidInputError(f"these measurements do not go together (the nearest body "
                                f"misses {said}): please check them")
    return clone


@dataclass(frozen=True)
class Advice:
    size: str
    reason: str


def advise(garment: TryOnGarment, sex: str, body_cm: dict[str, float]) -> Advice:
    """The chart's size for this body, and the girth that decides it."""
    chart = chart_for(sex)
    dims = CONTROL_DIMENSIONS[garment.block]
    size = chart_size(garment, sex, body_cm)
    said = ", ".join(f"{d.removesuffix('_girth_cm')} {body_cm[d]:.0f} cm (size {size.label} "
                     f"is made for {size.body_cm[d]:.0f})" for d in dims)
    if size is chart.sizes[-1] and any(body_cm[d] > size.body_cm[d] + 1.0 for d in dims):
        return Advice(size.label, f"the largest size, and still small: your {said}")
    return Advice(size.label, f"the smallest size made for your {said}")


@dataclass(frozen=True)
class TryOn:
    """A try-on's results. `dressed` is None where the size could not be put on the clone
    (`refused` says why); `report` is its fit. `partner`: what completes the look
    (`look` says what it is) on the clone with it, None where nothing does or it is not
    prepared (the garment is then shown over the base layer alone)."""

    clone: CloneResult
    garment: TryOnGarment
    size: str
    advice: Advice
    dressed: DrapedGarment | None
    refused: str
    report: FitReport | None
    grid_key: str
    seconds: float
    partner: DrapedGarment | None = None
    look: Partner | None = None

    @property
    def worn_with(self) -> str | None:
        """What the garment is shown with, e.g. "navy trousers"."""
        if self.partner is None or self.look is None:
            return None
        return f"{self.look.color_name} {self.look.block.replace('_', ' ')}"

    @property
    def verdict(self) -> str:
        if self.dressed is None or self.report is None:
            return self.refused
        tight = self.report.tight
        head = f"size {self.size} is tight at the {', '.join(tight)}" if tight else (
            f"size {self.size} fits")
        return f"{head}: {self.report.summary()}"


class NotPrepared(DressformError):
    """No grid body has this garment in this size draped yet (and none is draped now)."""


def try_on(body: ShopperBody, garment: TryOnGarment, size: str | None,
           library: DrapeLibrary, prepare: bool = True,
           tolerance_cm: float = EASE_TOLERANCE_CM) -> TryOn:
    """Clone the shopper, advise a size, and put `garment` in `size` (default: the advice)
    on the clone: the drape prepared on the nearest grid body that has it, carried onto the
    clone and settled there until its eases hold to `tolerance_cm` (0: until the cloth rests).
    `prepare`: drape on the nearest grid body if no grid body has this size yet (a
    minute), else raise `NotPrepared`. What completes the look comes from the nearest grid
    body that has it ready (`nearest_partner`)."""
    started = time.perf_counter()
    clone = shopper_clone(body)
    body_cm = clone.measurements.as_dict()
    advice = advise(garment, body.sex, body_cm)
    label = size_label(garment, body.sex, size) if size else advice.size
    ready = library.ready(garment, body.sex, label)
    if not ready and not prepare:
        raise NotPrepared(f"{garment.title} in size {label} is not prepared for try-on yet: "
                          "run `dressform tryon prepare`")
    dressed, refused, report, used = None, "", None, ""
    partner, look = None, None
    try:
        prepared = None
        for g in nearest_first(body.sex, body_cm, ready)[: None if prepare else len(ready)]:
            try:
                prepared = library.get(garment, g, label)
                break
            except DrapeRefused as err:
                refused = str(err)
        if prepared is None:
            raise DrapeRefused(refused or f"size {label} cannot be draped on any body near "
                               "yours")
        used = prepared.grid.key
        dressed = redrape(prepared.garment, prepared.pattern, grid_body(prepared.grid), clone.body,
                          prepared.fabric, max_frames=SETTLE_MAX_STEPS,
                          converged=ease_settled(clone.body, tolerance_cm))
        report = assess(dressed, clone.body, prepared.fabric)
    except DressformError as err:  # too small for this body: the answer, not a failure
        dressed, refused = None, f"size {label} does not go on: {err}"
    other = None if dressed is None else nearest_partner(library, garment, body.sex, body_cm)
    if other is not None:
        try:
            partner, look = completing(other, clone.body), other.look
        except DressformError:  # drawn only: the garment's fit is still the answer
            partner, look = None, None
    return TryOn(clone, garment, label, advice, dressed, refused, report, used,
                 time.perf_counter() - started, partner, look)


def nearest_partner(library: DrapeLibrary, garment: TryOnGarment, sex: str,
                    body_cm: dict[str, float]) -> PreparedPartner | None:
    """What completes `garment`'s look, from the grid body nearest `body_cm` that has it
    ready (never draped on a request: a minute, for what is only drawn); None if none."""
    ready = library.partners_ready(garment, sex)
    for g in nearest_first(sex, body_cm, ready)[: len(ready)]:
        try:
            return library.partner(garment, g, make=False)
        except DrapeRefused:  # drawn only: the garment's fit is still the answer
            continue
    return None


def completing(partner: PreparedPartner, body: Body) -> DrapedGarment:
    """What completes the look, carried from its grid body onto `body` with the skin under
    it (as a re-drape starts) and kept out of it. Not simulated: it is drawn, never
    assessed, and the garment it goes with is settled alone, as its fit is read."""
    old = grid_body(partner.grid)
    if old is body:
        return partner.garment
    q = carry(partner.garment.vertices, old, body,
              limb_groups(partner.garment, partner.pattern, old))
    q = collider(body).push_out(q, SolverSettings().clearance_m)
    return replace(partner.garment, vertices=q)


#: Wear pieces the page never sees, left out of its files: a shoe's lining and insole are
#: inside it (with them, a pair of trainers is twice the body's size to download).
HIDDEN_WEAR = ("lining", "insole")
#: How far from a partner worn under it the garment is looked for, out and in along its
#: normals (a loose T-shirt's hem hangs a few cm off the trousers; at 6 cm, 27 cloth edges
#: of the test shopper's trousers still crossed her T-shirt, at 10 cm 5).
COVER_M = 0.10
#: How far off the skin a partner's cloth covered by the garment is drawn.
UNDER_M = 0.003


def layered(garment: DrapedGarment, partner: DrapedGarment, look: Partner, body: Body
            ) -> tuple[np.ndarray, np.ndarray]:
    """The garment's and its partner's vertices as drawn on `body`, one kept inside the
    other where they cross (they were settled apart).

    Worn under the garment, the partner's cloth that the garment covers (the garment met
    looking out from it, or looking in where the two crossed) is drawn close on the skin
    (`UNDER_M`), where no one sees its shape, so a T-shirt settled close to the small of
    the back is not pierced by a waistband; then the garment is kept out of what is left
    (its hem lies over the trousers), moved by millimetres (7 at most for the test
    shopper), so the garment drawn is the one assessed and its heat map reads true. Worn
    over it, the partner is kept out of the garment."""
    clearance = SolverSettings().clearance_m
    if not under_garment(look):
        return garment.vertices, collider(body, [garment]).push_out(partner.vertices,
                                                                    clearance)
    q = np.array(partner.vertices, dtype=np.float64)
    outward = vertex_normals(q, partner.faces)
    # Covered: the garment met looking out (its triangles turned to face in, to count as
    # met from inside), or looking in (cloth settled apart, crossing it, outside it).
    inside_out = BodyDistance(garment.vertices, np.asarray(garment.faces)[:, ::-1])
    as_made = BodyDistance(garment.vertices, np.asarray(garment.faces))
    covered = ((inside_out.gaps(q, outward, COVER_M) < COVER_M)
               | (as_made.gaps(q, -outward, COVER_M) < COVER_M))
    skin = collider(body)
    d, near = skin.query(q[covered])
    out = (q[covered] - near) / np.maximum(d, 1e-9)[:, None]
    q[covered] = near + out * np.minimum(d, UNDER_M)[:, None]
    # Against the partner alone: a garment point between it and the skin is nearer the
    # skin, and the body and the partner together would not see it inside the partner.
    under = BodyDistance(q, partner.faces, open_edge_mask(partner.faces), solid_faces=0)
    return under.push_out(garment.vertices, clearance), q


def nearest_first(sex: str, body_cm: dict[str, float], ready: list[GridBody]
                  ) -> list[GridBody]:
    """Grid bodies of `sex`, those with the drape ready first, each group nearest first
    (height and the three girths, in cm)."""
    def distance(g: GridBody) -> float:
        m = grid_measurements(g)
        # Height counts double: the garment's lengths were drafted for the grid body's.
        return float(np.sqrt(4.0 * (m["height_cm"] - body_cm["height_cm"]) ** 2
                             + sum((m[k] - body_cm[k]) ** 2 for k in GIRTHS)))

    others = [g for g in grid(sex) if g not in ready]
    return sorted(ready, key=distance) + sorted(others, key=distance)


def house_model(garment: TryOnGarment, sex: str, library: DrapeLibrary) -> bytes:
    """The garment on the grid's middle body in its own size, in its complete look over a
    base layer and in shoes (GLB): what the page shows before the shopper's clone is made.
    `NotPrepared` if that drape is not made yet."""
    g = grid(sex)[len(GRID_BMI) + len(GRID_BMI) // 2]  # the taller height, middle BMI
    size = chart_size(garment, sex, grid_measurements(g)).label
    if g not in library.ready(garment, sex, size):
        raise NotPrepared(f"{garment.title} is not prepared for try-on yet")
    dressed = library.get(garment, g, size).garment
    other = nearest_partner(library, garment, sex, grid_measurements(g))
    partner, look = (None, None) if other is None else (completing(other, grid_body(g)),
                                                        other.look)
    return dressed_glbs(grid_body(g), looks(garment, dressed, partner, look, grid_body(g)))[0]


def garment_mesh(garment: TryOnGarment, d: DrapedGarment, colours: np.ndarray | None = None
                 ) -> ExtraMesh:
    """The draped garment to write beside its body: in its colour, or painted per vertex."""
    base = parse_color(garment.color) if colours is None else (1.0, 1.0, 1.0)
    return ExtraMesh(garment.name, d.vertices, d.faces, d.uv, base, vertex_colors=colours)


def looks(garment: TryOnGarment, dressed: DrapedGarment, partner: DrapedGarment | None,
          look: Partner | None, body: Body, colours: np.ndarray | None = None
          ) -> list[list[ExtraMesh]]:
    """The meshes of the look on `body` (`layered`): the garment in its colour and, given
    `colours`, painted with them; what completes the look in its own colour in both."""
    if partner is None or look is None:
        mine, others = dressed, []
    else:
        shown, theirs = layered(dressed, partner, look, body)
        mine = replace(dressed, vertices=shown)
        others = [ExtraMesh(look.block, theirs, partner.faces, partner.uv, look.color)]
    out = [[garment_mesh(garment, mine), *others]]
    if colours is not None:
        out.append([garment_mesh(garment, mine, colours), *others])
    return out


def dressed_glbs(body: Body, looks: Sequence[Sequence[ExtraMesh]]) -> list[bytes]:
    """`body` (at its rest pose) in each of `looks` (meshes rested on it: the same cloth,
    drawn differently) as GLB, over its base layer and in its shoes (`DEFAULT_WEAR`),
    standing in them: body and cloth lifted as the shoes lift it. The base layer and shoes
    are meshes marked as wear (`WEAR_EXTRAS_KEY`), never read back as garments."""
    from dressform.render.wear import DEFAULT_WEAR, dressing, lifted

    dressed = dressing(body, DEFAULT_WEAR)
    posed, dz = dressed.posed(body, "a-pose")
    cloth = [[replace(m, vertices=lifted(m.vertices, dz)) for m in look] for look in looks]
    # The base layer is pulled in under the cloth (the same in every look).
    under = [(np.asarray(m.vertices), np.asarray(m.faces)) for m in (cloth[0] if cloth else [])]
    wear = []
    for piece in dressed.pieces(posed, under=under):
        if piece.material in HIDDEN_WEAR:
            continue
        seen = dressed.look(piece)
        uv = piece.uv if piece.uv is not None else np.zeros((len(piece.vertices), 2))
        wear.append(ExtraMesh(piece.name, piece.vertices, piece.faces, uv, seen.color,
                              roughness=seen.roughness, extras={WEAR_EXTRAS_KEY: piece.kind}))
    return [glb_bytes(posed, [*look, *wear]) for look in cloth]


def tryon_glbs(t: TryOn) -> tuple[bytes, bytes]:
    """The dressed clone as GLB, in its complete look over its base layer and in shoes: the
    garment in its colour, and painted with its stretch (blue: slack, red: at the fabric's
    limit; what completes the look keeps its own colour). A size that did not go on: the
    clone in its base layer and shoes."""
    if t.dressed is None or t.report is None:
        plain = dressed_glbs(t.clone.body, [[]])[0]
        return plain, plain
    stretch, _ = t.report.heat_maps()
    colours = ramp(stretch.values * stretch.scale / stretch.top)
    plain, heat = dressed_glbs(t.clone.body, looks(t.garment, t.dressed, t.partner, t.look,
                                                   t.clone.body, colours))
    return plain, heat
