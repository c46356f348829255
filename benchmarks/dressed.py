"""The dressed clone the render, motion and gallery benchmarks shoot: a woman in a skirt
block in her chart size (`fitting_size`), draped and kept with its pattern so it can be
re-draped into poses."""

from __future__ import annotations

from dressform.body import Body, BodySpec, build
from dressform.body.export import ExtraMesh
from dressform.body.measure import measure
from dressform.drape.redrape import garment_record
from dressform.drape.simulate import drape
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
