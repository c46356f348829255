"""Clones: build a body from a `BodySpec` with anny, measure it, fit it to tape measurements,
sample diverse casts."""

from dressform.body.build import build, build_many
from dressform.body.mesh import Body, Skeleton
from dressform.body.spec import BodySpec, Ethnicity, make_spec

__all__ = ["Body", "BodySpec", "Ethnicity", "Skeleton", "build", "build_many", "make_spec"]
