"""The checks a rested garment must pass: cloth through cloth, body depth, open seams."""

from __future__ import annotations

import numpy as np

from dressform.drape.checks import MAX_INSIDE_M, check, self_intersections


def _sheet(n: int, z: float, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """An n×n grid of 1 cm squares at height z, shifted along x."""
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    v = np.column_stack([0.01 * i.ravel() + shift, 0.01 * j.ravel(), np.full(n * n, z)])
    k = (i[:-1, :-1] * n + j[:-1, :-1]).ravel()
    f = np.concatenate([np.column_stack([k, k + n, k + 1]),
                        np.column_stack([k + 1, k + n, k + n + 1])])
    return v, f


def _two(a, b):
    return np.vstack([a[0], b[0]]), np.vstack([a[1], b[1] + len(a[0])])


def test_a_flat_sheet_and_two_parallel_layers_do_not_intersect():
    v, f = _sheet(8, 0.0)
    assert self_intersections(v, f) == 0
    assert self_intersections(*_two(_sheet(8, 0.0), _sheet(8, 0.004, 0.003))) == 0


def test_a_sheet_through_another_is_found():
    v, f = _two(_sheet(8, 0.0), _sheet(8, 0.0, 0.0))
    # The second sheet stood on edge through the first: rotate it about the x axis.
    second = v[64:].copy()
    v[64:, 1], v[64:, 2] = 0.035, second[:, 1] - 0.035
    assert self_intersections(v, f) > 0


def _folded_through() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sheet, and the sheet with its right half folded back over the left a little too
    far (it passes through): (flat, folded, faces)."""
    v, f = _sheet(10, 0.0)
    folded = v.copy()
    over = folded[:, 0] > 0.045
    folded[over, 0] = 0.09 - folded[over, 0]
    folded[over, 2] = -0.002 + 0.05 * (folded[over, 1] - 0.045)
    return v, folded, f


def test_a_folded_sheet_that_crosses_itself_is_found():
    _, folded, f = _folded_through()
    assert self_intersections(folded, f) > 0


def test_check_reports_depth_and_open_seams():
    v, f = _sheet(5, 0.0)
    c = check(v, f, np.full(len(v), 0.004), seams=np.array([[0, 1]]))
    assert not c.passed and "seam open by 10.0 mm" in c.failures()[0]
    c = check(v, f, np.r_[-0.003, np.full(len(v) - 1, 0.004)], seams=np.array([[0, 0]]))
    assert c.inside_m > MAX_INSIDE_M and c.failures() == ["cloth 3.0 mm inside the body"]
    assert check(v, f, np.full(len(v), 0.004)).passed


def test_one_garment_through_another_is_counted_between_them():
    from dressform.geometry.crossings import crossings

    below, above = _sheet(8, 0.0), _sheet(8, 0.004, 0.003)
    assert crossings(below, above) == 0
    through = (above[0].copy(), above[1])
    through[0][:, 2] = -0.02 + 0.6 * through[0][:, 1]  # tilted down through the first
    assert crossings(below, through) > 0 and self_intersections(*through) == 0


def test_untangle_smooths_a_sheet_folded_through_itself_flat_there_only():
    from dressform.drape.untangle import untangle

    v, folded, f = _folded_through()
    assert self_intersections(folded, f) > 0
    out, moved = untangle(folded, f)
    assert self_intersections(out, f) == 0
    assert 0 < moved.sum() < len(v) and np.array_equal(out[~moved], folded[~moved])


def test_cloth_is_kept_on_its_side_of_cloth_it_would_pass_through():
    from types import SimpleNamespace

    from dressform.drape.projective import _keep_sides

    v, f = _two(_sheet(8, 0.0), _sheet(6, 0.006, 0.005))
    edges = np.sort(np.concatenate([f[:, [0, 1]], f[:, [1, 2]], f[:, [2, 0]]]), axis=1)
    model = SimpleNamespace(faces=f, vertex_count=len(v),
                            neighbours=np.unique(edges[:, 0] * len(v) + edges[:, 1]))
    moved = v.copy()
    moved[64:, 2] -= 0.01  # the upper sheet pushed down through the lower one
    out = _keep_sides(v, moved, model, 0.004, np.zeros(len(v), dtype=bool), rounds=8)
    from scipy.spatial import cKDTree

    below = cKDTree(out[:64, :2]).query(out[64:, :2])[1]
    gap = out[64:, 2] - out[below, 2]
    assert gap.min() > 0.003  # above it again, nearly 4 mm apart
    free = _keep_sides(v, moved, model, 0.004, np.ones(len(v), dtype=bool))
    assert np.array_equal(free, moved)  # vertices already through cloth are left alone
