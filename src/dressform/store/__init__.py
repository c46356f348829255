"""Persistence: the only place that talks to the database (SQLAlchemy; SQLite in the working
folder's `.dressform/` by default, PostgreSQL by URL; schema managed by Alembic)."""

from dressform.store.db import Store, default_url, open_store

__all__ = ["Store", "default_url", "open_store"]
