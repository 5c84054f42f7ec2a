"""Signature images: a drawn signature checked and cleaned, a typed one rendered.

A drawn signature arrives from the browser's canvas as a PNG data URL. It is
checked before it is decoded (prefix, length), then opened with Pillow with its
size checked before the pixels load (no decompression bomb), refused when no
stroke was drawn, and re-encoded: flattened on white, greyscale, cropped to the
ink with a margin, with no metadata chunk of the browser's kept. What is stored
and put in the PDF is therefore always a small PNG we wrote ourselves.

A typed signature is the signer's name rendered in Dancing Script (SIL Open
Font License 1.1, bundled under assets/fonts/ with its licence, so the server
and the browser's preview use the same face on any machine). A name with
characters the script face lacks is rendered in DejaVu Sans Oblique, else in
Pillow's own font, rather than with empty boxes.
"""

from __future__ import annotations

import base64
import binascii
import io
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from portal_app.services.errors import ServiceError

DATA_URL_PREFIX = "data:image/png;base64,"
MAX_PNG_BYTES = 200 * 1024
MIN_SIDE, MAX_WIDTH, MAX_HEIGHT = 20, 4000, 2000
MAX_TYPED_CHARS = 100
INK_LEVEL = 160  # a pixel darker than this (0-255, on white) is ink
MIN_INK_PIXELS = 20  # fewer is a stray tap, not a signature
_MARGIN = 12
_FONT_DIR = Path(__file__).resolve().parents[3] / "assets" / "fonts"
SCRIPT_FONT = _FONT_DIR / "DancingScript-Regular.ttf"
_FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf")
_TYPED_SIZE = 96

NOT_A_DRAWING = "The signature could not be read. Please clear it and sign again."
TOO_BIG = "The signature image is too large. Please clear it and sign again."
BLANK = "Please draw your signature in the box, or type your name instead."
NO_NAME = "Please type your name to sign."
NAME_TOO_LONG = "A typed signature is limited to 100 characters."


def normalise_drawn_signature(data_url: object, *, field: str | None = None) -> bytes:
    """The clean PNG of a drawn signature sent as a data URL, or ServiceError.

    Refused: anything not a `data:image/png;base64,` string, base64 that does not
    decode, more than MAX_PNG_BYTES, bytes Pillow does not open as a PNG, sides
    outside MIN_SIDE..MAX_WIDTH/MAX_HEIGHT, and a canvas with (almost) no ink."""
    if not isinstance(data_url, str) or not data_url.startswith(DATA_URL_PREFIX):
        raise ServiceError(NOT_A_DRAWING, field=field)
    encoded = data_url[len(DATA_URL_PREFIX):]
    if len(encoded) > (MAX_PNG_BYTES * 4) // 3 + 4:  # checked before decoding
        raise ServiceError(TOO_BIG, field=field)
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(NOT_A_DRAWING, field=field) from None
    if len(raw) > MAX_PNG_BYTES:
        raise ServiceError(TOO_BIG, field=field)
    try:
        with Image.open(io.BytesIO(raw), formats=["PNG"]) as image:
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_WIDTH and MIN_SIDE <= height <= MAX_HEIGHT):
                raise ServiceError(NOT_A_DRAWING, field=field)
            image.load()
            flat = _on_white(image)
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ServiceError(NOT_A_DRAWING, field=field) from None
    box = _ink_box(flat)
    if box is None:
        raise ServiceError(BLANK, field=field)
    return _png(_crop(flat, box))


def render_typed_signature(name: object, *, field: str | None = None) -> bytes:
    """The signer's typed name (or initials) as a PNG in a script face, or ServiceError."""
    text = _clean_name(name)
    if not text:
        raise ServiceError(NO_NAME, field=field)
    if len(text) > MAX_TYPED_CHARS:
        raise ServiceError(NAME_TOO_LONG, field=field)
    font = _font_for(text)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (right - left + 2 * _MARGIN, bottom - top + 2 * _MARGIN), 255)
    ImageDraw.Draw(image).text((_MARGIN - left, _MARGIN - top), text, font=font, fill=20)
    return _png(image)


def has_ink(png: bytes) -> bool:
    """Whether a PNG holds any stroke (for tests and checks of stored images)."""
    with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
        return _ink_box(_on_white(image)) is not None


def _clean_name(name: object) -> str:
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    return " ".join(text.split())


def _on_white(image: Image.Image) -> Image.Image:
    """The picture flattened on a white sheet, greyscale (transparency is paper)."""
    rgba = image.convert("RGBA")
    sheet = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(sheet, rgba).convert("L")


def _ink_box(gray: Image.Image) -> tuple[int, int, int, int] | None:
    ink = gray.point(lambda v: 255 if v < INK_LEVEL else 0)
    if sum(ink.histogram()[255:]) < MIN_INK_PIXELS:
        return None
    return ink.getbbox()


def _crop(gray: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    left, top, right, bottom = box
    return gray.crop((max(0, left - _MARGIN), max(0, top - _MARGIN),
                      min(gray.width, right + _MARGIN), min(gray.height, bottom + _MARGIN)))


def _png(image: Image.Image) -> bytes:
    """A fresh PNG of the pixels alone: no text chunks, no colour profile, no EXIF."""
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=4)
def _load_font(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, _TYPED_SIZE)


@lru_cache(maxsize=2)
def _font_chars(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # fpdf2's dependency; only its character map is read

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _font_for(text: str) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    needed = {ord(c) for c in text if not c.isspace()}
    for path in (SCRIPT_FONT, _FALLBACK_FONT):
        if path.is_file() and needed <= _font_chars(str(path)):
            return _load_font(str(path))
    return ImageFont.load_default(_TYPED_SIZE)
