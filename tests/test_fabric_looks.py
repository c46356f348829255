"""Cloth that reads as its fabric: the sewing found on the pattern (hems, seams, bands), each
fabric preset's structure and finish, the level of detail a camera resolves, colours from
hex, names and CIELAB, the detail camera, and (rendered tiny) sheer chiffon and stitch rows
that show."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import shapely
from PIL import Image

from dressform.body.skin_optics import srgb_lab
from dressform.drape.cloth_mesh import mesh_pattern
from dressform.drape.construction import construction
from dressform.drape.folding import fold_bands
from dressform.drape.prints import print_jumps, print_match, print_shifts, printed_uv
from dressform.errors import InvalidInputError, RenderError
from dressform.garment.blocks import draft
from dressform.render.looks import (
    FABRIC_LOOK,
    FABRIC_TYPE,
    Finish,
    fabric_look,
    parse_color,
    resolved,
)
from dressform.render.photoreal import SEWING, SceneMesh, render_still
from dressform.render.studio import CAMERAS, Studio, frame_box
from dressform.shoot.scene import sewing

SPACING_MM = 20.0


@pytest.fixture(scope="module")
def tshirt(freesewing_sets):
    return draft("tshirt", freesewing_sets["cisFemaleAdult36"])


@pytest.fixture(scope="module")
def sewn(tshirt):
    return construction(tshirt, SPACING_MM)


def test_the_sewing_is_read_off_the_pattern_corner_by_corner(tshirt, sewn):
    """One value per face corner of the mesh the drape makes; a hem's corners on its edge are
    0 from it and carry its allowance (25 mm); seam vertices are 0 from a seam; each
    corner's distance is its pattern point's distance to the nearest free edge; the
    neckband's faces are a band; the two sides of a seam keep their own panel's coordinates."""
    cloth = mesh_pattern(fold_bands(tshirt), SPACING_MM)
    assert sewn.corner_uv.shape == (len(cloth.faces), 3, 2)
    for name in ("hem_distance", "hem_allowance", "seam_distance", "seam_first"):
        assert getattr(sewn, name).shape == (len(cloth.faces), 3)
    corners = cloth.faces_uv.ravel()
    hem_d, hem_a = sewn.hem_distance.ravel(), sewn.hem_allowance.ravel()
    front = tshirt.panel("front")
    hem = front.edge("hem").polyline() / 1000.0
    on_hem = (cloth.panel[corners] == cloth.panel_names.index("front")) & (
        shapely.distance(shapely.points(cloth.uv[corners]), shapely.LineString(hem)) < 1e-6)
    assert on_hem.sum() >= 10
    assert np.allclose(hem_d[on_hem], 0.0, atol=1e-6)
    assert np.allclose(hem_a[on_hem], front.edge("hem").seam_allowance_mm / 1000.0)
    seam_points = np.isin(corners, cloth.seams.ravel())
    assert np.allclose(sewn.seam_distance.ravel()[seam_points], 0.0, atol=1e-4)  # 0.1 mm
    # Away from the edges the distances grow: the panel's middle is far from every hem.
    inner = (cloth.panel[corners] == cloth.panel_names.index("front")) & ~cloth.boundary[corners]
    assert hem_d[inner].max() > 0.1
    assert sewn.band.any() and not sewn.band.all()
    band_panel = cloth.panel_names.index("neckband")
    assert np.array_equal(sewn.band, cloth.panel[cloth.faces_uv[:, 0]] == band_panel)
    # A welded seam vertex is drawn with each side's own pattern coordinate.
    weld = cloth.weld[corners]
    uv = sewn.corner_uv.reshape(-1, 2)
    differs = [np.ptp(uv[weld == w], axis=0).max() for w in np.unique(weld[seam_points])[:50]]
    assert max(differs) > 0.01


def test_a_pattern_change_moves_the_stitching_with_it(tshirt, sewn):
    """A deeper hem allowance is read as such; shortening a panel moves every distance to its
    hem."""
    deeper = tshirt.model_copy(update={"panels": tuple(
        p.model_copy(update={"edges": tuple(e.model_copy(update={"seam_allowance_mm": 40.0})
                                            if e.name == "hem" else e for e in p.edges)})
        for p in tshirt.panels)})
    assert sewn.hem_allowance.max() == pytest.approx(0.025)
    assert construction(deeper, SPACING_MM).hem_allowance.max() == pytest.approx(0.040)


def test_the_grain_line_turns_the_cloth_coordinates():
    """A panel whose grain runs across it (along the pattern's x) is drawn with its
    second cloth axis along that x."""
    from dressform.garment.blocks.common import band_panel
    from dressform.garment.pattern import Pattern

    panel = band_panel("strip", 300.0, 100.0, "waist").model_copy(
        update={"grain": ((0.0, 0.0), (100.0, 0.0)), "internal": ()})
    upright = construction(Pattern(name="p", panels=(panel.model_copy(update={"grain": None}),)),
                           SPACING_MM)
    turned = construction(Pattern(name="p", panels=(panel,)), SPACING_MM)
    assert np.allclose(turned.corner_uv[..., 1], upright.corner_uv[..., 0], atol=1e-9)


def test_every_fabric_preset_has_a_structure_and_a_finish_of_its_own():
    looks = {f: fabric_look(f, "mid-grey") for f in FABRIC_TYPE}
    assert all(look.structure != "none" and look.finish is not None and look.thickness_m > 0
               for look in looks.values())
    for a, b in combinations(FABRIC_TYPE, 2):
        assert looks[a].model_dump() != looks[b].model_dump(), (a, b)
    assert looks["polyester_chiffon"].sheer > 0.3  # sheer
    assert looks["silk_charmeuse"].anisotropic > 0.5  # satin's lustre along the grain
    assert looks["denim"].weft_color is not None and looks["denim"].finish.thread is not None
    assert looks["cotton_jersey"].finish.rib_mm > 0 and len(
        looks["cotton_jersey"].finish.hem_rows_mm) == 2  # rib bands, twin-needle hems
    assert set(FABRIC_TYPE.values()) <= set(FABRIC_LOOK)


def test_the_cloths_structure_is_drawn_where_the_camera_resolves_it():
    """Relief in full at 4 pixels a repeat or more, none under 1.5, and what it loses turned
    into roughness."""
    jersey = fabric_look("cotton_jersey")
    near, mid, far = (resolved(jersey, jersey.yarn_m / px) for px in (5.0, 2.5, 1.0))
    assert near == (1.0, jersey.roughness)
    assert 0.0 < mid[0] < 1.0 and jersey.roughness < mid[1] < far[1]
    assert far[0] == 0.0 and far[1] > jersey.roughness
    plain = fabric_look("cotton_poplin").model_copy(update={"structure": "none"})
    assert resolved(plain, 1e-3) == (0.0, plain.roughness)


def test_a_colour_is_read_from_hex_a_name_or_a_cielab_measurement():
    assert parse_color("#ff8000") == pytest.approx((1.0, 128 / 255, 0.0))
    assert parse_color("denim") == parse_color("Denim")
    for lab in ((50.0, 20.0, -30.0), (72.0, -8.0, 15.0), (30.0, 0.0, 0.0)):
        rgb = parse_color(f"lab({lab[0]}, {lab[1]}, {lab[2]})")
        assert np.allclose(srgb_lab(rgb), lab, atol=0.05)
    assert parse_color("lab(52 -4 10)") == parse_color("lab(52, -4, 10)")
    with pytest.raises(InvalidInputError, match="outside what sRGB"):
        parse_color("lab(50, 120, -30)")
    with pytest.raises(InvalidInputError, match="L\\* is 0–100"):
        parse_color("lab(150, 0, 0)")
    with pytest.raises(InvalidInputError, match="lab\\(L, a, b\\)"):
        parse_color("lab(50, 0)")


def test_a_detail_frames_the_point_it_is_given():
    with pytest.raises(InvalidInputError, match=r"0\.01–2 m"):
        Studio(camera="85mm", detail_at=(0.0, 0.0, 1.0), detail_m=5.0)
    studio = Studio(camera="85mm", detail_at=(0.1, 0.0, 0.9), detail_m=0.1)
    lo, hi = frame_box(np.zeros((4, 3)), CAMERAS["85mm"], studio)
    assert np.allclose(lo, [0.05, -0.05, 0.85]) and np.allclose(hi, [0.15, 0.05, 0.95])


def _square(size: float, n: int, y: float = 0.0, z0: float = 1.0) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    u, v = np.meshgrid(np.linspace(-size / 2, size / 2, n), np.linspace(z0, z0 + size, n))
    vertices = np.stack([u.ravel(), np.full(n * n, y), v.ravel()], axis=1)
    idx = np.arange(n * n).reshape(n, n)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel(), idx[1:, 1:].ravel(), \
        idx[1:, :-1].ravel()
    return vertices, np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])


def _rgb(meshes: list[SceneMesh], path: Path, **studio: object) -> np.ndarray:
    options = {"quality": "draft", "width": 64, "height": 64, "camera": "front",
               "transparent": True, **studio}
    render_still(meshes, Studio(**options), path)  # type: ignore[arg-type]
    return np.asarray(Image.open(path).convert("RGBA"), dtype=np.float64) / 255.0


def test_chiffon_shows_what_is_behind_it(tmp_path):
    """A red square behind a white square of cloth: through chiffon the red shows (its
    pixels' red less green 0.13 when this was written, where poplin hides it: 0.00)."""
    back_v, back_f = _square(0.3, 4, y=0.05)
    front_v, front_f = _square(0.2, 8, y=-0.05, z0=1.05)
    red = SceneMesh("backing", back_v, back_f, fabric_look("cotton_poplin", "red"))
    redness = {}
    for fabric in ("polyester_chiffon", "cotton_poplin"):
        cloth = SceneMesh("cloth", front_v, front_f, fabric_look(fabric, "white"),
                          uv=front_v[:, [0, 2]])
        img = _rgb([red, cloth], tmp_path / f"{fabric}.png", light="neutral")
        middle = img[24:40, 24:40, :3]
        redness[fabric] = float((middle[..., 0] - middle[..., 1]).mean())
    assert redness["polyester_chiffon"] > redness["cotton_poplin"] + 0.08, redness


def test_stitch_rows_show_where_the_sewing_puts_them(tmp_path):
    """A square of denim whose bottom edge is a hem (25 mm allowance): its contrast thread
    shows as a row 6 mm in from the turned raw edge (19 mm up), and nowhere else."""
    size, n = 0.06, 7
    vertices, faces = _square(size, n)
    height = vertices[:, 2] - vertices[:, 2].min()
    per_corner = {name: np.zeros(faces.shape) for name in SEWING}
    per_corner.update(hem_distance=height[faces], hem_allowance=np.full(faces.shape, 0.025),
                      hem_along=vertices[faces][..., 0] + 1.0, seam_distance=np.ones(faces.shape))
    look = fabric_look("denim", "navy").model_copy(update={"finish": Finish(
        hem_rows_mm=(6.0,), thread=(1.0, 0.8, 0.0), thread_mm=2.0, stitch_mm=4.0,
        seam_valley_mm=0.0)})
    cloth = SceneMesh("cloth", vertices, faces, look, uv=vertices[:, [0, 2]],
                      sewing=per_corner)
    img = _rgb([cloth], tmp_path / "hem.png", light="neutral", camera="85mm",
               detail_at=(0.0, 0.0, 1.0 + size / 2), detail_m=size, width=96, height=96,
               quality="preview")
    yellow = img[..., 0] + img[..., 1] - 2 * img[..., 2]
    rows = yellow[:, 20:76].max(axis=1)
    seen = np.flatnonzero(rows > 0.5)
    assert seen.size, rows
    # Rows run top-down in the image: the thread lies 19 mm above the bottom edge.
    at_mm = (1.0 - seen.mean() / 95.0) * size * 1000.0
    assert at_mm == pytest.approx(19.0, abs=4.0), at_mm


def test_sewing_that_does_not_fit_the_mesh_is_refused(tmp_path, sewn):
    vertices, faces = _square(0.1, 3)
    bad = SceneMesh("cloth", vertices, faces, fabric_look("denim"),
                    sewing={"hem_distance": np.zeros(faces.shape)})
    with pytest.raises(RenderError, match="sewing must hold"):
        render_still([bad], Studio(quality="draft"), tmp_path / "x.png")
    assert set(sewing(sewn)) == set(SEWING)


def test_a_print_is_cut_to_meet_across_the_seams_the_pattern_matches(tshirt):
    """Breton stripes on a T-shirt whose back was cut 13 mm higher on the cloth jump 13 mm at
    the side seams as cut; moved to match (as a cutter moves the panel on the lay) they meet
    within a tenth of a millimetre, and the seams the pattern does not match are reported
    too."""
    back = tshirt.panel("back")
    moved = back.model_copy(update={"edges": tuple(e.model_copy(update={"curves": tuple(
        c.mapped(lambda p: (p[0], p[1] + 13.0)) for c in e.curves)}) for e in back.edges)})
    raised = tshirt.model_copy(update={"panels": tuple(moved if p.name == "back" else p
                                                       for p in tshirt.panels)})
    sewn = construction(raised, SPACING_MM)
    as_cut = {j.seam: j for j in print_jumps(sewn, 0.05, "breton")}
    side = as_cut["front.side_l / back.side_l"]
    assert side.matched and side.jump_mm == pytest.approx(13.0, abs=0.5)
    matched = print_match(sewn, 0.05, "breton")
    by_seam = {j.seam: j for j in matched.jumps}
    assert by_seam["front.side_l / back.side_l"].jump_mm < 0.1
    assert by_seam["front.side_r / back.side_r"].jump_mm < 0.1
    assert not matched.visible
    assert any(not j.matched for j in matched.jumps)  # the sleeves' caps, the neckband
    uv = printed_uv(sewn, print_shifts(sewn, 0.05, "breton"))
    assert uv.shape == sewn.corner_uv.shape and not np.allclose(uv, sewn.corner_uv)


def test_a_print_that_cannot_meet_is_named(freesewing_sets):
    """Stripes along the grain on an A-line skirt chevron at its flared side seams: the
    jump there is over the matching tolerance and says where it is."""
    from dressform.drape.prints import PRINT_MATCH_MM

    skirt = draft("aline_skirt", freesewing_sets["cisFemaleAdult36"])
    found = print_match(construction(skirt, SPACING_MM), 0.05, "stripes")
    assert {j.seam for j in found.visible} >= {"front.side_l / back.side_l"}
    assert all(j.jump_mm > PRINT_MATCH_MM for j in found.visible)
    assert found.visible[0].describe("stripes").startswith("stripes jump")


def test_a_bad_print_is_refused(sewn):
    with pytest.raises(InvalidInputError, match="unknown print"):
        print_shifts(sewn, 0.05, "paisley")
    with pytest.raises(InvalidInputError, match="positive length"):
        print_jumps(sewn, 0.0, "stripes")


def test_a_garment_renders_in_the_colour_it_was_given(tmp_path):
    """A flat swatch of poplin in a named colour and in a measured CIELAB, under the colour-check
    light box (48 pixels, preview sampling): the rendered colour is within 3 ΔE2000 of the
    colour asked for (1.6 and 1.9 when this was written; 0.8 and 1.6 in the benchmark's
    larger swatches), and the CIELAB colour is further off without colour management (2.9:
    the cloth's sheen lifts it)."""
    import colour

    vertices, faces = _square(0.2, 9)
    errors = {}
    for text in ("camel", "lab(45, 30, 25)"):
        for managed in (True, False):
            look = fabric_look("cotton_poplin", text, managed=managed)
            cloth = SceneMesh("cloth", vertices, faces, look, uv=vertices[:, [0, 2]])
            img = _rgb([cloth], tmp_path / f"{text}-{managed}.png", light="colour-check",
                       quality="preview", width=48, height=48)
            seen = srgb_lab(np.median(img[16:32, 16:32, :3].reshape(-1, 3), axis=0))
            errors[text, managed] = float(colour.delta_E(seen, srgb_lab(parse_color(text)),
                                                         method="CIE 2000"))
    assert errors["camel", True] < 3.0 and errors["lab(45, 30, 25)", True] < 3.0, errors
    assert errors["lab(45, 30, 25)", False] > errors["lab(45, 30, 25)", True] + 0.5, errors
