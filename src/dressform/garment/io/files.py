"""Reading and writing pattern files by suffix: .svg/.png drawings, .dxf (AAMA), .json
(GarmentCode's specification, or dressform's own pattern record)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from dressform.errors import ExportError, InvalidInputError
from dressform.garment import drawing
from dressform.garment.pattern import Pattern

WRITES = (".svg", ".png", ".dxf", ".json")
READS = (".dxf", ".json")


def write_pattern(pattern: Pattern, path: str | Path) -> Path:
    """Write by suffix: .svg (1:1, print-ready), .png (preview), .dxf (AAMA), .json
    (GarmentCode specification; ``*.dressform.json``: dressform's own record, stitches and
    all)."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix in (".svg", ".png"):
        return drawing.write(drawing.pattern_items(pattern), out)
    if suffix == ".dxf":
        from dressform.garment.io.dxf_aama import export_dxf

        return export_dxf(pattern, out)
    if suffix == ".json":
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.name.endswith(".dressform.json"):
            out.write_text(pattern.model_dump_json(indent=1), encoding="utf-8")
        else:
            from dressform.garment.io.garmentcode import to_garmentcode

            out.write_text(json.dumps(to_garmentcode(pattern), indent=1), encoding="utf-8")
        return out
    raise ExportError(f"cannot write {out.name}: use one of {', '.join(WRITES)}")


def read_pattern(path: str | Path) -> Pattern:
    """Read a .dxf (AAMA) or .json (GarmentCode specification or dressform record)."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix == ".dxf":
        from dressform.garment.io.dxf_aama import import_dxf

        return import_dxf(p)
    if suffix != ".json":
        raise ExportError(f"cannot read {p.name}: use one of {', '.join(READS)}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InvalidInputError(f"{p.name}: not valid JSON ({e})") from None
    if isinstance(data, dict) and "pattern" in data:
        from dressform.garment.io.garmentcode import from_garmentcode

        return from_garmentcode(data, name=p.stem.removesuffix("_specification"))
    try:
        return Pattern.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidInputError(f"{p.name}: not a pattern ({where}: {first['msg']})") from None
