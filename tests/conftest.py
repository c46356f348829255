"""Shared fixtures: the anny model is built once per test session (its cache on first use)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dressform.body import Body, BodySpec, build

#: Test data shipped with the repository (see tests/data/README.md).
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def freesewing_sets() -> dict[str, dict[str, float]]:
    """FreeSewing's 20 adult measurement sets (mm), by name."""
    return json.loads((DATA / "freesewing_models.json").read_text())


@pytest.fixture(scope="session")
def woman() -> Body:
    return build(BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62))


@pytest.fixture(scope="session")
def man() -> Body:
    return build(BodySpec(sex="male", age_years=40, height_cm=180, weight_kg=80, skin_tone=8))


@pytest.fixture(scope="session")
def cli():
    """Runs `dressform ARGS…` in a fresh process, as a user would: the completed process."""
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "dressform.cli", *args],
                              capture_output=True, text=True, timeout=600)

    return run


@pytest.fixture(scope="session")
def tryon_data(tmp_path_factory):
    """A data folder with try-on drapes prepared (40 mm, to be quick): the T-shirt in L and
    XL on the 158 cm / 64 kg grid woman and in XS on the 158 cm / 51 kg one."""
    from dressform.tryon.catalogue import catalogue_garment, grid
    from dressform.tryon.library import DrapeLibrary

    data = tmp_path_factory.mktemp("tryon-data")
    library = DrapeLibrary(data / "tryon", spacing_mm=40.0, max_frames=150)
    tee = catalogue_garment("tee")
    women = grid("female")
    for g, size in ((women[1], "L"), (women[1], "XL"), (women[0], "XS")):
        library.get(tee, g, size)
    return data
