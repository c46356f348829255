"""Shoppers' try-ons, in memory only: personal data that lives as long as the shopper uses
it (the retention after the last use), is deleted by one call, and never reaches a disk."""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from dressform.errors import UnknownNameError


@dataclass
class ShopSession:
    id: str
    summary: dict[str, Any]
    glb: bytes
    heat_glb: bytes
    used_at: float = field(default_factory=time.monotonic)


class ShopSessions:
    """Try-on sessions by id (a random token: knowing it is the only way in)."""

    def __init__(self, retention_s: float, max_sessions: int) -> None:
        self.retention_s = retention_s
        self.max_sessions = max_sessions
        self._items: OrderedDict[str, ShopSession] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def add(self, summary: dict[str, Any], glb: bytes, heat_glb: bytes) -> ShopSession:
        session = ShopSession(secrets.token_urlsafe(18), summary, glb, heat_glb)
        with self._lock:
            self._purge()
            self._items[session.id] = session
            while len(self._items) > self.max_sessions:
                self._items.popitem(last=False)
        return session

    def get(self, session_id: str) -> ShopSession:
        with self._lock:
            self._purge()
            session = self._items.get(session_id)
            if session is None:
                raise UnknownNameError("no such try-on: it was deleted or has expired")
            session.used_at = time.monotonic()
            self._items.move_to_end(session_id)
            return session

    def delete(self, session_id: str) -> bool:
        with self._lock:
            return self._items.pop(session_id, None) is not None

    def purge(self) -> int:
        with self._lock:
            return self._purge()

    def sweep_interval_s(self) -> float:
        """How often the timer sweeps: a tenth of the retention, at most a second, so a
        session outlives its retention by at most that."""
        return min(1.0, max(0.05, self.retention_s / 10.0))

    async def expire_forever(self) -> None:
        """Purge expired sessions on a timer (till cancelled): an idle server must not keep
        a shopper's measurements past the retention waiting for someone else to call."""
        while True:
            await asyncio.sleep(self.sweep_interval_s())
            self.purge()

    def _purge(self) -> int:
        cutoff = time.monotonic() - self.retention_s
        old = [k for k, s in self._items.items() if s.used_at < cutoff]
        for k in old:
            del self._items[k]
        return len(old)
