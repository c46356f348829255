"""Drape benchmarks: a skirt simulated to rest on a clone with Newton's Style3D solver."""

from __future__ import annotations

import time

from dressform.body import BodySpec, build
from dressform.drape.cloth_mesh import mesh_pattern
from dressform.drape.simulate import drape, without_panels
from dressform.garment.blocks import draft
from dressform.garment.sizes import builtin_chart


def drape_lines() -> list[str]:
    body = build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62))
    skirt = without_panels(draft("skirt", builtin_chart("women").size("M").body_cm),
                           ["waistband"])
    lines = ["### drape (Newton 1.8 SolverStyle3D, CPU, one warp thread)",
             "Straight skirt, size M (its waistband not yet placed), on a 168 cm / 62 kg woman;"
             " 60 fps × 10 substeps × 4 iterations; rest = largest vertex speed under 1 cm/s for"
             " 3 frames. Kernels already compiled (the first run in a fresh environment compiles"
             " them once, about a minute).",
             "",
             "| spacing (mm) | cloth vertices | mesh (ms) | frames to rest | seconds to rest | "
             "s/frame | deepest vertex (mm, + = outside) |",
             "|---|---|---|---|---|---|---|"]
    drape(skirt, body, "cotton_poplin", spacing_mm=40.0, max_frames=2)  # compile and warm up
    for spacing in (25.0, 15.0):
        t = time.perf_counter()
        cloth = mesh_pattern(skirt, spacing)
        meshed = time.perf_counter() - t
        g = drape(skirt, body, "cotton_poplin", spacing_mm=spacing, max_frames=300)
        lines.append(f"| {spacing:.0f} | {cloth.vertex_count} | {meshed * 1000:.0f} | "
                     f"{g.frames}{'' if g.at_rest else ' (not at rest)'} | {g.seconds:.1f} | "
                     f"{g.seconds / g.frames:.2f} | {1000 * g.contact_m.min():+.1f} |")
    return lines
