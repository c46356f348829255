"""Contact pressure of stretched cloth on the body, by the membrane (Laplace) law.

A stretched membrane curved round a body presses on it with p = T₁κ₁ + T₂κ₂ (tensions along
the principal curvature directions). A garment's larger tension runs round the body — hoop
tension round the torso, the arm, the leg — where its curvature is greatest, so dressform
estimates p ≈ 2H · max(T_weft, T_warp): exact for a tube stretched round a cylinder (2H = 1/R,
p = T/R) and for cloth stretched evenly over a dome. T = stretch stiffness × strain (N/m) of
the cloth, H the surface's mean curvature (cotangent Laplacian). Only cloth touching the skin
presses; slack cloth (no stretch) presses with its weight alone, which is neglected.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix

from dressform.geometry.edges import boundary_vertices


def vertex_average(faces: np.ndarray, face_values: np.ndarray, n_vertices: int,
                   vertices: np.ndarray) -> np.ndarray:
    """Per-vertex area-weighted average of per-triangle values ((F,) or (F, k))."""
    tri = vertices[faces]
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    values = face_values.reshape(len(faces), -1)
    total = np.zeros((n_vertices, values.shape[1]))
    weight = np.zeros(n_vertices)
    for k in range(3):
        np.add.at(total, faces[:, k], area[:, None] * values)
        np.add.at(weight, faces[:, k], area)
    out = total / np.maximum(weight, 1e-18)[:, None]
    return out.reshape((n_vertices, *face_values.shape[1:]))


def mean_curvature(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(V,) unsigned mean curvature H (1/m) by the cotangent Laplacian (0 on open edges)."""
    v = vertices
    n = len(v)
    rows, cols, vals = [], [], []
    area = np.zeros(n)
    for k in range(3):
        i, j, o = faces[:, k], faces[:, (k + 1) % 3], faces[:, (k + 2) % 3]
        a, b = v[i] - v[o], v[j] - v[o]
        cross = np.linalg.norm(np.cross(a, b), axis=1)
        cot = (a * b).sum(axis=1) / np.maximum(cross, 1e-18)
        rows += [i, j]
        cols += [j, i]
        vals += [0.5 * cot, 0.5 * cot]
        np.add.at(area, i, cross / 6.0)
    lap = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                     shape=(n, n)).tocsr()
    delta = lap @ v - np.asarray(lap.sum(axis=1)) * v
    h = 0.5 * np.linalg.norm(delta, axis=1) / np.maximum(area, 1e-18)
    h[boundary_vertices(faces)] = 0.0
    return h


def contact_pressure_pa(vertices: np.ndarray, faces: np.ndarray, strain: np.ndarray,
                        touching: np.ndarray, stiffness: tuple[float, float]) -> np.ndarray:
    """(V,) pressure (Pa) of the cloth on the skin where it touches (`touching`, (V,) bool).

    strain: (F, 2+) weft and warp strain per triangle; stiffness: weft and warp stretch
    stiffness (N/m) of the fabric."""
    per_vertex = vertex_average(faces, strain[:, :2], len(vertices), vertices)
    tension = np.maximum(per_vertex, 0.0) * np.asarray(stiffness)[None]
    pressure = 2.0 * mean_curvature(vertices, faces) * tension.max(axis=1)
    return np.where(touching, pressure, 0.0)
