"""The studio API's request and response bodies (what the OpenAPI document shows), and the
media types and names they share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dressform.campaign.spec import NAME
from dressform.provenance.consent import USES
from dressform.render.studio import BACKDROPS, CAMERAS

PNG = "image/png"
#: A name the studio can use as a key and a file name (a clone, a pattern).
Id = Annotated[str, Field(pattern=NAME, max_length=80)]


def one_of(names: Iterable[str]) -> dict[str, Any]:
    """The names a field takes, for the OpenAPI document: the server checks them itself, so
    a near miss is answered with a suggestion."""
    return {"enum": list(names)}


class CloneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Id
    synthetic: bool = Field(True, description="false: a real person's clone (needs consent)")
    spec: dict[str, Any] | None = Field(None, description="a BodySpec (people's units)")
    measurements: dict[str, float] | None = Field(
        None, description="tape measurements (cm/kg, dressform names) to fit a clone to")
    sex: Literal["female", "male"] = "female"
    source: str = Field("", max_length=500)


class CloneOut(BaseModel):
    id: str
    synthetic: bool
    source: str
    spec: dict[str, Any]
    measurements: dict[str, float] | None = None
    unreachable: dict[str, float] | None = None


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person: str = Field(min_length=1, max_length=200)
    uses: list[Annotated[str, Field(json_schema_extra=one_of(USES))]] = Field(min_length=1)
    territories: list[str] = Field(default_factory=lambda: ["worldwide"])
    starts: date
    expires: date
    licence_ref: str = Field(min_length=1, max_length=200)


class PatternOut(BaseModel):
    name: str
    source: str
    panels: list[str]
    stitches: int


class GradeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    block: str
    chart: str = "women"
    prefix: Id | None = Field(None, description="library names are <prefix>-<size>")


class GradeOut(BaseModel):
    patterns: list[str]
    problems: list[str]


class DrapeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    clone: Id
    garment: Id = Field(description="a block name or a pattern of the library")
    size: str = Field("own", max_length=16, description="for a block: a chart size or own")
    fabric: str = "cotton_jersey"
    color: str = "white"
    spacing_mm: float = Field(25.0, ge=10.0, le=60.0)
    max_frames: int = Field(300, ge=10, le=2000)


class RenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drape: str = Field(max_length=80, description="a finished drape job's id")
    camera: str = Field("front", json_schema_extra=one_of(CAMERAS))
    backdrop: str = Field("white", json_schema_extra=one_of(BACKDROPS))
    width: int = Field(512, ge=64, le=2048)
    height: int = Field(768, ge=64, le=2048)


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    detail: dict[str, Any]
    error: str
    seconds: float
    result: dict[str, Any] | None = None


class CampaignOut(BaseModel):
    id: str
    running: bool
    shots: int
    status: dict[str, int]
    error: str = ""


class OutputOut(BaseModel):
    job_id: int
    clone_id: str
    consent_id: str | None
    width: int
    height: int
    sha256: str
    url: str
    provenance: dict[str, Any] | None = None
