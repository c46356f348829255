"""Parametric blocks drafted from the FreeSewing sets and the size charts; grading."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.garment.blocks import BLOCKS, CONTROL_DIMENSIONS, Design, draft, draft_size
from dressform.garment.drafting import draft_measurements
from dressform.garment.grading import grade, grading_problems
from dressform.garment.quantities import girth_at
from dressform.garment.sizes import builtin_chart, load_chart, parse_csv, parse_yaml
from dressform.garment.validate import problems


@pytest.mark.parametrize("block", list(BLOCKS))
def test_every_block_drafts_valid_with_declared_ease_from_all_freesewing_sets(
        block, freesewing_sets):
    for name, given in freesewing_sets.items():
        pattern = draft(block, given)  # `draft` raises if the pattern cannot be sewn
        m = pattern.body_cm
        assert {"waist", "hip"} & set(pattern.ease_cm), name
        for level in ("bust", "waist", "hip"):
            if level in pattern.ease_cm:
                want = m[f"{level}_girth_cm"] + pattern.ease_cm[level]
                assert girth_at(pattern, level) == pytest.approx(want, abs=0.05), (name, level)
                assert pattern.ease_cm[level] >= 0.5, (name, level)


def test_fit_orders_the_ease_and_sleeves_follow_the_design(freesewing_sets):
    given = freesewing_sets["cisFemaleAdult36"]
    girths = [girth_at(draft("tshirt", given, {"fit": f}), "bust")
              for f in ("slim", "regular", "oversized")]
    assert girths == sorted(girths) and girths[2] - girths[0] > 15
    short = draft("tshirt", given).panel("sleeve_l").bounds()
    long_ = draft("tshirt", given, {"sleeve": "long"}).panel("sleeve_l").bounds()
    assert long_[3] - long_[1] > 2.5 * (short[3] - short[1])
    assert "sleeve_l" not in [p.name for p in draft("tshirt", given, {"sleeve": "none"}).panels]
    flared = draft("skirt", given, {"flare_cm": 12.0}).panel("front").bounds()
    straight = draft("skirt", given).panel("front").bounds()
    assert flared[2] - straight[2] == pytest.approx(120.0, abs=0.5)


def test_sleeve_caps_fit_their_armholes(freesewing_sets):
    p = draft("tshirt", freesewing_sets["cisMaleAdult42"], {"sleeve": "long"})
    arm = p.panel("front").edge("armhole_l").length() + p.panel("back").edge("armhole_l").length()
    cap = p.panel("sleeve_l").edge("cap").length()
    assert cap - arm == pytest.approx(10.0, abs=1.0)  # CAP_EASE_MM eased in


def test_trousers_have_room_for_the_thigh_and_a_longer_back_crotch(freesewing_sets):
    p = draft("trousers", freesewing_sets["cisFemaleAdult40"])
    assert p.ease_cm["thigh"] > 3.0
    assert p.panel("back_l").edge("rise").length() > p.panel("front_l").edge("rise").length() + 30


def test_bad_drafting_input_gets_clear_errors(freesewing_sets):
    with pytest.raises(InvalidInputError, match="drafting needs hip_girth_cm"):
        draft("skirt", {"bust_girth_cm": 90, "waist_girth_cm": 70})
    with pytest.raises(UnknownNameError, match="did you mean 'tshirt'"):
        draft("tshrt", freesewing_sets["cisFemaleAdult30"])
    with pytest.raises(InvalidInputError, match="not a plausible"):
        draft("skirt", {"bust_girth_cm": 90, "waist_girth_cm": 300, "hip_girth_cm": 96})
    with pytest.raises(InvalidInputError, match="ends above the hip line"):
        draft("skirt", freesewing_sets["cisFemaleAdult30"], {"length_cm": 10})
    with pytest.raises(ValueError, match="fit"):
        draft("tshirt", freesewing_sets["cisFemaleAdult30"], {"fit": "baggy"})


def test_missing_measurements_are_completed_by_rule():
    m = draft_measurements({"bust_girth_cm": 88, "waist_girth_cm": 72, "hip_girth_cm": 96,
                            "height_cm": 168})
    assert "height_cm" not in m.completed and "neck_base_girth_cm" in m.completed
    assert 100 < m.waist_height_cm < 110 and 30 < m.neck_base_girth_cm < 38
    assert m.hip_y < m.waist_y < m.bust_y < m.armpit_y < m.hps_y


def test_builtin_charts_load_with_their_source():
    for name, n in (("women", 11), ("men", 10)):
        chart = builtin_chart(name)
        assert len(chart.sizes) == n and "EN 13402-3" in chart.source
        assert chart.size("m").body_cm["height_cm"] == pytest.approx(168 if name == "women"
                                                                     else 176)
        assert chart.size("M").ranges_cm["height_cm"][1] > chart.size("M").ranges_cm[
            "height_cm"][0]
    with pytest.raises(UnknownNameError, match="size 'XXXL' is not in chart"):
        builtin_chart("women").size("XXXL")


def test_charts_from_csv_and_yaml(tmp_path):
    yaml_text = ("name: shop\nsizes:\n  - {size: S, bust_girth_cm: 84, waist_girth_cm: 68,"
                 " hip_girth_cm: 92, height_cm: [160, 170]}\n"
                 "  - {size: M, bust_girth_cm: 90, waist_girth_cm: 74, hip_girth_cm: 98}\n")
    (tmp_path / "c.yaml").write_text(yaml_text)
    chart = load_chart(tmp_path / "c.yaml")
    assert chart.name == "shop" and chart.labels == ["S", "M"]
    assert chart.size("S").body_cm["height_cm"] == 165
    csv_text = "size,bust_girth_cm,waist_girth_cm,hip_girth_cm\nA,84,68,92\n"
    assert parse_csv(csv_text).size("A").body_cm["hip_girth_cm"] == 92


@pytest.mark.parametrize("text, message", [
    ("size,bust_girth_cm\nS,84\nS,88\n", "twice"),
    ("size,bust_girth_cm\nS,88\nM,84\n", "goes down"),
    ("size,bust_girth_cm\nS,eighty\n", "not a number"),
    ("size,bust_girth_cm\nS,840\n", "not a plausible"),
    ("size,bust_size\nS,84\n", "unknown measurement"),
    ("size,height_cm\nS,176-160\n", "runs backwards"),
])
def test_broken_charts_are_refused(text, message):
    with pytest.raises(InvalidInputError, match=message):
        parse_csv(text)


def test_broken_yaml_is_refused():
    with pytest.raises(InvalidInputError, match="sizes"):
        parse_yaml("name: x\n")


@pytest.mark.parametrize("block", ["tshirt", "trousers", "sheath_dress"])
def test_grading_is_monotone_over_both_charts(block):
    for chart in ("women", "men"):
        graded = grade(block, builtin_chart(chart))
        assert list(graded) == builtin_chart(chart).labels
        assert grading_problems(graded) == []
        assert all(problems(p) == [] for p in graded.values())


def test_grading_check_catches_a_size_that_shrinks():
    chart = builtin_chart("women")
    graded = grade("skirt", chart, sizes=["S", "M"])
    swapped = {"S": graded["M"], "M": graded["S"]}
    found = grading_problems(swapped)
    assert any("smaller than S at the hip" in f for f in found)


def test_unknown_design_field_is_refused():
    with pytest.raises(ValueError):
        Design(colour="red")


def test_the_smallest_size_that_fits_is_chosen_by_the_control_girths():
    chart = builtin_chart("women")
    assert set(CONTROL_DIMENSIONS) == set(BLOCKS)
    m = chart.size("M").body_cm
    person = {"bust_girth_cm": m["bust_girth_cm"] - 0.5, "waist_girth_cm": m["waist_girth_cm"] + 6,
              "hip_girth_cm": m["hip_girth_cm"]}
    assert chart.smallest_fitting(person, CONTROL_DIMENSIONS["tshirt"]).label == "M"
    bottom = chart.smallest_fitting(person, CONTROL_DIMENSIONS["skirt"])
    assert bottom.body_cm["waist_girth_cm"] >= person["waist_girth_cm"] - 1.0
    assert chart.labels.index(bottom.label) > chart.labels.index("M")  # the waist needs more
    huge = {"bust_girth_cm": 300.0}
    assert chart.smallest_fitting(huge, ["bust_girth_cm"]).label == chart.labels[-1]
    with pytest.raises(InvalidInputError, match="hip_girth_cm"):
        chart.smallest_fitting({"bust_girth_cm": 90.0}, CONTROL_DIMENSIONS["skirt"])


def test_blended_size_takes_each_girth_from_its_own_size():
    """A body with a small waist for its hip gets waist and hip each from their own size
    (a skirt that closes at the waist), not one size loose at the waist."""
    chart = builtin_chart("women")
    s, xl = chart.size("S").body_cm, chart.size("XL").body_cm
    person = {"waist_girth_cm": s["waist_girth_cm"], "hip_girth_cm": xl["hip_girth_cm"]}
    blend = chart.blended_fitting(person, CONTROL_DIMENSIONS["skirt"])
    assert blend.label == "S/XL"
    assert blend.body_cm["waist_girth_cm"] == s["waist_girth_cm"]
    assert blend.body_cm["hip_girth_cm"] == xl["hip_girth_cm"]
    assert blend.body_cm["bust_girth_cm"] == xl["bust_girth_cm"]
    pattern = draft_size("skirt", blend, 168.0)
    assert pattern.size == "S/XL"
    same = {"waist_girth_cm": s["waist_girth_cm"], "hip_girth_cm": s["hip_girth_cm"]}
    assert chart.blended_fitting(same, CONTROL_DIMENSIONS["skirt"]) == chart.size("S")


def test_a_waistband_is_sized_so_its_finished_waist_closes_on_the_body():
    """Between sizes at the waist, the band is the smaller size when its finished girth (chart
    waist + ease) still reaches round the body; the hip is still the hip's own size."""
    from dressform.garment.blocks import fitting_size

    chart = builtin_chart("women")
    m, l_ = chart.size("M").body_cm, chart.size("L").body_cm
    ease = draft("skirt", m, size="M").ease_cm["waist"]
    person = {"waist_girth_cm": m["waist_girth_cm"] + ease, "hip_girth_cm": l_["hip_girth_cm"]}
    size = fitting_size("skirt", chart, person)
    assert size.label == "M/L"
    assert size.body_cm["waist_girth_cm"] + ease >= person["waist_girth_cm"] - 1.0
    too_big = {**person, "waist_girth_cm": m["waist_girth_cm"] + ease + 1.5}
    assert fitting_size("skirt", chart, too_big).label.startswith("L")
    # A top is sized by its bust alone, as before.
    top = fitting_size("tshirt", chart, {"bust_girth_cm": m["bust_girth_cm"]})
    assert top == chart.size("M")


@pytest.mark.parametrize("chart", ["women", "men"])
def test_every_top_drafts_in_every_size_for_short_and_tall_people(chart):
    """A short person in a large size once drafted a hoodie whose side seam doubled back at
    the underarm (the bust line above the armhole's drop)."""
    from dressform.garment.blocks import draft_size
    from dressform.garment.sizes import load_chart

    for size in load_chart(chart).sizes:
        for height in (145.0, 157.0, 195.0):
            for block in ("tshirt", "hoodie", "sheath_dress", "shift_dress"):
                pattern = draft_size(block, size, height)
                assert {"front", "back"} <= {p.name for p in pattern.panels}


@pytest.mark.parametrize("chart", ["women", "men"])
def test_a_hood_has_room_for_the_back_of_the_head_in_every_size(chart):
    """The hood's back seam reaches behind its neck seam by a share of the hood's height, in
    the largest sizes too, whose wide necklines once left a hood with no room there: worn up
    it stopped short of the crown, and could not be pushed down off the head."""
    from dressform.garment.blocks.tops import HOOD_BACK

    for size in builtin_chart(chart).sizes:
        hood = draft_size("hoodie", size, 165.0).panel("hood_l")
        neck = hood.edge("neck").polyline()
        outline = hood.outline
        height = outline[:, 1].max() - outline[:, 1].min()
        behind = outline[:, 0].max() - neck[:, 0].max()
        assert behind > 0.95 * HOOD_BACK * height, (size.label, behind, height)


def test_a_fitting_takes_the_persons_own_rise():
    """Trousers drafted for a round body's own inseam: its crotch sits where hers is, and the
    rise (waist to crotch) is the longer one her body needs; nothing else is taken from the
    person (the girths stay the chart size's, the hip line the height's)."""
    from dressform.garment.blocks import draft_size

    size = builtin_chart("women").size("5XL")
    rule = draft_size("trousers", size, 165.0)
    own = draft_size("trousers", size, 165.0, {"inseam_cm": 69.0, "hip_girth_cm": 150.0})
    assert own.levels_mm["crotch"] == pytest.approx(rule.levels_mm["crotch"] - 10.0 * (
        0.46 * 165.0 - 69.0))
    assert own.levels_mm["waist"] == rule.levels_mm["waist"]
    assert own.levels_mm["hip"] == rule.levels_mm["hip"]  # only the crotch moves
    assert own.body_cm["hip_girth_cm"] == size.body_cm["hip_girth_cm"]
    for block in ("tshirt", "skirt", "sheath_dress"):  # no rise: drafted as before
        own = draft_size(block, size, 165.0, {"inseam_cm": 69.0})
        rule = draft_size(block, size, 165.0)
        for a, b in zip(own.panels, rule.panels, strict=True):
            assert np.array_equal(a.outline, b.outline)


@pytest.mark.parametrize("chart", ["women", "men"])
def test_every_bottom_drafts_in_every_size(chart):
    """A men's chart's large sizes have a waist near the hips: a back dart of no width once
    made a slit in the trouser back's outline, which crossed itself."""
    for size in load_chart(chart).sizes:
        for block in ("trousers", "skirt", "aline_skirt"):
            pattern = draft_size(block, size, 176.0)
            assert not problems(pattern), (size.label, block)


@pytest.mark.parametrize("block", ["trousers", "skirt", "aline_skirt"])
@pytest.mark.parametrize("waist_over_hip_cm", [-25.0, -5.0, 0.0, 5.0, 15.0])
def test_a_bottom_drafts_for_a_waist_wider_than_the_hips(block, waist_over_hip_cm):
    hip = 118.0
    p = draft(block, {"height_cm": 170.0, "bust_girth_cm": hip, "hip_girth_cm": hip,
                      "waist_girth_cm": hip + waist_over_hip_cm})
    waist = p.body_cm["waist_girth_cm"] + p.ease_cm["waist"]
    # The garment's finished waist goes round the body's waist, and its hip round the hips.
    assert waist >= hip + waist_over_hip_cm
    assert p.body_cm["hip_girth_cm"] + p.ease_cm["hip"] >= hip


def test_a_partner_drafted_to_measure_lets_the_chart_out_where_it_stops_short(woman):
    """`draft_for(..., MEASURED)`: a body beyond the chart's last size gets that size let out
    to its own girths, where "own" refuses the size as too small."""
    from dressform.body import BodySpec, build
    from dressform.garment.blocks import MEASURED, draft_for

    big = build(BodySpec(sex="female", height_cm=157, weight_kg=98.5, age_years=45))
    with pytest.raises(InvalidInputError, match="less than the clone's"):
        draft_for("trousers", big, "own")
    let_out = draft_for("trousers", big, MEASURED)
    assert let_out.size.endswith("let out")
    from dressform.body.measure import measure

    body = measure(big).as_dict()
    made = let_out.body_cm["waist_girth_cm"] + let_out.ease_cm["waist"]
    assert made >= body["waist_girth_cm"] - 1.0
    # A body the chart serves is drafted in its own size, not let out.
    assert draft_for("trousers", woman, MEASURED).size == draft_for("trousers", woman).size
