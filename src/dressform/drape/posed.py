"""A dressed clone put into a pose or a motion: its garments re-draped onto the posed body
(simulated there, not skinned with it), an outfit's layers together, and the posed garments
kept in a cache file that every shot of that pose reads.

A garment that does not come to rest in the pose, or passes through cloth, is still
returned, with a `DressformWarning` saying so: the shot is made, and the user is told what
it shows.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from dressform.body import seat
from dressform.body.mesh import Body
from dressform.body.pose import faced, get_pose, pose_path
from dressform.body.rig import Pose
from dressform.drape.redrape import follow_layers, redrape, redrape_layers
from dressform.drape.worn import WornGarment, rest_warnings
from dressform.errors import DressformWarning
from dressform.files import atomic_open
from dressform.geometry.crossings import crossings

#: Key of the re-drape's warnings in a posed-garments file (garment names are the others).
WARNINGS_KEY = "_warnings"
#: Solver steps a garment gets to settle on the first body of a walk.
WALK_START_STEPS = 60


def posed_garments(body: Body, garments: Sequence[WornGarment], pose: str = "a-pose",
                   progress: Callable[[str], None] | None = None) -> dict[str, np.ndarray]:
    """Each of `garments` (rested on `body` at its rest pose) re-draped into `pose`: its
    vertices by garment name. The expensive part of a posed shot, and the same for every
    camera, light and expression of that pose: compute it once (`save_posed`)."""
    # Cloth is re-draped into the pose as the clone faces the front, then turned with it.
    faced_as = get_pose(pose)
    chosen = replace(faced_as, facing_deg=0.0)
    *between, posed = pose_path(body, chosen)
    out = {g.name: np.asarray(g.mesh.vertices) for g in garments}
    if posed is not body:
        out |= _redraped(body, garments, chosen, between, posed, progress)
    return {name: faced(v, body, faced_as.facing_deg) for name, v in out.items()}


def _redraped(body: Body, garments: Sequence[WornGarment], chosen: Pose,
              between: Sequence[Body], posed: Body, progress: Callable[[str], None] | None
              ) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    # Cloth sat on is held between the hips and the seat, as it is drawn.
    props = (seat.stool(posed),) if chosen.seated else ()
    # An outfit's layers go together, the inner first: the outer settles over it.
    layers = sorted((g for g in garments if g.outfit),
                    key=lambda g: g.recorded().layer != "inner")
    if layers:
        if progress:
            progress(f"re-draping the outfit ({', '.join(g.name for g in layers)}) into the "
                     f"{chosen.name} pose")
        restored = [(g.restored(), g.recorded().pattern, g.fabric) for g in layers]
        moved = redrape_layers(restored, body, posed, through=between,
                               tucked=layers[0].outfit == "tucked", props=props)
        for g, m in zip(layers, moved, strict=True):
            out[g.name] = m.vertices
            _warn(chosen.name, g.name, rest_warnings(m))
        through_other = crossings(*((m.vertices, m.faces) for m in moved))
        if through_other:
            warnings.warn(DressformWarning(
                f"in the {chosen.name} pose {through_other} cloth edges of "
                f"{' and '.join(g.name for g in layers)} pass through the other garment"),
                stacklevel=3)
    for g in garments:
        if g.outfit:
            continue
        if progress:
            progress(f"re-draping {g.name} into the {chosen.name} pose")
        m = redrape(g.restored(), g.recorded().pattern, body, posed, g.fabric,
                    through=between, props=props)
        out[g.name] = m.vertices
        _warn(chosen.name, g.name, rest_warnings(m))
    return out


def _warn(pose: str, name: str, what: Sequence[str]) -> None:
    if what:
        warnings.warn(DressformWarning(f"re-draped into the {pose} pose, the {name}: "
                                       f"{'; '.join(what)}"), stacklevel=4)


def moving_garments(body: Body, garments: Sequence[WornGarment], frames: Sequence[Body],
                    lead_in: Sequence[Body] = (),
                    progress: Callable[[str], None] | None = None
                    ) -> dict[str, list[np.ndarray]]:
    """Each of `garments` (rested on `body`) through a motion (`frames`, an animation's
    bodies): settled on the first frame, coming through `lead_in` (the poses between the
    rest pose and it), then carried and stepped frame by frame (`follow`); an outfit's
    layers together, the outer over the inner (`follow_layers`). Vertices per frame, by
    garment name."""
    layers = sorted((g for g in garments if g.outfit),
                    key=lambda g: g.recorded().layer != "inner")
    groups = ([layers] if layers else []) + [[g] for g in garments if not g.outfit]
    out: dict[str, list[np.ndarray]] = {}
    for group in groups:
        if progress:
            progress(f"simulating {' and '.join(g.name for g in group)} over {len(frames)} "
                     "frames")
        restored = [(g.restored(), g.recorded().pattern, g.fabric) for g in group]
        tucked = group[0].outfit == "tucked"
        firsts = redrape_layers(restored, body, frames[0], through=lead_in, tucked=tucked,
                                max_frames=WALK_START_STEPS)
        moved = follow_layers([(f, p, fabric) for f, (_, p, fabric) in
                               zip(firsts, restored, strict=True)], frames[0], frames[1:],
                              tucked=tucked)
        for g, first, rest in zip(group, firsts, moved, strict=True):
            out[g.name] = [first.vertices, *rest]
    return out


def save_posed(body: Body, garments: Sequence[WornGarment], pose: str,
               output: str | os.PathLike[str]) -> Path:
    """Re-drape the garments into `pose` (`posed_garments`) and keep their vertices (.npz),
    with what the re-drape warned of, so that every shot made from it reports it, on this
    run or a later one."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DressformWarning)
        vertices = posed_garments(body, garments, pose)
    notes = [str(w.message) for w in caught if issubclass(w.category, DressformWarning)]
    with atomic_open(output, "wb") as f:
        np.savez(f, **vertices, **{WARNINGS_KEY: np.array(notes, dtype=str)})
    return Path(output)


def read_posed(path: str | os.PathLike[str]) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    """(garment vertices by name, the re-drape's warnings) from a `save_posed` file."""
    with np.load(path) as data:
        notes = tuple(str(n) for n in data[WARNINGS_KEY]) if WARNINGS_KEY in data.files \
            else ()
        return {k: data[k] for k in data.files if k != WARNINGS_KEY}, notes
