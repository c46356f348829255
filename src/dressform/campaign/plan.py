"""A campaign's shots: every clone of the cast in every look, in every pose × camera × scene ×
expression, each with a stable key (a re-run finds it again; a changed shot is a new one), its
output path and the drape it needs (shared by all shots of the same look on the same clone)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from dressform.campaign.spec import Campaign, GarmentItem

#: Seconds per unit of work on the 2-core reference machine (BENCHMARKS.md): a drape per
#: garment at 20 mm, a re-drape into a pose (once per look, clone and pose), and a still per
#: render quality. Estimates only.
DRAPE_S = 60.0
REDRAPE_S = 20.0
RENDER_S = {"draft": 5.0, "preview": 9.0, "campaign": 19.0, "print": 60.0, "reference": 420.0}
RASTER_S = 2.0


@dataclass(frozen=True)
class Member:
    """A clone of the cast: `name` in the campaign, `clone_id` in the store."""

    name: str
    clone_id: str
    spec: dict[str, Any]
    synthetic: bool


@dataclass(frozen=True)
class DrapeJob:
    """One look sewn onto one clone; every shot of that pair starts from its rest drape."""

    key: str
    member: Member
    look: str
    garments: tuple[GarmentItem, ...]
    layering: str


@dataclass(frozen=True)
class Shot:
    key: str
    member: Member
    drape: DrapeJob
    pose: str
    camera: str
    light: str
    backdrop: str
    expression: str
    output: str  # relative to the campaign's output folder

    @property
    def redraped(self) -> bool:
        """Whether the shot's garments are re-draped into its pose (not the rest pose)."""
        from dressform.body.pose import get_pose

        return not get_pose(self.pose).at_rest

    def describe(self) -> dict[str, str]:
        """The shot as stored with its job and written into its manifest."""
        return {"clone": self.member.name, "look": self.drape.look, "pose": self.pose,
                "camera": self.camera, "light": self.light, "backdrop": self.backdrop,
                "expression": self.expression, "output": self.output}


@dataclass(frozen=True)
class Plan:
    campaign: Campaign
    members: tuple[Member, ...]
    drapes: tuple[DrapeJob, ...]
    shots: tuple[Shot, ...]

    def estimate_s(self, workers: int = 1) -> float:
        """About how long the whole campaign takes with `workers` workers (seconds)."""
        out = self.campaign.outputs
        render = RASTER_S if out.renderer == "raster" else RENDER_S[out.quality]
        drape = sum(DRAPE_S * len(d.garments) for d in self.drapes)
        poses = {(s.drape.key, s.pose) for s in self.shots if s.redraped}
        work = drape + REDRAPE_S * len(poses) + render * len(self.shots)
        return work / max(1, min(workers, len(self.shots)))


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _slug(text: str) -> str:
    return text.replace(" ", "-")


def cast_members(campaign: Campaign, stored: dict[str, dict[str, Any]]) -> list[Member]:
    """The cast: named clones (from the store, `stored` maps their ids to their specs and
    whether they are synthetic, or given by spec) then the sampled ones."""
    from dressform.body.spec import BodySpec

    members = []
    for m in campaign.cast.clones:
        if m.clone is not None:
            rec = stored[m.clone]
            members.append(Member(m.name, m.clone, rec["spec"], rec["synthetic"]))
        else:
            spec = BodySpec(**(m.spec or {})).model_dump(mode="json")
            members.append(Member(m.name, f"{campaign.name}.{m.name}", spec, True))
    if campaign.cast.sample is not None:
        from dressform.body.cast import CastRanges, cast

        s = campaign.cast.sample
        drawn = cast(s.n, CastRanges(share_female=s.share_female), seed=s.seed)
        for i, spec in enumerate(drawn.specs):
            name = f"model-{i + 1}"
            members.append(Member(name, f"{campaign.name}.{name}", spec.model_dump(mode="json"),
                                  True))
    return members


def plan(campaign: Campaign, stored: dict[str, dict[str, Any]] | None = None) -> Plan:
    """Every shot of `campaign` (see `cast_members` for `stored`)."""
    members = cast_members(campaign, stored or {})
    items = {g.name: g for g in campaign.collection}
    out = campaign.outputs
    drapes: list[DrapeJob] = []
    shots: list[Shot] = []
    for member, look in product(members, campaign.looks):
        garments = tuple(items[g] for g in look.garments)
        dkey = digest({"spec": member.spec, "garments": [g.model_dump() for g in garments],
                       "layering": look.layering, "drape": campaign.drape.model_dump()})
        drape = DrapeJob(dkey, member, look.name, garments, look.layering)
        drapes.append(drape)
        sh = campaign.shots
        for pose, camera, scene, expression in product(sh.poses, sh.cameras, sh.scenes,
                                                       sh.expressions):
            name = "_".join(_slug(p) for p in (pose, camera, scene.light, scene.backdrop,
                                               expression))
            output = f"{member.name}/{look.name}/{name}.{out.format}"
            key = digest({"drape": dkey, "pose": pose, "camera": camera,
                          "scene": scene.model_dump(), "expression": expression,
                          "hair": sh.hair, "outputs": out.model_dump(exclude={
                              "contact_sheet", "lookbook"}), "output": output})
            shots.append(Shot(key, member, drape, pose, camera, scene.light, scene.backdrop,
                              expression, output))
    return Plan(campaign, tuple(members), tuple(drapes), tuple(shots))


def drape_path(root: Path, drape: DrapeJob) -> Path:
    """Where a drape is cached: keyed by everything that makes it, so a changed look or
    clone drapes afresh and an unchanged one is reused across runs."""
    return root / ".drapes" / f"{drape.member.name}_{drape.look}_{drape.key}.glb"


def posed_path(root: Path, drape: DrapeJob, pose: str) -> Path:
    """Where a drape's garments re-draped into `pose` are cached (shared by that pose's shots
    whatever their camera, light or expression)."""
    return drape_path(root, drape).with_name(f"{drape_path(root, drape).stem}_{pose}.npz")
