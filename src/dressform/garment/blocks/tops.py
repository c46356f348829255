"""Tops: the crew-neck T-shirt with set-in sleeves, and the hoodie built on the same bodice."""

from __future__ import annotations

import math

from dressform.garment.blocks.common import (
    EASE_CM,
    HEM_MM,
    NECK_MM,
    Design,
    band_panel,
    cap_curve,
    edge,
    line,
    mirrored_panel,
    seam,
    side_seam_pairs,
    sleeve_panel,
)
from dressform.garment.curves import Cubic, Line, smooth_through
from dressform.garment.drafting import DraftMeasurements
from dressform.garment.pattern import Fabric, Panel, Pattern, Placement, Stitch

SHOULDER_SLOPE_DEG = 13.0  # FreeSewing's average shoulder slope
CAP_EASE_MM = 10.0  # sleeve cap longer than its armhole, eased in
NECKBAND_RATIO = 0.85  # a rib band is cut shorter than the neckline and stretched onto it
#: A hood reaches back from its neck seam at least this share of its height, to hold the
#: back of the head (a wide neckline would otherwise leave it no room there).
HOOD_BACK = 0.15


def torso_girths(m: DraftMeasurements, design: Design, hem_y: float) -> dict[str, float]:
    """Garment girths (cm) at bust, waist and hip (those above the hem) for a top or dress."""
    ease = EASE_CM[design.fit]
    bust = m.bust_girth_cm + ease["bust"]
    hip = m.hip_girth_cm + ease["hip"]
    waist = m.waist_girth_cm + ease["waist"]
    if design.fit == "oversized":
        bust = hip = waist = max(bust, hip)
    elif design.fit == "regular":
        hip = max(hip, bust)
        waist = max(waist, min(bust, hip) - 4.0)  # a gentle waist, not a fitted one
    out = {"bust": bust, "waist": waist}
    if m.hip_y > hem_y:
        out["hip"] = hip
    return {k: v for k, v in out.items() if getattr(m, f"{k}_y") > hem_y}


def bodice(m: DraftMeasurements, design: Design, hem_y: float, neck_depth: float,
           neck_width: float, sleeveless: bool = False, waist_darts: bool = False
           ) -> tuple[Panel, Panel, dict[str, float]]:
    """Front and back of a top (or a dress) from the HPS to `hem_y`, and their girths.

    The side seam passes through a quarter of each garment girth at its level — front and
    back the same width, so the side seams match — smoothly, and runs straight up from the
    bust to the armpit. With `waist_darts`, a fish-eye dart in each half (bust line to hip
    line) takes up to half of the shaping between bust and waist, the side seam the rest.
    """
    girths = torso_girths(m, design, hem_y)
    dart = 0.0
    if waist_darts and "waist" in girths and "hip" in girths:
        dart = min(25.0, 0.5 * 2.5 * max(0.0, min(girths["bust"], girths["hip"]) - girths["waist"]))
    drop = {"slim": 10.0, "regular": 20.0, "oversized": 50.0}[design.fit]
    under_y = m.armpit_y - drop
    # On a short figure with a deep armhole drop the bust line can reach the underarm point:
    # the side seam then takes the bust width there (it runs straight up from the bust
    # anyway) instead of doubling back on itself.
    levels = sorted((getattr(m, f"{k}_y"), 2.5 * g + (dart if k == "waist" else 0.0))
                    for k, g in girths.items() if getattr(m, f"{k}_y") < under_y - 10.0)
    hem_w = levels[0][1] if levels else 2.5 * (m.bust_girth_cm + EASE_CM[design.fit]["bust"])
    if design.flare_cm:
        hem_w += 10.0 * design.flare_cm
    bust_w = 2.5 * girths.get("bust", hem_w / 2.5)
    side_pts = [(hem_w, hem_y), *[(w, y) for y, w in levels], (bust_w, under_y)]
    ext = {"slim": 0.0, "regular": 5.0, "oversized": 60.0}[design.fit]
    slope = math.tan(math.radians(SHOULDER_SLOPE_DEG))
    half_shoulder = 5.0 * m.shoulder_width_cm + (0.0 if sleeveless else ext)
    if sleeveless:
        half_shoulder = neck_width / 2.0 + 0.6 * (half_shoulder - neck_width / 2.0)
    tip = (half_shoulder, m.hps_y - slope * (half_shoulder - neck_width / 2.0))
    nw = neck_width / 2.0

    def half(neck_drop: float, scoop: float) -> list:
        armhole = Cubic(p0=(bust_w, under_y), c0=(bust_w - scoop * (bust_w - tip[0] + 20), under_y),
                        c1=(tip[0] - 8.0, tip[1] - 0.45 * (tip[1] - under_y)), p1=tip)
        neck = Cubic(p0=(nw, m.hps_y), c0=(nw * 0.97, m.hps_y - 0.55 * neck_drop),
                     c1=(0.55 * nw, m.hps_y - neck_drop), p1=(0.0, m.hps_y - neck_drop))
        return [edge("hem", [Line(p0=(0.0, hem_y), p1=(hem_w, hem_y))], HEM_MM),
                edge("side_{s}", smooth_through(side_pts)),
                edge("armhole_{s}", [armhole], 8.0),
                edge("shoulder_{s}", [line(tip, (nw, m.hps_y))]),
                edge("neck", [neck], NECK_MM)]

    darts = []
    if dart:
        xd = 0.5 * (2.5 * girths["waist"])
        top, bottom = (m.bust_y + m.waist_y) / 2 + 40.0, m.hip_y + 40.0
        corners = [(xd, top), (xd + dart / 2, m.waist_y), (xd, bottom), (xd - dart / 2, m.waist_y)]
        darts = [[line(corners[i], corners[(i + 1) % 4]) for i in range(4)]]
    front = mirrored_panel("front", half(neck_depth, 0.55), "front", "torso", darts=darts)
    back = mirrored_panel("back", half(20.0, 0.35), "back", "torso", darts=darts)
    return front, back, girths


def set_in_sleeves(m: DraftMeasurements, design: Design, front: Panel, back: Panel,
                   length: float, hem_width: float) -> tuple[list[Panel], list[Stitch]]:
    """Left and right sleeves whose caps fit the bodice's armholes (plus cap ease), sewn in.

    The cap height is solved (bisection) so the cap's length equals both armholes plus
    `CAP_EASE_MM` at the sleeve's width; a dropped shoulder needs a lower cap.
    """
    fa, ba = front.edge("armhole_l").length(), back.edge("armhole_l").length()
    want = fa + ba + CAP_EASE_MM
    width = 10.0 * (m.upper_arm_girth_cm + EASE_CM[design.fit]["upper_arm"])

    def cap_length(h: float, w: float) -> float:
        return 2.0 * cap_curve((w / 2.0, 0.0), (0.0, h)).length(0.2)

    if cap_length(20.0, width) > want:  # too wide for these armholes even with a flat cap
        lo_w, hi_w = 50.0, width
        for _ in range(40):
            mid = 0.5 * (lo_w + hi_w)
            lo_w, hi_w = (mid, hi_w) if cap_length(20.0, mid) < want else (lo_w, mid)
        width = lo_w
    lo, hi = 20.0, 400.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if cap_length(mid, width) < want else (lo, mid)
    cap_h = min(lo, length - 20.0)
    panels, stitches = [], []
    front_share = (fa + CAP_EASE_MM / 2) / want
    for arm, s in (("left", "l"), ("right", "r")):
        name = f"sleeve_{s}"
        panels.append(sleeve_panel(name, arm, width, cap_h, length, min(hem_width, width)))
        # The cap edge runs from the +x underarm over the crown: +x is the back on the left
        # arm, the front on the right.
        f_part = (1.0 - front_share, 1.0) if arm == "left" else (0.0, front_share)
        b_part = (0.0, 1.0 - front_share) if arm == "left" else (front_share, 1.0)
        stitches += [
            seam("front", f"armhole_{s}", name, "cap", b_part=f_part, ease_mm=CAP_EASE_MM),
            seam("back", f"armhole_{s}", name, "cap", b_part=b_part, ease_mm=CAP_EASE_MM),
            seam(name, "seam_front", name, "seam_back"),
        ]
    return panels, stitches


def _sleeve(m: DraftMeasurements, design: Design, default: str) -> tuple[float, float] | None:
    kind = design.sleeve or default
    if kind == "none":
        return None
    ease = {"slim": 60.0, "regular": 90.0, "oversized": 140.0}[design.fit]
    if kind == "short":
        length = 10.0 * (design.sleeve_length_cm or 0.33 * m.arm_length_cm)
        hem = 10.0 * (0.9 * (m.upper_arm_girth_cm + EASE_CM[design.fit]["upper_arm"]))
    else:
        length = 10.0 * (design.sleeve_length_cm or m.arm_length_cm + 2.0)
        hem = 10.0 * m.wrist_girth_cm + ease
    if design.fit == "oversized":
        length -= 60.0  # the dropped shoulder carries the rest
    return length, hem


def _finish(name: str, m: DraftMeasurements, panels: list[Panel], stitches: list[Stitch],
            girths: dict[str, float], fabrics: tuple[Fabric, ...] = (Fabric(name="main"),),
            ) -> Pattern:
    ease = {k: g - getattr(m, f"{k}_girth_cm") for k, g in girths.items()}
    levels = {"bust": m.bust_y, "waist": m.waist_y, "hip": m.hip_y, "armpit": m.armpit_y,
              "hps": m.hps_y}
    return Pattern(name=name, panels=tuple(panels), stitches=tuple(stitches), fabrics=fabrics,
                   ease_cm=ease, levels_mm=levels, body_cm=m.as_dict())


def _hem_y(m: DraftMeasurements, design: Design, default_below_hip_mm: float) -> float:
    if design.length_cm is not None:
        return m.hps_y - 10.0 * design.length_cm
    return m.hip_y - default_below_hip_mm


def _top(m: DraftMeasurements, design: Design, hem_y: float, neck_add_cm: tuple[float, float],
         sleeve: str, waist_darts: bool = False
         ) -> tuple[Panel, Panel, list[Panel], list[Stitch], dict[str, float]]:
    """Front, back and sleeves of a top or dress, sewn at sides, shoulders and armholes.
    The neckline is the neck base widened and deepened by `neck_add_cm` unless the design
    says otherwise; `sleeve` is the default sleeve ("none", "short", "long")."""
    neck_w = 10.0 * (design.neckline_width_cm or m.neck_base_girth_cm / 3.0 + neck_add_cm[0])
    neck_d = 10.0 * (design.neckline_depth_cm or m.neck_base_girth_cm / 6.0 + neck_add_cm[1])
    sleeves = _sleeve(m, design, sleeve)
    front, back, girths = bodice(m, design, hem_y, neck_d, neck_w,
                                 sleeveless=sleeves is None, waist_darts=waist_darts)
    panels: list[Panel] = [front, back]
    stitches = side_seam_pairs("front", "back", ["side", "shoulder"])
    if sleeves:
        sp, ss = set_in_sleeves(m, design, front, back, *sleeves)
        panels += sp
        stitches += ss
    return front, back, panels, stitches, girths


def tshirt(m: DraftMeasurements, design: Design) -> Pattern:
    """Crew-neck T-shirt: front, back, two set-in sleeves (short by default) and a rib band."""
    hem_y = _hem_y(m, design, {"slim": 0.0, "regular": 30.0, "oversized": 60.0}[design.fit])
    front, back, panels, stitches, girths = _top(m, design, hem_y, (2.0, 2.0), "short")
    neck_f, neck_b = front.edge("neck").length(), back.edge("neck").length()
    band_len = NECKBAND_RATIO * (neck_f + neck_b)
    panels.append(band_panel("neckband", band_len, 20.0, "neck").model_copy(
        update={"fabric": "rib"}))
    share = neck_f / (neck_f + neck_b)
    gather = 1.0 / NECKBAND_RATIO
    stitches += [seam("neckband", "seam", "front", "neck", a_part=(0.0, share), gather=gather),
                 seam("neckband", "seam", "back", "neck", a_part=(share, 1.0), gather=gather),
                 seam("neckband", "end_a", "neckband", "end_b")]
    return _finish("tshirt", m, panels, stitches, girths, fabrics=(
        Fabric(name="main", width_mm=1500.0, weight_gsm=160.0, stretch=0.2),
        Fabric(name="rib", width_mm=1000.0, weight_gsm=220.0, stretch=0.6)))


def hoodie(m: DraftMeasurements, design: Design) -> Pattern:
    """Hoodie: a roomy bodice, long set-in sleeves and a two-piece hood sewn to the neckline."""
    hem_y = _hem_y(m, design, {"slim": 20.0, "regular": 50.0, "oversized": 80.0}[design.fit])
    front, back, panels, stitches, girths = _top(m, design, hem_y, (3.0, 4.0), "long")
    neck_f, neck_b = front.edge("neck").length(), back.edge("neck").length()
    hood_neck = (neck_f + neck_b) / 2.0
    height = 10.0 * (0.2 * m.height_cm + 2.0)
    depth = 10.0 * (m.head_girth_cm / 2.0 - 2.0)
    for s in ("l", "r"):
        panels.append(_hood_side(f"hood_{s}", "left" if s == "l" else "right", hood_neck,
                                 height, depth))
    share = neck_f / (neck_f + neck_b) / 1.0
    # The front neckline runs from the wearer's left to the right, the back one the other way.
    stitches += [
        seam("hood_l", "neck", "front", "neck", a_part=(0.0, share), b_part=(0.0, 0.5)),
        seam("hood_l", "neck", "back", "neck", a_part=(share, 1.0), b_part=(0.5, 1.0)),
        seam("hood_r", "neck", "front", "neck", a_part=(1.0 - share, 1.0), b_part=(0.5, 1.0)),
        seam("hood_r", "neck", "back", "neck", a_part=(0.0, 1.0 - share), b_part=(0.0, 0.5)),
        seam("hood_l", "back_seam", "hood_r", "back_seam"),
    ]
    return _finish("hoodie", m, panels, stitches, girths)


def _hood_side(name: str, side: str, neck: float, height: float, depth: float) -> Panel:
    """One side of a hood seen from outside: face opening along x = 0 (the left side's +x is
    towards the back, the right side's towards the front, so the right one is mirrored)."""
    chord = neck
    for _ in range(4):  # the neck seam's length, not its chord, must match the neckline
        chord *= neck / _hood_neck(chord, height).length(0.1)
    neck = chord
    depth = max(depth, neck + HOOD_BACK * height)
    pts = {"front_neck": (0.0, 0.0), "back_neck": (neck, 0.0625 * height),
           "nape": (depth, 0.35 * height), "crown": (0.35 * depth, height)}
    edges = [
        edge("neck", [_hood_neck(neck, height)]),
        edge("back_seam", [Cubic(p0=pts["back_neck"],
                                 c0=(neck + 0.4 * (depth - neck), 0.1 * height),
                                 c1=(depth, 0.2 * height), p1=pts["nape"]),
                           Cubic(p0=pts["nape"], c0=(depth, 0.75 * height),
                                 c1=(0.75 * depth, height), p1=pts["crown"])]),
        edge("face", [Cubic(p0=pts["crown"], c0=(0.0, height), c1=(0.0, 0.7 * height),
                            p1=(0.0, 0.4 * height)),
                      Line(p0=(0.0, 0.4 * height), p1=pts["front_neck"])], 20.0),
    ]
    panel = Panel(name=name, edges=tuple(edges), grain=((0.5 * depth, 0.1 * height),
                                                         (0.5 * depth, 0.9 * height)),
                  placement=Placement(region="head", side="left" if side == "left" else "right"))
    if side == "left":
        return panel
    mirror = [edge(e.name, [c.mapped(lambda p: (-p[0], p[1])).reversed()
                            for c in reversed(e.curves)], e.seam_allowance_mm)
              for e in reversed(edges)]
    return Panel(name=name, edges=tuple(mirror), grain=((-0.5 * depth, 0.1 * height),
                                                        (-0.5 * depth, 0.9 * height)),
                 placement=Placement(region="head", side="right"))


def _hood_neck(chord: float, height: float) -> Cubic:
    return Cubic(p0=(0.0, 0.0), c0=(0.4 * chord, -0.04 * height), c1=(0.8 * chord, 0.0),
                 p1=(chord, 0.0625 * height))


def _dress(name: str, m: DraftMeasurements, design: Design, darts: bool) -> Pattern:
    hem_y = m.hps_y - 10.0 * design.length_cm if design.length_cm else m.knee_y + 30.0
    if hem_y >= m.hip_y:
        from dressform.errors import InvalidInputError

        raise InvalidInputError(f"a dress of {(m.hps_y - hem_y) / 10:.0f} cm ends above the hip"
                                f" line; give length_cm over {(m.hps_y - m.hip_y) / 10 + 1:.0f}")
    _, _, panels, stitches, girths = _top(m, design, hem_y, (4.0, 5.0), "none",
                                          waist_darts=darts)
    return _finish(name, m, panels, stitches, girths)


def sheath_dress(m: DraftMeasurements, design: Design) -> Pattern:
    """Sheath dress: close-fitting, shaped by side seams and a fish-eye dart in each half of
    front and back, sleeveless with a scoop neck, to the knee by default."""
    return _dress("sheath_dress", m, design, darts=True)


def shift_dress(m: DraftMeasurements, design: Design) -> Pattern:
    """Shift dress: hangs straight from the bust with no waist darts, sleeveless by default."""
    return _dress("shift_dress", m, design, darts=False)
