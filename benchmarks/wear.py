"""What dressing every clone costs: a drape with its base layer against the same drape
without, each base-layer style cut and placed, each shoe style made and placed, and the
class mask and coverage check of a still.

`python benchmarks/wear.py` (about 4 minutes on two cores) replaces its section of
BENCHMARKS.md.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_format import table
from clones import replace_section
from dressform.body import BodySpec, build, pose_body
from dressform.body.shoes import SHOE_STYLES, ShoeSpec, make_shoes, shoe_pieces
from dressform.body.underwear import BASE_STYLES, base_layer, base_pieces
from dressform.drape.simulate import drape
from dressform.drape.worn import record, save_dressed, worn_mesh
from dressform.garment.blocks import draft_for
from dressform.render.coverage import check_coverage
from dressform.shoot.still import raster_proof, raster_proof_passes
from timing import median_s

TITLE = "### base layer, shoes and the coverage check"
#: Drapes of each kind, alternated (with, without, with, …) so that both see the same machine.
ROUNDS = 3


def wear_lines() -> list[str]:
    woman = build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62))
    man = build(BodySpec(sex="male", age_years=40, height_cm=180, weight_kg=80))
    tee = draft_for("tshirt", woman)

    def bare() -> object:
        return drape(tee, woman, "cotton_jersey", max_frames=300)

    def dressed() -> object:
        g = drape(tee, woman, "cotton_jersey", max_frames=300)
        layer = base_layer(woman)
        return base_pieces(layer, woman, under=[(g.vertices, g.faces)])

    bare()  # kernels and caches, once
    without, with_ = [], []
    for _ in range(ROUNDS):
        for fn, out in ((dressed, with_), (bare, without)):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    a, b = statistics.median(without), statistics.median(with_)
    rows = [("T-shirt drape, no base layer", f"{a:.2f}"),
            ("T-shirt drape, then the base layer cut for the clone and pulled in under it",
             f"{b:.2f}"),
            ("with / without", f"{b / a:.3f}×")]
    lines = [TITLE,
             f"A woman 168/62 in her own-size T-shirt (cotton jersey), draped to rest, medians "
             f"of {ROUNDS} drapes of each, alternated in one run. The base layer is a second "
             "skin cut from the body (`body.underwear`), not simulated: the drape is the same "
             "drape, and the layer is cut once per clone and placed per pose.", "",
             *table(("drape", "seconds"), rows), ""]

    relaxed = pose_body(woman, "relaxed")
    styles = []
    for style in BASE_STYLES:
        who = man if style in ("trunks",) else woman
        layer = base_layer(who, style)
        posed = relaxed if who is woman else pose_body(man, "relaxed")
        cut = median_s(lambda w=who, s=style: base_layer(w, s), 3)
        place = median_s(lambda lay=layer, p=posed: base_pieces(lay, p), 5)
        pieces = base_pieces(layer, posed)
        styles.append((style, "man" if who is man else "woman",
                       sum(len(p.vertices) for p in pieces), f"{1000 * cut:.0f}",
                       f"{1000 * place:.0f}"))
    lines += ["Each base-layer style: cut once for the clone (rest pose), placed on a pose "
              "(relaxed) as many times as there are poses or frames.", "",
              *table(("style", "body", "vertices", "cut (ms)", "placed in a pose (ms)"),
                     styles), ""]

    shoes = []
    for style in SHOE_STYLES:
        spec = ShoeSpec(style, None)
        made = make_shoes(woman, spec)
        pieces = shoe_pieces(made, relaxed)
        shoes.append((style, f"{spec.heel:.0f}", sum(len(p.vertices) for p in pieces),
                      f"{1000 * median_s(lambda s=spec: make_shoes(woman, s), 3):.0f}",
                      f"{1000 * median_s(lambda m=made: shoe_pieces(m, relaxed), 5):.0f}"))
    lines += ["Each shoe style, made from the clone's own foot and placed on the posed foot.",
              "", *table(("style", "heel (mm)", "vertices (pair)", "made (ms)",
                          "placed in a pose (ms)"), shoes), ""]

    g = drape(tee, woman, "cotton_jersey", max_frames=300)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tee.glb"
        save_dressed(woman, path, [worn_mesh("tshirt", g, (0.2, 0.3, 0.7),
                                             record(tee, "cotton_jersey", g))])
        raster_proof(path)  # GL context, once
        plain = median_s(lambda: raster_proof(path), 3)
        passes = median_s(lambda: raster_proof_passes(path), 3)
        _, mask = raster_proof_passes(path)
    t = time.perf_counter()
    check = check_coverage(mask)
    checked = time.perf_counter() - t
    lines += ["A proof still (raster preview, 512×768, the clone in a T-shirt over her base "
              "layer, in trainers) with and without its class mask, and the coverage check "
              "read from the mask. (Cycles draws its mask as a second, flat pass: see the "
              "photoreal section.)", "",
              *table(("step", "ms", "result"),
                     [("proof still", f"{1000 * plain:.0f}", ""),
                      ("proof still and its class mask", f"{1000 * passes:.0f}",
                       f"{passes / plain:.2f}× the still"),
                      ("coverage check of the mask", f"{1000 * checked:.1f}", str(check))])]
    return lines


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    wear_lines())
