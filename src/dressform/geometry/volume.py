"""Volume of closed triangle meshes (torch, differentiable, batched)."""

from __future__ import annotations

import torch


def mesh_volume(vertices: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Enclosed volume of closed, consistently oriented meshes.

    Args:
        vertices: (B, V, 3) or (V, 3).
        faces: (F, 3) vertex indices.
    Returns:
        (B,) or () volumes (divergence theorem).
    """
    # The same sum written as prisms under each face down to z = 0 (the face's mean height
    # times its signed area in the xy-plane): no 3-D cross products.
    x, y, z = vertices[..., 0], vertices[..., 1], vertices[..., 2]
    i, j, k = faces[:, 0], faces[:, 1], faces[:, 2]
    x0, y0 = x[..., i], y[..., i]
    area2 = (x[..., j] - x0) * (y[..., k] - y0) - (x[..., k] - x0) * (y[..., j] - y0)
    return ((z[..., i] + z[..., j] + z[..., k]) * area2).sum(dim=-1).abs() / 6.0

