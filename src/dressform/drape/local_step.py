"""The local step of projective dynamics, triangle by triangle, as a compiled kernel (warp,
on the CPU): each triangle's deformation projected to the nearest one its fabric allows.

It runs every iteration of every step on every triangle of the cloth; in numpy it cost a
re-drape more than the linear solves did.
"""

from __future__ import annotations

import numpy as np
import warp as wp

from dressform.geometry.warp_runtime import start_warp


@wp.kernel
def _project(x: wp.array(dtype=wp.vec3d), faces: wp.array(dtype=wp.vec3i),
             coef: wp.array(dtype=wp.float64, ndim=3), stretch_w: wp.array(dtype=wp.float64),
             shear_w: wp.array(dtype=wp.float64), slack: wp.float64, share: wp.float64,
             out: wp.array(dtype=wp.vec3d)):
    t = wp.tid()
    f = faces[t]
    a = x[f[0]]
    b = x[f[1]]
    c = x[f[2]]
    weft = coef[t, 0, 0] * a + coef[t, 1, 0] * b + coef[t, 2, 0] * c
    warp_ = coef[t, 0, 1] * a + coef[t, 1, 1] * b + coef[t, 2, 1] * c
    tiny = wp.float64(1.0e-12)
    one = wp.float64(1.0)
    n0 = wp.length(weft)
    n1 = wp.length(warp_)
    u0 = weft / wp.max(n0, tiny)
    u1 = warp_ / wp.max(n1, tiny)
    bis = u0 + u1
    dif = u0 - u1
    bis = bis / wp.max(wp.length(bis), tiny)
    dif = dif / wp.max(wp.length(dif), tiny)
    root2 = wp.sqrt(wp.float64(2.0))
    s0 = (bis + dif) * (n0 / root2)
    s1 = (bis - dif) * (n1 / root2)
    w0 = stretch_w[2 * t]
    w1 = stretch_w[2 * t + 1]
    out[2 * t] = w0 * (u0 * wp.clamp(n0, one - slack, one) + share * u0) + shear_w[t] * s0
    out[2 * t + 1] = w1 * (u1 * wp.clamp(n1, one - slack, one) + share * u1) + shear_w[t] * s1


class LocalStep:
    """The local step of one cloth (`ClothModel.local`): its triangles, their coefficients
    and weights held as warp arrays, made once; called with the positions, it gives the
    (2T, 3) weighted projections of each triangle's deformation gradient columns F =
    [weft, warp] (column c of triangle t is Σ_k coef[t, k, c] · x[faces[t, k]]): the
    stretch weight k·A times the column with its length clamped into [1 − slack, 1] plus
    `share` of the unit column (a little resistance within the slack), plus the shear
    weight times the column turned, at its own length, to meet the other at a right angle."""

    def __init__(self, faces: np.ndarray, coef: np.ndarray, stretch_w: np.ndarray,
                 shear_w: np.ndarray, slack: float, share: float) -> None:
        start_warp()
        self._faces = wp.array(np.ascontiguousarray(faces, dtype=np.int32), dtype=wp.vec3i,
                               device="cpu")
        self._coef, self._stretch_w, self._shear_w = (
            wp.array(np.ascontiguousarray(a, dtype=np.float64), dtype=wp.float64, device="cpu")
            for a in (coef, stretch_w, shear_w))
        self._slack, self._share = wp.float64(slack), wp.float64(share)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        out = wp.zeros(2 * self._faces.shape[0], dtype=wp.vec3d, device="cpu")
        wp.launch(_project, dim=self._faces.shape[0], device="cpu", inputs=[
            wp.array(np.ascontiguousarray(x, dtype=np.float64), dtype=wp.vec3d, device="cpu"),
            self._faces, self._coef, self._stretch_w, self._shear_w, self._slack, self._share,
            out])
        return out.numpy()
