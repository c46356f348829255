"""Child processes that must not outlive their parent."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask Linux to send this process `sig` when the process that started it dies: a killed
    batch must not leave renders and drapes running on (elsewhere: nothing to ask)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG


def exit_on_sigterm(cleanup: Callable[[], None]) -> None:
    """On SIGTERM (what `die_with_parent` sends), run `cleanup` (remove scratch folders),
    then exit at once. Not by raising `SystemExit`: a process pool's worker catches every
    exception of its job and would go on waiting for work from a parent that is gone."""
    import os

    def stop(signum: int, _frame: object) -> None:
        with contextlib.suppress(Exception):
            cleanup()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (a zombie, dead but not yet reaped by its
    parent, counts as gone)."""
    import os
    from pathlib import Path

    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    with contextlib.suppress(OSError, IndexError):
        # The state follows the command name, which is in brackets and may hold spaces.
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True
