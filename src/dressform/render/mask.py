"""A render's class mask: what each pixel shows, pixel-aligned with the image.

A mask is an 8-bit PNG of one class index per pixel (0 = backdrop) beside the image, with a
JSON file naming each index: ``look.jpg`` → ``look.mask.png`` and ``look.mask.json``. A
pixel takes the class of the surface at its centre (no anti-aliasing: Cycles draws it with one
sample through the pixel's centre, the preview rasteriser without multisampling), so a class's
pixels are exactly where its surface covers pixel centres.

Classes: ``backdrop`` (the cove, the sky, nothing), ``skin:<label>`` for the body (its part,
or a region of :mod:`dressform.body.modesty`: breasts, genitals, buttocks, soles, toes),
``eyes`` (the eyeballs), ``hair``, ``garment:<name>``,
``base:<style>`` and ``shoes:<style>`` (what the clone wears whatever the look), and
``prop:<name>`` (the stool of a seated pose). The backdrop, skin, eyes and hair keep the same
index in every mask (`FIXED_CLASSES`); a scene's other classes follow in the order met.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from dressform.body.modesty import LABELS
from dressform.errors import InvalidInputError, RenderError
from dressform.files import atomic_path

if TYPE_CHECKING:
    from dressform.body.mesh import Body
    from dressform.render.photoreal import SceneMesh

BACKDROP = "backdrop"
#: A body mesh without its regions: the coverage check cannot read it, and refuses it.
UNREFINED_SKIN = "skin"
#: The classes at the same index in every mask: backdrop 0, the skin's labels, eyes, hair.
FIXED_CLASSES: tuple[str, ...] = (BACKDROP, *(f"skin:{n}" for n in LABELS), "eyes", "hair")
#: An 8-bit mask holds 256 classes.
MAX_CLASSES = 256
_CLASS = re.compile(r"^(backdrop|skin|eyes|hair|(skin|garment|base|shoes|prop):[^\s:][^\s]*)$")


@dataclass(frozen=True, eq=False)
class Mask:
    """What each pixel of an image shows: `indices` (H, W) uint8 into `classes`."""

    indices: np.ndarray
    classes: tuple[str, ...]

    def __post_init__(self) -> None:
        idx = np.asarray(self.indices)
        if idx.ndim != 2 or idx.dtype != np.uint8:
            raise InvalidInputError(f"a mask is an (H, W) uint8 array, not {idx.dtype} "
                                    f"{idx.shape}")
        if not self.classes or self.classes[0] != BACKDROP:
            raise InvalidInputError(f"a mask's class 0 is {BACKDROP!r}")
        for name in self.classes:
            check_class(name)
        if len(set(self.classes)) != len(self.classes):
            raise InvalidInputError("a mask names each class once")
        top = int(idx.max()) if idx.size else 0
        if top >= len(self.classes):
            raise InvalidInputError(f"mask index {top} names no class (the mask has "
                                    f"{len(self.classes)}: 0–{len(self.classes) - 1})")
        idx.setflags(write=False)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.indices.shape[1]), int(self.indices.shape[0])

    def counts(self) -> dict[str, int]:
        """Pixels of each class present in the mask."""
        n = np.bincount(self.indices.ravel(), minlength=len(self.classes))
        return {c: int(k) for c, k in zip(self.classes, n, strict=True) if k}

    def of(self, *names: str) -> np.ndarray:
        """(H, W) bool: pixels showing one of the classes `names` (absent names: none)."""
        ids = [self.classes.index(n) for n in names if n in self.classes]
        return np.isin(self.indices, ids)


def check_class(name: str) -> str:
    """`name` if it is a mask class name, else an `InvalidInputError` saying what is."""
    if not isinstance(name, str) or not _CLASS.match(name):
        raise InvalidInputError(
            f"{name!r} is not a mask class: use backdrop, eyes, hair, skin:<part>, "
            "garment:<name>, base:<style>, shoes:<style> or prop:<name>")
    return name


def default_class(name: str) -> str:
    """The mask class of a scene mesh called `name`: the cove is backdrop, the stool a prop,
    "base:briefs:band" its kind "base:briefs", a name with a class's prefix that class, any
    other mesh a garment; a body without regions is unrefined "skin"."""
    if name == "cyclorama":
        return BACKDROP
    if name == "stool":
        return "prop:stool"
    if name == "body":
        return UNREFINED_SKIN
    kind, _, rest = name.partition(":")
    if kind in ("base", "shoes") and rest:
        return f"{kind}:{rest.split(':')[0]}"
    if kind in ("garment", "prop", "skin") and rest:
        return check_class(name)
    return check_class(f"garment:{name.replace(' ', '-')}")


def scene_classes(meshes: Sequence[SceneMesh], hair: bool
                  ) -> tuple[tuple[str, ...], list[np.ndarray]]:
    """The class table of a scene and, for each mesh, its faces' indices into it (uint8)."""
    classes = list(FIXED_CLASSES)

    def index(name: str) -> int:
        if name not in classes:
            classes.append(check_class(name))
        return classes.index(name)

    per_face = []
    for m in meshes:
        faces = len(np.asarray(m.faces))
        if m.face_classes is not None:
            names = [check_class(n) for n in m.class_names]
            fc = np.asarray(m.face_classes)
            if fc.shape != (faces,) or not np.issubdtype(fc.dtype, np.integer) or (
                    fc.size and (fc.min() < 0 or fc.max() >= len(names))):
                raise RenderError(f"mesh {m.name!r}: face_classes must be ({faces},) indices "
                                  f"into its {len(names)} class names")
            table = np.array([index(n) for n in names] or [0])
            per_face.append(table[fc])
        else:
            per_face.append(np.full(faces, index(m.mask_class or default_class(m.name))))
    if hair:
        index("hair")
    if len(classes) > MAX_CLASSES:
        raise RenderError(f"a mask holds {MAX_CLASSES} classes; the scene has {len(classes)}")
    return tuple(classes), [p.astype(np.uint8) for p in per_face]


def body_classes(rest: Body) -> tuple[np.ndarray, tuple[str, ...]]:
    """A body's per-face classes and their names (`SceneMesh.face_classes`, `class_names`):
    its regions (:mod:`dressform.body.modesty`) and its eyeballs, found on `rest` (the
    clone at its rest pose with a neutral face; the labels then hold in any pose)."""
    from dressform.body.modesty import body_regions

    regions = body_regions(rest)
    names = (*regions.classes(), "eyes")
    faces = regions.face.copy()
    faces[eye_faces(rest)] = len(LABELS)
    return faces, names


def classed(meshes: Sequence[SceneMesh], rest: Body) -> list[SceneMesh]:
    """`meshes` with the body ("body") told apart by region (`body_classes` of `rest`, its
    clone at the rest pose) if it is not yet."""
    from dataclasses import replace

    out = []
    for m in meshes:
        if m.name == "body" and m.face_classes is None and m.mask_class is None:
            faces, names = body_classes(rest)
            m = replace(m, face_classes=faces, class_names=names)
        out.append(m)
    return out


def eye_faces(rest: Body) -> np.ndarray:
    """(F,) bool: the faces of the body's own eyeballs (hidden inside the eyes drawn in their
    place, :mod:`dressform.render.eyes`, which are of class ``eyes`` too)."""
    from dressform.render.eyes import globe_faces

    return globe_faces(rest)


def encode_colors(count: int) -> np.ndarray:
    """(count, 3) the flat colour (0–1, drawn raw) of each class in a mask render: red is
    the index, green its complement (a check that the colours came through untouched)."""
    k = np.arange(count, dtype=np.float64)
    return np.stack([k, 255.0 - k, np.zeros(count)], axis=1) / 255.0


def decode_colors(rgb: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """The (H, W) uint8 indices of a mask render drawn in `encode_colors`; a `RenderError`
    if a pixel is no class's colour (the render was filtered or colour-managed)."""
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] < 3 or rgb.dtype != np.uint8:
        raise RenderError(f"a mask render is 8-bit RGB, not {rgb.dtype} {rgb.shape}")
    r, g, b = (rgb[..., k].astype(np.int32) for k in range(3))
    bad = (g != 255 - r) | (b != 0) | (r >= len(classes))
    if bad.any():
        y, x = np.argwhere(bad)[0]
        raise RenderError(f"the mask render has {int(bad.sum())} pixels of no class (first at "
                          f"x={x}, y={y}: {tuple(int(c) for c in rgb[y, x, :3])})")
    return r.astype(np.uint8)


def mask_paths(image: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The mask files of an image: ``look.jpg`` → (``look.mask.png``, ``look.mask.json``)."""
    p = Path(image)
    stem = p.name[: -len(".mask.png")] if p.name.endswith(".mask.png") else p.stem
    return p.with_name(f"{stem}.mask.png"), p.with_name(f"{stem}.mask.json")


def write_mask(mask: Mask, image: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write `mask` beside `image` (see `mask_paths`), each file in one step. Returns both."""
    png, js = mask_paths(image)
    with atomic_path(png) as tmp:
        Image.fromarray(np.ascontiguousarray(mask.indices), mode="L").save(tmp, format="PNG")
    width, height = mask.size
    doc = {"image": Path(image).name, "width": width, "height": height,
           "classes": {str(i): name for i, name in enumerate(mask.classes)}}
    with atomic_path(js) as tmp:
        tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return png, js


def read_mask(path: str | os.PathLike[str]) -> Mask:
    """The mask of an image (its path, or its ``.mask.png``), checked: the JSON names index
    0 to n − 1 once each, the PNG is 8-bit grey of the size the JSON says, and names every
    index it holds. An `InvalidInputError` says what is wrong."""
    png, js = mask_paths(path)
    for p in (png, js):
        if not p.is_file():
            raise InvalidInputError(f"{p}: no such mask file (a render writes it with passes)")
    try:
        doc = json.loads(js.read_text(encoding="utf-8"))
        table = doc["classes"]
        keys = sorted(int(k) for k in table)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InvalidInputError(f"{js}: not a mask's class table ({exc})") from None
    if keys != list(range(len(keys))):
        raise InvalidInputError(f"{js}: classes must be numbered 0 to n − 1 without gaps")
    classes = tuple(table[str(k)] for k in keys)
    with Image.open(png) as im:
        if im.mode != "L":
            raise InvalidInputError(f"{png}: a mask is an 8-bit grey PNG, not {im.mode}")
        indices = np.asarray(im).copy()
    if (doc.get("width"), doc.get("height")) != (indices.shape[1], indices.shape[0]):
        raise InvalidInputError(f"{png} is {indices.shape[1]}×{indices.shape[0]} but {js.name} "
                                f"says {doc.get('width')}×{doc.get('height')}")
    try:
        return Mask(indices, classes)
    except InvalidInputError as exc:
        raise InvalidInputError(f"{png}: {exc}") from None


def colorize(mask: Mask) -> Image.Image:
    """A picture of `mask` to look at: backdrop white, skin in warm tones (its regions that
    must be covered in strong red, magenta and orange), everything else in cool colours."""
    strong = {"skin:breasts": (230, 20, 40), "skin:genitals": (200, 0, 200),
              "skin:buttocks": (255, 120, 0), "skin:soles": (250, 220, 0),
              "skin:toes": (180, 140, 0), "eyes": (0, 0, 0), "hair": (70, 40, 20),
              BACKDROP: (255, 255, 255)}
    rng = np.random.default_rng(7)
    table = np.zeros((256, 3), dtype=np.uint8)
    for i, name in enumerate(mask.classes):
        if name in strong:
            table[i] = strong[name]
        elif name.startswith("skin"):
            table[i] = (230, 190 - 4 * (i % 10), 160 - 6 * (i % 8))
        else:
            table[i] = (rng.integers(0, 120), rng.integers(80, 230), rng.integers(120, 255))
    return Image.fromarray(table[mask.indices], mode="RGB")


__all__ = ["BACKDROP", "FIXED_CLASSES", "MAX_CLASSES", "UNREFINED_SKIN", "Mask",
           "body_classes", "check_class", "classed", "colorize", "decode_colors", "default_class",
           "encode_colors", "eye_faces", "mask_paths", "read_mask", "scene_classes",
           "write_mask"]
