"""Warp, the kernel runtime behind the distance queries, started once and quietly."""

from __future__ import annotations

import functools
import itertools
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import warp as wp

#: What Warp's native library prints on stderr on a machine with no NVIDIA driver: dressform
#: runs its kernels on the CPU, so there it is noise, not a warning.
NO_DRIVER = "Warp CUDA warning: Could not find or load the NVIDIA CUDA driver"


@functools.cache
def start_warp() -> None:
    """Initialise Warp (once per process) with its no-GPU notice dropped; anything else its
    native library prints at start passes through to stderr."""
    import warp as wp

    # Warp's start-up banner, kernel-cache lines and no-GPU warning are noise on a CPU-only
    # machine: progress bars say what is happening.
    wp.config.log_level = wp.LOG_ERROR
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            wp.init()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        caught.seek(0)
        said = caught.read().decode(errors="replace")
    rest = without_notice(said)
    if rest:
        print(rest, file=sys.stderr)


def without_notice(said: str) -> str:
    """What Warp printed at start, less its no-GPU notice."""
    return "\n".join(line for line in said.splitlines() if not line.startswith(NO_DRIVER))


def warp_mesh(vertices: np.ndarray, faces: np.ndarray) -> tuple[wp.array, wp.array, wp.Mesh]:
    """Warp arrays of a triangle mesh and its BVH (the arrays must outlive the mesh), warp
    started first."""
    import warp as wp

    start_warp()
    points = wp.array(np.ascontiguousarray(vertices, dtype=np.float32), dtype=wp.vec3,
                      device="cpu")
    indices = wp.array(np.ascontiguousarray(faces, dtype=np.int32).ravel(), dtype=wp.int32,
                       device="cpu")
    return points, indices, wp.Mesh(points=points, indices=indices)


#: Queries of fewer points than this per core run in one piece: a thread costs more than it
#: saves there.
MIN_SHARE = 256
_pools: dict[int, ThreadPoolExecutor] = {}
_warm: set[object] = set()
_lock = threading.Lock()


def in_parallel(kernel: object, query: Callable[..., tuple[np.ndarray, ...]],
                *per_point: np.ndarray) -> tuple[np.ndarray, ...]:
    """`query(*per_point)` (a launch of `kernel` over points, returning arrays with a row
    per point) run on the points in shares, one per core, at once: Warp runs a CPU kernel
    on one thread and lets go of the interpreter while it does. Each point is computed as
    it would be alone, so the result is the same to the bit. A kernel's first launch runs
    whole, so that Warp loads it once, not on two threads."""
    n = len(per_point[0])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        os.cpu_count() or 1
    shares = min(cores, n // MIN_SHARE)
    with _lock:
        warm = kernel in _warm
        _warm.add(kernel)
    if shares < 2 or not warm:
        return query(*per_point)
    with _lock:  # a pool per process: a forked worker cannot use its parent's threads
        pool = _pools.get(os.getpid())
        if pool is None:
            pool = _pools[os.getpid()] = ThreadPoolExecutor(cores)
    bounds = np.linspace(0, n, shares + 1).astype(int)
    parts = list(pool.map(lambda ab: query(*(a[ab[0]:ab[1]] for a in per_point)),
                          itertools.pairwise(bounds)))
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


__all__ = ["NO_DRIVER", "in_parallel", "start_warp", "warp_mesh", "without_notice"]

