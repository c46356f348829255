"""The visible disclosure: an "AI-generated" label in a corner of the image, for channels
that ask for one on top of the C2PA manifest and the invisible watermark."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

LABEL = "AI-generated · synthetic model"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def label_image(image: Image.Image, text: str = LABEL) -> Image.Image:
    """`image` with `text` in white on a translucent dark band in its bottom-left corner,
    sized to the image (about 2.2 % of its height)."""
    base = image.convert("RGBA")
    size = max(10, round(0.022 * base.height))
    font = _font(size)
    pad = max(4, size // 2)
    draw = ImageDraw.Draw(base)
    x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=font)
    w, h = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    box = (pad, base.height - h - pad, pad + w, base.height - pad)
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    od = ImageDraw.Draw(overlay)
    od.rounded_rectangle(box, radius=pad // 2, fill=(0, 0, 0, 150))
    od.text((box[0] + pad - x0, box[1] + pad - y0), text, font=font, fill=(255, 255, 255, 235))
    return Image.alpha_composite(base, overlay).convert(image.mode if image.mode in (
        "RGB", "RGBA") else "RGB")
