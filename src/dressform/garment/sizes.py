"""Size charts: size labels with the body dimensions they are made for, from CSV or YAML."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.names import suggest

BUILTIN = {"women": "size_chart_women.csv", "men": "size_chart_men.csv"}


class Size(BaseModel):
    """One size: its label, the body it is drafted for (cm, a range's middle) and the ranges
    of body dimensions it is meant to fit."""

    model_config = ConfigDict(frozen=True)

    label: str
    body_cm: dict[str, float]
    ranges_cm: dict[str, tuple[float, float]] = {}


class SizeChart(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    sizes: tuple[Size, ...]
    sex: str = ""
    source: str = ""

    @property
    def labels(self) -> list[str]:
        return [s.label for s in self.sizes]

    def smallest_fitting(self, body_cm: Mapping[str, float], dims: Sequence[str],
                         tolerance_cm: float = 1.0) -> Size:
        """The smallest size made for a body at least as big as `body_cm` in every one of
        `dims` (within `tolerance_cm`); the largest size if none is. Girths rise with the
        sizes, so this is the size whose ease is least and still not negative."""
        missing = [d for d in dims if d not in body_cm]
        if missing:
            raise InvalidInputError(f"choosing a size needs {', '.join(missing)}")
        for s in self.sizes:
            if all(d in s.body_cm and s.body_cm[d] >= body_cm[d] - tolerance_cm for d in dims):
                return s
        return self.sizes[-1]

    def blended_fitting(self, body_cm: Mapping[str, float], dims: Sequence[str],
                        tolerance_cm: float | Mapping[str, float] = 1.0) -> Size:
        """A size graded between the chart's sizes, as sewing patterns tell one to blend:
        each of `dims` from the smallest size made for it (`smallest_fitting` on that
        dimension alone), everything else from the largest of those.

        A body whose proportions are not the chart's (a hip 30 cm over the waist on a chart
        drafted for 24) gets a skirt that closes at its waist and still clears its hip,
        where one size would be loose at the waist by the difference and slide down. The
        label names each dimension's size in the order of `dims` ("S/XL"), or is the one
        label when they agree. `tolerance_cm` may differ per dimension."""
        tol = (tolerance_cm if isinstance(tolerance_cm, Mapping)
               else dict.fromkeys(dims, tolerance_cm))
        per_dim = [self.smallest_fitting(body_cm, [d], tol.get(d, 1.0)) for d in dims]
        index = {s.label: i for i, s in enumerate(self.sizes)}
        base = max(per_dim, key=lambda s: index[s.label])
        if all(s.label == base.label for s in per_dim):
            return base
        body = {**base.body_cm, **{d: s.body_cm[d] for d, s in zip(dims, per_dim, strict=True)}}
        return Size(label="/".join(s.label for s in per_dim), body_cm=body,
                    ranges_cm=base.ranges_cm)

    def size(self, label: str) -> Size:
        for s in self.sizes:
            if s.label.lower() == label.lower():
                return s
        raise UnknownNameError(f"size {label!r} is not in chart {self.name!r}"
                               f"{suggest(label, self.labels)} (sizes: {', '.join(self.labels)})")


def builtin_chart(name: str) -> SizeChart:
    """The women's or men's default chart shipped with dressform."""
    if name not in BUILTIN:
        raise UnknownNameError(f"unknown size chart {name!r}{suggest(name, BUILTIN)}; built in: "
                               f"{', '.join(BUILTIN)} (or give a .csv / .yaml file)")
    text = resources.files("dressform.garment.data").joinpath(BUILTIN[name]).read_text("utf-8")
    return parse_csv(text, default_name=name)


def load_chart(path: str | Path) -> SizeChart:
    """A chart from a built-in name ("women", "men") or a .csv / .yaml / .yml file."""
    p = Path(path)
    if str(path) in BUILTIN and not p.exists():
        return builtin_chart(str(path))
    if not p.is_file():
        raise InvalidInputError(f"size chart {path}: no such file (built in: "
                                f"{', '.join(BUILTIN)})")
    text = p.read_text(encoding="utf-8")
    if p.suffix.lower() in (".yaml", ".yml"):
        return parse_yaml(text, default_name=p.stem)
    if p.suffix.lower() == ".csv":
        return parse_csv(text, default_name=p.stem)
    raise InvalidInputError(f"size chart {path}: expected a .csv, .yaml or .yml file")


def parse_csv(text: str, default_name: str = "chart") -> SizeChart:
    """CSV with a `size` column and one column per body dimension (dressform names, cm);
    a cell may be a range "160-176". Leading `# key: value` lines give name, sex, source."""
    meta: dict[str, str] = {}
    rows = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
        elif line.strip():
            rows.append(line)
    records = list(csv.DictReader(io.StringIO("\n".join(rows))))
    return _chart(records, meta, default_name)


def parse_yaml(text: str, default_name: str = "chart") -> SizeChart:
    """YAML: `name`, `sex`, `source` and `sizes`, a list of mappings with `size` and body
    dimensions (numbers, or ranges as "160-176" or [160, 176])."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise InvalidInputError(f"size chart: not valid YAML ({e})") from None
    if not isinstance(data, dict) or not isinstance(data.get("sizes"), list):
        raise InvalidInputError("size chart: YAML needs a top-level `sizes:` list")
    meta = {k: str(data[k]) for k in ("name", "sex", "source") if k in data}
    return _chart(data["sizes"], meta, default_name)


def _chart(records: list, meta: dict[str, str], default_name: str) -> SizeChart:
    from dressform.body.names import normalise_measurements

    if not records:
        raise InvalidInputError("size chart has no sizes")
    sizes = []
    for i, rec in enumerate(records, 1):
        if not isinstance(rec, dict) or not str(rec.get("size") or "").strip():
            raise InvalidInputError(f"size chart row {i}: no `size` label")
        label = str(rec["size"]).strip()
        mids: dict[str, float] = {}
        ranges: dict[str, tuple[float, float]] = {}
        for key, raw in rec.items():
            if key == "size" or raw in (None, ""):
                continue
            lo, hi = _range(label, key, raw)
            if lo != hi:
                ranges[key] = (lo, hi)
            mids[key] = (lo + hi) / 2.0
        try:
            body, _ = normalise_measurements(mids)
            for key, (lo, hi) in ranges.items():
                normalise_measurements({key: lo})
                normalise_measurements({key: hi})
        except InvalidInputError as e:
            raise type(e)(f"size {label}: {e}") from None
        sizes.append(Size(label=label, body_cm=body, ranges_cm=ranges))
    labels = [s.label.lower() for s in sizes]
    dup = sorted({x for x in labels if labels.count(x) > 1})
    if dup:
        raise InvalidInputError(f"size chart lists size(s) {dup} twice")
    for key in ("bust_girth_cm", "waist_girth_cm", "hip_girth_cm"):
        values = [s.body_cm.get(key) for s in sizes]
        for a, b, sa, sb in zip(values, values[1:], sizes, sizes[1:], strict=False):
            if a is not None and b is not None and b < a:
                raise InvalidInputError(
                    f"size chart: {key} goes down from {sa.label} ({a:g}) to {sb.label} ({b:g});"
                    " list sizes from smallest to largest")
    return SizeChart(name=meta.get("name", default_name), sizes=tuple(sizes),
                     sex=meta.get("sex", ""), source=meta.get("source", ""))


def _range(label: str, key: str, raw) -> tuple[float, float]:
    if isinstance(raw, list | tuple) and len(raw) == 2:
        parts = list(raw)
    else:
        text = str(raw).strip()
        parts = text.split("-", 1) if "-" in text[1:] else [text, text]
    try:
        lo, hi = float(parts[0]), float(parts[1])
    except (TypeError, ValueError):
        raise InvalidInputError(f"size {label}: {key} = {raw!r} is not a number or a range "
                                "like 160-176") from None
    if hi < lo:
        raise InvalidInputError(f"size {label}: {key} range {raw!r} runs backwards")
    return lo, hi
