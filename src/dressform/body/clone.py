"""Clone a person from tape measurements: fit anny's shape to what was measured.

anny is differentiable, so the fit is a damped Gauss–Newton (Levenberg–Marquardt) on the
residuals, each divided by its ISO 20685 allowable error, over the phenotypes that shape a body
(height, weight, muscle, proportions, cup size) and, for each measurement given, the anny local
change made for it (``measure-waist-circ-incr`` for the waist...). Sex, age and ethnicity stay
as given. Measurements that were not given follow from the fitted phenotypes — anny's shape
space predicts them — because only the local changes of given measurements are free, and those
are gently pulled towards zero.

Each iteration finds the tapes on the current body (:func:`~dressform.body.measure.plan_tapes`,
numpy) and evaluates them in torch with the Jacobian; the tapes are re-found on every iteration,
so the final residuals are those of :func:`~dressform.body.measure.measure` on the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch

from dressform.body.build import bodies_from_params
from dressform.body.measure import Measurements, Tape, measure, plan_tapes
from dressform.body.mesh import Body
from dressform.body.model import AnnyModel, AnnyParams, get_model
from dressform.body.names import normalise_measurements, tolerance
from dressform.body.params import BODY_DENSITY_KG_M3, params_to_spec, spec_to_params
from dressform.body.spec import BodySpec, Ethnicity, make_spec
from dressform.errors import FitError, InvalidInputError
from dressform.geometry import mesh_volume

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
LOCAL_PRIOR = 0.3  # residual units per unit of local change: small, keeps shapes natural
MAX_ITERATIONS = 25


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
    measurements: Measurements
    residuals: dict[str, Residual]
    unused: tuple[str, ...] = ()
    iterations: int = 0

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


def _tape_values(tapes: dict[str, Tape], names: list[str], verts: torch.Tensor,
                 heads: torch.Tensor, model: AnnyModel) -> torch.Tensor:
    x = torch.cat([verts, heads], dim=0)
    out = []
    for name in names:
        if name == "weight_kg":
            out.append(mesh_volume(verts, model.faces_tensor) * BODY_DENSITY_KG_M3)
            continue
        tape = tapes[name]
        a, b = torch.from_numpy(tape.a), torch.from_numpy(tape.b)
        t = torch.from_numpy(tape.t).to(verts.dtype)[:, None]
        p = x[a] + t * (x[b] - x[a])
        if tape.kind == "vertical":
            out.append((p[-1, 2] - p[0, 2]) * 100.0)
        else:
            q = torch.cat([p, p[:1]]) if tape.kind == "closed" else p
            out.append((q[1:] - q[:-1]).norm(dim=1).sum() * 100.0)
    return torch.stack(out)


def clone_from_measurements(
    measurements: Mapping[str, float],
    *,
    sex: float | str = "female",
    age_years: float = 30.0,
    skin_tone: int = 5,
    ethnicity: Ethnicity | None = None,
    expression: str = "neutral",
) -> CloneResult:
    """Fit a clone to a person's measurements (dressform names in cm/kg, or FreeSewing's in mm).

    Raises `InvalidInputError` for unknown names, non-numbers and implausible values. A set
    that contradicts itself still gets the best fit; `CloneResult.unreachable` names the
    measurements it could not reach and by how much.
    """
    base = make_spec(sex=sex, age_years=age_years, skin_tone=skin_tone,
                     ethnicity=ethnicity or Ethnicity(), expression=expression)
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
    params, iterations = _fit(model, params, targets)
    spec = params_to_spec(params, skin_tone=skin_tone, expression=expression, model=model)
    body = bodies_from_params(params, [spec], model)[0]
    reached = measure(body)
    values = reached.as_dict()
    residuals = {k: Residual(v, values[k], tolerance(k)) for k, v in targets.items()}
    return CloneResult(spec, body, reached, residuals, tuple(unused), iterations)


def _fit(model: AnnyModel, params: AnnyParams, targets: dict[str, float]
         ) -> tuple[AnnyParams, int]:
    names = list(targets)
    want = torch.tensor([targets[k] for k in names], dtype=torch.float64)
    tol = torch.tensor([tolerance(k) for k in names], dtype=torch.float64)
    locals_ = sorted({c for k in names for c in LOCAL_CHANGES_FOR.get(k, ())})
    li = [model.local_change_labels.index(c) for c in locals_]
    pi = [model.phenotype_labels.index(p) for p in FREE_PHENOTYPES]
    theta = torch.cat([params.phenotypes[0, pi], params.local_changes[0, li]]).double()
    lo = torch.tensor([0.0] * len(pi) + [-1.0] * len(li), dtype=torch.float64)
    hi = torch.ones_like(lo)
    n_ph = len(pi)
    mu = 1e-3

    def assemble(th: torch.Tensor) -> AnnyParams:
        ph = params.phenotypes[0].double().clone()
        ph = ph.index_put((torch.tensor(pi),), th[:n_ph])
        lc = params.local_changes[0].double().clone()
        if li:
            lc = lc.index_put((torch.tensor(li),), th[n_ph:])
        return AnnyParams(ph[None].float(), lc[None].float(), params.facial_actions,
                          active_local=tuple(li))

    def cost_terms(th: torch.Tensor, tapes: dict[str, Tape]) -> torch.Tensor:
        verts, heads = model.rest_shape(assemble(th))
        values = _tape_values(tapes, names, verts[0], heads[0], model).double()
        prior = LOCAL_PRIOR * th[n_ph:]
        return torch.cat([(values - want) / tol, prior])

    def plan(th: torch.Tensor) -> dict[str, Tape]:
        with torch.no_grad():
            verts, heads = model.rest_shape(assemble(th))
        return plan_tapes(verts[0].double().numpy(), heads[0].double().numpy(), model.faces,
                          model.bone_names)

    tapes = plan(theta)
    r = cost_terms(theta, tapes).detach()
    it = 0
    for it in range(1, MAX_ITERATIONS + 1):  # noqa: B007 (the count is returned)
        if bool((r[: len(names)].abs() <= 0.5).all()):
            break
        jac = torch.autograd.functional.jacobian(lambda th, tp=tapes: cost_terms(th, tp), theta,
                                                 vectorize=True)
        jtj, g = jac.T @ jac, jac.T @ r
        cost = float(r @ r)
        # Trial steps are judged on the current tapes (cheap); the tapes are then found again
        # on the accepted body, so the residuals below are the body's true measurements.
        while mu < 1e6:
            step = torch.linalg.solve(jtj + mu * torch.diag(jtj.diag() + 1e-6), -g)
            cand = torch.maximum(torch.minimum(theta + step, hi), lo)
            r_c = cost_terms(cand, tapes).detach()
            if float(r_c @ r_c) < cost:
                mu = max(mu / 3, 1e-7)
                break
            mu *= 4
        else:
            break
        try:
            new_tapes = plan(cand)
        except ValueError:  # a landmark is lost on this shape: take a shorter step instead
            mu *= 4
            continue
        theta, tapes = cand, new_tapes
        r_new = cost_terms(theta, tapes).detach()
        progress = cost - float(r_new @ r_new)
        r = r_new
        if abs(progress) < 1e-3 * cost:
            break
    cost = float(r @ r)
    if not np.isfinite(cost):
        raise FitError("the fit diverged (non-finite measurements); check the input values")
    final = assemble(theta.detach())
    return AnnyParams(final.phenotypes, final.local_changes, final.facial_actions), it
