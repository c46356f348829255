"""Child processes that must not outlive their parent."""

from __future__ import annotations

import contextlib
import signal
import sys


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask Linux to send this process `sig` when the process that started it dies: a killed
    batch must not leave renders and drapes running on (elsewhere: nothing to ask)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
