"""Server files behind the studio API: library patterns written where a worker can read them,
under names that cannot reach other files, and results served while they are still there."""

from __future__ import annotations

import re
from pathlib import Path

from dressform.campaign.spec import NAME
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.files import atomic_open
from dressform.store.db import Store


def library_name(key: str, hint: str = "") -> str:
    """`key` if it can name a library pattern (and so a file of it), else 422."""
    if not re.fullmatch(NAME, key) or len(key) > 80:
        raise InvalidInputError(f"{key!r} cannot name a pattern (lower-case letters, "
                                f"digits, - and _){hint}")
    return key


def library_file(store: Store, work: Path, name: str) -> str:
    """The library pattern `name` written (under `work`) where a drape worker can read it."""
    rec = store.pattern(library_name(name))
    path = work / "patterns" / f"{rec.name}.json"
    with atomic_open(path, "w") as f:
        f.write(rec.pattern)
    return str(path)


def existing(path: str) -> str:
    """`path`, if the file is still there (else 404: it was removed by hand)."""
    if not Path(path).is_file():
        raise UnknownNameError(f"the file {Path(path).name} is no longer on the server")
    return path
