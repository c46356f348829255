"""`data_dir`: where dressform keeps its data (the store's SQLite file, signing keys, studio
results). It sits below the store and provenance so that both can ask without importing each
other."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """`$DRESSFORM_DATA`, else `.dressform` under the working folder."""
    return Path(os.environ.get("DRESSFORM_DATA", ".dressform"))
