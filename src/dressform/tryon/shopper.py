"""A shopper's try-on: their clone from a few measurements, the size advice, and the garment
carried from the nearest prepared grid body onto the clone and settled there."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from dressform.body.clone import CloneResult, clone_from_measurements
from dressform.body.files import glb_bytes
from dressform.body.garment_files import ExtraMesh
from dressform.drape.redrape import redrape
from dressform.drape.simulate import DrapedGarment
from dressform.errors import DressformError, InvalidInputError
from dressform.fit.ease import EASE_TOLERANCE_CM, ease_settled
from dressform.fit.maps import ramp
from dressform.fit.report import FitReport, assess
from dressform.garment.blocks import CONTROL_DIMENSIONS
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
from dressform.tryon.library import DrapeLibrary, DrapeRefused, size_label

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
    (`refused` says why)."""

    clone: CloneResult
    garment: TryOnGarment
    size: str
    advice: Advice
    dressed: DrapedGarment | None
    refused: str
    report: FitReport | None
    grid_key: str
    seconds: float

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
    minute), else raise `NotPrepared`."""
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
    return TryOn(clone, garment, label, advice, dressed, refused, report, used,
                 time.perf_counter() - started)


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
    """The garment on the grid's middle body in its own size (GLB): what the page shows
    before the shopper's clone is made. `NotPrepared` if that drape is not made yet."""
    g = grid(sex)[len(GRID_BMI) + len(GRID_BMI) // 2]  # the taller height, middle BMI
    size = chart_size(garment, sex, grid_measurements(g)).label
    if g not in library.ready(garment, sex, size):
        raise NotPrepared(f"{garment.title} is not prepared for try-on yet")
    return glb_bytes(grid_body(g), [garment_mesh(garment, library.get(garment, g, size).garment)])


def garment_mesh(garment: TryOnGarment, d: DrapedGarment, colours: np.ndarray | None = None
                 ) -> ExtraMesh:
    """The draped garment to write beside its body: in its colour, or painted per vertex."""
    base = parse_color(garment.color) if colours is None else (1.0, 1.0, 1.0)
    return ExtraMesh(garment.name, d.vertices, d.faces, d.uv, base, vertex_colors=colours)


def tryon_glbs(t: TryOn) -> tuple[bytes, bytes]:
    """The dressed clone as GLB: in the garment's colour, and painted with its stretch (blue:
    slack, red: at the fabric's limit)."""
    if t.dressed is None or t.report is None:
        plain = glb_bytes(t.clone.body)
        return plain, plain
    stretch, _ = t.report.heat_maps()
    colours = ramp(stretch.values * stretch.scale / stretch.top)
    return (glb_bytes(t.clone.body, [garment_mesh(t.garment, t.dressed)]),
            glb_bytes(t.clone.body, [garment_mesh(t.garment, t.dressed, colours)]))
