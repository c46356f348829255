"""Timing helpers shared by the benchmark sections."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:.1f} ms (median of {len(xs)})"


def median_s(fn: Callable[[], object], repeat: int) -> float:
    """The median of `repeat` timed calls of `fn`, in seconds."""
    return statistics.median(timed(fn, repeat))

