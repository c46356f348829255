"""Motion: a 60-frame turntable and a 5-second runway walk (30 frames a second, the skirt
simulated frame by frame), at draft quality (256×384), of the campaign scene's clone.

`python benchmarks/motion.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from clones import replace_section
from dressed import dressed_woman, woman
from dressform.body.export import export_glb
from dressform.render.shoot import turntable, walk_video
from dressform.render.studio import Studio

TITLE = "### turntable and walk"
VIDEOS = Path("docs/render")


def dressed_file(folder: Path) -> Path:
    body, skirt = dressed_woman(woman(5), "aline_skirt", "cotton_poplin", (0.62, 0.16, 0.2))
    return export_glb(body, folder / "dressed.glb", [skirt])


def motion_lines() -> list[str]:
    out = Path(__file__).resolve().parents[1] / VIDEOS
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        dressed = dressed_file(Path(tmp))
        t = time.perf_counter()
        turntable(dressed, [out / "turntable.mp4"], frames=60, pose="relaxed",
                  studio=Studio(quality="draft"), hair="long")
        spin = time.perf_counter() - t
        t = time.perf_counter()
        walk_video(dressed, [out / "walk.mp4"], seconds=5.0, fps=30.0,
                   studio=Studio(camera="85mm", quality="draft"), hair="long")
        walked = time.perf_counter() - t
    return [TITLE,
            f"The woman 168/62 (MST-5, long hair) in an A-line poplin skirt, draft quality "
            f"(256×384, Cycles, 4 samples, denoised), editorial light (run "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC). Whole calls, from the dressed "
            f"GLB to the MP4. Videos: `{VIDEOS}/turntable.mp4`, `{VIDEOS}/walk.mp4`.",
            "",
            f"- turntable, 60 frames, relaxed pose (one re-drape into the pose, one Blender "
            f"process): {spin:.0f} s, {spin / 60:.1f} s a frame",
            f"- runway walk, 5 s at 30 frames a second (150 frames; the skirt carried and "
            f"stepped 2 solver steps on every frame, then rendered): {walked:.0f} s, "
            f"{walked / 150:.1f} s a frame"]


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    motion_lines())
