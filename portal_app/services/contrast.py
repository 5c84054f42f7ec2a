"""WCAG 2.1 contrast for the accent colour (white text on accent buttons)."""

from __future__ import annotations

import re

from portal_app.services.errors import ServiceError

AA_NORMAL = 4.5
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def parse_hex(value: str) -> tuple[int, int, int]:
    match = _HEX.match(str(value or "").strip())
    if not match:
        raise ServiceError("Enter a colour as #RRGGBB, e.g. #0F766E.", field="accent_color")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


WHITE = (255, 255, 255)


def accessible_accent(value: str) -> tuple[str, str]:
    """Return (colour, note). A colour too light for white text is darkened,
    keeping its hue, until it meets AA (4.5:1); the note says so."""
    rgb = parse_hex(value)
    ratio = contrast_ratio(rgb, WHITE)
    if ratio >= AA_NORMAL:
        return to_hex(rgb), ""
    adjusted = rgb
    for step in range(1, 101):
        factor = 1 - step / 100
        adjusted = tuple(round(c * factor) for c in rgb)
        if contrast_ratio(adjusted, WHITE) >= AA_NORMAL:
            break
    return to_hex(adjusted), (
        f"{to_hex(rgb)} has a contrast of {ratio:.1f}:1 with white text; WCAG AA needs 4.5:1, "
        f"so it was darkened to {to_hex(adjusted)} "
        f"({contrast_ratio(adjusted, WHITE):.1f}:1).")
