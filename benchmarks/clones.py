"""Every block on six clones of different shape, each in the chart size its control girths
pick (length fitted to the clone's height), with the checks a rested garment must pass, and
a contact sheet of the results to look at.

`python benchmarks/clones.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

from bench_format import PREAMBLE, command, stamped, table
from dressform.body import BodySpec, build
from dressform.body.measure import measure
from dressform.body.pose import pose_body
from dressform.body.poses import STANCES
from dressform.drape.checks import check
from dressform.drape.placement import level_offset
from dressform.drape.simulate import drape
from dressform.drape.spacing import SEW_SPACING_MM
from dressform.errors import DressformError, PatternError
from dressform.fit.advice import chart_name_for
from dressform.garment.blocks import BLOCKS, CONTROL_DIMENSIONS, draft_size, fitting_size
from dressform.garment.sizes import builtin_chart
from dressform.render.preview import Camera, PreviewMesh, body_mesh, contact_sheet, render_meshes

CLONES = {
    "petite woman 152/47": BodySpec(sex="female", age_years=28, height_cm=152, weight_kg=47),
    "tall woman 183/70": BodySpec(sex="female", age_years=30, height_cm=183, weight_kg=70),
    "plus-size woman 165/95": BodySpec(sex="female", age_years=40, height_cm=165,
                                       weight_kg=95),
    "man 180/80": BodySpec(sex="male", age_years=35, height_cm=180, weight_kg=80),
    "woman 168/62": BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62),
    "older man 72 y, 172/78": BodySpec(sex="male", age_years=72, height_cm=172, weight_kg=78),
}
FABRIC = {"tshirt": "cotton_jersey", "hoodie": "cotton_jersey", "skirt": "cotton_poplin",
          "aline_skirt": "cotton_poplin", "sheath_dress": "stretch_knit",
          "shift_dress": "cotton_poplin", "trousers": "cotton_jersey"}
#: Where a garment should hang: a waistband this close to the body's waist; a top's hem
#: no lower than this below the hip (a T-shirt is drafted to end 3 cm below it, a hoodie
#: 8 cm); a garment whose hem is drafted further below the hip than `DRESS_BELOW_HIP_M` is
#: a dress (its hem is not judged).
BAND_FROM_WAIST_M = 0.04
HEM_BELOW_HIP_M = 0.10
DRESS_BELOW_HIP_M = 0.15
HEM_EDGE_M = 0.005  # pattern vertices this close to the hem's level are its edge
#: A shoulder is judged over this horizontal radius round its joint: the cloth's top there
#: must not be lower than the body's (it rests on the shoulder, not slid off it).
SHOULDER_M = 0.05
#: The clones are dressed at the sewing spacing, as this table was first measured: the
#: 12 mm default has 2.8 times the vertices (a size L T-shirt: 5426 against 1945), and
#: 7 blocks × 6 clones at 20 mm already take 20 minutes. The default is measured in poses
#: ("outfits in poses").
SPACING_MM = SEW_SPACING_MM
PICTURE = Path("docs/drape_six_clones.png")
TITLE = "### drape on six clones"
#: What a rested garment must pass, in words (the table's first part).
CHECKS = [
    ("deepest vertex inside the body", "≤ 1 mm"),
    ("cloth edges passing through cloth", "0"),
    ("widest seam gap when sewing ended and the seams were fused", "< 2 mm"),
    ("a waistband", f"within {100 * BAND_FROM_WAIST_M:.0f} cm of the waist"),
    ("a top's hem line (the median height of its hem edge)",
     f"between the waist and {100 * HEM_BELOW_HIP_M:.0f} cm below the hip (a T-shirt is "
     "drafted to end 3 cm below the hip, a hoodie 8 cm)"),
    (f"the cloth over each shoulder (within {100 * SHOULDER_M:.0f} cm of its joint, seen from "
     "above)", "no lower than the body's top there"),
    ("the solver", "at rest"),
]


def clone_lines(picture: Path = PICTURE) -> list[str]:
    bodies = {k: build(s) for k, s in CLONES.items()}
    girths = {k: measure(b).as_dict() for k, b in bodies.items()}
    lines = [TITLE,
             f"Every block on six clones, projective solver, {SPACING_MM:.0f} mm spacing, "
             "each in the size its control girths pick from the clone's chart, blended "
             "between sizes where they differ (\"M/XL\": waist M, hip XL; "
             "`garment.blocks.fitting_size`), lengths drafted for the clone's height and "
             "trousers in its own rise (`draft_size`); skirts and trousers sewn held at the "
             "waist, then settled under gravity; trousers the thighs leave no room for "
             "dressed in the fitting stance. Pictures (front): "
             f"`{picture}`.",
             "",
             *table(("check", "passes when"), CHECKS),
             "",
             "| block | clone | size | fabric | vertices | steps | seconds | inside (mm) | "
             "edges through cloth | seam gap at fusing (mm) | where it hangs | passes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    tiles, labels = [], []
    passed = total = 0
    for block in BLOCKS:
        for clone, spec in CLONES.items():
            body = bodies[clone]
            chart = builtin_chart(chart_name_for(spec))
            size = fitting_size(block, chart, girths[clone])
            pattern = draft_size(block, size, spec.height_cm, girths[clone])
            total += 1
            label = size.label + _beyond(block, chart, size, girths[clone])
            try:
                try:
                    g = drape(pattern, body, FABRIC[block], spacing_mm=SPACING_MM,
                              max_frames=400)
                except PatternError as e:
                    if "fitting stance" not in str(e):
                        raise
                    # As the refusal advises: the clone dressed with its legs a little apart.
                    body = pose_body(body, STANCES["fitting"])
                    label += " (fitting stance)"
                    g = drape(pattern, body, FABRIC[block], spacing_mm=SPACING_MM,
                              max_frames=400)
            except DressformError as e:
                lines.append(f"| {block} | {clone} | {label} | {FABRIC[block]} | | | | | "
                             f"| | | refused: {e} |")
                continue
            c = check(g.vertices, g.faces, g.contact_m)
            hangs, hangs_ok = _hangs(g, pattern, body)
            ok = c.passed and g.seam_gap_m < 0.002 and hangs_ok and g.at_rest
            passed += ok
            lines.append(f"| {block} | {clone} | {label} | {FABRIC[block]} | "
                         f"{len(g.vertices)} | {g.frames}{'' if g.at_rest else ' (not at rest)'}"
                         f" | {g.seconds:.1f} | {1000 * c.inside_m:.1f} | {c.intersections} | "
                         f"{1000 * g.seam_gap_m:.1f} | {hangs} | "
                         f"{'yes' if ok else 'no'} |")
            tiles.append(render_meshes(
                [body_mesh(body), PreviewMesh(g.vertices, g.faces, (0.2, 0.3, 0.7))],
                width=220, height=330, camera=Camera.for_view("front")))
            labels.append(f"{block} {label} · {clone}")
            print(lines[-1], flush=True)
    lines.append(f"| all | {len(CLONES)} clones | | | | | | | | | | "
                 f"{passed} of {total} |")
    # Relative to the repository, wherever the benchmark is run from.
    out = Path(__file__).resolve().parents[1] / picture
    out.parent.mkdir(parents=True, exist_ok=True)
    contact_sheet(tiles, labels, columns=len(CLONES)).save(out)
    return lines


def _beyond(block: str, chart, size, body_cm: dict[str, float]) -> str:
    """A note when the clone is larger than the chart's largest size at a control girth
    (the garment is then tight there, and hangs as a tight one does)."""
    largest = chart.sizes[-1]
    over = [(d, body_cm[d], largest.body_cm[d]) for d in CONTROL_DIMENSIONS[block]
            if d in largest.body_cm and size.body_cm.get(d) == largest.body_cm[d]
            and body_cm[d] > largest.body_cm[d] + 1.0]
    return "".join(f" (largest in the chart: {d.removesuffix('_girth_cm')} {theirs:.0f} cm, "
                   f"the clone's {mine:.0f} cm)" for d, mine, theirs in over)


def _hangs(g, pattern, body) -> tuple[str, bool]:
    """Whether the garment hangs where it should, on the body's levels as the pattern was
    drafted for them, and in words: a waistband at the waist (within `BAND_FROM_WAIST_M`),
    a top's hem between the hip (less `HEM_BELOW_HIP_M`) and the waist, and a top's or a
    dress's shoulders resting on the body's (not slid off them)."""
    regions = {p.name: p.placement.region if p.placement else "" for p in pattern.panels}
    lift = level_offset(pattern, body)
    level = {k: v / 1000.0 + lift for k, v in pattern.levels_mm.items()}
    main = np.isin(g.panel, [k for k, n in enumerate(g.panel_names)
                             if regions.get(n) in ("torso", "leg_left", "leg_right")])
    words, ok = [], True
    band = np.isin(g.panel, [k for k, n in enumerate(g.panel_names) if regions[n] == "waist"])
    if band.any():
        off = float(np.median(g.vertices[band, 2])) - level["waist"]
        ok &= abs(off) <= BAND_FROM_WAIST_M
        words.append(f"waistband {100 * off:+.1f} cm from the waist")
    if "hps" not in level:
        return "; ".join(words), ok
    if float(g.uv[main, 1].min()) + lift > level["hip"] - DRESS_BELOW_HIP_M:  # a top
        # The hem line's height: the median of the hem edge's vertices (its lowest point
        # is a fold's, reported beside it).
        edge = main & (g.uv[:, 1] < float(g.uv[main, 1].min()) + HEM_EDGE_M)
        hem = float(np.median(g.vertices[edge, 2]))
        ok &= level["hip"] - HEM_BELOW_HIP_M <= hem <= level["waist"]
        words.append(f"hem {100 * (hem - level['hip']):+.1f} cm from the hip (lowest point "
                     f"{100 * (float(g.vertices[main, 2].min()) - level['hip']):+.1f})")
    skin = np.asarray(body.vertices)
    off = max(_shoulder_top(skin, joint) - _shoulder_top(g.vertices, joint)
              for joint in (body.skeleton.head(f"upperarm01.{s}") for s in "LR"))
    ok &= off < 0.0
    words.append("shoulders on" if off < 0.0 else f"a shoulder {100 * off:.1f} cm below the "
                 "body's: slid off")
    return "; ".join(words), ok


def _shoulder_top(x: np.ndarray, joint: np.ndarray) -> float:
    """The highest of points `x` over a shoulder: within `SHOULDER_M` (horizontally) of its
    joint."""
    sel = np.linalg.norm(x[:, :2] - joint[:2], axis=1) < SHOULDER_M
    return float(x[sel, 2].max()) if sel.any() else float("-inf")


def replace_section(path: Path, lines: list[str]) -> None:
    """Put `lines` (a section, its "### " title first) in place of the section of that title
    in BENCHMARKS.md, up to the next section of its own, or at the end; each title stamped
    with this machine, today and the command that is running (`bench_format.stamped`)."""
    title = lines[0]
    text = path.read_text() if path.exists() else "\n".join(PREAMBLE) + "\n"
    section = "\n".join(stamped(lines, command())).rstrip("\n")
    pattern = re.compile(re.escape(title) + r"\n.*?(?=\n### (?!simulated Cusick)|\Z)", re.S)
    text = pattern.sub(lambda _: section + "\n", text) if title + "\n" in text else \
        text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md")
    replace_section(out, clone_lines())
