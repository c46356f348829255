"""Where a campaign's jobs run: a local process pool (the default) or a Ray cluster — a local
one started for the run (`--executor ray`), or an existing one (`--address host:port`).

Both hand back `concurrent.futures.Future`s, so the runner is the same for each. Neither
retries on its own: the runner retries with back-off and records each attempt.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from dressform.campaign.work import call, worker_init
from dressform.errors import InvalidInputError


class Executor(Protocol):
    workers: int

    def submit(self, fn: Any, arg: Any) -> Future[Any]: ...

    def restart(self) -> None: ...

    def shutdown(self, wait: bool = True) -> None: ...


class InlineExecutor:
    """Each job in the calling process, one after another: no parallelism, but no process
    start either — for debugging a campaign and for tests of the runner's logic."""

    workers = 1

    def submit(self, fn: Any, arg: Any) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(arg))
        except Exception as exc:  # handed to the runner like a worker's failure
            fut.set_exception(exc)
        return fut

    def restart(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        pass


class LocalExecutor:
    """A pool of `workers` processes (spawned: a fresh interpreter is safe with torch's and
    Blender's threads, a forked one is not)."""

    def __init__(self, workers: int = 1) -> None:
        if workers < 1:
            raise InvalidInputError(f"workers must be at least 1, not {workers}")
        self.workers = workers
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=worker_init,
                                   initargs=(os.getpid(), max(1, (os.cpu_count() or 1)
                                                              // self.workers)))

    def submit(self, fn: Any, arg: Any) -> Future[Any]:
        return self._pool.submit(call, (fn, arg))

    def restart(self) -> None:
        """A fresh pool after a worker died (a crashed pool refuses all further work)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new()

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)


class RayExecutor:
    """Tasks on a Ray cluster: `address` of a running one ("host:port"), or None to start a
    local one with `workers` CPUs for this run (stopped again at the end)."""

    def __init__(self, workers: int = 2, address: str | None = None) -> None:
        import ray

        self.workers = workers
        try:
            if address is None:
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
            else:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
        except ConnectionError as exc:
            raise InvalidInputError(f"no Ray cluster at {address}: {exc}") from exc
        if address is not None:
            self.workers = max(1, int(ray.cluster_resources().get("CPU", workers)))
        self._task = ray.remote(num_cpus=1, max_retries=0)(_ray_call)

    def submit(self, fn: Any, arg: Any) -> Future[Any]:
        return self._task.remote(fn, arg).future()

    def restart(self) -> None:  # Ray replaces dead workers itself
        pass

    def shutdown(self, wait: bool = True) -> None:
        import ray

        ray.shutdown()  # stops a cluster started for the run; only disconnects from another


def _ray_call(fn: Any, arg: Any) -> Any:
    import torch

    torch.set_num_threads(1)
    return fn(arg)


def make_executor(kind: str = "local", workers: int = 1, address: str | None = None
                  ) -> Executor:
    if kind == "inline":
        return InlineExecutor()
    if kind == "local":
        if address:
            raise InvalidInputError("--address is for --executor ray")
        return LocalExecutor(workers)
    if kind == "ray":
        return RayExecutor(workers, address)
    raise InvalidInputError(f"unknown executor {kind!r}: use local, ray or inline")
