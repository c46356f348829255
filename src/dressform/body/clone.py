"""Clone a person from tape measurements: fit anny's shape to what was measured.

anny is differentiable, so the fit is a damped Gauss–Newton (Levenberg–Marquardt) on the
residuals, each divided by its ISO 20685 allowable error and made robust (pseudo-Huber: a
measurement the body cannot reach weighs linearly, not squared), over the phenotypes that shape
a body (height, weight, muscle, proportions, cup size) and, for each measurement given, the anny
local change made for it (``measure-waist-circ-incr`` for the waist...). Sex, age and ethnicity
stay as given. Measurements that were not given follow from the fitted phenotypes — anny's shape
space predicts them — because only the local changes of given measurements are free, and each
costs as much as one allowable error per unit, so shapes stay natural.

The fit runs in rounds: the tapes are found on the body (:func:`~dressform.body.measure.plan_tapes`,
numpy, only those of the given measurements), held while Levenberg–Marquardt solves, then found
again on the solved body; it stops when those fresh tapes read every measurement within its
allowable error, or when rounds stop gaining. Held tapes read a few hundred vertices and follow
their landmarks' levels (:class:`~dressform.body.tape.Tape`), so a held solve predicts what
fresh tapes will read and two or three rounds suffice. Their Jacobian is by forward differences
over those vertices' blend-shape columns, all parameters in one batch (weight, which needs the
whole mesh, by autograd). Steps are iteratively reweighted for the robust cost, damped by the
gain ratio. The best body by its freshly found tapes wins: the residuals reported are what
:func:`~dressform.body.measure.measure` reads on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import torch

from dressform.body.bodies import bodies_from_params
from dressform.body.iso8559 import tolerance
from dressform.body.measure import Measurements, measure, plan_tapes
from dressform.body.mesh import Body
from dressform.body.model import AnnyModel, AnnyParams, ShapeRows, get_model
from dressform.body.names import normalise_measurements
from dressform.body.params import (
    MAX_PATH_FIXED,
    body_mass_kg,
    params_to_spec,
    spec_to_params,
)
from dressform.body.spec import BodySpec, Ethnicity, make_spec
from dressform.body.tape import Tape, TapeSet, compact_tapes, read_tapes
from dressform.errors import FitError, InvalidInputError

#: Local changes that move each measurement (anny's own ``measure-*`` targets first).
LOCAL_CHANGES_FOR: dict[str, tuple[str, ...]] = {
    "bust_girth_cm": ("measure-bust-circ-incr",),
    "under_bust_girth_cm": ("measure-underbust-circ-incr",),
    "high_bust_girth_cm": ("torso-scale-horiz-incr",),
    "waist_girth_cm": ("measure-waist-circ-incr",),
    "high_hip_girth_cm": ("hip-scale-horiz-incr",),
    "hip_girth_cm": ("measure-hips-circ-incr",),
    "neck_base_girth_cm": ("measure-neck-circ-incr",),
    "shoulder_width_cm": ("measure-shoulder-dist-incr",),
    "across_back_cm": ("torso-scale-horiz-incr",),
    "arm_length_cm": ("measure-upperarm-length-incr", "measure-lowerarm-length-incr"),
    "upper_arm_girth_cm": ("measure-upperarm-circ-incr",),
    "wrist_girth_cm": ("measure-wrist-circ-incr",),
    "thigh_girth_cm": ("measure-thigh-circ-incr",),
    "knee_girth_cm": ("measure-knee-circ-incr",),
    "calf_girth_cm": ("measure-calf-circ-incr",),
    "ankle_girth_cm": ("measure-ankle-circ-incr",),
    "inseam_cm": ("measure-upperleg-height-incr", "measure-lowerleg-height-incr"),
    "outseam_cm": ("measure-upperleg-height-incr",),
    "waist_height_cm": ("measure-upperleg-height-incr", "measure-waisttohip-dist-incr"),
    "back_waist_length_cm": ("measure-napetowaist-dist-incr",),
    "front_waist_length_cm": ("measure-napetowaist-dist-incr", "breast-volume-vert-up"),
    "crotch_depth_cm": ("measure-waisttohip-dist-incr",),
}
FREE_PHENOTYPES = ("height", "weight", "muscle", "proportions", "cupsize")
#: Measurements that set the body's scale: a clone needs one of these.
SCALE_MEASUREMENTS = ("height_cm", "waist_height_cm", "inseam_cm", "outseam_cm",
                      "back_waist_length_cm")
LOCAL_PRIOR = 1.0  # allowable errors per unit of local change: a full change must buy more
MAX_ITERATIONS = 20  # per round of the Levenberg–Marquardt solve
MAX_ROUNDS = 4  # tapes found again on the solved body
ROUND_GAIN = 0.02  # a round of fresh tapes gaining less than this share of the cost...
STALLS = 2  # ...twice in a row ends the fit
LM_GAIN = 0.02  # an iteration that gains less than this share of the cost ends the solve
ROBUST_DELTA = 3.0  # allowable errors: beyond this a residual weighs linearly, not squared
MU0 = 1e-3  # the Levenberg–Marquardt damping a fit starts with
FD_STEP = 1e-3  # step in θ of the forward differences (θ is 0–1; float32 shapes stay exact)


@dataclass(frozen=True)
class Residual:
    given: float
    reached: float
    tolerance: float

    @property
    def residual(self) -> float:
        return self.reached - self.given

    @property
    def ok(self) -> bool:
        return abs(self.residual) <= self.tolerance


@dataclass(frozen=True)
class CloneResult:
    """A fitted clone: its spec, its body, all its measurements and how close it came."""

    spec: BodySpec
    body: Body
    residuals: dict[str, Residual]
    unused: tuple[str, ...] = ()
    iterations: int = 0

    @cached_property
    def measurements(self) -> Measurements:
        """All measurements of the clone, given or predicted (measured on first use)."""
        return measure(self.body)

    @property
    def unreachable(self) -> dict[str, float]:
        """Measurements outside tolerance → residual (cm/kg)."""
        return {k: r.residual for k, r in self.residuals.items() if not r.ok}

    @property
    def ok(self) -> bool:
        return not self.unreachable

    def summary(self) -> str:
        if self.ok:
            return "all measurements reached within ISO 20685 tolerance"
        parts = [f"{k} off by {v:+.1f}" for k, v in self.unreachable.items()]
        return "could not reach (mutually inconsistent?): " + ", ".join(parts)


def clone_from_measurements(
    measurements: Mapping[str, float],
    *,
    sex: float | str = "female",
    age_years: float = 30.0,
    skin_tone: int = 5,
    ethnicity: Ethnicity | None = None,
    expression: str = "neutral",
    personality: str = "neutral",
) -> CloneResult:
    """Fit a clone to a person's measurements (dressform names in cm/kg, or FreeSewing's in mm).

    Raises `InvalidInputError` for unknown names, non-numbers and implausible values. A set
    that contradicts itself still gets the best fit; `CloneResult.unreachable` names the
    measurements it could not reach and by how much.
    """
    base = make_spec(sex=sex, age_years=age_years, skin_tone=skin_tone,
                     ethnicity=ethnicity or Ethnicity(), expression=expression,
                     personality=personality)
    targets, unused = normalise_measurements(measurements, adult=base.is_adult)
    if not any(k in targets for k in SCALE_MEASUREMENTS) or len(targets) < 2:
        raise InvalidInputError(
            "give at least two measurements, one of them a length that sets the body's scale "
            f"({', '.join(SCALE_MEASUREMENTS)}); got {sorted(targets) or 'none'}"
        )
    model = get_model()
    start = make_spec(**{**base.model_dump(), "height_cm": targets.get("height_cm"),
                         "weight_kg": targets.get("weight_kg")})
    try:
        params = spec_to_params(start, model)
    except InvalidInputError:
        params = spec_to_params(base, model)  # reported as residuals below if unreachable
    params, tapes, iterations = _fit(model, params, targets)
    spec = params_to_spec(params, skin_tone=skin_tone, expression=expression, model=model)
    body = bodies_from_params(params, [spec], model)[0]
    # The fit's last tapes were found on this very body: read them rather than search again.
    reached = read_tapes(tapes, targets, body.vertices, body.skeleton.heads, body.faces)
    residuals = {k: Residual(v, reached[k], tolerance(k)) for k, v in targets.items()}
    return CloneResult(spec, body, residuals, tuple(unused), iterations)


@dataclass(frozen=True)
class _Problem:
    """The least-squares problem of one fit: θ = free phenotypes then local changes; the
    residuals are the measurements' errors in allowable errors (robust) then the prior."""

    model: AnnyModel
    start: AnnyParams
    names: tuple[str, ...]
    want: torch.Tensor
    tol: torch.Tensor
    phenotypes: tuple[int, ...]
    locals_: tuple[int, ...]

    def params(self, th: torch.Tensor) -> AnnyParams:
        """anny's parameters for θ: one body (n,) or a batch (B, n)."""
        th = th.reshape(-1, th.shape[-1])
        n = len(self.phenotypes)
        ph = self.start.phenotypes.double().expand(len(th), -1).clone()
        ph[:, list(self.phenotypes)] = th[:, :n]
        lc = self.start.local_changes.double().expand(len(th), -1).clone()
        if self.locals_:
            lc[:, list(self.locals_)] = th[:, n:]
        return AnnyParams(ph.float(), lc.float(),
                          self.start.facial_actions.expand(len(th), -1),
                          active_local=self.locals_)

    def plan(self, th: torch.Tensor) -> dict[str, Tape]:
        with torch.no_grad():
            verts, heads = self.model.rest_shape(self.params(th))
        return plan_tapes(verts[0].double().numpy(), heads[0].double().numpy(),
                          self.model.faces, self.model.bone_names, self.names)

    def taped(self, th: torch.Tensor, tapes: Compact) -> torch.Tensor:
        """(B, k) readings of the measurements other than weight for a batch θ (B, n): the
        tapes read only their own vertices."""
        verts, heads = self.model.rest_shape(self.params(th), tapes.rows)
        return tapes.tapes.values_cm(torch.cat([verts, heads], dim=1)).double()

    def mass(self, th: torch.Tensor) -> torch.Tensor:
        """The body's mass (kg): it needs the whole mesh, so it is computed apart."""
        full, _ = self.model.rest_shape(self.params(th))
        return body_mass_kg(full[0], self.model.faces_tensor).double()

    def values(self, th: torch.Tensor, tapes: Compact) -> tuple[torch.Tensor, torch.Tensor]:
        """(m,) measurements (cm, kg) in the problem's order, and (m, n) their Jacobian.

        The tapes' Jacobian is by forward differences, all n+1 bodies in one batch: anny's
        shapes are piecewise multilinear in θ, so this is as good as autograd for the solve,
        at a fraction of its cost. The mass goes through autograd (one gradient)."""
        n = len(th)
        batch = th + torch.cat([torch.zeros(1, n, dtype=th.dtype), FD_STEP * torch.eye(n)])
        with torch.no_grad():
            out = self.taped(batch, tapes)
        taped_values = iter(out[0])
        taped_rows = iter(((out[1:] - out[0]) / FD_STEP).T)
        values, rows = [], []
        for name in self.names:
            if name == "weight_kg":
                t = th.clone().requires_grad_()
                mass = self.mass(t)
                values.append(mass.detach())
                rows.append(torch.autograd.grad(mass, t)[0])
            else:
                values.append(next(taped_values))
                rows.append(next(taped_rows))
        return torch.stack(values), torch.stack(rows)

    def residuals(self, th: torch.Tensor, tapes: Compact) -> torch.Tensor:
        with torch.no_grad():
            taped = iter(self.taped(th[None], tapes)[0])
            values = torch.stack([self.mass(th) if n == "weight_kg" else next(taped)
                                  for n in self.names])
        return self._residuals(th, values)

    def _residuals(self, th: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
        prior = LOCAL_PRIOR * th[len(self.phenotypes):]
        return torch.cat([_robust((values - self.want) / self.tol), prior])

    def linearised(self, th: torch.Tensor, tapes: Compact
                   ) -> tuple[torch.Tensor, torch.Tensor]:
        """(J, r): the iteratively reweighted least-squares model of the cost at θ.

        Each measurement's error z (in allowable errors) and its row of the Jacobian are
        scaled by √w, w = ρ'(z)/2z of the pseudo-Huber cost ρ: the model's gradient is the
        cost's, and its step aims at z = 0. Gauss–Newton on the robust residuals themselves
        (≈ √|z| when far) would aim twice as far and need damping back every iteration."""
        values, d_values = self.values(th, tapes)
        z = (values - self.want) / self.tol
        sw = (1.0 + (z / ROBUST_DELTA) ** 2) ** -0.25
        n_ph = len(self.phenotypes)
        prior = torch.zeros(len(th) - n_ph, len(th), dtype=torch.float64)
        prior[:, n_ph:] = LOCAL_PRIOR * torch.eye(len(th) - n_ph, dtype=torch.float64)
        jac = torch.cat([(sw / self.tol)[:, None] * d_values, prior])
        return jac, torch.cat([sw * z, LOCAL_PRIOR * th[n_ph:]])


@dataclass(frozen=True)
class Compact:
    """Tapes re-indexed onto the few vertices they read (then the bone heads), and those
    vertices' blend-shape rows."""

    rows: ShapeRows
    tapes: TapeSet  # the measurements other than weight, in the problem's order


def _fit(model: AnnyModel, params: AnnyParams, targets: dict[str, float]
         ) -> tuple[AnnyParams, dict[str, Tape], int]:
    """Fitted parameters, the tapes found on the fitted body, and the iteration count."""
    names = tuple(targets)
    locals_ = sorted({c for k in names for c in LOCAL_CHANGES_FOR.get(k, ())})
    problem = _Problem(
        model, params, names,
        want=torch.tensor([targets[k] for k in names], dtype=torch.float64),
        tol=torch.tensor([tolerance(k) for k in names], dtype=torch.float64),
        phenotypes=tuple(model.phenotype_labels.index(p) for p in FREE_PHENOTYPES),
        locals_=tuple(model.local_change_labels.index(c) for c in locals_),
    )
    n_ph = len(problem.phenotypes)
    theta = torch.cat([params.phenotypes[0, list(problem.phenotypes)],
                       params.local_changes[0, list(problem.locals_)]]).double()
    lo = torch.tensor([0.0] * n_ph + [-1.0] * len(locals_), dtype=torch.float64)
    hi = torch.ones_like(lo)
    # Heavy bodies extrapolate anny's weight past 1, as `spec_to_params` does.
    hi[FREE_PHENOTYPES.index("weight")] = MAX_PATH_FIXED

    def compact(tapes: dict[str, Tape]) -> Compact:
        idx, sub = compact_tapes(tapes, model.vertex_count)
        return Compact(model.shape_rows(torch.from_numpy(idx)),
                       TapeSet.of(sub[n] for n in names if n != "weight_kg"))

    # Rounds: solve with the tapes held where they are on the body (a smooth problem that
    # Gauss-Newton solves in a few steps), then find the tapes again on the solved body, which
    # may move a level. The best body by its freshly found tapes wins, so the residuals
    # reported are what `measure` reads on it.
    tapes = problem.plan(theta)
    held = compact(tapes)
    r = problem.residuals(theta, held)
    best = (float(r @ r), theta, tapes, r)
    iterations = 0
    stalled = 0
    # The damping carries over from round to round: fresh tapes move the problem a little,
    # not its curvature, and restarting at MU0 had every round reject its first steps.
    mu = MU0
    for _ in range(MAX_ROUNDS):
        # Done when the fresh tapes read every measurement within its allowable error (what
        # is reported), or when a round of tapes moving gained little.
        if _converged(r, len(names), 1.0) or stalled >= STALLS:
            break
        solved, it, mu = _levenberg_marquardt(
            lambda th, c=held: problem.residuals(th, c),
            lambda th, c=held: problem.linearised(th, c), theta, r, lo, hi, len(names), mu)
        iterations += it
        for _ in range(6):  # a landmark lost on this shape: step back towards the last body
            try:
                tapes = problem.plan(solved)
                break
            except ValueError:
                solved = 0.5 * (theta + solved)
        else:
            break
        theta = solved
        held = compact(tapes)
        r = problem.residuals(theta, held)
        cost = float(r @ r)
        stalled = 0 if cost < best[0] * (1.0 - ROUND_GAIN) else stalled + 1
        if cost < best[0]:
            best = (cost, theta, tapes, r)
    cost, theta, tapes, r = best
    if not np.isfinite(cost):
        raise FitError("the fit diverged (non-finite measurements); check the input values")
    return replace(problem.params(theta), active_local=()), tapes, iterations


def _robust(r: torch.Tensor, delta: float = ROBUST_DELTA) -> torch.Tensor:
    """Pseudo-Huber residuals: quadratic up to `delta` allowable errors, then linear, so that
    one measurement the body cannot reach does not drag every other one away from its value."""
    return torch.sign(r) * delta * torch.sqrt(2.0 * (torch.sqrt(1.0 + (r / delta) ** 2) - 1.0))


def _converged(r: torch.Tensor, n: int, limit: float = 0.5) -> bool:
    """Every measurement within `limit` allowable errors (a solve on held tapes aims for half
    of one: margin for the tapes moving when they are found again). `r` holds the robust
    residuals, which shrink errors, so the limit goes through the same function: compared
    with `limit` itself, an error of 1.01 allowable errors passed as within one."""
    bound = float(_robust(torch.tensor(limit, dtype=torch.float64)))
    return bool((r[:n].abs() <= bound).all())


def _levenberg_marquardt(residuals: Callable[[torch.Tensor], torch.Tensor],
                         linearised: Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]],
                         theta: torch.Tensor, r: torch.Tensor, lo: torch.Tensor,
                         hi: torch.Tensor, n: int, mu: float = 1e-3
                         ) -> tuple[torch.Tensor, int, float]:
    """Box-constrained Levenberg–Marquardt on the cost ``|residuals(theta)|²`` from `theta`,
    whose residuals `r` the caller has, with the model ``linearised(theta)`` → (J, r); the
    first `n` residuals are the measurements. The damping starts at `mu` and follows the gain
    ratio (Nielsen's rule). Returns the solution, the iteration count and the last damping."""
    nu = 2.0
    cost = float(r @ r)
    it = 0
    for it in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (the count is returned)
        if _converged(r, n):
            break
        jac, r_lin = linearised(theta)
        jtj, g = jac.T @ jac, jac.T @ r_lin
        while mu < 1e6:
            step = torch.linalg.solve(jtj + mu * torch.diag(jtj.diag() + 1e-6), -g)
            cand = torch.maximum(torch.minimum(theta + step, hi), lo)
            step = cand - theta
            predicted = -float(2.0 * g @ step + step @ jtj @ step)
            r_c = residuals(cand)
            cost_c = float(r_c @ r_c)
            gain = (cost - cost_c) / predicted if predicted > 0 else -1.0
            if gain > 0:
                mu *= max(1.0 / 3.0, 1.0 - (2.0 * gain - 1.0) ** 3)
                nu = 2.0
                break
            mu *= nu
            nu *= 2.0
        else:
            break
        theta, r, previous, cost = cand, r_c, cost, cost_c
        if previous - cost < LM_GAIN * previous:
            break
    return theta, it, mu

