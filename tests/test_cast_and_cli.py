
import pytest

from dressform.body.cast import CastRanges, cast
from dressform.errors import InvalidInputError


@pytest.fixture(scope="module")
def cast10():
    return cast(10, seed=3)


def test_cast_is_diverse_and_covers_every_skin_tone(cast10):
    cov = cast10.coverage()
    assert set(cov["skin tone"]) == {f"MST-{i}" for i in range(1, 11)}
    assert sum(cov["age band"].values()) == 10
    assert {"female", "male"} <= set(cov["sex"])
    assert len(cov["personality"]) == 4  # it stands and walks like different people
    ages = [s.age_years for s in cast10.specs]
    assert min(ages) >= 18 and max(ages) <= 80 and max(ages) - min(ages) > 30
    for spec, body in zip(cast10.specs, cast10.bodies, strict=True):
        assert body.height_m * 100 == pytest.approx(spec.height_cm, abs=0.05)


def test_cast_is_deterministic_for_a_seed(cast10):
    again = cast(10, seed=3)
    assert again.specs == cast10.specs
    assert cast(3, seed=4).specs != cast(3, seed=5).specs


def test_cast_keeps_the_share_of_women():
    specs = cast(10, CastRanges(share_female=0.8, share_blend=0.0), seed=1).specs
    assert sum(s.sex == 0.0 for s in specs) == 8  # sex 0 = female, 1 = male


def test_cast_refuses_a_bad_size():
    with pytest.raises(InvalidInputError):
        cast(0)


def test_cli_bad_input_is_one_clear_line_and_nonzero_exit(cli):
    out = cli("clone", "--height", "40", "--weight", "60", "-o", "/tmp/never.glb")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr + out.stdout
    assert "not a plausible adult" in out.stderr


def test_cli_clone_then_measure(tmp_path, cli):
    mesh = tmp_path / "me.glb"
    out = cli("clone", "--height", "170", "--weight", "65", "--waist", "74", "-o", str(mesh),
               "--no-preview", "--predicted")
    assert out.returncode == 0, out.stderr
    assert "waist_girth_cm" in out.stdout and mesh.exists()
    predicted = out.stdout.split("clone: predicted", 1)[1]
    assert "inseam_cm" in predicted and "waist_girth_cm" not in predicted
    measured = cli("measure", str(mesh))
    assert measured.returncode == 0, measured.stderr
    line = next(x for x in measured.stdout.splitlines() if "height_cm" in x)
    assert abs(float(line.split()[-2]) - 170.0) < 0.5


def test_cli_help_everywhere(cli):
    for cmd in ("clone", "measure", "cast", "demo", "drape", "outfit"):
        out = cli(cmd, "--help")
        assert out.returncode == 0 and "Usage" in out.stdout


def test_the_command_line_starts_without_torch():
    """`dressform --help` and the light commands must not load torch and anny (seconds):
    only a command that builds or drapes a body pays for them."""
    import subprocess
    import sys

    probe = ("import sys, dressform.cli.app; "
             "print(sorted(m for m in ('torch', 'anny') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
