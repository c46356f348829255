"""How surfaces look in the photoreal renderer: skin by Monk Skin Tone, fabrics by type,
garment colours and prints.

These are plain records (no Blender here): the renderer's worker turns them into Principled
BSDF node trees. Values are physically based where a measurement exists (skin's subsurface
mean free paths, red longest, after Jensen et al. 2001 and Blender's own skin defaults) and
otherwise chosen by eye against reference photographs of each fabric type: cotton is matte
with a little sheen, denim a matte twill with an indigo default, silk a low-roughness
anisotropic sheen, knits a soft fibre sheen.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dressform.body.skin_optics import scattering_radius_m, tone_rgb, tone_skin
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.names import suggest

RGB = tuple[float, float, float]
PrintKind = Literal["none", "stripes", "check", "dots", "image"]


class SurfaceLook(BaseModel):
    """One material: sRGB base colour and Principled BSDF settings (0–1 unless noted)."""

    model_config = ConfigDict(frozen=True)

    name: str
    color: RGB
    roughness: float = Field(0.8, ge=0.0, le=1.0)
    sheen: float = Field(0.0, ge=0.0, le=1.0)
    sheen_roughness: float = Field(0.5, ge=0.0, le=1.0)
    anisotropic: float = Field(0.0, ge=0.0, le=1.0)
    subsurface: float = Field(0.0, ge=0.0, le=1.0)
    #: Subsurface mean free path per R, G, B channel, in metres.
    subsurface_radius_m: RGB = (0.0, 0.0, 0.0)
    specular: float = Field(0.5, ge=0.0, le=1.0)
    coat: float = Field(0.0, ge=0.0, le=1.0)
    transmission: float = Field(0.0, ge=0.0, le=1.0)
    #: Refractive index of the surface's dielectric (its reflections and what it refracts).
    ior: float = Field(1.5, ge=1.0, le=3.0)
    #: Skin's fine relief: pores and the fine lines between them, a bump of this strength
    #: (0 = smooth) on the mesh's texture space (its points at rest, metres).
    pores: float = Field(0.0, ge=0.0, le=1.0)
    #: Weave relief: a fine bump of this strength (0 = smooth) and period (metres of fabric).
    weave: float = Field(0.0, ge=0.0, le=1.0)
    weave_period_m: float = Field(0.002, gt=0.0)
    #: A print on the pattern's own coordinates (metres of flat fabric), so it runs across
    #: panels as they were cut.
    print_kind: PrintKind = "none"
    print_color: RGB = (1.0, 1.0, 1.0)
    print_period_m: float = Field(0.05, gt=0.0)
    print_image: str = ""

    @field_validator("color", "print_color")
    @classmethod
    def _in_unit_range(cls, value: RGB) -> RGB:
        if not all(0.0 <= c <= 1.0 for c in value):
            raise ValueError("colour channels must be in 0–1 (sRGB)")
        return value


def parse_color(text: str | RGB) -> RGB:
    """A colour from '#rrggbb', a name in `COLORS`, or an sRGB triple in 0–1."""
    if not isinstance(text, str):
        if len(text) != 3 or not all(0.0 <= float(c) <= 1.0 for c in text):
            raise InvalidInputError(f"a colour is three sRGB numbers in 0–1, not {text!r}")
        return (float(text[0]), float(text[1]), float(text[2]))
    key = text.strip().lower()
    if key in COLORS:
        return COLORS[key]
    if re.fullmatch(r"#?[0-9a-f]{6}", key):
        h = key.lstrip("#")
        return (int(h[0:2], 16) / 255.0, int(h[2:4], 16) / 255.0, int(h[4:6], 16) / 255.0)
    raise InvalidInputError(f"unknown colour {text!r}{suggest(key, COLORS)}: give '#rrggbb' "
                            f"or one of {', '.join(COLORS)}")


COLORS: dict[str, RGB] = {
    "white": (0.93, 0.93, 0.91), "ivory": (0.93, 0.90, 0.82), "black": (0.05, 0.05, 0.055),
    "charcoal": (0.18, 0.18, 0.19), "grey": (0.55, 0.55, 0.55), "navy": (0.09, 0.13, 0.28),
    "indigo": (0.13, 0.20, 0.38), "red": (0.70, 0.08, 0.10), "burgundy": (0.40, 0.06, 0.12),
    "emerald": (0.05, 0.45, 0.30), "olive": (0.38, 0.40, 0.20), "camel": (0.76, 0.60, 0.42),
    "blush": (0.93, 0.72, 0.70), "sky": (0.55, 0.72, 0.88), "mustard": (0.85, 0.65, 0.15),
}

#: Fabric type of each drape preset, and that type's look (colour is the garment's own).
FABRIC_LOOK: dict[str, dict[str, object]] = {
    "cotton": {"roughness": 0.85, "sheen": 0.15, "weave": 0.15, "weave_period_m": 0.0015},
    "denim": {"roughness": 0.8, "sheen": 0.05, "weave": 0.5, "weave_period_m": 0.002},
    "wool": {"roughness": 0.9, "sheen": 0.45, "sheen_roughness": 0.6, "weave": 0.2,
             "weave_period_m": 0.002},
    "silk": {"roughness": 0.28, "sheen": 0.1, "anisotropic": 0.6, "specular": 0.6},
    "chiffon": {"roughness": 0.45, "sheen": 0.2, "transmission": 0.35},
    "knit": {"roughness": 0.9, "sheen": 0.35, "sheen_roughness": 0.4, "weave": 0.25,
             "weave_period_m": 0.003},
}
FABRIC_TYPE: dict[str, str] = {
    "cotton_jersey": "knit", "cotton_poplin": "cotton", "denim": "denim",
    "wool_suiting": "wool", "silk_charmeuse": "silk", "polyester_chiffon": "chiffon",
    "stretch_knit": "knit",
}
DEFAULT_COLOR: dict[str, RGB] = {"denim": COLORS["indigo"]}


def fabric_look(fabric: str, color: str | RGB | None = None, *, name: str = "garment",
                print_kind: PrintKind = "none", print_color: str | RGB = "white",
                print_period_cm: float = 5.0, print_image: str = "") -> SurfaceLook:
    """The look of a garment in drape fabric preset `fabric` (or a fabric type: cotton,
    denim, wool, silk, chiffon, knit), in `color`, optionally printed."""
    kind = FABRIC_TYPE.get(fabric, fabric)
    if kind not in FABRIC_LOOK:
        known = [*FABRIC_TYPE, *FABRIC_LOOK]
        raise UnknownNameError(f"unknown fabric {fabric!r}{suggest(fabric, known)} "
                               f"(fabrics: {', '.join(known)})")
    if print_kind == "image" and not print_image:
        raise InvalidInputError("an image print needs the image file (print_image)")
    base = parse_color(color) if color is not None else DEFAULT_COLOR.get(kind, COLORS["white"])
    return SurfaceLook(name=name, color=base, print_kind=print_kind,
                       print_color=parse_color(print_color),
                       print_period_m=print_period_cm / 100.0, print_image=print_image,
                       **FABRIC_LOOK[kind])  # type: ignore[arg-type]


def skin_look(tone: int) -> SurfaceLook:
    """Skin of Monk Skin Tone `tone` (1–10): the albedo of that tone's skin from its melanin
    and blood (`dressform.body.skin_optics`), subsurface light scattering with red
    travelling furthest (millimetres, by the tone's own blood), a slightly rough dielectric
    sheen."""
    # Subsurface weight 0.4, not 1: at the few samples a campaign still can afford, full
    # subsurface left the denoiser blotches on pale skin; 0.4 keeps the soft red-shifted
    # falloff and renders clean (compared side by side at 8 samples).
    return SurfaceLook(name=f"skin MST-{tone}", color=tone_rgb(tone), roughness=0.5,
                       subsurface=0.4, subsurface_radius_m=scattering_radius_m(tone_skin(tone)),
                       specular=0.45, pores=0.6)


# --- eyes ---------------------------------------------------------------------------------
#: The white of the eye: warm, a little translucent, under a wet tear film (a clear coat).
SCLERA = SurfaceLook(name="eyes", color=(0.70, 0.66, 0.62), roughness=0.35, subsurface=0.3,
                     subsurface_radius_m=(0.0012, 0.0008, 0.0006), coat=1.0)
#: The cornea: clear, smooth, refractive index 1.376 (Gullstrand's schematic eye).
CORNEA = SurfaceLook(name="cornea", color=(1.0, 1.0, 1.0), roughness=0.04, transmission=1.0,
                     ior=1.376)
#: The lower lid's wet margin: smooth tear film (refractive index 1.336) over pink mucosa, so
#: it reads as a wet rim between the lashes and the white, with a thin glint.
TEAR = SurfaceLook(name="tear", color=(0.93, 0.72, 0.70), roughness=0.02, transmission=0.85,
                   ior=1.336)
#: Brow and lash hairs: dark, with a hair's soft sheen.
FACE_HAIR = SurfaceLook(name="brows and lashes", color=(0.02, 0.016, 0.014), roughness=0.55,
                        specular=0.3)


# --- base layer (underwear) ------------------------------------------------------------------
# A microfibre / cotton-knit second skin: matte with a soft fibre sheen and a fine knit
# relief; its elastic edges a little shinier, with a coarser rib. Chosen by eye against
# lingerie and fit-model product photographs.

#: The base layer's colours: "nude" is matched to the clone's own Monk Skin Tone.
BASE_COLORS: tuple[str, ...] = ("nude", "black", "white")
_BASE_RGB: dict[str, RGB] = {"black": (0.045, 0.045, 0.05), "white": (0.92, 0.92, 0.90)}
BASE_MATERIALS: dict[str, dict[str, object]] = {
    "fabric": {"roughness": 0.72, "sheen": 0.35, "sheen_roughness": 0.35, "specular": 0.4,
               "weave": 0.12, "weave_period_m": 0.0012},
    "elastic": {"roughness": 0.5, "sheen": 0.5, "sheen_roughness": 0.3, "specular": 0.5,
                "weave": 0.25, "weave_period_m": 0.002},
}


def nude_tone(tone: int) -> RGB:
    """A nude garment tone for Monk Skin Tone `tone`: near the skin, but a touch less
    saturated and yellower (no blood under it), darker on light skin and lighter on deep skin,
    so that it reads as fabric on that skin rather than as the skin itself."""
    import colorsys

    h, light, s = colorsys.rgb_to_hls(*tone_rgb(tone))
    light *= 0.9 if tone <= 5 else 1.12
    r, g, b = colorsys.hls_to_rgb(h + 0.012, min(light, 0.95), s * 0.8)
    return (min(max(r, 0.0), 1.0), min(max(g, 0.0), 1.0), min(max(b, 0.0), 1.0))


def base_look(color: str, tone: int, material: str, name: str) -> SurfaceLook:
    """The look of a base-layer piece: `color` one of `BASE_COLORS` ("nude" matched to Monk
    Skin Tone `tone`), `material` "fabric" or "elastic" (a `WearPiece`'s material).

    Raises:
        UnknownNameError: an unknown colour or material (with a suggestion).
    """
    key = color.strip().lower()
    if key not in BASE_COLORS:
        raise UnknownNameError(f"unknown base-layer colour {color!r}"
                               f"{suggest(key, BASE_COLORS)} (colours: {', '.join(BASE_COLORS)})")
    if material not in BASE_MATERIALS:
        raise UnknownNameError(f"unknown base-layer material {material!r}"
                               f"{suggest(material, BASE_MATERIALS)} "
                               f"(materials: {', '.join(BASE_MATERIALS)})")
    rgb = nude_tone(tone) if key == "nude" else _BASE_RGB[key]
    if material == "elastic" and key == "nude":
        rgb = (0.94 * rgb[0], 0.94 * rgb[1], 0.94 * rgb[2])  # the band reads as an edge
    return SurfaceLook(name=name, color=rgb, **BASE_MATERIALS[material])  # type: ignore[arg-type]


# --- shoes -------------------------------------------------------------------------------
# Footwear materials, chosen by eye against product photographs: leather a low-ish
# roughness under a thin clear coat (the finish), suede rough with a fibre sheen, canvas a
# matte weave, rubber matte, patent a mirror-like lacquer coat.

SHOE_MATERIALS: dict[str, dict[str, object]] = {
    "leather": {"roughness": 0.42, "coat": 0.25, "specular": 0.5},
    "suede": {"roughness": 0.95, "sheen": 0.6, "sheen_roughness": 0.5, "specular": 0.3,
              "weave": 0.08, "weave_period_m": 0.0008},
    "canvas": {"roughness": 0.88, "sheen": 0.12, "weave": 0.45, "weave_period_m": 0.0012},
    "rubber": {"roughness": 0.7, "specular": 0.35},
    "patent": {"roughness": 0.12, "coat": 1.0, "specular": 0.6},
}
#: Shoe colours beside `COLORS`: leather and sole shades.
SHOE_COLORS: dict[str, RGB] = {
    "nude": (0.80, 0.62, 0.50), "tan": (0.60, 0.38, 0.20), "brown": (0.30, 0.16, 0.08),
    "cognac": (0.50, 0.24, 0.10), "gum": (0.62, 0.40, 0.18), "off-white": (0.90, 0.89, 0.85),
    "lining": (0.78, 0.66, 0.52),
}
#: Each style's parts: (material, colour) by default.
SHOE_DEFAULTS: dict[str, dict[str, tuple[str, RGB]]] = {
    "trainers": {"upper": ("leather", COLORS["white"]), "sole": ("rubber", SHOE_COLORS[
        "off-white"]), "laces": ("canvas", COLORS["white"]), "trim": ("suede", COLORS["grey"])},
    "court": {"upper": ("patent", COLORS["black"]), "sole": ("leather", COLORS["black"]),
              "heel": ("patent", COLORS["black"])},
    "loafers": {"upper": ("leather", SHOE_COLORS["brown"]), "sole": ("leather", SHOE_COLORS[
        "brown"]), "heel": ("leather", SHOE_COLORS["brown"])},
    "sandals": {"upper": ("leather", SHOE_COLORS["tan"]), "sole": ("rubber", SHOE_COLORS[
        "brown"])},
    "ankle-boots": {"upper": ("suede", COLORS["black"]), "sole": ("rubber", COLORS["black"]),
                    "heel": ("rubber", COLORS["black"])},
}
#: Parts that take the upper's material and colour unless a style says otherwise, and the
#: inside of every shoe.
_SHOE_PART_OF = {"strap": "upper", "trim": "upper", "laces": "upper", "heel": "sole"}
SHOE_PARTS = ("upper", "lining", "insole", "sole", "heel", "laces", "strap", "trim")


def shoe_look(style: str, material: str | None = None, color: str | RGB | None = None,
              part: str = "upper", name: str = "shoe") -> SurfaceLook:
    """The look of one part of a shoe ("upper", "lining", "insole", "sole", "heel", "laces",
    "strap", "trim") of `style`: `material` (one of `SHOE_MATERIALS`) and `color` for the
    upper and its trims (the style's own when None); the lining and insole are always a pale
    leather, the sole and heel the style's."""
    if style not in SHOE_DEFAULTS:
        raise UnknownNameError(f"unknown shoe style {style!r}{suggest(style, SHOE_DEFAULTS)} "
                               f"(styles: {', '.join(SHOE_DEFAULTS)})")
    if part not in SHOE_PARTS:
        raise UnknownNameError(f"unknown shoe part {part!r}{suggest(part, SHOE_PARTS)} "
                               f"(parts: {', '.join(SHOE_PARTS)})")
    if material is not None and material not in SHOE_MATERIALS:
        raise UnknownNameError(f"unknown shoe material {material!r}"
                               f"{suggest(material, SHOE_MATERIALS)} (materials: "
                               f"{', '.join(SHOE_MATERIALS)})")
    defaults = SHOE_DEFAULTS[style]
    if part in ("lining", "insole"):
        kind, base = "leather", SHOE_COLORS["lining"]
        return SurfaceLook(name=name, color=base, **{**SHOE_MATERIALS[kind],  # type: ignore
                                                     "coat": 0.0, "roughness": 0.6})
    own = defaults.get(part) or defaults[_SHOE_PART_OF.get(part, "upper")]
    kind, base = own
    if part in ("upper", "strap", "trim") or (part == "laces" and "laces" not in defaults):
        kind = material or kind
        if color is not None:
            key = color.strip().lower() if isinstance(color, str) else ""
            base = SHOE_COLORS[key] if key in SHOE_COLORS else parse_color(color)
    if part == "heel" and style == "court" and material is not None:
        kind = material  # a court's heel is covered in the upper's material
        base = base if color is None else shoe_look(style, material, color, "upper").color
    if part in ("trim", "strap") and style == "loafers" and color is None:
        base = tuple(0.8 * c for c in base)  # type: ignore[assignment]
    return SurfaceLook(name=name, color=base, **SHOE_MATERIALS[kind])  # type: ignore[arg-type]
