"""Forecasting for a fashion brand: weekly demand per article and per attribute (back-tested
against a seasonal-naive baseline), trends in attributes, the size curve of the forecast
joined with the fit module's population coverage, and customers' repeat purchases and
returns by size and fit."""
