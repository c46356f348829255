"""Benchmark section: fit analytics — reading a fitting, size advice, population coverage.

`python benchmarks/fit_analytics.py` re-runs this section alone and splices it into
BENCHMARKS.md; `make bench` runs it with the others.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from bench_format import table
from dressform.body import BodySpec, build
from dressform.body.cast import cast
from dressform.drape.simulate import drape
from dressform.fit import advise, assess
from dressform.fit.coverage import coverage
from dressform.fit.population import population_from_bodies, population_from_records
from dressform.garment.blocks import draft
from dressform.garment.sizes import builtin_chart
from timing import ms, timed

CAST = 200
SAMPLE = 6
MANY = 10_000


def fit_lines() -> list[str]:
    lines = ["### fit analytics"]
    body = build(BodySpec(sex="female", height_cm=168, weight_kg=62))
    pattern = draft("tshirt", builtin_chart("women").size("M").body_cm, size="M")
    garment = drape(pattern, body, "cotton_jersey", spacing_mm=25.0)
    rows = [(f"read one fitting (T-shirt M on a woman 168/62, {len(garment.vertices)} vertices: "
             "ease, stretch, pressure, verdicts, lengths)",
             ms(timed(lambda: assess(garment, body, "cotton_jersey"), 5)))]
    t = time.perf_counter()
    advice = advise(body, "tshirt", spacing_mm=25.0)
    rows.append(("size advice, T-shirt for the same woman (three sizes draped at 25 mm and read)",
                 f"{time.perf_counter() - t:.1f} s → {advice.reason}"))

    t = time.perf_counter()
    c = cast(CAST, seed=1)
    people = population_from_bodies([f"clone_{i:03d}" for i in range(1, CAST + 1)], c.bodies)
    rows.append((f"population: a cast of {CAST} (seed 1), built and measured",
                 f"{time.perf_counter() - t:.0f} s"))
    coverage_rows = [f"| garment | chart | people | fit some size | share per size | size curve "
                     f"| no size fits, why | drape sample ({SAMPLE}): ease error before → after "
                     "| seconds (chart / drapes) |",
                     "|---|---|---|---|---|---|---|---|---|"]
    for block, chart in (("tshirt", "women"), ("tshirt", "men"), ("trousers", "women")):
        t = time.perf_counter()
        first = coverage(people, block, builtin_chart(chart), sample=0)
        analytic = time.perf_counter() - t
        t = time.perf_counter()
        r = coverage(people, block, builtin_chart(chart), sample=SAMPLE)
        draped = time.perf_counter() - t
        share = " ".join(f"{lab} {100 * x:.0f}" for lab, x in
                         zip(r.labels, r.share_per_size, strict=True))
        curve = " ".join(f"{lab} {100 * x:.0f}" for lab, x in
                         zip(r.labels, r.size_curve, strict=True) if x > 0)
        why = "; ".join(f"{n} {c}" for c, n in r.categories().most_common()) or "-"
        failed = sum(f.failed for f in r.sample)
        err = "-" if r.ease_error_pct is None else f"{r.ease_error_pct[0]:.1f} % → " + (
            "-" if r.ease_error_pct[1] is None else f"{r.ease_error_pct[1]:.1f} %")
        err += f" ({failed} failed)" if failed else ""
        coverage_rows.append(f"| {block} | {chart} | {r.count} | {100 * r.share_fitted:.0f} % "
                             f"(chart alone {100 * first.share_fitted:.0f} %) | {share} | "
                             f"{curve} | {why} | {err} | {analytic:.2f} / {draped:.0f} |")

    # Thousands of people: the cast's people resampled with 3 % noise on every girth.
    rng = np.random.default_rng(0)
    pick = rng.integers(0, len(people), MANY)
    records = [{"sex": people.sex[i], **{k: float(v[i]) * float(rng.normal(1.0, 0.03))
                                         for k, v in people.measurements.items()}}
               for i in pick]
    many = population_from_records(records)
    chart = builtin_chart("women")
    times = timed(lambda: coverage(many, "sheath_dress", chart, sample=0), 3)
    rows.append((f"coverage from the chart alone, {MANY:,} people (the cast resampled, 3 % "
                 "noise per measurement), sheath dress in the women's chart", ms(times)))
    lines += [*table(("what", "result"), rows),
              "",
              "Population coverage: shares are % of the people judged in that chart (its sex); "
              "the size curve is the production share per size; the ease error is the "
              "sample's mean |analytic − draped| ease (% of the body girth) before and after "
              "the drapes correct the drafted girths (after: leave-one-out); a failed sample "
              "drape is left out of the correction.",
              "",
              *coverage_rows]
    return lines


if __name__ == "__main__":
    from clones import replace_section

    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"), fit_lines())
