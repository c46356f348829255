"""One runner per campaign at a time: a lease in the store (a row naming the runner and until
when it holds), taken before a run starts and renewed by a heartbeat while it works.

A second runner of the same campaign waits until the lease is given up or lapses (or says who
holds it, when told not to wait), so no shot is ever made twice at once. A killed runner
renews nothing: its lease lapses after `LEASE_S`, at once when the runner was on this machine
(its process is gone), and `campaign status` calls its unfinished shots abandoned.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from types import TracebackType

from dressform.errors import DressformError, InvalidInputError
from dressform.store.db import Store
from dressform.store.records import LeaseRecord

#: How long a lease holds without renewal (seconds); the heartbeat renews it three times
#: as often, so one slow write does not lose it.
LEASE_S = 30.0
#: How often a waiting runner asks again (seconds).
POLL_S = 1.0


class CampaignBusyError(DressformError):
    """Another runner holds the campaign (and this one was not to wait, or not so long), or
    this runner lost its lease while it worked."""


def new_owner() -> str:
    """A name for this runner, unique among runners: host, process and a random part."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    """The lease of `campaign` for one run: `with Lease(...):` takes it (waiting up to `wait_s`
    seconds for another runner, None: as long as it takes), renews it in a heartbeat thread,
    and gives it up at the end, however the run ends."""

    def __init__(self, store: Store, campaign: str, *, wait_s: float | None = None,
                 ttl_s: float = LEASE_S, on_wait: Callable[[LeaseRecord], None] | None = None
                 ) -> None:
        if wait_s is not None and wait_s < 0:
            raise InvalidInputError(f"wait for another runner 0 seconds or more, not {wait_s}")
        if ttl_s <= 0:
            raise InvalidInputError(f"a lease holds for a positive time, not {ttl_s} s")
        self.store, self.campaign, self.wait_s, self.ttl_s = store, campaign, wait_s, ttl_s
        self.on_wait = on_wait or (lambda held: None)
        self.owner = new_owner()
        self.lost = False
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def __enter__(self) -> Lease:
        self._acquire()
        self._beat = threading.Thread(target=self._heartbeat, daemon=True,
                                      name=f"lease {self.campaign}")
        self._beat.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        try:
            self.store.release_lease(self.campaign, self.owner)
        except Exception:
            if kind is None:
                raise
            # Unreleased, the lease lapses by itself: the run's own error is the one to tell.

    def check(self) -> None:
        """A `CampaignBusyError` if the lease was lost (this runner stalled past its lease
        and another took the campaign): nothing more may be recorded."""
        if self.lost:
            raise CampaignBusyError(f"this runner lost its lease on campaign {self.campaign!r} "
                                    "(it stalled and another runner took over): stopped; "
                                    "run it again to finish what is left")

    def _acquire(self) -> None:
        deadline = None if self.wait_s is None else time.monotonic() + self.wait_s
        told = False
        while True:
            held = self.store.acquire_lease(self.campaign, self.owner, self.ttl_s)
            if held.owner == self.owner:
                return
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise CampaignBusyError(
                    f"campaign {self.campaign!r} is being run by {held.describe()}, its lease "
                    f"renewed while it works (now until {held.expires_at:%H:%M:%S} UTC): let "
                    "it finish, or wait for it (--wait SECONDS; by default a run waits)")
            if not told:
                self.on_wait(held)
                told = True
            time.sleep(POLL_S if left is None else min(POLL_S, left))

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.ttl_s / 3):
            try:
                if not self.store.renew_lease(self.campaign, self.owner, self.ttl_s):
                    self.lost = True
                    return
            except Exception:  # a database hiccup: try again next beat, the lease has time
                continue
