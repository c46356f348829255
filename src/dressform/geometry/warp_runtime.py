"""Warp, the kernel runtime behind the distance queries, started once and quietly."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
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


__all__ = ["NO_DRIVER", "start_warp", "warp_mesh", "without_notice"]

