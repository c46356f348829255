"""Pattern interchange: SVG/PNG drawings, DXF-AAMA round trips, the `pattern` CLI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from shapely.geometry import Polygon

from dressform.errors import ExportError, InvalidInputError
from dressform.garment.blocks import draft
from dressform.garment.io.dxf_aama import export_dxf, import_dxf
from dressform.garment.io.files import read_pattern, write_pattern
from dressform.garment.io.garmentcode import from_garmentcode, to_garmentcode
from dressform.garment.sizes import builtin_chart
from dressform.garment.validate import problems

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def tee():
    return draft("tshirt", builtin_chart("women").size("M").body_cm, size="M")


def test_svg_is_one_to_one_in_millimetres(tee, tmp_path):
    path = write_pattern(tee, tmp_path / "tee.svg")
    root = ET.parse(path).getroot()
    w, h = root.get("width"), root.get("height")
    assert w.endswith("mm") and h.endswith("mm")
    vb = [float(v) for v in root.get("viewBox").split()]
    assert vb[2] == pytest.approx(float(w[:-2]), abs=0.1)  # 1 user unit = 1 mm
    cuts = root.findall(f"{SVG}polygon[@class='cut']")
    sews = root.findall(f"{SVG}polygon[@class='sew']")
    assert len(cuts) == len(sews) == len(tee.panels) + 1 - 1  # one each per panel
    # The check square really is 100 mm across.
    frame = root.find(f"{SVG}polygon[@class='frame']")
    xs = [float(p.split(",")[0]) for p in frame.get("points").split()]
    assert max(xs) - min(xs) == pytest.approx(100.0, abs=0.01)
    texts = " ".join(t.text for t in root.iter(f"{SVG}text"))
    assert "front · M" in texts and "sleeve_l · M" in texts and "100 mm" in texts
    assert root.findall(f"{SVG}polyline[@class='notch']")


def test_png_preview_shows_the_pattern(tee, tmp_path):
    img = np.asarray(Image.open(write_pattern(tee, tmp_path / "tee.png")).convert("L"))
    assert img.shape[1] == 2000 and 0.005 < (img < 128).mean() < 0.2  # lines, not blank


@pytest.mark.parametrize("block", ["tshirt", "trousers", "sheath_dress"])
def test_dxf_round_trip_keeps_outlines_names_grain_and_notches(block, tmp_path):
    pattern = draft(block, builtin_chart("women").size("L").body_cm, size="L")
    back = import_dxf(export_dxf(pattern, tmp_path / "p.dxf"))
    assert back.size == "L" and back.name == pattern.name
    assert [p.name for p in back.panels] == [p.name for p in pattern.panels]
    for a in pattern.panels:
        b = back.panel(a.name)
        assert Polygon(a.outline).hausdorff_distance(Polygon(b.outline)) < 0.1
        assert [e.name for e in a.edges] == [e.name for e in b.edges]
        assert [e.seam_allowance_mm for e in a.edges] == [e.seam_allowance_mm for e in b.edges]
        assert np.allclose(a.grain, b.grain, atol=0.1)
        assert [n.edge for n in a.notches] == [n.edge for n in b.notches]
        assert np.allclose([n.at_mm for n in a.notches], [n.at_mm for n in b.notches], atol=0.1)
        assert b.placement == a.placement
        assert len(b.internal) == len(a.internal)
    # AAMA carries no stitches; what came back still has closed, sewable outlines.
    assert problems(back) == []


def test_dxf_errors(tmp_path):
    bad = tmp_path / "bad.dxf"
    bad.write_text("this is not a dxf")
    with pytest.raises(ExportError, match="cannot read"):
        import_dxf(bad)
    with pytest.raises(InvalidInputError, match="no such file"):
        read_pattern(tmp_path / "missing.dxf")
    with pytest.raises(ExportError, match="cannot write"):
        write_pattern(draft("skirt", builtin_chart("women").size("S").body_cm), tmp_path / "x.pdf")


def test_native_json_round_trip(tee, tmp_path):
    back = read_pattern(write_pattern(tee, tmp_path / "tee.dressform.json"))
    assert back == tee


def test_cli_drafts_from_a_size_and_from_measurements(tmp_path, cli):
    r = cli("pattern", "tshirt", "--size", "M", "--chart", "women", "-o", str(tmp_path / "t.svg"))
    assert r.returncode == 0, r.stderr
    assert "bust" in r.stdout and (tmp_path / "t.svg").stat().st_size > 10_000
    me = tmp_path / "me.json"
    me.write_text(json.dumps({"bust_girth_cm": 92, "waist_girth_cm": 76, "hip_girth_cm": 100,
                              "height_cm": 170}))
    r = cli("pattern", "tshirt", "--measurements", str(me), "--ease", "regular", "-o",
            str(tmp_path / "t.dxf"))
    assert r.returncode == 0, r.stderr
    r = cli("pattern", "validate", str(tmp_path / "t.dxf"))
    assert r.returncode == 0 and "can be sewn" in r.stdout


def test_cli_refuses_bad_requests_in_one_line(tmp_path, cli):
    r = cli("pattern", "tshirt", "--size", "XXXL", "-o", str(tmp_path / "t.svg"))
    assert r.returncode == 1 and "size 'XXXL' is not in chart" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("pattern", "skirt", "--size", "M", "--ease", "baggy", "-o", str(tmp_path / "s.svg"))
    assert r.returncode == 1 and "fit" in r.stderr and "Traceback" not in r.stderr
    broken = tmp_path / "broken.dressform.json"
    pattern = json.loads(draft("skirt", builtin_chart("women").size("S").body_cm)
                         .model_dump_json())
    pattern["stitches"][0]["b"]["panel"] = "sleeve"
    broken.write_text(json.dumps(pattern))
    r = cli("pattern", "validate", str(broken))
    assert r.returncode == 1 and "sleeve" in r.stderr and "does not exist" in r.stderr


def test_cli_grades_a_chart_into_a_nest(tmp_path, cli):
    r = cli("pattern", "grade", "skirt", "--chart", "men", "-o", str(tmp_path / "g"))
    assert r.returncode == 0, r.stderr
    assert len(list((tmp_path / "g").glob("skirt_*.svg"))) == 10
    nest = np.asarray(Image.open(tmp_path / "g" / "nest.png").convert("RGB")).astype(int)
    reddish = ((nest[..., 0] > 150) & (nest[..., 2] < 100)).mean()
    bluish = ((nest[..., 2] > 150) & (nest[..., 0] < 100)).mean()
    assert reddish > 0 and bluish > 0  # largest and smallest sizes both drawn


# A small skirt written by hand in GarmentCode's specification format (cm, relative curvature):
# a circle-arc hem bulging down, straight sides, a front waist dipping 2 cm at the centre.
GC_SKIRT = {
    "pattern": {
        "panels": {
            "front": {
                "translation": [0, 90, 15], "rotation": [0, 0, 0],
                "vertices": [[-25, 0], [25, 0], [20, 60], [-20, 60]],
                "edges": [
                    {"endpoints": [0, 1], "label": "hem",
                     "curvature": {"type": "circle", "params": [60, 0, 1]}},
                    {"endpoints": [1, 2]},
                    {"endpoints": [2, 3], "curvature": {"type": "quadratic",
                                                        "params": [[0.5, 0.05]]}},
                    {"endpoints": [3, 0]},
                ],
            },
            "back": {
                "translation": [0, 90, -15], "rotation": [0, 180, 0],
                "vertices": [[-25, 0], [25, 0], [20, 60], [-20, 60]],
                "edges": [
                    {"endpoints": [0, 1], "label": "hem",
                     "curvature": {"type": "circle", "params": [60, 0, 1]}},
                    {"endpoints": [1, 2]}, {"endpoints": [2, 3]}, {"endpoints": [3, 0]},
                ],
            },
        },
        "stitches": [
            [{"panel": "front", "edge": 1}, {"panel": "back", "edge": 3}],
            [{"panel": "front", "edge": 3}, {"panel": "back", "edge": 1}],
        ],
    },
    "parameters": {}, "parameter_order": [],
    "properties": {"curvature_coords": "relative", "units_in_meter": 100},
}


def test_garmentcode_spec_imports_with_its_curves_and_stitches(tmp_path):
    path = tmp_path / "skirt_specification.json"
    path.write_text(json.dumps(GC_SKIRT))
    p = read_pattern(path)
    assert p.name == "skirt" and [x.name for x in p.panels] == ["front", "back"]
    front = p.panel("front")
    assert [e.name for e in front.edges] == ["hem", "e2", "e3", "e4"]
    # Arc: 500 mm chord on a 600 mm radius, bulging down (right of +x) by the sagitta.
    hem = front.edge("hem")
    assert hem.length() == pytest.approx(1200 * np.arcsin(250 / 600), abs=0.05)
    sagitta = 600 - np.sqrt(600**2 - 250**2)
    assert hem.polyline()[:, 1].min() == pytest.approx(-sagitta, abs=0.05)
    waist = front.edge("e3").curves[0]
    assert waist.c == pytest.approx((0.0, 580.0))  # relative (0.5, 0.05) of a 400 mm edge
    assert front.placement.side == "front" and p.panel("back").placement.side == "back"
    assert front.placement.translation_mm == pytest.approx((0.0, -150.0, 900.0))
    assert len(p.stitches) == 2 and problems(p) == []
    # And out again: same panels, vertices and curvature, in GarmentCode's own units.
    out = json.loads(write_pattern(p, tmp_path / "again.json").read_text())
    fr = out["pattern"]["panels"]["front"]
    assert np.allclose(fr["vertices"], GC_SKIRT["pattern"]["panels"]["front"]["vertices"])
    assert fr["edges"][0]["curvature"]["type"] == "circle"
    assert fr["edges"][0]["curvature"]["params"] == pytest.approx([60, 0, 1])
    assert fr["edges"][2]["curvature"]["params"][0] == pytest.approx([0.5, 0.05])
    assert fr["translation"] == pytest.approx([0, 90, 15])
    assert out["pattern"]["stitches"] == GC_SKIRT["pattern"]["stitches"]


@pytest.mark.parametrize("block", ["tshirt", "trousers", "hoodie"])
def test_blocks_survive_a_garmentcode_round_trip(block, tmp_path):
    pattern = draft(block, builtin_chart("men").size("L").body_cm)
    back = read_pattern(write_pattern(pattern, tmp_path / "p.json"))
    assert problems(back) == []
    for a in pattern.panels:
        b = back.panel(a.name)
        assert [e.name for e in a.edges] == [e.name for e in b.edges]
        assert Polygon(a.outline).hausdorff_distance(Polygon(b.outline)) < 0.1
    # Every seam is still there: the stitched length per pair of panels is unchanged.
    def sewn(p):
        out = {}
        for st in p.stitches:
            key = tuple(sorted((st.a.panel, st.b.panel)))
            out[key] = out.get(key, 0.0) + p.panel(st.a.panel).edge(st.a.edge).length() * (
                st.a.end - st.a.start)
        return out
    want, got = sewn(pattern), sewn(back)
    assert want.keys() == got.keys()
    assert all(got[k] == pytest.approx(want[k], abs=0.5) for k in want)


def test_broken_garmentcode_is_refused(tmp_path):
    bad = json.loads(json.dumps(GC_SKIRT))
    bad["pattern"]["stitches"].append([{"panel": "sleeve", "edge": 0},
                                       {"panel": "back", "edge": 0}])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(InvalidInputError, match="stitch 3 refers to a missing panel"):
        read_pattern(path)
    bad = json.loads(json.dumps(GC_SKIRT))
    bad["pattern"]["panels"]["front"]["edges"][0]["curvature"]["type"] = "spline"
    path.write_text(json.dumps(bad))
    with pytest.raises(InvalidInputError, match="unknown curvature type 'spline'"):
        read_pattern(path)
    path.write_text("{not json")
    with pytest.raises(InvalidInputError, match="not valid JSON"):
        read_pattern(path)


def test_garmentcode_clockwise_panels_and_right_wrong_stitches(tmp_path):
    spec = json.loads(json.dumps(GC_SKIRT))
    back = spec["pattern"]["panels"]["back"]
    back["vertices"] = back["vertices"][::-1]  # GarmentCode turns some loops clockwise
    back["edges"] = [{"endpoints": [i, (i + 1) % 4]} for i in range(4)]
    spec["pattern"]["stitches"][1].append("right_wrong")
    p = from_garmentcode(spec)
    assert problems(p) == []  # mirrored to run counter-clockwise, same edge lengths
    assert sorted(round(e.length()) for e in p.panel("back").edges) == [400, 500, 602, 602]
    assert [s.reversed for s in p.stitches] == [True, False]
    again = to_garmentcode(p)["pattern"]["stitches"]
    assert again[1][-1] == "right_wrong" and len(again[0]) == 2
