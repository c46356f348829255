"""Bottoms: straight and A-line skirts, trousers — each with a waistband."""

from __future__ import annotations

import math

from dressform.garment.blocks.common import (
    HEM_MM,
    Design,
    Fit,
    edge,
    line,
    mirror_panel,
    mirrored_panel,
    seam,
    side_seam_pairs,
    waistband,
)
from dressform.garment.curves import Cubic, smooth_through
from dressform.garment.drafting import DraftMeasurements
from dressform.garment.pattern import Edge, Panel, Pattern, Placement, Stitch
from dressform.garment.quantities import girth_at

#: Ease (cm) of bottoms by fit: a waistband sits close whatever the fit.
BOTTOM_EASE_CM: dict[Fit, dict[str, float]] = {
    "slim": {"waist": 1.0, "hip": 3.0, "knee": 6.0},
    "regular": {"waist": 2.0, "hip": 6.0, "knee": 12.0},
    "oversized": {"waist": 3.0, "hip": 14.0, "knee": 24.0},
}
MAX_DART_MM = 30.0  # a wider dart would make a point, not a curve
#: A dart is never narrower: a round waist as wide as the hips still has a seat to shape,
#: and a dart of no width would be a slit in the outline.
MIN_DART_MM = 6.0
SEAT_RISE_MM = 10.0  # the crotch seam sits this far under the body's crotch


SKIRT_WAIST = ("waist_side_{s}", "dart_out_{s}", "dart_in_{s}", "waist")
TROUSER_WAIST = ("waist_side", "dart_out", "dart_in", "waist_centre")


def _waist_with_dart(top_x: float, side_x: float, y: float, dart: float, depth: float,
                     names: tuple[str, str, str, str] = SKIRT_WAIST) -> list[Edge]:
    """The waist from the side (x = side_x) to the centre (x = top_x) with one dart half-way:
    the side piece, the dart's outer and inner legs, the centre piece (`names`)."""
    xd = 0.5 * (top_x + side_x)
    out_x, in_x = xd + dart / 2.0, xd - dart / 2.0
    return [edge(names[0], [line((side_x, y), (out_x, y))]),
            edge(names[1], [line((out_x, y), (xd, y - depth))], 0.0),
            edge(names[2], [line((xd, y - depth), (in_x, y))], 0.0),
            edge(names[3], [line((in_x, y), (top_x, y))])]


def skirt(m: DraftMeasurements, design: Design) -> Pattern:
    """Skirt with a waistband: front and back, one dart each side, straight (flare 0) or
    A-line (`design.flare_cm` added at the hem of each side seam)."""
    ease = BOTTOM_EASE_CM[design.fit]
    hip_g, waist_g = m.hip_girth_cm + ease["hip"], m.waist_girth_cm + ease["waist"]
    length = 10.0 * (design.length_cm or 0.95 * (m.waist_height_cm - 10.0 * m.knee_y / 100.0))
    hem_y = m.waist_y - length
    if hem_y >= m.hip_y - 30.0:
        raise _too_short(length, m)
    # Over a waist wider than the hips the skirt hangs straight down from the waist.
    quarter_waist = 2.5 * waist_g
    quarter_hip = max(2.5 * hip_g, quarter_waist)
    # Each quarter loses (hip − waist)/4 between hip and waist: half at the side seam, the
    # rest in the dart (MIN_DART_MM to MAX_DART_MM; the side takes what the dart cannot).
    reduce = quarter_hip - quarter_waist
    dart = min(max(0.5 * reduce, MIN_DART_MM), MAX_DART_MM)
    side_top = quarter_waist + dart
    hem_w = quarter_hip + 10.0 * (design.flare_cm or 0.0)
    panels = []
    for side, depth in (("front", 90.0), ("back", 140.0)):
        half = [edge("hem", [line((0.0, hem_y), (hem_w, hem_y))], HEM_MM),
                edge("side_{s}", [*smooth_through([(hem_w, hem_y), (quarter_hip, m.hip_y)]),
                                  _hip_curve((quarter_hip, m.hip_y), (side_top, m.waist_y))]),
                *_waist_with_dart(0.0, side_top, m.waist_y, dart, depth)]
        panels.append(mirrored_panel(side, half, side, "torso"))
    stitches = side_seam_pairs("front", "back", ["side"])
    stitches += _dart_stitches(panels, ("front", "back"))
    band, band_stitches = waistband(panels, _waist_order(panels), 10.0 * design.waistband_cm)
    pattern = Pattern(name="skirt" if not design.flare_cm else "aline_skirt",
                      panels=(*panels, band), stitches=(*stitches, *band_stitches),
                      levels_mm={"waist": m.waist_y, "hip": m.hip_y}, body_cm=m.as_dict(),
                      ease_cm={"waist": waist_g - m.waist_girth_cm, "hip": hip_g - m.hip_girth_cm})
    return pattern


def aline_skirt(m: DraftMeasurements, design: Design) -> Pattern:
    """A-line skirt: the skirt block flared at the hem (10 cm per side seam by default)."""
    if not design.flare_cm:
        design = design.model_copy(update={"flare_cm": 10.0})
    return skirt(m, design)


def _too_short(length: float, m: DraftMeasurements) -> Exception:
    from dressform.errors import InvalidInputError

    return InvalidInputError(f"a length of {length / 10:.0f} cm ends above the hip line "
                             f"({m.hip_depth_cm:.0f} cm under the waist) plus 3 cm")


def _hip_curve(hip: tuple[float, float], top: tuple[float, float]) -> Cubic:
    """The side seam from the hip line up to the waist: vertical at the hip, curving in."""
    h = top[1] - hip[1]
    return Cubic(p0=hip, c0=(hip[0], hip[1] + 0.5 * h), c1=(top[0] + 0.1 * (hip[0] - top[0]),
                 top[1] - 0.25 * h), p1=top)


def _dart_stitches(panels: list[Panel], names: tuple[str, ...]) -> list[Stitch]:
    return [seam(p, f"dart_out_{s}", p, f"dart_in_{s}") for p in names for s in ("l", "r")
            if any(e.name == f"dart_out_{s}" for e in _panel(panels, p).edges)]


def _panel(panels: list[Panel], name: str) -> Panel:
    return next(p for p in panels if p.name == name)


def _waist_order(panels: list[Panel]) -> list[tuple[str, str]]:
    """Waist edges in outline order: the front's run from the wearer's left to the right,
    the back's from the right to the left, so together they go once round the body."""
    out = []
    for p in panels:
        out += [(p.name, e.name) for e in p.edges if e.name.startswith("waist")]
    return out


def trousers(m: DraftMeasurements, design: Design) -> Pattern:
    """Trousers with a waistband: front and back of each leg with a real crotch curve (the
    back's deeper and longer), a dart in each back, a crease line on every leg panel."""
    ease = BOTTOM_EASE_CM[design.fit]
    hip_g, waist_g = m.hip_girth_cm + ease["hip"], m.waist_girth_cm + ease["waist"]
    knee_g = m.knee_girth_cm + ease["knee"]
    opening = design.hem_width_cm or {"slim": m.ankle_girth_cm + 8.0,
                                      "regular": max(m.ankle_girth_cm + 16.0, knee_g - 6.0),
                                      "oversized": knee_g}[design.fit]
    # Full length ends at the ankle bone (about 4 % of height up): lower, on a barefoot
    # clone, it would have to wrap round the foot.
    hem_y = m.waist_y - 10.0 * design.length_cm if design.length_cm else 0.4 * m.height_cm
    if hem_y >= m.crotch_y - 50.0:
        raise _too_short(m.waist_y - hem_y, m)
    crotch_y = m.crotch_y - SEAT_RISE_MM
    legs = {}
    for side, shift, fork, centre_in, dart in (
            ("front", -10.0, 10.0 * (m.hip_girth_cm / 16.0 - 1.0), 10.0, 0.0),
            ("back", 10.0, 10.0 * m.hip_girth_cm / 10.0, 25.0, 1.0)):
        hip_w = 2.5 * hip_g + shift
        waist_w = 2.5 * waist_g + shift
        dart_w = dart * min(MAX_DART_MM, max(MIN_DART_MM, 0.4 * (hip_w - waist_w - centre_in)))
        side_top = centre_in + waist_w + dart_w
        crease = (hip_w - fork) / 2.0
        knee_w, hem_w = 5.0 * knee_g + 2 * shift, 5.0 * opening + 2 * shift
        waist_edges = (_waist_with_dart(centre_in, side_top, m.waist_y, dart_w, 120.0,
                                        TROUSER_WAIST) if dart else
                       [edge("waist", [line((side_top, m.waist_y), (centre_in, m.waist_y))])])
        rise = [line((centre_in, m.waist_y), (0.0, m.hip_y)),
                Cubic(p0=(0.0, m.hip_y), c0=(0.0, m.hip_y - 0.6 * (m.hip_y - crotch_y)),
                      c1=(-0.35 * fork, crotch_y), p1=(-fork, crotch_y))]
        outline = [
            edge("hem", [line((crease - hem_w / 2, hem_y), (crease + hem_w / 2, hem_y))], HEM_MM),
            edge("side", [*smooth_through([(crease + hem_w / 2, hem_y),
                                           (crease + knee_w / 2, m.knee_y), (hip_w, m.hip_y)]),
                          _hip_curve((hip_w, m.hip_y), (side_top, m.waist_y))]),
            *waist_edges,
            edge("rise", rise),
            edge("inseam", smooth_through([(-fork, crotch_y), (crease - knee_w / 2, m.knee_y),
                                           (crease - hem_w / 2, hem_y)])),
        ]
        leg = Panel(name=f"{side}_l", edges=tuple(outline),
                    grain=((crease, hem_y + 60.0), (crease, m.hip_y)),
                    placement=Placement(region="leg_left", side=side))
        legs[side] = leg
    # Drafted with the side seam on +x: right for the left leg's front seen from the front,
    # left for its back seen from behind, so the back is mirrored; right legs mirror left.
    front_l = legs["front"]
    back_l = mirror_panel(legs["back"], "back_l", "back", "leg_left")
    front_r = mirror_panel(front_l, "front_r", "front", "leg_right")
    back_r = mirror_panel(back_l, "back_r", "back", "leg_right")
    panels = [front_l, back_l, front_r, back_r]
    stitches = []
    for s in ("l", "r"):
        f, b = f"front_{s}", f"back_{s}"
        stitches += [_eased(panels, f, "side", b, "side"), _eased(panels, f, "inseam", b, "inseam"),
                     seam(b, "dart_out", b, "dart_in")]
    stitches += [seam("front_l", "rise", "front_r", "rise"),
                 seam("back_l", "rise", "back_r", "rise")]
    order = [("front_l", "waist"), ("front_r", "waist"), ("back_r", "waist_side"),
             ("back_r", "waist_centre"), ("back_l", "waist_centre"), ("back_l", "waist_side")]
    band, band_stitches = waistband(panels, order, 10.0 * design.waistband_cm)
    pattern = Pattern(name="trousers", panels=(*panels, band), stitches=(*stitches, *band_stitches),
                      levels_mm={"waist": m.waist_y, "hip": m.hip_y, "crotch": crotch_y,
                                 "knee": m.knee_y},
                      ease_cm={"waist": waist_g - m.waist_girth_cm, "hip": hip_g - m.hip_girth_cm},
                      body_cm=m.as_dict())
    thigh = girth_at(pattern, crotch_y - 30.0, region="leg_left")
    return pattern.model_copy(update={"ease_cm": {**pattern.ease_cm,
                                                  "thigh": thigh - m.thigh_girth_cm}})


def _eased(panels: list[Panel], a: str, a_edge: str, b: str, b_edge: str) -> Stitch:
    """A seam whose back edge is eased onto the front (trouser side seams and inseams differ
    by a few millimetres, as the back leg is shaped differently)."""
    la, lb = (_panel(panels, p).edge(e).length() for p, e in ((a, a_edge), (b, b_edge)))
    return seam(a, a_edge, b, b_edge, ease_mm=float(math.ceil(min(abs(la - lb), 15.0))))
