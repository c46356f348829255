"""Customer behaviour: repeat purchases, and returns by size and fit — returns for fit are the
biggest cost of selling clothes online, and the fit module can say where they come from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dressform.forecast.sales import Sales, in_size_order


@dataclass(frozen=True, eq=False)
class Behaviour:
    customers: int
    repeat_rate: float  # share of customers who bought on more than one day (or order)
    orders_per_customer: float
    #: size → units, returned, return_rate, fit_returns, fit_return_rate, too_small,
    #: too_large (rates 0–1); empty without sizes or returns.
    by_size: pd.DataFrame = field(repr=False)
    #: the same by the `fit` attribute (slim, regular…), if the sales have one.
    by_fit: pd.DataFrame = field(repr=False)


def behaviour(sales: Sales) -> Behaviour:
    f = sales.frame
    customers, repeat, orders = 0, float("nan"), float("nan")
    if sales.has("customer_id"):
        key = f["order_id"] if sales.has("order_id") else f["date"].dt.strftime("%Y-%m-%d")
        per = pd.DataFrame({"c": f["customer_id"], "o": key}).drop_duplicates()
        n_orders = per.groupby("c").size()
        customers = len(n_orders)
        repeat = float((n_orders > 1).mean())
        orders = float(n_orders.mean())
    by_size = _returns(sales, "size") if sales.has("size") else pd.DataFrame()
    by_fit = _returns(sales, "fit") if "fit" in sales.attributes else pd.DataFrame()
    return Behaviour(customers, repeat, orders, by_size, by_fit)


def _returns(sales: Sales, by: str) -> pd.DataFrame:
    f = sales.frame
    units = f.groupby(by)["quantity"].sum()
    out = pd.DataFrame({"units": units})
    if "returned" not in f.columns:
        return _ordered(out, by)
    out["returned"] = f.groupby(by)["returned"].sum()
    reason = sales.fit_reason
    for name, mask in (("fit_returns", reason.notna()), ("too_small", reason == "too small"),
                       ("too_large", reason == "too large")):
        out[name] = f.loc[mask].groupby(by)["returned"].sum().reindex(out.index).fillna(0)
    denom = out["units"].replace(0, np.nan)
    out["return_rate"] = out["returned"] / denom
    out["fit_return_rate"] = out["fit_returns"] / denom
    for c in ("returned", "fit_returns", "too_small", "too_large"):
        out[c] = out[c].astype(int)
    return _ordered(out, by)


def _ordered(out: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows per value of `by` as columns, sizes in size order."""
    out = out.reset_index()
    return (in_size_order(out) if by == "size" else out).reset_index(drop=True)
