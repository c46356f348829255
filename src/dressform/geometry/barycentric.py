"""Barycentric weights of points in triangles, in the plane or in space."""

from __future__ import annotations

import numpy as np


def barycentric(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(..., 3) weights of points `p` in triangles `abc` (arrays (..., D) that broadcast, D = 2
    or 3; a point off a triangle's plane gets the weights of its foot on it). From the Gram
    matrix of the edges, so the same formula serves 2-D patterns and 3-D cloth; a degenerate
    triangle gives finite, meaningless weights."""
    e0, e1, e2 = b - a, c - a, p - a
    d00, d01, d11 = (e0 * e0).sum(-1), (e0 * e1).sum(-1), (e1 * e1).sum(-1)
    d20, d21 = (e2 * e0).sum(-1), (e2 * e1).sum(-1)
    den = np.maximum(d00 * d11 - d01 * d01, 1e-30)
    v = (d11 * d20 - d01 * d21) / den
    w = (d00 * d21 - d01 * d20) / den
    return np.stack([1.0 - v - w, v, w], axis=-1)
