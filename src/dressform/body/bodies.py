"""Build `Body` meshes from `BodySpec`s with anny (one at a time or in batches)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from dressform.body.mesh import Body, Skeleton
from dressform.body.model import AnnyModel, AnnyParams, get_model
from dressform.body.params import specs_to_params
from dressform.body.parts import PART_NAMES
from dressform.body.spec import BodySpec

_BATCH = 64  # bodies per anny call: big enough to amortise, small enough for memory


def build(spec: BodySpec | None = None) -> Body:
    """The clone described by `spec` (default: an average adult woman)."""
    return build_many([spec or BodySpec()])[0]


def build_many(specs: Sequence[BodySpec]) -> list[Body]:
    """Bodies for many specs, evaluated in batches."""
    model = get_model()
    bodies: list[Body] = []
    for start in range(0, len(specs), _BATCH):
        chunk = list(specs[start : start + _BATCH])
        params = specs_to_params(chunk, model)
        bodies.extend(bodies_from_params(params, chunk, model))
    return bodies


def bodies_from_params(
    params: AnnyParams, specs: Sequence[BodySpec], model: AnnyModel | None = None
) -> list[Body]:
    model = model or get_model()
    with torch.no_grad():
        verts, heads = model.rest_shape(params)
    verts_np = verts.double().numpy()
    heads_np = heads.double().numpy()
    out = []
    for i, spec in enumerate(specs):
        floor = verts_np[i, :, 2].min()
        shift = np.array([0.0, 0.0, floor])
        out.append(
            Body(
                vertices=verts_np[i] - shift,
                faces=model.faces,
                uvs=model.uvs,
                face_uvs=model.face_uvs,
                skeleton=Skeleton(model.bone_names, model.bone_parents, heads_np[i] - shift),
                skin_weights=model.skin_weights,
                skin_joints=model.skin_joints,
                part_ids=model.part_ids,
                part_names=PART_NAMES,
                spec=spec,
            )
        )
    return out

