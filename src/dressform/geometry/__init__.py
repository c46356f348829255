"""Shared geometry: mesh volumes, plane sections, convex-hull tape lengths.

The names below load on first use: `mesh_volume` is torch's, and most users of this package
(distances, normals, crossings) need none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dressform.lazy import exports

if TYPE_CHECKING:
    from dressform.geometry.normals import vertex_normals
    from dressform.geometry.sections import (
        Section,
        convex_perimeter,
        hull_chain_length,
        plane_section_loops,
    )
    from dressform.geometry.volume import mesh_volume

_HOMES = {"vertex_normals": "normals", "Section": "sections", "convex_perimeter": "sections",
          "hull_chain_length": "sections", "plane_section_loops": "sections",
          "mesh_volume": "volume"}
__all__ = ["Section", "convex_perimeter", "hull_chain_length", "mesh_volume", "plane_section_loops",
           "vertex_normals"]
__getattr__ = exports(__name__, _HOMES)
