"""The dressed clones the render, motion and gallery benchmarks shoot: a woman in a skirt
block, or in an outfit (a T-shirt tucked into a skirt), in her chart size (`fitting_size`),
draped and kept with the patterns so they can be re-draped into poses."""

from __future__ import annotations

from dressform.body import Body, BodySpec, build
from dressform.body.measure import measure
from dressform.drape.outfit import dress
from dressform.drape.simulate import drape
from dressform.drape.worn import WornGarment, outfit_records, record, worn_mesh
from dressform.fit.advice import chart_name_for
from dressform.garment.blocks import draft_size, fitting_size
from dressform.garment.pattern import Pattern
from dressform.garment.sizes import builtin_chart


def woman(skin_tone: int) -> BodySpec:
    return BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62,
                    skin_tone=skin_tone)


def fitted(block: str, spec: BodySpec, girths: dict[str, float]) -> Pattern:
    """`block` drafted for the clone of `spec` measured `girths` (`measure`): its chart size
    (`fitting_size`), its height and its own rise (`draft_size`)."""
    size = fitting_size(block, builtin_chart(chart_name_for(spec)), girths)
    return draft_size(block, size, spec.height_cm, girths)


def dressed_woman(spec: BodySpec, block: str, fabric: str,
                  color: tuple[float, float, float]) -> tuple[Body, WornGarment]:
    """The clone of `spec` at rest and `block` draped on it in `fabric` and `color`."""
    body = build(spec)
    pattern = fitted(block, spec, measure(body).as_dict())
    g = drape(pattern, body, fabric, max_frames=300)
    rec = record(pattern, fabric, g)
    return body, WornGarment(worn_mesh("skirt", g, color, rec), rec)


#: (block, fabric, sRGB colour) of a garment in an outfit.
Piece = tuple[str, str, tuple[float, float, float]]


def dressed_outfit(spec: BodySpec, top: Piece, bottom: Piece
                   ) -> tuple[Body, list[WornGarment]]:
    """The clone of `spec` at rest with `top` tucked into `bottom`, each in her chart size
    and her own rise (`draft_size`), as the meshes "top" and "bottom" with their outfit
    records (so `posed_garments` re-drapes them together)."""
    body = build(spec)
    girths = measure(body).as_dict()
    patterns = (fitted(top[0], spec, girths), fitted(bottom[0], spec, girths))
    fabrics = (top[1], bottom[1])
    outfit = dress(body, *patterns, fabrics, "tucked")
    records = outfit_records(outfit, patterns, fabrics)
    return body, [WornGarment(worn_mesh(name, g, colour, rec), rec)
                  for name, g, (_, _, colour), rec in zip(
                      ("top", "bottom"), (outfit.top, outfit.bottom), (top, bottom), records,
                      strict=True)]
