"""Contact with the body looked up twice a step against at every iteration: the re-drape of
`redrape.py` (a 12 mm T-shirt on the woman 168/62 into every shoot pose) run with this
checkout's solver and with the commit before the change, in the same run.

`python benchmarks/contact.py [BENCHMARKS.md]` runs only this and replaces its section.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench_format import table
from clones import replace_section
from redrape import baseline, measure

#: The commit before contact was looked up twice a step (with the distance queries already
#: split over the cores).
BEFORE = "7eeadcb"
TITLE = "### contact looked up once a step"


def contact_lines(ref: str = BEFORE) -> list[str]:
    from dressform.body.pose import pose_names

    poses = [p for p in pose_names() if p != "a-pose"]
    before = {r["pose"]: r for r in baseline(ref, poses)}
    after = measure(poses)
    rows = []
    for a in after:
        b = before[a["pose"]]
        rows.append((a["pose"], f"{b['seconds']:.1f}", f"{a['seconds']:.1f}",
                     f"{b['seconds'] / a['seconds']:.2f}×",
                     f"{b['steps']} / {a['steps']}",
                     f"{'yes' if b['rest'] else 'no'} / {'yes' if a['rest'] else 'no'}",
                     f"{b['through']} / {a['through']}",
                     f"{b['inside_mm']:.1f} / {a['inside_mm']:.1f}"))
    return [TITLE,
            f"A size L T-shirt (cotton_jersey, 12 mm, {after[0]['vertices']} vertices) at rest "
            "on the woman 168/62 re-draped into each shoot pose (as in \"re-drape into the "
            f"shoot poses\"), with commit {ref} (before: the body looked up at each of a "
            "step's eight iterations) and with this checkout's (after: looked up at the "
            "first iteration and at the step's end, the iterations between keeping its "
            "contact planes), one after the other in this run.", "",
            *table(("pose", "seconds before", "seconds after", "faster by",
                    "steps before / after", "at rest before / after",
                    "cloth edges through cloth before / after",
                    "deepest inside the body, mm, before / after"), rows)]


if __name__ == "__main__":
    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"),
                    contact_lines())
