"""Weekly demand series (statsforecast's long format: unique_id, ds, y) from sales lines."""

from __future__ import annotations

import pandas as pd

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.forecast.sales import Sales
from dressform.names import suggest

#: Weeks start on Monday (ISO weeks); a week's `ds` is its Monday.
FREQ = "W-MON"


def week_of(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("W-SUN").dt.start_time


def weekly(sales: Sales, by: str = "article", net_of_returns: bool = False) -> pd.DataFrame:
    """Units per week of each value of column `by` (an article, or an attribute: one series
    per colour...), every week from the series' first sale to the data's last week filled
    (no sale: 0); a last week the data stops in the middle of is left out.
    `net_of_returns`: units kept rather than sold."""
    f = sales.frame
    if by not in f.columns:
        known = ["article", *sales.attributes, *(["size"] if sales.has("size") else [])]
        raise UnknownNameError(f"no column {by!r} in the sales{suggest(by, known)} "
                               f"(series can be by: {', '.join(known)})")
    units = f["quantity"] - (f["returned"] if net_of_returns and sales.has("returned") else 0)
    prefix = "" if by == "article" else f"{by}="
    df = pd.DataFrame({"unique_id": prefix + f[by].astype(str), "ds": week_of(f["date"]),
                       "y": units.astype(float)})
    df = df.groupby(["unique_id", "ds"], as_index=False)["y"].sum()
    last = df["ds"].max()
    if sales.end.dayofweek != 6:  # the data stops mid-week: that week is not a week's sales
        df = df[df["ds"] < last]
        last -= pd.Timedelta(weeks=1)
        if df.empty:
            raise InvalidInputError("the sales cover less than one whole week")
    first = df.groupby("unique_id")["ds"].min()
    full = [pd.DataFrame({"unique_id": uid, "ds": pd.date_range(start, last, freq=FREQ)})
            for uid, start in first.items()]
    grid = pd.concat(full, ignore_index=True)
    out = grid.merge(df, on=["unique_id", "ds"], how="left").fillna({"y": 0.0})
    return out.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
