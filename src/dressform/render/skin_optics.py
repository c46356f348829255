"""Skin colour from what colours skin: a two-layer optical model (an epidermis holding
melanin over a dermis holding blood) that gives a reflectance spectrum, its CIELAB colour and
the renderer's albedo, and fits itself to measured skin.

The model is the usual one of biophysical skin rendering (Donner & Jensen 2006, "A spectral
BSSRDF for shading human skin"), reduced to total diffuse reflectance:

- absorption: eumelanin 6.6e11 · λ^-3.33 cm⁻¹ and the skin baseline
  0.244 + 85.3 · exp(−(λ − 154) / 66.2) cm⁻¹ (Jacques, "Skin optics", OMLC 1998);
  pheomelanin 2.9e15 · λ^-4.75 cm⁻¹ (Donner & Jensen 2006); haemoglobin, oxygenated and not,
  from the molar extinction compiled by Prahl (OMLC, from Gratzer and Kollias) at 150 g/l of
  blood (`HAEMOGLOBIN`);
- scattering: skin's reduced scattering μs' = 46.0 · (λ / 500 nm)^-1.421 cm⁻¹ (Jacques 2013,
  "Optical properties of biological tissues: a review", Table 2), scaled per person;
- layers: the epidermis a Kubelka–Munk slab (K = 2 μa, S = 0.75 μs') over a semi-infinite
  dermis whose total diffuse reflectance is the diffusion theory's (index 1.4), combined with
  the slab's multiple reflections.

Fitted to the 100 measured spectra of the NIST reference set (`measured_skin`), it reproduces
each person's colour to a median CIEDE2000 under one (tests/test_skin_optics.py).
Colours are CIE 1931 2° under D65, as skin-colour surveys report them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
from scipy.optimize import least_squares

#: The model's wavelengths (nm): the visible range at colorimetry's usual 10 nm.
WAVELENGTHS_NM = np.arange(380.0, 781.0, 10.0)

#: Molar extinction of oxygenated and deoxygenated haemoglobin (cm⁻¹/M) at WAVELENGTHS_NM:
#: Prahl's compilation (OMLC, "Optical absorption of hemoglobin", from W. B. Gratzer and
#: N. Kollias).
HAEMOGLOBIN = np.array([
    (109564, 145232), (167748, 167780), (266232, 223296), (466840, 303956),
    (480360, 407560), (246072, 528600), (102580, 413280), (62816, 103292),
    (44480, 23388.8), (33209.2, 16156.4), (26629.2, 14550), (23684.4, 16684),
    (20932.8, 20862), (20035.2, 25773.6), (24202.4, 31589.6), (39956.8, 39036.4),
    (53236, 46592), (43016, 53412), (32613.2, 53788), (44496, 45072), (50104, 37020),
    (14400.8, 28324.4), (3200, 14677.2), (1506, 9443.6), (942, 6509.6), (610, 5148.8),
    (442, 4345.2), (368, 3750.12), (319.6, 3226.56), (294, 2795.12), (277.6, 2407.92),
    (276, 2051.96), (290, 1794.28), (314, 1540.48), (348, 1325.88), (390, 1102.2),
    (446, 1115.88), (518, 1405.24), (586, 1548.52), (650, 1311.88), (710, 1075.44),
])  # fmt: skip

#: Epidermis thickness (cm): 60 µm, a typical value for the body away from palms and soles.
EPIDERMIS_CM = 0.006
#: Refractive index of skin, for the dermis's boundary.
SKIN_INDEX = 1.4
_BLOOD_G_PER_L, _HB_G_PER_MOL = 150.0, 64500.0


@dataclass(frozen=True)
class Chromophores:
    """What colours one person's skin.

    melanin: volume fraction of melanosomes in the epidermis (about 0.01 on the lightest skin
    to 0.4 on the deepest); eumelanin: the share of it that is eumelanin (the rest
    pheomelanin); blood: volume fraction of blood in the dermis (about 0.002–0.05);
    oxygenation: the share of its haemoglobin carrying oxygen; scattering: the person's
    reduced scattering against the literature value (1 = Jacques 2013).
    """

    melanin: float
    eumelanin: float = 0.5
    blood: float = 0.02
    oxygenation: float = 0.75
    scattering: float = 1.0


def _absorption() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lam = WAVELENGTHS_NM
    baseline = 0.244 + 85.3 * np.exp(-(lam - 154.0) / 66.2)
    eumelanin = 6.6e11 * lam**-3.33
    pheomelanin = 2.9e15 * lam**-4.75
    per_molar = 2.303 * _BLOOD_G_PER_L / _HB_G_PER_MOL
    return (baseline, eumelanin, pheomelanin, per_molar * HAEMOGLOBIN[:, 0],
            per_molar * HAEMOGLOBIN[:, 1])


_BASELINE, _EUMELANIN, _PHEOMELANIN, _OXY, _DEOXY = _absorption()
_SCATTERING = 46.0 * (WAVELENGTHS_NM / 500.0) ** -1.421


def reflectance(skin: Chromophores) -> np.ndarray:
    """Total diffuse reflectance (0–1) of `skin` at `WAVELENGTHS_NM`."""
    scattering = skin.scattering * _SCATTERING
    melanin = skin.eumelanin * _EUMELANIN + (1.0 - skin.eumelanin) * _PHEOMELANIN
    epidermis = skin.melanin * melanin + (1.0 - skin.melanin) * _BASELINE
    k, s = 2.0 * epidermis, 0.75 * scattering
    a = 1.0 + k / s
    b = np.sqrt(a * a - 1.0)
    x = b * s * EPIDERMIS_CM
    den = a * np.sinh(x) + b * np.cosh(x)
    r_top, t_top = np.sinh(x) / den, b / den
    blood = skin.oxygenation * _OXY + (1.0 - skin.oxygenation) * _DEOXY
    dermis = skin.blood * blood + (1.0 - skin.blood) * _BASELINE
    albedo = scattering / (dermis + scattering)
    n = SKIN_INDEX
    r_eff = -1.44 / n**2 + 0.71 / n + 0.668 + 0.0636 * n
    boundary = (1.0 + r_eff) / (1.0 - r_eff)
    root = np.sqrt(3.0 * (1.0 - albedo))
    r_dermis = albedo / (1.0 + 2.0 * boundary * (1.0 - albedo) + (1.0 + 2.0 * boundary / 3.0)
                         * root)
    return r_top + t_top * t_top * r_dermis / (1.0 - r_top * r_dermis)


@cache
def _observer() -> tuple[np.ndarray, np.ndarray]:
    """CIE 1931 2° colour matching functions weighted by D65 at `WAVELENGTHS_NM`, normalised
    so that a perfect white has Y = 1; and that white's XYZ."""
    import colour

    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    d65 = colour.SDS_ILLUMINANTS["D65"]
    weights = np.array([cmfs[w] * d65[w] for w in WAVELENGTHS_NM])
    weights /= weights[:, 1].sum()
    return weights, weights.sum(axis=0)


def spectrum_xyz(spectrum: np.ndarray) -> np.ndarray:
    """CIE XYZ (white Y = 1) of reflectance `spectrum` at `WAVELENGTHS_NM` under D65."""
    weights, _ = _observer()
    return np.asarray(spectrum) @ weights


def xyz_lab(xyz: np.ndarray) -> np.ndarray:
    """CIELAB of CIE XYZ (white Y = 1, D65)."""
    _, white = _observer()
    t = np.asarray(xyz) / white
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]),
                     200 * (f[..., 1] - f[..., 2])], axis=-1)


def spectrum_lab(spectrum: np.ndarray) -> np.ndarray:
    """CIELAB (D65, 2°) of reflectance `spectrum` at `WAVELENGTHS_NM`."""
    return xyz_lab(spectrum_xyz(spectrum))


#: CIE XYZ to linear sRGB (IEC 61966-2-1, D65).
_XYZ_TO_SRGB = np.array([[3.2406, -1.5372, -0.4986], [-0.9689, 1.8758, 0.0415],
                         [0.0557, -0.2040, 1.0570]])


def linear_albedo(spectrum: np.ndarray) -> tuple[float, float, float]:
    """The renderer's base colour for reflectance `spectrum`: linear sRGB (what Cycles
    multiplies light by), clipped into 0–1."""
    rgb = np.clip(_XYZ_TO_SRGB @ spectrum_xyz(spectrum), 0.0, 1.0)
    return (float(rgb[0]), float(rgb[1]), float(rgb[2]))


_BOUNDS = (np.array([0.0, 0.0, 0.0, 0.3]), np.array([0.6, 1.0, 0.2, 3.0]))


def fit_chromophores(spectrum: np.ndarray, oxygenation: float = 0.75) -> Chromophores:
    """The chromophores whose `reflectance` is nearest (least squares) to a measured
    reflectance `spectrum` at `WAVELENGTHS_NM`."""
    target = np.asarray(spectrum, dtype=float)

    def residual(p: np.ndarray) -> np.ndarray:
        return reflectance(Chromophores(p[0], p[1], p[2], oxygenation, p[3])) - target

    p = least_squares(residual, [0.05, 0.5, 0.02, 1.0], bounds=_BOUNDS).x
    return Chromophores(float(p[0]), float(p[1]), float(p[2]), oxygenation, float(p[3]))


@cache
def measured_skin() -> np.ndarray:
    """(100, len(WAVELENGTHS_NM)) reflectance of 100 people's inner forearm: the NIST
    reference set (Cooksey, Allen and Tsai 2017, J. Res. NIST 122:26; package data
    `render/data/nist_skin_reflectance.csv`, 3 nm steps) at the model's wavelengths."""
    text = files("dressform.render").joinpath("data/nist_skin_reflectance.csv").read_text(
        encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    table = np.array([[float(v) for v in r] for r in rows[1:]])
    return np.array([np.interp(WAVELENGTHS_NM, table[:, 0], table[:, k])
                     for k in range(1, table.shape[1])])
