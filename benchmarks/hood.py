"""A hoodie's hood worn up and worn down (`drape(hood=...)`) on the six clones, in
the size their girths pick: seconds, solver steps, rest, cloth through cloth, depth in the
body and how high the hood reaches; and a picture of each (`docs/hood.png`) to look at.

`python benchmarks/hood.py [BENCHMARKS.md]` runs only this and replaces its section.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bench_format import table
from clones import CLONES, replace_section
from dressform.body import build
from dressform.body.measure import measure
from dressform.drape.checks import self_intersections
from dressform.drape.simulate import drape
from dressform.errors import DressformError
from dressform.fit.advice import chart_name_for
from dressform.garment.blocks import draft_size, fitting_size
from dressform.garment.sizes import builtin_chart
from dressform.render.camera import Camera
from dressform.render.preview import PreviewMesh, contact_sheet, render_meshes

TITLE = "### a hood up and down"
PICTURE = Path("docs/hood.png")
BODIES = tuple(CLONES)
SKIN, CLOTH = (0.80, 0.65, 0.55), (0.30, 0.40, 0.60)


def hood_lines(picture: Path = PICTURE) -> list[str]:
    rows, tiles, labels = [], [], []
    for name in BODIES:
        spec = CLONES[name]
        body = build(spec)
        girths = measure(body).as_dict()
        size = fitting_size("hoodie", builtin_chart(chart_name_for(spec)), girths)
        hoodie = draft_size("hoodie", size, spec.height_cm, girths)
        v, parts = np.asarray(body.vertices), np.asarray(body.part_ids)
        head = v[parts == body.part_names.index("head")]
        chin = float(head[:, 2].min())
        for hood in ("up", "down"):
            try:
                g = drape(hoodie, body, "cotton_jersey", hood=hood)
            except DressformError as e:
                rows.append((name, size.label, hood, "", "", "", "", "", f"refused: {e}"))
                continue
            mine = np.isin(g.panel, [k for k, n in enumerate(g.panel_names)
                                     if n.startswith("hood")])
            rows.append((name, size.label, hood, f"{g.seconds:.0f}", g.frames,
                         "yes" if g.at_rest else "no",
                         self_intersections(g.vertices, g.faces),
                         f"{max(0.0, -1000 * float(g.contact_m.min())):.1f}",
                         f"{100 * (float(g.vertices[mine, 2].max()) - chin):.0f}"))
            for azimuth in (0, 150):
                tiles.append(render_meshes(
                    [PreviewMesh(v, np.asarray(body.faces), SKIN),
                     PreviewMesh(g.vertices, g.faces, CLOTH)], width=384, height=512,
                    camera=Camera(azimuth_deg=azimuth, elevation_deg=15,
                                  frame_min=(-0.25, -0.2, chin - 0.35),
                                  frame_max=(0.25, 0.2, float(head[:, 2].max()) + 0.02))))
                labels.append(f"{name}, hood {hood}")
    contact_sheet(tiles, labels, columns=8).save(picture)
    return [TITLE,
            "A size-fitted hoodie (cotton_jersey, 12 mm) draped with its hood up and with it "
            "down (sewn on up, pushed off the head with the head above the jaw left out of "
            "the collider, then settled: `dressform.drape.hood`). Seconds and steps are the "
            "whole drape's; the hood's top is its highest cloth above the chin. Pictures "
            f"(front, and from behind): `{picture}`.",
            "",
            *table(("body", "size", "hood", "seconds", "steps", "at rest",
                    "edges through cloth", "inside the body (mm)",
                    "hood's top above the chin (cm)"), rows)]


if __name__ == "__main__":
    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"), hood_lines())
