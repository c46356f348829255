"""Sewn cloth simulated onto a body until it rests: mesh, place, sew, settle.

Two solvers, same pipeline and same checks:

- ``"projective"`` (default), dressform's own projective-dynamics solver
  (`dressform.drape.projective`): the panels are placed loose round the body, their seams
  pulled together by stiff springs (sewing: under gravity, or held where placed for a
  garment that hangs from the waist) until
  every seam is closed to under 2 mm, then fused into one surface and settled with body
  contact, friction and self-contact. About 5–10 times faster than Newton here
  (BENCHMARKS.md). `over=` drapes on top of garments already at rest (outfits).
- ``"newton"``, Newton's Style3D cloth solver (`dressform.drape.newton_reference`), kept as
  the reference the projective solver is validated against. It starts from the fused
  placement: Style3D has no sewing phase of its own here.

Rest: 99 % of the cloth's vertices slower than `REST_SPEED_M_S` for `REST_STEPS` steps in a
row (Newton: the largest vertex speed, for as many frames); both in
`dressform.drape.projective`, as are the clearance and the divergence speed. A non-finite
position, or speeds past `DIVERGED_SPEED_M_S`, stop the run with `DrapeError` instead of
returning nonsense.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh, mesh_pattern, triangle_strain
from dressform.drape.fabrics import FabricPhysics, fabric_preset
from dressform.drape.folding import fold_bands
from dressform.drape.hood import HoodError, check_hood, hood_vertices, lower_hood
from dressform.drape.placement import MARGIN_M, fuse, place, place_panels
from dressform.drape.projective import (
    CLEARANCE_M,
    ClothModel,
    DivergedError,
    SolverSettings,
    cloth_model,
    relax,
)
from dressform.drape.refine import carry_to_mesh
from dressform.drape.spacing import DRAPE_SPACING_MM, SEW_SPACING_MM
from dressform.errors import DressformError, PatternError
from dressform.garment.pattern import Pattern
from dressform.geometry.distance import BodyDistance, open_edge_mask

#: Sewing ends when every seam's two sides are this close (then they are fused; self-contact
#: keeps cloth 4 mm apart, so a seam between two layers may close no further).
SEAM_CLOSED_M = 0.002
SEWING_STEPS = 60
#: Placed cloth nearer the skin than this starts inside the body (both solvers keep cloth
#: 4 mm off it; placement puts it further).
PLACED_CLEARANCE_M = 0.003


class DrapeError(DressformError):
    """The cloth simulation failed (diverged, or the garment cannot go on this body)."""


def diverged(e: DivergedError) -> DrapeError:
    """A solver's divergence as the error a user can act on."""
    return DrapeError(f"{e}; try a finer spacing or a stiffer fabric")


@dataclass(frozen=True)
class DrapedGarment:
    """A garment at rest on a body (metres, the body's frame).

    vertices/faces: the fused cloth surface. uv: (V, 2) pattern coordinates (m) of each vertex
    (on a seam, one side's). panel: (V,) panel index into `panel_names`. contact_m: (V,)
    signed distance to the body surface (negative = inside). strain: (F, 3) weft, warp and
    shear strain of each triangle against the flat pattern (see `triangle_strain`).
    seam_gap_m: the widest a seam was open when sewing ended and the panels were fused into
    one surface (the fused seams are closed). bands_fastened: whether its waistbands and
    cuffs were closed at their laps when it was meshed (`fold_bands`); an outfit's outer
    layer leaves them open, and a re-drape must mesh it the same way.
    """

    vertices: np.ndarray
    faces: np.ndarray
    uv: np.ndarray
    panel: np.ndarray
    panel_names: tuple[str, ...]
    contact_m: np.ndarray
    frames: int
    seconds: float
    at_rest: bool
    strain: np.ndarray
    spacing_mm: float = DRAPE_SPACING_MM
    seam_gap_m: float = 0.0
    bands_fastened: bool = True


def without_panels(pattern: Pattern, names: Sequence[str]) -> Pattern:
    """The pattern less some panels and the stitches that reach them."""
    drop = set(names)
    for n in drop:
        pattern.panel(n)  # unknown names fail here, clearly
    return pattern.model_copy(update={
        "panels": tuple(p for p in pattern.panels if p.name not in drop),
        "stitches": tuple(s for s in pattern.stitches
                          if s.a.panel not in drop and s.b.panel not in drop)})


#: A test of what a caller reads from cloth at (vertices, faces) (its eases, say) that holds
#: once that has converged: the settle ends there, at rest for that reading, even where a
#: fold still creeps slower than anything it reads.
Converged = Callable[[np.ndarray, np.ndarray], bool]


def drape(pattern: Pattern, body: Body, fabric: str | FabricPhysics = "cotton_jersey", *,
          spacing_mm: float = DRAPE_SPACING_MM, max_frames: int = 240,
          progress: Callable[[int, float], None] | None = None,
          solver: str = "projective", over: Sequence[DrapedGarment] = (),
          coarse_mm: float | None = SEW_SPACING_MM,
          converged: Converged | None = None, hood: str = "up") -> DrapedGarment:
    """Mesh, place, sew and simulate `pattern` on `body` until the cloth rests.

    `over`: garments already at rest on the body that this one goes on over (an outfit's
    inner layers): the cloth collides with them as with the body, and starts outside them.
    `coarse_mm`: a garment finer than this is sewn and settled at this spacing first and
    finished at its own (`dressform.drape.refine`); None sews it at its own spacing.
    `progress(frame, max_speed)` is called after every frame (solver step). `converged`:
    the final settle also ends, at rest, once it holds (projective solver). `hood`: how a
    hood is worn, "up" or "down" (pushed off the head onto the back,
    `dressform.drape.hood`). Raises `PatternError` for a pattern that cannot be meshed or placed and
    `DrapeError` if the solver diverges or a hood cannot be lowered.
    """
    physics = fabric if isinstance(fabric, FabricPhysics) else fabric_preset(fabric)
    if solver not in ("projective", "newton"):
        raise DressformError(f"unknown solver {solver!r}: projective or newton")
    check_hood(hood)
    if over and solver != "projective":
        raise DressformError("layering over other garments needs the projective solver")
    # Over another layer, a band is left open (its ends not joined) where it fastens.
    pattern = fold_bands(pattern, fasten=not over)
    cloth = mesh_pattern(pattern, spacing_mm)
    skin = BodyDistance(body.vertices, body.faces)
    distance = collider(body, over) if over else skin
    started = time.perf_counter()
    hood_mask = hood_vertices(cloth, pattern) if hood == "down" else None
    if solver == "newton":
        if hood_mask is not None and hood_mask.any():
            raise DressformError("the Newton reference drapes a hood up only (hood='up'): "
                                 "a hood is lowered by the projective solver")
        # Newton is loaded only when asked for.
        from dressform.drape.newton_reference import newton_settle

        start = place(cloth, pattern, body, physics.max_stretch)
        _refuse_inside(distance(start))
        try:
            q, frames, at_rest = newton_settle(cloth, start, body, physics, max_frames,
                                               progress)
        except DivergedError as e:
            raise diverged(e) from e
        gap = seam_gap(cloth, start[cloth.weld])
    else:
        coarse = mesh_pattern(pattern, coarse_mm) \
            if coarse_mm is not None and spacing_mm < coarse_mm else cloth
        panels = place_panels(coarse, pattern, body, physics.max_stretch)
        if over:  # cloth placed round the body goes round the layers under it too
            panels = distance.push_out(panels, MARGIN_M)
            _refuse_inside(distance(panels))
        else:
            # A garment too small to go round the body is refused by the wrap, row by row.
            # What the wrap left in or just off the skin (a trouser fork between round
            # thighs) is lifted clear as far as there is room: where two parts of the body
            # nearly meet, less than the clearance; only cloth still inside is refused.
            panels = distance.push_out(panels, PLACED_CLEARANCE_M)
            _refuse_inside(distance(panels), 0.0)
        final = None if converged is None else (lambda x: converged(x, cloth.faces))
        q, frames, at_rest, gap = _sew_and_settle(coarse, panels, distance, physics,
                                                  max_frames, progress,
                                                  held=hangs_from_waist(pattern) and not over,
                                                  done=final if coarse is cloth else None)
        if coarse is not cloth:
            start = distance.push_out(carry_to_mesh(coarse, q, cloth), CLEARANCE_M)
            q, steps, at_rest = settle(cloth, start, distance, physics,
                                       max(1, max_frames - frames), progress, frames,
                                       done=final)
            frames += steps
        if hood_mask is not None and hood_mask.any():
            q, frames, at_rest = _hood_down(cloth, hood_mask, q, frames, body, over, distance,
                                            physics, max_frames, progress, final)
    rep = cloth.representative()
    return DrapedGarment(q, cloth.faces, cloth.uv[rep], cloth.panel[rep], cloth.panel_names,
                         skin(q), frames, time.perf_counter() - started, at_rest,
                         triangle_strain(cloth, q), spacing_mm, gap, not over)


#: A solid the cloth collides with besides the body (a stool sat on): its vertices (m) and
#: outward-facing triangles, closed.
Prop = tuple[np.ndarray, np.ndarray]


def collider(body: Body, garments: Sequence[DrapedGarment] = (),
             around: Sequence[DrapedGarment] = (), props: Sequence[Prop] = (),
             head_above: float | None = None) -> BodyDistance:
    """The body and garments at rest on it as one surface to collide with (each garment's
    triangles face outwards, so its inside is the body's side; a point nearest one of its
    open edges, beyond a hem, is outside it). `around`: garments to stay *inside* (the
    skirt a top is tucked into), their triangles turned to face inwards. `props`: solids
    beside the body, as hard as it. `head_above`: the head above this height (m) left out
    (while a hood is pushed off it); the opening it leaves counts as outside."""
    skin = np.asarray(body.faces)
    if head_above is not None:
        dropped = ((np.asarray(body.part_ids) == body.part_names.index("head"))
                   & (np.asarray(body.vertices)[:, 2] > head_above))
        skin = skin[~dropped[skin].all(axis=1)]
    vertices, faces = [np.asarray(body.vertices)], [skin]
    count = len(vertices[0])
    for v, f in props:
        vertices.append(np.asarray(v, dtype=np.float64))
        faces.append(np.asarray(f) + count)
        count += len(v)
    solid = sum(len(f) for f in faces)
    edges = [np.zeros(len(skin), dtype=np.int32) if head_above is None else
             open_edge_mask(skin),
             np.zeros(solid - len(skin), dtype=np.int32)]
    for g, turned in [(g, False) for g in garments] + [(g, True) for g in around]:
        f = np.asarray(g.faces)[:, ::-1] if turned else np.asarray(g.faces)
        vertices.append(g.vertices)
        faces.append(f + count)
        edges.append(open_edge_mask(f))
        count += len(g.vertices)
    return BodyDistance(np.vstack(vertices), np.vstack(faces), np.concatenate(edges),
                        solid_faces=solid)


def _refuse_inside(d: np.ndarray, clearance: float = PLACED_CLEARANCE_M) -> None:
    inside = d < clearance
    if inside.any():
        raise PatternError([f"{int(inside.sum())} cloth vertices start inside the body: the "
                            "garment is too small here to be placed round it"])


def hangs_from_waist(pattern: Pattern) -> bool:
    """Whether the garment hangs from the waist (a skirt, trousers), not the shoulders."""
    return "waist" in pattern.levels_mm and "hps" not in pattern.levels_mm


def _sew_and_settle(cloth: ClothMesh, panels: np.ndarray, distance: BodyDistance,
                    physics: FabricPhysics, max_frames: int,
                    progress: Callable[[int, float], None] | None, held: bool = False,
                    done: Callable[[np.ndarray], bool] | None = None
                    ) -> tuple[np.ndarray, int, bool, float]:
    start, sewing, gap = sew(cloth, panels, distance, physics, progress, held)
    q, steps, at_rest = settle(cloth, start, distance, physics, max(1, max_frames - sewing),
                               progress, sewing, done=done)
    return q, sewing + steps, at_rest, gap


def _hood_down(cloth: ClothMesh, hood: np.ndarray, q: np.ndarray, frames: int, body: Body,
               over: Sequence[DrapedGarment], distance: BodyDistance,
               physics: FabricPhysics, max_frames: int,
               progress: Callable[[int, float], None] | None,
               done: Callable[[np.ndarray], bool] | None) -> tuple[np.ndarray, int, bool]:
    """The cloth at rest at `q` after `frames` steps, its hood (`hood`: (V,) its vertices,
    up) pushed down (`dressform.drape.hood`) and settled again, with `max_frames` steps of
    its own (a second drape from a warm start): (positions, steps in all, at rest)."""
    model = cloth_model(cloth, physics, SolverSettings().step_s)
    try:
        q, lowering = lower_hood(model, q, hood, body,
                                 lambda level: collider(body, over, head_above=level),
                                 distance, physics.friction, _counted(progress, frames))
    except DivergedError as e:
        raise diverged(e) from e
    except HoodError as e:
        raise DrapeError(str(e)) from e
    frames += lowering
    q, steps, at_rest = settle(cloth, q, distance, physics, max_frames, progress, frames,
                               done=done, model=model)
    return q, frames + steps, at_rest


def _counted(progress: Callable[[int, float], None] | None, first_step: int
             ) -> Callable[[int, float], None] | None:
    """`progress` seeing steps counted on from `first_step`."""
    return None if progress is None else (
        lambda step, speed: progress(first_step + step, speed))


def sew(cloth: ClothMesh, panels: np.ndarray, distance: BodyDistance, physics: FabricPhysics,
        progress: Callable[[int, float], None] | None = None, held: bool = False
        ) -> tuple[np.ndarray, int, float]:
    """Loose panels at `panels` (pattern vertices) pulled together by their seams until every
    seam is closed (or `SEWING_STEPS` pass), fused into one surface and lifted clear of the
    body: (fused positions, steps taken, the widest seam gap when sewing ended).

    `held`: the garment is held where it was placed while it is sewn (no gravity), as a
    skirt is held at the waist while it is closed. Its waist is placed a margin off the
    body and only closes onto it as the seams pull it in; falling meanwhile, a waistband
    on a straight (a man's) torso dropped 7 cm before it touched, to where the body is wide
    enough to hold it by its stretch alone. Held, it closes at the waist, where friction
    then keeps it. (Not over an outfit's inner layer: a band left open at its lap over a
    tucked top, held while sewn, did not come to rest on the top's folds.)"""
    settings = SolverSettings()

    def sewn(x: np.ndarray) -> bool:
        return seam_gap(cloth, x) < SEAM_CLOSED_M

    try:
        loose = relax(cloth_model(cloth, physics, settings.step_s, sewing=True), panels,
                      distance, 0.0, settings, SEWING_STEPS, progress, done=sewn,
                      gravity=not held)
    except DivergedError as e:
        raise diverged(e) from e
    start = distance.push_out(fuse(cloth, loose.positions), settings.clearance_m)
    return start, loose.steps, seam_gap(cloth, loose.positions)


def seam_gap(cloth: ClothMesh, positions: np.ndarray) -> float:
    """The widest distance (m) between the two sides of a seam, pattern vertices at
    `positions`."""
    a, b = cloth.seams.T
    return float(np.linalg.norm(positions[a] - positions[b], axis=1).max()) if len(a) else 0.0


def settle(cloth: ClothMesh, start: np.ndarray, distance: BodyDistance,
           physics: FabricPhysics, max_steps: int,
           progress: Callable[[int, float], None] | None = None, first_step: int = 0, *,
           done: Callable[[np.ndarray], bool] | None = None, model: ClothModel | None = None
           ) -> tuple[np.ndarray, int, bool]:
    """The fused cloth from `start` (outside the body) stepped under gravity until it rests:
    positions, steps taken, at rest. `progress` sees steps counted from `first_step`.

    `done(x)`: optional test of the cloth after each step that ends the settle early, as
    converged (at rest), when it holds (a try-on stops once the eases it reads hold).
    `model`: the fused cloth's `cloth_model` for this fabric, when the caller settles the
    same cloth many times (a motion's frames); made here otherwise.
    """
    settings = SolverSettings()
    if model is None:
        model = cloth_model(cloth, physics, settings.step_s)
    try:
        rest = relax(model, start, distance, physics.friction, settings, max_steps,
                     _counted(progress, first_step), done=done, sides=True)
    except DivergedError as e:
        raise diverged(e) from e
    return rest.positions, rest.steps, rest.at_rest
