"""Sales transactions in, validated: one row per sold line (CSV or Parquet).

Columns (names are case- and space-insensitive; common aliases are accepted):

- `date` (required): the sale's day, ISO (2026-03-01) or any unambiguous form pandas reads.
- `article` (required): the article's id (aliases: sku, item, product, style).
- `quantity` (required): units sold, a whole number ≥ 0 (aliases: qty, units).
- `size`: the size label sold, as in the size chart (e.g. M, 2XL).
- `price`: unit price, ≥ 0.
- `customer_id` (aliases: customer, client): who bought.
- `order_id`: the order the line belongs to (a customer's orders count repeat purchases).
- `returned`: units of the line sent back, 0 ≤ returned ≤ quantity.
- `return_reason`: why, free text; "too small", "too large" (or "too big"), "fit" count as
  returns for fit.
- any other column with 2–50 values is an attribute of the article (category, colour,
  pattern, fit…); others (an id, an e-mail) are left out and listed in `Sales.ignored`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dressform.errors import InvalidInputError

REQUIRED = ("date", "article", "quantity")
#: An attribute column has at most this many values (more: an identifier, not a grouping).
MAX_ATTRIBUTE_VALUES = 50
KNOWN = (*REQUIRED, "size", "price", "customer_id", "order_id", "returned", "return_reason")
ALIASES = {"sku": "article", "item": "article", "product": "article", "style": "article",
           "article_id": "article", "qty": "quantity", "units": "quantity",
           "customer": "customer_id", "client": "customer_id", "client_id": "customer_id",
           "order": "order_id", "color": "colour", "day": "date", "sale_date": "date",
           "returns": "returned", "reason": "return_reason"}
#: Return reasons that mean the size or fit was wrong, by what they say.
FIT_REASONS = {"too small": "too small", "small": "too small", "too tight": "too small",
               "too large": "too large", "too big": "too large", "large": "too large",
               "too loose": "too large", "fit": "fit", "poor fit": "fit", "size": "fit"}


LETTER_SIZES = ("XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "2XL", "XXXL", "3XL", "4XL",
                "5XL", "6XL", "7XL")


def size_order(label: str) -> tuple[int, float, str]:
    """A sort key putting sizes in size order: letters (XS < S < … < 7XL), then numbers
    (36 < 38), then anything else alphabetically."""
    if label in LETTER_SIZES:
        return (0, float(LETTER_SIZES.index(label)), label)
    try:
        return (1, float(label), label)
    except ValueError:
        return (2, 0.0, label)


def in_size_order(df: pd.DataFrame) -> pd.DataFrame:
    """`df`'s rows sorted by its `size` column in size order (see `size_order`)."""
    return df.sort_values("size", key=lambda c: c.map(size_order), kind="stable")


class SalesError(InvalidInputError):
    """The sales file cannot be read as transactions (missing columns, bad values)."""


@dataclass(frozen=True, eq=False)
class Sales:
    """Validated transactions: `frame` has the known columns present plus `attributes`."""

    frame: pd.DataFrame = field(repr=False)
    attributes: tuple[str, ...]
    source: str
    #: Extra columns left out: one value throughout, or too many to be an attribute.
    ignored: tuple[str, ...] = ()

    @property
    def start(self) -> pd.Timestamp:
        return self.frame["date"].min()

    @property
    def end(self) -> pd.Timestamp:
        return self.frame["date"].max()

    def has(self, column: str) -> bool:
        return column in self.frame.columns

    @property
    def fit_reason(self) -> pd.Series:
        """Per line, why its returned units came back if it was for fit ("too small", "too
        large" or "fit"), else NaN."""
        if not self.has("return_reason"):
            return pd.Series(np.nan, index=self.frame.index, dtype=object)
        return self.frame["return_reason"].map(FIT_REASONS)

    def describe(self) -> str:
        f = self.frame
        return (f"{len(f)} lines, {f['article'].nunique()} articles, {int(f['quantity'].sum())} "
                f"units, {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"
                + (f", {f['customer_id'].nunique()} customers" if self.has("customer_id")
                   else ""))


def read_sales(path: str | Path) -> Sales:
    """Transactions from a CSV or Parquet file (see the module docstring). Raises
    `SalesError` naming the column and the first bad rows."""
    p = Path(path)
    if not p.is_file():
        raise SalesError(f"no sales file {p}")
    suffix = p.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            raw = pd.read_parquet(p)
        elif suffix in (".csv", ".txt", ".tsv"):
            raw = pd.read_csv(p, sep="\t" if suffix == ".tsv" else ",", dtype=str,
                              keep_default_na=False, skipinitialspace=True)
        else:
            raise SalesError(f"{p}: give a .csv or .parquet file")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        if isinstance(exc, SalesError):
            raise
        raise SalesError(f"{p}: cannot be read as a table: {exc}") from None
    return validate_sales(raw, str(p))


def validate_sales(raw: pd.DataFrame, source: str = "<sales>") -> Sales:
    """The table `raw` as validated `Sales` (see the module docstring)."""
    df = raw.rename(columns=lambda c: _column(str(c)))
    dupes = df.columns[df.columns.duplicated()].tolist()
    if dupes:
        raise SalesError(f"{source}: column {dupes[0]!r} appears twice (after aliases)")
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise SalesError(f"{source}: missing column(s) {', '.join(missing)} (have: "
                         f"{', '.join(map(str, raw.columns)) or 'none'})")
    if df.empty:
        raise SalesError(f"{source}: no sales lines")
    out = pd.DataFrame(index=df.index)
    out["date"] = _dates(df["date"], source)
    out["article"] = _text(df["article"], "article", source)
    out["quantity"] = _whole(df["quantity"], "quantity", source)
    if "size" in df:
        out["size"] = df["size"].astype(str).str.strip().str.upper()
    if "price" in df:
        out["price"] = _number(df["price"], "price", source)
    for c in ("customer_id", "order_id"):
        if c in df:
            out[c] = _text(df[c], c, source)
    if "returned" in df:
        out["returned"] = _whole(df["returned"], "returned", source)
        over = out["returned"] > out["quantity"]
        if over.any():
            raise SalesError(f"{source}: returned exceeds quantity on {_rows(over)}")
    if "return_reason" in df:
        out["return_reason"] = df["return_reason"].astype(str).str.strip().str.lower()
    extra = [c for c in df.columns if c not in KNOWN]
    values = {c: df[c].astype(str).str.strip().str.lower().replace("", "unknown") for c in extra}
    # An attribute groups articles (a colour, a fit): a column with a value per line (an
    # e-mail, a postcode) is not one, and may be personal data: left out, and said so.
    attributes = tuple(c for c in extra if 2 <= values[c].nunique() <= MAX_ATTRIBUTE_VALUES)
    for a in attributes:
        out[a] = values[a]
    ignored = tuple(c for c in extra if c not in attributes)
    return Sales(out.sort_values("date", kind="stable").reset_index(drop=True), attributes,
                 source, ignored)


def _column(name: str) -> str:
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def _rows(bad: pd.Series) -> str:
    """'rows 3, 7 and 12 more' (file line numbers: the header is line 1)."""
    idx = [int(i) + 2 for i in bad[bad].index[:3]]
    more = int(bad.sum()) - len(idx)
    return "line(s) " + ", ".join(map(str, idx)) + (f" and {more} more" if more > 0 else "")


def _dates(col: pd.Series, source: str) -> pd.Series:
    parsed = pd.to_datetime(col, errors="coerce", format="mixed")
    bad = parsed.isna()
    if bad.any():
        first = col[bad].iloc[0]
        raise SalesError(f"{source}: date {first!r} is not a date ({_rows(bad)})")
    return parsed.dt.normalize()


def _text(col: pd.Series, name: str, source: str) -> pd.Series:
    text = col.astype(str).str.strip()
    bad = (text == "") | col.isna()
    if bad.any():
        raise SalesError(f"{source}: {name} is empty on {_rows(bad)}")
    return text


def _number(col: pd.Series, name: str, source: str) -> pd.Series:
    values = pd.to_numeric(col, errors="coerce")
    bad = values.isna() | (values < 0)
    if bad.any():
        raise SalesError(f"{source}: {name} must be a number ≥ 0, not "
                         f"{col[bad].iloc[0]!r} ({_rows(bad)})")
    return values.astype(float)


def _whole(col: pd.Series, name: str, source: str) -> pd.Series:
    values = _number(col, name, source)
    bad = values != values.round()
    if bad.any():
        raise SalesError(f"{source}: {name} must be a whole number, not "
                         f"{col[bad].iloc[0]!r} ({_rows(bad)})")
    return values.astype("int64")
