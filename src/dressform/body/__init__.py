"""Clones: build a body from a `BodySpec` with anny, measure it, fit it to tape measurements,
sample diverse casts, pose them."""

from dressform.body.build import build, build_many
from dressform.body.mesh import Body, Skeleton
from dressform.body.pose import POSES, Pose, pose_body
from dressform.body.spec import BodySpec, Ethnicity, make_spec

__all__ = ["POSES", "Body", "BodySpec", "Ethnicity", "Pose", "Skeleton", "build", "build_many",
           "make_spec", "pose_body"]
