"""dressform benchmarks: `make bench` runs this and writes BENCHMARKS.md (machine, date, figures).

Usage: python benchmarks/run.py [--output BENCHMARKS.md] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from campaign import campaign_lines
from clones import clone_lines
from drape import drape_lines
from dressform.body import BodySpec, build, build_many
from dressform.body.cast import cast
from dressform.body.measure import measure
from dressform.body.model import get_model
from dressform.render.preview import render_body
from fit_analytics import fit_lines
from fitting import fitting_lines
from forecast import forecast_lines
from garments import garment_lines
from motion import motion_lines
from outfits import outfit_lines
from render import render_lines
from timing import ms, timed
from tryon import tryon_lines


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"torch {torch.__version__} ({torch.get_num_threads()} thread)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--output", default="BENCHMARKS.md")
    ap.add_argument("--quick", action="store_true", help="3 FreeSewing sets instead of 20")
    args = ap.parse_args()
    lines: list[str] = []
    t = time.perf_counter()
    model = get_model()
    lines.append(f"- anny model load (cache warm): {time.perf_counter() - t:.2f} s")

    spec = BodySpec()
    params = model.params({"gender": 1.0})
    with torch.no_grad():
        rest = timed(lambda: model.rest_shape(params), 30)
    lines.append(f"- rest-shape evaluation, one body: {ms(rest)}")
    with torch.no_grad():
        forward = timed(lambda: model.anny(phenotype_kwargs={"gender": 1.0}), 10)
    lines.append(f"- anny's own forward pass (skinning and bone solve), one body, for "
                 f"comparison: {ms(forward)}")
    one = timed(lambda: build(spec), 20)
    lines.append(f"- build one body, no height/weight targets: {ms(one)}")
    target = BodySpec(height_cm=168, weight_kg=62)
    lines.append(f"- build one body with height and weight solved: "
                 f"{ms(timed(lambda: build(target), 10))}")
    batch = [BodySpec(age_years=20 + i % 50, proportions=(i % 10) / 10) for i in range(64)]
    b64 = timed(lambda: build_many(batch), 3)
    lines.append(f"- build a batch of 64, no targets: {statistics.median(b64) / 64 * 1000:.1f} "
                 "ms per body")
    batch_t = [BodySpec(height_cm=150 + i % 40, weight_kg=50 + i % 35) for i in range(64)]
    b64t = timed(lambda: build_many(batch_t), 2)
    lines.append(f"- build a batch of 64 with heights and weights solved: "
                 f"{statistics.median(b64t) / 64 * 1000:.1f} ms per body")
    body = build(target)
    lines.append(f"- measure one body (25 measurements): {ms(timed(lambda: measure(body), 5))}")
    render_body(body, width=1024, height=1536)  # GL context and shaders, once per process
    lines.append("- preview render of one body, 1024×1536 (moderngl, headless EGL): "
                 f"{ms(timed(lambda: render_body(body, width=1024, height=1536), 5))}")

    lines.append("")
    lines += fitting_lines(quick=args.quick)
    lines.append("")
    lines.append("### measurements of a few bodies (cm)")
    lines.append("| body | bust | under-bust | waist | hip | neck base | shoulder width |")
    lines.append("|---|---|---|---|---|---|---|")
    for label, spec in (
        ("woman 165 cm 60 kg", BodySpec(sex="female", height_cm=165, weight_kg=60)),
        ("woman 160 cm 90 kg", BodySpec(sex="female", height_cm=160, weight_kg=90)),
        ("man 180 cm 80 kg", BodySpec(sex="male", height_cm=180, weight_kg=80)),
        ("man 190 cm 125 kg, muscle 1", BodySpec(sex="male", height_cm=190, weight_kg=125,
                                                 muscle=1.0)),
    ):
        m = measure(build(spec))
        lines.append(f"| {label} | {m.bust_girth_cm:.1f} | {m.under_bust_girth_cm:.1f} | "
                     f"{m.waist_girth_cm:.1f} | {m.hip_girth_cm:.1f} | "
                     f"{m.neck_base_girth_cm:.1f} | {m.shoulder_width_cm:.1f} |")

    lines.append("")
    t = time.perf_counter()
    c = cast(20 if args.quick else 100, seed=0)
    built = time.perf_counter() - t
    t = time.perf_counter()
    for b in c.bodies:
        measure(b)
    lines.append(f"### cast\n- cast of {len(c.specs)}: built in {built:.1f} s, measured in "
                 f"{time.perf_counter() - t:.1f} s")

    lines.append("")
    lines += garment_lines()
    lines.append("")
    lines += drape_lines()
    lines.append("")
    lines += clone_lines()
    lines.append("")
    lines += outfit_lines()
    lines.append("")
    lines += fit_lines()
    lines.append("")
    lines += render_lines()
    lines.append("")
    lines += motion_lines()
    lines.append("")
    lines += campaign_lines()
    lines.append("")
    lines += tryon_lines()
    lines.append("")
    lines += forecast_lines()

    header = (f"# dressform benchmarks\n\nMachine: {machine()}\n\n"
              f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Command: "
              f"`python benchmarks/run.py{' --quick' if args.quick else ''}` (`make bench`).\n\n"
              "### bodies\n")
    Path(args.output).write_text(header + "\n".join(lines) + "\n")
    print(header + "\n".join(lines))


if __name__ == "__main__":
    main()
