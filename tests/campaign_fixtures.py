"""A small campaign for the runner's tests: one look, shots from the preview rasteriser, its
drape made once per session and put in each test's drape cache (the drape is not what these
tests test)."""

from __future__ import annotations

import shutil
from pathlib import Path

from dressform.body.spec import BodySpec
from dressform.campaign.plan import drape_path
from dressform.campaign.run import plan_campaign
from dressform.campaign.spec import Campaign, parse_campaign
from dressform.store.db import Store

SPEC = BodySpec(sex="female", age_years=30, height_cm=168, weight_kg=62).model_dump(
    mode="json")
TEE = {"name": "tee", "block": "tshirt", "size": "M", "chart": "women", "color": "red"}


def campaign_text(name: str = "test", cast: str = "clones: [{name: ada, clone: ada}]",
                  cameras: str = "[front, back]", backdrops: str = "[white]",
                  use: str = "campaign", extra: str = "") -> str:
    scenes = ", ".join(f"{{light: high-key, backdrop: {b}}}" for b in
                       backdrops.strip("[]").split(", "))
    return (f"name: {name}\nuse: {use}\nterritories: [EU]\ncast: {{{cast}}}\n"
            f"collection: [{{name: tee, block: tshirt, size: M, chart: women, color: red}}]\n"
            f"looks: [{{name: tee, garments: [tee]}}]\n"
            f"shots: {{cameras: {cameras}, scenes: [{scenes}]}}\n"
            f"outputs: {{renderer: raster, quality: draft}}\n"
            f"drape: {{spacing_mm: 40, max_frames: 80}}\nretries: 1\n{extra}")


def prime(campaign: Campaign, store: Store, root: Path, dressed: Path) -> None:
    """Put the session's drape where the campaign's runner looks for each of its drapes."""
    for d in plan_campaign(campaign, store).drapes:
        if d.look != "tee":
            continue  # other looks drape for real
        target = drape_path(root, d)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(dressed, target)


def load(text: str) -> Campaign:
    return parse_campaign(text)
