"""Shared fixtures: the anny model is built once per test session (its cache on first use)."""

from __future__ import annotations

import pytest

from dressform.body import Body, BodySpec, build


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
