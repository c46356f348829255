"""Garment files: the meshes a dressed clone's GLB carries beside its body, written and read back.

A garment is an :class:`ExtraMesh`: metres in the body's Z-up frame, its pattern's UVs, one
colour (or a colour per vertex, for a fit heat map) and its ``extras`` — what it takes to
simulate it again (pattern JSON, fabric preset, particle spacing). In the GLB each garment is a
mesh of its own after the body's, unskinned and two-sided (cloth is seen from both sides), with
its extras under the mesh's ``extras["dressform_garment"]``, so a dressed clone can be re-draped
into a pose from the file alone. The body itself is :mod:`dressform.body.files`.

A clone's base layer and shoes (`dressform.body.wear`) may be written beside it the same way,
to be seen: an `ExtraMesh` whose extras hold ``WEAR_EXTRAS_KEY`` (its kind, e.g.
"base:briefs") is written with only that under its mesh's extras, and is not a garment:
`load_garments` leaves it out (nothing re-drapes or fits a shoe).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pygltflib

from dressform.body.gltf import (
    BinaryBuilder,
    read_accessor,
    reading_dressform_glb,
    y_up_to_z_up,
    z_up_to_y_up,
)
from dressform.body.skin import linear_to_srgb, srgb_to_linear
from dressform.errors import ExportError
from dressform.geometry.normals import vertex_normals

#: Key of a garment's record in its glTF mesh's ``extras``.
GARMENT_EXTRAS_KEY = "dressform_garment"
#: Key marking a mesh (in `ExtraMesh.extras` and its glTF mesh's ``extras``) as a base-layer
#: or shoe piece, not a garment; its value is the piece's kind ("base:briefs", "shoes:...").
WEAR_EXTRAS_KEY = "dressform_wear"


def is_wear(extras: dict[str, Any] | None) -> bool:
    """Whether a mesh with these (glTF or `ExtraMesh`) extras is wear, not a garment."""
    return extras is not None and WEAR_EXTRAS_KEY in extras


@dataclass(frozen=True)
class ExtraMesh:
    """A mesh to write beside the body (a garment): metres in the body's Z-up frame, its
    UVs (pattern coordinates), and one sRGB colour."""

    name: str
    vertices: np.ndarray
    faces: np.ndarray
    uvs: np.ndarray
    color: tuple[float, float, float]
    roughness: float = 0.85
    #: What it takes to simulate the garment again (its pattern as JSON, fabric preset,
    #: particle spacing), kept in the mesh's glTF extras so a dressed clone can be re-draped
    #: into a pose from the file alone.
    extras: dict[str, Any] = field(default_factory=dict)
    #: (V, 3) sRGB colours per vertex (a fit heat map) painted instead of `color`.
    vertex_colors: np.ndarray | None = None


def add_garments(gltf: pygltflib.GLTF2, garments: Sequence[ExtraMesh]) -> None:
    """Append meshes (unskinned, two-sided) to a body's glTF, after its own buffer data."""
    binary = BinaryBuilder(gltf, gltf.binary_blob() or b"")
    for mesh in garments:
        verts = np.asarray(mesh.vertices, np.float64)
        faces = np.asarray(mesh.faces, np.int64)
        attrs = pygltflib.Attributes(
            POSITION=binary.add(z_up_to_y_up(verts).astype(np.float32), "VEC3",
                                pygltflib.ARRAY_BUFFER, with_bounds=True),
            NORMAL=binary.add(z_up_to_y_up(vertex_normals(verts, faces)).astype(np.float32),
                              "VEC3", pygltflib.ARRAY_BUFFER),
            TEXCOORD_0=binary.add(np.asarray(mesh.uvs, np.float32), "VEC2",
                                  pygltflib.ARRAY_BUFFER),
        )
        indices = binary.add(faces.astype(np.uint32).ravel(), "SCALAR",
                             pygltflib.ELEMENT_ARRAY_BUFFER)
        r, g, b = (srgb_to_linear(c) for c in mesh.color)
        if mesh.vertex_colors is not None:  # glTF multiplies COLOR_0 by the base colour
            # glTF stores COLOR_0 linear.
            linear = srgb_to_linear(np.clip(np.asarray(mesh.vertex_colors, np.float64), 0.0, 1.0))
            attrs.COLOR_0 = binary.add(linear.astype(np.float32), "VEC3", pygltflib.ARRAY_BUFFER)
            r = g = b = 1.0
        gltf.materials.append(pygltflib.Material(
            name=mesh.name, doubleSided=True,
            pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
                baseColorFactor=[r, g, b, 1.0], metallicFactor=0.0,
                roughnessFactor=mesh.roughness)))
        gltf.meshes.append(pygltflib.Mesh(name=mesh.name, primitives=[pygltflib.Primitive(
            attributes=attrs, indices=indices, material=len(gltf.materials) - 1,
            mode=pygltflib.TRIANGLES)], extras=_mesh_extras(mesh)))
        gltf.nodes.append(pygltflib.Node(name=mesh.name, mesh=len(gltf.meshes) - 1))
        gltf.scenes[0].nodes.append(len(gltf.nodes) - 1)
    binary.finish()


def _mesh_extras(mesh: ExtraMesh) -> dict[str, Any]:
    """A mesh's glTF extras: a wear piece's kind, or a garment's record."""
    if is_wear(mesh.extras):
        return {WEAR_EXTRAS_KEY: str(mesh.extras[WEAR_EXTRAS_KEY])}
    return {GARMENT_EXTRAS_KEY: dict(mesh.extras)}


def load_garments(path: str | os.PathLike[str]) -> list[ExtraMesh]:
    """The garments of a dressed clone written by `export_glb` (every mesh after the body's
    but its base layer and shoes), in Z-up metres with their UVs, colours and extras; [] for
    an undressed clone."""
    p = Path(path)
    if p.suffix.lower() != ".glb" or not p.is_file():
        raise ExportError(f"{path}: garments are read from a dressed clone's .glb")
    with reading_dressform_glb(path):
        gltf = pygltflib.GLTF2.load_from_bytes(p.read_bytes())
        blob = gltf.binary_blob() or b""
        out: list[ExtraMesh] = []
        for mesh in gltf.meshes[1:]:
            if is_wear(mesh.extras):  # a base layer or a shoe, drawn, not worn as cloth
                continue
            prim = mesh.primitives[0]
            extras = (mesh.extras or {}).get(GARMENT_EXTRAS_KEY, {})
            material = gltf.materials[prim.material] if prim.material is not None else None
            factor = (material.pbrMetallicRoughness.baseColorFactor
                      if material and material.pbrMetallicRoughness else None) or [1, 1, 1]
            out.append(ExtraMesh(
                mesh.name or f"garment{len(out)}",
                y_up_to_z_up(read_accessor(gltf, blob, prim.attributes.POSITION)
                             .astype(np.float64)),
                read_accessor(gltf, blob, prim.indices).astype(np.int64).reshape(-1, 3),
                read_accessor(gltf, blob, prim.attributes.TEXCOORD_0).astype(np.float64),
                tuple(linear_to_srgb(c) for c in factor[:3]),  # type: ignore[arg-type]
                extras=extras))
    return out


__all__ = ["GARMENT_EXTRAS_KEY", "WEAR_EXTRAS_KEY", "ExtraMesh", "add_garments", "is_wear",
           "load_garments"]
