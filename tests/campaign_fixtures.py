"""A small campaign for the runner's tests: one look, shots from the preview rasteriser, its
drape made once per session and put in each test's drape cache (the drape is not what these
tests test); and `quick_shot`, a stand-in for the render where the picture does not matter."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PIL import Image

from dressform.body.spec import BodySpec
from dressform.campaign.plan import drape_path
from dressform.campaign.run import plan_campaign
from dressform.campaign.spec import Campaign, parse_campaign
from dressform.campaign.work import ShotResult, ShotTask, sha256_file
from dressform.provenance.manifest import sign
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


#: A render of the repository's docs, the picture of every `quick_shot`.
RENDER = Path(__file__).resolve().parents[1] / "docs" / "render" / "preview.jpg"


def quick_shot(task: ShotTask) -> ShotResult:
    """The render's stand-in for tests of the runner's bookkeeping: a 256×384 copy of a docs
    render, signed with the shot's manifest as a real shot is, in a fraction of the time."""
    with Image.open(RENDER) as im:
        image = im.convert("RGB").resize((256, 384))
    with tempfile.TemporaryDirectory() as tmp:
        unsigned = Path(tmp) / f"unsigned{task.output.suffix}"
        image.save(unsigned, format="JPEG")
        task.output.parent.mkdir(parents=True, exist_ok=True)
        sign(unsigned, task.output, task.credentials, title=task.title, clone=task.manifest)
    return ShotResult(task.output, sha256_file(task.output), 256, 384, 0.0)
