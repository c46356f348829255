"""Parametric blocks: garments drafted from body measurements plus ease and design choices."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from pydantic import ValidationError

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.garment.blocks.bottoms import aline_skirt, skirt, trousers
from dressform.garment.blocks.common import Design, Fit, notched
from dressform.garment.blocks.tops import hoodie, sheath_dress, shift_dress, tshirt
from dressform.garment.drafting import DraftMeasurements, draft_measurements
from dressform.garment.pattern import Pattern
from dressform.garment.sizes import Size, SizeChart
from dressform.garment.validate import check
from dressform.names import suggest

if TYPE_CHECKING:
    from dressform.body.mesh import Body

Block = Callable[[DraftMeasurements, Design], Pattern]

#: Block name → (drafting function, its default design).
BLOCKS: dict[str, tuple[Block, Design]] = {
    "tshirt": (tshirt, Design()),
    "hoodie": (hoodie, Design(fit="oversized")),
    "skirt": (skirt, Design()),
    "aline_skirt": (aline_skirt, Design(flare_cm=10.0)),
    "sheath_dress": (sheath_dress, Design(fit="slim")),
    "shift_dress": (shift_dress, Design()),
    "trousers": (trousers, Design()),
}

#: What each block covers: a top, a bottom, or both (a dress); a look of one top or one
#: bottom is completed with the other half (`dressform.drape.styling`).
BLOCK_ROLES: dict[str, str] = {
    "tshirt": "top", "hoodie": "top", "skirt": "bottom", "aline_skirt": "bottom",
    "sheath_dress": "dress", "shift_dress": "dress", "trousers": "bottom",
}

#: How much smaller than the body (cm, at a girth) a garment may be before it is refused:
#: soft tissue gives and knits stretch, up to this.
TIGHT_CM = 4.0

#: Block name → the body girths (dressform names) its size is chosen by, as EN 13402-3 picks
#: control dimensions: the bust for tops, waist and hip for bottoms, all three for dresses.
CONTROL_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "tshirt": ("bust_girth_cm",),
    "hoodie": ("bust_girth_cm",),
    "skirt": ("waist_girth_cm", "hip_girth_cm"),
    "aline_skirt": ("waist_girth_cm", "hip_girth_cm"),
    "sheath_dress": ("bust_girth_cm", "waist_girth_cm", "hip_girth_cm"),
    "shift_dress": ("bust_girth_cm", "hip_girth_cm"),
    "trousers": ("waist_girth_cm", "hip_girth_cm"),
}


def block(name: str) -> tuple[Block, Design]:
    if name not in BLOCKS:
        raise UnknownNameError(f"unknown block {name!r}{suggest(name, BLOCKS)} "
                               f"(blocks: {', '.join(BLOCKS)})")
    return BLOCKS[name]


def draft(name: str, measurements: Mapping[str, float] | DraftMeasurements,
          design: Design | Mapping[str, object] | None = None, size: str = "") -> Pattern:
    """Draft block `name` for these measurements (dressform names in cm or FreeSewing's in
    mm) with `design` (a `Design`, or overrides of the block's default), checked sewable."""
    fn, default = block(name)
    if design is None:
        design = default
    elif not isinstance(design, Design):
        try:
            design = Design.model_validate({**default.model_dump(), **dict(design)})
        except ValidationError as e:
            raise InvalidInputError("design: " + "; ".join(
                f"{'.'.join(map(str, x['loc']))}: {x['msg']} (got {x['input']!r})"
                for x in e.errors())) from None
    m = measurements if isinstance(measurements, DraftMeasurements) else \
        draft_measurements(measurements)
    pattern = notched(fn(m, design))
    if size:
        pattern = pattern.model_copy(update={"size": size})
    return check(pattern)


def fitting_size(name: str, chart: SizeChart, body_cm: Mapping[str, float]) -> Size:
    """The size of block `name` to dress a body in: each control girth from the smallest
    size made for it (blended between sizes where they differ, `SizeChart.blended_fitting`),
    and the waist of a garment that closes there (a waistband, a fitted waist) from the
    smallest size whose finished waist is not below the body's (less the same 1 cm every
    girth is allowed: a band closes over soft tissue). A band that adds its ease
    to a waist already between sizes is loose by up to a size step plus the ease, and on a
    straight torso it slides down to where the body is that wide."""
    dims = CONTROL_DIMENSIONS[name]
    middle = chart.sizes[len(chart.sizes) // 2]
    ease = draft(name, middle.body_cm, size=middle.label).ease_cm
    tolerance = {d: 1.0 for d in dims}
    if "waist_girth_cm" in dims:
        tolerance["waist_girth_cm"] = 1.0 + max(0.0, ease.get("waist", 0.0))
    return chart.blended_fitting(body_cm, dims, tolerance)


#: The lengths a fitting may take from the person (`draft_size`): where the crotch is, so
#: that a garment with a rise (trousers) has the person's rise, waist to crotch. (The
#: waist stays the height's: the length below it, to a hem at the ankle, is drafted from
#: the height.)
FITTING_LENGTHS = ("inseam_cm",)


def draft_size(name: str, size: Size, height_cm: float,
               lengths: Mapping[str, float] | None = None) -> Pattern:
    """Block `name` in a chart size, drafted in a person's height: a petite or tall fitting
    of the size (the chart's girths, the person's lengths).

    `lengths`: the person's own `FITTING_LENGTHS` where known (a clone's measurements; other
    keys are ignored), in place of the rules that derive them from the height: a round
    body's crotch sits lower than the rule's (a 165 cm / 95 kg clone's 69 cm up, the
    rule's 76 cm), and trousers drafted with the rule's rise hang a hand's width below her
    waist."""
    base = {**size.body_cm, "height_cm": height_cm}
    pattern = draft(name, base, size=size.label)
    own = {k: float(v) for k, v in (lengths or {}).items() if k in FITTING_LENGTHS}
    if not own or "crotch" not in pattern.levels_mm:
        return pattern  # a skirt, a dress: their lengths stay the height's
    # Only the crotch moves: the hip line stays the height's.
    own["hip_depth_cm"] = draft_measurements(base).hip_depth_cm
    return draft(name, {**base, **own}, size=size.label)


#: `draft_for`'s size that the chart's own size is let out from where the body outgrows it.
MEASURED = "measured"


def draft_for(name: str, body: Body, size: str = "own", chart: str | None = None,
              what: str | None = None) -> Pattern:
    """Block `name` for the clone `body`: in its own size (`fitting_size`, "own"), that size
    let out to the body where the chart stops short of it (`MEASURED`), or a named
    size of `chart` (default: the women's or men's chart by the body), lengths drafted for
    its height and rise (`draft_size`). `InvalidInputError` for a size clearly smaller than
    the body (by more than `TIGHT_CM` at a girth): cloth stretched past its limits cannot be
    put on; `what` names the garment in that message."""
    from dressform.body.cast import sized_as
    from dressform.body.measure import measure
    from dressform.garment.sizes import load_chart

    sizes = load_chart(chart or ("women" if sized_as(body.spec.sex) == "female" else "men"))
    girths = {k: v for k, v in measure(body).as_dict().items() if k != "weight_kg"}
    chosen = sizes.size(size) if size not in ("own", MEASURED) else fitting_size(
        name, sizes, girths)
    if size == MEASURED:
        # Made to measure: the chart's size, let out to the body's own girths where the
        # chart stops short of them (by more than the centimetre a fitting allows).
        grown = {d: girths[d] for d in CONTROL_DIMENSIONS[name]
                 if d in girths and girths[d] > chosen.body_cm.get(d, 0.0) + 1.0}
        if grown:
            chosen = chosen.model_copy(update={"label": f"{chosen.label} let out",
                                               "body_cm": {**chosen.body_cm, **grown}})
    # In the clone's own rise: trousers hang from its waist, not below.
    pattern = draft_size(name, chosen, body.spec.height_cm, girths)
    for k, ease in pattern.ease_cm.items():
        body_girth, made = girths.get(f"{k}_girth_cm"), chosen.body_cm.get(f"{k}_girth_cm")
        if body_girth is not None and made is not None and body_girth > made + ease + TIGHT_CM:
            raise InvalidInputError(
                f"{what or name} in size {chosen.label} of the {sizes.name} chart measures "
                f"{made + ease:.0f} cm at the {k}, less than the clone's {body_girth:.0f} cm: "
                "choose a larger size or a chart that goes further")
    return pattern


__all__ = ["BLOCKS", "BLOCK_ROLES", "FITTING_LENGTHS", "MEASURED", "TIGHT_CM", "Design", "Fit",
           "block", "draft", "draft_for", "draft_size", "fitting_size"]
