"""Hanging arms on six bodies: how far each pose turns each arm out from the angles it was
written with (`dressform.body.poses`, `ARM_GAP_M`), and the room it leaves between the arm's
own skin and the trunk and thighs.

`python benchmarks/arms.py [BENCHMARKS.md]`
"""

from __future__ import annotations

import sys
from pathlib import Path

from scipy.spatial import cKDTree

from bench_format import table
from clones import CLONES, replace_section
from dressform.body import build
from dressform.body.mesh import Body
from dressform.body.pose import laid, pose_body
from dressform.body.poses import ARM_BEYOND_M, POSES
from dressform.body.walk import arms_out, gait_of, walk
from dressform.geometry.distance import BodyDistance, open_edge_mask

TITLE = "### hanging arms on six bodies"
#: The poses whose arms hang by the sides (the turned views are these, turned).
HANGING = ("relaxed", "contrapposto", "walking", "step-forward", "power-stance",
           "over-the-shoulder")
TRUNK = ("torso", "hips", "thigh_left", "thigh_right")


def _room(rest: Body, posed: Body, side: str) -> float:
    """The arm's own skin (not its armpit's) nearest the trunk and thighs (m, signed)."""
    under = rest.part_mask(*TRUNK)
    arm = rest.part_mask(f"upper_arm_{side}", f"forearm_{side}", f"hand_{side}")
    arm &= cKDTree(rest.vertices[under]).query(rest.vertices)[0] >= ARM_BEYOND_M
    faces = rest.faces[under[rest.faces].all(axis=1)]
    field = BodyDistance(posed.vertices, faces, open_edge_mask(faces), solid_faces=0)
    return float(field(posed.vertices[arm]).min())


def arm_lines() -> list[str]:
    rows = []
    for name, spec in CLONES.items():
        body = build(spec)
        for pose in HANGING:
            turns = laid(body, POSES[pose]).turns
            posed = pose_body(body, pose)
            turned = [turns[f"upperarm01.{s}"][-1][1] for s in "LR"]
            room = [1000 * _room(body, posed, s) for s in ("left", "right")]
            rows.append((name, pose, f"{turned[0]:.1f} / {turned[1]:.1f}",
                         f"{room[0]:.1f} / {room[1]:.1f}"))
        # The runway walk holds its arms out by the most its cycle needs: the least room
        # over one cycle's frames.
        gait = gait_of(body)
        out = arms_out(body, gait)
        frames = walk(body, gait.cycle_s, 10.0, gait)
        room = [1000 * min(_room(body, f, s) for f in frames) for s in ("left", "right")]
        rows.append((name, "runway walk (least over a cycle)", f"{out[0]:.1f} / {out[1]:.1f}",
                     f"{room[0]:.1f} / {room[1]:.1f}"))
    return [TITLE,
            "Each body of the six-clone set in the poses whose arms hang by the sides: the "
            "turn (degrees, about the shoulder) by which each arm is turned out from the "
            "angles the pose was written with, until its own skin (4 cm or more from the "
            "trunk at rest, not the armpit's) lies `ARM_GAP_M` (10 mm) off the trunk and "
            "thighs, found by bisection to 0.25°; and the signed room left there, measured "
            "on the posed skin (negative inside; a point nearest a corner of the trunk's open "
            "edge, at its armhole, counts as outside). The runway walk turns its arms out "
            "once, by the most any quarter of its cycle needs.", "",
            *table(("body", "pose", "turned out, left / right (°)",
                    "room, left / right (mm)"), rows)]


if __name__ == "__main__":
    replace_section(Path(sys.argv[1] if len(sys.argv) > 1 else "BENCHMARKS.md"), arm_lines())
