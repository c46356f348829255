"""Garment benchmarks: drafting and grading each block over the women's size chart, DXF round
trip."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from shapely.geometry import Polygon

from bench_format import table
from dressform.garment.blocks import BLOCKS, draft
from dressform.garment.grading import grade, grading_problems
from dressform.garment.io.dxf_aama import export_dxf, import_dxf
from dressform.garment.io.files import write_pattern
from dressform.garment.sizes import builtin_chart
from timing import median_s


def garment_lines() -> list[str]:
    chart = builtin_chart("women")
    m = chart.size("M").body_cm
    lines = ["### garments",
             f"Women's chart ({len(chart.sizes)} sizes, {chart.labels[0]}–{chart.labels[-1]}); "
             "each draft checked sewable (`validate`), each grading checked monotone.",
             "",
             "| block | panels | seams | draft one size (ms) | "
             f"grade {len(chart.sizes)} sizes (s) | monotone |",
             "|---|---|---|---|---|---|"]
    for name in BLOCKS:
        pattern = draft(name, m)
        one = median_s(lambda n=name: draft(n, m), 5)
        t = time.perf_counter()
        graded = grade(name, chart)
        graded_s = time.perf_counter() - t
        ok = not grading_problems(graded)
        lines.append(f"| {name} | {len(pattern.panels)} | {len(pattern.stitches)} | "
                     f"{one * 1000:.0f} | {graded_s:.2f} | {'yes' if ok else 'NO'} |")
    trousers = draft("trousers", m, size="M")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.dxf"
        rt = median_s(lambda: import_dxf(export_dxf(trousers, path)), 5)
        back = import_dxf(path)
        worst = max(Polygon(a.outline).hausdorff_distance(Polygon(back.panel(a.name).outline))
                    for a in trousers.panels)
        svg = median_s(lambda: write_pattern(trousers, Path(tmp) / "p.svg"), 5)
    lines += ["", *table(("file", "pattern", "time (median of 5)", "after the trip"), [
        ("DXF-AAMA round trip (export + import)",
         f"trousers size M, {len(trousers.panels)} pieces", f"{rt * 1000:.0f} ms",
         f"largest outline deviation {worst:.4f} mm"),
        ("SVG export (1:1, seam allowances, notches, labels)", "the same",
         f"{svg * 1000:.0f} ms", "")])]
    return lines


if __name__ == "__main__":
    # Only this section, spliced into BENCHMARKS.md (`make bench` runs everything).
    import sys

    from clones import replace_section

    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"),
                    garment_lines())
