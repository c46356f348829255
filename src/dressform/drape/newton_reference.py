"""Newton's Style3D cloth solver as the reference dressform's projective solver is checked
against (`drape(solver="newton")`, `benchmarks/drape.py`).

60 fps × 10 substeps × 4 iterations; body contact at the projective solver's clearance,
stiff enough that cloth does not sink into the skin, and the fabric's own friction. It starts
from the fused placement: Style3D has no sewing phase of its own here. Rest and divergence
use the projective solver's thresholds (`dressform.drape.projective`), read per frame on the
largest vertex speed rather than per step on 99 % of the vertices.

Newton and warp are imported only when it runs: a drape with the projective solver never
loads them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dressform.body.mesh import Body
from dressform.drape.cloth_mesh import ClothMesh
from dressform.drape.fabrics import FabricPhysics
from dressform.drape.projective import (
    CLEARANCE_M,
    DIVERGED_SPEED_M_S,
    GRAVITY,
    REST_SPEED_M_S,
    REST_STEPS,
    DivergedError,
)

FPS = 60
SUBSTEPS = 10
ITERATIONS = 4
#: Newton's body contact stiffness (N/m per vertex). Its example garments use 10, with which
#: a 20 mm T-shirt's vertices sank up to 5 mm into the skin; at 1000 none do.
NEWTON_CONTACT_KE = 1.0e3


def newton_settle(cloth: ClothMesh, start: np.ndarray, body: Body, physics: FabricPhysics,
                  max_frames: int, progress: Callable[[int, float], None] | None = None
                  ) -> tuple[np.ndarray, int, bool]:
    """The fused cloth from `start` stepped by Newton's Style3D solver until it rests (the
    reference the projective solver is checked against): positions, frames, at rest.
    Raises `DivergedError` if it diverges."""
    import newton
    import warp as wp
    from newton.solvers import style3d

    from dressform.geometry.warp_runtime import start_warp

    start_warp()
    wp.config.log_level = wp.LOG_ERROR
    builder = newton.ModelBuilder(up_axis=newton.Axis.Z)
    newton.solvers.SolverStyle3D.register_custom_attributes(builder)
    style3d.add_cloth_mesh(
        builder, pos=wp.vec3(0.0, 0.0, 0.0), rot=wp.quat_identity(), vel=wp.vec3(0.0, 0.0, 0.0),
        panel_verts=cloth.uv.tolist(), panel_indices=cloth.faces_uv.ravel().tolist(),
        vertices=start.tolist(), indices=cloth.faces.ravel().tolist(),
        density=physics.density_kg_m2, particle_radius=CLEARANCE_M,
        tri_aniso_ke=wp.vec3(*physics.stretch), edge_aniso_ke=wp.vec3(*physics.bending))
    # A particle rests its radius off the skin: the projective solver's clearance. Newton
    # mixes the two materials' friction as sqrt(μ_cloth · μ_body), so the body gets the
    # fabric's too.
    builder.add_shape_mesh(
        body=-1, mesh=newton.Mesh(np.asarray(body.vertices, dtype=np.float32),
                                  np.asarray(body.faces, dtype=np.int32).ravel()),
        cfg=newton.ModelBuilder.ShapeConfig(mu=physics.friction))
    model = builder.finalize(device="cpu")
    model.soft_contact_ke = NEWTON_CONTACT_KE
    model.soft_contact_kd = 1.0e-5
    model.soft_contact_mu = physics.friction
    model.set_gravity(tuple(float(g) for g in GRAVITY))
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
            raise DivergedError(f"the cloth simulation diverged at frame {frame} (largest "
                                f"speed {speed:.3g} m/s)")
        if progress is not None:
            progress(frame, speed)
        calm = calm + 1 if speed < REST_SPEED_M_S else 0
        if calm >= REST_STEPS:
            return q.astype(np.float64), frame, True
    return s0.particle_q.numpy().astype(np.float64), frame, False
