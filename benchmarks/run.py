"""dressform benchmarks: `make bench` runs this and writes BENCHMARKS.md (machine, date, figures).

Usage: python benchmarks/run.py [--output BENCHMARKS.md] [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from arms import arm_lines
from bench_format import PREAMBLE, command, stamped, table
from campaign import campaign_lines
from clones import clone_lines
from drape import drape_lines
from dressform.body import BodySpec, build, build_many
from dressform.body.cast import cast
from dressform.body.measure import measure
from dressform.body.model import get_model
from dressform.render.preview import render_body
from fabrics import colour_lines, cost_lines, looks_lines, profile_lines
from fit_analytics import fit_lines
from fitting import fitting_lines
from forecast import forecast_lines
from garments import garment_lines
from hood import hood_lines
from motion import motion_lines
from outfits import outfit_lines
from realism import cyclorama_lines, face_lines, pores_lines, quality_lines, realism_lines
from redrape import redrape_lines
from render import render_lines
from shot_coverage import coverage_lines
from timing import ms, timed
from tryon import tryon_lines
from watermark import watermark_lines
from wear import wear_lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--output", default="BENCHMARKS.md")
    ap.add_argument("--quick", action="store_true", help="3 FreeSewing sets instead of 20")
    args = ap.parse_args()
    rows: list[tuple[str, str]] = []
    t = time.perf_counter()
    model = get_model()
    rows.append(("anny model load (cache warm)", f"{time.perf_counter() - t:.2f} s"))

    spec = BodySpec()
    params = model.params({"gender": 1.0})
    with torch.no_grad():
        rest = timed(lambda: model.rest_shape(params), 30)
    rows.append(("rest-shape evaluation, one body", ms(rest)))
    with torch.no_grad():
        forward = timed(lambda: model.anny(phenotype_kwargs={"gender": 1.0}), 10)
    rows.append(("anny's own forward pass (skinning and bone solve), one body, for comparison",
                 ms(forward)))
    one = timed(lambda: build(spec), 20)
    rows.append(("build one body, no height/weight targets", ms(one)))
    target = BodySpec(height_cm=168, weight_kg=62)
    rows.append(("build one body with height and weight solved",
                 ms(timed(lambda: build(target), 10))))
    batch = [BodySpec(age_years=20 + i % 50, proportions=(i % 10) / 10) for i in range(64)]
    b64 = timed(lambda: build_many(batch), 3)
    rows.append(("build a batch of 64, no targets",
                 f"{statistics.median(b64) / 64 * 1000:.1f} ms per body"))
    batch_t = [BodySpec(height_cm=150 + i % 40, weight_kg=50 + i % 35) for i in range(64)]
    b64t = timed(lambda: build_many(batch_t), 2)
    rows.append(("build a batch of 64 with heights and weights solved",
                 f"{statistics.median(b64t) / 64 * 1000:.1f} ms per body"))
    body = build(target)
    rows.append(("measure one body (25 measurements)", ms(timed(lambda: measure(body), 5))))
    render_body(body, width=1024, height=1536)  # GL context and shaders, once per process
    rows.append(("preview render of one body, 1024×1536 (moderngl, headless EGL)",
                 ms(timed(lambda: render_body(body, width=1024, height=1536), 5))))
    lines = ["### bodies", *table(("what", "time"), rows)]

    lines.append("")
    lines += fitting_lines(quick=args.quick)
    lines.append("")
    lines.append("### measurements of a few bodies (cm)")
    measured = []
    for label, spec in (
        ("woman 165 cm 60 kg", BodySpec(sex="female", height_cm=165, weight_kg=60)),
        ("woman 160 cm 90 kg", BodySpec(sex="female", height_cm=160, weight_kg=90)),
        ("man 180 cm 80 kg", BodySpec(sex="male", height_cm=180, weight_kg=80)),
        ("man 190 cm 125 kg, muscle 1", BodySpec(sex="male", height_cm=190, weight_kg=125,
                                                 muscle=1.0)),
    ):
        m = measure(build(spec))
        measured.append((label, *(f"{x:.1f}" for x in (
            m.bust_girth_cm, m.under_bust_girth_cm, m.waist_girth_cm, m.hip_girth_cm,
            m.neck_base_girth_cm, m.shoulder_width_cm))))
    lines += table(("body", "bust", "under-bust", "waist", "hip", "neck base", "shoulder width"),
                   measured)

    lines.append("")
    t = time.perf_counter()
    c = cast(20 if args.quick else 100, seed=0)
    built = time.perf_counter() - t
    t = time.perf_counter()
    for b in c.bodies:
        measure(b)
    lines += ["### cast", *table(("clones", "built (s)", "measured (s)"), [
        (len(c.specs), f"{built:.1f}", f"{time.perf_counter() - t:.1f}")])]

    lines.append("")
    lines += garment_lines()
    lines.append("")
    lines += drape_lines()
    lines.append("")
    lines += clone_lines()
    lines.append("")
    lines += outfit_lines()
    lines.append("")
    lines += redrape_lines()
    lines.append("")
    lines += arm_lines()
    lines.append("")
    lines += hood_lines()
    lines.append("")
    lines += fit_lines()
    lines.append("")
    lines += render_lines()
    lines.append("")
    lines += realism_lines()
    lines.append("")
    lines += face_lines()
    lines.append("")
    lines += quality_lines()
    lines.append("")
    lines += cyclorama_lines()
    lines.append("")
    lines += pores_lines()
    lines.append("")
    lines += profile_lines()
    lines.append("")
    lines += colour_lines()
    lines.append("")
    lines += looks_lines()
    lines.append("")
    lines += cost_lines()
    lines.append("")
    lines += motion_lines()
    lines.append("")
    lines += campaign_lines()
    lines.append("")
    lines += tryon_lines()
    lines.append("")
    lines += forecast_lines()
    lines.append("")
    lines += watermark_lines(6 if args.quick else 24)
    lines.append("")
    lines += wear_lines()
    lines.append("")
    lines += coverage_lines()

    text = "\n".join([*PREAMBLE, "", *stamped(lines, command())]) + "\n"
    Path(args.output).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
