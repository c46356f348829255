"""The server's settings: defaults for a studio on one machine, each overridable by an
environment variable (`DRESSFORM_WEB_<NAME>`) or in code."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from dressform.errors import InvalidInputError
from dressform.paths import data_dir


@dataclass(frozen=True)
class WebSettings:
    #: The store's URL (default: `$DRESSFORM_DATABASE_URL`, else SQLite under `data`).
    database_url: str | None = None
    #: Where prepared try-on drapes and studio results live.
    data: Path = field(default_factory=data_dir)
    #: How long a shopper's clone and try-on are kept after their last use (seconds).
    retention_s: float = 1800.0
    #: At most this many shoppers' sessions in memory; the oldest goes first.
    max_sessions: int = 200
    #: Shopper requests per client and minute (a burst of as many is allowed).
    shop_requests_per_minute: int = 30
    #: The largest request body (an uploaded pattern), bytes.
    max_upload_bytes: int = 2_000_000
    #: The most cloth particles a studio drape may have (finer spacings cost quadratically).
    max_cloth_vertices: int = 30_000
    #: The longest a request may work before it is answered 504 (long work runs as a job).
    request_timeout_s: float = 60.0
    #: Drape a garment on a grid body the first time a shopper needs it (else answer 409
    #: until `dressform tryon prepare` has made it).
    prepare_on_demand: bool = True
    #: Particle spacing of try-on drapes, mm.
    tryon_spacing_mm: float = 25.0
    #: Reverse proxies whose `X-Forwarded-For` is believed (comma-separated addresses or
    #: networks, uvicorn's `forwarded_allow_ips`; `*` for any). Empty: none, so a client is
    #: known (and rate-limited) by its socket's address, whatever headers it sends.
    trusted_proxies: str = ""

    def server_options(self) -> dict[str, object]:
        """uvicorn's options for forwarding headers: believed only from `trusted_proxies`."""
        proxies = self.trusted_proxies.strip()
        if not proxies:
            return {"proxy_headers": False}
        return {"proxy_headers": True, "forwarded_allow_ips": proxies}

    @classmethod
    def from_env(cls, **overrides: object) -> WebSettings:
        """Defaults, then `DRESSFORM_WEB_*` variables, then `overrides`."""
        base = cls()
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"DRESSFORM_WEB_{f.name.upper()}")
            if raw is None:
                continue
            current = getattr(base, f.name)
            try:
                if isinstance(current, bool):
                    values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
                elif isinstance(current, Path):
                    values[f.name] = Path(raw)
                elif current is None:
                    values[f.name] = raw
                else:
                    values[f.name] = type(current)(raw)
            except ValueError as exc:
                raise InvalidInputError(f"DRESSFORM_WEB_{f.name.upper()}={raw!r}: {exc}") from exc
        return replace(base, **values, **overrides)  # type: ignore[arg-type]
