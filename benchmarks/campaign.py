"""Campaign throughput with 1 and 2 local workers: the same campaign run twice from scratch
(fresh store and folder), and the scaling ratio. Two workloads: the whole job (drapes and
Cycles renders at draft quality, signed and recorded) and proofs from the rasteriser with the
drapes already made (what the job machinery itself costs per shot).

`python benchmarks/campaign.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from clones import replace_section
from dressform.campaign.executors import LocalExecutor
from dressform.campaign.run import run_campaign
from dressform.campaign.spec import parse_campaign
from dressform.provenance.keys import Credentials, make_dev_credentials
from dressform.store import open_store

TITLE = "### campaigns: throughput and scaling"
CAMPAIGN = """name: bench
cast:
  clones:
    - {name: ada, spec: {sex: female, age_years: 31, height_cm: 166, weight_kg: 61, skin_tone: 4}}
    - {name: sam, spec: {sex: male, age_years: 44, height_cm: 181, weight_kg: 83, skin_tone: 8}}
collection: [{name: tee, block: tshirt, size: own, fabric: cotton_jersey, color: navy}]
looks: [{name: tee, garments: [tee]}]
shots: {cameras: [front, three-quarter, side, back]}
outputs: {quality: draft, renderer: RENDERER, lookbook: false}
drape: {spacing_mm: 25, max_frames: 300}
"""


def _run(renderer: str, workers: int, folder: Path, creds: Credentials, drapes: Path | None
         ) -> tuple[float, int]:
    out = folder / f"{renderer}-{workers}"
    if drapes is not None:
        shutil.copytree(drapes, out / ".drapes")
    store = open_store(f"sqlite:///{folder / f'{renderer}-{workers}.db'}")
    ex = LocalExecutor(workers)
    try:
        t = time.perf_counter()
        report = run_campaign(parse_campaign(CAMPAIGN.replace("RENDERER", renderer)), out,
                              store=store, executor=ex, credentials=creds)
        seconds = time.perf_counter() - t
    finally:
        ex.shutdown()
    if not report.complete:
        raise SystemExit(f"benchmark campaign incomplete: {report.failed} {report.refused}")
    return seconds, len(report.done)


def campaign_lines() -> list[str]:
    lines = [TITLE, "Campaign: 2 clones × 1 look (T-shirt, own size, 25 mm) × 4 cameras = 8 "
             "shots, A-pose; each run from a fresh store and folder, timed from the call to "
             "the contact sheet written "
             "(worker start-up included). Two cores: warp's cloth kernels use one core "
             "each, so two drapes run side by side; Cycles is given each worker's share of "
             "the cores (DRESSFORM_RENDER_THREADS).", "",
             "| workload | workers | seconds | shots a minute | scaling vs 1 worker |",
             "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        creds = make_dev_credentials(folder / "keys")
        for renderer, label in (("cycles", "drape + Cycles draft + sign"),
                                ("raster", "rasteriser proofs, drapes made")):
            drapes = folder / "cycles-1" / ".drapes" if renderer == "raster" else None
            base = None
            for workers in (1, 2):
                seconds, shots = _run(renderer, workers, folder, creds, drapes)
                rate = 60.0 * shots / seconds
                base = base or rate
                lines.append(f"| {label} | {workers} | {seconds:.1f} | {rate:.1f} | "
                             f"{rate / base:.2f}× |")
    return lines


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    campaign_lines())
