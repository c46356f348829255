"""The web app on a test store and the prepared try-on drapes (see conftest's tryon_data)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from dressform.web import WebSettings, create_app


def test_settings(data: Path, db: Path, **changes: object) -> WebSettings:
    base = WebSettings(database_url=f"sqlite:///{db}", data=data, tryon_spacing_mm=40.0,
                       prepare_on_demand=False, max_cloth_vertices=3000)
    return replace(base, **changes)  # type: ignore[arg-type]


def make_app(data: Path, db: Path, **changes: object):  # type: ignore[no-untyped-def]
    app = create_app(test_settings(data, db, **changes))
    _, key = app.state.store.add_api_key("tests")
    return app, key


#: A shopper whose numbers are unusual enough to find in a log if they ever leak into one.
SHOPPER = {"sex": "female", "height_cm": 160.37, "weight_kg": 63.21, "bust_cm": 93.17}
