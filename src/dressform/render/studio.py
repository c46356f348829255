"""Studio presets for photoreal shots: backdrops, light rigs, cameras and quality.

Everything is given relative to the camera's direction (azimuth), so a light rig lights every
view alike and the cyclorama always stands behind the subject as seen from the camera. Light
powers are Cycles watts for area lights, tuned by rendering: an e-commerce still puts a white
cyclorama evenly at white (L* about 97, washed by its own light), and the lightest skin bright
but clipped nowhere (`benchmarks/realism.py` measures both).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dressform.errors import InvalidInputError, UnknownNameError
from dressform.names import suggest
from dressform.render.camera import Camera
from dressform.render.looks import RGB


@dataclass(frozen=True)
class Light:
    """An area light: where it is, relative to the camera's direction (azimuth 0 = on the
    camera's side of the subject, positive = round to the camera's left), how high (m), how
    far from the subject (m), its size (m, square) and power (W), and its colour."""

    azimuth_deg: float
    height_m: float
    distance_m: float
    size_m: float
    power_w: float
    color: RGB = (1.0, 1.0, 1.0)
    aim_height_m: float = 1.1


@dataclass(frozen=True)
class LightRig:
    name: str
    description: str
    lights: tuple[Light, ...]
    #: Uniform world light (an ambient bounce of the studio), linear strength.
    ambient: float = 0.05
    #: A studio room (Blender's CC0 studio HDRI) seen in glossy reflections only, at this
    #: strength: eyes, leather and satin reflect a room rather than an even grey.
    reflections: float = 0.0
    #: A wash on the cyclorama's wall (W): one broad light between the subject and the wall,
    #: lighting the backdrop only (light linking), as a photographer lights a cove apart from
    #: the model so that it reads even and at the level the look wants. 0: no wash.
    backdrop_w: float = 0.0
    #: Procedural sky (Blender's sky texture with a sun) instead of studio lights' ambient.
    sky: bool = False
    #: Sun elevation and its azimuth relative to the camera, for a sky rig.
    sun_elevation_deg: float = 35.0
    sun_azimuth_deg: float = 50.0
    #: Strength of the sky, and of the sun lamp (W/m²), for a sky rig.
    sky_strength: float = 0.3
    sun_strength: float = 3.0
    #: Exposure (EV) and Blender view transform the image is developed with.
    exposure: float = 0.0
    #: Khronos PBR Neutral keeps a base colour's hue and saturation on screen (AgX washes
    #: bright skin and fabric out towards white), which e-commerce colour needs.
    view: str = "Khronos PBR Neutral"
    #: The world hidden from mirror (glossy) reflections, as a colour instrument's gloss trap
    #: excludes the specular: lit surfaces show their albedo, not the white room's image.
    gloss_trap: bool = False


LIGHTS: dict[str, LightRig] = {r.name: r for r in (
    LightRig("high-key", "e-commerce high-key: broad soft front light, white cyclorama lit "
             "to near white, shallow shadows",
             (Light(30.0, 2.4, 3.0, 2.5, 900.0), Light(-30.0, 2.0, 3.0, 2.5, 600.0),
              Light(180.0, 3.0, 3.5, 3.0, 1000.0)), ambient=0.5, exposure=-2.7,
             reflections=0.5, backdrop_w=1200.0),
    LightRig("editorial", "soft editorial: a large key high on the camera's left, a weak "
             "fill on its right, a rim light from behind, a pale grey cyclorama",
             (Light(45.0, 2.6, 2.8, 1.5, 240.0, (1.0, 0.97, 0.92)),
              Light(-50.0, 1.6, 3.0, 2.0, 60.0, (0.92, 0.95, 1.0)),
              Light(-150.0, 2.4, 2.5, 0.8, 200.0)), ambient=0.06, exposure=-0.5,
             reflections=0.15, backdrop_w=50.0),
    LightRig("dramatic", "dramatic: one hard key from the side, a rim behind, deep shadows",
             (Light(80.0, 2.5, 2.6, 0.5, 420.0, (1.0, 0.93, 0.85)),
              Light(-140.0, 2.2, 2.4, 0.4, 260.0, (0.85, 0.9, 1.0))), ambient=0.01,
             exposure=-0.3, reflections=0.03),
    LightRig("neutral", "neutral light box: an even white world and no lamps, developed "
             "with the Standard view, so that lit skin and cloth show their own colour",
             (), ambient=1.0, view="Standard"),
    LightRig("colour-check", "the neutral light box with its mirror reflections trapped, "
             "as a colour instrument measures cloth (specular excluded)", (), ambient=1.0,
             view="Standard", gloss_trap=True),
    LightRig("outdoor", "outdoor daylight: Blender's procedural sky with a sun",
             (), ambient=0.0, sky=True, sky_strength=0.12, sun_strength=4.5, exposure=-0.3),
)}


@dataclass(frozen=True)
class Backdrop:
    name: str
    color: RGB
    #: A curved studio cyclorama behind the subject; False leaves only a floor (outdoors).
    wall: bool = True


BACKDROPS: dict[str, Backdrop] = {b.name: b for b in (
    Backdrop("white", (0.92, 0.92, 0.92)),
    Backdrop("light-grey", (0.62, 0.62, 0.63)),
    Backdrop("warm-beige", (0.80, 0.70, 0.58)),
    Backdrop("charcoal", (0.10, 0.10, 0.11)),
    Backdrop("sage", (0.55, 0.62, 0.52)),
    Backdrop("pavement", (0.35, 0.34, 0.33), wall=False),
)}


@dataclass(frozen=True)
class CameraPreset:
    """A named camera: its view, lens and what it frames ("full" body or a "portrait": the
    top `depth_m` of the subject round the head — head and shoulders, or the face)."""

    name: str
    azimuth_deg: float
    focal_length_mm: float
    frame: str = "full"
    elevation_deg: float = 2.0
    margin: float = 0.05
    depth_m: float = 0.4

    def camera(self) -> Camera:
        return Camera(azimuth_deg=self.azimuth_deg, elevation_deg=self.elevation_deg,
                      focal_length_mm=self.focal_length_mm, margin=self.margin)


CAMERAS: dict[str, CameraPreset] = {c.name: c for c in (
    CameraPreset("front", 0.0, 50.0),
    CameraPreset("three-quarter", 35.0, 50.0),
    CameraPreset("side", 90.0, 50.0),
    CameraPreset("back", 180.0, 50.0),
    CameraPreset("portrait", 15.0, 85.0, frame="portrait", elevation_deg=0.0, margin=0.08),
    CameraPreset("85mm", 0.0, 85.0),
    CameraPreset("close-up", 10.0, 105.0, frame="portrait", elevation_deg=0.0, margin=0.06,
                 depth_m=0.27),
)}


@dataclass(frozen=True)
class Quality:
    """Resolution and sampling: samples are the most per pixel (adaptive sampling stops
    earlier where the noise is already below `noise_threshold`), then denoised."""

    name: str
    width: int
    height: int
    samples: int
    noise_threshold: float
    denoise: bool = True
    max_bounces: int = 4
    #: Hair drawn as camera-facing ribbons (fast) or round tubes (exact, for references).
    hair_ribbons: bool = True
    #: Skin's subsurface scattering: "BURLEY" (a diffusion profile, fast) or "RANDOM_WALK"
    #: (traced through the volume, exact, slow).
    subsurface: str = "BURLEY"
    #: OpenImageDenoise's quality: "HIGH", "BALANCED" or "FAST" (on two cores, HIGH at
    #: 1024×1536 takes longer than the sampling).
    denoise_quality: str = "BALANCED"


#: OpenImageDenoise's qualities, and no denoising.
DENOISERS: tuple[str, ...] = ("HIGH", "BALANCED", "FAST", "OFF")

QUALITY: dict[str, Quality] = {q.name: q for q in (
    Quality("draft", 256, 384, 4, 0.1, max_bounces=2, denoise_quality="FAST"),
    Quality("preview", 512, 768, 8, 0.05, max_bounces=3, denoise_quality="FAST"),
    # Chosen against a 256-sample reference (BENCHMARKS.md, "realism: samples and
    # denoising"): 8 samples denoised HIGH keep 0.73 of the hair's fine detail where 4
    # denoised FAST keep 0.58 (the smeared, watercolour hair), at 1.9× the time; skin is
    # within 1.5 ΔE of the reference either way.
    Quality("campaign", 1024, 1536, 8, 0.05, max_bounces=3, denoise_quality="HIGH"),
    Quality("print", 2048, 3072, 16, 0.03, denoise_quality="HIGH"),
    Quality("reference", 1024, 1536, 128, 0.0, max_bounces=8, denoise_quality="HIGH",
            hair_ribbons=False, subsurface="RANDOM_WALK"),
)}


@dataclass(frozen=True)
class Studio:
    """The whole set for a shot."""

    light: str = "editorial"
    backdrop: str = "white"
    camera: str = "front"
    quality: str = "campaign"
    seed: int = 0
    #: Leave the backdrop out and write alpha (a cut-out of the subject).
    transparent: bool = False
    width: int | None = None
    height: int | None = None
    #: The quality's samples per pixel and denoiser ("HIGH", "BALANCED", "FAST" or "OFF"),
    #: overridden (for trade-off measurements; None: the quality's own).
    samples: int | None = None
    denoiser: str | None = None
    #: A product detail (a hem, a seam, a band): the camera frames a square `detail_m` wide
    #: round this point (metres, where the subject stands) instead of its preset's framing.
    detail_at: tuple[float, float, float] | None = None
    detail_m: float = 0.15

    def __post_init__(self) -> None:
        for what, table, value in (("light", LIGHTS, self.light),
                                   ("backdrop", BACKDROPS, self.backdrop),
                                   ("camera", CAMERAS, self.camera),
                                   ("quality", QUALITY, self.quality)):
            if value not in table:
                raise UnknownNameError(f"unknown {what} {value!r}{suggest(value, table)} "
                                       f"({what}s: {', '.join(table)})")
        if not 0.01 <= self.detail_m <= 2.0:
            raise InvalidInputError(f"a detail is 0.01–2 m wide, not {self.detail_m} m")
        if self.samples is not None and not 1 <= self.samples <= 4096:
            raise InvalidInputError(f"samples per pixel are 1–4096, not {self.samples}")
        if self.denoiser is not None and self.denoiser not in DENOISERS:
            raise UnknownNameError(f"unknown denoiser {self.denoiser!r}"
                                   f"{suggest(self.denoiser, DENOISERS)} "
                                   f"(denoisers: {', '.join(DENOISERS)})")

    @property
    def sampling(self) -> Quality:
        """The quality preset with this studio's overrides of samples and denoiser."""
        q = QUALITY[self.quality]
        if self.samples is not None:
            q = replace(q, samples=self.samples)
        if self.denoiser is not None:
            q = replace(q, denoise=self.denoiser != "OFF",
                        denoise_quality=q.denoise_quality if self.denoiser == "OFF"
                        else self.denoiser)
        return q

    @property
    def size(self) -> tuple[int, int]:
        q = QUALITY[self.quality]
        return (self.width or q.width, self.height or q.height)


#: A portrait frames the head, neck and shoulders to the upper chest: the top of the subject
#: this deep, and this far either side of the head's centre (wider things, arms and the
#: shoulders' points, are left to run out of the frame).
PORTRAIT_HALF_WIDTH_M = 0.12


def frame_box(vertices: np.ndarray, preset: CameraPreset, studio: Studio | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """The box a camera preset frames: the whole subject, or for a portrait its top
    `preset.depth_m`, no wider than `PORTRAIT_HALF_WIDTH_M` round the head; or, for a
    studio's detail, the square of `studio.detail_m` round `studio.detail_at`."""
    if studio is not None and studio.detail_at is not None:
        half = np.full(3, studio.detail_m / 2.0)
        return np.asarray(studio.detail_at) - half, np.asarray(studio.detail_at) + half
    lo, hi = vertices.min(axis=0), vertices.max(axis=0)
    if preset.frame == "full":
        return lo, hi
    head = vertices[vertices[:, 2] > hi[2] - 0.1]
    centre = 0.5 * (head[:, :2].min(axis=0) + head[:, :2].max(axis=0))
    bottom = hi[2] - preset.depth_m
    near = vertices[vertices[:, 2] > bottom]
    lo_xy = np.maximum(near[:, :2].min(axis=0), centre - PORTRAIT_HALF_WIDTH_M)
    hi_xy = np.minimum(near[:, :2].max(axis=0), centre + PORTRAIT_HALF_WIDTH_M)
    return np.array([*lo_xy, bottom]), np.array([*hi_xy, hi[2]])
