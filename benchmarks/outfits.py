"""Outfit benchmarks: two-layer looks re-draped into poses (`redrape_layers`), by layering
and pose: time, steps, cloth through cloth and how deep either layer dips into the body;
and a T-shirt alone re-draped into the same poses from 20 mm and from the default spacing."""

from __future__ import annotations

import time

from dressform.body import BodySpec, build
from dressform.body.pose import pose_path
from dressform.drape.checks import self_intersections
from dressform.drape.outfit import dress
from dressform.drape.redrape import redrape, redrape_layers
from dressform.drape.simulate import drape
from dressform.drape.spacing import DRAPE_SPACING_MM, SEW_SPACING_MM
from dressform.garment.blocks import draft
from dressform.garment.sizes import builtin_chart
from dressform.geometry.crossings import crossings

SPACING_MM = DRAPE_SPACING_MM
POSES = ("relaxed", "hand-on-hip", "walking", "contrapposto")
FABRICS = ("cotton_jersey", "cotton_poplin")
#: (layering, top block, bottom block): a T-shirt tucked into a skirt, one over trousers.
LOOKS = (("tucked", "tshirt", "skirt"), ("over", "tshirt", "trousers"))


def _depth_mm(g) -> str:
    """The deepest a layer's vertex lies inside the body, mm (0 when none is)."""
    return f"{max(0.0, -1000 * float(g.contact_m.min())):.1f}"


def _row(look: str, tucked: bool, pose: str, seconds: float, inner, outer) -> str:
    top_bottom = (inner, outer) if tucked else (outer, inner)
    through = crossings(*((g.vertices, g.faces) for g in top_bottom))
    selves = " / ".join(str(self_intersections(g.vertices, g.faces)) for g in top_bottom)
    rest = " / ".join(f"{g.frames}{'' if g.at_rest else ' (not at rest)'}"
                      for g in (inner, outer))
    return (f"| {look} | {pose} | {seconds:.1f} | {rest} | {through} | {selves} | "
            f"{_depth_mm(top_bottom[0])} / {_depth_mm(top_bottom[1])} |")


def spacing_rows(body, size_l) -> list[str]:
    """A T-shirt alone re-draped into each pose from a drape at 20 mm and at the default: what
    the default's spacing was chosen on."""
    tee = draft("tshirt", size_l)
    rows = []
    for spacing in (SEW_SPACING_MM, SPACING_MM):
        rested = drape(tee, body, FABRICS[0], spacing_mm=spacing)
        for pose in POSES:
            *between, posed = pose_path(body, pose)
            t = time.perf_counter()
            g = redrape(rested, tee, body, posed, FABRICS[0], through=between)
            rows.append(f"| {spacing:.0f} | {len(g.vertices)} | {pose} | "
                        f"{time.perf_counter() - t:.1f} | {g.frames}"
                        f"{'' if g.at_rest else ' (not at rest)'} | "
                        f"{self_intersections(g.vertices, g.faces)} | {_depth_mm(g)} |")
    return rows


def outfit_lines() -> list[str]:
    body = build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62))
    size_l = builtin_chart("women").size("L").body_cm
    rows = []
    for layering, top, bottom in LOOKS:
        patterns = (draft(top, size_l), draft(bottom, size_l))
        tucked = layering == "tucked"
        t = time.perf_counter()
        outfit = dress(body, *patterns, FABRICS, layering, spacing_mm=SPACING_MM)
        look = f"{layering}: {top} {'into' if tucked else 'over'} {bottom}"
        rows.append(_row(look, tucked, "a-pose (dressed)", time.perf_counter() - t,
                         outfit.inner, outfit.outer))
        inner_first = [(outfit.top, patterns[0], FABRICS[0]),
                       (outfit.bottom, patterns[1], FABRICS[1])]
        if not tucked:
            inner_first.reverse()
        for pose in POSES:
            *between, posed = pose_path(body, pose)
            t = time.perf_counter()
            inner, outer = redrape_layers(inner_first, body, posed, through=between,
                                          tucked=tucked)
            rows.append(_row(look, tucked, pose, time.perf_counter() - t, inner, outer))
    return ["### outfits in poses",
            f"A size L T-shirt ({FABRICS[0]}) tucked into a size L skirt and worn over size L "
            f"trousers (both {FABRICS[1]}), {SPACING_MM:.0f} mm meshes, on a 168 cm / 62 kg "
            "woman: dressed in the a-pose (`dress`), then re-draped into each pose "
            "(`redrape_layers`: on every body of the way into the pose the inner layer "
            "settles, then the outer over it; a tucked top settles inside the skirt as it is "
            "carried onto that body). Steps are the solver's, summed over the way into the pose.",
            "",
            "| look | pose | seconds | steps (inner / outer) | cloth edges through the other "
            "layer | cloth edges through itself (top / bottom) | deepest inside the body, mm "
            "(top / bottom) |",
            "|---|---|---|---|---|---|---|", *rows,
            "",
            f"The default spacing: the T-shirt alone ({FABRICS[0]}), draped at "
            f"{SEW_SPACING_MM:.0f} mm and at {SPACING_MM:.0f} mm, re-draped into each pose "
            "(`redrape`).",
            "",
            "| spacing, mm | vertices | pose | seconds | steps | cloth edges through itself | "
            "deepest inside the body, mm |",
            "|---|---|---|---|---|---|---|", *spacing_rows(body, size_l)]


if __name__ == "__main__":
    # Only this section, spliced into BENCHMARKS.md (`make bench` runs everything).
    import sys
    from pathlib import Path

    from clones import replace_section

    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"),
                    outfit_lines())
