"""An invisible watermark: 8 bytes (a job's key) hidden in the luminance of an image, that
survive JPEG re-encoding (quality 70), resizing, crops of 10 % and more a side, and local edits
(a logo, a caption, a filled patch) — so a copy stripped of its C2PA manifest can still be
traced to its job.

How: a keyed 64×64 tile is repeated over the whole picture at a reference scale where the
short side is 512 px (so the tile is an eighth of the short side at any size). The tile is a sum
of orthonormal band-limited patterns: one sync pattern and one per coded bit (the 64-bit payload
and a 32-bit CRC), each added with the bit's sign. It is shaped by a perceptual mask (thin on
smooth areas, stronger in hair and fabric, none near pure white or black, so a white backdrop
never clips).

Reading folds the picture modulo the tile (all tiles summed), so every surviving part of the
image adds to one 64×64 estimate and a cropped, patched or captioned region only removes its
share. The tile's period is found from the image's autocorrelation (a crop or resize changes
it), the crop's offset by FFT cross-correlation of the fold with the sync pattern, then each
bit is read by projection and the CRC must check (the CRC-32 and a sync threshold keep false
finds under 1e-8 per read). 45–49 dB PSNR on campaign renders; on a flat backdrop a faint grain
can be seen side by side with the original at 100 %. Not robust to rotation, flips, a change
of aspect ratio by resizing, or a picture halved below 512 px and then JPEG-compressed at q70
(see BENCHMARKS.md). Decoding needs the same key.

Why not a library: `invisible-watermark` (MIT) embeds in fixed 8×8 DWT-DCT blocks on the pixel
grid, so a crop that shifts the grid or a 50 % resize erases it (and it pulls in OpenCV, numpy
≥ 2 in current releases, against bpy's numpy < 2); `blind-watermark` (MIT) is the same family
and needs the original size to undo a crop; Adobe's `trustmark` (MIT) downloads its model
weights from Adobe at run time (no package ships them) and resizes the whole image to 256 px,
so crops move its code.
"""

from __future__ import annotations

import itertools
import zlib
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image
from scipy import fft as sfft
from scipy import ndimage as ndi

from dressform.errors import InvalidInputError

__all__ = ["KEY", "PAYLOAD_BYTES", "decode", "decode_details", "detect", "embed", "score"]

#: dressform's default key; a studio can set its own (decoding needs the same one).
KEY = 0x6472657373666F72
PAYLOAD_BYTES = 8

REF_SHORT = 512             # reference scale: the image's short side in reference pixels
TILE = 64                   # tile period in reference pixels
F_LO, F_HI = 0.04, 0.15     # pattern band, cycles per reference pixel
N_PAYLOAD_BITS = 64
N_CRC_BITS = 32
N_BITS = N_PAYLOAD_BITS + N_CRC_BITS
N_NOISE = 48                # extra orthonormal patterns, never embedded: the noise yardstick
SYNC_BINS = 0.3             # share of the band's frequencies that carry the sync pattern
SYNC_WEIGHT = 4.0           # sync coefficient relative to one bit's (sync: 14 % of the energy)
AMPLITUDE = 5.0             # grey levels of the tile pattern's RMS before masking
SMALL_BOOST = 1.3           # most amplitude gained below 1024 px (more mottles a backdrop)
MAX_RMS = 2.3               # grey levels: the change's RMS, so PSNR >= 40.9 dB before rounding
P_MIN, P_MAX = 44.0, 140.0  # periods searched: 1.45x enlarged to cropped to 46 % of the short side
FLOOR = 0.7                 # grey levels added to the local activity: flat areas are not blown up
SYNC_MIN = 6.0              # sync projection (noise sds) below which no payload is tried
DETECT_THRESHOLD = 0.5      # on score(); unmarked or wrong key measured ~N(0, 0.1)
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


def _ref_size(w: int, h: int) -> tuple[int, int]:
    """(width, height) of an image brought to the reference scale (short side REF_SHORT)."""
    c = REF_SHORT / min(w, h)
    return max(1, round(w * c)), max(1, round(h * c))


def _reference(y: np.ndarray) -> np.ndarray:
    h, w = y.shape
    return _resize_f(y, _ref_size(w, h), _RS.LANCZOS)


def _band(n: int = TILE) -> np.ndarray:
    """The tile's frequencies that carry the mark: a ring of mid frequencies."""
    ky = np.fft.fftfreq(n, 1 / n)[:, None]
    kx = np.fft.rfftfreq(n, 1 / n)[None, :]
    r = np.hypot(kx, ky) / n
    return ((r >= F_LO) & (r <= F_HI)).astype(np.float64)


@lru_cache(maxsize=4)
def _keyed(key: int) -> np.ndarray:
    """Orthonormal band-limited tiles (1 + N_BITS + N_NOISE, TILE, TILE): row 0 is the sync
    pattern, then one per coded bit, then the noise yardsticks. The sync pattern has
    frequencies of its own (a keyed third of the band), so the bits add nothing to its
    correlation at any shift, and the peak that finds a crop's offset stands clear."""
    seed = [int(key) & 0xFFFFFFFF, (int(key) >> 32) & 0xFFFFFFFF, 0x711E]
    rng = np.random.default_rng(seed)
    band = _band()
    pick = rng.random(band.shape)
    pick[:, 0] = np.minimum(pick[:, 0], pick[(-np.arange(TILE)) % TILE, 0])  # conjugate pairs
    own = band * (pick < SYNC_BINS)
    sync = sfft.irfft2(own * np.exp(2j * np.pi * rng.random(band.shape)), s=(TILE, TILE))
    n = N_BITS + N_NOISE
    w = rng.standard_normal((n, TILE, TILE))
    c = sfft.irfft2(sfft.rfft2(w) * (band - own), s=(TILE, TILE)).reshape(n, -1)
    q, _ = np.linalg.qr(c.T)                      # orthonormal, still inside their bins
    tiles = np.concatenate([(sync / np.linalg.norm(sync)).reshape(1, -1), q.T])
    tiles = np.ascontiguousarray(tiles.reshape(1 + n, TILE, TILE), dtype=np.float64)
    tiles.setflags(write=False)
    return tiles


def _coded_bits(payload: bytes) -> np.ndarray:
    crc = zlib.crc32(payload) ^ _CRC_XOR
    data = payload + crc.to_bytes(4, "big")
    return np.unpackbits(np.frombuffer(data, np.uint8)).astype(np.int8)


def _check(bits: np.ndarray) -> bytes | None:
    data = np.packbits(bits.astype(np.uint8)).tobytes()
    payload, crc = data[:8], int.from_bytes(data[8:12], "big")
    return payload if (zlib.crc32(payload) ^ _CRC_XOR) == crc else None


FLAT_LEVEL = 0.14           # mask level on smooth/flat areas (texture -> 1.0); more mottles
FLAT_CAP, TEX_CAP = 2.2, 10.0   # soft limit of |change| (grey levels) on flat / textured areas


def _mask(rgb: np.ndarray, flat_level: float = FLAT_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Perceptual mask in [0, 1] and amplitude cap (grey levels) at full resolution.

    Renders are mostly smooth, so the watermark is spread thinly over the whole frame
    (flat_level) and boosted in textured areas (hair, fabric); texture is measured at the
    reference scale (the mask is smooth, and full resolution would cost a second). Thin edge
    lines do not count as texture (grey opening), so the silhouette gets no halo. The mask
    fades to 0 within ~12 levels of 0/255 at full resolution (a white backdrop cannot clip)."""
    h, w = rgb.shape[:2]
    y = _reference(_luma(rgb))
    hp = y - ndi.gaussian_filter(y, 0.5)
    act = np.sqrt(ndi.gaussian_filter(hp * hp, 1.0))
    act = ndi.grey_opening(act, size=5)
    tex = np.clip((act - 0.8) / 3.0, 0.0, 1.0)
    tex = _resize_f(ndi.gaussian_filter(tex, 1.5), (w, h), _RS.BILINEAR)
    m = flat_level + (1.0 - flat_level) * tex
    cap = FLAT_CAP + (TEX_CAP - FLAT_CAP) * tex
    hi = ndi.maximum_filter(rgb.max(axis=2), size=3)
    lo = ndi.minimum_filter(rgb.min(axis=2), size=3)
    g = np.clip((254.0 - hi) / 12.0, 0, 1) * np.clip((lo - 1.0) / 12.0, 0, 1)
    g = ndi.gaussian_filter(g, 2.0 * min(h, w) / 1024.0)
    g *= (rgb.min(axis=2) < 254) & (rgb.max(axis=2) > 1)   # the blur must not reach pure white
    return (m * g).astype(np.float32), cap.astype(np.float32)


# ----------------------------------------------------------------------------- reading
def _prefilter(y: np.ndarray) -> np.ndarray:
    """Reference-scale luma to the detector's input: high-passed (the picture's broad shapes
    are the largest noise) and divided by the local activity, clipped, so that strong edges
    (a silhouette, a pasted logo, a patch's border) weigh no more than a smooth backdrop."""
    hp = y - ndi.gaussian_filter(y, 6.0)
    e = np.sqrt(ndi.gaussian_filter(hp * hp, 6.0))
    return np.clip(hp / (e + FLOOR), -2.5, 2.5).astype(np.float32)


def _fold(w: np.ndarray, period: float) -> np.ndarray:
    """Sum of all tiles of ``w`` for a tile of ``period`` reference pixels (resampled to TILE)."""
    r = TILE / period
    h, wd = w.shape
    nw, nh = -(-int(np.ceil(wd * r)) // TILE) * TILE, -(-int(np.ceil(h * r)) // TILE) * TILE
    img = Image.fromarray(w, "F").transform((nw, nh), Image.Transform.AFFINE,
                                            (1 / r, 0, 0, 0, 1 / r, 0), _RS.BILINEAR)
    a = np.asarray(img, dtype=np.float64)
    f = a.reshape(nh // TILE, TILE, nw // TILE, TILE).sum(axis=(0, 2))
    return f - f.mean()


def _sync(fold: np.ndarray, sync: np.ndarray) -> tuple[float, float]:
    """The circular shift (dy, dx) of the fold that best matches the sync pattern: a crop's
    offset within the tile, to a fraction of a pixel (parabolic peak interpolation)."""
    cc = sfft.irfft2(sfft.rfft2(fold) * np.conj(sfft.rfft2(sync)), s=fold.shape)
    k = np.unravel_index(int(np.argmax(cc)), cc.shape)

    def sub(axis: int) -> float:
        i = list(k)
        vals = []
        for d in (-1, 0, 1):
            i[axis] = (k[axis] + d) % TILE
            vals.append(cc[tuple(i)])
        den = vals[0] - 2 * vals[1] + vals[2]
        return float(k[axis] + (0.5 * (vals[0] - vals[2]) / den if den < 0 else 0.0))

    return sub(0), sub(1)


def _project(fold: np.ndarray, tiles: np.ndarray) -> tuple[np.ndarray, float]:
    """(projections of the fold aligned by the sync peak in noise sds, the offset found).
    The noise sd comes from the yardstick patterns, which nothing was embedded on."""
    off = _sync(fold, tiles[0])
    proj = tiles.reshape(len(tiles), -1) @ _shift(fold, *off).ravel()
    sd = float(np.sqrt(np.mean(proj[1 + N_BITS:] ** 2))) + 1e-12
    return proj / sd, off


def _shift(fold: np.ndarray, dy: float, dx: float) -> np.ndarray:
    """fold(x + d): the fold moved so that its tile starts at the origin (Fourier shift)."""
    ky = np.fft.fftfreq(TILE)[:, None]
    kx = np.fft.rfftfreq(TILE)[None, :]
    ph = np.exp(2j * np.pi * (ky * dy + kx * dx))
    return sfft.irfft2(sfft.rfft2(fold) * ph, s=fold.shape)


def _periods(w: np.ndarray, n: int = 3) -> list[float]:
    """Candidate tile periods (reference px) from the autocorrelation of the detector input:
    the repeated tile makes peaks on a square lattice of lags; the best lattice spacings."""
    h, wd = w.shape
    lag = int(3 * P_MAX) + 2
    sh, sw = sfft.next_fast_len(h + lag), sfft.next_fast_len(wd + lag)
    a = sfft.irfft2(np.abs(sfft.rfft2(w, s=(sh, sw))) ** 2, s=(sh, sw))
    a /= a[0, 0] + 1e-12
    pts = np.array([(i, j) for i in range(-3, 4) for j in range(0, 4)
                    if (j > 0 or i > 0) and i * i + j * j <= 10], dtype=np.float64)
    ps = np.arange(P_MIN, P_MAX, 0.1)
    yy = (pts[:, 0][None, :] * ps[:, None]) % sh
    xx = (pts[:, 1][None, :] * ps[:, None]) % sw
    # each lag's estimate is unbiased by its overlap: fewer pixels pair up at long lags
    vals = ndi.map_coordinates(a, [yy.ravel(), xx.ravel()], order=1, mode="grid-wrap")
    ov = (h - np.abs(pts[:, 0] * ps[:, None])) * (wd - np.abs(pts[:, 1] * ps[:, None]))
    s = (vals.reshape(yy.shape) * (h * wd) / np.maximum(ov, 0.1 * h * wd)).sum(axis=1)
    peaks = [i for i in range(1, len(s) - 1) if s[i] >= s[i - 1] and s[i] >= s[i + 1]]
    best = sorted(peaks, key=lambda i: -s[i])[:n]
    return [float(ps[i]) for i in best]


def _locate(w: np.ndarray, tiles: np.ndarray) -> tuple[float, np.ndarray, tuple[float, float]]:
    """(period, projections, offset) of the tile in the detector input ``w``: the
    autocorrelation's candidate periods and their halves, each refined by folding on finer
    grids of periods, the reference period kept if nothing beats it."""
    best = (float(TILE), *_project(_fold(w, TILE), tiles))
    cands: list[float] = []
    for q in (r for p in _periods(w) for r in (p, p / 2) if r >= P_MIN):
        if all(abs(q - c) > 0.5 for c in cands):
            cands.append(q)
    for p in cands:                           # the autocorrelation is good to ~0.1 px
        best = max(best, _scan(w, tiles, p, 0.3, 0.1), key=lambda b: b[1][0])
    return max(best, _scan(w, tiles, best[0], 0.06, 0.02), key=lambda b: b[1][0])


def _scan(w: np.ndarray, tiles: np.ndarray, p0: float, span: float, step: float
          ) -> tuple[float, np.ndarray, tuple[float, float]]:
    """The best (period, projections, offset) over periods p0 ± span, by the sync's."""
    found = [(float(p), *_project(_fold(w, float(p)), tiles))
             for p in np.arange(p0 - span, p0 + span + step / 2, step)]
    return max(found, key=lambda b: b[1][0])


def _input(image: Image.Image) -> np.ndarray:
    return _prefilter(_reference(_luma(_to_rgb_array(image))))


def _read(w: np.ndarray, key: int, search: bool) -> dict[str, Any]:
    """Geometry, sync z and the bits' soft values (in noise sds) found in the detector input
    ``w``: at the reference period (an uncropped copy at any size), or searched for."""
    tiles = _keyed(key)
    if search:
        period, proj, off = _locate(w, tiles)
    else:
        period, (proj, off) = float(TILE), _project(_fold(w, TILE), tiles)
    return dict(period=period, offset=off, sync=float(proj[0]), soft=proj[1:1 + N_BITS])


# ----------------------------------------------------------------------------- embed
def _pattern(coef: np.ndarray, tiles: np.ndarray, w: int, h: int) -> np.ndarray:
    """The tile of coefficients ``coef`` repeated over a w×h image at the reference scale."""
    tile = np.tensordot(coef, tiles, axes=1).astype(np.float32)
    rw, rh = _ref_size(w, h)
    rep = np.tile(tile, (-(-rh // TILE), -(-rw // TILE)))[:rh, :rw]
    return rep if (rw, rh) == (w, h) else _resize_f(rep, (w, h), _RS.BICUBIC)


def embed(image: Image.Image, payload: bytes, key: int = KEY, strength: float = 1.0
          ) -> Image.Image:
    """Return a watermarked RGB copy of ``image`` carrying the 8-byte ``payload``.

    ``strength`` scales the pattern (1.0 ~ 45 dB PSNR on renders). No closed loop: tried,
    re-strengthening weak bits drove the soft limit into distortion that hid the sync."""
    if len(payload) != PAYLOAD_BYTES:
        raise InvalidInputError(f"a watermark carries exactly {PAYLOAD_BYTES} bytes, "
                                f"not {len(payload)}")
    rgb = _to_rgb_array(image)
    h, w = rgb.shape[:2]
    tiles = _keyed(key)
    signs = _coded_bits(payload).astype(np.float64) * 2 - 1
    # orthonormal patterns: the coefficients' norm over TILE is the tile's RMS
    # a small picture's pattern is finer in its pixels (less visible) and must outlast a
    # halving and JPEG: up to SMALL_BOOST x more amplitude below 1024 px on the short side
    boost = float(np.clip(2 * REF_SHORT / min(w, h), 1.0, SMALL_BOOST))
    base = AMPLITUDE * strength * boost * TILE / np.sqrt(N_BITS + SYNC_WEIGHT ** 2)
    coef = np.concatenate([[SYNC_WEIGHT * base], signs * base, np.zeros(N_NOISE)])
    mask, cap = _mask(rgb)
    d = _pattern(coef, tiles, w, h) * mask
    d = cap * np.tanh(d / cap)                              # soft amplitude limit
    rms = float(np.sqrt(np.mean(d * d)))
    if rms > MAX_RMS:                       # busy pictures mask more, but PSNR stays >= 40 dB
        d *= MAX_RMS / rms
    return Image.fromarray(np.clip(np.rint(rgb + d[..., None]), 0, 255).astype(np.uint8), "RGB")


# ----------------------------------------------------------------------------- decode
def _decode_bits(soft: np.ndarray, chase: int = 10, max_flips: int = 2
                 ) -> tuple[bytes | None, np.ndarray, int]:
    bits = (soft > 0).astype(np.int8)
    payload = _check(bits)
    if payload is not None:
        return payload, bits, 0
    weak = np.argsort(np.abs(soft))[:chase]
    for k in range(1, max_flips + 1):
        for idx in itertools.combinations(weak, k):
            b = bits.copy()
            b[list(idx)] ^= 1
            payload = _check(b)
            if payload is not None:
                return payload, b, k
    return None, bits, -1


def decode_details(image: Image.Image, key: int = KEY, search: bool = True,
                   strength: float = 1.0) -> dict[str, Any]:
    """Everything the reader found: ``payload`` (or None), ``bits``, ``reliability`` (each
    bit's |soft value| in noise sds), ``flips`` (bits the CRC search corrected), ``sync``
    (the fold's sync z-score), ``period`` and ``offset`` (the tile found), ``crc_ok``.
    ``strength`` is accepted for compatibility: reading does not depend on it."""
    del strength
    w = _input(image)
    for look in (False, True) if search else (False,):
        info = _read(w, key, look)
        payload, bits, flips = (_decode_bits(info["soft"]) if info["sync"] >= SYNC_MIN
                                else (None, (info["soft"] > 0).astype(np.int8), -1))
        if payload is not None:
            break
    info.update(payload=payload, bits=bits, flips=flips, crc_ok=payload is not None,
                reliability=np.abs(info["soft"]),
                registration=(info["period"], *info["offset"]))
    info["confidence"] = float(np.mean(np.tanh(np.abs(info["soft"]) / 3))) if payload else 0.0
    return info


def decode(image: Image.Image, key: int = KEY, strength: float = 1.0,
           search: bool = True) -> bytes | None:
    """The payload hidden in `image` with `key`, or None if there is none (its CRC-32 must
    check after a sync peak: under 1e-8 false finds per decode). `search=False` assumes an
    uncropped copy at any size (~0.1 s instead of ~0.3 s when nothing is found at once)."""
    d = decode_details(image, key, search=search, strength=strength)
    return d["payload"] if d["crc_ok"] else None


def _agreement(soft: np.ndarray, payload: bytes) -> float:
    want = _coded_bits(payload).astype(np.float64) * 2 - 1
    t = np.tanh(soft / 2)                    # a bit read at 2 noise sds counts ~3/4
    return float(np.sum(t * want) / (np.sum(np.abs(t)) + 1e-12))


def score(image: Image.Image, payload: bytes, key: int = KEY, strength: float = 1.0) -> float:
    """Agreement of the bits read with ``payload``'s, weighted by their reliability, in
    [-1, 1]: ~1 for an image marked with (key, payload), ~N(0, 0.1) otherwise."""
    return _agreement(decode_details(image, key, strength=strength)["soft"], payload)


def detect(image: Image.Image, payload: bytes | None = None, key: int = KEY,
           threshold: float = DETECT_THRESHOLD, strength: float = 1.0) -> bool:
    """True if the image carries a watermark for ``key`` (and ``payload`` if given).

    Without a payload, a CRC-32-valid payload must be found; with one, it must be found or
    the bits read must agree with it (``score`` at least ``threshold``)."""
    d = decode_details(image, key, strength=strength)
    if payload is None or d["payload"] == payload:
        return d["crc_ok"]
    return _agreement(d["soft"], payload) >= threshold
