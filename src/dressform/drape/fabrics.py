"""Fabric presets for the cloth solver.

Areal densities are typical commercial weights for each fabric type (the middle of the range
mills list: single jersey 140–180 g/m², poplin 100–130, denim 340–440 (10–13 oz), wool
suiting 230–300, silk charmeuse 70–100 (16–22 momme), polyester chiffon 40–60, cotton/
elastane stretch knit 200–260). Stiffnesses are in the Style3D solver's units — stretch
(weft, warp, shear) per unit area and bending (weft, warp, bias) — set relative to Newton's own
garment example (1e2 stretch, 2e-5 bending for a light shirting) by each type's known
ordering: denim and suiting stiffer in bending, chiffon and charmeuse far softer, knits
softer in stretch, especially across the grain. They are not yet calibrated against a
measured drape coefficient (the Cusick test is planned, see BENCHMARKS.md).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dressform.errors import UnknownNameError
from dressform.names import suggest


class FabricPhysics(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    weight_gsm: float = Field(gt=0)
    stretch: tuple[float, float, float]  # weft, warp, shear
    bending: tuple[float, float, float]  # weft, warp, bias
    friction: float = Field(default=0.3, ge=0, le=2)
    #: How far the cloth may be stretched round the body before it is "too small" (0.03 for
    #: wovens: a little give; knits far more).
    max_stretch: float = Field(default=0.03, ge=0, le=1)

    @field_validator("stretch", "bending")
    @classmethod
    def _positive(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not all(x > 0 for x in v):
            raise ValueError(f"stiffnesses must all be positive, got {v}")
        return v

    @property
    def density_kg_m2(self) -> float:
        return self.weight_gsm / 1000.0


PRESETS: dict[str, FabricPhysics] = {f.name: f for f in (
    FabricPhysics(name="cotton_jersey", weight_gsm=160, stretch=(3.0e1, 6.0e1, 8.0),
                  bending=(1.0e-5, 1.5e-5, 5.0e-6), friction=0.35, max_stretch=0.15),
    FabricPhysics(name="cotton_poplin", weight_gsm=115, stretch=(1.0e2, 1.2e2, 1.5e1),
                  bending=(2.0e-5, 2.5e-5, 1.0e-5), friction=0.3),
    FabricPhysics(name="denim", weight_gsm=390, stretch=(2.5e2, 3.0e2, 4.0e1),
                  bending=(2.0e-4, 2.5e-4, 1.0e-4), friction=0.4),
    FabricPhysics(name="wool_suiting", weight_gsm=260, stretch=(1.5e2, 1.8e2, 2.0e1),
                  bending=(8.0e-5, 1.0e-4, 4.0e-5), friction=0.35),
    FabricPhysics(name="silk_charmeuse", weight_gsm=85, stretch=(8.0e1, 1.0e2, 5.0),
                  bending=(2.0e-6, 2.5e-6, 1.0e-6), friction=0.15),
    FabricPhysics(name="polyester_chiffon", weight_gsm=50, stretch=(6.0e1, 8.0e1, 4.0),
                  bending=(5.0e-7, 6.0e-7, 2.5e-7), friction=0.2),
    FabricPhysics(name="stretch_knit", weight_gsm=230, stretch=(1.2e1, 3.0e1, 4.0),
                  bending=(1.5e-5, 2.0e-5, 6.0e-6), friction=0.4, max_stretch=0.35),
)}  # fmt: skip


def fabric_preset(name: str) -> FabricPhysics:
    if name not in PRESETS:
        raise UnknownNameError(f"unknown fabric {name!r}{suggest(name, PRESETS)}; presets: "
                               f"{', '.join(PRESETS)}")
    return PRESETS[name]
