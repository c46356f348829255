"""A fitting, read: ease, stretch, pressure, lengths and a verdict per region."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dressform.body.mesh import Body
from dressform.drape.fabrics import FabricPhysics, fabric_preset
from dressform.drape.prints import PrintMatch
from dressform.drape.simulate import DrapedGarment
from dressform.fit.ease import EASE_GIRTHS, GirthEase, body_tapes, girth_ease
from dressform.fit.lengths import LANDMARK_TAPES, LengthCheck, body_landmarks, length_checks
from dressform.fit.maps import HeatMap
from dressform.fit.pressure import contact_pressure_pa, vertex_average
from dressform.fit.regions import (
    TOUCH_M,
    RegionStrain,
    body_levels,
    region_strain,
    vertex_regions,
)
from dressform.fit.verdict import Intent, RegionVerdict, region_verdicts


@dataclass(frozen=True, eq=False)
class FitReport:
    """What a fit technician reads off one fitting."""

    ease: tuple[GirthEase, ...]
    strain: dict[str, RegionStrain]
    verdicts: dict[str, RegionVerdict]
    lengths: tuple[LengthCheck, ...]
    stretch: np.ndarray  # (V,) the larger of weft and warp strain at each garment vertex
    pressure_pa: np.ndarray  # (V,) contact pressure on the skin
    fabric: FabricPhysics
    intent: Intent
    #: A print's jumps across the seams (stripes, checks), when the garment is printed.
    prints: PrintMatch | None = None

    @property
    def tight(self) -> list[str]:
        """Regions judged tight."""
        return [r for r, v in self.verdicts.items() if v.verdict == "tight"]

    @property
    def length_problems(self) -> list[LengthCheck]:
        return [c for c in self.lengths if c.verdict is not None]

    def summary(self) -> str:
        """The fitting in one line: the ease at the main girths and any problem."""
        main = [e for e in self.ease if e.name in ("bust_girth_cm", "waist_girth_cm",
                                                   "hip_girth_cm", "thigh_girth_cm")]
        parts = [f"{e.name.removesuffix('_girth_cm')} ease {e.ease_cm:+.0f} cm" for e in main]
        parts += [f"{r} tight: {self.verdicts[r].reason}" for r in self.tight]
        parts += [c.describe() for c in self.length_problems]
        if self.prints is not None:
            parts += [j.describe(self.prints.kind) for j in self.prints.visible]
        return "; ".join(parts) or "no girth the garment covers"

    def heat_maps(self) -> tuple[HeatMap, HeatMap]:
        """Stretch (%, legend to the fabric's limit) and contact pressure (kPa)."""
        top_kpa = max(0.5, float(np.quantile(self.pressure_pa, 0.99)) / 1000.0)
        return (HeatMap("stretch", self.stretch, "%", 100.0 * self.fabric.max_stretch, 100.0),
                HeatMap("contact pressure", self.pressure_pa, "kPa", round(top_kpa, 1), 1e-3))


def unsettled(garment: DrapedGarment) -> str:
    """Why a drape's fit is not read: it did not come to rest within its step budget."""
    return (f"the drape did not come to rest in {garment.frames} solver steps, so its fit is "
            "not read: give it more steps (max_frames, --max-frames)")


def assess(garment: DrapedGarment, body: Body, fabric: str | FabricPhysics,
           intent: Intent = "regular", prints: PrintMatch | None = None) -> FitReport:
    """Read a draped garment on its body (the fabric it was draped in, the intended fit; its
    print's match across the seams, if printed: `dressform.drape.prints.print_match`)."""
    physics = fabric if isinstance(fabric, FabricPhysics) else fabric_preset(fabric)
    v, f = garment.vertices, garment.faces
    # The body's tapes, found once for the ease, the regions' levels and the landmarks.
    tapes = body_tapes(body, tuple(dict.fromkeys(EASE_GIRTHS + LANDMARK_TAPES)))
    ease = girth_ease(v, f, body, tapes)
    marks = body_landmarks(body, tapes)
    region = vertex_regions(v, body, body_levels(body, tapes), marks["crotch"])
    strain = region_strain(v, f, garment.strain, garment.contact_m, region)
    stretch = vertex_average(f, garment.strain[:, :2].max(axis=1), len(v), v)
    pressure = contact_pressure_pa(v, f, garment.strain, garment.contact_m < TOUCH_M,
                                   physics.stretch[:2])
    return FitReport(
        ease=ease, strain=strain,
        verdicts=region_verdicts(ease, strain, physics.max_stretch, intent),
        lengths=length_checks(v, garment.panel, garment.panel_names, body, marks),
        stretch=stretch, pressure_pa=pressure, fabric=physics, intent=intent, prints=prints,
    )
