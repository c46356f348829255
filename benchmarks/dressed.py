"""The dressed clones the render, motion and gallery benchmarks shoot: a woman in a skirt
block, or in an outfit (a T-shirt tucked into a skirt), in her chart size (`fitting_size`),
draped and kept with the patterns so they can be re-draped into poses."""

from __future__ import annotations

from dressform.body import Body, BodySpec, build
from dressform.body.export import ExtraMesh
from dressform.body.measure import measure
from dressform.drape.outfit import dress
from dressform.drape.redrape import garment_record, outfit_records
from dressform.drape.simulate import drape
from dressform.fit.advice import chart_name_for
from dressform.garment.blocks import draft_size, fitting_size
from dressform.garment.sizes import builtin_chart


def woman(skin_tone: int) -> BodySpec:
    return BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62,
                    skin_tone=skin_tone)


def dressed_woman(spec: BodySpec, block: str, fabric: str,
                  color: tuple[float, float, float]) -> tuple[Body, ExtraMesh]:
    """The clone of `spec` at rest and `block` draped on it in `fabric` and `color`."""
    body = build(spec)
    size = fitting_size(block, builtin_chart("women"), measure(body).as_dict())
    pattern = draft_size(block, size, spec.height_cm)
    g = drape(pattern, body, fabric, max_frames=300)
    return body, ExtraMesh("skirt", g.vertices, g.faces, g.uv, color,
                           extras=garment_record(pattern, fabric, g))


#: (block, fabric, sRGB colour) of a garment in an outfit.
Piece = tuple[str, str, tuple[float, float, float]]


def dressed_outfit(spec: BodySpec, top: Piece, bottom: Piece) -> tuple[Body, list[ExtraMesh]]:
    """The clone of `spec` at rest with `top` tucked into `bottom`, each in her chart size
    and her own rise (`draft_size`), as the meshes "top" and "bottom" with their outfit
    records (so `posed_garments` re-drapes them together)."""
    body = build(spec)
    girths = measure(body).as_dict()
    chart = builtin_chart(chart_name_for(spec))
    patterns = tuple(draft_size(b, fitting_size(b, chart, girths), spec.height_cm, girths)
                     for b, _, _ in (top, bottom))
    fabrics = (top[1], bottom[1])
    outfit = dress(body, patterns[0], patterns[1], fabrics, "tucked")
    records = outfit_records(outfit, (patterns[0], patterns[1]), fabrics)
    return body, [ExtraMesh(name, g.vertices, g.faces, g.uv, colour, extras=record)
                  for name, g, (_, _, colour), record in zip(
                      ("top", "bottom"), (outfit.top, outfit.bottom), (top, bottom), records,
                      strict=True)]
