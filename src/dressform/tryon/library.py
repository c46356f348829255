"""Drapes of the catalogue prepared on the grid bodies, kept on disk and made on first need.

A drape is a minute of CPU for a T-shirt, far more than a shopper waits; a carried re-drape
onto the shopper's clone is about a second. So each garment is draped once per size on the
grid bodies that size is made for (`prepare`, or the first request that needs it), and every
shopper starts from the nearest of those.

A garment is never shown alone: what completes its look (`dressform.drape.styling.partner`:
neutral trousers under a top) is drafted in each grid body's own size and draped there once,
for every garment and size worn with it (`partner`), and carried onto a shopper from the
grid body nearest them that has it. It is drawn, never assessed: a shopper's fit is the
garment's alone, so the garment is draped and kept as before, on its own (the files of a
library made before looks were completed are read as they are).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from dressform.drape.simulate import DrapedGarment, drape
from dressform.drape.styling import COMPLETE, Partner, partner
from dressform.drape.worn import GarmentRecord, record, restore
from dressform.errors import DressformError, InvalidInputError, UnknownNameError
from dressform.files import atomic_open, atomic_path
from dressform.fit.ease import ease_settled
from dressform.garment.blocks import BLOCK_ROLES, draft_for, draft_size
from dressform.garment.pattern import Pattern
from dressform.names import suggest
from dressform.render.looks import parse_color
from dressform.tryon.catalogue import (
    GridBody,
    TryOnGarment,
    chart_for,
    chart_size,
    grid,
    grid_body,
    grid_measurements,
)


@dataclass(frozen=True)
class Prepared:
    """A garment at rest on a grid body, ready to carry onto a shopper."""

    grid: GridBody
    size: str
    garment: DrapedGarment
    pattern: Pattern
    fabric: str


@dataclass(frozen=True)
class PreparedPartner:
    """What completes a garment's look (`look`), at rest alone on a grid body."""

    grid: GridBody
    look: Partner
    garment: DrapedGarment
    pattern: Pattern

    @property
    def inner(self) -> bool:
        """Whether it is worn under the garment."""
        return under_garment(self.look)


def under_garment(look: Partner) -> bool:
    """Whether the partner `look` is worn under the garment it completes: trousers under a
    top worn over them, a T-shirt tucked into a skirt."""
    return (look.layering == "over") == (look.role == "bottom")


def look_of(garment: TryOnGarment) -> Partner | None:
    """What completes a look of `garment` (`dressform.drape.styling.partner`): neutral
    trousers under a top, a T-shirt over a bottom; None for a dress."""
    role = BLOCK_ROLES[garment.block]
    return partner(role, parse_color(garment.color), COMPLETE,  # type: ignore[arg-type]
                   skirt="skirt" in garment.block)


#: Version of the partner files (`_partners/<grid body>/<block>-<fabric>.npz`); a file of
#: another version is draped again. The garments' own files are as they always were.
PARTNER_FORMAT = 1


class DrapeRefused(DressformError):
    """The size cannot be draped on this body (too small for it): a fit answer, not a fault."""


def size_label(garment: TryOnGarment, sex: str, label: str) -> str:
    """The chart's own spelling of size `label` (else `UnknownNameError`)."""
    chart = chart_for(sex)
    for s in chart.sizes:
        if s.label.lower() == label.strip().lower():
            return s.label
    raise UnknownNameError(f"{garment.title} has no size {label!r} in the "
                           f"{chart.name} chart{suggest(label, chart.labels)} "
                           f"(sizes: {', '.join(chart.labels)})")


def sizes_for(garment: TryOnGarment, g: GridBody, spread: int = 1) -> list[str]:
    """The sizes worth preparing on grid body `g`: its own and `spread` either side."""
    chart = chart_for(g.sex)
    i = chart.sizes.index(chart_size(garment, g.sex, grid_measurements(g)))
    return [s.label for s in chart.sizes[max(0, i - spread): i + spread + 1]]


class DrapeLibrary:
    """Prepared drapes under `root` (one `.npz` per garment, grid body and size; a refusal is
    kept as a `.refused` text so it is not tried again on every request)."""

    def __init__(self, root: str | Path, spacing_mm: float = 25.0, max_frames: int = 300):
        self.root = Path(root)
        self.spacing_mm = spacing_mm
        self.max_frames = max_frames
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._loaded: dict[str, Prepared] = {}
        self._partners: dict[str, PreparedPartner] = {}

    def _path(self, garment: TryOnGarment, g: GridBody, size: str) -> Path:
        return self.root / garment.name / g.key / f"{size}.npz"

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def ready(self, garment: TryOnGarment, sex: str, size: str) -> list[GridBody]:
        """Grid bodies of `sex` with `size` already draped (not refused)."""
        return [g for g in grid(sex) if self._path(garment, g, size).is_file()]

    def refused(self, garment: TryOnGarment, g: GridBody, size: str) -> str | None:
        p = self._path(garment, g, size).with_suffix(".refused")
        return p.read_text(encoding="utf-8") if p.is_file() else None

    def get(self, garment: TryOnGarment, g: GridBody, size: str) -> Prepared:
        """The drape of `garment` in `size` on `g`, made now if it is not on disk yet.
        Raises `DrapeRefused` if that size cannot be draped on that body."""
        path = self._path(garment, g, size)
        key = str(path)
        with self._lock(key):
            if key in self._loaded:
                return self._loaded[key]
            reason = self.refused(garment, g, size)
            if reason is not None:
                raise DrapeRefused(reason)
            if not path.is_file():
                self._make(garment, g, size, path)
                # A look is always complete: with the first garment of a sex comes what
                # completes it (a shopper's is carried from the nearest grid body that has
                # it; `prepare` makes it on every one).
                if not self.partners_ready(garment, g.sex):
                    with contextlib.suppress(DrapeRefused):
                        self.partner(garment, g)
            with np.load(path) as data:
                rec = GarmentRecord.from_extras(json.loads(str(data["record"])))
                dressed = restore(data["vertices"], rec)
            prepared = Prepared(g, size, dressed, rec.pattern, rec.fabric)
            self._loaded[key] = prepared
            return prepared

    def _make(self, garment: TryOnGarment, g: GridBody, size: str, path: Path) -> None:
        pattern = draft_size(garment.block, chart_for(g.sex).size(size), g.height_cm)
        try:
            dressed = drape(pattern, grid_body(g), garment.fabric, spacing_mm=self.spacing_mm,
                            max_frames=self.max_frames)
        except InvalidInputError as err:  # too small for this body: remember the answer
            with atomic_open(path.with_suffix(".refused"), "w") as f:
                f.write(str(err))
            raise DrapeRefused(str(err)) from err
        except DressformError as err:  # the solver failed this time: not remembered
            raise DrapeRefused(str(err)) from err
        rec = json.dumps(record(pattern, garment.fabric, dressed).extras())
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            np.savez(f, vertices=dressed.vertices, record=np.array(rec))

    def _partner_path(self, look: Partner, g: GridBody) -> Path:
        return self.root / "_partners" / g.key / f"{look.block}-{look.fabric}.npz"

    def partners_ready(self, garment: TryOnGarment, sex: str) -> list[GridBody]:
        """Grid bodies of `sex` with what completes `garment`'s look draped already."""
        look = look_of(garment)
        return [] if look is None else [g for g in grid(sex)
                                        if _current(self._partner_path(look, g))]

    def partner(self, garment: TryOnGarment, g: GridBody, make: bool = True
                ) -> PreparedPartner | None:
        """What completes `garment`'s look, at rest on `g` (drafted in its own size), made
        now if it is not on disk yet and `make`; None for a look that needs nothing (or not
        made). One drape per grid body serves every garment and size it goes with. Raises
        `DrapeRefused` if it cannot be draped there (the solver failed; not remembered)."""
        look = look_of(garment)
        if look is None:
            return None
        path = self._partner_path(look, g)
        key = str(path)
        with self._lock(key):
            if key not in self._partners:
                if not _current(path):
                    if not make:
                        return None
                    self._make_partner(look, g, path)
                with np.load(path) as data:
                    rec = GarmentRecord.from_extras(json.loads(str(data["record"])))
                    dressed = restore(data["vertices"], rec)
                # The look (its colour) is the garment's; the drape is shared.
                self._partners[key] = PreparedPartner(g, look, dressed, rec.pattern)
            return replace(self._partners[key], look=look)

    def _make_partner(self, look: Partner, g: GridBody, path: Path) -> None:
        body = grid_body(g)
        try:
            pattern = draft_for(look.block, body)
            # Drawn, never assessed: settled until what is seen of it, its eases, holds.
            dressed = drape(pattern, body, look.fabric, spacing_mm=self.spacing_mm,
                            max_frames=self.max_frames, converged=ease_settled(body))
        except DressformError as err:  # in the body's own size: a failure, not a fit answer
            raise DrapeRefused(f"the {look.block} to wear with it: {err}") from err
        rec = json.dumps(record(pattern, look.fabric, dressed).extras())
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            np.savez(f, format=np.array(PARTNER_FORMAT), vertices=dressed.vertices,
                     record=np.array(rec))

    def prepare(self, garment: TryOnGarment, sex: str, spread: int = 1,
                progress: Callable[[str], None] | None = None) -> tuple[int, int]:
        """Drape `garment` on every grid body of `sex` in the sizes made for it (and `spread`
        either side). (prepared, refused) counts; what is on disk already is kept."""
        made = refused = 0
        for g in grid(sex):
            for size in sizes_for(garment, g, spread):
                if progress:
                    progress(f"{garment.name} {size} on {g.key}")
                try:
                    self.get(garment, g, size)
                    made += 1
                except DrapeRefused:
                    refused += 1
                    continue
                # For a garment prepared before looks were completed; drawn only, so a
                # failure leaves the garment prepared.
                with contextlib.suppress(DrapeRefused):
                    self.partner(garment, g)
        return made, refused


def _current(path: Path) -> bool:
    """Whether `path` is a partner file of this version."""
    if not path.is_file():
        return False
    with np.load(path) as data:
        return "format" in data.files and int(data["format"]) == PARTNER_FORMAT
