"""glTF 2.0 plumbing shared by every dressform GLB: axes, the binary buffer, accessors.

This module knows glTF, not bodies or garments: it turns arrays into accessors in one
little-endian buffer (:class:`BinaryBuilder`) and back (:func:`read_accessor`), converts between
dressform's axes and glTF's, and reshapes mesh data into what glTF can hold (one UV per vertex,
four bone influences). What a body file holds is :mod:`dressform.body.files`; the garments written
beside it are :mod:`dressform.body.garment_files`.

Axes and units. dressform works in metres, Z up, front = −Y, the clone's left = +X
(``docs/architecture.md``). glTF is defined as Y up with +Z the front, so a GLB stores
(x, y, z) as (x, z, −y): viewers show the clone standing and facing them, and its left stays at
+X. Reading a GLB undoes the change.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pygltflib

from dressform.errors import ExportError

#: Bone influences per vertex in a GLB (glTF's JOINTS_0 / WEIGHTS_0 hold four).
GLTF_INFLUENCES = 4

# Z-up (dressform) → Y-up (glTF): (x, y, z) → (x, z, −y); a proper rotation (−90° about X).
_Z_TO_Y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])

#: glTF accessor component type → numpy dtype (glTF buffers are little-endian).
_COMPONENT_DTYPES: dict[int, np.dtype] = {
    pygltflib.BYTE: np.dtype("<i1"),
    pygltflib.UNSIGNED_BYTE: np.dtype("<u1"),
    pygltflib.SHORT: np.dtype("<i2"),
    pygltflib.UNSIGNED_SHORT: np.dtype("<u2"),
    pygltflib.UNSIGNED_INT: np.dtype("<u4"),
    pygltflib.FLOAT: np.dtype("<f4"),
}
_COMPONENT_TYPES: dict[np.dtype, int] = {dtype: c for c, dtype in _COMPONENT_DTYPES.items()}
_TYPE_WIDTHS = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}


def z_up_to_y_up(points: np.ndarray) -> np.ndarray:
    """dressform (Z up, front −Y) → glTF (Y up, front +Z)."""
    return np.asarray(points, dtype=np.float64) @ _Z_TO_Y.T


def y_up_to_z_up(points: np.ndarray) -> np.ndarray:
    """glTF (Y up, front +Z) → dressform (Z up, front −Y)."""
    return np.asarray(points, dtype=np.float64) @ _Z_TO_Y


def split_at_uv_seams(
    faces: np.ndarray, face_uvs: np.ndarray, n_vertices: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One vertex per distinct (position, uv) corner pair (glTF keeps one UV per vertex).

    Returns (source (N,) body vertex of each new vertex, uv index (N,) or −1 where a vertex is
    used by no face, new faces (F, 3)). The first `n_vertices` new vertices are the body's own,
    in order (each keeps the UV of its first corner); seam copies follow.
    """
    corner_v = np.asarray(faces, np.int64).ravel()
    corner_t = np.asarray(face_uvs, np.int64).ravel()
    n_uv = int(corner_t.max()) + 1 if corner_t.size else 1
    keys = corner_v * n_uv + corner_t
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    pair_v, pair_t = unique // n_uv, unique % n_uv
    order = np.lexsort((first, pair_v))  # by vertex, then by first use
    sorted_v = pair_v[order]
    primary = np.ones(len(order), dtype=bool)
    primary[1:] = sorted_v[1:] != sorted_v[:-1]
    new_index = np.empty(len(unique), dtype=np.int64)
    new_index[order[primary]] = sorted_v[primary]
    extra = order[~primary]
    new_index[extra] = n_vertices + np.arange(len(extra))
    source = np.concatenate([np.arange(n_vertices), pair_v[extra]])
    uv_index = np.full(len(source), -1, dtype=np.int64)
    uv_index[new_index] = pair_t
    return source, uv_index, new_index[inverse.ravel()].reshape(-1, 3)


def strongest_influences(
    weights: np.ndarray, joints: np.ndarray, k: int = GLTF_INFLUENCES
) -> tuple[np.ndarray, np.ndarray]:
    """The `k` largest weights per vertex, renormalised to sum to 1, and their bones.

    Unused slots get weight 0 and bone 0. Returns (joints (V, k) uint16, weights (V, k) float32).
    """
    weights = np.asarray(weights, np.float64)
    joints = np.asarray(joints, np.int64)
    if weights.shape[1] < k:
        pad = k - weights.shape[1]
        weights = np.pad(weights, ((0, 0), (0, pad)))
        joints = np.pad(joints, ((0, 0), (0, pad)))
    top = np.argsort(-weights, axis=1, kind="stable")[:, :k]
    w = np.clip(np.take_along_axis(weights, top, axis=1), 0.0, None)
    j = np.take_along_axis(joints, top, axis=1)
    total = w.sum(axis=1, keepdims=True)
    if np.any(total <= 0):
        raise ExportError("a vertex has no skinning weight; cannot write JOINTS_0/WEIGHTS_0")
    w = (w / total).astype(np.float32)
    # Put float32 rounding on the largest weight so each row sums to 1 as closely as it can.
    w[:, 0] += np.float32(1.0) - w.sum(axis=1, dtype=np.float32)
    j = np.where(w > 0, j, 0)
    return j.astype(np.uint16), w


class BinaryBuilder:
    """Accumulates accessors and buffer views in one little-endian buffer (the GLB's only one).

    `blob`: the buffer's data so far, to append meshes to a glTF that already has some.
    """

    def __init__(self, gltf: pygltflib.GLTF2, blob: bytes = b"") -> None:
        self.gltf = gltf
        self.blob = bytearray(blob)

    def add(
        self,
        array: np.ndarray,
        type_: str,
        target: int | None = None,
        with_bounds: bool = False,
    ) -> int:
        """Append `array` as an accessor of glTF type `type_` ("VEC3"...); its index."""
        array = np.ascontiguousarray(array)
        component = _COMPONENT_TYPES[array.dtype]
        self.blob.extend(b"\0" * (-len(self.blob) % 4))
        offset = len(self.blob)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        self.blob.extend(data)
        self.gltf.bufferViews.append(
            pygltflib.BufferView(buffer=0, byteOffset=offset, byteLength=len(data), target=target)
        )
        rows = array.reshape(len(array), -1)
        accessor = pygltflib.Accessor(
            bufferView=len(self.gltf.bufferViews) - 1,
            componentType=component,
            count=len(array),
            type=type_,
        )
        if with_bounds:
            accessor.min = [float(x) for x in rows.min(axis=0)]
            accessor.max = [float(x) for x in rows.max(axis=0)]
        self.gltf.accessors.append(accessor)
        return len(self.gltf.accessors) - 1

    def finish(self) -> None:
        """Pad the buffer to 4 bytes and make it the glTF's binary chunk."""
        self.blob.extend(b"\0" * (-len(self.blob) % 4))
        self.gltf.buffers = [pygltflib.Buffer(byteLength=len(self.blob))]
        self.gltf.set_binary_blob(bytes(self.blob))


def read_accessor(gltf: pygltflib.GLTF2, blob: bytes, index: int) -> np.ndarray:
    """Accessor `index` of `gltf` as a (count, width) array, read from the binary chunk `blob`."""
    acc = gltf.accessors[index]
    dtype = _COMPONENT_DTYPES[acc.componentType]
    width = _TYPE_WIDTHS[acc.type]
    if acc.bufferView is None:
        return np.zeros((acc.count, width), dtype)
    view = gltf.bufferViews[acc.bufferView]
    start = (view.byteOffset or 0) + (acc.byteOffset or 0)
    item = dtype.itemsize * width
    stride = view.byteStride or item
    if acc.count and start + stride * (acc.count - 1) + item > len(blob):
        raise ExportError("an accessor reaches past the end of the binary buffer")
    raw = np.ndarray((acc.count, width), dtype, buffer=blob, offset=start,
                     strides=(stride, dtype.itemsize))
    return np.array(raw)


@contextmanager
def reading_dressform_glb(path: str | os.PathLike[str]) -> Iterator[None]:
    """Report any failure to decode a GLB that dressform wrote as a damaged file (`ExportError`
    naming it); an `ExportError` raised inside already says what is wrong and passes through."""
    try:
        yield
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError(f"{path}: damaged dressform GLB ({type(exc).__name__}: {exc})") from None


__all__ = [
    "GLTF_INFLUENCES",
    "BinaryBuilder",
    "read_accessor",
    "reading_dressform_glb",
    "split_at_uv_seams",
    "strongest_influences",
    "y_up_to_z_up",
    "z_up_to_y_up",
]
