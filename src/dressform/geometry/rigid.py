"""The best rigid motion between two sets of matching points."""

from __future__ import annotations

import numpy as np


def rigid_fit(old: np.ndarray, new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rotation `r` and translation `t` that best move points `old` onto `new` (least
    squares, Kabsch; a reflection is never returned): `new ≈ old @ r.T + t`."""
    old, new = np.asarray(old, dtype=np.float64), np.asarray(new, dtype=np.float64)
    co, cn = old.mean(axis=0), new.mean(axis=0)
    u, _, vt = np.linalg.svd((old - co).T @ (new - cn))
    d = np.sign(np.linalg.det(vt.T @ u.T))
    r = vt.T @ np.diag([1.0, 1.0, d]) @ u.T
    return r, cn - r @ co
