"""The coverage check on every image of the demo campaign: `make demo`'s campaign (four
clones, two looks, two shots each, draped, shot with Cycles at draft quality, signed) run
afresh in a temporary folder; each shot's class mask is checked before its image is
recorded (`dressform.campaign.work`), and a shot that fails is a failed shot with its reason.

`python benchmarks/shot_coverage.py` (about 6 minutes on two cores) replaces its section of
BENCHMARKS.md; the gallery's count is in its own section (`benchmarks/gallery.py`).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench_format import table
from clones import replace_section
from dressform.campaign.executors import LocalExecutor
from dressform.campaign.run import run_campaign
from dressform.campaign.spec import parse_campaign
from dressform.cli.campaign import DEMO
from dressform.provenance.keys import make_dev_credentials
from dressform.store import open_store

TITLE = "### coverage check: the demo campaign"


def coverage_lines() -> list[str]:
    spec = parse_campaign(DEMO.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(f"sqlite:///{folder / 'demo.db'}")
        executor = LocalExecutor(2)
        try:
            t = time.perf_counter()
            report = run_campaign(spec, folder / "campaign", store=store, executor=executor,
                                  credentials=make_dev_credentials(folder / "keys"))
            seconds = time.perf_counter() - t
        finally:
            executor.shutdown()
    uncovered = {k: v for k, v in report.failed.items() if "shows what it must not" in v}
    other = {k: v for k, v in report.failed.items() if k not in uncovered}
    checked = len(report.done) + len(uncovered)
    clones = spec.cast.sample.n if spec.cast.sample else len(spec.cast.clones)
    rows = [("shots recorded (each passed the check)", len(report.done)),
            ("shots refused by the check", len(uncovered)),
            ("shots failed for another reason (not checked)", len(other)),
            ("shots refused for consent", len(report.refused)),
            ("passed / checked", f"{len(report.done)} / {checked}"),
            ("campaign seconds (2 workers)", f"{seconds:.0f}")]
    lines = [TITLE,
             f"`make demo`'s campaign ({spec.name}: {clones} clones, each in a complete "
             "look over a nude base layer, in trainers), run afresh; the coverage "
             "check reads each shot's class mask: no visible skin of the breasts, genitals "
             "or buttocks, and no bare sole or toes unless the shoes leave them bare.", "",
             *table(("shots", "count"), rows)]
    lines += [f"- {k}: {v}" for k, v in {**uncovered, **other}.items()]
    return lines


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    coverage_lines())
