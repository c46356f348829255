"""Fabric presets for the cloth solver, in physical units.

- Areal density: typical commercial weights for each type (the middle of what mills list:
  single jersey 140–180 g/m², poplin 100–130, denim 340–440 (10–13 oz), wool suiting 230–300,
  silk charmeuse 70–100 (16–22 momme), polyester chiffon 40–60, cotton/elastane stretch knit
  200–260).
- Stretch (weft, warp, shear) in N/m, the initial slope of load per width against strain:
  wovens 10³–10⁴ N/m along the yarns with far less in shear, knits 10²–10³ N/m and softest
  across the wales (the ranges of Kawabata KES-FB1 tensile and shear tests, e.g. Hu & Chan,
  Textile Res. J. 68 (1998) 57–64).
- Bending rigidity (weft, warp, bias) in N·m: KES-FB2 values, 1 gf·cm²/cm = 9.8e-5 N·m, from
  chiffon (≈0.005–0.01 gf·cm²/cm) through shirting (≈0.1) to denim (≈1–2).
- `compression_slack`: how far the cloth may shorten along its yarns before it resists. Real
  cloth buckles under compression rather than shrink, in folds as fine as its yarns; a mesh
  of 8–25 mm cannot show folds that fine, so with no slack it buckles only in mesh-sized
  folds and drapes too stiffly: our Cusick drape coefficients with none put 6 of the 7
  presets above their published range (all but denim; chiffon 0.52 against 0.15–0.40).
  With 10 % all seven fall in range. Newton's Style3D
  resists compression as it does stretch (no slack); set 0 to drape with its energy, as the
  benchmark does to check our solver against it (BENCHMARKS.md).
- `drape_range`: the drape coefficient a Cusick drape test (30 cm disc on an 18 cm support)
  gives fabrics of this type in the drape literature: low for chiffon and charmeuse, middling
  for jersey and shirting, high for suiting and denim. `dressform fabric drape-test` simulates
  the test and checks each preset against it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dressform.errors import UnknownNameError
from dressform.names import suggest


class FabricPhysics(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    weight_gsm: float = Field(gt=0)
    stretch: tuple[float, float, float]  # weft, warp, shear; N/m
    bending: tuple[float, float, float]  # weft, warp, bias; N·m
    friction: float = Field(default=0.3, ge=0, le=2)
    #: How far the cloth may be stretched round the body before it is "too small" (0.03 for
    #: wovens: a little give; knits far more).
    max_stretch: float = Field(default=0.03, ge=0, le=1)
    #: Share of compression along the yarns taken without resistance (sub-mesh buckling;
    #: 0 = compression resisted as stretch is, the energy Newton's Style3D uses).
    compression_slack: float = Field(default=0.1, ge=0, lt=1)
    #: Published Cusick drape coefficients of this fabric type (low, high); None if unknown.
    drape_range: tuple[float, float] | None = None

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
    FabricPhysics(name="cotton_jersey", weight_gsm=160, stretch=(3.0e2, 6.0e2, 6.0e1),
                  bending=(1.0e-5, 1.5e-5, 6.0e-6), friction=0.35, max_stretch=0.15,
                  drape_range=(0.30, 0.55)),
    FabricPhysics(name="cotton_poplin", weight_gsm=115, stretch=(2.0e3, 3.0e3, 2.0e2),
                  bending=(1.2e-5, 1.6e-5, 8.0e-6), friction=0.3, drape_range=(0.45, 0.75)),
    FabricPhysics(name="denim", weight_gsm=390, stretch=(5.0e3, 6.0e3, 6.0e2),
                  bending=(2.2e-4, 2.8e-4, 1.4e-4), friction=0.4, drape_range=(0.70, 0.95)),
    FabricPhysics(name="wool_suiting", weight_gsm=260, stretch=(3.0e3, 4.0e3, 3.0e2),
                  bending=(7.0e-5, 8.5e-5, 4.0e-5), friction=0.35, drape_range=(0.55, 0.85)),
    FabricPhysics(name="silk_charmeuse", weight_gsm=85, stretch=(1.0e3, 1.5e3, 6.0e1),
                  bending=(3.0e-6, 4.0e-6, 2.0e-6), friction=0.15, drape_range=(0.20, 0.45)),
    FabricPhysics(name="polyester_chiffon", weight_gsm=50, stretch=(8.0e2, 1.0e3, 5.0e1),
                  bending=(8.0e-7, 1.0e-6, 5.0e-7), friction=0.2, drape_range=(0.15, 0.40)),
    FabricPhysics(name="stretch_knit", weight_gsm=230, stretch=(2.0e2, 4.0e2, 4.0e1),
                  bending=(1.5e-5, 2.0e-5, 8.0e-6), friction=0.4, max_stretch=0.35,
                  drape_range=(0.25, 0.50)),
)}  # fmt: skip


def fabric_preset(name: str) -> FabricPhysics:
    if name not in PRESETS:
        raise UnknownNameError(f"unknown fabric {name!r}{suggest(name, PRESETS)}; presets: "
                               f"{', '.join(PRESETS)}")
    return PRESETS[name]
