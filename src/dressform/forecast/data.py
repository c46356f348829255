"""Sales data to test and demonstrate on: real retail transactions shipped in a package
(CDNOW, from the `lifetimes` package's data files) and a generated catalogue whose right
answers are known by construction."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from dressform.errors import InvalidInputError
from dressform.forecast.sales import Sales, validate_sales


def cdnow_path() -> Path:
    """CDNOW_master.txt in the installed `lifetimes` package: the CD purchases of the 23,570
    customers who first bought at CDNOW in the first quarter of 1997, to June 1998 (Fader
    and Hardie's data). Read as a file: lifetimes' own loader needs `pkg_resources`."""
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise InvalidInputError("the lifetimes package is not installed (make install)")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "CDNOW_master.txt"
    if not path.is_file():
        raise InvalidInputError(f"{path} is missing from the lifetimes package")
    return path


def cdnow() -> Sales:
    """CDNOW as sales lines: one article ("cd"), quantity = CDs, price = dollars per CD."""
    raw = pd.read_csv(cdnow_path(), sep=r"\s+", dtype={"customer_id": str, "date": str})
    raw = raw[raw["number_of_cds"] > 0]
    frame = pd.DataFrame({
        "date": pd.to_datetime(raw["date"], format="%Y%m%d"), "article": "cd",
        "quantity": raw["number_of_cds"].astype(int),
        "price": (raw["dollar_value"] / raw["number_of_cds"]).round(2),
        "customer_id": raw["customer_id"]})
    return validate_sales(frame, "CDNOW (lifetimes package)")


#: The generated catalogue's truths (see `known_case`).
KNOWN_SIZE_SHARES = {"S": 0.25, "M": 0.40, "L": 0.25, "XL": 0.10}
KNOWN_FIT_RETURNS = {"S": ("too small", 0.20), "M": ("too small", 0.05),
                     "L": ("too large", 0.03), "XL": ("too large", 0.12)}
KNOWN_REPEAT_RATE = 1 / 3


def known_case(seed: int = 0, weeks: int = 156) -> Sales:
    """Three years of a small catalogue, every answer known by construction:

    - `tee`: steady demand (Poisson, 40 a week); `coat`: a yearly season (Poisson around
      30 + 25·cos, peaking in the first week of each year); `scarf`: intermittent (a sale
      in 15 % of weeks, 1–6 units).
    - colours: 10 % green, 50 % black, 40 % red until 26 weeks before the end; then green
      rises linearly to 35 % and red falls to 15 % (black stays).
    - sizes `KNOWN_SIZE_SHARES`; fit returns per size `KNOWN_FIT_RETURNS` (that share of
      each size's units comes back, for that reason).
    - customers: a third of them buy on two different days, the rest once
      (`KNOWN_REPEAT_RATE`).
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2023-01-02")  # a Monday
    w = np.arange(weeks)
    rates = {"tee": np.full(weeks, 40.0),
             "coat": 30.0 + 25.0 * np.cos(2 * np.pi * w / 52.0),
             "scarf": np.where(rng.random(weeks) < 0.15, 1.0, 0.0)}
    rows = []
    for article, rate in rates.items():
        counts = (rng.poisson(rate) if article != "scarf"
                  else (rate * rng.integers(1, 7, weeks)).astype(int))
        for k, n in zip(w, counts, strict=True):
            days = rng.integers(0, 7, n)
            for d in days:
                rows.append((start + pd.Timedelta(weeks=int(k), days=int(d)), article, k))
    df = pd.DataFrame(rows, columns=["date", "article", "week"])
    late = np.clip((df["week"] - (weeks - 26)) / 25.0, 0.0, 1.0)
    green = 0.10 + 0.25 * late  # red loses what green gains: 0.40 − 0.25·late
    u = rng.random(len(df))
    df["colour"] = np.where(u < green, "green", np.where(u < green + 0.5, "black", "red"))
    df["fit"] = rng.choice(["slim", "regular"], len(df))
    sizes = list(KNOWN_SIZE_SHARES)
    df["size"] = rng.choice(sizes, len(df), p=list(KNOWN_SIZE_SHARES.values()))
    df["quantity"] = 1
    df["returned"] = 0
    df["return_reason"] = ""
    for size, (reason, share) in KNOWN_FIT_RETURNS.items():
        idx = df.index[df["size"] == size]
        back = rng.choice(idx, round(share * len(idx)), replace=False)
        df.loc[back, "returned"] = 1
        df.loc[back, "return_reason"] = reason
    df["price"] = df["article"].map({"tee": 19.0, "coat": 149.0, "scarf": 29.0})
    df["customer_id"] = _customers(df["date"], rng)
    return validate_sales(df.drop(columns="week"), "generated known case")


def _customers(dates: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Customer ids such that a third of customers bought on two different days."""
    n = len(dates)
    order = rng.permutation(n)
    ids = np.empty(n, dtype=object)
    pairs = n // 4  # 2·pairs lines to repeat buyers, the rest (≈ n/2) single: 1/3 repeat
    used = 0
    k = 0
    day = dates.dt.normalize().to_numpy()
    while k < pairs and used + 1 < n:
        a, b = order[used], order[used + 1]
        used += 2
        if day[a] == day[b]:  # same day: one order, so give them to single buyers instead
            ids[a], ids[b] = f"s{a}", f"s{b}"
            continue
        ids[a] = ids[b] = f"r{k}"
        k += 1
    for i in order[used:]:
        ids[i] = f"s{i}"
    return ids
