"""Sewn cloth simulated onto a body with Newton's Style3D cloth solver, on the CPU.

Why Style3D: on this machine it was the only Newton cloth solver that came to rest on a body
with no cloth inside it in the issue's probes (VBD was twice as slow per frame and had not
settled after 219 frames). The body is a static collision mesh; gravity pulls the placed,
fused garment down until it rests: the largest vertex speed stays under `REST_SPEED_M_S` for
`REST_FRAMES` frames in a row. A non-finite position, or speeds that keep growing past
`DIVERGED_SPEED_M_S`, stop the run with `DrapeError` instead of returning nonsense.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import DEFAULT_SPACING_MM, ClothMesh, mesh_pattern
from dressform.drape.distance import BodyDistance
from dressform.drape.fabrics import FabricPhysics, fabric_preset
from dressform.drape.folding import fold_bands
from dressform.drape.placement import place
from dressform.errors import DressformError, PatternError
from dressform.garment.pattern import Pattern
from dressform.geometry.normals import vertex_normals

FPS = 60
SUBSTEPS = 10
ITERATIONS = 4
REST_SPEED_M_S = 0.01
REST_FRAMES = 3
DIVERGED_SPEED_M_S = 20.0
PARTICLE_RADIUS_M = 0.006
#: The body the cloth collides with is the skin grown by this much: soft contacts let cloth
#: sink a little way into what it touches, and it must not reach the skin.
SKIN_OFFSET_M = 0.003


class DrapeError(DressformError):
    """The cloth simulation failed (diverged, or the garment cannot go on this body)."""


@dataclass(frozen=True)
class DrapedGarment:
    """A garment at rest on a body (metres, the body's frame).

    vertices/faces: the fused cloth surface. uv: (V, 2) pattern coordinates (m) of each vertex
    (on a seam, one side's). panel: (V,) panel index into `panel_names`. contact_m: (V,)
    signed distance to the body surface (negative = inside).
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


def without_panels(pattern: Pattern, names: Sequence[str]) -> Pattern:
    """The pattern less some panels and the stitches that reach them."""
    drop = set(names)
    for n in drop:
        pattern.panel(n)  # unknown names fail here, clearly
    return pattern.model_copy(update={
        "panels": tuple(p for p in pattern.panels if p.name not in drop),
        "stitches": tuple(s for s in pattern.stitches
                          if s.a.panel not in drop and s.b.panel not in drop)})


def drape(pattern: Pattern, body: Body, fabric: str | FabricPhysics = "cotton_jersey", *,
          spacing_mm: float = DEFAULT_SPACING_MM, max_frames: int = 240,
          progress: Callable[[int, float], None] | None = None) -> DrapedGarment:
    """Mesh, place, sew and simulate `pattern` on `body` until the cloth rests.

    `progress(frame, max_speed)` is called after every frame. Raises `PatternError` for a
    pattern that cannot be meshed or placed and `DrapeError` if the solver diverges.
    """
    physics = fabric if isinstance(fabric, FabricPhysics) else fabric_preset(fabric)
    pattern = fold_bands(pattern)
    cloth = mesh_pattern(pattern, spacing_mm)
    start = place(cloth, pattern, body, physics.max_stretch)
    distance = BodyDistance(body.vertices, body.faces)
    inside = distance(start) < SKIN_OFFSET_M
    if inside.any():
        raise PatternError([f"{int(inside.sum())} cloth vertices start inside the body: the "
                            "garment is too small here to be placed round it"])
    started = time.perf_counter()
    q, frames, at_rest = _simulate(cloth, start, body, physics, max_frames, progress)
    rep = cloth.representative()
    return DrapedGarment(q, cloth.faces, cloth.uv[rep], cloth.panel[rep], cloth.panel_names,
                         distance(q), frames, time.perf_counter() - started, at_rest)


def _simulate(cloth: ClothMesh, start: np.ndarray, body: Body, physics: FabricPhysics,
              max_frames: int, progress) -> tuple[np.ndarray, int, bool]:
    import newton
    import warp as wp
    from newton.solvers import style3d

    wp.config.quiet = True
    builder = newton.ModelBuilder(up_axis=newton.Axis.Z)
    newton.solvers.SolverStyle3D.register_custom_attributes(builder)
    style3d.add_cloth_mesh(
        builder, pos=wp.vec3(0.0, 0.0, 0.0), rot=wp.quat_identity(), vel=wp.vec3(0.0, 0.0, 0.0),
        panel_verts=cloth.uv.tolist(), panel_indices=cloth.faces_uv.ravel().tolist(),
        vertices=start.tolist(), indices=cloth.faces.ravel().tolist(),
        density=physics.density_kg_m2, particle_radius=PARTICLE_RADIUS_M,
        tri_aniso_ke=wp.vec3(*physics.stretch), edge_aniso_ke=wp.vec3(*physics.bending))
    skin = np.asarray(body.vertices) + SKIN_OFFSET_M * vertex_normals(body.vertices, body.faces)
    builder.add_shape_mesh(body=-1, mesh=newton.Mesh(
        skin.astype(np.float32), np.asarray(body.faces, dtype=np.int32).ravel()))
    model = builder.finalize(device="cpu")
    model.soft_contact_ke = 1.0e1
    model.soft_contact_kd = 1.0e-5
    model.soft_contact_mu = physics.friction
    model.set_gravity((0.0, 0.0, -9.81))
    solver = newton.solvers.SolverStyle3D(
        model=model, config=newton.solvers.SolverStyle3D.Config(iterations=ITERATIONS))
    s0, s1 = model.state(), model.state()
    control = model.control()
    pipeline = newton.CollisionPipeline(model)
    contacts = pipeline.contacts()
    dt = 1.0 / FPS / SUBSTEPS
    calm = 0
    frame = 0
    for frame in range(1, max_frames + 1):
        pipeline.collide(s0, contacts)
        for _ in range(SUBSTEPS):
            s0.clear_forces()
            solver.step(s0, s1, control, contacts, dt)
            s0, s1 = s1, s0
        q = s0.particle_q.numpy()
        speed = float(np.linalg.norm(s0.particle_qd.numpy(), axis=1).max())
        if not np.isfinite(q).all() or not np.isfinite(speed) or speed > DIVERGED_SPEED_M_S:
            raise DrapeError(f"the cloth simulation diverged at frame {frame} (largest speed "
                             f"{speed:.3g} m/s); try a finer spacing or a stiffer fabric")
        if progress is not None:
            progress(frame, speed)
        calm = calm + 1 if speed < REST_SPEED_M_S else 0
        if calm >= REST_FRAMES:
            return q.astype(np.float64), frame, True
    return s0.particle_q.numpy().astype(np.float64), frame, False
