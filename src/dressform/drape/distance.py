"""Signed distance from points to a closed body mesh (metres; negative inside), with warp's
BVH mesh queries on the CPU: the check behind "no cloth inside the body"."""

from __future__ import annotations

import numpy as np
import warp as wp

wp.config.quiet = True


@wp.kernel
def _signed_distance(mesh: wp.uint64, points: wp.array(dtype=wp.vec3),
                     max_dist: float, out: wp.array(dtype=float),
                     nearest: wp.array(dtype=wp.vec3)):
    i = wp.tid()
    p = points[i]
    q = wp.mesh_query_point_sign_normal(mesh, p, max_dist)
    if q.result:
        closest = wp.mesh_eval_position(mesh, q.face, q.u, q.v)
        out[i] = q.sign * wp.length(p - closest)
        nearest[i] = closest
    else:
        out[i] = max_dist
        nearest[i] = p


class BodyDistance:
    """A body mesh ready for distance queries (build once, query many point sets)."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray) -> None:
        self._points = wp.array(np.ascontiguousarray(vertices, dtype=np.float32), dtype=wp.vec3,
                                device="cpu")
        self._faces = wp.array(np.ascontiguousarray(faces, dtype=np.int32).ravel(),
                               dtype=wp.int32, device="cpu")
        self._mesh = wp.Mesh(points=self._points, indices=self._faces)

    def __call__(self, points: np.ndarray, max_dist: float = 1.0) -> np.ndarray:
        """(N,) signed distance of each point to the surface: negative inside the body."""
        return self.query(points, max_dist)[0]

    def query(self, points: np.ndarray, max_dist: float = 1.0
              ) -> tuple[np.ndarray, np.ndarray]:
        """Signed distances (N,) and the nearest surface points (N, 3)."""
        pts = wp.array(np.ascontiguousarray(points, dtype=np.float32), dtype=wp.vec3,
                       device="cpu")
        out = wp.zeros(len(points), dtype=float, device="cpu")
        nearest = wp.zeros(len(points), dtype=wp.vec3, device="cpu")
        wp.launch(_signed_distance, dim=len(points),
                  inputs=[self._mesh.id, pts, max_dist, out, nearest], device="cpu")
        return out.numpy().astype(np.float64), nearest.numpy().astype(np.float64)

    def push_out(self, points: np.ndarray, clearance: float, rounds: int = 4) -> np.ndarray:
        """The points, those nearer the surface than `clearance` (or inside) moved out to
        `clearance` along the line from their nearest surface point (again, a few rounds, for
        points pushed out of one part of the body into another, as in an armpit)."""
        for _ in range(rounds):
            points = self._push_once(points, clearance)
        return points

    def _push_once(self, points: np.ndarray, clearance: float) -> np.ndarray:
        d, near = self.query(points)
        close = d < clearance
        if not close.any():
            return points
        out = points.copy()
        direction = points[close] - near[close]
        norm = np.linalg.norm(direction, axis=1, keepdims=True)
        # Inside, the way out is away from the point; exactly on the surface, use the centroid.
        direction = np.where(norm > 1e-9, direction / np.maximum(norm, 1e-12), 0.0)
        direction *= np.sign(d[close])[:, None] + (d[close] == 0)[:, None]
        out[close] = near[close] + 1.05 * clearance * direction
        return out
