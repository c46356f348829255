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

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from dressform.body.skin_optics import (
    lab_srgb,
    scattering_radius_m,
    srgb_lab,
    tone_rgb,
    tone_skin,
)
from dressform.errors import InvalidInputError, UnknownNameError
from dressform.names import suggest

RGB = tuple[float, float, float]
#: Stripes run along the grain, breton stripes across it.
PrintKind = Literal["none", "stripes", "breton", "check", "dots", "image"]
#: How a cloth is made, drawn on its grain: woven plain (poplin), twill (denim, suiting) or
#: satin (charmeuse), knitted jersey, or an open sheer weave (chiffon).
Structure = Literal["none", "plain", "twill", "satin", "jersey", "sheer"]


class Finish(BaseModel):
    """How a garment's sewing shows (drawn where the mesh says its hems, seams and bands
    are: `dressform.drape.construction`). Distances in millimetres."""

    model_config = ConfigDict(frozen=True)

    #: Stitch rows this far in from a hem's turned raw edge (a twin needle's two rows).
    hem_rows_mm: tuple[float, ...] = (4.0,)
    #: Topstitching this far from a seam, on its first side (a flat-felled seam's rows).
    seam_rows_mm: tuple[float, ...] = ()
    #: Stitch rows this far in from a band's seam and from its fold (a waistband's).
    band_rows_mm: tuple[float, ...] = ()
    #: The thread's sRGB colour; None: the cloth's own, a shade darker (tone on tone).
    thread: RGB | None = None
    thread_mm: float = Field(0.3, gt=0.0)
    stitch_mm: float = Field(2.5, gt=0.0)
    #: Width of the valley a pressed seam leaves along its line.
    seam_valley_mm: float = Field(1.5, ge=0.0)
    #: Bands knitted as a 1×1 rib of this repeat (0: bands in the garment's own cloth).
    rib_mm: float = Field(0.0, ge=0.0)


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
    #: Cloth drawn yarn by yarn on the grain (`uv`, metres): its structure, repeating every
    #: `yarn_m`; the cross yarns' colour (`weft_color`: denim's undyed weft; None: the
    #: same); colour variation fibre by fibre (`heather`) and streaks of thicker yarn along
    #: the yarns (`slub`); raised folds paler (`fade`: worn indigo); the share of light
    #: passing through the open weave (`sheer`); and the cloth's thickness (0: one surface).
    structure: Structure = "none"
    yarn_m: float = Field(0.001, gt=0.0)
    weft_color: RGB | None = None
    heather: float = Field(0.0, ge=0.0, le=1.0)
    slub: float = Field(0.0, ge=0.0, le=1.0)
    fade: float = Field(0.0, ge=0.0, le=1.0)
    sheer: float = Field(0.0, ge=0.0, lt=1.0)
    thickness_m: float = Field(0.0, ge=0.0, le=0.01)
    #: Hems, seams and bands, where the mesh carries its construction.
    finish: Finish | None = None
    #: A print on the pattern's own coordinates (metres of flat fabric), so it runs across
    #: panels as they were cut.
    print_kind: PrintKind = "none"
    print_color: RGB = (1.0, 1.0, 1.0)
    print_period_m: float = Field(0.05, gt=0.0)
    print_image: str = ""

    @field_validator("color", "print_color", "weft_color")
    @classmethod
    def _in_unit_range(cls, value: RGB | None) -> RGB | None:
        if value is not None and not all(0.0 <= c <= 1.0 for c in value):
            raise ValueError("colour channels must be in 0–1 (sRGB)")
        return value


def parse_color(text: str | RGB) -> RGB:
    """A colour from '#rrggbb', a name in `COLORS`, a measured CIELAB (D65) as
    'lab(L, a, b)', or an sRGB triple in 0–1."""
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
    lab = re.fullmatch(r"lab\(\s*([-+0-9.e]+)[\s,]+([-+0-9.e]+)[\s,]+([-+0-9.e]+)\s*\)", key)
    if lab:
        return _from_lab(tuple(float(x) for x in lab.groups()), text)  # type: ignore[arg-type]
    raise InvalidInputError(f"unknown colour {text!r}{suggest(key, COLORS)}: give '#rrggbb', "
                            f"'lab(L, a, b)' or one of {', '.join(COLORS)}")


def _from_lab(lab: RGB, text: str) -> RGB:
    """The sRGB colour of a CIELAB (D65) measurement; an error if sRGB cannot show it."""
    if not 0.0 <= lab[0] <= 100.0:
        raise InvalidInputError(f"colour {text!r}: L* is 0–100, not {lab[0]:g}")
    rgb = lab_srgb(lab)
    if float(np.abs(srgb_lab(rgb) - np.asarray(lab)).max()) > 1.0:
        raise InvalidInputError(f"colour {text!r} lies outside what sRGB (a screen, a "
                                "render) can show: give a less saturated colour")
    return (float(rgb[0]), float(rgb[1]), float(rgb[2]))


COLORS: dict[str, RGB] = {
    "white": (0.93, 0.93, 0.91), "ivory": (0.93, 0.90, 0.82), "black": (0.05, 0.05, 0.055),
    "charcoal": (0.18, 0.18, 0.19), "grey": (0.55, 0.55, 0.55), "navy": (0.09, 0.13, 0.28),
    "indigo": (0.13, 0.20, 0.38), "red": (0.70, 0.08, 0.10), "burgundy": (0.40, 0.06, 0.12),
    "emerald": (0.05, 0.45, 0.30), "olive": (0.38, 0.40, 0.20), "camel": (0.76, 0.60, 0.42),
    "blush": (0.93, 0.72, 0.70), "sky": (0.55, 0.72, 0.88), "mustard": (0.85, 0.65, 0.15),
    "denim": (0.27, 0.33, 0.44), "cobalt": (0.10, 0.28, 0.62), "teal": (0.05, 0.42, 0.45),
    "forest": (0.10, 0.30, 0.18), "terracotta": (0.72, 0.36, 0.24), "rust": (0.60, 0.25, 0.10),
    "coral": (0.95, 0.45, 0.38), "lilac": (0.72, 0.62, 0.80), "sand": (0.84, 0.76, 0.62),
    "stone": (0.66, 0.64, 0.60), "chocolate": (0.30, 0.18, 0.12), "mid-grey": (0.5, 0.5, 0.5),
}

#: Fabric type of each drape preset, and that type's look (colour is the garment's own).
#: Structures and repeats are the cloth's own, a touch coarser where the real yarn is finer
#: than an 85 mm close-up resolves (jersey's 14 wales a centimetre drawn as 11); the rest
#: chosen by eye against product photographs of each cloth.
FABRIC_LOOK: dict[str, dict[str, object]] = {
    # Poplin: a crisp plain weave with slubs along the weft, matte, thin.
    "cotton": {"roughness": 0.6, "sheen": 0.05, "structure": "plain", "yarn_m": 0.0004,
               "slub": 0.8, "heather": 0.03, "thickness_m": 0.00025,
               "finish": Finish(hem_rows_mm=(3.0,), band_rows_mm=(2.0,))},
    # Denim: a 3/1 twill of indigo warp over an undyed weft, streaked by ring-spun slubs,
    # paler on raised folds, with contrast (gold) topstitching on flat-felled seams.
    "denim": {"roughness": 0.85, "sheen": 0.08, "structure": "twill", "yarn_m": 0.001,
              "weft_color": (0.86, 0.84, 0.78), "slub": 1.0, "fade": 1.0, "heather": 0.05,
              "thickness_m": 0.0009,
              "finish": Finish(hem_rows_mm=(6.0,), seam_rows_mm=(1.5, 7.5),
                               band_rows_mm=(2.0,), thread=(0.80, 0.55, 0.22),
                               thread_mm=0.5, stitch_mm=3.2, seam_valley_mm=2.0)},
    # Wool suiting: a fine twill of heathered yarns under a soft fibre fuzz, blind hems.
    "wool": {"roughness": 0.9, "sheen": 0.5, "sheen_roughness": 0.55, "structure": "twill",
             "yarn_m": 0.0007, "heather": 0.25, "slub": 0.1, "thickness_m": 0.0006,
             "finish": Finish(hem_rows_mm=(), band_rows_mm=(2.0,), seam_valley_mm=2.5)},
    # Charmeuse: satin floats along the warp, a smooth anisotropic lustre along the grain.
    "silk": {"roughness": 0.22, "sheen": 0.15, "anisotropic": 0.8, "specular": 0.6,
             "structure": "satin", "yarn_m": 0.0002, "thickness_m": 0.0002,
             "finish": Finish(hem_rows_mm=(3.0,), band_rows_mm=(2.0,))},
    # Chiffon: an open crêpe weave that lets the light (and the legs) through.
    "chiffon": {"roughness": 0.5, "sheen": 0.3, "structure": "sheer", "yarn_m": 0.0003,
                "sheer": 0.55, "thickness_m": 0.00012,
                "finish": Finish(hem_rows_mm=(2.0,), band_rows_mm=(2.0,))},
    # Single jersey: wales and courses of knitted loops, a soft fibre sheen, heathered
    # cotton; twin-needle hems, 1×1 rib bands.
    "knit": {"roughness": 0.9, "sheen": 0.45, "sheen_roughness": 0.45, "structure": "jersey",
             "yarn_m": 0.0009, "heather": 0.12, "thickness_m": 0.0006,
             "finish": Finish(hem_rows_mm=(4.0, 10.4), rib_mm=2.6, seam_valley_mm=1.0)},
    # Ponte (a firm double knit with elastane): finer, flatter loops, a smoother lustre.
    "ponte": {"roughness": 0.45, "sheen": 0.5, "sheen_roughness": 0.25, "specular": 0.55,
              "structure": "jersey", "yarn_m": 0.0006, "thickness_m": 0.0009,
              "finish": Finish(hem_rows_mm=(4.0, 10.4), rib_mm=2.0, seam_valley_mm=1.0)},
}
FABRIC_TYPE: dict[str, str] = {
    "cotton_jersey": "knit", "cotton_poplin": "cotton", "denim": "denim",
    "wool_suiting": "wool", "silk_charmeuse": "silk", "polyester_chiffon": "chiffon",
    "stretch_knit": "ponte",
}
#: Denim's default is a mid wash: the undyed weft shows in it (a raw indigo hides it).
DEFAULT_COLOR: dict[str, RGB] = {"denim": COLORS["denim"]}


#: How much rougher each structure's cloth looks where its yarns are finer than a pixel:
#: the relief's slopes, no longer drawn, scatter light as a rougher surface does.
_UNRESOLVED_ROUGHNESS = {"none": 0.0, "jersey": 0.1, "plain": 0.05, "twill": 0.08,
                         "satin": 0.03, "sheer": 0.05}


def resolved(look: SurfaceLook, pixel_m: float) -> tuple[float, float]:
    """(relief, roughness) of `look` seen at `pixel_m` metres a pixel: the structure's
    relief drawn in full where its repeat spans 4 pixels or more, not at all under 1.5 (a
    bump finer than the pixel only aliases), and its slopes folded into the roughness as
    the relief fades."""
    if look.structure == "none" or pixel_m <= 0:
        return (0.0 if look.structure == "none" else 1.0), look.roughness
    span = look.yarn_m / pixel_m
    t = min(max((span - 1.5) / 2.5, 0.0), 1.0)
    relief = t * t * (3.0 - 2.0 * t)
    return relief, min(1.0, look.roughness + (1.0 - relief) * _UNRESOLVED_ROUGHNESS[
        look.structure])


#: How each fabric type renders a base colour under the neutral light box, per channel in
#: linear light: seen = gain × albedo + lift (its specular and sheen reflect the white room,
#: and a sheer cloth lets it through). Fitted to a grey ramp of swatches by
#: `python benchmarks/fabrics.py profile`; `fabric_look` inverts it, so that a garment
#: renders in the colour it was given as far as the cloth can (no albedo goes below 0: a
#: colour darker than the lift is out of the cloth's reach there).
COLOR_PROFILE: dict[str, tuple[float, float]] = {
    "cotton": (0.887, 0.0126), "denim": (0.897, 0.0104), "wool": (0.883, 0.0245),
    "silk": (0.87, 0.0163), "chiffon": (0.877, 0.0183), "knit": (0.896, 0.0134),
    "ponte": (0.878, 0.0146),
}


def profiled(color: RGB, kind: str) -> RGB:
    """The base colour (sRGB) a cloth of fabric type `kind` needs to render as `color`
    under the neutral light box (`COLOR_PROFILE`)."""
    from dressform.body.skin import linear_to_srgb, srgb_to_linear

    gain, lift = COLOR_PROFILE.get(kind, (1.0, 0.0))
    linear = (srgb_to_linear(np.asarray(color, dtype=float)) - lift) / gain
    out = linear_to_srgb(np.clip(linear, 0.0, 1.0))
    return (float(out[0]), float(out[1]), float(out[2]))


def fabric_look(fabric: str, color: str | RGB | None = None, *, name: str = "garment",
                print_kind: PrintKind = "none", print_color: str | RGB = "white",
                print_period_cm: float = 5.0, print_image: str = "",
                managed: bool = True) -> SurfaceLook:
    """The look of a garment in drape fabric preset `fabric` (or a fabric type: cotton,
    denim, wool, silk, chiffon, knit, ponte), in `color`, optionally printed; with
    `managed`, its colours made to render as given under the neutral light (`profiled`)."""
    kind = FABRIC_TYPE.get(fabric, fabric)
    if kind not in FABRIC_LOOK:
        known = [*FABRIC_TYPE, *FABRIC_LOOK]
        raise UnknownNameError(f"unknown fabric {fabric!r}{suggest(fabric, known)} "
                               f"(fabrics: {', '.join(known)})")
    if print_kind == "image" and not print_image:
        raise InvalidInputError("an image print needs the image file (print_image)")
    base = parse_color(color) if color is not None else DEFAULT_COLOR.get(kind, COLORS["white"])
    printed = parse_color(print_color)
    if managed:
        base, printed = profiled(base, kind), profiled(printed, kind)
    return SurfaceLook(name=name, color=base, print_kind=print_kind, print_color=printed,
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
