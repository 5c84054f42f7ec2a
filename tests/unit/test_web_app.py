"""Home-screen name, initials and icon drawing for the installable portal."""

import io
import math

import pytest
from PIL import Image, ImageDraw

from models import Business
from portal_app.services import app_icons, web_app
from portal_app.services.contrast import parse_hex

TEAL = "#0F766E"


@pytest.mark.parametrize(("name", "short"), [
    ("Harbor Physio", "Harbor"),
    ("Bloom Salon", "Bloom Salon"),
    ("Serenity Massage Therapy", "Serenity"),
    ("The Hair Studio of Boston", "Hair Studio"),
    ("Acme Coaching LLC", "Acme"),
    ("Bloom Spa LLC", "Bloom Spa"),
    ("Lee & Lee, Inc.", "Lee & Lee"),
    ("A & B Consulting Group", "A & B"),
    ("Physiotherapy Associates", "Physiothera…"),
    ("  Bloom   Salon  ", "Bloom Salon"),
])
def test_short_name_fits_a_home_screen_and_keeps_whole_words(name, short):
    assert web_app.short_name(name) == short
    assert len(web_app.short_name(name)) <= web_app.SHORT_NAME_MAX


def test_short_name_of_any_name_is_at_most_12_characters():
    for name in ("x" * 200, "Dr. Maria-Fernanda Gonzalez-Rodriguez Psychotherapy",
                 "Über Ästhetik Kosmetikstudio GmbH", "日本語のビジネス名前です長い", "A"):
        short = web_app.short_name(name)
        assert 1 <= len(short) <= 12, short


@pytest.mark.parametrize(("name", "letters"), [
    ("Harbor Physio LLC", "HP"),
    ("The Hair Studio", "HS"),
    ("bloom", "B"),
    ("A & B Consulting", "AB"),
    ("Øresund Yoga", "ØY"),
    ("!!!", "•"),
])
def test_initials_take_the_first_letters_of_the_first_two_words(name, letters):
    assert web_app.initials(name) == letters


# --- drawing -------------------------------------------------------------------------------


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def _logo(tmp_path, name: str, image: Image.Image, fmt: str = "PNG"):
    path = tmp_path / name
    image.save(path, fmt)
    return path


def _source(logo=None, accent=TEAL, initials="HP"):
    return app_icons.IconSource(logo_path=logo, accent=parse_hex(accent),
                                initials=initials)


def _outside_safe_zone(size: int):
    """Pixels a launcher may cut off: outside the centred circle of 80% of the width."""
    centre, radius = (size - 1) / 2, 0.4 * size
    step = max(1, size // 64)
    for y in range(0, size, step):
        for x in range(0, size, step):
            if math.hypot(x - centre, y - centre) > radius:
                yield x, y


@pytest.mark.parametrize(("name", "size", "mode"), [
    ("icon-192.png", 192, "RGBA"), ("icon-512.png", 512, "RGBA"),
    ("maskable-192.png", 192, "RGB"), ("maskable-512.png", 512, "RGB"),
    ("apple-touch-icon.png", 180, "RGB"),
])
def test_icons_are_pngs_of_their_size_opaque_where_required(name, size, mode):
    image = _png(app_icons.render_icon(_source(), name))
    assert image.size == (size, size)
    assert image.mode == mode


@pytest.mark.parametrize("shape", [(300, 300), (600, 120), (80, 400)])
def test_maskable_logo_stays_inside_the_safe_zone(tmp_path, shape):
    # A solid black block is the worst case: it fills its whole box.
    logo = _logo(tmp_path, "logo-0123456789abcdef.png", Image.new("RGB", shape, "black"))
    image = _png(app_icons.render_icon(_source(logo), "maskable-512.png")).convert("RGB")
    outside = {image.getpixel(p) for p in _outside_safe_zone(512)}
    assert outside == {(255, 255, 255)}
    assert image.getpixel((256, 256)) == (0, 0, 0)


def test_maskable_initials_stay_inside_the_safe_zone():
    image = _png(app_icons.render_icon(_source(initials="WM"), "maskable-512.png"))
    outside = {image.getpixel(p) for p in _outside_safe_zone(512)}
    assert outside == {parse_hex(TEAL)}
    colours = {c for _n, c in image.getcolors(maxcolors=512 * 512)}
    assert (255, 255, 255) in colours  # the letters were drawn


def test_any_icon_has_rounded_transparent_corners_and_a_solid_middle():
    image = _png(app_icons.render_icon(_source(), "icon-512.png"))
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((256, 20))[3] == 255


def test_transparent_logo_is_trimmed_and_drawn_on_white(tmp_path):
    canvas = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).rectangle((180, 180, 220, 220), fill=(200, 30, 30, 255))
    logo = _logo(tmp_path, "logo-0123456789abcdef.png", canvas)
    image = _png(app_icons.render_icon(_source(logo), "apple-touch-icon.png"))
    assert image.getpixel((3, 3)) == (255, 255, 255)
    # The 40 px mark was scaled up to fill the content box, not left tiny.
    assert image.getpixel((40, 90)) == (200, 30, 30)


def test_white_logo_is_drawn_on_the_accent(tmp_path):
    canvas = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).ellipse((0, 0, 99, 99), fill=(255, 255, 255, 255))
    logo = _logo(tmp_path, "logo-0123456789abcdef.png", canvas)
    image = _png(app_icons.render_icon(_source(logo), "maskable-192.png"))
    assert image.getpixel((2, 2)) == parse_hex(TEAL)


def test_jpeg_logo_is_used(tmp_path):
    logo = _logo(tmp_path, "logo-0123456789abcdef.jpg", Image.new("RGB", (64, 64), "navy"),
                 "JPEG")
    image = _png(app_icons.render_icon(_source(logo), "maskable-192.png"))
    r, g, b = image.getpixel((96, 96))
    assert r < 10 and g < 10 and b > 110


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + bytes(64),                      # a PNG signature, then nothing
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>',
])
def test_unreadable_logo_falls_back_to_initials(tmp_path, content):
    logo = tmp_path / "logo-0123456789abcdef.png"
    logo.write_bytes(content)
    drawn = app_icons.render_icon(_source(logo), "maskable-192.png")
    assert drawn == app_icons.render_icon(_source(None), "maskable-192.png")


def test_logo_with_a_huge_canvas_is_not_decoded(tmp_path):
    logo = _logo(tmp_path, "logo-0123456789abcdef.png", Image.new("1", (6000, 6000), 1))
    assert logo.stat().st_size < 512 * 1024  # small enough to pass the upload limit
    drawn = app_icons.render_icon(_source(logo), "icon-192.png")
    assert drawn == app_icons.render_icon(_source(None), "icon-192.png")


def test_icons_are_drawn_once_per_branding(tmp_path):
    logo = _logo(tmp_path, "logo-fedcba9876543210.png", Image.new("RGB", (50, 50), "red"))
    source = _source(logo, accent="#123456")
    before = app_icons._render.cache_info()
    first = app_icons.render_icon(source, "icon-512.png")
    again = app_icons.render_icon(source, "icon-512.png")
    after = app_icons._render.cache_info()
    assert first == again
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    app_icons.render_icon(_source(logo, accent="#654321"), "icon-512.png")
    assert app_icons._render.cache_info().misses == after.misses + 1


def test_icon_source_ignores_svg_and_missing_or_odd_logo_files(tmp_path):
    (tmp_path / "logo-0123456789abcdef.svg").write_text("<svg/>")
    (tmp_path / "logo-0123456789abcdef.png").write_bytes(b"x")
    cases = {
        None: None,
        "logo-0123456789abcdef.svg": None,
        "logo-1111111111111111.png": None,              # not on disk
        "../logo-0123456789abcdef.png": None,           # not one of our names
        "logo-0123456789abcdef.png": tmp_path / "logo-0123456789abcdef.png",
    }
    for logo_file, expected in cases.items():
        business = Business(name="Bloom Salon", accent_color="#0f766e", logo_file=logo_file)
        source = web_app.icon_source(business, brand_dir=tmp_path)
        assert source.logo_path == expected, logo_file
        assert source.accent == (15, 118, 110)
        assert source.initials == "BS"


def test_malformed_stored_accent_uses_the_default():
    business = Business(name="Bloom", accent_color="red; x")
    assert web_app.accent_of(business) == web_app.DEFAULT_ACCENT
    assert web_app.web_manifest(business)["theme_color"] == web_app.DEFAULT_ACCENT
