"""Studio endpoints for the pattern library: upload a DXF-AAMA or GarmentCode pattern, grade
a block into every size of a chart, list the library and read a pattern back."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, File, Query, UploadFile

from dressform.campaign.spec import NAME
from dressform.errors import DressformError, InvalidInputError, UnknownNameError
from dressform.store.records import PatternRecord
from dressform.web.limits import bounded
from dressform.web.studio.deps import SettingsDep, StoreDep
from dressform.web.studio.files import library_name
from dressform.web.studio.models import GradeIn, GradeOut, PatternOut

if TYPE_CHECKING:
    from dressform.garment.pattern import Pattern

router = APIRouter()


def pattern_out(rec: PatternRecord) -> PatternOut:
    from dressform.garment.pattern import Pattern

    p = Pattern.model_validate_json(rec.pattern)
    return PatternOut(name=rec.name, source=rec.source, panels=[x.name for x in p.panels],
                      stitches=len(p.stitches))


def read_upload(filename: str, data: bytes) -> Pattern:
    """The uploaded pattern file `filename` (its bytes `data`), read by its suffix."""
    from dressform.garment.io.files import read_pattern

    suffix = Path(filename).suffix.lower()
    if suffix not in (".dxf", ".json"):
        raise InvalidInputError(f"{filename}: upload a DXF-AAMA (.dxf) or GarmentCode "
                                "JSON (.json) pattern")
    with tempfile.TemporaryDirectory(prefix="dressform-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read_pattern(path)
        except DressformError as exc:  # the reader names its file: the server's temp path
            said = str(exc).replace(str(path), filename).replace(tmp, "")
            kind = UnknownNameError if isinstance(exc, UnknownNameError) else InvalidInputError
            raise kind(said) from None


@router.post("/patterns", response_model=PatternOut, status_code=201)
async def upload_pattern(file: Annotated[UploadFile, File(description=".dxf or .json")],
                         store: StoreDep, settings: SettingsDep,
                         name: Annotated[str | None, Query(pattern=NAME, max_length=80)] = None
                         ) -> PatternOut:
    """Add a pattern to the library from a DXF-AAMA or GarmentCode JSON file; it is
    checked (closed panels, stitches that match) before it is kept."""
    from dressform.garment.validate import check

    data = await file.read()
    pattern = await bounded(settings.request_timeout_s, read_upload,
                            file.filename or "pattern", data)
    check(pattern)
    key = library_name(name or Path(file.filename or pattern.name).stem.lower()
                       .replace(" ", "-"), hint=": give ?name=")
    source = "dxf-aama" if (file.filename or "").lower().endswith(".dxf") else "garmentcode"
    return pattern_out(store.put_pattern(key, pattern.model_dump_json(), source))


@router.post("/patterns/grade", response_model=GradeOut, status_code=201)
async def grade(body: GradeIn, store: StoreDep, settings: SettingsDep) -> GradeOut:
    """Draft a block in every size of a chart into the library, and check the nest."""
    from dressform.garment.grading import grade as grade_block
    from dressform.garment.grading import grading_problems
    from dressform.garment.sizes import builtin_chart

    # Over HTTP a chart is one of the built-in ones: a path would read the server's files.
    graded = await bounded(settings.request_timeout_s, grade_block, body.block,
                           builtin_chart(body.chart))
    names = [library_name(f"{body.prefix or body.block}-{size}".lower()) for size in graded]
    for key, p in zip(names, graded.values(), strict=True):
        store.put_pattern(key, p.model_dump_json(), "draft")
    return GradeOut(patterns=names, problems=grading_problems(graded))


@router.get("/patterns", response_model=list[PatternOut])
def list_patterns(store: StoreDep) -> list[PatternOut]:
    return [pattern_out(p) for p in store.patterns()]


@router.get("/patterns/{name}")
def get_pattern(name: str, store: StoreDep) -> dict[str, Any]:
    """The pattern as dressform JSON (mm)."""
    return json.loads(store.pattern(name).pattern)
