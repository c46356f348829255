"""The everyday edits a published picture goes through — re-saved as JPEG, halved, cropped,
captioned, stamped with a logo, patched over — as the bar the watermark is held to: the tests
and `benchmarks/watermark.py` apply the same ones."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

Edit = Callable[[Image.Image], Image.Image]


def jpeg(image: Image.Image, quality: int = 70) -> Image.Image:
    """Saved and read back as a JPEG of `quality`."""
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def half(image: Image.Image) -> Image.Image:
    """Resized to half its width and height."""
    return image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)


def crop(image: Image.Image, share: float = 0.10) -> Image.Image:
    """`share` of the width and height cut off every side."""
    dx, dy = round(image.width * share), round(image.height * share)
    return image.crop((dx, dy, image.width - dx, image.height - dy))


def patch(image: Image.Image, share: float = 0.02) -> Image.Image:
    """A filled square of `share` of the picture's area, over the figure."""
    out = image.copy()
    side = int(np.sqrt(share * image.width * image.height))
    x, y = (image.width - side) // 2, image.height // 3
    ImageDraw.Draw(out).rectangle((x, y, x + side - 1, y + side - 1), fill=(200, 30, 40))
    return out


def caption(image: Image.Image) -> Image.Image:
    """A black band with white text along the bottom tenth."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    top = int(image.height * 0.9)
    draw.rectangle((0, top, image.width, image.height), fill=(0, 0, 0))
    draw.text((image.width // 20, top + image.height // 50), "SPRING LOOKBOOK · dressform",
              fill=(255, 255, 255), font_size=max(12, image.height // 30))
    return out


def logo(image: Image.Image) -> Image.Image:
    """A studio logo (a white disc with a dark ring and letters) pasted in the top corner."""
    out = image.copy()
    side = image.width // 6
    mark = Image.new("RGB", (side, side), (240, 240, 240))
    draw = ImageDraw.Draw(mark)
    draw.ellipse((2, 2, side - 3, side - 3), fill=(255, 255, 255), outline=(20, 20, 60),
                 width=max(2, side // 16))
    draw.text((side // 4, side // 3), "DF", fill=(20, 20, 60), font_size=side // 3)
    out.paste(mark, (image.width - side - image.width // 20, image.width // 20))
    return out


#: Each edit and the combinations a picture meets on its way round the web, by name.
EDITS: dict[str, Edit] = {
    "JPEG q70": jpeg,
    "50 % resize": half,
    "crop 10 % a side": crop,
    "filled patch 2 %": patch,
    "caption band": caption,
    "logo": logo,
    "crop 10 % → JPEG q70": lambda im: jpeg(crop(im)),
    "50 % resize → JPEG q70": lambda im: jpeg(half(im)),
    "crop 10 % → 50 % → JPEG q70": lambda im: jpeg(half(crop(im))),
    "patch + caption → JPEG q70": lambda im: jpeg(caption(patch(im))),
}
