"""The skin optics model: measured skin reproduced, and colour that follows its chromophores."""

from __future__ import annotations

import numpy as np
import pytest

from dressform.body.skin_optics import (
    WAVELENGTHS_NM,
    Chromophores,
    fit_chromophores,
    linear_albedo,
    measured_skin,
    reflectance,
    spectrum_lab,
)


def _de2000(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    import colour

    return np.asarray(colour.delta_E(a, b, method="CIE 2000"))


def test_the_measured_set_is_read_whole():
    skin = measured_skin()
    assert skin.shape == (100, len(WAVELENGTHS_NM))
    assert skin.min() > 0.04 and skin.max() < 0.75
    # Skin reflects more red than blue, for everyone.
    assert (skin[:, -5:].mean(axis=1) > skin[:, :5].mean(axis=1)).all()


# colour-science says each time it resamples a spectrum onto its observer's range: that is
# what this comparison asks of it.
@pytest.mark.filterwarnings("ignore::colour.utilities.ColourRuntimeWarning")
def test_colorimetry_agrees_with_colour_science_at_one_nanometre():
    """10 nm sampling of the 1 nm CIE tables loses nothing visible on skin spectra."""
    import colour

    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    d65 = colour.SDS_ILLUMINANTS["D65"]
    white = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"]
    for r in measured_skin()[::10]:
        sd = colour.SpectralDistribution(dict(zip(WAVELENGTHS_NM, r, strict=True)))
        sd = sd.interpolate(colour.SpectralShape(380, 780, 1))
        exact = colour.XYZ_to_Lab(colour.sd_to_XYZ(sd, cmfs, d65) / 100.0, white)
        assert _de2000(spectrum_lab(r), exact) < 0.3


def test_the_model_reproduces_a_hundred_people():
    """Fitted to each measured spectrum, the model's colour is within what a trained eye
    barely tells apart (CIEDE2000 ~1) for most people, and near it for all."""
    skin = measured_skin()
    measured = np.array([spectrum_lab(r) for r in skin])
    fitted = np.array([spectrum_lab(reflectance(fit_chromophores(r))) for r in skin])
    de = _de2000(measured, fitted)
    assert np.median(de) < 1.0 and de.max() < 3.5


@pytest.mark.parametrize("field", ["melanin", "blood"])
def test_more_chromophore_darker_skin(field):
    base = Chromophores(melanin=0.05, eumelanin=0.5, blood=0.02)
    more = Chromophores(**{**base.__dict__, field: 2.0 * getattr(base, field)})
    a, b = spectrum_lab(reflectance(base)), spectrum_lab(reflectance(more))
    assert b[0] < a[0] - 1.0
    if field == "blood":
        assert b[1] > a[1] + 1.0  # blood reddens


def test_deep_skin_stays_brown_not_grey():
    deep = spectrum_lab(reflectance(Chromophores(melanin=0.4, eumelanin=1.0, blood=0.02)))
    chroma, hue = np.hypot(deep[1], deep[2]), np.degrees(np.arctan2(deep[2], deep[1]))
    assert deep[0] < 35 and chroma > 8 and 40 < hue < 75
    r, g, b = linear_albedo(reflectance(Chromophores(melanin=0.4, eumelanin=1.0)))
    assert r > g > b > 0


def test_each_tones_skin_is_derived_from_the_measured_people():
    from dressform.body.skin_optics import TONE_SKIN, derive_tone_skin

    for kept, derived in zip(TONE_SKIN, derive_tone_skin(), strict=True):
        assert kept.melanin == pytest.approx(derived.melanin, abs=2e-3)
        assert kept.eumelanin == pytest.approx(derived.eumelanin, abs=2e-2)
        assert kept.blood == pytest.approx(derived.blood, abs=1e-3)
        assert kept.scattering == pytest.approx(derived.scattering, abs=1e-2)


def test_the_tones_span_measured_skin_light_to_deep_and_stay_skin_coloured():
    from dressform.body.skin_optics import tone_lab

    labs = np.array([tone_lab(t) for t in range(1, 11)])
    people = np.array([spectrum_lab(r) for r in measured_skin()])
    # No tone lighter than the lightest person measured (the swatches are: MST-1 is L* 94).
    assert labs[:, 0].max() <= people[:, 0].max() + 0.5
    assert labs[0, 0] > labs[4, 0] > labs[6, 0] > labs[9, 0]
    assert labs[0, 0] - labs[9, 0] > 35
    chroma = np.hypot(labs[:, 1], labs[:, 2])
    hue = np.degrees(np.arctan2(labs[:, 2], labs[:, 1]))
    # Deep tones brown, not grey (their swatches have chroma 4–7); all hues those of skin.
    assert chroma[6:].min() > 10
    assert ((hue > 45) & (hue < 70)).all()
    # Neighbouring tones stay apart.
    assert _de2000(labs[:-1], labs[1:]).min() > 0.5


def test_an_unknown_tone_is_refused():
    from dressform.body.skin_optics import tone_rgb
    from dressform.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="Monk Skin Tone 1–10"):
        tone_rgb(11)
