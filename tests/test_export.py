"""GLB / OBJ export of a body and reading meshes back (dressform.body.files and .gltf)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pygltflib
import pytest
import trimesh

from dressform.body import Body, BodySpec, build
from dressform.body.files import (
    VERTEX_MAP_ATTRIBUTE,
    export_body,
    export_glb,
    export_obj,
    load_body,
    load_mesh,
)
from dressform.body.gltf import read_accessor, split_at_uv_seams
from dressform.body.skin import srgb_to_linear
from dressform.body.skin_optics import tone_rgb
from dressform.errors import ExportError
from dressform.files import new_file_mode


@pytest.fixture(scope="module")
def body() -> Body:
    return build(BodySpec(height_cm=168, weight_kg=62, skin_tone=7))


@pytest.fixture(scope="module")
def files(body: Body, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("export")
    return {
        "glb": export_body(body, folder / "clone.glb"),
        "obj": export_body(body, folder / "clone.obj"),
    }


def _gltf(path: Path) -> tuple[pygltflib.GLTF2, bytes]:
    gltf = pygltflib.GLTF2.load_binary(path)
    return gltf, gltf.binary_blob()


def test_glb_round_trip_keeps_positions_faces_and_spec(body: Body, files: dict[str, Path]):
    vertices, faces, spec = load_mesh(files["glb"])
    assert vertices.shape == body.vertices.shape == (13718, 3)
    assert np.abs(vertices - body.vertices).max() < 1e-6
    np.testing.assert_array_equal(faces, body.faces)
    assert spec == body.spec


def test_glb_is_split_at_uv_seams_with_a_map_back(body: Body, files: dict[str, Path]):
    gltf, blob = _gltf(files["glb"])
    attrs = gltf.meshes[0].primitives[0].attributes
    source = read_accessor(gltf, blob, getattr(attrs, VERTEX_MAP_ATTRIBUTE)).ravel()
    n_pairs = len(np.unique(np.stack([body.faces.ravel(), body.face_uvs.ravel()], 1), axis=0))
    assert len(source) == n_pairs > len(body.vertices)
    np.testing.assert_array_equal(source[: len(body.vertices)], np.arange(len(body.vertices)))
    uv = read_accessor(gltf, blob, attrs.TEXCOORD_0)
    assert uv.shape == (len(source), 2) and uv.min() >= 0.0 and uv.max() <= 1.0


def test_split_at_uv_seams_small():
    faces = np.array([[0, 1, 2], [2, 1, 3]])
    face_uvs = np.array([[0, 1, 2], [4, 1, 3]])  # vertex 2 has two UVs: a seam
    source, uv_index, new_faces = split_at_uv_seams(faces, face_uvs, 4)
    np.testing.assert_array_equal(source, [0, 1, 2, 3, 2])
    np.testing.assert_array_equal(uv_index, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(new_faces, [[0, 1, 2], [4, 1, 3]])
    np.testing.assert_array_equal(source[new_faces], faces)


def test_trimesh_loads_glb_standing_in_y_up(body: Body, files: dict[str, Path]):
    scene = trimesh.load(files["glb"])
    (lo, hi) = scene.bounds
    assert hi[1] - lo[1] == pytest.approx(body.height_m, abs=1e-5)
    assert lo[1] == pytest.approx(0.0, abs=1e-6)
    # Front (−Y in dressform) becomes +Z in glTF: the toes/face reach further along +Z.
    assert hi[2] == pytest.approx(-body.vertices[:, 1].min(), abs=1e-5)


def test_material_is_the_tones_skin_in_linear_space(body: Body, files: dict[str, Path]):
    gltf, _ = _gltf(files["glb"])
    (material,) = gltf.materials
    assert material.name == "skin"
    pbr = material.pbrMetallicRoughness
    expected = [srgb_to_linear(c) for c in tone_rgb(7)]
    np.testing.assert_allclose(pbr.baseColorFactor[:3], expected, atol=1e-7)
    assert pbr.baseColorFactor[3] == 1.0
    assert pbr.metallicFactor == 0.0 and pbr.roughnessFactor == pytest.approx(0.6)


def test_skin_joints_and_weights(body: Body, files: dict[str, Path]):
    gltf, blob = _gltf(files["glb"])
    attrs = gltf.meshes[0].primitives[0].attributes
    assert gltf.accessors[attrs.JOINTS_0].componentType == pygltflib.UNSIGNED_SHORT
    joints = read_accessor(gltf, blob, attrs.JOINTS_0)
    weights = read_accessor(gltf, blob, attrs.WEIGHTS_0)
    assert joints.shape == weights.shape and joints.shape[1] == 4
    assert np.abs(weights.sum(axis=1, dtype=np.float64) - 1.0).max() < 1e-6
    assert weights.min() >= 0.0
    (skin,) = gltf.skins
    assert len(skin.joints) == len(body.skeleton.names) and joints.max() < len(skin.joints)
    assert [gltf.nodes[j].name for j in skin.joints] == list(body.skeleton.names)
    ibm = read_accessor(gltf, blob, skin.inverseBindMatrices).reshape(-1, 4, 4)
    heads_y_up = body.skeleton.heads @ np.array([[1, 0, 0], [0, 0, 1], [0, -1, 0]]).T
    np.testing.assert_allclose(ibm[:, 3, :3], -heads_y_up, atol=1e-6)  # column-major storage


def test_load_body_from_glb(body: Body, files: dict[str, Path]):
    loaded = load_body(files["glb"])
    assert loaded.spec == body.spec
    assert np.abs(loaded.vertices - body.vertices).max() < 1e-6
    np.testing.assert_allclose(loaded.skeleton.heads, body.skeleton.heads, atol=1e-9)
    assert loaded.skeleton.names == body.skeleton.names
    np.testing.assert_array_equal(loaded.part_ids, body.part_ids)


def test_obj_round_trip(body: Body, files: dict[str, Path]):
    text = files["obj"].read_text()
    header = "".join(line for line in text.splitlines(keepends=True)[:6] if line[0] == "#")
    assert "metres" in header and "Z up" in header
    assert "mtllib clone.mtl" in text and "\nvt " in text
    assert re.search(r"^f \d+/\d+ \d+/\d+ \d+/\d+$", text, re.MULTILINE)
    mtl = files["obj"].with_suffix(".mtl").read_text()
    r, g, b = tone_rgb(7)
    assert f"Kd {r:.6f} {g:.6f} {b:.6f}" in mtl
    vertices, faces, spec = load_mesh(files["obj"])
    assert np.abs(vertices - body.vertices).max() < 1e-6
    np.testing.assert_array_equal(faces, body.faces)
    assert spec == body.spec
    loaded = trimesh.load(files["obj"], force="mesh")
    assert loaded.bounds[1][2] == pytest.approx(body.height_m, abs=1e-6)  # Z up kept


def test_foreign_meshes(tmp_path: Path):
    box = trimesh.creation.box(extents=(1.0, 2.0, 3.0))
    box.apply_translation((0.0, 1.0, 0.0))  # y in [0, 2] in the glTF's Y-up frame
    box.export(tmp_path / "box.glb")
    vertices, faces, spec = load_mesh(tmp_path / "box.glb")
    assert spec is None and faces.shape == (12, 3)
    np.testing.assert_allclose(vertices.min(axis=0), [-0.5, -1.5, 0.0], atol=1e-6)
    np.testing.assert_allclose(vertices.max(axis=0), [0.5, 1.5, 2.0], atol=1e-6)
    (tmp_path / "tri.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    vertices, faces, spec = load_mesh(tmp_path / "tri.obj")
    assert spec is None and faces.tolist() == [[0, 1, 2]] and vertices.shape == (3, 3)
    with pytest.raises(ExportError, match="not a dressform/anny body"):
        load_body(tmp_path / "box.glb")


def test_errors(body: Body, tmp_path: Path):
    with pytest.raises(ExportError, match="no such file"):
        load_mesh(tmp_path / "missing.glb")
    with pytest.raises(ExportError, match="unsupported file type"):
        load_mesh(tmp_path / "body.stl")
    with pytest.raises(ExportError, match="unsupported file type"):
        export_body(body, tmp_path / "body.fbx")
    with pytest.raises(ExportError, match="does not exist"):
        export_glb(body, tmp_path / "no" / "such" / "body.glb")
    for name in ("empty.glb", "empty.obj"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(ExportError, match="empty"):
            load_mesh(tmp_path / name)
    (tmp_path / "points.obj").write_text("v 0 0 0\nv 1 0 0\n")
    with pytest.raises(ExportError, match="no triangles"):
        load_mesh(tmp_path / "points.obj")
    (tmp_path / "junk.glb").write_bytes(b"not a glb at all")
    with pytest.raises(ExportError):
        load_mesh(tmp_path / "junk.glb")
    with pytest.raises(ExportError, match=r"expected a \.obj"):
        export_obj(body, tmp_path / "body.glb")
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary files left behind


def test_glb_without_vertex_map_is_welded_by_position(body: Body, files: dict[str, Path],
                                                      tmp_path: Path):
    gltf, _ = _gltf(files["glb"])
    delattr(gltf.meshes[0].primitives[0].attributes, VERTEX_MAP_ATTRIBUTE)
    gltf.save_binary(tmp_path / "welded.glb")
    vertices, faces, spec = load_mesh(tmp_path / "welded.glb")
    assert vertices.shape == body.vertices.shape
    assert np.abs(vertices - body.vertices).max() < 1e-6
    np.testing.assert_array_equal(faces, body.faces)
    assert spec == body.spec


def test_exported_files_have_ordinary_permissions(files: dict[str, Path]):
    # Temporary files are created 0600; the result must get the usual 0666 & ~umask.
    for path in (files["glb"], files["obj"], files["obj"].with_suffix(".mtl")):
        assert path.stat().st_mode & 0o777 == new_file_mode()
