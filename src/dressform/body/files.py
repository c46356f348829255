"""Body files: a `Body` written as GLB (glTF 2.0 binary) or OBJ + MTL, and bodies or foreign
meshes read back.

Axes. A GLB is in glTF's axes (Y up, front +Z; see :mod:`dressform.body.gltf`). OBJ has no
defined axes: it keeps dressform's (metres, Z up, front = −Y, the clone's left = +X;
``docs/architecture.md``) and says so in a comment at the top of the file (in Blender, import
it with Up = Z, Forward = −Y).

UVs. anny's texture coordinates have their origin at the bottom left (the OBJ convention); glTF's
is at the top left, so TEXCOORD_0 stores (u, 1 − v). glTF keeps one UV per vertex, so vertices are
split at UV seams: the first V glTF vertices are the body's own vertices, in order, and the extra
seam copies come after them. The custom attribute ``_DRESSFORM_VERTEX`` maps every glTF vertex back
to its body vertex, so :func:`load_mesh` returns anny's 13,718 vertices and faces unchanged.

What a GLB carries: POSITION, NORMAL (smooth, shared across seams), TEXCOORD_0, JOINTS_0 /
WEIGHTS_0 (the four strongest bone influences, renormalised), a skin with one node per bone (rest
pose: translation only; inverse bind matrices translate by −head), a PBR material "skin" coloured
by the spec's Monk Skin Tone, and the scene's ``extras["dressform"]``: the `BodySpec`, the body
part labels and the format version. The body is the GLB's first mesh; garments worn over it
follow (:mod:`dressform.body.garment_files`). The OBJ carries the spec in a
``# dressform-spec:`` comment.

Files are written atomically (a temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pygltflib

from dressform.body.garment_files import ExtraMesh, add_garments
from dressform.body.gltf import (
    BinaryBuilder,
    read_accessor,
    reading_dressform_glb,
    split_at_uv_seams,
    strongest_influences,
    y_up_to_z_up,
    z_up_to_y_up,
)
from dressform.body.mesh import Body, Skeleton
from dressform.body.skin import srgb_to_linear
from dressform.body.skin_optics import tone_rgb
from dressform.body.spec import BodySpec
from dressform.errors import ExportError
from dressform.files import atomic_open
from dressform.geometry.normals import vertex_normals

#: Version of what dressform stores in its files (bump when the layout changes).
FORMAT_VERSION = 1
#: Custom glTF vertex attribute: the body vertex each (seam-split) glTF vertex came from.
VERTEX_MAP_ATTRIBUTE = "_DRESSFORM_VERTEX"
#: First line of every OBJ dressform writes.
OBJ_MAGIC = "# dressform body mesh"
SUPPORTED_EXTENSIONS = (".glb", ".obj")
SKIN_ROUGHNESS = 0.6

#: What a body file holds: Z-up vertices, faces, the `BodySpec` (None for a foreign mesh), the
#: skeleton's Z-up bone heads (None where the file has no skeleton).
_Loaded = tuple[np.ndarray, np.ndarray, BodySpec | None, np.ndarray | None]


def export_body(body: Body, path: str | os.PathLike[str]) -> Path:
    """Write `body` as GLB or OBJ, chosen by the extension of `path` (``.glb`` / ``.obj``)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".glb":
        return export_glb(body, path)
    if suffix == ".obj":
        return export_obj(body, path)
    raise ExportError(_bad_extension(path, "export"))


def export_glb(body: Body, path: str | os.PathLike[str],
               extra: Sequence[ExtraMesh] = ()) -> Path:
    """Write `body` (and any `extra` meshes, e.g. its garments, two-sided) as a binary glTF
    2.0 file (Y up, metres); returns the path written. `load_body` reads the body back."""
    out = _output_path(path, ".glb")
    data = glb_bytes(body, extra)
    with atomic_open(out, "wb") as f:
        f.write(data)
    return out


def glb_bytes(body: Body, extra: Sequence[ExtraMesh] = ()) -> bytes:
    """`export_glb`'s file as bytes (to serve it without touching the disk)."""
    gltf = _body_to_gltf(body)
    if extra:
        add_garments(gltf, extra)
    return b"".join(gltf.save_to_bytes())


def export_obj(body: Body, path: str | os.PathLike[str]) -> Path:
    """Write `body` as a Wavefront OBJ (Z up kept, metres) with ``vt`` coordinates and an MTL
    (same name, ``.mtl``) holding the skin colour; returns the OBJ's path."""
    out = _output_path(path, ".obj")
    mtl = out.with_suffix(".mtl")
    r, g, b = tone_rgb(body.spec.skin_tone)
    with atomic_open(mtl, "w") as f:
        f.write(
            f"{OBJ_MAGIC} material (format {FORMAT_VERSION})\n"
            f"# Kd is the skin of Monk Skin Tone MST-{body.spec.skin_tone} in sRGB (0-1).\n"
            "newmtl skin\n"
            "Ka 0.000000 0.000000 0.000000\n"
            f"Kd {r:.6f} {g:.6f} {b:.6f}\n"
            "Ks 0.040000 0.040000 0.040000\n"
            "Ns 60.000000\n"
            f"Pr {SKIN_ROUGHNESS:.6f}\n"
            "Pm 0.000000\n"
            "d 1.000000\n"
            "illum 2\n"
        )
    spec_json = body.spec.model_dump_json()
    with atomic_open(out, "w") as f:
        f.write(
            f"{OBJ_MAGIC} (format {FORMAT_VERSION})\n"
            "# units: metres; axes: right-handed, Z up, front = -Y, the body's left = +X,\n"
            "# feet on z = 0. Many OBJ tools assume Y up: import with Up = Z, Forward = -Y.\n"
            f"# vertices: {len(body.vertices)}; faces: {len(body.faces)}\n"
            f"# dressform-spec: {spec_json}\n"
            f"mtllib {mtl.name}\n"
            "o body\n"
        )
        _write_rows(f, "v", body.vertices, "%.9g")
        _write_rows(f, "vt", body.uvs, "%.9g")
        f.write("usemtl skin\ns 1\n")
        corners = np.stack([body.faces + 1, body.face_uvs + 1], axis=-1).reshape(-1, 6)
        np.savetxt(f, corners, fmt="f %d/%d %d/%d %d/%d")
    return out


def load_mesh(
    path: str | os.PathLike[str],
) -> tuple[np.ndarray, np.ndarray, BodySpec | None]:
    """Triangles of a GLB or OBJ file: (vertices (V, 3) metres Z up, faces (F, 3), spec or None).

    A GLB written by dressform comes back with the body's own vertices (seam copies welded) and
    its `BodySpec`; an OBJ written by dressform with its spec. Other files give their triangles
    (a GLB is turned from glTF's Y up to Z up; a foreign OBJ is returned in its own axes) and None.
    """
    vertices, faces, spec, _ = _load(path)
    return vertices, faces, spec


def load_body(path: str | os.PathLike[str]) -> Body:
    """A `Body` from a GLB or OBJ that dressform wrote from an anny body.

    The mesh's static data (UVs, skinning, part labels) is anny's; the skeleton's heads come from
    the GLB's joint nodes (an OBJ has none: they are rebuilt from the stored spec).
    """
    from dressform.body.bodies import build
    from dressform.body.model import get_model
    from dressform.body.parts import PART_NAMES, vertex_parts

    vertices, faces, spec, heads = _load(path)
    model = get_model()
    if len(vertices) != model.vertex_count or not np.array_equal(faces, model.faces):
        raise ExportError(
            f"{path}: the mesh is not a dressform/anny body ({len(vertices)} vertices, "
            f"{len(faces)} faces; an anny body has {model.vertex_count} vertices and "
            f"{len(model.faces)} faces in anny's order)"
        )
    if spec is None:
        raise ExportError(
            f"{path}: no dressform body spec stored in the file; only bodies exported by "
            "dressform can be loaded as a Body (use load_mesh for the bare mesh)"
        )
    if heads is None:
        heads = build(spec).skeleton.heads
    elif len(heads) != len(model.bone_names):
        raise ExportError(
            f"{path}: the file's skeleton has {len(heads)} bones, anny's has "
            f"{len(model.bone_names)}"
        )
    return Body(
        vertices=vertices,
        faces=model.faces,
        uvs=model.uvs,
        face_uvs=model.face_uvs,
        skeleton=Skeleton(model.bone_names, model.bone_parents, np.asarray(heads, np.float64)),
        skin_weights=model.skin_weights,
        skin_joints=model.skin_joints,
        part_ids=vertex_parts(model.bone_names, model.skin_weights, model.skin_joints),
        part_names=PART_NAMES,
        spec=spec,
    )


def _body_to_gltf(body: Body) -> pygltflib.GLTF2:
    """The body as glTF: its seam-split mesh, skin and bone nodes, skin material and the
    scene's ``extras["dressform"]`` (see the module docstring)."""
    verts = np.asarray(body.vertices, np.float64)
    faces = np.asarray(body.faces, np.int64)
    if verts.ndim != 2 or verts.shape[1] != 3 or len(faces) == 0:
        raise ExportError("the body has no triangles to export")
    source, uv_index, split_faces = split_at_uv_seams(faces, body.face_uvs, len(verts))

    positions = z_up_to_y_up(verts)[source].astype(np.float32)
    normals = z_up_to_y_up(vertex_normals(verts, faces))[source].astype(np.float32)
    uvs = np.zeros((len(source), 2), np.float32)
    used = uv_index >= 0
    uv = np.asarray(body.uvs, np.float64)[uv_index[used]]
    uvs[used] = np.column_stack([uv[:, 0], 1.0 - uv[:, 1]])  # glTF's UV origin is top left
    joints, weights = strongest_influences(body.skin_weights, body.skin_joints)
    index_dtype = np.uint16 if len(source) <= 65535 else np.uint32

    gltf = pygltflib.GLTF2(
        asset=pygltflib.Asset(generator=f"dressform (format {FORMAT_VERSION})", version="2.0")
    )
    binary = BinaryBuilder(gltf)
    attrs = pygltflib.Attributes(
        POSITION=binary.add(positions, "VEC3", pygltflib.ARRAY_BUFFER, with_bounds=True),
        NORMAL=binary.add(normals, "VEC3", pygltflib.ARRAY_BUFFER),
        TEXCOORD_0=binary.add(uvs, "VEC2", pygltflib.ARRAY_BUFFER),
        JOINTS_0=binary.add(joints[source], "VEC4", pygltflib.ARRAY_BUFFER),
        WEIGHTS_0=binary.add(weights[source], "VEC4", pygltflib.ARRAY_BUFFER),
    )
    # Float holds vertex numbers exactly up to 2**24; glTF allows no 32-bit ints in attributes.
    setattr(attrs, VERTEX_MAP_ATTRIBUTE,
            binary.add(source.astype(np.float32), "SCALAR", pygltflib.ARRAY_BUFFER))
    indices = binary.add(
        split_faces.astype(index_dtype).ravel(), "SCALAR", pygltflib.ELEMENT_ARRAY_BUFFER
    )

    r, g, b = (srgb_to_linear(c) for c in tone_rgb(body.spec.skin_tone))
    gltf.materials.append(
        pygltflib.Material(
            name="skin",
            pbrMetallicRoughness=pygltflib.PbrMetallicRoughness(
                baseColorFactor=[r, g, b, 1.0], metallicFactor=0.0, roughnessFactor=SKIN_ROUGHNESS
            ),
            doubleSided=False,
        )
    )
    gltf.meshes.append(
        pygltflib.Mesh(
            name="body",
            primitives=[
                pygltflib.Primitive(
                    attributes=attrs, indices=indices, material=0, mode=pygltflib.TRIANGLES
                )
            ],
        )
    )

    # Skeleton: bone nodes after the mesh node; rest pose = translations only.
    skel = body.skeleton
    heads = z_up_to_y_up(skel.heads)
    n_bones = len(skel.names)
    first_bone = 1
    children: list[list[int]] = [[] for _ in range(n_bones)]
    for j, p in enumerate(skel.parents):
        if p >= 0:
            children[p].append(first_bone + j)
    gltf.nodes.append(pygltflib.Node(name="body", mesh=0, skin=0))
    roots = []
    for j, name in enumerate(skel.names):
        p = skel.parents[j]
        local = heads[j] - (heads[p] if p >= 0 else 0.0)
        gltf.nodes.append(
            pygltflib.Node(
                name=name,
                translation=[float(x) for x in local],
                children=children[j] or [],
            )
        )
        if p < 0:
            roots.append(first_bone + j)
    inverse_bind = np.tile(np.eye(4, dtype=np.float32), (n_bones, 1, 1))
    inverse_bind[:, :3, 3] = -heads
    # glTF matrices are column-major: write each transposed.
    ibm = binary.add(inverse_bind.transpose(0, 2, 1).reshape(n_bones, 16), "MAT4")
    gltf.skins.append(
        pygltflib.Skin(
            name="anny",
            inverseBindMatrices=ibm,
            joints=list(range(first_bone, first_bone + n_bones)),
            skeleton=roots[0] if len(roots) == 1 else None,
        )
    )
    gltf.scenes.append(
        pygltflib.Scene(
            name="dressform body",
            nodes=[0, *roots],
            extras={
                "dressform": {
                    "format": FORMAT_VERSION,
                    "units": "metres",
                    "axes": "glTF (Y up, front +Z); dressform's Z-up frame is (x, -z, y)",
                    "spec": json.loads(body.spec.model_dump_json()),
                    "vertex_count": len(verts),
                    "vertex_map_attribute": VERTEX_MAP_ATTRIBUTE,
                    "part_names": list(body.part_names),
                    "part_ids": [int(i) for i in body.part_ids],
                }
            },
        )
    )
    gltf.scene = 0
    binary.finish()
    return gltf


def _load(path: str | os.PathLike[str]) -> _Loaded:
    """The triangles, spec and bone heads of a GLB or OBJ, checked (see `_Loaded`)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise ExportError(_bad_extension(path, "read"))
    if not p.is_file():
        raise ExportError(f"{path}: no such file")
    if p.stat().st_size == 0:
        raise ExportError(f"{path}: the file is empty (no triangles)")
    if suffix == ".glb":
        result = _read_own_glb(p)
        if result is None:
            vertices, faces = _read_foreign(p)
            result = (y_up_to_z_up(vertices), faces, None, None)
    else:
        own = _read_own_obj(p)
        if own is None:
            vertices, faces = _read_foreign(p)
            own = (vertices, faces, None)
        result = (*own, None)
    vertices, faces = result[0], result[1]
    if len(faces) == 0 or len(vertices) == 0:
        raise ExportError(f"{path}: the file holds no triangles")
    if faces.min() < 0 or faces.max() >= len(vertices):
        raise ExportError(f"{path}: a face refers to a vertex that does not exist")
    return result


def _read_own_glb(path: Path) -> _Loaded | None:
    """Our own GLB, or None for one dressform did not write."""
    try:
        gltf = pygltflib.GLTF2.load_from_bytes(path.read_bytes())
    except Exception as exc:
        raise ExportError(f"{path}: not a readable GLB file ({exc})") from None
    if gltf is None:
        raise ExportError(f"{path}: not a readable GLB file (no JSON chunk)")
    scene = gltf.scenes[gltf.scene or 0] if gltf.scenes else None
    info = (scene.extras or {}).get("dressform") if scene is not None else None
    if not isinstance(info, dict) or not gltf.meshes:
        return None
    with reading_dressform_glb(path):
        blob = gltf.binary_blob() or b""
        prim = gltf.meshes[0].primitives[0]
        positions = read_accessor(gltf, blob, prim.attributes.POSITION)
        flat = read_accessor(gltf, blob, prim.indices).astype(np.int64).ravel()
        attr = info.get("vertex_map_attribute", VERTEX_MAP_ATTRIBUTE)
        map_accessor = getattr(prim.attributes, attr, None)
        if map_accessor is not None:
            source = np.rint(read_accessor(gltf, blob, map_accessor).ravel()).astype(np.int64)
            n = int(info.get("vertex_count", source.max() + 1))
            vertices = np.zeros((n, 3))
            vertices[source] = positions
        else:
            vertices, source = _weld(positions)
        faces = source[flat].reshape(-1, 3)
        heads = _joint_heads(gltf)
    return y_up_to_z_up(vertices), faces, _parse_spec(info.get("spec"), path), heads


def _joint_heads(gltf: pygltflib.GLTF2) -> np.ndarray | None:
    """World-space rest heads of the skin's joints (Z up), from node translations."""
    if not gltf.skins:
        return None
    parent: dict[int, int] = {}
    for i, node in enumerate(gltf.nodes):
        for c in node.children or []:
            parent[c] = i
    world: dict[int, np.ndarray] = {}

    def position(i: int) -> np.ndarray:
        if i not in world:
            node = gltf.nodes[i]
            local = np.asarray(node.translation or (0.0, 0.0, 0.0), np.float64)
            world[i] = local + (position(parent[i]) if i in parent else 0.0)
        return world[i]

    joints = gltf.skins[0].joints
    return y_up_to_z_up(np.array([position(j) for j in joints]))


def _weld(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge identical positions, keeping first-use order; (vertices, map from old to new)."""
    _, first, inverse = np.unique(positions, axis=0, return_index=True, return_inverse=True)
    rank = np.empty(len(first), np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return positions[np.sort(first)].astype(np.float64), rank[inverse.ravel()]


def _read_own_obj(path: Path) -> tuple[np.ndarray, np.ndarray, BodySpec | None] | None:
    """Our own OBJ (v, vt, triangles f v/vt), or None for one dressform did not write."""
    try:
        with path.open(encoding="utf-8") as f:
            if not f.readline().startswith(OBJ_MAGIC):
                return None
            spec_text = None
            verts: list[str] = []
            faces: list[str] = []
            for line in f:
                tag = line[:2]
                if tag == "v ":
                    verts.append(line[2:])
                elif tag == "f ":
                    faces.append(line[2:].replace("/", " "))
                elif line.startswith("# dressform-spec:"):
                    spec_text = line.partition(":")[2].strip()
    except UnicodeDecodeError:
        return None
    try:
        v = np.loadtxt(verts, dtype=np.float64, ndmin=2) if verts else np.zeros((0, 3))
        corner = np.loadtxt(faces, dtype=np.int64, ndmin=2) if faces else np.zeros((0, 6), int)
    except ValueError as exc:
        raise ExportError(f"{path}: damaged dressform OBJ ({exc})") from None
    if v.shape[1] < 3 or corner.shape[1] != 6:
        raise ExportError(f"{path}: damaged dressform OBJ (unexpected v/f layout)")
    spec = _parse_spec(json.loads(spec_text), path) if spec_text else None
    return v[:, :3], corner[:, 0::2] - 1, spec


def _read_foreign(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Triangles of any GLB/OBJ via trimesh (node transforms applied, in the file's own axes)."""
    import trimesh

    try:
        scene = trimesh.load_scene(path, process=False)
    except Exception as exc:
        raise ExportError(
            f"{path}: could not read the file ({type(exc).__name__}: {exc})"
        ) from None
    meshes = []
    for node in scene.graph.nodes_geometry:
        transform, name = scene.graph[node]
        geom = scene.geometry.get(name)
        if isinstance(geom, trimesh.Trimesh) and len(geom.faces):
            meshes.append(geom.copy().apply_transform(transform))
    if not meshes:
        raise ExportError(f"{path}: the file holds no triangles")
    vertices, faces, offset = [], [], 0
    for m in meshes:
        vertices.append(np.asarray(m.vertices, np.float64))
        faces.append(np.asarray(m.faces, np.int64) + offset)
        offset += len(m.vertices)
    return np.concatenate(vertices), np.concatenate(faces)


def _parse_spec(data: Any, path: str | os.PathLike[str]) -> BodySpec | None:
    """The `BodySpec` stored in a file (JSON text or already parsed), None if none is."""
    if data is None:
        return None
    try:
        if isinstance(data, str):
            return BodySpec.model_validate_json(data)
        return BodySpec.model_validate(data)
    except Exception as exc:
        raise ExportError(f"{path}: the stored body spec is invalid ({exc})") from None


def _bad_extension(path: str | os.PathLike[str], what: str) -> str:
    """The message for a file type dressform cannot `what` ("export", "read")."""
    return (
        f"cannot {what} {path!s}: unsupported file type {Path(path).suffix or '(none)'!r}; "
        f"use one of {', '.join(SUPPORTED_EXTENSIONS)}"
    )


def _output_path(path: str | os.PathLike[str], suffix: str) -> Path:
    """`path` checked to end in `suffix` and to lie in a folder that exists."""
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise ExportError(f"cannot write {out}: expected a {suffix} file name")
    if not out.parent.is_dir():
        raise ExportError(f"cannot write {out}: folder {out.parent} does not exist")
    return out


def _write_rows(f: IO[str], tag: str, rows: np.ndarray, fmt: str) -> None:
    """One OBJ line per row: `tag` then the row's numbers in `fmt`."""
    rows = np.asarray(rows, np.float64)
    np.savetxt(f, rows, fmt=f"{tag} " + " ".join([fmt] * rows.shape[1]))


__all__ = [
    "FORMAT_VERSION",
    "OBJ_MAGIC",
    "SUPPORTED_EXTENSIONS",
    "VERTEX_MAP_ATTRIBUTE",
    "export_body",
    "export_glb",
    "export_obj",
    "glb_bytes",
    "load_body",
    "load_mesh",
]
