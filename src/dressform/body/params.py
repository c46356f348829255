"""People's units ↔ anny's 0–1 parameters. The one place this mapping lives.

=================  ==========================================  ==================================
BodySpec field     anny parameter                              mapping
=================  ==========================================  ==================================
sex (0 F – 1 M)    ``gender`` (0 male – 1 female)              gender = 1 − sex
age_years          ``age`` (anny's calibrated scale)           piecewise linear through anny's own
                                                               calibration anchors (shipped in
                                                               ``shape_calibration``): 0 y → 0,
                                                               1 y → 0.05, 4 → 0.215, 11 → 0.415,
                                                               16 → 0.67, 18 → 0.77, 64 → 0.83,
                                                               110 → 1.0
height_cm          ``height``                                  solved: the built body's standing
                                                               height (top of head to soles)
weight_kg          ``weight`` (and ``muscle`` when not given)  solved: mesh volume × 1010 kg/m³,
                                                               along the mass path below
muscle             ``muscle``                                  identity (0–1), or chosen with the
                                                               weight when left out
proportions, cup_size, firmness   same name                    identity (0–1)
ethnicity          ``african``/``asian``/``caucasian``         normalised weights
local_changes      anny's local targets (``*-incr`` names)     identity (−1–1)
expression         52 ARKit ``facial_actions``                 preset → weights (`face`)
skin_tone          — (anny has no colour)                      kept on the spec, used by renders
=================  ==========================================  ==================================

anny's ``weight`` alone spans a narrow range of BMI (about 21–25 for a 30-year-old man at
average muscle); MakeHuman makes heavy bodies with *maximum weight and minimum muscle*. So when
the spec leaves muscle open, mass is reached along a one-parameter *mass path* s:
s ∈ [−1, 0): weight 0, muscle falls from 0.5 to 0 (slight builds); s ∈ [0, 1]: weight = s,
muscle 0.5; s ∈ (1, 2]: weight 1, muscle falls to 0 (adds fat); s ∈ (2, 2.5]: weight extrapolated
to 1.5 at muscle 0 (the heaviest bodies, BMI ≈ 37–45). With muscle given, s = weight ∈ [0, 1.5].

Height and weight are solved together by Newton's method on anny's differentiable rest shape
(a 2×2 system per body, batched): height and mass both depend on both parameters. A target the
model cannot reach for that sex and age raises `ImplausibleBodyError` with the reachable range.
The inverse, :func:`params_to_spec`, reads height and weight back off the built mesh, so
``params_to_spec(spec_to_params(spec))`` reproduces the spec (tested to 1 mm and 0.05 kg).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from dressform.body.face import ARKIT_ACTIONS, expression_weights
from dressform.body.model import AnnyModel, AnnyParams, get_model
from dressform.body.spec import BodySpec, Ethnicity, make_spec
from dressform.errors import ImplausibleBodyError, UnknownNameError
from dressform.geometry import mesh_volume
from dressform.names import suggest

#: Whole-body density including lung air (kg/m³). Densitometry gives 1.03–1.07 g/cm³ for the
#: tissue after subtracting residual lung volume; with the air a living body carries, ~1.01.
BODY_DENSITY_KG_M3 = 1010.0

_AGE_YEARS = np.array([0.0, 1.0, 4.0, 11.0, 16.0, 18.0, 64.0, 110.0])
_AGE_ANNY = np.array([0.0, 0.05, 0.215, 0.415, 0.67, 0.77, 0.83, 1.0])

DEFAULT_MUSCLE = 0.5
MAX_PATH_FREE, MAX_PATH_FIXED = 2.5, 1.5
HEIGHT_TOL_CM = 0.02
WEIGHT_TOL_KG = 0.01


def years_to_anny_age(years: float) -> float:
    return float(np.interp(years, _AGE_YEARS, _AGE_ANNY))


def anny_age_to_years(age: float) -> float:
    return float(np.interp(age, _AGE_ANNY, _AGE_YEARS))


def sex_to_gender(sex: float) -> float:
    return 1.0 - sex


def body_mass_kg(vertices: torch.Tensor, faces: torch.Tensor) -> torch.Tensor:
    """Mass of closed body meshes, (B, V, 3) or (V, 3) in metres: volume × body density."""
    return mesh_volume(vertices, faces) * BODY_DENSITY_KG_M3


def height_and_mass(model: AnnyModel, params: AnnyParams) -> tuple[torch.Tensor, torch.Tensor]:
    """(B,) standing height in cm and mass in kg of the rest-pose bodies."""
    verts, _ = model.rest_shape(params)
    z = verts[..., 2]
    height_cm = (z.max(dim=1).values - z.min(dim=1).values) * 100.0
    return height_cm, body_mass_kg(verts, model.faces_tensor)


def _phenotypes(spec: BodySpec) -> dict[str, float]:
    return {
        "gender": sex_to_gender(spec.sex),
        "age": years_to_anny_age(spec.age_years),
        "muscle": DEFAULT_MUSCLE if spec.muscle is None else spec.muscle,
        "weight": 0.5,
        "height": 0.5,
        "proportions": spec.proportions,
        "cupsize": spec.cup_size,
        "firmness": spec.firmness,
        "african": spec.ethnicity.african,
        "asian": spec.ethnicity.asian,
        "caucasian": spec.ethnicity.caucasian,
    }


def check_local_changes(model: AnnyModel, names: Sequence[str]) -> None:
    for name in names:
        if name not in model.local_change_labels:
            raise UnknownNameError(
                f"unknown local shape change {name!r}{suggest(name, model.local_change_labels)}"
            )


def specs_to_params(specs: Sequence[BodySpec], model: AnnyModel | None = None) -> AnnyParams:
    """anny parameters for a batch of specs, with heights and weights solved."""
    model = model or get_model()
    for spec in specs:
        check_local_changes(model, list(spec.local_changes))
    faces = [expression_weights(s.expression) for s in specs]
    rows = [_phenotypes(s) for s in specs]
    n = len(specs)
    params = AnnyParams(
        torch.tensor([[r[k] for k in model.phenotype_labels] for r in rows], dtype=torch.float32),
        torch.tensor(
            [[s.local_changes.get(k, 0.0) for k in model.local_change_labels] for s in specs],
            dtype=torch.float32,
        ).reshape(n, -1),
        torch.tensor([[f.get(k, 0.0) for k in ARKIT_ACTIONS] for f in faces],
                     dtype=torch.float32).reshape(n, -1),
    )
    return _solve_height_weight(model, params, specs)


def spec_to_params(spec: BodySpec, model: AnnyModel | None = None) -> AnnyParams:
    return specs_to_params([spec], model)


def mass_path(
    s: torch.Tensor, muscle: torch.Tensor, free_muscle: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """(weight, muscle) along the mass path (see the module docstring); differentiable."""
    weight = torch.where(s < 0, torch.zeros_like(s), torch.where(s <= 1, s, torch.ones_like(s)))
    weight = torch.where(s > 2, s - 1, weight)
    free_muscle_value = DEFAULT_MUSCLE * torch.where(
        s < 0, 1 + s, torch.where(s <= 1, torch.ones_like(s), (2 - s).clamp(min=0.0))
    )
    weight = torch.where(free_muscle, weight, s)
    return weight, torch.where(free_muscle, free_muscle_value, muscle)


def _path_bounds(free_muscle: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    lo = torch.where(free_muscle, torch.tensor(-1.0), torch.tensor(0.0))
    hi = torch.where(free_muscle, torch.tensor(MAX_PATH_FREE), torch.tensor(MAX_PATH_FIXED))
    return lo, hi


def _with_path(
    pheno: torch.Tensor, model: AnnyModel, hp: torch.Tensor, s: torch.Tensor,
    free_muscle: torch.Tensor,
) -> torch.Tensor:
    labels = model.phenotype_labels
    ih, iw, im = labels.index("height"), labels.index("weight"), labels.index("muscle")
    weight, muscle = mass_path(s, pheno[:, im], free_muscle)
    cols = list(pheno.unbind(dim=1))
    cols[ih], cols[iw], cols[im] = hp, weight, muscle
    return torch.stack(cols, dim=1)


def _solve_height_weight(
    model: AnnyModel, params: AnnyParams, specs: Sequence[BodySpec]
) -> AnnyParams:
    want_h = torch.tensor([np.nan if s.height_cm is None else s.height_cm for s in specs])
    want_w = torch.tensor([np.nan if s.weight_kg is None else s.weight_kg for s in specs])
    free_muscle = torch.tensor([s.muscle is None for s in specs])
    solve_h, solve_w = ~torch.isnan(want_h), ~torch.isnan(want_w)
    base = params.phenotypes
    lo, hi = _path_bounds(free_muscle)
    x_cur = torch.stack([torch.full((len(specs),), 0.5), torch.full((len(specs),), 0.5)], 1)

    def at(x: torch.Tensor) -> AnnyParams:
        pheno = _with_path(base, model, x[:, 0], x[:, 1], free_muscle)
        return AnnyParams(pheno, params.local_changes, params.facial_actions)

    if not (solve_h | solve_w).any():  # nothing to solve: the middle of both ranges
        return at(x_cur)
    scale = torch.ones(len(specs))
    prev_err = torch.full((len(specs),), float("inf"))
    prev_x = x_cur.clone()
    step = torch.zeros_like(prev_x)

    # Newton with per-body backtracking: anny interpolates phenotypes piecewise linearly (and
    # the mass path has kinks), so a full step can bounce across a kink; a step that makes
    # things worse is retried at half length.
    for _ in range(60):
        x = x_cur.clone().requires_grad_(True)
        h, m = height_and_mass(model, at(x))
        rh = torch.where(solve_h, h - want_h, torch.zeros_like(h)).detach()
        rw = torch.where(solve_w, m - want_w, torch.zeros_like(m)).detach()
        err = torch.maximum(rh.abs() / HEIGHT_TOL_CM, rw.abs() / WEIGHT_TOL_KG)
        if (err < 1.0).all():
            break
        worse = err > prev_err
        if worse.any():
            scale = torch.where(worse, scale / 2, scale)
            retry = prev_x - scale[:, None] * step
            retry = torch.stack([retry[:, 0].clamp(0, 1), torch.maximum(torch.minimum(
                retry[:, 1], hi), lo)], 1)
            x_cur = torch.where(worse[:, None], retry, x_cur)
            if (scale[worse] < 1e-4).all():
                break
            continue
        (gh,) = torch.autograd.grad(h.sum(), x, retain_graph=True)
        (gm,) = torch.autograd.grad(m.sum(), x)
        step = torch.zeros_like(x)
        for b in range(len(specs)):
            if solve_h[b] and solve_w[b]:
                jac = torch.stack([gh[b], gm[b]]).double()
                rhs = torch.stack([rh[b], rw[b]]).double()[:, None]
                step[b] = torch.linalg.lstsq(jac, rhs).solution[:, 0].float()
            elif solve_h[b]:
                step[b, 0] = rh[b] / gh[b, 0]
            elif solve_w[b]:
                step[b, 1] = rw[b] / gm[b, 1]
        prev_err, prev_x = err, x.detach().clone()
        scale = torch.ones(len(specs))
        new = prev_x - step
        x_cur = torch.stack([new[:, 0].clamp(0, 1), torch.maximum(torch.minimum(new[:, 1], hi),
                                                                  lo)], 1)
    if not (err < 1.0).all():
        _raise_unreachable(model, params, specs, h.detach(), m.detach(), rh, rw, free_muscle)
    return at(x_cur.detach())


def _raise_unreachable(model, params, specs, h, m, rh, rw, free_muscle) -> None:
    b = next(i for i in range(len(specs))
             if rh[i].abs() >= HEIGHT_TOL_CM or rw[i].abs() >= WEIGHT_TOL_KG)
    spec = specs[b]
    lo, hi = _path_bounds(free_muscle)
    corners = []
    for hp, s in ((0.0, lo[b]), (1.0, hi[b])):
        pheno = _with_path(params.phenotypes[b : b + 1], model, torch.tensor([hp]),
                           torch.tensor([float(s)]), free_muscle[b : b + 1])
        with torch.no_grad():
            hh, mm = height_and_mass(model, AnnyParams(
                pheno, params.local_changes[b : b + 1], params.facial_actions[b : b + 1]))
        corners.append((float(hh[0]), float(mm[0])))
    (h_lo, m_lo), (h_hi, m_hi) = corners
    asked = " and ".join(
        f"{name} {value:g} {unit}"
        for name, value, unit in (("height", spec.height_cm, "cm"),
                                  ("weight", spec.weight_kg, "kg"))
        if value is not None
    )
    hint = "" if spec.muscle is None else "; leave muscle unset to let the build follow the weight"
    raise ImplausibleBodyError(
        f"cannot build a {spec.age_years:g}-year-old with {asked}: for this sex and age the body "
        f"model spans about {h_lo:.0f}–{h_hi:.0f} cm and, at the nearest height, reached "
        f"{float(h[b]):.1f} cm and {float(m[b]):.1f} kg (from about {m_lo:.0f} kg for the "
        f"shortest slight body to {m_hi:.0f} kg for the tallest heavy one){hint}"
    )


def params_to_spec(
    params: AnnyParams,
    index: int = 0,
    skin_tone: int = 5,
    expression: str | dict[str, float] = "neutral",
    model: AnnyModel | None = None,
) -> BodySpec:
    """The spec of one body of a batch, heights and weights read off its mesh."""
    model = model or get_model()
    ph = dict(zip(model.phenotype_labels, params.phenotypes[index].tolist(), strict=True))
    local = {
        k: round(v, 6)
        for k, v in zip(model.local_change_labels, params.local_changes[index].tolist(),
                        strict=True)
        if v != 0.0
    }
    one = AnnyParams(params.phenotypes[index : index + 1], params.local_changes[index : index + 1],
                     params.facial_actions[index : index + 1])
    with torch.no_grad():
        h, m = height_and_mass(model, one)
    return make_spec(
        sex=1.0 - ph["gender"],
        age_years=anny_age_to_years(ph["age"]),
        height_cm=round(float(h[0]), 3),
        weight_kg=round(float(m[0]), 3),
        muscle=ph["muscle"],
        proportions=ph["proportions"],
        cup_size=ph["cupsize"],
        firmness=ph["firmness"],
        ethnicity=Ethnicity(african=ph["african"], asian=ph["asian"], caucasian=ph["caucasian"]),
        skin_tone=skin_tone,
        local_changes=local,
        expression=expression,
    )
