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
