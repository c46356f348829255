"""Cameras: where a camera stands and how it frames the subject, shared by the preview
rasteriser and the photoreal renderer so that both frame a shot the same way.

Conventions (``docs/architecture.md``): metres, right-handed, Z up, front = −Y, the clone's
left = +X. A camera always aims at the centre of the box it frames and stands just far enough away
that every corner of the box is inside the image with the camera's margin to spare (safe framing: no
feet, head or hands cut).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import NDArray

from dressform.errors import InvalidInputError, UnknownNameError

Projection = Literal["perspective", "orthographic"]

#: Camera azimuth for each named view, in degrees about +Z. 0 = in front of the clone (camera on
#: −Y looking towards +Y); positive turns the camera towards the clone's left (+X).
#: "side" looks at the clone's left side (camera on +X), so the clone faces the image's left;
#: "three-quarter" is 35° round towards the clone's left from the front.
VIEW_AZIMUTH_DEG: dict[str, float] = {
    "front": 0.0,
    "three-quarter": 35.0,
    "side": 90.0,
    "back": 180.0,
}

#: Full-frame sensor: the image's longer side maps to 36 mm (so 85 mm is a portrait lens).
SENSOR_LONG_SIDE_MM = 36.0

@dataclass(frozen=True)
class Camera:
    """Where the preview camera stands and how it frames the scene.

    The camera always aims at the centre of the framed box (the meshes' bounding box unless
    `frame_min`/`frame_max` are given) and stands far enough away that every corner of that box
    lies inside the image with `margin` to spare, so nothing (feet, head, hands) is cut.

    Attributes:
        azimuth_deg: rotation about +Z; 0 = in front (camera on −Y looking towards +Y),
            90 = on the clone's left (+X), 180 = behind.
        elevation_deg: positive raises the camera and looks down, in (−89, 89).
        projection: "perspective" (a lens of `focal_length_mm` on a full-frame sensor, the
            image's longer side = 36 mm) or "orthographic" (no perspective at all).
        focal_length_mm: 85 mm by default — a portrait lens with little distortion.
        margin: free border on every side, as a fraction of the image's width/height, in [0, 0.4).
        frame_min, frame_max: optional (x, y, z) box to frame instead of the meshes' bounds;
            fix it to keep the same framing over a turntable or a set of looks.
    """

    azimuth_deg: float = 0.0
    elevation_deg: float = 0.0
    projection: Projection = "perspective"
    focal_length_mm: float = 85.0
    margin: float = 0.05
    frame_min: tuple[float, float, float] | None = None
    frame_max: tuple[float, float, float] | None = None

    @classmethod
    def for_view(cls, view: str, **kwargs: Any) -> Camera:
        """The camera for a named view ("front", "back", "side", "three-quarter")."""
        if view not in VIEW_AZIMUTH_DEG:
            raise UnknownNameError(
                f"unknown view {view!r}; use one of {', '.join(VIEW_AZIMUTH_DEG)}"
            )
        return cls(azimuth_deg=VIEW_AZIMUTH_DEG[view], **kwargs)

    def validate(self) -> None:
        """Raise `InvalidInputError` if a field is out of range."""
        if self.projection not in get_args(Projection):
            raise InvalidInputError(
                f"projection must be 'perspective' or 'orthographic', not {self.projection!r}"
            )
        if not math.isfinite(self.azimuth_deg):
            raise InvalidInputError("camera azimuth_deg must be a finite number of degrees")
        if not (math.isfinite(self.elevation_deg) and -89.0 < self.elevation_deg < 89.0):
            raise InvalidInputError(
                f"camera elevation_deg must be in (−89, 89) degrees, not {self.elevation_deg}"
            )
        if not (math.isfinite(self.focal_length_mm) and 5.0 <= self.focal_length_mm <= 2000.0):
            raise InvalidInputError(
                f"focal_length_mm must be in [5, 2000] mm, not {self.focal_length_mm}"
            )
        if not (math.isfinite(self.margin) and 0.0 <= self.margin < 0.4):
            raise InvalidInputError(f"camera margin must be in [0, 0.4), not {self.margin}")
        if (self.frame_min is None) != (self.frame_max is None):
            raise InvalidInputError("give both frame_min and frame_max, or neither")
        if self.frame_min is not None and self.frame_max is not None:
            lo, hi = np.asarray(self.frame_min, float), np.asarray(self.frame_max, float)
            if lo.shape != (3,) or hi.shape != (3,) or not np.all(np.isfinite(lo + hi)):
                raise InvalidInputError("frame_min and frame_max must be finite (x, y, z) points")
            if np.any(hi < lo):
                raise InvalidInputError("frame_max must be ≥ frame_min on every axis")



@dataclass(frozen=True)
class Placement:
    """A camera placed for one box and image shape. `right`, `up`, `back` are unit vectors
    (`back` points from the subject to the camera); `half_width`/`half_height` are the
    image's half-extents: tangents of the half-angles for a perspective camera, metres for an
    orthographic one; `near`/`far` bound the framed box's depth."""

    eye: NDArray[np.float64]
    right: NDArray[np.float64]
    up: NDArray[np.float64]
    back: NDArray[np.float64]
    distance: float
    half_width: float
    half_height: float
    near: float
    far: float
    orthographic: bool

    @property
    def rotation(self) -> NDArray[np.float64]:
        """Camera-to-world rotation (columns: right, up, back), the camera looking down its
        own −Z with +Y up, as Blender and OpenGL cameras do."""
        return np.stack([self.right, self.up, self.back], axis=1)


def camera_basis(camera: Camera) -> tuple[NDArray[np.float64], ...]:
    """(right, up, back) unit vectors in world space; `back` points from subject to camera."""
    az, el = math.radians(camera.azimuth_deg), math.radians(camera.elevation_deg)
    # azimuth 0: camera on −Y; positive azimuth moves it towards +X.
    back = np.array([math.sin(az) * math.cos(el), -math.cos(az) * math.cos(el), math.sin(el)])
    world_up = np.array([0.0, 0.0, 1.0])
    right = np.cross(world_up, back)
    right /= np.linalg.norm(right)
    up = np.cross(back, right)
    return right, up, back


def place_camera(camera: Camera, lo: NDArray[np.float64], hi: NDArray[np.float64],
                 aspect: float) -> Placement:
    """`camera` placed to frame the box [lo, hi] in an image of width/height `aspect`."""
    right, up, back = camera_basis(camera)
    lo, hi = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    center = 0.5 * (lo + hi)
    corners = np.array(
        [[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]
    ) - center
    cx, cy, cz = corners @ right, corners @ up, corners @ back  # camera-space offsets
    # Usable half-extents of the frame in normalised units (1 = image edge).
    keep = 1.0 - 2.0 * camera.margin
    extent = max(float(np.max(np.linalg.norm(corners, axis=1))), 1e-3)
    if camera.projection == "orthographic":
        half_h = max(np.max(np.abs(cy)) / keep, np.max(np.abs(cx)) / (keep * aspect), 1e-3)
        half_w = half_h * aspect
        distance = 2.0 * extent + 1.0
        near, far = max(distance - extent * 1.5, 1e-3), distance + extent * 1.5
    else:
        long_side_tan = (SENSOR_LONG_SIDE_MM / 2.0) / camera.focal_length_mm
        if aspect >= 1.0:  # landscape: the width is the long side
            half_w, half_h = long_side_tan, long_side_tan / aspect
        else:
            half_h, half_w = long_side_tan, long_side_tan * aspect
        # Each corner at depth (d - cz) must satisfy |cx| ≤ keep·tan_x·(d - cz) (and same for y).
        distance = float(
            np.max(
                np.maximum(np.abs(cx) / (keep * half_w) + cz, np.abs(cy) / (keep * half_h) + cz)
            )
        )
        distance = max(distance, float(np.max(cz)) + 1e-3 + 0.05 * extent)
        near = max(distance - float(np.max(cz)) - 0.05 * extent, 1e-3)
        far = distance - float(np.min(cz)) + 0.05 * extent
    return Placement(center + back * distance, right, up, back, distance, float(half_w),
                     float(half_h), near, far, camera.projection == "orthographic")
