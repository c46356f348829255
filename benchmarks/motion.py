"""Motion: a 60-frame turntable and a 5-second runway walk (30 frames a second, the skirt
and its T-shirt simulated frame by frame), at draft quality (256×384), of the campaign
scene's clone.

`python benchmarks/motion.py` runs only this and replaces its section of BENCHMARKS.md;
`make bench` runs it with everything else.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench_format import table
from clones import replace_section
from dressed import dressed_woman, woman
from dressform.drape.worn import save_dressed
from dressform.render.studio import Studio
from dressform.shoot.motion import turntable, walk_video

TITLE = "### turntable and walk"
VIDEOS = Path("docs/render")


def dressed_file(folder: Path) -> Path:
    body, skirt = dressed_woman(woman(5), "aline_skirt", "cotton_poplin", (0.62, 0.16, 0.2))
    return save_dressed(body, folder / "dressed.glb", [skirt.mesh])


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
            "The woman 168/62 (MST-5, long hair) in an A-line poplin skirt, styled as a "
            "complete look (her own-size T-shirt tucked in, drafted and draped by the call), "
            "over her base layer, in trainers; draft quality "
            "(256×384, Cycles, 4 samples, denoised), editorial light; whole calls, from the "
            f"dressed GLB to the MP4. Videos: `{VIDEOS}/turntable.mp4`, `{VIDEOS}/walk.mp4`.",
            "",
            *table(("video", "frames", "seconds", "seconds a frame"), [
                ("turntable, relaxed pose (the look completed, one re-drape of both layers into "
                 "the pose, one Blender process)",
                 60, f"{spin:.0f}", f"{spin / 60:.1f}"),
                ("runway walk, 5 s at 30 frames a second (the skirt and the T-shirt in it "
                 "carried and stepped 2 solver steps each on every frame, then rendered)", 150,
                 f"{walked:.0f}",
                 f"{walked / 150:.1f}")])]


if __name__ == "__main__":
    replace_section(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("BENCHMARKS.md"),
                    motion_lines())
