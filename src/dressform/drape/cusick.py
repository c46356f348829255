"""A simulated Cusick drape test (BS 5058 / ISO 9073-9 geometry): a 30 cm disc of the fabric
held between 18 cm discs, left to hang into folds under its own weight.

The drape coefficient is the share of the unsupported ring that the hanging fabric's shadow
still covers: DC = (shadow − support) / (specimen − support); 1 for a board, near 0 for a
fabric that hangs straight down. The shadow is the fabric's projection seen from above,
rasterised at 0.5 mm.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from dressform.drape.cloth_mesh import mesh_piece
from dressform.drape.fabrics import PRESETS, FabricPhysics, fabric_preset
from dressform.drape.projective import SolverSettings, cloth_model, relax

SPECIMEN_RADIUS_M = 0.15
SUPPORT_RADIUS_M = 0.09
PIXEL_M = 0.0005


@dataclass(frozen=True)
class DrapeTest:
    fabric: str
    coefficient: float
    nodes: int
    steps: int
    at_rest: bool
    vertices: np.ndarray
    faces: np.ndarray

    @property
    def in_published_range(self) -> bool | None:
        """Whether the coefficient falls in its preset's published range (None: no range)."""
        preset = PRESETS.get(self.fabric)
        rng = None if preset is None else preset.drape_range
        return None if rng is None else rng[0] <= self.coefficient <= rng[1]


def drape_test(fabric: str | FabricPhysics, spacing_mm: float = 8.0, max_steps: int = 400,
               seed: int = 0) -> DrapeTest:
    """Simulate the Cusick test for a fabric and measure its drape coefficient.

    The specimen starts flat with sub-millimetre random ripples (`seed`): a perfectly flat,
    perfectly symmetric disc has no reason to choose where to fold, a real one always does.
    """
    physics = fabric if isinstance(fabric, FabricPhysics) else fabric_preset(fabric)
    angle = np.linspace(0.0, 2.0 * np.pi, 256, endpoint=False)
    outline = 1000.0 * SPECIMEN_RADIUS_M * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    cloth = mesh_piece(outline, spacing_mm, "specimen")
    rng = np.random.default_rng(seed)
    start = np.column_stack([cloth.uv, 0.0005 * rng.standard_normal(len(cloth.uv))])
    clamped = np.flatnonzero(np.linalg.norm(cloth.uv, axis=1) <= SUPPORT_RADIUS_M)
    start[clamped, 2] = 0.0
    # Thin fabrics swing down slowly through large angles: more iterations per step and a
    # stricter rest speed than a garment on a body needs, or the test stops while the
    # specimen is still sinking.
    settings = SolverSettings(iterations=30, rest_speed_m_s=0.005)
    model = cloth_model(cloth, physics, settings.step_s)
    result = relax(model, start, None, physics.friction, settings, max_steps, pinned=clamped)
    x = result.positions
    return DrapeTest(physics.name, drape_coefficient(x, cloth.faces),
                     count_nodes(x, np.flatnonzero(cloth.boundary)),
                     result.steps, result.at_rest, x, cloth.faces)


def shadow_area(vertices: np.ndarray, faces: np.ndarray) -> float:
    """Area (m²) the cloth covers seen from straight above."""
    size = int(np.ceil(2.2 * SPECIMEN_RADIUS_M / PIXEL_M))
    img = Image.new("1", (size, size), 0)
    draw = ImageDraw.Draw(img)
    xy = vertices[:, :2] / PIXEL_M + size / 2.0
    for tri in xy[faces]:
        draw.polygon([tuple(p) for p in tri], fill=1)
    return float(np.count_nonzero(np.asarray(img))) * PIXEL_M**2


def drape_coefficient(vertices: np.ndarray, faces: np.ndarray) -> float:
    support = np.pi * SUPPORT_RADIUS_M**2
    specimen = np.pi * SPECIMEN_RADIUS_M**2
    return (shadow_area(vertices, faces) - support) / (specimen - support)


def count_nodes(vertices: np.ndarray, hem: np.ndarray) -> int:
    """Folds round the hem: bulges of the hem's radius (seen from above) against angle,
    smoothed over 15°, that stand out past the hem's mean radius."""
    r = np.linalg.norm(vertices[hem, :2], axis=1)
    theta = np.arctan2(vertices[hem, 1], vertices[hem, 0])
    order = np.argsort(theta)
    grid = np.linspace(-np.pi, np.pi, 360, endpoint=False)
    profile = np.interp(grid, theta[order], r[order], period=2.0 * np.pi)
    kernel = np.ones(15) / 15.0
    smooth = np.real(np.fft.ifft(np.fft.fft(profile) * np.fft.fft(kernel, 360)))
    peaks = (smooth > np.roll(smooth, 1)) & (smooth >= np.roll(smooth, -1)) \
        & (smooth > smooth.mean())
    return int(peaks.sum())
