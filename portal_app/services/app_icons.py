"""Home-screen icons for the installable portal, drawn with Pillow from the business logo.

A PNG or JPEG logo is fitted on a plain background. Without a usable logo (none, an
SVG, which Pillow cannot rasterise, or a file that does not decode) the icon is the
business's initials in white on its accent colour. Renders are cached in memory per
worker, keyed by logo file, colour and initials, so each icon is drawn once per branding.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, ImageStat

# Bump when the drawing changes: it is part of the icon URLs' version.
RENDER_VERSION = "1"

ANY, MASKABLE, APPLE = "any", "maskable", "apple"
# File name -> (size, purpose). "apple" is the opaque 180x180 apple-touch-icon.
ICONS: dict[str, tuple[int, str]] = {
    "icon-192.png": (192, ANY),
    "icon-512.png": (512, ANY),
    "maskable-192.png": (192, MASKABLE),
    "maskable-512.png": (512, MASKABLE),
    "apple-touch-icon.png": (180, APPLE),
}

WHITE = (255, 255, 255)
# Larger logos are refused before decoding (a small PNG can hold a huge canvas).
MAX_LOGO_PIXELS = 25_000_000
# A launcher may cut a maskable icon to a circle of 80% of its width: keep the
# content's diagonal inside it, with a little room.
_MASKABLE_DIAGONAL = 0.72
# "any" icons get rounded corners; their content stays in the middle 72%.
_CONTENT_BOX = 0.72
_CORNER = 0.22
_FONTS = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf",
          "Arial.ttf")


@dataclass(frozen=True)
class IconSource:
    """What an icon is drawn from: a raster logo file, else initials on the accent."""

    logo_path: Path | None
    accent: tuple[int, int, int]
    initials: str


def render_icon(source: IconSource, name: str) -> bytes:
    """The PNG bytes of icon `name` (a key of ICONS); KeyError for any other name."""
    size, purpose = ICONS[name]
    logo = str(source.logo_path) if source.logo_path else ""
    return _render(logo, source.accent, source.initials, size, purpose)


@lru_cache(maxsize=64)
def _render(logo_path: str, accent: tuple[int, int, int], initials: str, size: int,
            purpose: str) -> bytes:
    logo = _open_logo(Path(logo_path)) if logo_path else None
    if logo is not None:
        canvas = Image.new("RGBA", (size, size), _logo_background(logo, accent) + (255,))
        fitted = _fit_logo(logo, size, purpose)
        canvas.alpha_composite(fitted, ((size - fitted.width) // 2,
                                        (size - fitted.height) // 2))
    else:
        canvas = Image.new("RGBA", (size, size), accent + (255,))
        _draw_initials(canvas, initials, purpose)
    if purpose == ANY:
        canvas.putalpha(_rounded_mask(size))
    else:
        # Maskable and apple icons must be opaque (iOS paints transparency black).
        canvas = canvas.convert("RGB")
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


def _open_logo(path: Path) -> Image.Image | None:
    """The logo trimmed of transparent margins, or None when it cannot be used."""
    try:
        with Image.open(path) as im:
            if im.format not in ("PNG", "JPEG") or im.width * im.height > MAX_LOGO_PIXELS:
                return None
            im.draft("RGB", (1024, 1024))  # JPEG: decode at a reduced scale when it is big
            logo = ImageOps.exif_transpose(im).convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    box = logo.getbbox()
    return logo.crop(box) if box else None


def _logo_background(logo: Image.Image, accent: tuple[int, int, int]) -> tuple[int, int, int]:
    """White, unless the logo itself is nearly white (made for dark backgrounds)."""
    alpha = logo.getchannel("A").point(lambda a: 255 if a > 128 else 0)
    if alpha.getbbox() is None:
        return WHITE
    r, g, b = ImageStat.Stat(logo.convert("RGB"), mask=alpha).mean
    return accent if 0.2126 * r + 0.7152 * g + 0.0722 * b > 225 else WHITE


def _fit_logo(logo: Image.Image, size: int, purpose: str) -> Image.Image:
    w, h = logo.size
    if purpose == MASKABLE:
        scale = _MASKABLE_DIAGONAL * size / math.hypot(w, h)
    else:
        scale = _CONTENT_BOX * size / max(w, h)
    return logo.resize((max(1, round(w * scale)), max(1, round(h * scale))),
                       Image.Resampling.LANCZOS)


def _draw_initials(canvas: Image.Image, initials: str, purpose: str) -> None:
    size = canvas.width
    max_w, max_h = (0.50, 0.34) if purpose == MASKABLE else (0.60, 0.40)
    font_size = round(size * 0.46)
    draw = ImageDraw.Draw(canvas)
    while True:
        font = _font(font_size)
        left, top, right, bottom = draw.textbbox((0, 0), initials, font=font, anchor="mm")
        if (right - left <= max_w * size and bottom - top <= max_h * size) or font_size <= 8:
            break
        font_size -= max(1, font_size // 20)
    draw.text((size / 2, size / 2), initials, font=font, fill=WHITE, anchor="mm")


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold system font when there is one, else Pillow's own scalable default."""
    for name in _FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=8)
def _rounded_mask(size: int) -> Image.Image:
    """An antialiased rounded-square alpha mask (drawn at 4x, then scaled down)."""
    big = Image.new("L", (size * 4, size * 4), 0)
    ImageDraw.Draw(big).rounded_rectangle((0, 0, size * 4 - 1, size * 4 - 1),
                                          radius=round(size * 4 * _CORNER), fill=255)
    return big.resize((size, size), Image.Resampling.LANCZOS)
