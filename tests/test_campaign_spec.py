"""Campaign files: a valid one plans its shots; invalid ones point at file, line and field."""

from __future__ import annotations

import pytest

from dressform.campaign.plan import plan
from dressform.campaign.spec import CampaignError, load_campaign, parse_campaign

GOOD = """name: spring-26
use: campaign
territories: [EU]
cast:
  clones:
    - {name: sam, spec: {sex: male, age_years: 40, height_cm: 181, weight_kg: 84}}
    - {name: ada, spec: {sex: female, age_years: 30, height_cm: 165, weight_kg: 60}}
collection:
  - {name: tee, block: tshirt, fabric: cotton_jersey, color: white}
  - {name: skirt, block: aline_skirt, size: M, chart: women, fabric: denim, color: indigo}
looks:
  - {name: tee, garments: [tee]}
  - {name: skirt, garments: [skirt]}
shots:
  poses: [relaxed, contrapposto]
  cameras: [front, three-quarter]
  expressions: [soft smile]
outputs: {quality: preview}
"""


def test_a_campaign_plans_every_combination_with_stable_keys():
    p = plan(parse_campaign(GOOD))
    assert len(p.shots) == 2 * 2 * 2 * 2 and len(p.drapes) == 4
    assert len({s.key for s in p.shots}) == len(p.shots)
    assert len({s.output for s in p.shots}) == len(p.shots)
    assert [s.key for s in plan(parse_campaign(GOOD)).shots] == [s.key for s in p.shots]
    changed = plan(parse_campaign(GOOD.replace("color: indigo", "color: black")))
    same = {s.key for s in p.shots} & {s.key for s in changed.shots}
    assert len(same) == 8  # the tee's shots are unchanged, the skirt's are new jobs
    assert p.estimate_s(2) < p.estimate_s(1)


def _problems(text: str) -> list[str]:
    with pytest.raises(CampaignError) as info:
        parse_campaign(text, "c.yaml")
    return info.value.problems


def test_errors_point_at_the_line_and_field():
    bad = (GOOD.replace("poses: [relaxed, contrapposto]", "poses: [relaxed, contraposto]")
           .replace("color: white", "colour: white"))
    problems = _problems(bad)
    assert any(p.startswith("c.yaml:9:") and "collection[0].colour" in p and
               "Extra inputs" in p for p in problems), problems
    assert any(p.startswith("c.yaml:15:20:") and "shots.poses[1]" in p and
               "did you mean 'contrapposto'" in p for p in problems), problems
    # References between fields are checked once every field is valid.
    problems = _problems(GOOD.replace("garments: [skirt]", "garments: [skrit]"))
    assert any(p.startswith("c.yaml:13:") and "looks[1].garments[0]" in p and
               "did you mean 'skirt'" in p for p in problems), problems


@pytest.mark.parametrize(("text", "expected"), [
    ("name: x\n cast: [", "not valid YAML"),
    ("- a\n- b\n", "is a mapping"),
    ("name: x\ncast: {}\ncollection: [{name: t, block: tshirt}]\nlooks: [{name: l, "
     "garments: [t]}]\n", "the cast is empty"),
    ("name: Bad Name\ncast: {sample: {n: 2}}\ncollection: [{name: t, block: tshirt}]\n"
     "looks: [{name: l, garments: [t]}]\n", "c.yaml:1:7: name"),
    ("name: x\ncast: {clones: [{name: a, spec: {skin_tone: 12}}]}\ncollection: [{name: t, "
     "block: tshirt}]\nlooks: [{name: l, garments: [t]}]\n", "c.yaml:2:17: cast.clones[0]"),
])
def test_broken_campaigns_are_refused_clearly(text, expected):
    assert any(expected in p for p in _problems(text)), _problems(text)


def test_a_missing_file_is_a_clear_error(tmp_path):
    from dressform.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="no campaign file"):
        load_campaign(tmp_path / "none.yaml")


def test_campaign_plan_command(tmp_path, cli):
    good = tmp_path / "spring.yaml"
    good.write_text(GOOD)
    done = cli("campaign", "plan", str(good), "--db", f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert done.returncode == 0, done.stderr
    assert "16 shots" in done.stdout and "about" in done.stdout and "synthetic" in done.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("poses: [relaxed, contrapposto]", "poses: [relaxed, sitting]"))
    failed = cli("campaign", "plan", str(bad))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert f"{bad}:15:20: shots.poses[1]: unknown pose 'sitting'" in " ".join(
        failed.stderr.split())
    example = cli("campaign", "example")
    assert example.returncode == 0 and "name: demo-essentials" in example.stdout


def test_a_campaign_names_a_hairstyle_and_its_hair_type():
    ok = GOOD.replace("  expressions: [soft smile]",
                      "  expressions: [soft smile]\n  hair: long/coily")
    assert parse_campaign(ok, "c.yaml").shots.hair == "long/coily"
    problems = _problems(GOOD.replace("  expressions: [soft smile]",
                                      "  expressions: [soft smile]\n  hair: locs/wavy"))
    assert any("shots.hair" in p and "own hair type" in p for p in problems), problems
