"""Photoreal stills (Blender Cycles in a worker process), rendered tiny: every preset draws a
picture, the subject fills the frame as the camera says, a seed gives the same image, skin
follows the Monk scale, and a crashed or hung render is a clear error."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dressform.body import Body, pose_body
from dressform.body.skin import srgb_to_linear
from dressform.body.skin_optics import tone_lab
from dressform.errors import RenderError, UnknownNameError
from dressform.render.looks import fabric_look, skin_look
from dressform.render.photoreal import SceneMesh, body_scene, render_still
from dressform.render.studio import BACKDROPS, CAMERAS, LIGHTS, Studio

W, H = 40, 60


def _render(meshes: list[SceneMesh], path: Path, **studio: object) -> np.ndarray:
    options = {"quality": "draft", "width": W, "height": H, **studio}
    result = render_still(meshes, Studio(**options), path)  # type: ignore[arg-type]
    assert result.path == path and path.exists()
    return np.asarray(Image.open(path).convert("RGBA"), dtype=np.float64) / 255.0


def _luma(rgba: np.ndarray) -> np.ndarray:
    return rgba[..., :3] @ np.array([0.2126, 0.7152, 0.0722])


@pytest.fixture(scope="module")
def relaxed(woman: Body) -> list[SceneMesh]:
    return body_scene(pose_body(woman, "relaxed"))


def test_every_camera_light_and_backdrop_preset_renders_a_picture(relaxed, tmp_path):
    lights, backdrops = list(LIGHTS), list(BACKDROPS)
    count = max(len(CAMERAS), len(LIGHTS), len(BACKDROPS))
    for k in range(count):
        camera = list(CAMERAS)[k % len(CAMERAS)]
        light, backdrop = lights[k % len(lights)], backdrops[k % len(backdrops)]
        img = _render(relaxed, tmp_path / f"{k}.png", camera=camera, light=light,
                      backdrop=backdrop)
        luma = _luma(img)
        assert (img[..., 3] > 0.99).all(), (camera, light, backdrop)  # opaque: a backdrop
        assert luma.std() > 0.02, (camera, light, backdrop)  # not a flat fill
        assert 0.02 < luma.mean() < 0.98, (camera, light, backdrop)  # neither black nor white


def test_the_subject_fills_the_frame_as_the_camera_preset_says(relaxed, tmp_path):
    full = _render(relaxed, tmp_path / "full.png", camera="front", transparent=True)[..., 3]
    rows = np.flatnonzero((full > 0.5).any(axis=1))
    # Safe framing: 5 % margin top and bottom, nothing cut at any edge.
    assert rows[0] >= 1 and rows[-1] <= H - 2
    assert (rows[-1] - rows[0] + 1) / H > 0.82
    assert not (full[:, 0] > 0.5).any() and not (full[:, -1] > 0.5).any()
    portrait = _render(relaxed, tmp_path / "portrait.png", camera="portrait",
                       transparent=True)[..., 3]
    rows = np.flatnonzero((portrait > 0.5).any(axis=1))
    assert rows[0] <= 0.15 * H  # the head's top near the top of the frame
    assert (portrait[-1] > 0.5).any()  # cut at the chest: the body goes on below the frame
    assert portrait.mean() > 2 * full.mean()  # closer: the subject fills more of it


def test_a_subject_walking_towards_the_camera_stays_framed_on_every_frame(relaxed, tmp_path):
    """The camera is framed for all the frames of an animation; the subject must be drawn
    where its frames put it (it had been drawn shifted towards the camera by half the
    walk, and came out of the picture)."""
    from dressform.render.photoreal import Motion, render_animation

    body = relaxed[0]
    near = np.asarray(body.vertices) + np.array([0.0, -4.0, 0.0])  # 4 m nearer the camera
    motion = Motion({body.name: [np.asarray(body.vertices), near]}, None)
    studio = Studio(quality="draft", width=W, height=H, transparent=True)
    frames = render_animation([body], motion, studio, tmp_path)
    alpha = [np.asarray(Image.open(p).convert("RGBA"))[..., 3] > 128 for p in frames]
    far_rows, near_rows = (np.flatnonzero(a.any(axis=1)) for a in alpha)
    assert near_rows[0] >= 1 and near_rows[-1] <= H - 2  # nothing cut at the edges
    # Framed for the near frame (a row of this 60-px frame is 1.7 %)...
    assert (near_rows[-1] - near_rows[0] + 1) / H >= 0.78
    assert (far_rows[-1] - far_rows[0]) < 0.6 * (near_rows[-1] - near_rows[0])  # ...far off


def test_the_same_seed_gives_the_same_image(relaxed, tmp_path):
    a = _render(relaxed, tmp_path / "a.png", seed=7)
    b = _render(relaxed, tmp_path / "b.png", seed=7)
    assert np.array_equal(a, b)


def test_rendered_skin_follows_the_monk_scale(woman, tmp_path):
    luma = []
    for tone in range(1, 11):
        mesh = SceneMesh("body", np.asarray(woman.vertices), np.asarray(woman.faces),
                         skin_look(tone))
        img = _render([mesh], tmp_path / f"mst{tone}.png", transparent=True,
                      light="high-key")
        skin = img[..., 3] > 0.99
        luma.append(float(_luma(img)[skin].mean()))
    skin = [tone_lab(t)[0] for t in range(1, 11)]
    for i, j in combinations(range(10), 2):
        if abs(skin[i] - skin[j]) > 3.0:  # L* apart by more than the render's noise
            assert (luma[i] > luma[j]) == (skin[i] > skin[j]), (i + 1, j + 1, luma)
    # Their albedos differ 7× in light (Y); the view transform compresses the highlights.
    linear = [srgb_to_linear(v) for v in (luma[0], luma[-1])]
    assert linear[0] > 4.0 * linear[1], luma


def test_a_garment_print_runs_on_the_pattern_coordinates(tmp_path):
    """A striped square of cloth (pattern UVs in metres) shows its stripes: the rendered
    colour alternates across it and not along it."""
    n = 30
    u, v = np.meshgrid(np.linspace(0, 0.6, n), np.linspace(0, 0.6, n))
    vertices = np.stack([u.ravel() - 0.3, np.zeros(n * n), v.ravel() + 0.7], axis=1)
    idx = np.arange(n * n).reshape(n, n)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel(), idx[1:, 1:].ravel(), \
        idx[1:, :-1].ravel()
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    look = fabric_look("cotton_poplin", "navy", print_kind="stripes", print_color="white",
                       print_period_cm=20.0)
    cloth = SceneMesh("cloth", vertices, faces, look, uv=np.stack([u.ravel(), v.ravel()], 1))
    img = _render([cloth], tmp_path / "stripes.png", transparent=True, light="high-key",
                  width=60, height=60)
    luma = _luma(img)
    inside = img[..., 3] > 0.99
    rows = np.flatnonzero(inside.any(axis=1))
    middle = luma[rows[len(rows) // 2], inside[rows[len(rows) // 2]]]
    column = luma[inside[:, 30], 30]
    assert middle.max() - middle.min() > 0.3  # across the weft: navy and white stripes
    assert column.max() - column.min() < 0.25  # along one stripe: one colour


def test_cloth_folded_flat_onto_itself_keeps_its_outline(tmp_path):
    """Cloth drawn as thick as it is stays where the mesh is where it folds flat onto itself
    (a hood pushed down, a tangle): with Blender's "even thickness" the fold line shot out
    several centimetres, and a hood's vertex a head's length, as a spike."""
    n, gap = 12, 0.0005
    x, z = np.linspace(-0.2, 0.2, n), np.linspace(0.9, 1.2, n)
    # A strip 40 cm wide and 30 cm tall, folded down over itself at its top edge.
    front = np.array([[xi, 0.0, zi] for zi in z for xi in x])
    back = np.array([[xi, gap, zi] for zi in z[::-1][1:] for xi in x])
    idx = np.arange((2 * n - 1) * n).reshape(2 * n - 1, n)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel(), idx[1:, 1:].ravel(), \
        idx[1:, :-1].ravel()
    vertices = np.vstack([front, back])
    strip = SceneMesh("cloth", vertices, np.concatenate([np.stack([a, b, c], 1),
                                                         np.stack([a, c, d], 1)]),
                      fabric_look("stretch_knit", "olive"), uv=vertices[:, [0, 2]])
    drawn = _render([strip], tmp_path / "fold.png", transparent=True, light="high-key",
                    width=80, height=80)[..., 3] > 0
    rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    # As tall against as wide as the strip (0.75, within a few pixels; 0.86 with the spike).
    assert (rows[-1] - rows[0] + 1) / (cols[-1] - cols[0] + 1) == pytest.approx(0.75, abs=0.05)


def test_a_crashed_or_hung_render_is_a_clear_error(relaxed, tmp_path, monkeypatch):
    import dressform.render.photoreal as photoreal

    def broken_job(*args, **kwargs):
        job, arrays = real(*args, **kwargs)
        job["meshes"][0]["look"]["name"] = None  # Blender refuses a material without a name
        return job, arrays

    real = photoreal.render_job
    monkeypatch.setattr(photoreal, "render_job", broken_job)
    out = tmp_path / "crash.png"
    with pytest.raises(RenderError, match="Blender render failed"):
        render_still(relaxed, Studio(quality="draft", width=W, height=H), out)
    assert not out.exists()  # nothing half-written
    monkeypatch.setattr(photoreal, "render_job", real)
    with pytest.raises(RenderError, match="ran past"):
        render_still(relaxed, Studio(quality="draft"), tmp_path / "slow.png", timeout_s=0.5)
    assert not (tmp_path / "slow.png").exists()


def test_bad_shot_settings_are_refused_before_rendering(relaxed, tmp_path):
    with pytest.raises(UnknownNameError, match="editorial"):
        Studio(light="editorail")
    with pytest.raises(UnknownNameError, match="portrait"):
        Studio(camera="portriat")
    with pytest.raises(RenderError, match=r"\.png"):
        render_still(relaxed, Studio(), tmp_path / "x.tif")
    bad = SceneMesh("bad", np.array([[0.0, 0.0, float("nan")]] * 3), np.array([[0, 1, 2]]),
                    skin_look(3))
    with pytest.raises(RenderError, match="finite"):
        render_still([bad], Studio(), tmp_path / "x.png")


def test_the_backdrop_wash_lights_the_wall_behind_the_subject_and_faces_it(relaxed):
    """The wash stands between the subject and the cyclorama's wall, facing the wall (its −Z
    towards it, tilted down to the cove), so it lights the backdrop and throws no shadow of
    the subject onto it; it is left out where there is no wall or no backdrop."""
    from dressform.render.photoreal import render_job

    for camera in ("front", "three-quarter", "back"):
        job, arrays = render_job(relaxed, Studio(light="high-key", camera=camera), Path("x.png"))
        wash = job["backdrop_wash"]
        assert wash is not None and wash["power_w"] == LIGHTS["high-key"].backdrop_w
        wall = next(s["index"] for s in job["meshes"] if s["name"] == "cyclorama")
        cove = arrays[f"v{wall}"]
        top = cove[cove[:, 2] > 3.0]  # the wall's upright part
        subject = np.asarray(relaxed[0].vertices)
        eye, light = np.asarray(job["camera"]["location"]), np.asarray(wash["location"])
        away = (top.mean(axis=0) - eye)[:2]
        away /= np.linalg.norm(away)
        subject_d, light_d, wall_d = ((np.asarray(p)[..., :2] - eye[:2]) @ away
                                      for p in (subject, light, top))
        assert subject_d.max() < light_d < wall_d.min()
        facing = -np.asarray(wash["rotation"])[:, 2]
        assert facing[:2] @ away > 0.6 and facing[2] < 0  # at the wall, down to the cove
    for studio in (Studio(light="high-key", transparent=True),
                   Studio(light="high-key", backdrop="pavement"),
                   Studio(light="dramatic"), Studio(light="outdoor")):
        assert render_job(relaxed, studio, Path("x.png"))[0]["backdrop_wash"] is None


def test_a_high_key_cyclorama_is_evenly_white_behind_the_subject(relaxed, tmp_path,
                                                                 monkeypatch):
    """Washed by its own light, the white cove behind a high-key shot reads white and even
    (e-commerce white: L* above 93, within 4 L* from corner to corner); the key lights alone
    leave it grey, brighter low down than at the top."""
    from dataclasses import replace

    from dressform.body.skin_optics import srgb_lab
    from dressform.render import studio as studios

    def wall(name: str) -> np.ndarray:
        path = tmp_path / f"{name}.png"
        render_still(relaxed, Studio(quality="draft", light="high-key", width=W, height=H),
                     path, passes=True)
        rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
        backdrop = np.asarray(Image.open(path.with_suffix(".mask.png"))) == 0
        backdrop[H // 2:] = False  # the wall; the floor keeps the subject's shadow
        return srgb_lab(rgb[backdrop])[:, 0]

    washed = wall("washed")
    assert np.percentile(washed, 5) > 93.0 and np.ptp(np.percentile(washed, [5, 95])) < 4.0
    monkeypatch.setitem(studios.LIGHTS, "high-key",
                        replace(LIGHTS["high-key"], backdrop_w=0.0))
    bare = wall("bare")
    assert np.median(bare) < np.median(washed) - 10.0


def test_skin_shows_its_pores_and_mottle_up_close(tmp_path):
    """A 6 cm square of skin filling the frame (0.5 mm a pixel), denoised as a campaign still
    is: with the skin's relief and mottle, its lightness varies more from pixel to pixel than
    the same square rendered smooth (same seed and samples; 2.4 times as much when this was
    written, most of it the mottle: subsurface light blurs much of the relief, as on skin)."""
    from scipy.ndimage import gaussian_filter

    n = 24
    u, v = np.meshgrid(np.linspace(-0.03, 0.03, n), np.linspace(1.0, 1.06, n))
    vertices = np.stack([u.ravel(), np.zeros(n * n), v.ravel()], axis=1)
    idx = np.arange(n * n).reshape(n, n)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel(), idx[1:, 1:].ravel(), \
        idx[1:, :-1].ravel()
    faces = np.concatenate([np.stack([a, c, b], 1), np.stack([a, d, c], 1)])
    detail = []
    for pores in (0.0, skin_look(3).pores):
        look = skin_look(3).model_copy(update={"pores": pores})
        patch = SceneMesh("body", vertices, faces, look, texture_space=vertices)
        img = _render([patch], tmp_path / f"pores-{pores}.png", light="editorial",
                      transparent=True, width=128, height=128, samples=16, denoiser="HIGH")
        luma = _luma(img)[24:-24, 24:-24]  # inside the square
        detail.append(float(np.abs(luma - gaussian_filter(luma, 2.0)).mean()))
    assert detail[1] > 1.5 * detail[0], detail
