"""An invisible watermark: 8 bytes (a job's key) hidden in the luminance of an image, that
survive JPEG re-encoding (quality 80), a 50 % resize, both together and a crop of a few per cent
— so a copy stripped of its C2PA manifest can still be traced to its job.

How: the luminance is resampled to a fixed 256×256 grid (so the mark does not depend on the
image's size), and each of 96 coded bits (the 64-bit payload and a 32-bit CRC) is set by
spread-transform dither modulation (a quantisation scheme whose cost does not depend on the
picture) on its own key-seeded, band-limited carrier; a pilot carrier re-aligns cropped
copies. The change is shaped by a perceptual mask (thin on smooth areas, stronger in hair and
fabric, none near pure white or black, so a white backdrop never clips) and closed-loop
corrected against JPEG and resizing. About 50 dB PSNR on campaign renders, changes of at most
a few grey levels on backdrops. Not robust to rotation or flips, crops beyond about 6 % a side,
or images under ~256 px on the short side after editing. Decoding needs the same key.

Why not the `invisible-watermark` package: its DWT-DCT methods do not survive a 50 % resize,
and it pulls in OpenCV (numpy ≥ 2 in current releases, against bpy's numpy < 2) and ONNX.
"""

from __future__ import annotations

import io
import itertools
import zlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image
from scipy import fft as sfft
from scipy import ndimage as ndi
from scipy import optimize

from dressform.errors import InvalidInputError

__all__ = ["KEY", "PAYLOAD_BYTES", "decode", "decode_details", "detect", "embed", "score"]

#: dressform's default key; a studio can set its own (decoding needs the same one).
KEY = 0x6472657373666F72
PAYLOAD_BYTES = 8

CANON = 256                 # canonical grid (CANON x CANON)
F_LO, F_HI = 0.03, 0.16     # payload carrier band, cycles per canonical pixel
P_LO, P_HI = 0.15, 0.30     # pilot band (higher: less host interference, sharper peak)
MARGIN, TAPER = 0.06, 0.05  # carriers are 0 in the outer MARGIN, ramp over TAPER
N_PAYLOAD_BITS = 64
N_CRC_BITS = 32
N_BITS = N_PAYLOAD_BITS + N_CRC_BITS
DELTA = 40.0                # STDM quantiser step (canonical grey levels x unit-norm carrier)
PILOT_ALPHA = 120.0         # pilot projection
NORM_REF = 50.0             # projections are rescaled by NORM_REF / (windowed std of the
                            # canonical luminance): gain/contrast changes cancel out
DETECT_THRESHOLD = 0.5      # on score(); unmarked/wrong key measured ~N(0, 0.08)
_CRC_XOR = 0xA5C35A3C
_RS = Image.Resampling


# ----------------------------------------------------------------------------- helpers
def _to_rgb_array(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.float32)


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _resize_f(a: np.ndarray, size_wh: tuple[int, int], resample: Image.Resampling
              ) -> np.ndarray:
    return np.asarray(Image.fromarray(np.ascontiguousarray(a, dtype=np.float32), "F")
                      .resize(size_wh, resample), dtype=np.float32)


def _canon(y: np.ndarray) -> np.ndarray:
    return _resize_f(y, (CANON, CANON), _RS.LANCZOS)


def _canon_img(image: Image.Image) -> np.ndarray:
    return _canon(_luma(_to_rgb_array(image)))


def _band_mask(lo: float = F_LO, hi: float = F_HI, n: int = CANON) -> np.ndarray:
    fy = np.fft.fftfreq(n)[:, None]
    fx = np.fft.rfftfreq(n)[None, :]
    r = np.sqrt(fx ** 2 + fy ** 2)
    return ((r >= lo) & (r <= hi)).astype(np.float32)


_BAND = _band_mask()
_PBAND = _band_mask(P_LO, P_HI)


def _window(n: int = CANON) -> np.ndarray:
    u = (np.arange(n) + 0.5) / n
    d = np.minimum(u, 1 - u)                             # distance to border
    t = np.clip((d - MARGIN) / TAPER, 0, 1)
    w = 0.5 - 0.5 * np.cos(np.pi * t)
    return np.outer(w, w).astype(np.float32)


_WIN = _window()


@lru_cache(maxsize=4)
def _keyed(key: int) -> tuple[np.ndarray, np.ndarray]:
    """Carriers (N_BITS+1, CANON*CANON) unit norm, row 0 = pilot; dithers (N_BITS,)."""
    seed = [int(key) & 0xFFFFFFFF, (int(key) >> 32) & 0xFFFFFFFF, 0x57A7E]
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((N_BITS + 1, CANON, CANON), dtype=np.float32)
    band = np.concatenate([_PBAND[None], np.repeat(_BAND[None], N_BITS, 0)])
    c = sfft.irfft2(sfft.rfft2(w) * band, s=(CANON, CANON)).astype(np.float32)
    c *= _WIN
    # windowing leaks DC: make every carrier zero-sum (insensitive to global brightness)
    c -= _WIN * (c.sum(axis=(1, 2), keepdims=True) / _WIN.sum())
    c = c.reshape(N_BITS + 1, -1)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    dither = rng.uniform(0, DELTA, N_BITS).astype(np.float32)
    c.setflags(write=False)
    return c, dither


def _coded_bits(payload: bytes) -> np.ndarray:
    crc = zlib.crc32(payload) ^ _CRC_XOR
    data = payload + crc.to_bytes(4, "big")
    return np.unpackbits(np.frombuffer(data, np.uint8)).astype(np.int8)


def _check(bits: np.ndarray) -> bytes | None:
    data = np.packbits(bits.astype(np.uint8)).tobytes()
    payload, crc = data[:8], int.from_bytes(data[8:12], "big")
    return payload if (zlib.crc32(payload) ^ _CRC_XOR) == crc else None


def _wrap(x: np.ndarray, period: float) -> np.ndarray:
    return x - period * np.round(x / period)


def _residual(p_bits: np.ndarray, dither: np.ndarray, bits: np.ndarray, delta: float
              ) -> np.ndarray:
    """Signed distance of projections to the lattice of the given bits, in [-delta/2, delta/2)."""
    return _wrap(p_bits - dither - bits * (delta / 2), delta)


FLAT_LEVEL = 0.35           # relative mask level on smooth/flat areas (texture -> 1.0)
FLAT_CAP, TEX_CAP = 3.0, 10.0   # soft limit of |change| (grey levels) on flat / textured areas


def _mask(rgb: np.ndarray, flat_level: float = FLAT_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Perceptual mask in [0, 1] and amplitude cap (grey levels) at full resolution.

    Renders are mostly smooth, so the watermark is spread thinly over the whole
    frame (flat_level) and boosted in textured areas (hair, fabric).  Thin edge
    lines do not count as texture (grey opening), so the silhouette gets no halo.
    The mask fades to 0 within ~12 levels of 0/255 (white backdrop cannot clip)."""
    y = _luma(rgb)
    s = min(y.shape) / 1024.0                     # scale the filters with image size
    hp = y - ndi.gaussian_filter(y, 1.0 * s)
    act = np.sqrt(ndi.gaussian_filter(hp * hp, 2.0 * s))
    act = ndi.grey_opening(act, size=int(9 * s) | 1)
    tex = np.clip((act - 0.8) / 3.0, 0.0, 1.0)
    tex = ndi.gaussian_filter(tex, 3.0 * s)
    m = flat_level + (1.0 - flat_level) * tex
    cap = FLAT_CAP + (TEX_CAP - FLAT_CAP) * tex
    hi = ndi.grey_dilation(rgb.max(axis=2), size=3)
    lo = ndi.grey_erosion(rgb.min(axis=2), size=3)
    g = np.clip((254.0 - hi) / 12.0, 0, 1) * np.clip((lo - 1.0) / 12.0, 0, 1)
    g = ndi.gaussian_filter(g, 2.0 * s)
    return (m * g).astype(np.float32), cap.astype(np.float32)


def _jpeg(img: Image.Image, q: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=q)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _attacks(img: Image.Image) -> Iterator[Image.Image]:
    w, h = img.size
    yield _jpeg(img, 80)
    yield _jpeg(img.resize((w // 2, h // 2), _RS.BILINEAR), 80)


# ----------------------------------------------------------------------------- embed
def embed(image: Image.Image, payload: bytes, key: int = KEY, strength: float = 1.0,
          iterations: int = 4) -> Image.Image:
    """Return a watermarked RGB copy of ``image`` carrying the 8-byte ``payload``.

    ``strength`` scales the quantiser step and pilot (1.0 ~ 50 dB PSNR on renders).
    Decoding must use the same ``strength`` (it sets the STDM lattice step)."""
    if len(payload) != PAYLOAD_BYTES:
        raise InvalidInputError(f"a watermark carries exactly {PAYLOAD_BYTES} bytes, "
                                f"not {len(payload)}")
    rgb = _to_rgb_array(image)
    H, W = rgb.shape[:2]
    C, dither = _keyed(key)
    bits = _coded_bits(payload).astype(np.float32)
    delta = DELTA * strength
    dith = dither * strength

    mask, cap = _mask(rgb)
    mask_c = np.clip(_canon(mask), 1e-3, None).ravel()
    G = (C * mask_c) @ C.T                         # linearised effect of coefficients a
    G += np.eye(len(G), dtype=np.float32) * 1e-4 * np.trace(G) / len(G)

    def wanted_change(p: np.ndarray) -> np.ndarray:
        d = np.empty_like(p)
        d[0] = PILOT_ALPHA * strength - p[0]
        d[1:] = -_residual(p[1:], dith, bits, delta)   # move to nearest point of own coset
        return d

    r_host = _canon(_luma(rgb))
    k0 = _gain(r_host)                              # projections are in normalised units
    G *= k0
    p0 = _proj(C, r_host)
    a = np.linalg.solve(G, wanted_change(p0))
    out = image.convert("RGB")
    for it in range(iterations):
        delta_img = _resize_f((C.T @ a).reshape(CANON, CANON), (W, H), _RS.BICUBIC) * mask
        delta_img = cap * np.tanh(delta_img / cap)          # soft amplitude limit
        out = Image.fromarray(np.clip(np.rint(rgb + delta_img[..., None]), 0, 255)
                              .astype(np.uint8), "RGB")
        if it == iterations - 1:
            break
        ps = [_proj(C, _canon_img(x)) for x in (out, *_attacks(out))]
        corr = np.mean([wanted_change(p) for p in ps], axis=0)
        if np.max(np.abs(corr[1:])) < 0.04 * delta:
            break
        a = a + np.linalg.solve(G, corr)
    return out


# ----------------------------------------------------------------------------- decode
def _hard(p: np.ndarray, dith: np.ndarray, delta: float) -> tuple[np.ndarray, np.ndarray]:
    """bits and reliability (0..1) from projections of the 96 coded bits."""
    k = np.round((p - dith) / (delta / 2)).astype(np.int64)
    bits = (k & 1).astype(np.int8)
    rel = 1 - np.abs(_residual(p, dith, bits, delta)) / (delta / 4)
    return bits, np.clip(rel, 0, 1)


def _decode_bits(p: np.ndarray, dith: np.ndarray, delta: float, chase: int = 10,
                 max_flips: int = 2) -> tuple[bytes | None, np.ndarray, np.ndarray, int]:
    bits, rel = _hard(p[1:], dith, delta)
    payload = _check(bits)
    if payload is not None:
        return payload, bits, rel, 0
    weak = np.argsort(rel)[:chase]
    for k in range(1, max_flips + 1):
        for idx in itertools.combinations(weak, k):
            b = bits.copy()
            b[list(idx)] ^= 1
            payload = _check(b)
            if payload is not None:
                return payload, b, rel, k
    return None, bits, rel, -1


def _warp(r: np.ndarray, sx: float, sy: float, x0: float, y0: float, order: int = 1
          ) -> np.ndarray:
    """Map the received canonical image back into the original canonical frame,
    assuming it shows the region [x0, x0+sx] x [y0, y0+sy] (normalised) of the original."""
    i = np.arange(CANON, dtype=np.float64) + 0.5
    jx = ((i / CANON - x0) / sx) * CANON - 0.5
    jy = ((i / CANON - y0) / sy) * CANON - 0.5
    yy, xx = np.meshgrid(jy, jx, indexing="ij")
    return ndi.map_coordinates(r, [yy, xx], order=order, mode="constant", cval=0.0)


def _whiten(r0: np.ndarray, band: np.ndarray) -> np.ndarray:
    """Spectral whitening (divide by locally averaged magnitude) restricted to ``band``."""
    R = np.fft.rfft2(r0)
    mag = ndi.uniform_filter(np.abs(R), 5)
    return np.fft.irfft2(R / (mag + 1e-6) * band, s=r0.shape).astype(np.float32)


def _gain(r: np.ndarray) -> float:
    """Projection scale factor NORM_REF / std(canonical image inside the carrier window).

    Brightness (gain) and contrast edits scale projections and this std alike, so
    normalised projections are invariant to them (STDM is otherwise gain-sensitive)."""
    w = _WIN
    m = float((w * r).sum() / w.sum())
    sd = float(np.sqrt((w * (r - m) ** 2).sum() / w.sum()))
    return NORM_REF / max(sd, 20.0)


def _proj(C: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Normalised projections of a canonical image onto the carriers."""
    return (C @ r.ravel()) * _gain(r)


def _lattice_fit(p_bits: np.ndarray, dith: np.ndarray, delta: float) -> float:
    """Payload-independent presence statistic: projections sit on DELTA/2 lattice."""
    return float(np.mean(np.cos(4 * np.pi * (p_bits - dith) / delta)))


def _register(r0: np.ndarray, C: np.ndarray, dith: np.ndarray, delta: float,
              min_scale: float = 0.88) -> tuple[tuple[float, ...], float]:
    """Estimate the crop geometry (sx, sy, x0, y0) of a received canonical image.

    1. whitened pilot correlation: scale grid (1 %) x FFT translation search;
    2. Nelder-Mead refinement of the pilot correlation;
    3. Nelder-Mead refinement of the payload lattice fit (sub-0.1 px precision)."""
    rw = _whiten(r0, _PBAND)
    pil = C[0].reshape(CANON, CANON)
    Fp = np.fft.rfft2(pil)
    best = [-np.inf, None]
    grid = np.arange(1.0, min_scale - 1e-9, -0.01)
    for sx in grid:
        for sy in grid:
            Fr = sfft.rfft2(_warp(rw, sx, sy, 0.0, 0.0))
            cc = sfft.irfft2(Fp * np.conj(Fr), s=(CANON, CANON))  # cc[t] = sum p(X+t) r(X)
            cc = np.roll(cc, (4, 4), axis=(0, 1))                  # allow t in [-4, ...)
            sub = cc[:int((1 - sy) * CANON) + 9, :int((1 - sx) * CANON) + 9]
            k = np.unravel_index(np.argmax(sub), sub.shape)
            if sub[k] > best[0]:
                best = [sub[k], (sx, sy, (k[1] - 4) / CANON, (k[0] - 4) / CANON)]
    geo = np.array(best[1], dtype=np.float64)

    def simplex(g: np.ndarray, ds: float, dt: float) -> np.ndarray:
        return g + np.vstack([np.zeros(4), np.diag([ds, ds, dt, dt])])

    res = optimize.minimize(lambda g: -float(np.vdot(_warp(rw, *g), pil)), geo,
                            method="Nelder-Mead",
                            options=dict(initial_simplex=simplex(geo, 0.005, 1.0 / CANON),
                                         xatol=1e-4, fatol=1e-6, maxiter=200))
    geo = res.x
    Cb = C[1:]
    res = optimize.minimize(lambda g: -_lattice_fit(_proj(Cb, _warp(r0, *g)), dith, delta),
                            geo, method="Nelder-Mead",
                            options=dict(initial_simplex=simplex(geo, 0.001, 0.3 / CANON),
                                         xatol=2e-5, fatol=1e-4, maxiter=200))
    return tuple(res.x), -res.fun


def decode_details(image: Image.Image, key: int = KEY, search: bool = True,
                   strength: float = 1.0) -> dict[str, Any]:
    C, dither = _keyed(key)
    delta, dith = DELTA * strength, dither * strength
    r = _canon_img(image)
    p = _proj(C, r)
    payload, bits, rel, flips = _decode_bits(p, dith, delta)
    info = dict(payload=payload, bits=bits, reliability=rel, flips=flips, projections=p,
                registered=None)
    if payload is None and search:
        r0 = r - float(np.mean(r))
        geo, fit = _register(r0, C, dith, delta)
        pr = _proj(C, _warp(r0, *geo, order=3))
        info["lattice_fit"] = fit
        payload2, bits2, rel2, flips2 = _decode_bits(pr, dith, delta)
        info["registration"] = geo
        if payload2 is not None:
            info.update(payload=payload2, bits=bits2, reliability=rel2, flips=flips2,
                        projections=pr, registered=geo)
    info["pilot"] = float(info["projections"][0] / (PILOT_ALPHA * strength))
    # payload-independent presence statistic (~0 +- 0.07 unmarked, 0.8-1 marked)
    info["presence"] = _lattice_fit(info["projections"][1:], dith, delta)
    info["crc_ok"] = info["payload"] is not None
    info["confidence"] = float(np.mean(info["reliability"])) if info["crc_ok"] else 0.0
    return info


def decode(image: Image.Image, key: int = KEY, strength: float = 1.0,
           search: bool = True) -> bytes | None:
    """The payload hidden in `image` with `key`, or None if there is none (its CRC-32 must
    check: about 3e-8 false finds per decode). `search=False` skips re-aligning a cropped copy
    (~20 ms instead of 1–3 s when nothing is found at once)."""
    d = decode_details(image, key, search=search, strength=strength)
    return d["payload"] if d["crc_ok"] else None


def score(image: Image.Image, payload: bytes, key: int = KEY, strength: float = 1.0) -> float:
    """Mean cos(2*pi*residual/DELTA) w.r.t. the expected lattice (aligned, no search).

    ~1 for an image marked with (key, payload); otherwise ~N(0, 0.072) in theory,
    measured sd 0.079 / max 0.19 over 480 unmarked or wrong-key trials."""
    C, dither = _keyed(key)
    p = _proj(C[1:], _canon_img(image))
    res = _residual(p, dither * strength, _coded_bits(payload), DELTA * strength)
    return float(np.mean(np.cos(2 * np.pi * res / (DELTA * strength))))


def detect(image: Image.Image, payload: bytes | None = None, key: int = KEY,
           threshold: float = DETECT_THRESHOLD, strength: float = 1.0) -> bool:
    """True if the image carries a watermark for ``key`` (and ``payload`` if given).

    With a payload: fast aligned correlation score first, then full decode (crop
    search).  Without: full decode, i.e. a CRC-32-valid payload must be found."""
    if payload is not None and score(image, payload, key, strength) >= threshold:
        return True
    got = decode(image, key, strength)
    return got is not None and (payload is None or got == payload)
