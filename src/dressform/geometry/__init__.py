"""Shared geometry: mesh volumes, plane sections, convex-hull tape lengths."""

from dressform.geometry.normals import vertex_normals
from dressform.geometry.sections import (
    Section,
    convex_perimeter,
    hull_chain_length,
    plane_section_loops,
)
from dressform.geometry.volume import mesh_volume

__all__ = [
    "Section",
    "convex_perimeter",
    "hull_chain_length",
    "mesh_volume",
    "plane_section_loops",
    "vertex_normals",
]
