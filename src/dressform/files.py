"""Writing files in one step: a reader (or a resumed batch) sees the old file or the new one,
never half of one."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

#: Temporary files are hidden beside their target and carry this mark (and the target's
#: suffix, so that encoders that go by it still pick the right format).
PARTIAL = ".partial"


def new_file_mode() -> int:
    """0666 minus the process umask (read without changing it, so thread-safe)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside `path` to write; when the block ends without an error it is
    flushed to disk and renamed over `path` (with the usual permissions), else removed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                suffix=f"{PARTIAL}{target.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, new_file_mode())  # mkstemp makes 0600
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str) -> Iterator[IO[Any]]:
    """`open(path, mode)` for writing, through `atomic_path` (text as UTF-8, \\n lines)."""
    text = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
    with atomic_path(path) as tmp, open(tmp, mode, **text) as f:
        yield f


def remove_partials(root: str | os.PathLike[str]) -> int:
    """Delete the temporary files a killed run left under `root`; how many there were."""
    n = 0
    for p in Path(root).rglob(f".*{PARTIAL}*"):
        with suppress(OSError):
            p.unlink()
            n += 1
    return n


#: The kinds of scratch folder a campaign's jobs make (`scratch_dir`), swept when a run starts.
SCRATCH_KINDS = ("job", "render")
#: How old a scratch folder that does not name its process must be before a sweep removes it.
UNNAMED_SCRATCH_S = 24 * 3600.0


#: This process's scratch folders in use, for `remove_live_scratch`.
_live_scratch: set[Path] = set()


@contextmanager
def scratch_dir(kind: str) -> Iterator[Path]:
    """A temporary folder `dressform-<kind>-<pid>-<random>`, removed when the block ends
    however it ends (or by `remove_live_scratch` when the process is stopped); the pid in its
    name lets `sweep_scratch` tell a killed process's folder from a live one's."""
    with tempfile.TemporaryDirectory(prefix=f"dressform-{kind}-{os.getpid()}-") as tmp:
        path = Path(tmp)
        _live_scratch.add(path)
        try:
            yield path
        finally:
            _live_scratch.discard(path)


def remove_live_scratch() -> None:
    """Remove this process's scratch folders now: it is being stopped (SIGTERM)."""
    for path in list(_live_scratch):
        shutil.rmtree(path, ignore_errors=True)


def sweep_scratch(kinds: tuple[str, ...] = SCRATCH_KINDS,
                  unnamed_after_s: float = UNNAMED_SCRATCH_S) -> int:
    """Remove the scratch folders that killed processes left in the temporary folder: those
    whose process is gone, and those that name none (from before they did) once older than
    `unnamed_after_s`; how many went."""
    from dressform.processes import alive

    names = re.compile(rf"dressform-({'|'.join(map(re.escape, kinds))})-(?:(\d+)-)?[^-]+")
    removed = 0
    for p in Path(tempfile.gettempdir()).glob("dressform-*"):
        m = names.fullmatch(p.name)
        if m is None or not p.is_dir() or p.is_symlink():
            continue
        try:
            stale = (not alive(int(m[2])) if m[2] else
                     time.time() - p.stat().st_mtime > unnamed_after_s)
        except OSError:
            continue
        if stale:
            shutil.rmtree(p, ignore_errors=True)
            removed += not p.exists()
    return removed
