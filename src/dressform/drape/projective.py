"""dressform's cloth solver: projective dynamics on the fused cloth mesh, on the CPU.

Why our own: Newton's Style3D solver needed 0.5 s per frame for a 2k-vertex T-shirt here (its
warp kernels run on one core at 10 substeps × 4 iterations a frame), about ten times too slow
for the issue's target. Projective dynamics (Bouaziz et al., "Projective Dynamics: Fusing
Constraint Projections for Fast Simulation", SIGGRAPH 2014) splits every implicit-Euler step
into a *local* step (each triangle's deformation projected, in closed form, to the nearest
allowed one) and a *global* step, a sparse linear solve whose matrix changes only when the set
of vertices tied to the body does (refactored every few steps), so an iteration costs a
back-substitution. It is unconditionally stable, so we take
large steps (1/30 s) and heavy numerical damping, which is what a drape wants: the rest state,
not the flight.

Energies, per triangle of area A with deformation gradient F = [f_weft, f_warp] against the
flat pattern (the rest shape):

- stretch, weft and warp: k/2 · A · (|f| − 1)² for |f| > 1 (k in N/m, the fabric's tensile
  stiffness), and against compression only past the fabric's `compression_slack` (cloth
  buckles rather than shrinks);
- shear: k_shear/2 · A · ‖F − S‖², S the columns of F turned to a right angle at their own
  lengths;
- bending: the quadratic isometric bending energy of Bergou et al. 2006 (exact for a flat rest
  shape, which a pattern is), with bending rigidity B in N·m per edge, weft or warp by the
  edge's direction on the grain.

Collision with the body is a projection after every global solve: a vertex nearer the skin than
`clearance` goes back out along the surface normal (where the body is met again sooner along
it, as between an arm lowered against the side and the torso, only to near the middle of that
gap); friction (Coulomb, position-based as in Macklin et al. 2014) then takes back
tangential speed in proportion to how far contact pushed.
Self-contact: vertices of the cloth that are not mesh neighbours are kept `thickness` apart
(while sewing, vertices that will be fused into one are not kept apart: they must meet).
Vertex spacing is not vertex–triangle separation (a triangle of a 20 mm mesh passes easily
between vertices 4 mm apart), so a fused garment also keeps every vertex on its side of the
cloth triangles near it (`_keep_sides`). What is already through itself (sewing crumples a
sleeve cap through its own layers) cannot be held on a side: every few steps such tangles
are found (`dressform.drape.checks`) and smoothed flat (`dressform.drape.untangle`), then
left to fold again, and a garment is not at rest while any remain.

Structure, split as NVIDIA Newton splits a simulation (a `Model`, a `State` and a solver's
`step(state_in → state_out)`):

- `ClothModel` (`cloth_model`): what does not change while stepping: masses, the constraint
  rows, the global matrix before contact ties. It depends only on the cloth, its fabric and
  the time step, so one model serves every run of that cloth (every body of a motion).
- `ClothRun` (`begin`): what one run fixes besides the model: the body it collides with,
  friction, `SolverSettings`, pins, gravity, whether cloth keeps its sides.
- `ClothState`: what stepping changes: positions, velocities, the step count, the rest
  counter and the `Contacts` refreshed every few steps (vertices tied to the body, the
  matrix factored with those ties, the body vertices near the cloth, the vertices left
  free to pass through cloth).
- `step` advances a state by one implicit step; `at_rest` is the rest test; `relax` loops
  over the two until the cloth rests, a caller's `done(x)` holds, or the steps run out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import SuperLU, splu
from scipy.spatial import cKDTree

from dressform.drape.cloth_mesh import ClothMesh, rest_inverse, triangle_areas
from dressform.drape.fabrics import FabricPhysics
from dressform.drape.local_step import LocalStep
from dressform.drape.untangle import untangle
from dressform.geometry.barycentric import barycentric
from dressform.geometry.crossings import crossing_vertices, near_triangles
from dressform.geometry.distance import BodyDistance, SurfaceQuery

GRAVITY = np.array([0.0, 0.0, -9.81])
#: Inside the body by less than this, a cloth vertex is pushed out to the nearest surface;
#: deeper, it is sent back to where it was.
SHALLOW_M = 0.01
#: Within the fabric's compression slack (real cloth buckles into folds rather than shrink,
#: and folds finer than the mesh can show would otherwise lock it stiff), cloth still
#: resists with this share of its stiffness: with nothing at all, the bending energy of a
#: tube of cloth round a body shrinks it (a smaller tube bends less), which real cloth does
#: not do.
COMPRESSION_SHARE = 1e-3
CHEBYSHEV_DELAY = 2
#: Cloth caught in a gap narrower than the clearance over this share rests this share of the
#: gap off the side it is nearest (not the full clearance, which would put it in the other).
GAP_SHARE = 0.45
#: Cloth vertices this much further out than the clearance are tied to the body as well,
#: and body vertices this much further from the cloth than the clearance are checked for
#: poking through it (`_unpoke`): contact is looked for a little beyond where it acts.
NEAR_M = 0.01
#: Body vertices this near the cloth at a tie refresh are the ones it may cover before the
#: next refresh (`_unpoke` checks only those).
COVER_M = 0.03
#: Search radius of body-distance queries (deeper or further is "far").
QUERY_M = 0.1
#: A seam's pull while sewing, against the cloth's median stiffness at a vertex.
SEAM_STIFFNESS = 10.0


#: Cloth is kept this far outside the skin (Newton's reference: its particles' radius).
CLEARANCE_M = 0.004
#: Non-neighbouring cloth vertices are kept this far apart (two layers of cloth).
THICKNESS_M = 0.004
#: At rest: 99 % of the cloth's vertices slower than this (Newton's reference: every
#: vertex)...
REST_SPEED_M_S = 0.01
#: ...for this many steps in a row (Newton's reference: frames).
REST_STEPS = 3
#: A vertex faster than this means the solver blew up (both solvers).
DIVERGED_SPEED_M_S = 20.0


@dataclass(frozen=True)
class SolverSettings:
    """Time stepping and contact. The defaults drape a garment to rest; tests use fewer steps."""

    step_s: float = 1.0 / 30.0
    iterations: int = 8
    #: Spectral radius guess for Chebyshev acceleration (free-hanging cloth only); 0 = off.
    chebyshev_rho: float = 0.95
    #: Share of the velocity taken away every step (on top of implicit Euler's own damping).
    damping: float = 0.05
    clearance_m: float = CLEARANCE_M
    thickness_m: float = THICKNESS_M
    #: No vertex moves further in one step: half the thinnest body part it must not tunnel
    #: through (a wrist is about 5 cm across).
    max_move_m: float = 0.02
    #: Steps between refreshes of the `Contacts` (which vertices are tied to the body).
    refactor_steps: int = 4
    rest_speed_m_s: float = REST_SPEED_M_S
    rest_steps: int = REST_STEPS
    diverged_speed_m_s: float = DIVERGED_SPEED_M_S


@dataclass(frozen=True)
class ClothModel:
    """A cloth mesh with its fabric, ready to step: the prefactored global matrix and what
    the local steps need."""

    mass: np.ndarray  # (V,) kg, lumped
    columns: sp.csr_matrix  # (2T, V): row 2t + c gives column c of triangle t's F
    local: LocalStep  # each triangle's projection (the local step), compiled
    faces: np.ndarray  # (T, 3) triangles into the model's vertices
    neighbours: np.ndarray  # (E,) edge keys i * V + j, i < j, for self-contact
    anchor_w: np.ndarray  # (V,) weight tying a vertex near the body to its projection
    step_s: float
    system: sp.csc_matrix  # the global matrix without contact ties

    def factor(self, tie: np.ndarray) -> SuperLU:
        """The global matrix with each vertex tied to an anchor by weight `tie` (V,),
        factored (sparse LU with a fill-reducing ordering)."""
        return splu((self.system + sp.diags(tie)).tocsc(), permc_spec="COLAMD")

    @property
    def vertex_count(self) -> int:
        return len(self.mass)

    @property
    def inertia_w(self) -> np.ndarray:
        """(V, 1) weight of each vertex's inertial target in the global step, m / h²."""
        return (self.mass / self.step_s**2)[:, None]


def cloth_model(cloth: ClothMesh, physics: FabricPhysics, step_s: float, *,
                sewing: bool = False) -> ClothModel:
    """The cloth's masses, constraint rows and global matrix for time step `step_s`.

    The model is of the fused garment, or with `sewing`, of the loose panels (one vertex per
    pattern vertex) with every seam a stiff zero-length spring that pulls the panels together.
    """
    faces_uv = cloth.faces_uv
    faces = faces_uv if sewing else cloth.faces
    v = len(cloth.uv) if sewing else cloth.vertex_count
    uv = cloth.uv
    area = np.abs(triangle_areas(uv, faces_uv))
    mass = np.zeros(v)
    np.add.at(mass, faces.ravel(), np.repeat(area * physics.density_kg_m2 / 3.0, 3))
    dinv = rest_inverse(uv, faces_uv)  # (T, 2, 2)
    t = len(faces)
    # Column c of F = (x1 − x0) dinv[0, c] + (x2 − x0) dinv[1, c].
    coef = np.stack([-(dinv[:, 0, :] + dinv[:, 1, :]), dinv[:, 0, :], dinv[:, 1, :]],
                    axis=1)  # (T, 3 vertices, 2 columns)
    rows = (2 * np.arange(t)[:, None, None] + np.arange(2)[None, None, :]).repeat(3, axis=1)
    cols = np.repeat(faces[:, :, None], 2, axis=2)
    columns = sp.csr_matrix((coef.ravel(), (rows.ravel(), cols.ravel())), shape=(2 * t, v))
    k_weft, k_warp, k_shear = physics.stretch
    stretch_w = np.stack([k_weft * area, k_warp * area], axis=1).ravel()
    shear_w = k_shear * area
    row_w = (1.0 + COMPRESSION_SHARE) * stretch_w + np.repeat(shear_w, 2)
    stiffness = columns.T @ sp.diags(row_w) @ columns + _bending_matrix(
        faces, faces_uv, uv, area, v, physics)
    if sewing and len(cloth.seams):
        seams = sp.csr_matrix((np.tile([1.0, -1.0], len(cloth.seams)),
                               (np.repeat(np.arange(len(cloth.seams)), 2), cloth.seams.ravel())),
                              shape=(len(cloth.seams), v))
        pull = SEAM_STIFFNESS * float(np.median(stiffness.diagonal()))
        stiffness = stiffness + pull * (seams.T @ seams)
    # Contact lives in the global step too, so the solve does not pull contact vertices back
    # into the body every iteration: a vertex near the body is tied, as stiffly as the cloth
    # holds it, to an anchor, its projection out of the body (or itself, when it is clear).
    anchor_w = stiffness.diagonal().copy()
    system = (sp.diags(mass / step_s**2) + stiffness).tocsc()
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]),
                    axis=1)
    if sewing:  # vertices that will be fused meet (seam partners, seam junctions)
        edges = np.vstack([edges, _fused_pairs(cloth.weld)])
    neighbours = np.unique(edges[:, 0].astype(np.int64) * v + edges[:, 1])
    local = LocalStep(faces, coef, stretch_w, shear_w, physics.compression_slack,
                      COMPRESSION_SHARE)
    return ClothModel(mass, columns, local, faces, neighbours, anchor_w, step_s, system)


def _fused_pairs(weld: np.ndarray) -> np.ndarray:
    """(P, 2) pairs i < j of pattern vertices that fuse into one garment vertex."""
    order = np.argsort(weld, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(weld[order])) + 1)
    pairs = [np.array([(g[a], g[b]) for a in range(len(g)) for b in range(a + 1, len(g))])
             for g in groups if len(g) > 1]
    return np.sort(np.vstack(pairs), axis=1) if pairs else np.zeros((0, 2), dtype=np.int64)


def _bending_matrix(faces: np.ndarray, faces_uv: np.ndarray, uv: np.ndarray,
                    area: np.ndarray, v: int, physics: FabricPhysics) -> sp.csr_matrix:
    """Bergou et al.'s quadratic bending: Σ_e B_e / (A0 + A1) · K_e K_eᵀ over interior edges,
    K_e from the cotangents of the two triangles' angles in their own pattern frames (a seam
    edge joins triangles of two panels)."""
    t = len(faces)
    # Half-edges: (a, b) of triangle f, opposite vertex o.
    a = faces.ravel()
    b = np.roll(faces, -1, axis=1).ravel()
    o = np.roll(faces, -2, axis=1).ravel()
    ua, ub, uo = (uv[np.roll(faces_uv, -k, axis=1).ravel()] for k in range(3))
    tri = np.repeat(np.arange(t), 3)
    key = np.minimum(a, b).astype(np.int64) * v + np.maximum(a, b)
    order = np.argsort(key, kind="stable")
    k_sorted = key[order]
    pair = np.flatnonzero(k_sorted[1:] == k_sorted[:-1])
    h0, h1 = order[pair], order[pair + 1]  # the two half-edges of each interior edge

    def cot(p: np.ndarray, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Cotangent of the angle at p in triangle (p, q, r), 2-D."""
        e1, e2 = q - p, r - p
        cross = np.abs(e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0])
        return (e1 * e2).sum(axis=1) / np.maximum(cross, 1e-12)

    # Edge (x0, x1) = (a, b) of h0; x2 = opposite in h0's triangle, x3 = opposite in h1's.
    x0, x1, x2, x3 = a[h0], b[h0], o[h0], o[h1]
    # h1 usually runs b → a in its own triangle, but panels sewn face to back run a → b.
    same = (a[h1] == x0)[:, None]
    u0, u1 = np.where(same, ua[h1], ub[h1]), np.where(same, ub[h1], ua[h1])
    c01 = cot(ua[h0], ub[h0], uo[h0])  # angle at x0 in triangle 0
    c03 = cot(ub[h0], ua[h0], uo[h0])  # angle at x1 in triangle 0
    c02 = cot(u0, u1, uo[h1])  # angle at x0 in triangle 1
    c04 = cot(u1, u0, uo[h1])  # angle at x1 in triangle 1
    kvec = np.stack([c03 + c04, c01 + c02, -c01 - c03, -c02 - c04], axis=1)
    direction = ub[h0] - ua[h0]
    cos2 = direction[:, 0] ** 2 / np.maximum((direction**2).sum(axis=1), 1e-18)
    b_weft, b_warp, _ = physics.bending
    # A fold along the warp (edge along v) bends the weft yarns.
    rigidity = b_weft * (1.0 - cos2) + b_warp * cos2
    # Bergou's 3/(A0 + A1) weights measure ∫ 3|Δx|²: a sheet rolled to curvature κ gave 2.9
    # times B/2 · κ² · area here, so the 3 is dropped to make B the plate's bending rigidity.
    weight = rigidity / (area[tri[h0]] + area[tri[h1]])
    idx = np.stack([x0, x1, x2, x3], axis=1)
    vals = weight[:, None, None] * kvec[:, :, None] * kvec[:, None, :]
    rows = np.repeat(idx[:, :, None], 4, axis=2)
    cols = np.repeat(idx[:, None, :], 4, axis=1)
    return sp.csr_matrix((vals.ravel(), (rows.ravel(), cols.ravel())), shape=(v, v))


def _collide(x: np.ndarray, x_old: np.ndarray, collider: BodyDistance, clearance: float,
             mu: float) -> tuple[np.ndarray, np.ndarray]:
    """x with its vertices kept out of the body.

    A vertex nearer the skin than `clearance` but outside (or just inside, less than
    `SHALLOW_M` deep) moves out along the surface normal, and its slide since the step began
    (`x_old`) is taken back by Coulomb friction: all of it under μ times the push (static),
    else by μ times the push (kinetic), as in position-based dynamics (Macklin et al. 2014).
    A vertex that went deeper inside goes back to where it began the step (outside): the
    nearest surface of a point inside is not always the side it came in by (in an armpit,
    between the legs), and sending it out the wrong side would trap the cloth round a limb.
    Also returns each vertex's way out of the body (unit vectors; zero beyond the query
    radius).
    """
    # Cloth moves at most `max_move_m` a step from outside, so nothing lies deeper than that;
    # a short search radius keeps the BVH query cheap.
    d, near = collider.query(x, max_dist=QUERY_M)
    outward = (x - near) * np.where(d < 0, -1.0, 1.0)[:, None]
    outward /= np.maximum(np.linalg.norm(outward, axis=1, keepdims=True), 1e-12)
    hit = np.flatnonzero((d < clearance) & (d >= -SHALLOW_M))
    x = x.copy()
    if len(hit):
        n = x[hit] - near[hit]
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
        n *= np.where(d[hit] < 0, -1.0, 1.0)[:, None]
        # In a gap under about twice the clearance (an arm lowered against the side) the
        # cloth caught in it goes near the middle: pushed the full clearance off one side it
        # would be inside the other, and sent back and forth it never rests. Not exactly
        # the middle: there both sides are nearest and the inside test is a coin toss.
        room = collider.gaps(near[hit], n, clearance / GAP_SHARE)
        moved = near[hit] + np.minimum(clearance, GAP_SHARE * room)[:, None] * n
        depth = np.linalg.norm(moved - x[hit], axis=1)
        slide = moved - x_old[hit]
        slide -= (slide * n).sum(axis=1, keepdims=True) * n
        length = np.linalg.norm(slide, axis=1)
        keep = np.where(length <= mu * depth, 0.0,
                        1.0 - mu * depth / np.maximum(length, 1e-12))
        x[hit] = moved - (1.0 - keep)[:, None] * slide
    inside = d < -SHALLOW_M
    x[inside] = x_old[inside]
    return x, outward


def _unpoke(x: np.ndarray, outward: np.ndarray, faces: np.ndarray, surface: SurfaceQuery,
            collider: BodyDistance, body_near: np.ndarray, clearance: float) -> np.ndarray:
    """x with cloth triangles lifted off body vertices that poke through them.

    Vertex contact alone lets a body edge (an armpit crease, a shoulder) pass between three
    cloth vertices that are all outside. A body vertex counts as poking through a triangle
    when it lies on the triangle's outer side, or nearer than `clearance` under it, and the
    body there faces the way the cloth does (so an arm hanging beside a skirt, outside it,
    does not count); the triangle then moves out along its normal so that the nearest point
    clears the body vertex, shared among its corners by barycentric weight.
    """
    surface.update(x)
    face, bary, near = surface.nearest(collider.vertices[body_near], clearance + NEAR_M)
    hit = np.flatnonzero(face >= 0)
    if len(hit) == 0:
        return x
    tri = faces[face[hit]]
    normal = outward[tri].sum(axis=1)
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    depth = ((collider.vertices[body_near[hit]] - near[hit]) * normal).sum(axis=1) + clearance
    facing = (collider.normals[body_near[hit]] * normal).sum(axis=1) > 0.5
    sel = facing & (depth > 0.0)
    if not sel.any():
        return x
    w = bary[hit][sel]
    lift = (depth[sel] / (w**2).sum(axis=1))[:, None] * w  # (S, 3 corners)
    delta = np.zeros_like(x)
    count = np.zeros(len(x))
    corners = tri[sel].ravel()
    np.add.at(delta, corners, (lift.ravel()[:, None] * np.repeat(normal[sel], 3, axis=0)))
    np.add.at(count, corners, 1.0)
    return x + delta / np.maximum(count, 1.0)[:, None]


def _limit_step(x_old: np.ndarray, y: np.ndarray, max_move: float) -> np.ndarray:
    step = y - x_old
    length = np.linalg.norm(step, axis=1, keepdims=True)
    return x_old + step * np.minimum(1.0, max_move / np.maximum(length, 1e-12))


def _are_neighbours(model: ClothModel, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Whether each pair of vertices (i, j) of the model's cloth shares an edge (a binary
    search in its sorted edge keys: the solver asks about some 10⁵ pairs a step)."""
    keys = model.neighbours
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    key = np.minimum(i, j) * model.vertex_count + np.maximum(i, j)
    if not len(keys):
        return np.zeros(len(key), dtype=bool)
    return keys[np.minimum(np.searchsorted(keys, key), len(keys) - 1)] == key


def _separate_layers(x: np.ndarray, model: ClothModel, thickness: float) -> np.ndarray:
    """Pairs of cloth vertices closer than `thickness` that are not mesh neighbours pushed
    apart to it, half each (two layers that meet stay two layers)."""
    pairs = cKDTree(x).query_pairs(thickness, output_type="ndarray")
    if len(pairs) == 0:
        return x
    i, j = pairs.min(axis=1), pairs.max(axis=1)
    keep = ~_are_neighbours(model, i, j)
    i, j = i[keep], j[keep]
    if len(i) == 0:
        return x
    d = x[j] - x[i]
    dist = np.linalg.norm(d, axis=1, keepdims=True)
    corr = 0.5 * (thickness - dist) * d / np.maximum(dist, 1e-12)
    x = x.copy()
    np.add.at(x, i, -corr)
    np.add.at(x, j, corr)
    return x


def _keep_sides(x_old: np.ndarray, y: np.ndarray, model: ClothModel, thickness: float,
                free: np.ndarray, rounds: int = 2) -> np.ndarray:
    """y with every cloth vertex kept on the side of each nearby cloth triangle it was on at
    the step's start `x_old`, and at least `thickness` from it.

    Vertex–vertex spacing alone lets a triangle pass between the vertices of another layer
    (a 20 mm mesh, 4 mm apart); this is the vertex–triangle half of discrete collision
    handling, with the side taken from before the step so a vertex that went through is
    sent back, not on. Mesh neighbours of a triangle's corners are exempt (a sharp fold),
    and so are vertices in `free` (already through the cloth: their "side" is the wrong
    one, and holding it would lock the tangle in).
    """
    faces = model.faces
    disp = np.linalg.norm(y - x_old, axis=1)
    vi, ti = near_triangles(y, thickness + disp + float(np.quantile(disp, 0.99)), y, faces)
    corners = faces[ti]
    keep = ~(corners == vi[:, None]).any(axis=1) & ~free[vi] & ~free[corners].any(axis=1)
    for k in range(3):
        keep &= ~_are_neighbours(model, vi, corners[:, k])
    vi, corners = vi[keep], corners[keep]
    if not len(vi):
        return y

    def plane(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Signed distance of each pair's vertex from its triangle's plane, the unit normal
        and the barycentric weights of the vertex's foot on that plane."""
        a, b, c = (x[corners[:, k]] for k in range(3))
        n = np.cross(b - a, c - a)
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-18)
        d = ((x[vi] - a) * n).sum(axis=1)
        foot = x[vi] - d[:, None] * n
        return d, n, barycentric(foot, a, b, c)

    d_old, _, w_old = plane(x_old)
    side = np.sign(d_old)
    # Only pairs whose vertex was over (or just beside) the triangle when the step began.
    over = (w_old.min(axis=1) > -0.25) & (side != 0)
    vi, corners, side = vi[over], corners[over], side[over]
    y = y.copy()
    for _ in range(rounds):
        d, n, w = plane(y)
        bad = (w.min(axis=1) > -0.05) & (side * d < thickness)
        if not bad.any():
            break
        move = 0.5 * (side[bad] * thickness - d[bad])[:, None] * n[bad]  # (B, 3)
        wb = w[bad].clip(0.0, 1.0)
        wb /= np.maximum((wb**2).sum(axis=1, keepdims=True), 1e-12)
        delta = np.zeros_like(y)
        count = np.zeros(len(y))
        np.add.at(delta, vi[bad], move)
        np.add.at(count, vi[bad], 1.0)
        for k in range(3):
            np.add.at(delta, corners[bad, k], -wb[:, k, None] * move)
            np.add.at(count, corners[bad, k], 1.0)
        y += delta / np.maximum(count, 1.0)[:, None]
    return y


def _untangled(x: np.ndarray, vel: np.ndarray, model: ClothModel,
               collider: BodyDistance | None, clearance: float
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """x with any cloth through cloth smoothed out (`untangle`) and lifted back out of the
    body; vel with the smoothed vertices stopped; the mask of those vertices, or None when
    nothing passed through anything; and the mask of vertices still in a crossing."""
    x, moved = untangle(x, model.faces)
    if not moved.any():
        return x, vel, None, moved
    if collider is not None:
        x = collider.push_out(x, clearance)
    vel = vel.copy()
    vel[moved] = 0.0
    return x, vel, moved, crossing_vertices(x, model.faces)


@dataclass(frozen=True)
class ClothRun:
    """What one run of the solver fixes besides its `ClothModel` (`begin` makes one).

    Not part of the model, because it differs between runs of the same cloth (a re-drape
    steps one model on every body of a motion; sewing runs without friction; a test rig
    pins the cloth), and not part of the `ClothState`, because stepping does not change it.

    `collider`: what the cloth collides with (the body and any garments under it), or None;
    `friction`: Coulomb μ against it. `pinned`: (K,) vertices held at `pinned_at` (K, 3), a
    test rig's clamp, by the tie weights `clamp` (V,) (zero elsewhere). `gravity`: whether
    gravity pulls (not while a skirt is sewn held at its waist). `sides`: a fused garment,
    whose vertices keep their side of nearby cloth triangles (`_keep_sides`) and whose
    tangles are smoothed out (while sewing, seam partners must pass each other's triangles).
    `push`: (V, 3) accelerations (m/s²) on top of gravity, a hand's (a hood pushed off the
    head), or None. `surface`: a workspace, not state: the BVH of the cloth's triangles
    (None without a collider), refitted to the positions before every query, so it carries
    nothing from one step to the next.
    """

    settings: SolverSettings
    collider: BodyDistance | None
    friction: float
    pinned: np.ndarray
    pinned_at: np.ndarray
    clamp: np.ndarray
    gravity: bool
    sides: bool
    surface: SurfaceQuery | None
    push: np.ndarray | None = None

    @property
    def chebyshev_rho(self) -> float:
        """The Chebyshev acceleration's spectral radius guess, 0 (off) with a collider:
        there the anchors move between iterations and it jitters."""
        return self.settings.chebyshev_rho if self.collider is None else 0.0


@dataclass(frozen=True)
class Contacts:
    """The contact bookkeeping of a `ClothState`, refreshed every `refactor_steps` steps
    (`_refresh`) rather than every step: the refresh refactors the global matrix, which is
    what it costs.

    `tied`: (N,) cloth vertices near the body, each tied in the global step to its
    projection out of the body. `factor`: the model's matrix with those ties and the run's
    clamps, factored (None until the first step factors it). `body_near`: body vertices the
    cloth may cover before the next refresh (`_unpoke` checks only those). `free`: (V,)
    vertices caught in a tangle, exempt from keeping their sides (`_keep_sides`).
    """

    tied: np.ndarray
    factor: SuperLU | None
    body_near: np.ndarray
    free: np.ndarray


@dataclass(frozen=True)
class ClothState:
    """What stepping changes: the input and the output of `step`.

    `positions`, `velocities`: (V, 3), m and m/s. `contacts`: the bookkeeping refreshed
    every few steps. It is state, not part of the run: it follows from where the cloth was
    at the last refresh, so a state between refreshes carries it for its next step to be
    the one the run would take. `step`: steps taken. `calm`: steps in a row the cloth has
    been slower than the rest speed (`at_rest`). `speed`: the largest vertex speed (m/s)
    of the last step.
    """

    positions: np.ndarray
    velocities: np.ndarray
    contacts: Contacts
    step: int = 0
    calm: int = 0
    speed: float = 0.0


@dataclass(frozen=True)
class Relaxed:
    """The end of a `relax`: positions, steps taken, whether the cloth rests and the
    largest vertex speed (m/s) of the last step."""

    positions: np.ndarray
    steps: int
    at_rest: bool
    max_speed_m_s: float


class DivergedError(RuntimeError):
    """The cloth's speeds blew up or went non-finite."""


def begin(model: ClothModel, start: np.ndarray, collider: BodyDistance | None,
          friction: float, settings: SolverSettings = SolverSettings(), *,
          pinned: np.ndarray | None = None, gravity: bool = True, sides: bool = False,
          push: np.ndarray | None = None) -> tuple[ClothRun, ClothState]:
    """A run of `model` (see `ClothRun` for the arguments) and its first state: the cloth
    at `start`, still. Raises ValueError if the model was made for another time step."""
    if abs(settings.step_s - model.step_s) > 1e-12:
        raise ValueError("the model was factored for another time step")
    x = np.asarray(start, dtype=np.float64).copy()
    pins = np.zeros(0, dtype=np.int64) if pinned is None else np.asarray(pinned)
    # A clamp is a tie far stiffer than the cloth, to where the vertex started.
    clamp = np.zeros(model.vertex_count)
    clamp[pins] = 1e3 * model.anchor_w[pins]
    run = ClothRun(settings, collider, friction, pins, x[pins], clamp, gravity, sides,
                   None if collider is None else SurfaceQuery(x, model.faces), push)
    none = np.zeros(0, dtype=np.int64)
    contacts = Contacts(none, None, none, np.zeros(model.vertex_count, dtype=bool))
    return run, ClothState(x, np.zeros_like(x), contacts)


def step(model: ClothModel, run: ClothRun, state: ClothState) -> ClothState:
    """The state one implicit-Euler step (`SolverSettings.step_s`) after `state`, which is
    left as it was.

    In order: the `Contacts` refreshed when due (`_refresh`, before the first step and every
    `refactor_steps` steps after); the local/global iterations (`_iterate`); the move
    limited to `max_move_m`; collision with the body (`_collide`, `_unpoke`); self-contact
    (`_separate_layers`, and with `sides`, `_keep_sides`); the new velocities, damped; the
    divergence check (`DivergedError`); the rest counter.
    """
    settings = run.settings
    x, vel, calm, contacts = state.positions, state.velocities, state.calm, state.contacts
    n = state.step + 1
    if state.step % settings.refactor_steps == 0:
        x, vel, calm, contacts = _refresh(model, run, x, vel, calm, contacts)
    if contacts.factor is None:  # nothing to tie to: the run's clamps alone, once
        contacts = replace(contacts, factor=model.factor(run.clamp))
    y = _iterate(model, run, contacts, x, vel)
    if not np.isfinite(y).all():
        raise DivergedError(f"the cloth diverged at step {n} (non-finite positions)")
    y = _limit_step(x, y, settings.max_move_m)
    if run.collider is not None:
        y = _unpoke(*_collide(y, x, run.collider, settings.clearance_m, run.friction),
                    model.faces, run.surface, run.collider, contacts.body_near,
                    settings.clearance_m)
    y = _separate_layers(y, model, settings.thickness_m)
    if run.sides:
        y = _keep_sides(x, y, model, settings.thickness_m, contacts.free)
    vel = (y - x) / settings.step_s
    vel *= 1.0 - settings.damping
    speeds = np.linalg.norm(vel, axis=1)
    speed = float(speeds.max())
    if not np.isfinite(y).all() or not np.isfinite(speed) \
            or speed > settings.diverged_speed_m_s:
        raise DivergedError(f"the cloth diverged at step {n} (largest speed "
                            f"{speed:.3g} m/s)")
    # Calm: 99 % of the cloth slower than the rest speed (a vertex or two caught between a
    # body crease and the solve's pull may tremble a little longer).
    calm = calm + 1 if np.quantile(speeds, 0.99) < settings.rest_speed_m_s else 0
    return ClothState(y, vel, contacts, n, calm, speed)


def _refresh(model: ClothModel, run: ClothRun, x: np.ndarray, vel: np.ndarray, calm: int,
             contacts: Contacts) -> tuple[np.ndarray, np.ndarray, int, Contacts]:
    """(x, vel, calm, contacts) with the contacts looked up afresh at `x`: with `sides`,
    tangles smoothed out first (`_untangled`; the rest counter starts again if any were)
    and the vertices still in one left `free`; with a collider, the vertices near the body
    tied and the matrix refactored with their ties."""
    settings = run.settings
    if run.sides:
        x, vel, moved, free = _untangled(x, vel, model, run.collider, settings.clearance_m)
        calm = calm if moved is None else 0
        contacts = replace(contacts, free=free)
    if run.collider is not None:
        # Which vertices are tied changes as the cloth moves, so the ties are looked up
        # again here, and the matrix refactored with them.
        tied = np.flatnonzero(
            run.collider(x, max_dist=QUERY_M) < settings.clearance_m + NEAR_M)
        run.surface.update(x)
        body_near = np.flatnonzero(run.surface.nearest(run.collider.vertices, COVER_M)[0] >= 0)
        tie = run.clamp.copy()
        tie[tied] += model.anchor_w[tied]
        contacts = Contacts(tied, model.factor(tie), body_near, contacts.free)
    return x, vel, calm, contacts


def _iterate(model: ClothModel, run: ClothRun, contacts: Contacts, x: np.ndarray,
             vel: np.ndarray) -> np.ndarray:
    """The positions after `SolverSettings.iterations` local/global iterations of the step
    from `x` moving at `vel`: each solves for the positions that best meet the inertial
    target (under gravity), every triangle's projection (`LocalStep`), the clamps and,
    for the tied vertices, their projections out of the body (`_collide`, `_unpoke`)."""
    settings = run.settings
    h = settings.step_s
    rho = run.chebyshev_rho
    tied = contacts.tied
    inertia_w = model.inertia_w
    y = x + h * vel
    target = y + h * h * GRAVITY if run.gravity else y
    if run.push is not None:
        target = target + h * h * run.push
    prev, omega = y, 1.0
    for k in range(settings.iterations):
        rhs = inertia_w * target + model.columns.T @ model.local(y)
        rhs[run.pinned] += run.clamp[run.pinned, None] * run.pinned_at
        if len(tied):
            # Only the tied vertices' anchors are used: the rest are not queried.
            moved, way_out = _collide(y[tied], x[tied], run.collider, settings.clearance_m,
                                      run.friction)
            anchor, outward = y.copy(), np.zeros_like(y)
            anchor[tied], outward[tied] = moved, way_out
            anchor = _unpoke(anchor, outward, model.faces, run.surface, run.collider,
                             contacts.body_near, settings.clearance_m)
            rhs[tied] += model.anchor_w[tied, None] * anchor[tied]
        new = contacts.factor.solve(rhs)
        # Chebyshev semi-iterative acceleration (Wang, SIGGRAPH Asia 2015): the local/global
        # iteration converges slowly on stiff cloth turning through large angles;
        # over-relaxing along the last two iterates speeds it up many times.
        if rho > 0.0 and k >= CHEBYSHEV_DELAY:
            omega = 2.0 / (2.0 - rho**2) if k == CHEBYSHEV_DELAY else \
                4.0 / (4.0 - rho**2 * omega)
            new = omega * (new - prev) + prev
        prev, y = y, new
        y[run.pinned] = run.pinned_at
    return y


def at_rest(model: ClothModel, run: ClothRun, state: ClothState) -> tuple[ClothState, bool]:
    """(state, whether the cloth rests): calm for `rest_steps` steps in a row and, with
    `sides`, not through itself. Calm cloth that is through itself is smoothed out
    (`untangle`) and must settle again: the state returned is then that one, its rest
    counter reset."""
    if state.calm < run.settings.rest_steps:
        return state, False
    if run.sides:
        x, vel, moved, _ = _untangled(state.positions, state.velocities, model, run.collider,
                                      run.settings.clearance_m)
        if moved is not None:
            return replace(state, positions=x, velocities=vel, calm=0), False
    return state, True


def relax(model: ClothModel, start: np.ndarray, collider: BodyDistance | None,
          friction: float, settings: SolverSettings = SolverSettings(), max_steps: int = 200,
          progress: Callable[[int, float], None] | None = None,
          pinned: np.ndarray | None = None, gravity: bool = True,
          done: Callable[[np.ndarray], bool] | None = None, sides: bool = False,
          push: np.ndarray | None = None) -> Relaxed:
    """Step the cloth from `start` (at rest speed zero) until it rests or `max_steps` pass.

    `progress(step, max_speed)`: called after every step.
    `done(x)`: optional test that ends the run early (as at rest) when it holds.
    `pinned`, `gravity`, `sides`, `push`: as for `ClothRun`.
    """
    run, state = begin(model, start, collider, friction, settings, pinned=pinned,
                       gravity=gravity, sides=sides, push=push)
    for _ in range(max_steps):
        state = step(model, run, state)
        if progress is not None:
            progress(state.step, state.speed)
        state, rests = at_rest(model, run, state)
        if rests or (done is not None and done(state.positions)):
            return Relaxed(state.positions, state.step, True, state.speed)
    return Relaxed(state.positions, state.step, False, state.speed)
