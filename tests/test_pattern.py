"""The pattern model: curves, validation (one test per problem), derived quantities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dressform.errors import PatternError, UnknownNameError
from dressform.garment.curves import Arc, Cubic, Line, Quadratic
from dressform.garment.pattern import Edge, EdgeRef, Fabric, Panel, Pattern, Placement, Stitch
from dressform.garment.quantities import cut_outline, fabric_use, girth_at, seam_lengths
from dressform.garment.validate import check, problems

PLACED = Placement(region="torso", side="front")


def rect(name: str, w: float = 200.0, h: float = 300.0, **kw) -> Panel:
    pts = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
    names = ["bottom", "right", "top", "left"]
    edges = tuple(Edge(name=n, curves=(Line(p0=pts[i], p1=pts[(i + 1) % 4]),))
                  for i, n in enumerate(names))
    return Panel(name=name, edges=edges, placement=kw.pop("placement", PLACED), **kw)


def two_panels(**stitch) -> Pattern:
    st = Stitch(a=EdgeRef(panel="a", edge="right"), b=EdgeRef(panel="b", edge="left"), **stitch)
    return Pattern(name="p", panels=(rect("a"), rect("b")), stitches=(st,))


def test_curve_lengths_match_closed_forms():
    assert Line(p0=(0, 0), p1=(30, 40)).length() == pytest.approx(50.0)
    assert Arc(p0=(0, 0), p1=(100, 0), bulge=1.0).length() == pytest.approx(50 * math.pi, abs=0.05)
    # A quadratic's length has a closed form: for (0,0),(50,50),(100,0) it is ≈ 114.78 mm.
    quad = Quadratic(p0=(0, 0), c=(50, 50), p1=(100, 0))
    assert quad.length() == pytest.approx(114.779, abs=0.02)
    c = Cubic(p0=(0, 0), c0=(0, 100), c1=(100, 100), p1=(100, 0))
    assert c.reversed().length() == pytest.approx(c.length())
    pts = c.polyline(0.01)
    assert np.allclose(pts[0], (0, 0)) and np.allclose(pts[-1], (100, 0))


def test_arc_turns_counter_clockwise_for_positive_bulge():
    mid = Arc(p0=(0, 0), p1=(100, 0), bulge=1.0).polyline()[len(Arc(p0=(0, 0), p1=(100, 0),
                                                                    bulge=1.0).polyline()) // 2]
    assert mid[1] < -49  # a half circle below the chord: counter-clockwise from (0,0) to (100,0)


def test_a_sound_pattern_passes():
    pattern = two_panels()
    assert problems(pattern) == []
    assert check(pattern) is pattern


def test_open_outline_is_refused():
    panel = rect("a")
    broken = panel.edges[1].model_copy(update={"curves": (Line(p0=(200, 0), p1=(200, 290)),)})
    p = Pattern(name="p", panels=(panel.model_copy(update={"edges": (
        panel.edges[0], broken, *panel.edges[2:])}),))
    with pytest.raises(PatternError, match=r"outline is open.*'right' ends 10.0 mm"):
        check(p)


def test_self_intersecting_outline_is_refused():
    pts = [(0.0, 0.0), (200.0, 300.0), (200.0, 0.0), (0.0, 300.0)]  # a bow tie
    edges = tuple(Edge(name=f"e{i}", curves=(Line(p0=pts[i], p1=pts[(i + 1) % 4]),))
                  for i in range(4))
    p = Pattern(name="p", panels=(Panel(name="x", edges=edges, placement=PLACED),))
    with pytest.raises(PatternError, match="crosses itself"):
        check(p)


def test_clockwise_outline_is_refused():
    panel = rect("a")
    cw = tuple(e.model_copy(update={"curves": tuple(c.reversed() for c in reversed(e.curves))})
               for e in reversed(panel.edges))
    with pytest.raises(PatternError, match="clockwise"):
        check(Pattern(name="p", panels=(panel.model_copy(update={"edges": cw}),)))


def test_stitch_lengths_must_agree_within_the_declared_ease():
    short = rect("b", h=280.0)
    st = Stitch(a=EdgeRef(panel="a", edge="right"), b=EdgeRef(panel="b", edge="left"))
    p = Pattern(name="p", panels=(rect("a"), short), stitches=(st,))
    with pytest.raises(PatternError, match=r"300.0 mm but b.left is 280.0 mm"):
        check(p)
    eased = p.model_copy(update={"stitches": (st.model_copy(update={"ease_mm": 20.0}),)})
    assert problems(eased) == []
    gathered = p.model_copy(update={"stitches": (st.model_copy(update={"gather": 1.1}),)})
    assert problems(gathered) == []


def test_an_edge_stitched_twice_is_refused():
    p = two_panels()
    again = Stitch(a=EdgeRef(panel="a", edge="right", start=0.5), b=EdgeRef(panel="b",
                                                                            edge="right"),
                   gather=2.5)
    with pytest.raises(PatternError, match=r"a.right .* is stitched twice"):
        check(p.model_copy(update={"stitches": (*p.stitches, again)}))


def test_a_stitch_to_a_missing_panel_or_edge_is_refused():
    st = Stitch(a=EdgeRef(panel="a", edge="right"), b=EdgeRef(panel="c", edge="left"))
    with pytest.raises(PatternError, match=r"c.left, which does not exist.*no panel 'c'"):
        check(Pattern(name="p", panels=(rect("a"), rect("b")), stitches=(st,)))
    st = Stitch(a=EdgeRef(panel="a", edge="rihgt"), b=EdgeRef(panel="b", edge="left"))
    with pytest.raises(PatternError, match="did you mean 'right'"):
        check(Pattern(name="p", panels=(rect("a"), rect("b")), stitches=(st,)))


def test_a_panel_without_placement_is_refused():
    with pytest.raises(PatternError, match="has no placement"):
        check(Pattern(name="p", panels=(rect("a", placement=None),)))


def test_unknown_fabric_and_duplicate_names_are_refused():
    with pytest.raises(PatternError, match="fabric 'silk'"):
        check(Pattern(name="p", panels=(rect("a", fabric="silk"),)))
    with pytest.raises(PatternError, match="two panels are named 'a'"):
        check(Pattern(name="p", panels=(rect("a"), rect("a"))))
    with pytest.raises(ValueError, match="used twice"):
        Panel(name="x", edges=(rect("a").edges[0],) * 2)
    with pytest.raises(UnknownNameError):
        rect("a").edge("nope")


def test_derived_quantities():
    p = two_panels().model_copy(update={"levels_mm": {"waist": 150.0}})
    assert seam_lengths(p)["a.right ↔ b.left"] == pytest.approx((300.0, 300.0))
    assert p.panel("a").area_mm2() == pytest.approx(60_000.0)
    assert girth_at(p, "waist") == pytest.approx(40.0)  # two 200 mm panels
    # 10 mm allowance all round: (200 + 20) × (300 + 20) of cloth per piece.
    assert cut_outline(p.panel("a")).area == pytest.approx(220 * 320, rel=1e-6)
    use = fabric_use(p, width_mm=500.0)[0]
    assert use.area_m2 == pytest.approx(2 * 220 * 320 / 1e6, rel=1e-6)
    # Both pieces (220 mm across the grain each, 5 mm gap) fit side by side across 500 mm.
    assert use.marker_length_m == pytest.approx(0.32)
    assert 0 < use.efficiency <= 1
    narrow = fabric_use(p, width_mm=300.0)[0]
    assert narrow.marker_length_m == pytest.approx(0.645)


def test_a_piece_wider_than_the_fabric_is_refused():
    p = Pattern(name="p", panels=(rect("a", w=2000.0),), fabrics=(Fabric(name="main"),))
    with pytest.raises(ValueError, match="wider than the 1500 mm fabric"):
        fabric_use(p)
