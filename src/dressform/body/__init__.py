"""Clones: build a body from a `BodySpec` with anny, measure it, fit it to tape measurements,
sample diverse casts, pose them.

The names below load on first use: `build` brings in torch and anny (seconds), and the
command line's `--help` imports light submodules such as `body.face`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dressform.lazy import exports

if TYPE_CHECKING:
    from dressform.body.bodies import build, build_many
    from dressform.body.mesh import Body, Skeleton
    from dressform.body.pose import pose_body
    from dressform.body.poses import POSES
    from dressform.body.rig import Pose
    from dressform.body.spec import BodySpec, Ethnicity, make_spec

_HOMES = {"build": "bodies", "build_many": "bodies", "Body": "mesh", "Skeleton": "mesh",
          "POSES": "poses", "Pose": "rig", "pose_body": "pose", "BodySpec": "spec",
          "Ethnicity": "spec", "make_spec": "spec"}
__all__ = ["POSES", "Body", "BodySpec", "Ethnicity", "Pose", "Skeleton", "build", "build_many",
           "make_spec", "pose_body"]
__getattr__ = exports(__name__, _HOMES)
