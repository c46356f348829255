"""Signed distance from points to a closed body mesh (metres; negative inside), with warp's
BVH mesh queries on the CPU: the check behind "no cloth inside the body"."""

from __future__ import annotations

import numpy as np
import warp as wp

from dressform.geometry.edges import boundary_vertices, unshared_sides
from dressform.geometry.normals import vertex_normals
from dressform.geometry.warp_runtime import in_parallel, warp_mesh


@wp.kernel
def _signed_distance(mesh: wp.uint64, points: wp.array(dtype=wp.vec3),
                     max_dist: float, open_edges: wp.array(dtype=wp.int32),
                     out: wp.array(dtype=float), nearest: wp.array(dtype=wp.vec3)):
    i = wp.tid()
    p = points[i]
    q = wp.mesh_query_point_sign_normal(mesh, p, max_dist)
    if q.result:
        closest = wp.mesh_eval_position(mesh, q.face, q.u, q.v)
        sign = q.sign
        # Nearest to an open edge (a garment's hem or waistband top) or a corner on one,
        # the point is beside the surface, not behind it: outside.
        edges = open_edges[q.face]
        w = 1.0 - q.u - q.v
        eps = 1.0e-4
        if ((edges & 1) != 0 and q.u < eps) or ((edges & 2) != 0 and q.v < eps) or \
                ((edges & 4) != 0 and w < eps):
            sign = 1.0
        if ((edges & 8) != 0 and q.u > 1.0 - eps) or ((edges & 16) != 0 and q.v > 1.0 - eps) \
                or ((edges & 32) != 0 and w > 1.0 - eps):
            sign = 1.0
        out[i] = sign * wp.length(p - closest)
        nearest[i] = closest
    else:
        out[i] = max_dist
        nearest[i] = p


@wp.kernel
def _gap_along(mesh: wp.uint64, starts: wp.array(dtype=wp.vec3),
               directions: wp.array(dtype=wp.vec3), max_gap: float, solid: int,
               out: wp.array(dtype=float)):
    i = wp.tid()
    q = wp.mesh_query_ray(mesh, starts[i], directions[i], max_gap)
    # Only the body met from outside closes a gap. Met from behind, a surface is one the
    # point is already inside; a garment worn under (faces from `solid` on) is soft, and
    # its folds overlap: cloth over it is kept off it by its own thickness, not squeezed.
    if q.result and q.sign > 0.0 and q.face < solid:
        out[i] = q.t
    else:
        out[i] = max_gap


def open_edge_mask(faces: np.ndarray) -> np.ndarray:
    """(F,) bit mask per triangle of its edges that no other triangle shares: bit 0 the edge
    opposite corner 0 (corners 1–2), bit 1 opposite corner 1, bit 2 opposite corner 2; and
    of its corners on such an edge (bits 3–5, corners 0–2), which a triangle that meets the
    edge only at a corner does not know from its own sides."""
    f = np.asarray(faces, dtype=np.int64)
    on_edge = np.zeros(int(f.max(initial=-1)) + 1, dtype=bool)
    on_edge[boundary_vertices(f)] = True
    return ((unshared_sides(f) * np.array([1, 2, 4])).sum(axis=1)
            + (on_edge[f] * np.array([8, 16, 32])).sum(axis=1)).astype(np.int32)


class BodyDistance:
    """A body mesh ready for distance queries (build once, query many point sets)."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray,
                 open_edges: np.ndarray | None = None, solid_faces: int | None = None
                 ) -> None:
        """`open_edges`: optional `open_edge_mask` of faces that belong to open surfaces
        (garments worn under); a closed body needs none. `solid_faces`: the first this many
        faces are the body's (the rest are garments worn under); all of them by default."""
        self._points, self._faces, self._mesh = warp_mesh(vertices, faces)
        self._solid = len(faces) if solid_faces is None else solid_faces
        self.vertices = np.asarray(vertices, dtype=np.float64)
        self.normals = vertex_normals(self.vertices, np.asarray(faces))
        mask = np.zeros(len(faces), dtype=np.int32) if open_edges is None else open_edges
        self._open = wp.array(np.ascontiguousarray(mask, dtype=np.int32), dtype=wp.int32,
                              device="cpu")

    def __call__(self, points: np.ndarray, max_dist: float = 1.0) -> np.ndarray:
        """(N,) signed distance of each point to the surface: negative inside the body."""
        return self.query(points, max_dist)[0]

    def query(self, points: np.ndarray, max_dist: float = 1.0
              ) -> tuple[np.ndarray, np.ndarray]:
        """Signed distances (N,) and the nearest surface points (N, 3)."""
        def part(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            pts = wp.array(np.ascontiguousarray(p, dtype=np.float32), dtype=wp.vec3,
                           device="cpu")
            out = wp.zeros(len(p), dtype=float, device="cpu")
            nearest = wp.zeros(len(p), dtype=wp.vec3, device="cpu")
            wp.launch(_signed_distance, dim=len(p),
                      inputs=[self._mesh.id, pts, max_dist, self._open, out, nearest],
                      device="cpu")
            return out.numpy().astype(np.float64), nearest.numpy().astype(np.float64)

        d, near = in_parallel(_signed_distance, part, np.asarray(points))
        return d, near

    def gaps(self, surface_points: np.ndarray, outward: np.ndarray, max_gap: float
             ) -> np.ndarray:
        """(N,) how far each surface point can go out along its unit `outward` direction
        before it meets the body again, from outside (capped at `max_gap`): the width of the
        gap between two body parts there (an arm hanging against the side), which cloth
        caught in it must share."""
        if not len(surface_points):
            return np.zeros(0)
        # Start just off the surface, or the ray would find the face it starts on.
        lift = 1e-5

        def part(p: np.ndarray, way: np.ndarray) -> tuple[np.ndarray]:
            out = wp.zeros(len(p), dtype=float, device="cpu")
            wp.launch(_gap_along, dim=len(p),
                      inputs=[self._mesh.id,
                              wp.array(np.ascontiguousarray(p + lift * way, dtype=np.float32),
                                       dtype=wp.vec3, device="cpu"),
                              wp.array(np.ascontiguousarray(way, dtype=np.float32),
                                       dtype=wp.vec3, device="cpu"), max_gap, self._solid,
                              out],
                      device="cpu")
            return (out.numpy().astype(np.float64),)

        (gap,) = in_parallel(_gap_along, part, np.asarray(surface_points),
                             np.asarray(outward))
        return np.minimum(gap + lift, max_gap)

    def push_out(self, points: np.ndarray, clearance: float, rounds: int = 4) -> np.ndarray:
        """The points, those nearer the surface than `clearance` (or inside) moved out to
        `clearance` along the line from their nearest surface point (again, a few rounds, for
        points pushed out of one part of the body into another, as in an armpit). In a gap
        narrower than twice `clearance` (thighs that nearly touch) no place is that far from
        both sides: a point outside that the rounds left inside stays where it was."""
        start = points
        for _ in range(rounds):
            points = self._push_once(points, clearance)
        lost = (self(points) < 0.0) & (self(start) >= 0.0)
        return np.where(lost[:, None], start, points)

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


@wp.kernel
def _nearest_on_mesh(mesh: wp.uint64, points: wp.array(dtype=wp.vec3), max_dist: float,
                     face: wp.array(dtype=wp.int32), bary: wp.array(dtype=wp.vec3),
                     nearest: wp.array(dtype=wp.vec3)):
    i = wp.tid()
    q = wp.mesh_query_point_no_sign(mesh, points[i], max_dist)
    if q.result:
        face[i] = q.face
        bary[i] = wp.vec3(q.u, q.v, 1.0 - q.u - q.v)
        nearest[i] = wp.mesh_eval_position(mesh, q.face, q.u, q.v)
    else:
        face[i] = -1


class SurfaceQuery:
    """Nearest points on a moving, open triangle mesh (the cloth): its BVH is refitted, not
    rebuilt, when the vertices move."""

    def __init__(self, vertices: np.ndarray, faces: np.ndarray) -> None:
        self._points, self._faces, self._mesh = warp_mesh(vertices, faces)

    def update(self, vertices: np.ndarray) -> None:
        self._points.assign(np.ascontiguousarray(vertices, dtype=np.float32))
        self._mesh.refit()

    def nearest(self, points: np.ndarray, max_dist: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per point: the nearest face (−1 if none within `max_dist`), barycentric weights of
        the face's three vertices, and the nearest point."""
        def part(p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            n = len(p)
            pts = wp.array(np.ascontiguousarray(p, dtype=np.float32), dtype=wp.vec3,
                           device="cpu")
            face = wp.zeros(n, dtype=wp.int32, device="cpu")
            bary = wp.zeros(n, dtype=wp.vec3, device="cpu")
            nearest = wp.zeros(n, dtype=wp.vec3, device="cpu")
            wp.launch(_nearest_on_mesh, dim=n, inputs=[self._mesh.id, pts, max_dist, face,
                                                       bary, nearest], device="cpu")
            return (face.numpy(), bary.numpy().astype(np.float64),
                    nearest.numpy().astype(np.float64))

        face, bary, nearest = in_parallel(_nearest_on_mesh, part, np.asarray(points))
        return face, bary, nearest
