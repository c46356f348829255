"""Population coverage: the analytic sizing from the chart, misfits and why, bad tables, the
drape sample's correction, the report and the command."""

import csv

import numpy as np
import pytest

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.fit.coverage import CATEGORIES, coverage
from dressform.fit.population import population_from_records, read_population
from dressform.garment.sizes import builtin_chart

WOMEN = builtin_chart("women")


def on_chart(chart=WOMEN, height=168.0, **over):
    """One person per size, at that size's chart body."""
    return [{"name": s.label, "sex": "female", "height_cm": height,
             **{k: v for k, v in s.body_cm.items() if k != "height_cm"}, **over}
            for s in chart.sizes]


def test_people_on_the_chart_get_their_own_size():
    for block in ("tshirt", "skirt", "sheath_dress"):
        report = coverage(population_from_records(on_chart()), block, WOMEN, sample=0)
        assert report.share_fitted == 1.0
        assert [report.labels[p] for p in report.judgement.pick] == report.labels
        assert report.size_curve == pytest.approx(np.full(len(WOMEN.sizes), 1 / len(WOMEN.sizes)))
        # Each size fits its own person and a few neighbours (4 cm steps, a 16 % band).
        assert report.judgement.fits.diagonal().all()
        assert (report.judgement.fits.sum(axis=0) <= 4).all()


def test_a_bigger_person_never_gets_a_smaller_size():
    bust = np.linspace(74.0, 118.0, 60)
    people = [{"sex": "female", "height_cm": 168, "bust_girth_cm": b} for b in bust]
    report = coverage(population_from_records(people), "tshirt", WOMEN, sample=0)
    picks = report.judgement.pick[report.judgement.pick >= 0]
    assert len(picks) > 50 and (np.diff(picks) >= 0).all()


def test_misfits_are_named_with_the_reason():
    people = [
        {"name": "big", "sex": "female", "height_cm": 168, "bust_girth_cm": 135.0},
        {"name": "small", "sex": "female", "height_cm": 168, "bust_girth_cm": 62.0},
        {"name": "short", "sex": "female", "height_cm": 148, "bust_girth_cm": 88.0},
        {"name": "fits", "sex": "female", "height_cm": 165, "bust_girth_cm": 88.0},
        {"name": "pear", "sex": "female", "height_cm": 168, "waist_girth_cm": 66.0,
         "hip_girth_cm": 120.0},
    ]
    pop = population_from_records(people)
    report = coverage(pop, "tshirt", WOMEN, sample=0)
    why = {pop.names[i]: (c, r) for i, c, r in report.misfits()}
    assert why["big"][0] == "bigger than the largest size"
    assert "bust 135 cm tight in 6XL" in why["big"][1]
    assert why["small"][0] == "smaller than the smallest size" and "loose in XXS" in why["small"][1]
    assert why["short"][0] == "height outside the sizes' range" and "148 cm" in why["short"][1]
    assert "fits" not in why
    assert pop.names.index("pear") in report.not_judged  # a T-shirt is sized by the bust
    skirt = coverage(pop, "skirt", WOMEN, sample=0)
    pear = dict((pop.names[i], (c, r)) for i, c, r in skirt.misfits())["pear"]
    assert pear[0] == "proportions between sizes" and "waist" in pear[1] and "hip" in pear[1]
    assert set(report.categories()) <= set(CATEGORIES)


def test_bad_rows_are_kept_and_named_and_bad_tables_refused(tmp_path):
    rows = [
        *on_chart()[:3],
        {"name": "typo", "sex": "female", "height_cm": 168, "bust_girth_cm": 880},
        {"name": "nan", "sex": "female", "height_cm": 168, "bust_girth_cm": "nan"},
        {"name": "who", "sex": "x", "height_cm": 168, "bust_girth_cm": 88},
        {"name": "man", "sex": "male", "height_cm": 180, "bust_girth_cm": 100},
    ]
    pop = population_from_records(rows)
    report = coverage(pop, "tshirt", WOMEN, sample=0)
    skipped = {pop.names[i]: why for i, why in report.not_judged.items()}
    assert "not a plausible" in skipped["typo"]
    assert "not a finite number" in skipped["nan"]
    assert "female, male" in skipped["who"]
    assert "women chart is for female" in skipped["man"]
    assert report.count == 3 and report.share_fitted == 1.0
    with pytest.raises(UnknownNameError, match="bust_cm"):
        population_from_records([{"height_cm": 168, "bust_cm": 88}])
    with pytest.raises(InvalidInputError, match="no people"):
        population_from_records([])
    with pytest.raises(UnknownNameError, match="unknown block"):
        coverage(pop, "kaftan", WOMEN, sample=0)
    with pytest.raises(InvalidInputError, match="no such file"):
        read_population(tmp_path / "missing.csv")
    short = tmp_path / "short.csv"  # the last row stops before its bust
    short.write_text("name,sex,height_cm,bust_girth_cm\na,female,168,88\nb,female,168\n")
    pop = read_population(short)
    assert coverage(pop, "tshirt", WOMEN, sample=0).not_judged == {1: "no bust given"}


def test_thousands_of_people_from_the_chart_alone():
    rng = np.random.default_rng(3)
    n = 5000
    bust = rng.normal(94.0, 11.0, n)
    people = [{"sex": "female", "height_cm": h, "bust_girth_cm": b, "waist_girth_cm": b - 16 + w,
               "hip_girth_cm": b + 6 + p}
              for h, b, w, p in zip(rng.normal(165, 7, n), bust, rng.normal(0, 6, n),
                                    rng.normal(0, 5, n), strict=True)]
    pop = population_from_records(people)
    report = coverage(pop, "sheath_dress", WOMEN, sample=0)
    assert report.count + len(report.not_judged) == n
    assert 0.2 < report.share_fitted < 0.9
    assert report.size_curve.sum() == pytest.approx(1.0)
    # The whole set fits at least as many as any one size, and no more than all together.
    assert report.share_fitted >= report.share_per_size.max()
    assert report.share_fitted <= report.share_per_size.sum()
    assert len(report.misfits()) == round((1 - report.share_fitted) * report.count)


def test_a_drape_sample_corrects_the_chart(tmp_path):
    """Two people are cloned and draped: the draped girths correct the drafted ones, and the
    corrected analytic ease is near the draped one out of sample."""
    from dressform.fit.coverage_page import write_coverage

    rows = on_chart()[2:6]
    pop = population_from_records(rows)
    seen = []
    report = coverage(pop, "tshirt", WOMEN, sample=2, spacing_mm=30.0, max_frames=160,
                      progress=seen.append)
    assert len(report.sample) == 2 and len(seen) == 2
    assert not any(f.failed for f in report.sample), [f.summary for f in report.sample]
    assert "bust_girth_cm" in report.sizes.dims
    assert np.all(np.abs(report.ratio - 1.0) < 0.1)  # cloth near its pattern girth
    before, after = report.ease_error_pct
    # Out of sample (each drape against the other's ratio): within 3 % of the draped ease.
    assert before < 10.0 and after is not None and after < 3.0
    png, page, table = write_coverage(report, tmp_path / "coverage.png")
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("L"))
    assert pixels.std() > 10  # charts, not a blank page
    assert "drape sample" in page.read_text()
    with table.open() as f:
        assert len(list(csv.DictReader(f))) == len(rows)


def test_coverage_command(cli, tmp_path):
    people = tmp_path / "people.csv"
    women, men = on_chart(), on_chart(builtin_chart("men"), height=176, sex="male")
    rows = women + men
    with people.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "cov"
    result = cli("coverage", "--population", str(people), "--sample", "0", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert f"100 % of {len(women)} people" in result.stdout
    assert f"100 % of {len(men)} people" in result.stdout
    for chart in ("women", "men"):
        assert (out / f"coverage_{chart}.png").stat().st_size > 10_000
        assert (out / f"coverage_{chart}.html").exists()
    bad = cli("coverage", "-o", str(out))
    assert bad.returncode != 0 and "--population" in bad.stderr
    assert "Traceback" not in bad.stderr
    people.write_text("height_cm,bust_cm\n168,88\n")
    bad = cli("coverage", "--population", str(people), "--sample", "0", "-o", str(out))
    assert bad.returncode != 0 and "bust_cm" in bad.stderr and "Traceback" not in bad.stderr


def test_a_blend_is_sized_in_the_chart_its_fitting_would_use():
    from dressform.body.spec import make_spec
    from dressform.fit.advice import chart_name_for

    values = [0.0, 0.3, 0.6, 0.79, 0.8, 1.0]
    pop = population_from_records([{"sex": v, "height_cm": 170, "bust_girth_cm": 90}
                                   for v in values])
    charts = [{"female": "women", "male": "men"}[s] for s in pop.sex]
    assert charts == [chart_name_for(make_spec(sex=v)) for v in values]
    assert charts == ["women"] * 4 + ["men"] * 2
