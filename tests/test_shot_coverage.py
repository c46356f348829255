"""The coverage check of a picture, read from its class mask: a nude body fails naming the
regions that show, the same body with them covered passes, feet are bare only where the look
leaves them bare, and a campaign shot that fails it is failed with why, never recorded."""

from __future__ import annotations

import dataclasses
import functools
import pickle

import numpy as np
import pytest

from dressform.body.modesty import LABELS, body_regions
from dressform.errors import InvalidInputError
from dressform.geometry.adjacency import grown, vertex_adjacency
from dressform.geometry.normals import vertex_normals
from dressform.render.coverage import (
    CoverageCheck,
    CoverageError,
    check_coverage,
    open_shoes,
    require_coverage,
    tolerance,
)
from dressform.render.looks import SurfaceLook
from dressform.render.mask import Mask, body_classes, scene_classes
from dressform.render.photoreal import SceneMesh, body_scene
from dressform.render.preview import Camera, PreviewMesh, render_mask

MUST_COVER = ("breasts", "genitals", "buttocks", "soles", "toes")


@functools.cache
def cover(body, regions=MUST_COVER, offset_m=0.002) -> SceneMesh:
    """A quick base layer: the body's own faces over `regions` (and two rings round them),
    lifted `offset_m` off the skin along its normals."""
    r = body_regions(body)
    where = np.isin(r.vertex, [LABELS.index(n) for n in regions])
    where = grown(where, vertex_adjacency(body.faces, len(body.vertices)), 2)
    faces = np.asarray(body.faces)[where[np.asarray(body.faces)].all(axis=1)]
    v = np.asarray(body.vertices) + offset_m * vertex_normals(body.vertices, body.faces)
    return SceneMesh("base:test", v, faces, SurfaceLook(name="base", color=(0.2, 0.2, 0.2)))


@functools.cache
def classed_body(body) -> list[SceneMesh]:
    faces, names = body_classes(body)
    scene = body_scene(body)
    return [dataclasses.replace(scene[0], face_classes=faces, class_names=names)]


def preview_mask(meshes, view: str, size=(96, 144)) -> Mask:
    classes, per_face = scene_classes(meshes, hair=False)
    drawn = [PreviewMesh(m.vertices, m.faces) for m in meshes]
    return Mask(render_mask(drawn, per_face, width=size[0], height=size[1],
                            camera=Camera.for_view(view)), classes)


def test_a_nude_body_fails_naming_what_shows_and_a_covered_one_passes(woman, man):
    for body, front in ((woman, {"breasts", "genitals", "toes"}), (man, {"genitals", "toes"})):
        nude = classed_body(body)
        checks = {view: check_coverage(preview_mask(nude, view)) for view in ("front", "back")}
        assert not checks["front"].passed and not checks["back"].passed
        assert {c.split(":")[1] for c in checks["front"].offending} == front
        assert "skin:buttocks" in checks["back"].offending
        assert all(r.startswith("bare ") and "pixels" in r for r in checks["front"].reasons)
        assert "breasts" in str(checks["front"]) or body is man
        dressed = [*nude, cover(body)]
        for view in ("front", "back", "three-quarter"):
            check = check_coverage(preview_mask(dressed, view, (192, 288)))
            assert check.passed, (view, check)
            assert set(check.visible) == {f"skin:{n}" for n in MUST_COVER}


def test_a_cover_that_leaves_a_region_bare_fails_on_that_region_alone(woman):
    dressed = [*classed_body(woman), cover(woman, ("genitals", "buttocks", "soles", "toes"))]
    check = check_coverage(preview_mask(dressed, "front"))
    assert list(check.offending) == ["skin:breasts"]


def _mask_with(counts: dict[str, int], size=(100, 100)) -> Mask:
    classes = ("backdrop", *counts)
    flat = np.zeros(size[0] * size[1], dtype=np.uint8)
    at = 0
    for i, n in enumerate(counts.values(), start=1):
        flat[at:at + n] = i
        at += n
    return Mask(flat.reshape(size[1], size[0]), classes)


def test_bare_feet_only_where_the_look_leaves_them_bare():
    feet = {"skin:toes": 40, "skin:soles": 20}
    assert "sandals" in open_shoes() and "trainers" not in open_shoes()
    closed = _mask_with({**feet, "shoes:trainers": 300})
    assert set(check_coverage(closed).offending) == {"skin:toes", "skin:soles"}
    assert check_coverage(closed, bare_feet=True).passed  # barefoot asked for
    assert check_coverage(_mask_with({**feet, "shoes:sandals": 300})).passed
    assert not check_coverage(_mask_with({**feet, "shoes:sandals": 300}),
                              bare_feet=False).passed
    assert not check_coverage(_mask_with(feet)).passed  # barefoot, not asked for
    # Bare feet never excuse the rest.
    assert list(check_coverage(_mask_with({**feet, "skin:buttocks": 50}), bare_feet=True)
                .offending) == ["skin:buttocks"]


def test_a_few_pixels_are_tolerated_and_an_unreadable_body_is_not():
    small = _mask_with({"skin:breasts": 3})
    assert tolerance(small) == 3 and check_coverage(small).passed
    assert check_coverage(small).visible["skin:breasts"] == 3
    assert not check_coverage(_mask_with({"skin:breasts": 4})).passed
    big = Mask(np.zeros((1536, 1024), dtype=np.uint8), ("backdrop",))
    assert tolerance(big) == 31
    unrefined = check_coverage(_mask_with({"skin": 500}))
    assert not unrefined.passed and "regions apart" in unrefined.reasons[0]
    with pytest.raises(InvalidInputError, match="reads a Mask"):
        check_coverage(np.zeros((4, 4), dtype=np.uint8))  # type: ignore[arg-type]


def test_a_refusal_names_the_picture_and_crosses_process_boundaries():
    with pytest.raises(CoverageError, match=r"look\.jpg shows what it must not: bare genitals"):
        require_coverage(_mask_with({"skin:genitals": 80}), "look.jpg")
    assert isinstance(require_coverage(_mask_with({"garment:tee": 80}), "ok.jpg"),
                      CoverageCheck)
    try:
        require_coverage(_mask_with({"skin:genitals": 80}), "look.jpg")
    except CoverageError as exc:
        back = pickle.loads(pickle.dumps(exc))
        assert str(back) == str(exc) and back.check == exc.check
        assert isinstance(back, InvalidInputError)  # a campaign does not retry it


def test_cycles_masks_fail_the_nude_body_and_pass_the_covered_one(man, tmp_path):
    from dressform.render.mask import read_mask
    from dressform.render.photoreal import render_still
    from dressform.render.studio import Studio

    studio = Studio(quality="draft", width=96, height=144, camera="three-quarter")
    nude = classed_body(man)
    for name, scene, passes in (("nude", nude, False), ("covered", [*nude, cover(man)], True)):
        result = render_still(scene, studio, tmp_path / f"{name}.png", passes=True)
        check = check_coverage(read_mask(result.path))
        assert check.passed is passes, (name, check)
    assert set(check_coverage(read_mask(tmp_path / "nude.png")).offending) >= {
        "skin:genitals", "skin:toes"}


def test_a_campaign_shot_that_shows_too_much_fails_with_why_and_is_never_recorded(
        tmp_path, monkeypatch):
    from datetime import date

    import dressform.campaign.run as run_module
    from campaign_fixtures import campaign_text, load, prime, quick_shot
    from dressform.campaign.executors import InlineExecutor
    from dressform.campaign.run import run_campaign
    from dressform.provenance.keys import make_dev_credentials
    from dressform.store import open_store

    calls: list[str] = []

    def shoot(task):
        calls.append(task.camera)
        if task.camera == "back":
            require_coverage(_mask_with({"skin:buttocks": 900}), task.output.name)
        return quick_shot(task)

    monkeypatch.setattr(run_module, "shoot_look", shoot)
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    campaign = load(campaign_text(cast="clones: [{name: sam, spec: {sex: female, "
                                       "age_years: 30, height_cm: 168, weight_kg: 62}}]"))
    stand_in = tmp_path / "stand-in.glb"
    stand_in.write_bytes(b"")
    prime(campaign, store, tmp_path / "out", stand_in)
    report = run_campaign(campaign, tmp_path / "out", store=store, executor=InlineExecutor(),
                          credentials=make_dev_credentials(tmp_path / "keys"),
                          today=date(2026, 11, 29), backoff_s=0.01)
    assert sorted(calls) == ["back", "front"]  # not retried: it would show the same
    (output, reason), = report.failed.items()
    assert "back" in output and not (tmp_path / "out" / output).exists()
    assert reason.startswith("CoverageError: ") and "bare buttocks show in 900" in reason
    assert [o.path for o in store.outputs(campaign.name)] == [
        str(tmp_path / "out" / report.done[0])]


def test_a_shot_is_checked_on_its_own_mask_and_its_wear_says_if_feet_may_be_bare(
        woman, tmp_path):
    from dressform.body.files import export_glb
    from dressform.campaign.work import ShotTask, shoot_look
    from dressform.provenance.keys import make_dev_credentials

    clone = export_glb(woman, tmp_path / "clone.glb")
    creds = make_dev_credentials(tmp_path / "keys")

    def task(name: str, camera: str, **wear) -> ShotTask:
        return ShotTask(clone, tmp_path / f"{name}.jpg", "a-pose", camera, "high-key", "white",
                        "neutral", "draft", "raster", None, False, creds, name, {"job": name},
                        b"\x00" * 8, size=(160, 240), wear=wear)

    with pytest.raises(CoverageError, match=r"nude\.jpg shows what it must not") as e:
        shoot_look(task("nude", "front", base="none", shoes="barefoot"))
    assert {"skin:breasts", "skin:genitals"} <= set(e.value.check.offending)
    assert not (tmp_path / "nude.jpg").exists()
    for camera in ("front", "back"):  # the base layer and trainers every clone wears
        assert shoot_look(task(f"dressed-{camera}", camera)).path.exists()
    for shoes in ("sandals", "barefoot"):  # feet bare as the look asks
        assert shoot_look(task(shoes, "front", shoes=shoes)).path.exists()
