"""Drape benchmarks: dressform's projective solver against Newton's Style3D on the same
garments (speed, and how far apart their rest shapes are), the ~8k-vertex T-shirt, and the
simulated Cusick drape test of every fabric preset."""

from __future__ import annotations

import time

import numpy as np

from bench_format import table
from dressform.body import BodySpec, build
from dressform.drape.checks import check, self_intersections
from dressform.drape.cloth_mesh import mesh_pattern
from dressform.drape.cusick import drape_test
from dressform.drape.fabrics import PRESETS, fabric_preset
from dressform.drape.folding import fold_bands
from dressform.drape.newton_reference import newton_settle
from dressform.drape.placement import place_panels
from dressform.drape.projective import CLEARANCE_M
from dressform.drape.redrape import redrape
from dressform.drape.simulate import drape, hangs_from_waist, settle, sew
from dressform.garment.blocks import draft
from dressform.garment.sizes import builtin_chart
from dressform.geometry.distance import BodyDistance


def _row(label: str, spacing: float, vertices: int, g) -> str:
    state = "" if g.at_rest else " (not at rest)"
    return (f"| {label} | {spacing:.0f} | {vertices} | {g.frames}{state} | {g.seconds:.1f} | "
            f"{g.seconds / g.frames:.3f} | {1000 * g.contact_m.min():+.1f} |")


def _dc(r) -> str:
    return f"{r.coefficient:.2f}{'' if r.in_published_range else ' (outside)'}"


def _dc_range(fabric) -> str:
    lo, hi = fabric.drape_range or (float("nan"), float("nan"))
    return f"{lo:.2f}–{hi:.2f}"


def _gap_mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The distance (mm) between each vertex of two rests of the same cloth."""
    return np.linalg.norm(a - b, axis=1) * 1000


def _same_start(block: str, pattern, fabric: str, spacing: float, body, slack: float) -> str:
    """A table row: the projective solver and Newton's each settling the same sewn start,
    then each started from the other's rest (does it stay there?)."""
    folded = fold_bands(pattern)
    cloth = mesh_pattern(folded, spacing)
    physics = fabric_preset(fabric).model_copy(update={"compression_slack": slack})
    distance = BodyDistance(body.vertices, body.faces)
    start, _, _ = sew(cloth, place_panels(cloth, folded, body, physics.max_stretch), distance,
                      physics, held=hangs_from_waist(pattern))
    t = time.perf_counter()
    ours, _, _ = settle(cloth, start, distance, physics, 400)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    ref, _, _ = newton_settle(cloth, start, body, physics, 400)
    t_ref = time.perf_counter() - t
    gap = _gap_mm(ours, ref)
    ours_from_ref, _, _ = settle(cloth, distance.push_out(ref, CLEARANCE_M),
                                 distance, physics, 400)
    ref_from_ours, _, _ = newton_settle(cloth, ours, body, physics, 400)
    material = "none (Style3D's)" if slack == 0 else f"{100 * slack:.0f} % (ours)"
    return (f"| {block} | {material} | {t_ours:.1f} / {t_ref:.1f} | {np.median(gap):.1f} | "
            f"{np.quantile(gap, 0.9):.1f} | {np.median(_gap_mm(ours_from_ref, ref)):.1f} / "
            f"{np.median(_gap_mm(ref_from_ours, ours)):.1f} | {(distance(ours) < -0.001).sum()} / "
            f"{(distance(ref) < -0.001).sum()} | {self_intersections(ours, cloth.faces)} / "
            f"{self_intersections(ref, cloth.faces)} |")


def drape_lines() -> list[str]:
    body = build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62))
    size_l = builtin_chart("women").size("L").body_cm
    lines = ["### drape",
             "Size L garments (the chart size that fits her) on a 168 cm / 62 kg woman, from "
             "placement to rest. *projective*: dressform's own solver (sewing, then settling; "
             "steps of 1/30 s × 8 iterations; rest = 99 % of vertices under 1 cm/s for 3 "
             "steps). *newton*: Newton 1.8 SolverStyle3D, 60 fps × 10 substeps × 4 iterations, "
             "body contact 4 mm off the skin (our clearance) at 1000 N/m, the fabric's friction; "
             "rest = every vertex under 1 cm/s for 3 frames; its kernels already compiled (a "
             "fresh environment compiles them once, about a minute). Same meshes, same fabric "
             "presets.",
             "",
             "| garment, solver | spacing (mm) | cloth vertices | steps/frames to rest | "
             "seconds to rest | s/step | deepest vertex (mm, + = outside) |",
             "|---|---|---|---|---|---|---|"]
    skirt = draft("skirt", size_l)
    drape(skirt, body, "cotton_poplin", spacing_mm=40.0, max_frames=2, solver="newton")
    drape(skirt, body, "cotton_poplin", spacing_mm=40.0, max_frames=2)  # warm both up
    compare, same_start = [], []
    for block, fabric, spacing in (("skirt", "cotton_poplin", 25.0),
                                   ("tshirt", "cotton_jersey", 20.0)):
        pattern = draft(block, size_l)
        n = mesh_pattern(fold_bands(pattern), spacing).vertex_count
        ours = drape(pattern, body, fabric, spacing_mm=spacing, max_frames=400)
        ref = drape(pattern, body, fabric, spacing_mm=spacing, max_frames=400,
                    solver="newton")
        lines.append(_row(f"{block}, {fabric}, projective", spacing, n, ours))
        lines.append(_row(f"{block}, {fabric}, newton", spacing, n, ref))
        gap = _gap_mm(ours.vertices, ref.vertices)
        compare.append(f"| {block} | {ref.seconds / ours.seconds:.1f}× | "
                       f"{np.median(gap):.1f} | {np.quantile(gap, 0.9):.1f} | "
                       f"{(ours.contact_m < -0.001).sum()} / {(ref.contact_m < -0.001).sum()} |")
        same_start += [_same_start(block, pattern, fabric, spacing, body, slack)
                       for slack in (fabric_preset(fabric).compression_slack, 0.0)]
    tee = draft("tshirt", size_l)
    bigger = build(BodySpec(sex="female", age_years=30, height_cm=170, weight_kg=68))
    fresh = drape(tee, bigger, "cotton_jersey", spacing_mm=20.0, max_frames=400)
    again = redrape(ours, tee, body, bigger, "cotton_jersey", max_frames=400)
    gap = _gap_mm(again.vertices, fresh.vertices)
    redrape_rows = [
        ("carried from her rest and settled (warm start)", again.frames,
         f"{again.seconds:.1f}{'' if again.at_rest else ' (not at rest)'}",
         f"{again.seconds / fresh.seconds:.2f}", f"{np.median(gap):.1f}"),
        ("draped from scratch on her", fresh.frames, f"{fresh.seconds:.1f}", "1.00", "—")]
    n = mesh_pattern(fold_bands(tee), 10.0).vertex_count
    direct = drape(tee, body, "cotton_jersey", spacing_mm=10.0, max_frames=300, coarse_mm=None)
    big = drape(tee, body, "cotton_jersey", spacing_mm=10.0, max_frames=300)
    lines.append(_row("tshirt, cotton_jersey, projective, sewn at 10 mm", 10.0, n, direct))
    lines.append(_row("tshirt, cotton_jersey, projective, sewn at 20 mm, finished at 10 mm",
                      10.0, n, big))
    fine_checks = check(big.vertices, big.faces, big.contact_m)
    lines += ["",
              "Projective against Newton on the same garment (both from the same mesh; Newton "
              "starts from the fused placement, ours sews the loose panels):",
              "",
              "| garment | Newton's time / ours | median vertex distance between the two rests "
              "(mm) | 90th percentile (mm) | vertices > 1 mm inside the body (ours / Newton) |",
              "|---|---|---|---|---|", *compare,
              "",
              "The two solvers alone, from the same start (the panels sewn by ours, fused and "
              "lifted clear of the body), each settled to rest, then each started from the "
              "other's rest (a rest of one that the other keeps is a rest of both); "
              "compression slack: how far cloth may shorten along its yarns before it resists, "
              "ours by default (`FabricPhysics.compression_slack`) or none (Style3D's energy):",
              "",
              "| garment | compression slack | seconds, ours / Newton | median vertex distance "
              "between the two rests (mm) | 90th percentile (mm) | moved when started from "
              "the other's rest (mm, median: ours from Newton's / Newton from ours) | "
              "vertices > 1 mm inside the body (ours / Newton) | cloth edges through cloth "
              "(ours / Newton) |",
              "|---|---|---|---|---|---|---|---|", *same_start,
              "",
              "Re-drape: the 20 mm T-shirt at rest on her, carried onto a 170 cm / 68 kg woman:",
              "",
              *table(("on the 170 cm / 68 kg woman", "steps", "seconds", "share of the time",
                      "median vertex distance between the two rests (mm)"), redrape_rows),
              "",
              *table(("~8k-vertex T-shirt (10 mm), target: at rest in ≤ 30 s", "result"), [
                  ("sewn and settled at 20 mm, carried onto the 10 mm mesh and settled there "
                   "(coarse to fine, `dressform.drape.refine`, the default under 20 mm)",
                   f"{big.seconds:.1f} s "
                   f"({'within' if big.seconds <= 30.0 and big.at_rest else 'not within'} "
                   "the target)"),
                  ("sewn at 10 mm", f"{direct.seconds:.1f} s"),
                  ("coarse to fine, faster by", f"{direct.seconds / big.seconds:.1f}×"),
                  ("cloth edges through cloth at rest", fine_checks.intersections),
                  ("deepest vertex inside the body", f"{1000 * fine_checks.inside_m:.1f} mm")])]
    lines += ["",
              "### simulated Cusick drape test (`dressform fabric drape-test`)",
              "30 cm disc on an 18 cm support, 8 mm mesh, projective solver (30 iterations a "
              "step, Chebyshev-accelerated, rest under 0.5 cm/s); DC = (shadow − support) / "
              "(disc − support) from the shadow rasterised at 0.5 mm.",
              "",
              "| fabric | g/m² | bending weft/warp (N·m) | drape coefficient | published range "
              "| nodes | steps | seconds | DC with no compression slack (Style3D's energy) |",
              "|---|---|---|---|---|---|---|---|---|"]
    for name, fabric in PRESETS.items():
        t = time.perf_counter()
        r = drape_test(name)
        seconds = time.perf_counter() - t
        stiff = drape_test(fabric.model_copy(update={"compression_slack": 0.0}))
        lines.append(f"| {name} | {fabric.weight_gsm:.0f} | {fabric.bending[0]:.1e} / "
                     f"{fabric.bending[1]:.1e} | {_dc(r)} | {_dc_range(fabric)} | "
                     f"{r.nodes} | {r.steps} | {seconds:.1f} | {_dc(stiff)} |")
    return lines


if __name__ == "__main__":
    # Only this section, spliced into BENCHMARKS.md (`make bench` runs everything).
    import sys
    from pathlib import Path

    from clones import replace_section

    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"), drape_lines())
