"""Tests for the headless preview rasteriser (small images, so they run fast)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.render import (
    Camera,
    PreviewMesh,
    contact_sheet,
    render_body,
    render_mesh,
    render_meshes,
    save_png,
    vertex_normals,
)

W, H = 128, 192


def _box(lo: tuple[float, float, float], hi: tuple[float, float, float]):
    """An axis-aligned box: 8 vertices, 12 triangles counter-clockwise seen from outside."""
    x0, y0, z0 = lo
    x1, y1, z1 = hi
    v = np.array(
        [[x0, y0, z0], [x1, y0, z0], [x1, y1, z0], [x0, y1, z0],
         [x0, y0, z1], [x1, y0, z1], [x1, y1, z1], [x0, y1, z1]], dtype=float,
    )  # fmt: skip
    f = np.array(
        [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
         [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]],
    )  # fmt: skip
    return v, f


def _foreground(img: Image.Image, bg=(255, 255, 255), tol: int = 6) -> np.ndarray:
    a = np.asarray(img, dtype=np.int16)
    return np.abs(a - np.array(bg, dtype=np.int16)).max(axis=2) > tol


@pytest.fixture(scope="module")
def body():
    from dressform.body import BodySpec, build

    return build(BodySpec(height_cm=168, weight_kg=62))


def test_front_view_is_a_whole_upright_figure(body):
    img = render_body(body, width=W, height=H, view="front")
    assert img.size == (W, H) and img.mode == "RGB"
    fg = _foreground(img)
    share = fg.mean()
    assert 0.05 < share < 0.6, share
    rows, cols = np.nonzero(fg)
    height_px = rows.max() - rows.min() + 1
    width_px = cols.max() - cols.min() + 1
    assert height_px > width_px
    # Whole and framed: nothing touches the image border.
    assert rows.min() > 0 and rows.max() < H - 1 and cols.min() > 0 and cols.max() < W - 1
    # Centred horizontally (within a few pixels).
    assert abs((cols.min() + cols.max()) / 2 - W / 2) < 0.05 * W


@pytest.mark.parametrize("view", ["side", "back", "three-quarter"])
def test_other_views_render(body, view):
    fg = _foreground(render_body(body, width=W, height=H, view=view))
    assert 0.02 < fg.mean() < 0.6


def test_background_colour_at_corners(body):
    bg = (0.2, 0.4, 0.6)
    a = np.asarray(render_body(body, width=W, height=H, background=bg))
    expected = np.round(np.array(bg) * 255)
    for y, x in ((0, 0), (0, W - 1), (H - 1, 0), (H - 1, W - 1)):
        assert np.all(np.abs(a[y, x].astype(int) - expected) <= 1), (y, x, a[y, x])


def test_darker_skin_tone_renders_darker(body):
    def mean_body_luma(tone: int) -> float:
        b = dataclasses.replace(body, spec=body.spec.model_copy(update={"skin_tone": tone}))
        img = render_body(b, width=W, height=H, background=(0.0, 1.0, 0.0))
        fg = _foreground(img, bg=(0, 255, 0))
        luma = np.asarray(img.convert("L"), dtype=float)
        return float(luma[fg].mean())

    light, dark = mean_body_luma(2), mean_body_luma(9)
    assert dark < light - 40, (light, dark)


def test_orientation_not_mirrored_and_z_up():
    """Front view: the clone's left (+X) is on the image's right; +Z is up."""
    trunk = _box((-0.1, -0.1, 0.0), (0.1, 0.1, 1.6))
    left_arm = _box((0.3, -0.05, 0.8), (0.4, 0.05, 1.2))  # +X = the clone's left
    head = _box((-0.05, -0.05, 1.7), (0.05, 0.05, 1.8))
    meshes = [
        PreviewMesh(*trunk, color=(0.6, 0.6, 0.6)),
        PreviewMesh(*left_arm, color=(1.0, 0.0, 0.0)),
        PreviewMesh(*head, color=(0.0, 0.0, 1.0)),
    ]

    def where(img: Image.Image, channel: int) -> tuple[float, float]:
        a = np.asarray(img, dtype=int)
        others = [c for c in range(3) if c != channel]
        mask = (a[..., channel] > 60) & (a[..., channel] > a[..., others].max(axis=2) + 40)
        ys, xs = np.nonzero(mask)
        assert len(xs) > 0
        return xs.mean() / img.width, ys.mean() / img.height

    front = render_meshes(meshes, width=W, height=H, camera=Camera.for_view("front"))
    red_x, _ = where(front, 0)
    _, blue_y = where(front, 2)
    assert red_x > 0.6  # the clone's left on the image's right
    assert blue_y < 0.2  # the highest part at the top
    back = render_meshes(meshes, width=W, height=H, camera=Camera.for_view("back"))
    assert where(back, 0)[0] < 0.4
    ortho = render_meshes(meshes, width=W, height=H, camera=Camera(projection="orthographic"))
    assert where(ortho, 0)[0] > 0.6


def test_per_vertex_colours_and_single_mesh():
    v, f = _box((0, 0, 0), (1, 1, 1))
    colors = np.tile([0.0, 0.0, 0.0], (len(v), 1))
    img = render_mesh(v, f, colors, width=64, height=64, background=(1, 1, 1))
    fg = _foreground(img)
    assert fg.mean() > 0.2
    assert np.asarray(img)[fg].mean() < 80  # a black box stays dark


def test_vertex_normals_point_outwards():
    v, f = _box((-1, -1, -1), (1, 1, 1))
    n = vertex_normals(v, f)
    assert np.allclose(np.linalg.norm(n, axis=1), 1.0, atol=1e-5)
    assert np.all(np.sum(n * v, axis=1) > 0)


def test_invalid_input_is_rejected(body):
    v, f = _box((0, 0, 0), (1, 1, 1))
    with pytest.raises(UnknownNameError):
        render_body(body, width=W, height=H, view="top")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        render_mesh(v, f, width=0, height=10)
    with pytest.raises(InvalidInputError):
        render_mesh(v, f + 10, width=16, height=16)
    with pytest.raises(InvalidInputError):
        render_mesh(v, f, color=(2.0, 0.0, 0.0), width=16, height=16)
    with pytest.raises(InvalidInputError):
        render_meshes([], width=16, height=16)


def test_contact_sheet_size_and_labels():
    tiles = [Image.new("RGB", (40, 60), (200, 0, 0)) for _ in range(4)]
    sheet = contact_sheet(tiles, ["a", "b", "c", "d"], 3, padding=5, label_height=10)
    assert sheet.size == (3 * 40 + 4 * 5, 2 * (60 + 10) + 3 * 5)
    a = np.asarray(sheet)
    assert tuple(a[5 + 30, 5 + 20]) == (200, 0, 0)  # first tile in place
    two_by_two = contact_sheet(tiles, ["front", "side", "back", "3/4"], 2)
    assert two_by_two.width > 2 * 40 and two_by_two.height > 2 * 60
    with pytest.raises(InvalidInputError):
        contact_sheet(tiles, ["a"], 2)
    with pytest.raises(InvalidInputError):
        contact_sheet(tiles, ["a", "b", "c", "d"], 0)


def test_save_png_is_atomic_and_readable(tmp_path: Path):
    img = Image.new("RGB", (8, 8), (1, 2, 3))
    out = save_png(img, tmp_path / "sub" / "x.png")
    assert out.exists()
    assert list(out.parent.iterdir()) == [out]  # no temp files left behind
    with Image.open(out) as back:
        assert back.size == (8, 8) and back.getpixel((0, 0)) == (1, 2, 3)
    save_png(Image.new("RGB", (4, 4)), out)  # overwriting works too
    with Image.open(out) as back:
        assert back.size == (4, 4)


def test_no_gl_context_raises_render_error(monkeypatch: pytest.MonkeyPatch):
    import moderngl

    from dressform.errors import RenderError
    from dressform.render import preview

    def refuse(*args, **kwargs):
        raise RuntimeError("no display")

    monkeypatch.setattr(preview, "_gl", None)  # restored afterwards: the cached context returns
    monkeypatch.setattr(moderngl, "create_standalone_context", refuse)
    v, f = _box((0, 0, 0), (1, 1, 1))
    with pytest.raises(RenderError, match="OpenGL"):
        render_mesh(v, f, width=16, height=16)
