"""The campaign file: a YAML description of a whole campaign, validated with errors that point
at the file, line and field.

```yaml
name: spring-26
use: campaign                 # the consented use these images are for
territories: [EU, US]
cast:
  sample: {n: 4, seed: 7}     # synthetic clones drawn for diversity, and/or
  clones:                     # named ones: a clone in the store, or a spec
    - {name: ada, clone: ada}
    - {name: sam, spec: {sex: 1, age_years: 40, height_cm: 181, weight_kg: 84, skin_tone: 8}}
collection:
  - {name: tee, block: tshirt, size: own, fabric: cotton_jersey, color: white}
  - {name: skirt, block: aline_skirt, size: M, chart: women, fabric: denim, color: indigo}
looks:
  - {name: tee, garments: [tee]}
shots:
  poses: [relaxed, contrapposto]
  cameras: [three-quarter]
  scenes: [{light: editorial, backdrop: white}]
  expressions: [soft smile]
outputs: {format: jpg, quality: campaign, contact_sheet: true, lookbook: true}
```
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from dressform.drape.spacing import DRAPE_SPACING_MM
from dressform.errors import InvalidInputError
from dressform.names import suggest
from dressform.provenance.consent import WORLDWIDE

Loc = tuple[str | int, ...]


class CampaignError(InvalidInputError):
    """A campaign file that cannot be run; `problems` are `file:line:column: field: message`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        head = f"{len(problems)} problems in the campaign file:\n  " if len(problems) > 1 else ""
        super().__init__(head + "\n  ".join(problems))

    def __reduce__(self) -> tuple[type, tuple[list[str]]]:
        return (type(self), (self.problems,))


class _CrossRefs(Exception):
    """Problems between fields (a look naming a garment that is not in the collection), each
    with the location of the field at fault. Not a ValueError, so pydantic lets it through."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems


def _known(value: str, table: Any, what: str) -> str:
    if value not in table:
        raise ValueError(f"unknown {what} {value!r}{suggest(value, table)} "
                         f"({what}s: {', '.join(table)})")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


NAME = r"^[a-z0-9][a-z0-9_-]*$"


def _named(what: str, module: str, table: str) -> Any:
    """A string type that must be a key of `module.table` (imported when first checked: the
    tables live in heavy modules that a campaign file's syntax check should not load)."""

    def check(value: str) -> str:
        return _known(value, getattr(importlib.import_module(module), table), what)

    return Annotated[str, AfterValidator(check)]


PoseName = _named("pose", "dressform.body.poses", "POSES")
CameraName = _named("camera", "dressform.render.studio", "CAMERAS")
ExpressionName = _named("expression", "dressform.body.face", "EXPRESSION_PRESETS")
BlockName = _named("block", "dressform.garment.blocks", "BLOCKS")
FabricName = _named("fabric", "dressform.drape.fabrics", "PRESETS")
LightName = _named("light", "dressform.render.studio", "LIGHTS")
BackdropName = _named("backdrop", "dressform.render.studio", "BACKDROPS")
QualityName = _named("quality", "dressform.render.studio", "QUALITY")
UseName = _named("use", "dressform.provenance.consent", "USES")


class CastSample(_Strict):
    """Synthetic clones drawn by `dressform.body.cast` (diverse on purpose)."""

    n: int = Field(ge=1, le=500)
    seed: int = 0
    share_female: float = Field(0.5, ge=0.0, le=1.0)


class Wearing(_Strict):
    """A base layer and shoes (`dressform.render.wear.Wear`); a field left out takes the
    clone's choice, then the default (a base layer matched to the body, trainers)."""

    base: str | None = None
    base_color: str | None = None
    shoes: str | None = None
    shoe_material: str | None = None
    shoe_color: str | None = None
    heel_mm: float | None = None

    @model_validator(mode="after")
    def _wearable(self) -> Wearing:
        from dressform.render.wear import Wear, with_wear

        try:
            with_wear(Wear(), **self.model_dump(include=set(Wearing.model_fields)))
        except InvalidInputError as exc:
            raise ValueError(str(exc)) from None
        return self


class CastMember(Wearing):
    """A named clone: `clone` names one in the store (a real person's needs consent), or
    `spec` gives a synthetic one's `BodySpec` fields; what it wears under and below every
    look (`Wearing`)."""

    name: str = Field(pattern=NAME)
    clone: str | None = None
    spec: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CastMember:
        if (self.clone is None) == (self.spec is None):
            raise ValueError("give either `clone` (a clone in the store) or `spec`")
        if self.spec is not None:
            from dressform.body.spec import BodySpec

            BodySpec(**self.spec)
        return self


class CastSpec(_Strict):
    sample: CastSample | None = None
    clones: list[CastMember] = []

    @model_validator(mode="after")
    def _someone(self) -> CastSpec:
        if self.sample is None and not self.clones:
            raise ValueError("the cast is empty: give `sample` or `clones`")
        return self


class GarmentItem(_Strict):
    """A garment of the collection: a block drafted in a size (`own`: each clone's own size
    from the chart) or a pattern file, in a fabric and colour."""

    name: str = Field(pattern=NAME)
    block: BlockName | None = None
    pattern: str | None = None
    size: str = "own"
    chart: str | None = None
    fabric: FabricName = "cotton_jersey"
    color: str = "white"

    @field_validator("color")
    @classmethod
    def _color(cls, v: str) -> str:
        from dressform.render.looks import parse_color

        try:
            parse_color(v)
        except InvalidInputError as exc:
            raise ValueError(str(exc)) from None
        return v

    @model_validator(mode="after")
    def _one_source(self) -> GarmentItem:
        if (self.block is None) == (self.pattern is None):
            raise ValueError("give either `block` (a built-in block) or `pattern` (a file)")
        return self


class Look(Wearing):
    """An outfit: one garment, or a top and a bottom layered over or tucked. A look of one
    top gets a `bottom` and one of a bottom a `top` (`dressform.drape.styling`: "auto" goes
    with the garment, "none" leaves the look as it is, or a block); its base layer and shoes
    (`Wearing`) go before the clone's."""

    name: str = Field(pattern=NAME)
    garments: list[str] = Field(min_length=1, max_length=2)
    layering: Literal["over", "tucked"] = "over"
    bottom: str = "auto"
    top: str = "auto"

    @model_validator(mode="after")
    def _styling(self) -> Look:
        from dressform.drape.styling import Styling

        try:
            Styling(bottom=self.bottom, top=self.top)
        except InvalidInputError as exc:
            raise ValueError(str(exc)) from None
        return self


class Scene(_Strict):
    light: LightName = "editorial"
    backdrop: BackdropName = "white"


class Shots(_Strict):
    """Every combination of these is a shot of every clone in every look."""

    poses: list[PoseName] = Field(["a-pose"], min_length=1)
    cameras: list[CameraName] = Field(["front"], min_length=1)
    scenes: list[Scene] = Field([Scene()], min_length=1)
    expressions: list[ExpressionName] = Field(["neutral"], min_length=1)
    hair: str | None = None

    @field_validator("hair")
    @classmethod
    def _hair(cls, v: str | None) -> str | None:
        from dressform.errors import DressformError
        from dressform.render.hair import parse_hairstyle

        if v is None:
            return None
        try:
            parse_hairstyle(v)
        except DressformError as e:
            raise ValueError(str(e)) from None
        return v


class Outputs(_Strict):
    """What is written: stills in a format and quality preset, optionally at another
    resolution (`renderer: raster` uses the fast preview rasteriser instead of Cycles, for
    proofs), a contact sheet, a lookbook PDF, and an optional visible "AI-generated" label."""

    format: Literal["jpg", "png"] = "jpg"
    quality: QualityName = "campaign"
    #: Override the quality preset's resolution (pixels); both or neither.
    width: int | None = Field(None, ge=64, le=8192)
    height: int | None = Field(None, ge=64, le=8192)
    renderer: Literal["cycles", "raster"] = "cycles"
    contact_sheet: bool = True
    lookbook: bool = True
    label: bool = False

    @model_validator(mode="after")
    def _size(self) -> Outputs:
        if (self.width is None) != (self.height is None):
            raise ValueError("give both width and height, or neither")
        return self


class DrapeSettings(_Strict):
    spacing_mm: float = Field(DRAPE_SPACING_MM, ge=8.0, le=60.0)
    max_frames: int = Field(300, ge=10, le=5000)


class Campaign(_Strict):
    """A whole campaign, as read from its file."""

    name: str = Field(pattern=NAME, max_length=60)
    use: UseName = "campaign"
    territories: list[str] = [WORLDWIDE]
    cast: CastSpec
    collection: list[GarmentItem] = Field(min_length=1)
    looks: list[Look] = Field(min_length=1)
    shots: Shots = Shots()
    outputs: Outputs = Outputs()
    drape: DrapeSettings = DrapeSettings()
    retries: int = Field(2, ge=0, le=10)

    @model_validator(mode="after")
    def _references(self) -> Campaign:
        problems: list[tuple[Loc, str]] = []
        garments = {g.name for g in self.collection}
        for what, names in (("collection", [g.name for g in self.collection]),
                            ("looks", [lk.name for lk in self.looks]),
                            ("cast", [m.name for m in self.cast.clones])):
            seen: set[str] = set()
            for i, n in enumerate(names):
                if n in seen:
                    loc: Loc = ("cast", "clones", i, "name") if what == "cast" else (
                        what, i, "name")
                    problems.append((loc, f"{n!r} is named twice"))
                seen.add(n)
        for i, look in enumerate(self.looks):
            for j, g in enumerate(look.garments):
                if g not in garments:
                    problems.append((("looks", i, "garments", j),
                                     f"no garment {g!r} in the collection"
                                     f"{suggest(g, garments)}"))
        if problems:
            raise _CrossRefs(problems)
        return self


def _locate(node: yaml.Node | None, loc: Loc) -> yaml.Mark | None:
    """The start of the YAML node at `loc` (or of the deepest node on the way to it)."""
    mark = node.start_mark if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(
                node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        mark = node.start_mark
    return mark


def _dotted(loc: Loc) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(top)"


def _where(path: Path, root: yaml.Node | None, loc: Loc) -> str:
    mark = _locate(root, loc)
    pos = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
    return f"{path}:{pos}: {_dotted(loc)}"


def parse_campaign(text: str, path: str | os.PathLike[str] = "<campaign>") -> Campaign:
    """The campaign in YAML `text` (read from `path`, which only names it in errors)."""
    where = Path(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        pos = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise CampaignError([f"{where}:{pos}: not valid YAML: {exc.problem}"]) from None
    if not isinstance(data, dict):
        raise CampaignError([f"{where}:1:1: a campaign file is a mapping (name:, cast:, ...)"])
    try:
        return Campaign.model_validate(data)
    except _CrossRefs as exc:
        raise CampaignError([f"{_where(where, root, loc)}: {msg}"
                             for loc, msg in exc.problems]) from None
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            # pydantic adds the union/validator branch to the location ('function-after'...):
            # keep only the parts that name fields and items of the file.
            loc = tuple(p for p in e["loc"] if isinstance(p, int) or not re.search(
                r"[\[\-]", str(p)))
            msg = e["msg"].removeprefix("Value error, ")
            problems.append(f"{_where(where, root, loc)}: {msg}")
        raise CampaignError(problems) from None


def load_campaign(path: str | os.PathLike[str]) -> Campaign:
    """The campaign in file `path`."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"no campaign file {p}")
    return parse_campaign(p.read_text(encoding="utf-8"), p)
