"""Fit analytics: ease, pressure, verdicts, lengths, size advice and the report."""

import numpy as np
import pytest

from dressform.fit.ease import garment_girth_m, girth_ease
from dressform.fit.pressure import contact_pressure_pa, mean_curvature
from dressform.fit.verdict import ease_verdict


def tube(radius, z0, z1, centre=(0.0, 0.0), n=96, m=12):
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    zs = np.linspace(z0, z1, m)
    v = np.array([[centre[0] + radius * np.cos(t), centre[1] + radius * np.sin(t), z]
                  for z in zs for t in th])
    f = []
    for j in range(m - 1):
        for i in range(n):
            a, b, c, d = j * n + i, j * n + (i + 1) % n, (j + 1) * n + i, (j + 1) * n + (i + 1) % n
            f += [[a, b, d], [a, d, c]]
    return v, np.array(f)


def test_a_tube_round_a_level_has_its_own_circumference():
    v, f = tube(0.2, 0.0, 1.0)
    polygon = 96 * 2 * 0.2 * np.sin(np.pi / 96)
    g = garment_girth_m(v, f, np.array([0.0, 0.0, 0.5]), np.array([0.0, 0.0, 1.0]))
    assert g == pytest.approx(polygon, rel=1e-9)
    # Not round this point: no girth; and a loop round an excluded point is not this girth.
    assert garment_girth_m(v, f, np.array([0.5, 0.0, 0.5]), np.array([0.0, 0.0, 1.0])) is None
    assert garment_girth_m(v, f, np.array([0.0, 0.0, 0.5]), np.array([0.0, 0.0, 1.0]),
                           (np.array([0.1, 0.0, 0.5]),)) is None


def test_ease_of_a_tube_round_the_bust_is_its_circumference_less_the_bust(woman):
    from dressform.body.measure import measure

    bust = measure(woman).bust_girth_cm
    radius = 0.18
    level = 1.21
    v, f = tube(radius, level - 0.1, level + 0.1, centre=(0.0, 0.0))
    ease = {e.name: e for e in girth_ease(v, f, woman)}
    assert "bust_girth_cm" in ease
    assert ease["bust_girth_cm"].body_cm == pytest.approx(bust, abs=0.05)
    expected = 100 * 96 * 2 * radius * np.sin(np.pi / 96) - bust
    assert ease["bust_girth_cm"].ease_cm == pytest.approx(expected, abs=0.01)
    assert "waist_girth_cm" not in ease  # the tube does not reach the waist


def test_pressure_of_a_stretched_tube_is_tension_over_radius():
    radius = 0.1
    v, f = tube(radius, 0.0, 0.3, n=64, m=20)
    assert np.median(mean_curvature(v, f)[mean_curvature(v, f) > 0]) == pytest.approx(
        1 / (2 * radius), rel=1e-6)
    strain = np.zeros((len(f), 3))
    strain[:, 0] = 0.05  # 5 % round the tube
    p = contact_pressure_pa(v, f, strain, np.ones(len(v), dtype=bool), (300.0, 600.0))
    inner = p[p > 0]
    assert np.median(inner) == pytest.approx(300.0 * 0.05 / radius, rel=1e-6)  # 150 Pa
    none = contact_pressure_pa(v, f, strain, np.zeros(len(v), dtype=bool), (300.0, 600.0))
    assert not none.any()  # cloth off the skin presses on nothing


@pytest.mark.parametrize("intent", ["slim", "regular", "oversized"])
def test_ease_verdicts_rise_with_ease(intent):
    order = ["tight", "snug", "regular", "loose"]
    seen = [order.index(ease_verdict(x, intent)) for x in np.linspace(-10, 60, 200)]
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 3


@pytest.fixture(scope="module")
def fittings(woman):
    """A jersey T-shirt, right-sized and cut 20 % too small round the chest."""
    from dressform.body.measure import measure
    from dressform.drape.simulate import drape
    from dressform.fit import assess
    from dressform.garment.blocks import draft

    m = measure(woman).as_dict()
    out = {}
    chest = ("bust_girth_cm", "high_bust_girth_cm", "under_bust_girth_cm")
    for label, scale in (("right", 1.0), ("small", 0.8)):
        body_cm = {k: v * scale if k in chest else v for k, v in m.items()}
        g = drape(draft("tshirt", body_cm), woman, "cotton_jersey", spacing_mm=30.0,
                  max_frames=200)
        out[label] = (g, assess(g, woman, "cotton_jersey"))
    return out


def test_a_too_small_size_is_tight_where_it_is_tight(fittings):
    _, right = fittings["right"]
    _, small = fittings["small"]
    assert "bust" not in right.tight
    assert "bust" in small.tight, small.verdicts["bust"].reason
    e_right = {e.name: e for e in right.ease}["bust_girth_cm"]
    e_small = {e.name: e for e in small.ease}["bust_girth_cm"]
    assert e_small.ease_cm < e_right.ease_cm
    assert small.strain["bust"].p90 > right.strain["bust"].p90
    # A T-shirt ends above the crotch: none of it is read as covering a thigh, though anny's
    # thigh part reaches up over the side of the hip.
    assert "thigh" not in right.strain and "thigh" not in small.strain


def test_report_page_and_maps_are_written_and_not_blank(fittings, woman, tmp_path):
    from PIL import Image

    from dressform.fit.page import write_report

    g, report = fittings["small"]
    png, page = write_report(report, woman, g, tmp_path / "fit.png", "test fitting")
    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert img.shape[0] > 800 and img.std() > 20
    # The stretch map paints the tight bust hot: red-dominant pixels appear on the garment.
    stretch = np.asarray(Image.open(tmp_path / "fit_stretch.png").convert("RGB")).astype(int)
    hot = (stretch[..., 0] > 180) & (stretch[..., 2] < 80) & (stretch[..., 1] < 150)
    assert hot.sum() > 50
    text = page.read_text()
    assert "bust" in text and "tight" in text and "fit_stretch.png" in text


def test_size_advice_never_goes_down_for_a_bigger_person():
    from dressform.body import BodySpec, build
    from dressform.fit import advise
    from dressform.garment.sizes import builtin_chart

    chart = builtin_chart("women")
    labels = chart.labels
    advice = [advise(build(BodySpec(sex="female", height_cm=168, weight_kg=w)), "tshirt",
                     chart=chart, spacing_mm=35.0, max_frames=150) for w in (55, 80)]
    assert labels.index(advice[1].size) > labels.index(advice[0].size)
    for a in advice:
        assert a.reason.startswith(a.size) and "ease" in a.reason
        assert len(a.fittings) == 3  # the chart's pick and its neighbours, not all sizes


def test_fit_command_writes_the_report_and_refuses_an_unknown_intent(cli, woman, tmp_path):
    """The report, with a striped cloth's jumps at the side seams named (stripes along the
    grain cannot meet across the T-shirt's shaped side seams: the front's and back's edges
    slant opposite ways on the cloth)."""
    from dressform.body.files import export_glb

    me = tmp_path / "me.glb"
    export_glb(woman, me)
    r = cli("fit", "--body", str(me), "--garment", "tshirt", "--size", "L",
            "--spacing", "35", "--max-frames", "300", "--print", "stripes", "--print-cm", "4",
            "-o", str(tmp_path / "r.png"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.png").stat().st_size > 10_000 and (tmp_path / "r.html").exists()
    assert "bust" in r.stdout
    assert "stripes jump" in r.stdout and "front.side_l / back.side_l" in r.stdout
    assert "stripes across the seams" in (tmp_path / "r.html").read_text()
    bad = cli("fit", "--body", str(me), "--intent", "baggy", "-o", str(tmp_path / "x.png"))
    assert bad.returncode != 0 and "intent" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.png").exists()
    bad = cli("fit", "--body", str(me), "--print", "paisley", "-o", str(tmp_path / "x.png"))
    assert bad.returncode != 0 and "unknown print" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "x.png").exists()


def test_strain_of_a_tube_sewn_from_a_narrower_rectangle_is_the_girth_ratio():
    """A rectangle of width C0 sewn into a tube and worn round a cylinder of girth C1: the
    cloth is stretched C1 / C0 − 1 across (weft), not at all along (warp), unsheared; the
    region's stretch reading says the same and the verdict follows the fabric's limit."""
    from dressform.drape.cloth_mesh import ClothMesh, triangle_strain
    from dressform.fit.regions import region_strain
    from dressform.fit.verdict import stretch_verdict

    n, m, radius, width = 64, 10, 0.15, 0.85  # 0.85 m of cloth round a 0.94 m girth
    v, _ = tube(radius, 0.0, 0.3, n=n, m=m)
    cols = np.arange(n + 1)
    uv = np.array([[width * i / n, 0.3 * j / (m - 1)] for j in range(m) for i in cols])
    weld = np.array([j * n + (i % n) for j in range(m) for i in cols])
    faces_uv = []
    for j in range(m - 1):
        for i in range(n):
            a, b = j * (n + 1) + i, j * (n + 1) + i + 1
            c, d = a + n + 1, b + n + 1
            faces_uv += [[a, b, d], [a, d, c]]
    cloth = ClothMesh(uv=uv, faces_uv=np.array(faces_uv), panel=np.zeros(len(uv), int),
                      weld=weld, seams=np.zeros((0, 2), int), boundary=np.zeros(len(uv), bool),
                      panel_names=("tube",), spacing_m=width / n)
    strain = triangle_strain(cloth, v)
    chord = 2 * radius * np.sin(np.pi / n)  # the tube's side between two vertices
    expected = chord / (width / n) - 1.0
    assert strain[:, 0] == pytest.approx(expected, abs=1e-9)  # ≈ 10.9 % across
    assert strain[:, 1] == pytest.approx(0.0, abs=1e-9)
    assert strain[:, 2] == pytest.approx(0.0, abs=1e-9)
    bust = region_strain(v, cloth.faces, strain, np.zeros(len(v)), np.ones(len(v), int))["bust"]
    assert bust.median == pytest.approx(expected) and bust.p90 == pytest.approx(expected)
    assert bust.contact_share == 1.0
    assert stretch_verdict(bust.p90, 0.03) == "tight"  # a woven would not take it
    assert stretch_verdict(bust.p90, 0.40) == "regular"  # a jersey would


def test_only_trousers_are_judged_at_the_ankle():
    """A hoodie's hood halves (hood_l, hood_r) are not legs: no leg length, no verdict on
    it; trouser legs still get theirs."""
    from dressform.fit.lengths import length_checks

    marks = {"waist": 1.0, "hip": 0.9, "crotch": 0.8, "knee": 0.5, "ankle bone": 0.08}
    # Hood cloth up at the head, bodice down to the hip: hood_l is the only "_l" panel.
    v = np.array([[0.0, 0.0, 1.5], [0.1, 0.0, 1.6], [0.0, 0.1, 0.85], [0.1, 0.1, 0.9]])
    hoodie = ("front", "back", "hood_l", "hood_r")
    checks = length_checks(v, np.array([2, 3, 0, 1]), hoodie, None, marks)
    assert [c.name for c in checks] == ["hem"]
    trousers = ("front_l", "back_l", "front_r", "back_r", "waistband")
    v = np.array([[0.1, 0.0, 0.30], [0.1, 0.0, 1.0], [-0.1, 0.0, 0.30], [0.0, 0.0, 1.0]])
    checks = length_checks(v, np.array([0, 0, 2, 4]), trousers, None, marks)
    leg = next(c for c in checks if c.name == "leg")
    assert leg.verdict == "too short" and "ankle bone" in leg.describe()
