"""Volume of closed triangle meshes (torch, differentiable, batched)."""

from __future__ import annotations

import torch


def mesh_volume(vertices: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Enclosed volume of closed, consistently oriented meshes.

    Args:
        vertices: (B, V, 3) or (V, 3).
        faces: (F, 3) vertex indices.
    Returns:
        (B,) or () volumes (divergence theorem: sum of signed tetrahedra to the origin).
    """
    v0 = vertices[..., faces[:, 0], :]
    v1 = vertices[..., faces[:, 1], :]
    v2 = vertices[..., faces[:, 2], :]
    return (torch.cross(v0, v1, dim=-1) * v2).sum(dim=(-1, -2)).abs() / 6.0

