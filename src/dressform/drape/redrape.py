"""Re-drape: a garment at rest on one body carried onto another body with the same mesh (a
size up, the shopper's own clone, another pose) and settled there from that warm start,
instead of sewing it again from loose panels.

Each cloth vertex keeps the body point it rested nearest (its face and barycentric weights)
and its distance out along the normal; on the new body it goes to the same point and the same
distance out, and the solver only has to settle the difference. On the way through several
bodies (the poses between two poses, an animation's frames) it stays bound to that point of
the body it rested on, and at each body moves as far as that point moved since the last.
The binding is looked up once (`bind`) and placed on each body (`place`): 9 ms a body for a
5,000-vertex T-shirt, where looking it up again on each took 49 ms. Cloth hanging loose by
the hips and legs (a skirt's hem) moves instead by the mean motion of the skin round it
(`LOOSE_M`): no one point of the skin carries a hem that hangs between the knees.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.spatial import cKDTree

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh, mesh_pattern, triangle_strain
from dressform.drape.fabrics import FabricPhysics, fabric_preset
from dressform.drape.folding import fold_bands
from dressform.drape.placement import place_panels
from dressform.drape.projective import ClothModel, SolverSettings, cloth_model
from dressform.drape.simulate import Converged, DrapedGarment, DrapeError, Prop, collider, settle
from dressform.garment.pattern import Pattern
from dressform.geometry.distance import BodyDistance, SurfaceQuery
from dressform.geometry.normals import vertex_normals
from dressform.geometry.rigid import rigid_fit

#: Body parts a panel placed round a limb moves with, by placement region: a sleeve goes
#: with its arm even where the torso is nearer (a loose sleeve's underside in the A-pose).
LIMB_PARTS: dict[str, tuple[str, ...]] = {
    "arm_left": ("upper_arm_left", "forearm_left", "hand_left"),
    "arm_right": ("upper_arm_right", "forearm_right", "hand_right"),
    "leg_left": ("thigh_left", "shin_left", "foot_left"),
    "leg_right": ("thigh_right", "shin_right", "foot_right"),
}


#: (cloth vertex mask, body face indices, the limb's body parts) of a panel round a limb.
LimbGroup = tuple[np.ndarray, np.ndarray, tuple[str, ...]]


def limb_groups(garment: DrapedGarment, pattern: Pattern, body: Body) -> list[LimbGroup]:
    """(cloth vertex mask, body face indices, body parts) for each of the garment's panels
    placed round a limb: the surface those vertices are carried on."""
    regions = {p.name: p.placement.region if p.placement else "" for p in pattern.panels}
    faces = np.asarray(body.faces)
    out = []
    for region, parts in LIMB_PARTS.items():
        panels = [k for k, n in enumerate(garment.panel_names) if regions.get(n) == region]
        if not panels:
            continue
        on = body.part_mask(*parts)[faces].all(axis=1)
        out.append((np.isin(garment.panel, panels), np.flatnonzero(on), parts))
    return out


@dataclass(frozen=True)
class Binding:
    """Where cloth points sit on the body they were bound on (`bind`): each point's nearest
    surface point (face and barycentric weights) and signed distance out along the normal,
    and for points round a limb (`limb_groups`) the limb segment they move with. It depends
    only on that body, so it is made once and `place`d on as many bodies as needed."""

    points: np.ndarray  # (N, 3) where the points were
    face: np.ndarray  # (N,) nearest face
    bary: np.ndarray  # (N, 3) weights of that face's corners
    distance: np.ndarray  # (N,) signed, along the normal
    rest: np.ndarray  # (V, 3) the body's vertices
    #: (point indices, the body part's vertex mask) of each limb segment's points.
    segments: tuple[tuple[np.ndarray, np.ndarray], ...]
    #: The points hanging loose (`LOOSE_M`), (M,) indices, each moved by the mean motion
    #: of (M, K) body vertices round it, with (M, K) weights...
    loose_ids: np.ndarray
    around: np.ndarray
    around_w: np.ndarray
    #: ...(M,) by this much (0: with its nearest surface point, 1: with the mean).
    loose: np.ndarray


def bind(points: np.ndarray, old: Body, groups: Sequence[LimbGroup] = ()) -> Binding:
    """Points near `old` bound to its surface (`place` moves them with it onto another
    body of the same mesh). `groups`: points round a limb (a sleeve, a trouser leg) are
    bound instead to the limb segment under them (upper arm, forearm...), to move with it
    as a rigid body: loose cloth keeps its shape round a turning limb, where following the
    nearest skin would pull its near and far sides apart."""
    points = np.asarray(points, dtype=np.float64)
    face, bary, _ = SurfaceQuery(old.vertices, old.faces).nearest(points, 1.0)
    if (face < 0).any():
        raise DrapeError("some cloth lies more than 1 m from the body it was draped on")
    segments = []
    for mask, allowed, parts in groups:
        if not mask.any():
            continue
        sub = np.asarray(old.faces)[allowed]
        f, _, _ = SurfaceQuery(old.vertices, sub).nearest(points[mask], 1.0)
        segment = old.part_ids[sub[np.maximum(f, 0), 0]]
        for part in parts:
            ids = old.part_mask(part)
            here = (segment == old.part_names.index(part)) & (f >= 0)
            if here.any() and ids.sum() >= 3:
                segments.append((np.flatnonzero(mask)[here], ids))
    rest = np.asarray(old.vertices, dtype=np.float64)
    distance = BodyDistance(old.vertices, old.faces)(points)
    # Arms slide under loose cloth rather than carry it (a sleeve goes with its arm as a
    # limb group): averaged in, a swinging arm dragged the bodice's side through itself,
    # and a hand coming down to the hip took a skirt's flare into its palm.
    trunk = np.flatnonzero(~old.part_mask(*LIMB_PARTS["arm_left"], *LIMB_PARTS["arm_right"]))
    # Only cloth hanging by the hips and legs is loose so: a bodice's side, loose too,
    # averaged over the chest, was caught between the chest and the arm coming down.
    lower = old.part_mask(*LOOSE_OVER)[np.asarray(old.faces)[face, 0]]
    loose = np.where(lower, np.clip((np.abs(distance) - CLOSE_M) / (LOOSE_M - CLOSE_M),
                                    0.0, 1.0), 0.0)
    # Only those points are looked round, and averaged on each body (`place`): most of a
    # top is near its skin.
    ids = np.flatnonzero(loose > 0.0)
    around, weights = _surroundings(points[ids], rest[trunk], distance[ids])
    return Binding(points, face, bary, distance, rest, tuple(segments), ids, trunk[around],
                   weights, loose[ids])


#: Cloth this far from the skin and further (a skirt's hem) moves by the mean motion of the
#: skin round it rather than with the one surface point nearest it; nearer than
#: `CLOSE_M` it moves with that point. A hem hanging between the knees is nearest the inside
#: of one thigh: carried with that as the thighs came up to sit, it was drawn down between
#: them and crumpled there (827 edges through itself with the knees together).
LOOSE_M = 0.04
CLOSE_M = 0.01
#: Body parts loose cloth hangs by (nearest).
LOOSE_OVER = ("hips", *LIMB_PARTS["leg_left"], *LIMB_PARTS["leg_right"])
#: Skin vertices averaged round a loose point.
AROUND = 48


def _surroundings(points: np.ndarray, rest: np.ndarray, distance: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(N, K) skin vertices (of `rest`) round each point and (N, K) their weights, falling
    off with distance over the point's own `distance` from the skin."""
    dist, ids = cKDTree(rest).query(points, AROUND)
    scale = np.maximum(np.abs(distance), CLOSE_M)[:, None]
    w = np.exp(-((dist - dist[:, :1]) / scale) ** 2)
    return ids, w / w.sum(axis=1, keepdims=True)


def place(binding: Binding, new: Body) -> np.ndarray:
    """The bound points moved with the surface onto `new` (same mesh as the body they were
    bound on): the same surface point, the same signed distance along the normal; points
    bound to a limb segment moved as that segment moved (best rigid fit)."""
    after = np.asarray(new.vertices)
    faces = np.asarray(new.faces)[binding.face]
    normals = vertex_normals(after, np.asarray(new.faces))
    # warp's barycentric weights (u, v, 1 − u − v) go with the face's corners in order.
    w = binding.bary[:, :, None]
    at = (after[faces] * w).sum(axis=1)
    n = (normals[faces] * w).sum(axis=1)
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    out = at + binding.distance[:, None] * n
    moved = after - binding.rest
    ids = binding.loose_ids
    mean = binding.points[ids] + (moved[binding.around] * binding.around_w[:, :, None]).sum(axis=1)
    out[ids] += binding.loose[:, None] * (mean - out[ids])
    for points, ids in binding.segments:
        r, t = rigid_fit(binding.rest[ids], after[ids])
        out[points] = binding.points[points] @ r.T + t
    return out


def carry(points: np.ndarray, old: Body, new: Body,
          groups: Sequence[LimbGroup] = ()) -> np.ndarray:
    """Points near `old` moved with the surface onto `new` (same mesh): `place` of their
    `bind`ing."""
    return place(bind(points, old, groups), new)


def _checked(garment: DrapedGarment, pattern: Pattern, old: Body, new: Body,
             fabric: str | FabricPhysics) -> tuple[FabricPhysics, ClothMesh]:
    """The fabric's physics and the garment's cloth mesh, once the garment is known to
    belong to the pattern and the bodies to share a mesh (else `DrapeError`)."""
    if old.vertices.shape != new.vertices.shape or not np.array_equal(old.faces, new.faces):
        raise DrapeError("re-drape carries cloth between bodies with the same mesh (clones "
                         "built by dressform.body); drape the pattern afresh instead")
    physics = fabric if isinstance(fabric, FabricPhysics) else fabric_preset(fabric)
    folded = fold_bands(pattern, fasten=garment.bands_fastened)
    cloth = mesh_pattern(folded, garment.spacing_mm)
    if cloth.vertex_count != len(garment.vertices):
        raise DrapeError(f"this garment was not draped from pattern {pattern.name!r} at "
                         f"{garment.spacing_mm:g} mm")
    if new.spec != old.spec:  # another body: "too small at the hips", by name
        place_panels(cloth, folded, new, physics.max_stretch)
    # (The same clone in another pose has the same girths; its measurements, taken in the
    # rest pose, are not defined in a pose.)
    return physics, cloth


def _onto(cloth: ClothMesh, physics: FabricPhysics, carried: np.ndarray, body: Body,
          skin: BodyDistance, steps: int, progress: Callable[[int, float], None] | None = None,
          first_step: int = 0, over: Sequence[DrapedGarment] = (),
          inside: Sequence[DrapedGarment] = (), props: Sequence[Prop] = (),
          done: Callable[[np.ndarray], bool] | None = None, model: ClothModel | None = None
          ) -> tuple[np.ndarray, int, bool]:
    """Cloth `carried` onto `body` (`_carried`; `skin` is the distance field of the body and
    its `props`) pushed out of the garments `over` it, already on `body`, and into those it
    is `inside`, and stepped up to `steps` solver steps, or until `done(x)`: (positions,
    steps taken, at rest). `model`: the cloth's `cloth_model`, if the caller keeps one."""
    distance = collider(body, over, inside, props) if over or inside else skin
    start = distance.push_out(carried, SolverSettings().clearance_m)
    return settle(cloth, start, distance, physics, steps, progress, first_step, done=done,
                  model=model)


def _carried(q: np.ndarray, bound_before: np.ndarray, bound_now: np.ndarray,
             skin: BodyDistance) -> np.ndarray:
    """Cloth `q` moved as the skin it is bound to moved (from `bound_before` to `bound_now`,
    `carry` of the garment's rest shape onto the body before and onto this one) and pushed
    out of this body (`skin`).

    The binding is made once, on the body the garment rested on, and kept on the way: bound
    afresh to the nearest skin at every step, cloth at the hip was taken by a hand coming
    down nearer than the hip, and cloth in a closing fold (a sitting lap) by the other side
    of the fold, and carried off with it through the cloth beside it."""
    return skin.push_out(q + bound_now - bound_before, SolverSettings().clearance_m)


#: One layer of an outfit to re-drape: (garment at rest, its pattern, its fabric).
Layer = tuple[DrapedGarment, Pattern, str | FabricPhysics]


def follow(garment: DrapedGarment, pattern: Pattern, old: Body, bodies: Sequence[Body],
           fabric: str | FabricPhysics = "cotton_jersey", *, steps_each: int = 2,
           progress: Callable[[int], None] | None = None) -> list[np.ndarray]:
    """The cloth of `garment` (rested on `old`) through a motion, body by body (an
    animation's frames): carried with the surface onto each and stepped `steps_each` solver
    steps (1/30 s each) there, with gravity and collisions. Cloth positions per body.

    Each frame starts the cloth at rest on the moved body (quasi-static): the carry already
    moves it with the skin under it, and adding its last speed on top would move it twice.
    """
    return follow_layers([(garment, pattern, fabric)], old, bodies, steps_each=steps_each,
                         progress=progress)[0]


def follow_layers(layers: Sequence[Layer], old: Body, bodies: Sequence[Body], *,
                  tucked: bool = False, steps_each: int = 2,
                  progress: Callable[[int], None] | None = None) -> list[list[np.ndarray]]:
    """An outfit's layers (rested on `old`, inner first) through a motion (`follow`): on
    each body the inner layer is carried and stepped first, then each outer one over those
    under it, colliding with them as with the body; a `tucked` inner layer is kept inside
    the layers over it (as in `redrape_layers`). Cloth positions per layer, per body."""
    if not bodies:
        return [[] for _ in layers]
    checked = [_checked(g, p, old, bodies[-1], f) for g, p, f in layers]
    step_s = SolverSettings().step_s
    models = [cloth_model(cloth, physics, step_s) for physics, cloth in checked]  # fixed
    bindings = [bind(g.vertices, old, limb_groups(g, p, old)) for g, p, _ in layers]
    bound = [place(b, old) for b in bindings]
    qs = [g.vertices for g, _, _ in layers]
    out: list[list[np.ndarray]] = [[] for _ in layers]
    for i, body in enumerate(bodies):
        skin = BodyDistance(body.vertices, body.faces)
        now = [place(b, body) for b in bindings]
        carried = [_carried(q, bound[k], now[k], skin) for k, q in enumerate(qs)]
        bound = now
        placed: list[DrapedGarment] = []
        for k, (garment, _, _) in enumerate(layers):
            physics, cloth = checked[k]
            shells = [replace(g, vertices=carried[j]) for j, (g, _, _) in enumerate(layers)
                      if j > k] if tucked else []
            qs[k], _, _ = _onto(cloth, physics, carried[k], body, skin, steps_each,
                                over=placed, inside=shells, model=models[k])
            placed.append(replace(garment, vertices=qs[k]))
            out[k].append(qs[k])
        if progress:
            progress(i + 1)
    return out


def redrape(garment: DrapedGarment, pattern: Pattern, old: Body, new: Body,
            fabric: str | FabricPhysics = "cotton_jersey", *, max_frames: int = 240,
            through: Sequence[Body] = (), frames_between: int = 20,
            props: Sequence[Prop] = (),
            progress: Callable[[int, float], None] | None = None,
            converged: Converged | None = None) -> DrapedGarment:
    """`garment` (draped from `pattern` on `old`) settled onto `new`.

    `through`: bodies to pass through on the way (the poses between two poses), the cloth
    settled for up to `frames_between` steps on each: a body part that moves far in one jump
    (an arm coming down to the hip) can land on the far side of cloth it should push.
    `props`: solids the cloth collides with besides the body on the way and in the end (the
    stool of a seated pose, `dressform.body.seat`); its contact distances include them.
    `converged`: the settle on `new` also ends, at rest, once it holds (a try-on stops once
    the eases it reads hold).

    Raises `DrapeError` if the bodies do not share a mesh or the garment was not draped from
    this pattern, and `PatternError` if the garment is too small for the new body.
    """
    return redrape_layers([(garment, pattern, fabric)], old, new, max_frames=max_frames,
                          through=through, frames_between=frames_between,
                          props=props, progress=progress, converged=converged)[0]


def redrape_layers(layers: Sequence[Layer], old: Body, new: Body, *, max_frames: int = 240,
                   through: Sequence[Body] = (), frames_between: int = 20,
                   tucked: bool = False, props: Sequence[Prop] = (),
                   progress: Callable[[int, float], None] | None = None,
                   converged: Converged | None = None) -> list[DrapedGarment]:
    """Garments at rest on `old` settled onto `new` (`redrape`), several as an outfit's
    layers, inner first: on each body on the way (`through`) the inner layer is carried
    and settled first, then each outer one over those under it, colliding with them as
    with the body. Each is meshed as it was draped (`DrapedGarment.bands_fastened`: a layer
    draped over another, `drape(over=...)`, has its bands open at the lap).

    `tucked`: the inner layer is tucked into the outer (a top into a skirt); on each body it
    settles inside the outer as that is carried there, the outer's triangles turned to face
    inwards (settled alone, before the skirt was back over it, the top's hem sprang out
    through the skirt; held where the skirt covered it, it could not slide as a hip or an
    arm moved, and passed through itself). Trousers under a T-shirt settle on their own.
    `props`, `converged`: as for `redrape` (`converged` applies to a single garment only).

    Raises `DrapeError` if the bodies do not share a mesh or a garment was not draped from
    its pattern, and `PatternError` if a garment is too small for the new body.
    """
    checked = [_checked(g, p, old, new, f) for g, p, f in layers]
    started = time.perf_counter()
    groups = [limb_groups(g, p, old) for g, p, _ in layers]
    qs = [g.vertices for g, _, _ in layers]
    steps = [0] * len(layers)
    rested = [False] * len(layers)
    # Each layer is carried with the body it rested on, not with the others.
    bindings = [bind(g.vertices, old, groups[k]) for k, (g, _, _) in enumerate(layers)]
    bound = [place(b, old) for b in bindings]
    for body in (*through, new):
        budget = max_frames if body is new else frames_between
        skin = collider(body, props=props)
        now = [place(b, body) for b in bindings]
        carried = [_carried(q, bound[k], now[k], skin) for k, q in enumerate(qs)]
        bound = now
        placed: list[DrapedGarment] = []
        for k, (garment, _, _) in enumerate(layers):
            physics, cloth = checked[k]
            # A tucked layer settles inside the layers over it, as they are carried onto
            # this body (settled with nothing outside it, its hem sprang out through them).
            shells = [replace(g, vertices=carried[j]) for j, (g, _, _) in enumerate(layers)
                      if j > k] if tucked else []
            qs[k], taken, rested[k] = _onto(cloth, physics, carried[k], body, skin, budget,
                                           progress, steps[k], over=placed, inside=shells,
                                           props=props,
                                           done=None if converged is None or body is not new
                                           or len(layers) > 1 else
                                           (lambda x, f=garment.faces: converged(x, f)))
            steps[k] += taken
            placed.append(replace(garment, vertices=qs[k]))
    seconds = time.perf_counter() - started
    return [DrapedGarment(q, g.faces, g.uv, g.panel, g.panel_names, skin(q), n, seconds, ok,
                          triangle_strain(checked[k][1], q), g.spacing_mm, g.seam_gap_m,
                          g.bands_fastened)
            for k, ((g, _, _), q, n, ok) in enumerate(zip(layers, qs, steps, rested,
                                                          strict=True))]
