"""The garments a shopper can try on, and the grid of bodies their drapes are prepared on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from dressform.body import Body, BodySpec, build, make_spec
from dressform.body.measure import measure
from dressform.errors import UnknownNameError
from dressform.garment.blocks import CONTROL_DIMENSIONS
from dressform.garment.sizes import Size, SizeChart, builtin_chart
from dressform.names import suggest

SEXES = ("female", "male")


@dataclass(frozen=True)
class TryOnGarment:
    """A garment of the try-on catalogue: a block in its fabric and colour."""

    name: str
    title: str
    block: str
    fabric: str
    color: str


#: The demo collection's garments (the ones `make demo`'s campaign dresses its cast in).
CATALOGUE: tuple[TryOnGarment, ...] = (
    TryOnGarment("tee", "T-shirt", "tshirt", "cotton_jersey", "white"),
    TryOnGarment("hoodie", "Hoodie", "hoodie", "stretch_knit", "olive"),
)


def catalogue_garment(name: str) -> TryOnGarment:
    for g in CATALOGUE:
        if g.name == name:
            return g
    known = [g.name for g in CATALOGUE]
    raise UnknownNameError(f"no garment {name!r} in the try-on catalogue{suggest(name, known)}")


def chart_for(sex: str) -> SizeChart:
    return builtin_chart("men" if sex == "male" else "women")


def chart_size(garment: TryOnGarment, sex: str, body_cm: Mapping[str, float]) -> Size:
    """The chart's size of `garment` for a body: the smallest made for it at the garment's
    control girths."""
    return chart_for(sex).smallest_fitting(body_cm, CONTROL_DIMENSIONS[garment.block])


#: Grid heights per sex (a petite/regular and a regular/tall fitting) and body-mass indices:
#: a shopper's drape starts from the grid body nearest them, so what the re-drape has to
#: settle is the difference between two similar bodies.
GRID_HEIGHTS_CM = {"female": (158.0, 170.0), "male": (172.0, 185.0)}
GRID_BMI = (20.5, 25.5, 31.0)


@dataclass(frozen=True)
class GridBody:
    sex: str
    height_cm: float
    weight_kg: float

    @property
    def key(self) -> str:
        return f"{self.sex}-{self.height_cm:.0f}cm-{self.weight_kg:.0f}kg"

    @property
    def spec(self) -> BodySpec:
        return make_spec(sex=self.sex, height_cm=self.height_cm, weight_kg=self.weight_kg,
                         age_years=35.0)


def grid(sex: str) -> tuple[GridBody, ...]:
    if sex not in SEXES:
        raise UnknownNameError(f"sex must be one of {', '.join(SEXES)}, not {sex!r}")
    return tuple(GridBody(sex, h, round(bmi * (h / 100.0) ** 2, 1))
                 for h in GRID_HEIGHTS_CM[sex] for bmi in GRID_BMI)


@lru_cache(maxsize=32)
def grid_body(g: GridBody) -> Body:
    return build(g.spec)


@lru_cache(maxsize=32)
def grid_measurements(g: GridBody) -> dict[str, float]:
    return measure(grid_body(g)).as_dict()
