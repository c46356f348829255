"""A hood worn down: sewn on up round the head, then pushed off it backwards, as a hand
pushes a hood back, to fall onto the shoulders and back.

A hood goes on up (`dressform.drape.placement` wraps it round the head, where its shape
is known). Worn down, it is then pushed back and down (`PUSH_M_S2`, on the
hood's cloth alone) with the head above the jaw (`CUT_HEAD`) left out of what the cloth
collides with, so that it passes where the skull was instead of catching on it, until
none of it is higher than the ears (`OVER_HEAD`) or in the body (`lower_hood`). From
there it settles with the whole body like any garment, and what comes to rest is the hood
as it falls: gathered round the back of the neck, its face edges round the neck in front.

Worn down is an option (`drape(hood="down")`), not yet the default: at the default 12 mm
spacing it comes down on all six benchmark clones, but at a coarse spacing (the demo's
25 mm) it does not always leave the head within `LOWER_STEPS`, and then the drape stops
with an error saying to wear it up.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh
from dressform.drape.projective import ClothModel, SolverSettings, relax
from dressform.errors import DressformError, UnknownNameError
from dressform.garment.pattern import Pattern
from dressform.geometry.distance import BodyDistance
from dressform.names import suggest

#: How a hood is worn.
HOODS = ("down", "up")
#: The push on a hood's cloth (m/s², on top of gravity): back, and a little down.
PUSH_M_S2 = np.array([0.0, 15.0, -5.0])
#: It pushes the cloth above the chin, fully from this far above it.
PUSH_RAMP_M = 0.05
#: A hood is down once none of its cloth is higher than this share of the head's height
#: above the chin (a hood up covers the skull; down, it stands round the neck no higher
#: than the ears) and none is in the body.
OVER_HEAD = 0.4
#: The head above this share of its height over the chin (all but the jaw) is left out
#: while the hood is pushed; the jaw stays, so a hood drawn tight round the face does not
#: spring back into the neck.
CUT_HEAD = 0.15
#: Solver steps a hood is given to come down; one still over the head after them is refused.
LOWER_STEPS = 300


class HoodError(DressformError):
    """A hood that could not be pushed off the head."""


def check_hood(hood: str) -> None:
    """Raise `UnknownNameError` unless `hood` is one of `HOODS`."""
    if hood not in HOODS:
        raise UnknownNameError(f"unknown hood {hood!r}{suggest(hood, HOODS)} (a hood is worn "
                               f"{' or '.join(HOODS)})")


def hood_vertices(cloth: ClothMesh, pattern: Pattern) -> np.ndarray:
    """(V,) whether each fused vertex belongs to a hood (a panel placed on the head) alone,
    not also to the garment it is sewn to."""
    on_head = [k for k, name in enumerate(cloth.panel_names)
               if (p := pattern.panel(name).placement) is not None and p.region == "head"]
    hooded = np.isin(cloth.panel, on_head)
    mask = np.zeros(cloth.vertex_count, dtype=bool)
    mask[cloth.weld[hooded]] = True
    mask[cloth.weld[~hooded]] = False
    return mask


def lower_hood(model: ClothModel, start: np.ndarray, hood: np.ndarray, body: Body,
               skulless: Callable[[float], BodyDistance], whole: BodyDistance,
               friction: float,
               progress: Callable[[int, float], None] | None = None
               ) -> tuple[np.ndarray, int]:
    """The cloth from `start` (a hood, `hood` (V,) of its vertices, up round the head) with
    the hood pushed off the head until it is down: (positions, solver steps).
    `skulless(level)` collides as `whole` does with the head above `level` left out.
    Raises `HoodError` if the hood is not down within `LOWER_STEPS` steps."""
    settings = SolverSettings()
    head = np.asarray(body.vertices)[np.asarray(body.part_ids) == body.part_names.index("head")]
    chin, crown = float(head[:, 2].min()), float(head[:, 2].max())
    level = chin + OVER_HEAD * (crown - chin)

    def down(x: np.ndarray) -> bool:
        return bool(x[hood, 2].max() < level and (whole(x[hood], max_dist=0.05) > 0.0).all())

    # The hand pushes the hood where it is over the head, not the collar round the neck.
    push = np.zeros_like(start)
    over = np.clip((start[:, 2] - chin) / PUSH_RAMP_M, 0.0, 1.0)
    push[hood] = over[hood, None] * PUSH_M_S2
    lowered = relax(model, start, skulless(chin + CUT_HEAD * (crown - chin)), friction,
                    settings, LOWER_STEPS, progress, done=down, sides=True, push=push)
    if not down(lowered.positions):
        raise HoodError(f"the hood could not be pushed off the head in {LOWER_STEPS} solver "
                        "steps: drape it with the hood up (hood='up', `--hood up`)")
    return lowered.positions, lowered.steps
