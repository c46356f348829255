"""Benchmark section: clone from measurements (one set, then FreeSewing's 20 sets).

`python benchmarks/fitting.py` re-runs this section alone and splices it into BENCHMARKS.md;
`make bench` runs it with the others.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from bench_format import table
from dressform.body.clone import clone_from_measurements
from dressform.body.model import get_model
from timing import ms, timed

REPEAT = 3
SHOPPER_NAMES = ("height_cm", "weight_kg", "bust_girth_cm", "waist_girth_cm", "hip_girth_cm")
SHOPPERS = [("female", (168, 62, 88, 70, 96)), ("male", (180, 80, 100, 86, 99)),
            ("female", (160, 75, 102, 88, 110)), ("male", (175, 95, 112, 104, 108)),
            ("female", (155, 50, 82, 65, 90)), ("female", (175, 68, 90, 72, 100)),
            ("male", (170, 65, 92, 78, 92))]
#: FreeSewing's measurement sets, shipped with the tests (tests/data/README.md).
FREESEWING = Path(__file__).resolve().parents[1] / "tests" / "data" / "freesewing_models.json"


def fitting_lines(quick: bool = False) -> list[str]:
    get_model()
    lines = ["### clone from measurements"]
    given = {"height_cm": 168, "weight_kg": 62, "bust_girth_cm": 88, "waist_girth_cm": 70,
             "hip_girth_cm": 96}
    res = []
    times = timed(lambda: res.append(clone_from_measurements(given, sex="female")), 5)
    r = res[-1]
    worst = max(abs(x.residual) for x in r.residuals.values())
    rows = [("height, weight, bust, waist, hip (168/62/88/70/96)", ms(times),
             f"{worst:.2f} cm", "yes" if r.ok else "no")]
    # What a shopper types (height, weight, bust, waist, hip), over a spread of bodies.
    shopper_times, shopper_ok = [], 0
    for sex, values in SHOPPERS:
        t = time.perf_counter()
        r = clone_from_measurements(dict(zip(SHOPPER_NAMES, values, strict=True)), sex=sex)
        shopper_times.append(time.perf_counter() - t)
        shopper_ok += r.ok
    rows.append((f"{len(SHOPPERS)} shoppers' sets (height, weight, bust, waist, hip; women and "
                 "men, 50–95 kg)", f"median {statistics.median(shopper_times):.2f} s, slowest "
                 f"{max(shopper_times):.2f} s", "", f"{shopper_ok}/{len(SHOPPERS)}"))
    lines += table(("measurements given", "time", "worst residual", "within ISO 20685"), rows)
    sets = json.loads(FREESEWING.read_text())
    names = list(sets)[:: 7] if quick else list(sets)
    lines.append("")
    lines.append(f"| FreeSewing set | time (s, median of {REPEAT}) | iterations | "
                 "within tolerance | worst residual |")
    lines.append("|---|---|---|---|---|")
    fs_times = []
    fs_ok = {"Female": 0, "Male": 0}
    fs_total = {"Female": 0, "Male": 0}
    for name in names:
        # The median of three runs: this shared machine's speed wanders by a third from one
        # second to the next (the fit is deterministic, so every run gives the same clone).
        runs = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            r = clone_from_measurements(sets[name], sex="female" if "Female" in name else "male")
            runs.append(time.perf_counter() - t)
        fs_times.append(statistics.median(runs))
        ok = sum(x.ok for x in r.residuals.values())
        sex = "Female" if "Female" in name else "Male"
        fs_ok[sex] += ok
        fs_total[sex] += len(r.residuals)
        worst_name, worst_r = max(r.residuals.items(), key=lambda kv: abs(kv[1].residual))
        lines.append(f"| {name} | {fs_times[-1]:.2f} | {r.iterations} | {ok}/{len(r.residuals)}"
                     f" | {worst_name} {worst_r.residual:+.1f} |")
    seated = [(m["waistToFloor"] - m["inseam"] - m["crotchDepth"]) / 10 for m in sets.values()]
    lines.append(f"| all {len(names)} sets | {statistics.median(fs_times):.2f} (median) | | "
                 f"{sum(fs_ok.values())}/{sum(fs_total.values())} (women "
                 f"{fs_ok['Female']}/{fs_total['Female']}, men {fs_ok['Male']}/"
                 f"{fs_total['Male']}) | |")
    lines += ["", *table(("FreeSewing's crotchDepth", "shorter than waistToFloor − inseam by"), [
        ("taken seated: accepted, not fitted (reported unused)",
         f"{min(seated):.1f}–{max(seated):.1f} cm")])]
    return lines


if __name__ == "__main__":
    import sys

    from clones import replace_section

    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"), fitting_lines())
