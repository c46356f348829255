"""Long studio work as jobs: started by a request that answers 202 at once, and followed
with GET until done. Drapes and renders run in a worker process (`JobBoard`: the solver and
the renderer never share the server's threads); a campaign runs in a thread of the server that
starts its own workers (`CampaignRuns`)."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from dressform.campaign.work import call, worker_init
from dressform.errors import UnknownNameError

JOB_STATUSES = ("queued", "running", "done", "failed")
#: Finished jobs remembered (the oldest are forgotten first).
KEEP_FINISHED = 1000


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    status: str
    created: float
    detail: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    result: Any = None
    seconds: float = 0.0


class JobBoard:
    """Jobs of this server's life (results that matter, the files, are on disk)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self, fresh: bool = False) -> ProcessPoolExecutor:
        # Callers submit from the event loop's thread (async handlers): a worker dies with
        # the thread that started it (PR_SET_PDEATHSIG), and that thread lives as long as
        # the server.
        with self._lock:
            if fresh and self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            if self._pool is None:
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                                 initializer=worker_init,
                                                 initargs=(os.getpid(), 0))
            return self._pool

    def submit(self, kind: str, fn: Callable[[Any], Any], arg: Any,
               detail: dict[str, Any] | None = None,
               finish: Callable[[Any], Any] | None = None) -> Job:
        """Run `fn(arg)` in a worker process; `finish(result)` (in this process) turns the
        worker's result into the job's."""
        job = Job(f"{kind}-{uuid.uuid4().hex[:12]}", kind, "queued", time.time(),
                  dict(detail or {}))
        with self._lock:
            self._jobs[job.id] = job
            done_ids = [k for k, j in self._jobs.items() if j.status in ("done", "failed")]
            for k in done_ids[: max(0, len(done_ids) - KEEP_FINISHED)]:
                del self._jobs[k]  # the oldest finished jobs (their files stay on disk)
        try:
            future = self._executor().submit(call, (fn, arg))
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            future = self._executor(fresh=True).submit(call, (fn, arg))
        self._set(job.id, status="running")
        started = time.perf_counter()

        def done(f: Future[Any]) -> None:
            seconds = time.perf_counter() - started
            try:
                value = f.result()
                result = finish(value) if finish else value
            except Exception as exc:  # the job's failure is its answer, kept for GET
                self._set(job.id, status="failed", error=str(exc) or type(exc).__name__,
                          seconds=seconds)
                return
            self._set(job.id, status="done", result=result, seconds=seconds)

        future.add_done_callback(done)
        return self.get(job.id)

    def _set(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise UnknownNameError(f"no job {job_id!r}")
        return job

    def list(self, kind: str | None = None) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if kind is None or j.kind == kind]

    def shutdown(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None


@dataclass
class CampaignRun:
    """A campaign run in a thread of this server; `error` says why it failed, if it did."""

    thread: threading.Thread
    error: str = ""


class CampaignRuns:
    """The campaigns this server started, by name. A campaign runs in a thread of the server
    (it starts its own workers); the store records its jobs, and only this knows whether it
    is still running or how it failed."""

    def __init__(self) -> None:
        self._runs: dict[str, CampaignRun] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._runs

    def names(self) -> list[str]:
        """The campaigns started, in the order they first were."""
        return list(self._runs)

    def running(self, name: str) -> bool:
        run = self._runs.get(name)
        return run is not None and run.thread.is_alive()

    def error(self, name: str) -> str:
        run = self._runs.get(name)
        return run.error if run is not None else ""

    def start(self, name: str, target: Callable[[], None]) -> None:
        """Run `target` in a daemon thread as campaign `name` (its earlier run forgotten)."""
        thread = threading.Thread(target=target, name=f"campaign-{name}", daemon=True)
        self._runs[name] = CampaignRun(thread)
        thread.start()

    def fail(self, name: str, error: str) -> None:
        """Keep why campaign `name` failed, for GET: its thread has no one else to tell."""
        self._runs[name].error = error
