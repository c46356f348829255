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

from dressform.campaign.spec import Campaign, GarmentItem, Look, Wearing

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
    #: Its base layer and shoes as the cast file gives them (`Wearing` fields; None: default).
    wearing: dict[str, Any] | None = None


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
    #: The base layer and shoes (`dressform.render.wear.Wear` fields).
    wear: dict[str, Any] | None = None

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
            members.append(Member(m.name, m.clone, rec["spec"], rec["synthetic"],
                                  _wearing(m)))
        else:
            spec = BodySpec(**(m.spec or {})).model_dump(mode="json")
            members.append(Member(m.name, f"{campaign.name}.{m.name}", spec, True,
                                  _wearing(m)))
    if campaign.cast.sample is not None:
        from dressform.body.cast import CastRanges, cast

        s = campaign.cast.sample
        drawn = cast(s.n, CastRanges(share_female=s.share_female), seed=s.seed)
        for i, spec in enumerate(drawn.specs):
            name = f"model-{i + 1}"
            members.append(Member(name, f"{campaign.name}.{name}", spec.model_dump(mode="json"),
                                  True))
    return members


def _wearing(given: Wearing) -> dict[str, Any]:
    return given.model_dump(include=set(Wearing.model_fields), exclude_none=True)


def wear_of(member: Member, look: Look) -> dict[str, Any]:
    """What `member` wears under and below `look`: the look's choices, then the clone's."""
    return {**(member.wearing or {}), **_wearing(look)}


def completed(look: Look, items: dict[str, GarmentItem]
              ) -> tuple[tuple[GarmentItem, ...], str]:
    """The garments (top first) and layering of `look`, a single top or bottom of a block
    completed with its partner (`dressform.drape.styling.partner`) unless the look says
    "none". A pattern file's garment is left as it is: what it covers is not known before
    it is draped."""
    from dressform.drape.styling import Styling, partner
    from dressform.garment.blocks import BLOCK_ROLES, MEASURED
    from dressform.render.looks import parse_color

    garments = tuple(items[g] for g in look.garments)
    if len(garments) != 1 or garments[0].block is None:
        return garments, look.layering
    item = garments[0]
    role = BLOCK_ROLES[item.block]
    chosen = partner(role, parse_color(item.color),  # type: ignore[arg-type]
                     Styling(bottom=look.bottom, top=look.top), skirt="skirt" in item.block)
    if chosen is None:
        return garments, look.layering
    hexa = "#" + "".join(f"{round(c * 255):02x}" for c in chosen.color)
    other = GarmentItem(name=f"{look.name}-{chosen.color_name}-{chosen.block}",
                        block=chosen.block, fabric=chosen.fabric, color=hexa, size=MEASURED)
    pair = (item, other) if chosen.role == "bottom" else (other, item)
    return pair, chosen.layering


def plan(campaign: Campaign, stored: dict[str, dict[str, Any]] | None = None) -> Plan:
    """Every shot of `campaign` (see `cast_members` for `stored`)."""
    members = cast_members(campaign, stored or {})
    items = {g.name: g for g in campaign.collection}
    out = campaign.outputs
    drapes: list[DrapeJob] = []
    shots: list[Shot] = []
    for member, look in product(members, campaign.looks):
        garments, layering = completed(look, items)
        dkey = digest({"spec": member.spec, "garments": [g.model_dump() for g in garments],
                       "layering": layering, "drape": campaign.drape.model_dump()})
        drape = DrapeJob(dkey, member, look.name, garments, layering)
        drapes.append(drape)
        sh = campaign.shots
        for pose, camera, scene, expression in product(sh.poses, sh.cameras, sh.scenes,
                                                       sh.expressions):
            name = "_".join(_slug(p) for p in (pose, camera, scene.light, scene.backdrop,
                                               expression))
            output = f"{member.name}/{look.name}/{name}.{out.format}"
            wear = wear_of(member, look)
            key = digest({"drape": dkey, "pose": pose, "camera": camera, "wear": wear,
                          "scene": scene.model_dump(), "expression": expression,
                          "hair": sh.hair, "outputs": out.model_dump(exclude={
                              "contact_sheet", "lookbook"}), "output": output})
            shots.append(Shot(key, member, drape, pose, camera, scene.light, scene.backdrop,
                              expression, output, wear))
    return Plan(campaign, tuple(members), tuple(drapes), tuple(shots))


def drape_path(root: Path, drape: DrapeJob) -> Path:
    """Where a drape is cached: keyed by everything that makes it, so a changed look or
    clone drapes afresh and an unchanged one is reused across runs."""
    return root / ".drapes" / f"{drape.member.name}_{drape.look}_{drape.key}.glb"


def posed_path(root: Path, drape: DrapeJob, pose: str) -> Path:
    """Where a drape's garments re-draped into `pose` are cached (shared by that pose's shots
    whatever their camera, light or expression)."""
    return drape_path(root, drape).with_name(f"{drape_path(root, drape).stem}_{pose}.npz")
