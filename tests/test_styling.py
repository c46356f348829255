"""Complete looks: a top alone is styled with a bottom, a bottom alone with a top, in colours
that go with it, in campaigns and shots alike — unless the look says otherwise."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from dressform.body import Body
from dressform.campaign.plan import completed, plan
from dressform.campaign.spec import CampaignError, parse_campaign
from dressform.drape.styling import AS_IS, NEUTRALS, Styling, partner, role_of
from dressform.errors import UnknownNameError
from dressform.render.looks import COLORS


def _lightness(rgb: tuple[float, float, float]) -> float:
    return colorsys.rgb_to_hls(*rgb)[1]


@pytest.mark.parametrize("top", ["white", "red", "sky", "olive", "black", "navy", "indigo"])
def test_a_top_gets_neutral_trousers_that_contrast_with_it(top):
    color = COLORS[top]
    chosen = partner("top", color)
    assert chosen is not None and chosen.role == "bottom" and chosen.block == "trousers"
    assert chosen.color in NEUTRALS.values() and chosen.layering == "over"
    # A light top over a dark bottom, a dark one over a light bottom; never the same colour.
    assert abs(_lightness(chosen.color) - _lightness(color)) > 0.1 or top in ("navy", "indigo")
    assert np.abs(np.subtract(chosen.color, color)).max() > 0.1


def test_a_bottom_gets_a_t_shirt_tucked_into_a_skirt_and_worn_over_trousers():
    skirt = partner("bottom", COLORS["indigo"], skirt=True)
    trousers = partner("bottom", COLORS["ivory"])
    assert skirt is not None and trousers is not None
    assert (skirt.block, skirt.layering, skirt.color_name) == ("tshirt", "tucked", "white")
    assert (trousers.layering, trousers.color_name) == ("over", "black")


def test_a_dress_is_complete_and_a_look_can_stay_as_it_is():
    assert partner("dress", COLORS["red"]) is None
    assert partner("top", COLORS["red"], AS_IS) is None
    assert partner("bottom", COLORS["red"], Styling(top="none")) is None
    assert partner("top", COLORS["red"], Styling(bottom="skirt")).block == "skirt"


def test_an_unknown_partner_is_refused_with_a_suggestion():
    with pytest.raises(UnknownNameError, match="trousers"):
        Styling(bottom="trowsers")
    with pytest.raises(UnknownNameError, match="tops"):
        Styling(top="jeans")


def test_what_a_garment_covers_is_read_from_where_its_cloth_is(woman: Body):
    v = np.asarray(woman.vertices)
    chest = v[woman.part_mask("torso")]
    legs = v[woman.part_mask("hips", "thigh_left", "thigh_right")]
    assert role_of(woman, chest * [1.05, 1.05, 1.0]) == "top"
    assert role_of(woman, legs) == "bottom"
    assert role_of(woman, np.vstack([chest, legs])) == "dress"


CAMPAIGN = """\
name: styled
cast: {clones: [{name: ada, spec: {sex: female}, shoes: court, heel_mm: 60}]}
collection:
  - {name: tee, block: tshirt, color: white}
  - {name: skirt, block: skirt, color: navy}
  - {name: dress, block: shift_dress, color: red}
looks:
  - {name: tee, garments: [tee]}
  - {name: skirt, garments: [skirt], shoes: loafers}
  - {name: dress, garments: [dress]}
  - {name: bare, garments: [tee], bottom: none, shoes: barefoot}
"""


def test_a_campaign_completes_each_look_and_dresses_each_clone():
    c = parse_campaign(CAMPAIGN)
    items = {g.name: g for g in c.collection}
    looks = {look.name: look for look in c.looks}
    tee, layering = completed(looks["tee"], items)
    assert [g.block for g in tee] == ["tshirt", "trousers"] and layering == "over"
    skirt, layering = completed(looks["skirt"], items)
    assert [g.block for g in skirt] == ["tshirt", "skirt"] and layering == "tucked"
    assert [g.block for g in completed(looks["dress"], items)[0]] == ["shift_dress"]
    assert [g.block for g in completed(looks["bare"], items)[0]] == ["tshirt"]
    wear = {s.drape.look: s.wear for s in plan(c).shots}
    # The look's choice goes before the clone's; what neither gives stays the default.
    assert wear["tee"] == {"shoes": "court", "heel_mm": 60}
    assert wear["skirt"] == {"shoes": "loafers", "heel_mm": 60}
    assert wear["bare"]["shoes"] == "barefoot"


@pytest.mark.parametrize(("change", "broken", "where"), [
    ("shoes: loafers}", "shoes: slipers}", "looks[1]"),
    ("bottom: none,", "bottom: jeens,", "looks[3]"),
    ("heel_mm: 60}", "heel_mm: 60, base: thong}", "cast.clones[0]"),
])
def test_unknown_wear_or_styling_in_a_campaign_file_is_refused_where_it_is(change, broken,
                                                                           where):
    with pytest.raises(CampaignError) as err:
        parse_campaign(CAMPAIGN.replace(change, broken), "c.yaml")
    bad = broken.split(": ")[-1].rstrip(",}")
    assert any(where in p and bad in p for p in err.value.problems), err.value.problems
