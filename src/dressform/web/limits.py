"""Request limits: body size (ASGI middleware), a per-client rate for the open shopper API,
and a time limit on work done inside a request."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

T = TypeVar("T")


class BodySizeLimit:
    """Answers 413 to a request whose body is over `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # FastAPI answers an HTTPException raised while it
                raise HTTPException(413, too_large(self.max_bytes))  # reads the body
            return message

        try:
            await self.app(scope, counted, send)
        except HTTPException as exc:  # read outside FastAPI's handling (a plain route)
            if exc.status_code != 413:
                raise
            await _too_large(send, self.max_bytes)


def too_large(limit: int) -> str:
    return f"the request body is over the {limit} byte limit"


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": too_large(limit)}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """A token bucket per client address: `per_minute` requests a minute, in bursts of as
    many. Answers 429 with Retry-After when a client's bucket is empty."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                wait = int((1.0 - tokens) / self.rate) + 1
                raise HTTPException(429, "too many requests: try again in a moment",
                                    headers={"Retry-After": str(wait)})
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > 10_000:  # forget clients whose buckets are full again
                full = [k for k, (t, a) in self._buckets.items()
                        if t + (now - a) * self.rate >= self.burst]
                for k in full:
                    del self._buckets[k]


async def bounded(timeout_s: float, fn: Callable[..., T], *args: Any,
                  hint: str = "start it as a job instead", **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a worker thread, answered 504 (with `hint`) if it takes
    over `timeout_s` (the thread finishes its work; its result is dropped)."""
    try:
        return await asyncio.wait_for(run_in_threadpool(fn, *args, **kwargs), timeout_s)
    except TimeoutError:
        raise HTTPException(504, f"the work took over {timeout_s:g} s: {hint}") from None
