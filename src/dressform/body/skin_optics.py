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


def _dermis_absorption(skin: Chromophores) -> np.ndarray:
    """Absorption (cm⁻¹) of the dermis of `skin`: its blood, the rest baseline tissue."""
    blood = skin.oxygenation * _OXY + (1.0 - skin.oxygenation) * _DEOXY
    return skin.blood * blood + (1.0 - skin.blood) * _BASELINE


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
    dermis = _dermis_absorption(skin)
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
    `body/data/nist_skin_reflectance.csv`, 3 nm steps) at the model's wavelengths."""
    text = files("dressform.body").joinpath("data/nist_skin_reflectance.csv").read_text(
        encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    table = np.array([[float(v) for v in r] for r in rows[1:]])
    return np.array([np.interp(WAVELENGTHS_NM, table[:, 0], table[:, k])
                     for k in range(1, table.shape[1])])


#: CIE XYZ of linear sRGB (the inverse of `_XYZ_TO_SRGB`).
_SRGB_TO_XYZ = np.linalg.inv(_XYZ_TO_SRGB)


def srgb_lab(rgb: tuple[float, float, float] | np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB colours (0–1, encoded; the last axis is R, G, B)."""
    from dressform.body.skin import srgb_to_linear

    return xyz_lab(srgb_to_linear(np.asarray(rgb, dtype=float)) @ _SRGB_TO_XYZ.T)


def lab_srgb(lab: tuple[float, float, float] | np.ndarray) -> np.ndarray:
    """sRGB (0–1, encoded, clipped to the gamut) of CIELAB colours (D65): `srgb_lab`'s
    inverse inside the sRGB gamut."""
    from dressform.body.skin import linear_to_srgb

    _, white = _observer()
    lab = np.asarray(lab, dtype=float)
    fy = (lab[..., 0] + 16) / 116
    f = np.stack([fy + lab[..., 1] / 500, fy, fy - lab[..., 2] / 200], axis=-1)
    t = np.where(f > 6 / 29, f**3, 3 * (6 / 29) ** 2 * (f - 4 / 29))
    return linear_to_srgb(np.clip((t * white) @ _XYZ_TO_SRGB.T, 0.0, 1.0))


def hue_deg(lab: np.ndarray) -> float:
    """CIELAB hue angle h_ab in degrees."""
    return float(np.degrees(np.arctan2(lab[2], lab[1])))


#: The deepest skin the model is taken to: the top of the literature's melanosome volume
#: fraction (18–43 % in darkly pigmented epidermis; Jacques, "Skin optics", 1998), all
#: eumelanin.
DEEPEST = Chromophores(melanin=0.43, eumelanin=1.0)
#: Weight of the priors that hold a tone's blood near the population's and its eumelanin
#: share near a half while its lightness and hue are matched (CIELAB units per unit of
#: log blood or of share).
_PRIOR = 2.0


def derive_tone_skin() -> tuple[Chromophores, ...]:
    """How each Monk Skin Tone's skin (`TONE_SKIN`) is made from measured skin, taking from
    the scale only its order and its undertones:

    1. The 100 measured people (`measured_skin`) are fitted (`fit_chromophores`): their
       median scattering and blood are the population's.
    2. Lightness: a tone's L* is its swatch's L*, mapped linearly from the scale's range
       (MST-10 to MST-1) onto measured skin's: from `DEEPEST` (with the population's blood
       and scattering) to the lightest person measured. The swatches are display colours,
       far lighter than skin at the light end (MST-1 L* 94 against 74 for the lightest of
       the hundred).
    3. Undertone: its swatch's hue angle, mapped linearly from the scale's range onto the
       measured people's 5th to 95th percentile.
    4. Melanin, eumelanin share and blood are solved to give that L* and hue, held near the
       population (blood near its median, eumelanin share near a half) by weak priors.
    """
    from dressform.body.skin import MONK_SKIN_TONES, skin_tone_rgb

    people = measured_skin()
    labs = np.array([spectrum_lab(r) for r in people])
    fits = [fit_chromophores(r) for r in people]
    scattering = float(np.median([f.scattering for f in fits]))
    blood = float(np.median([f.blood for f in fits]))
    hues = np.degrees(np.arctan2(labs[:, 2], labs[:, 1]))
    hue_lo, hue_hi = np.percentile(hues, [5, 95])
    deepest = Chromophores(DEEPEST.melanin, DEEPEST.eumelanin, blood, DEEPEST.oxygenation,
                           scattering)
    l_lo, l_hi = spectrum_lab(reflectance(deepest))[0], labs[:, 0].max()
    swatches = np.array([srgb_lab(skin_tone_rgb(t)) for t in range(1, len(MONK_SKIN_TONES) + 1)])
    sw_hues = np.array([hue_deg(s) for s in swatches])
    sw_lo, sw_hi = swatches[-1, 0], swatches[0, 0]
    out = []
    for swatch, sw_hue in zip(swatches, sw_hues, strict=True):
        lightness = l_lo + (swatch[0] - sw_lo) / (sw_hi - sw_lo) * (l_hi - l_lo)
        hue = hue_lo + (sw_hue - sw_hues.min()) / (sw_hues.max() - sw_hues.min()) * (
            hue_hi - hue_lo)

        def residual(p: np.ndarray, lightness: float = lightness, hue: float = hue
                     ) -> list[float]:
            lab = spectrum_lab(reflectance(Chromophores(p[0], p[1], p[2], 0.75, scattering)))
            return [lab[0] - lightness, (hue_deg(lab) - hue) / 2.0,
                    _PRIOR * np.log(p[2] / blood), _PRIOR * (p[1] - 0.5)]

        p = least_squares(residual, [0.05, 0.5, blood],
                          bounds=([0.0, 0.0, 0.002], [DEEPEST.melanin, 1.0, 0.1])).x
        out.append(Chromophores(round(float(p[0]), 4), round(float(p[1]), 3),
                                round(float(p[2]), 4), 0.75, round(scattering, 3)))
    return tuple(out)


#: Each Monk Skin Tone's skin, MST-1 first: `derive_tone_skin`'s result (kept as numbers so
#: that a tone's colour does not hang on a solver's last digits; a test re-derives them).
TONE_SKIN: tuple[Chromophores, ...] = (
    Chromophores(0.0222, 0.347, 0.0118, 0.75, 1.721),
    Chromophores(0.026, 0.358, 0.0128, 0.75, 1.721),
    Chromophores(0.0321, 0.219, 0.0097, 0.75, 1.721),
    Chromophores(0.0461, 0.243, 0.0114, 0.75, 1.721),
    Chromophores(0.0677, 0.384, 0.0159, 0.75, 1.721),
    Chromophores(0.146, 0.576, 0.0219, 0.75, 1.721),
    Chromophores(0.1693, 1.0, 0.0362, 0.75, 1.721),
    Chromophores(0.2369, 1.0, 0.0415, 0.75, 1.721),
    Chromophores(0.3306, 1.0, 0.0231, 0.75, 1.721),
    Chromophores(0.3932, 1.0, 0.0207, 0.75, 1.721),
)


def tone_skin(tone: int) -> Chromophores:
    """The skin of Monk Skin Tone `tone` (1–10)."""
    from dressform.body.skin import skin_tone_hex

    skin_tone_hex(tone)  # the range check, with its message
    return TONE_SKIN[tone - 1]


def tone_lab(tone: int) -> np.ndarray:
    """CIELAB (D65, 2°) of Monk Skin Tone `tone`'s skin: the colour a render under even
    white light should show on lit skin."""
    return spectrum_lab(reflectance(tone_skin(tone)))


#: Mean free path of light in skin per sRGB channel (m) measured by Jensen et al. 2001 ("A
#: practical model for subsurface light transport", skin 1: 1/σtr from σa and σs'),
#: for the population's median blood; `scattering_radius_m` scales it by a skin's own.
_JENSEN_RADIUS_M = (0.00367, 0.00137, 0.00068)
_CHANNELS_NM = ((600.0, 700.0), (500.0, 600.0), (400.0, 500.0))


def _penetration(skin: Chromophores) -> np.ndarray:
    """Diffusion depth 1/μeff (cm) of the dermis of `skin`, per sRGB channel's band."""
    absorption = _dermis_absorption(skin)
    scattering = skin.scattering * _SCATTERING
    depth = 1.0 / np.sqrt(3.0 * absorption * (absorption + scattering))
    lam = WAVELENGTHS_NM
    return np.array([depth[(lam >= lo) & (lam < hi)].mean() for lo, hi in _CHANNELS_NM])


def scattering_radius_m(skin: Chromophores) -> tuple[float, float, float]:
    """Subsurface radius per R, G, B (m) for `skin`: Jensen's measured radii, scaled per
    channel by how far light diffuses in this skin's dermis against the population's (more
    blood, shorter paths in green and blue)."""
    reference = Chromophores(0.05, 0.5, float(np.median([s.blood for s in TONE_SKIN])),
                             0.75, skin.scattering)
    ratio = _penetration(skin) / _penetration(reference)
    r, g, b = (j * float(k) for j, k in zip(_JENSEN_RADIUS_M, ratio, strict=True))
    return (r, g, b)


#: Skin's surface (Fresnel) reflectance at near-normal incidence (refractive index 1.4): part
#: of what a reflectance measurement with the specular included (as NIST's, at 8°) reads.
SURFACE_REFLECTANCE = ((SKIN_INDEX - 1.0) / (SKIN_INDEX + 1.0)) ** 2


def diffuse_part(spectrum: np.ndarray) -> np.ndarray:
    """The light that `spectrum` (a measured or modelled reflectance, its specular included)
    returns from under the surface: a renderer's albedo, whose surface reflection is drawn
    by its own specular term and must not be counted twice."""
    r = SURFACE_REFLECTANCE
    return np.clip((np.asarray(spectrum) - r) / (1.0 - r), 0.0, 1.0)


def tone_rgb(tone: int) -> tuple[float, float, float]:
    """The albedo of Monk Skin Tone `tone`'s skin (`diffuse_part`) as an sRGB colour (0–1,
    encoded): the base colour of skin in every picture and file (the swatch is only the
    scale's label)."""
    return skin_rgb(tone_skin(tone))


def skin_rgb(skin: Chromophores) -> tuple[float, float, float]:
    """The albedo of `skin` (`diffuse_part` of its reflectance) as an sRGB colour (0–1,
    encoded)."""
    from dressform.body.skin import linear_to_srgb

    albedo = linear_albedo(diffuse_part(reflectance(skin)))
    r, g, b = (linear_to_srgb(c) for c in albedo)
    return (r, g, b)
