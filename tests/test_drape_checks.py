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


def test_a_folded_sheet_that_crosses_itself_is_found():
    v, f = _sheet(10, 0.0)
    folded = v.copy()
    over = folded[:, 0] > 0.045
    # Fold the right half back over the left, a little too far: it passes through.
    folded[over, 0] = 0.09 - folded[over, 0]
    folded[over, 2] = -0.002 + 0.05 * (folded[over, 1] - 0.045)
    assert self_intersections(folded, f) > 0


def test_check_reports_depth_and_open_seams():
    v, f = _sheet(5, 0.0)
    c = check(v, f, np.full(len(v), 0.004), seams=np.array([[0, 1]]))
    assert not c.passed and "seam open by 10.0 mm" in c.failures()[0]
    c = check(v, f, np.r_[-0.003, np.full(len(v) - 1, 0.004)], seams=np.array([[0, 0]]))
    assert c.inside_m > MAX_INSIDE_M and c.failures() == ["cloth 3.0 mm inside the body"]
    assert check(v, f, np.full(len(v), 0.004)).passed


def test_one_garment_through_another_is_counted_between_them():
    from dressform.drape.checks import crossings

    below, above = _sheet(8, 0.0), _sheet(8, 0.004, 0.003)
    assert crossings(below, above) == 0
    through = (above[0].copy(), above[1])
    through[0][:, 2] = -0.02 + 0.6 * through[0][:, 1]  # tilted down through the first
    assert crossings(below, through) > 0 and self_intersections(*through) == 0
