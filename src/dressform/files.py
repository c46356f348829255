"""Writing files in one step: a reader (or a resumed batch) sees the old file or the new one,
never half of one."""

from __future__ import annotations

import os
import tempfile
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
