"""Signature images: a drawn one is checked and cleaned, a typed one is rendered."""

import base64
import io

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from portal_app.services.errors import ServiceError
from portal_app.services.forms import signature
from portal_app.services.forms.signature import (
    has_ink,
    normalise_drawn_signature,
    render_typed_signature,
)


def _canvas(width=600, height=200, ink=True, meta=False) -> bytes:
    """What the browser's canvas sends: transparent, with dark strokes."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(40, 150), (120, 40), (200, 160), (320, 60)],
                                   fill=(26, 26, 46, 255), width=5)
    info = PngImagePlugin.PngInfo()
    if meta:
        info.add_text("Comment", "secret tracking id")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def _refused(value) -> str:
    with pytest.raises(ServiceError) as caught:
        normalise_drawn_signature(value, field="sig")
    assert caught.value.field == "sig"
    return caught.value.message


def test_drawn_signature_is_cleaned_cropped_and_stripped_of_metadata():
    png = normalise_drawn_signature(_url(_canvas(meta=True)))
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.mode == "L"
        assert image.width < 600 and image.height < 200  # cropped to the ink and a margin
        assert "Comment" not in image.info
    assert b"secret tracking id" not in png and has_ink(png)


def test_drawn_signature_with_a_wrong_prefix_is_refused():
    data = base64.b64encode(_canvas()).decode()
    assert _refused("data:image/jpeg;base64," + data) == signature.NOT_A_DRAWING
    assert _refused(data) == signature.NOT_A_DRAWING
    assert _refused(None) == signature.NOT_A_DRAWING


def test_drawn_signature_that_is_not_base64_is_refused():
    assert _refused("data:image/png;base64,@@not*base64!!") == signature.NOT_A_DRAWING


def test_drawn_signature_over_the_size_limit_is_refused_before_decoding():
    assert _refused("data:image/png;base64," + "A" * 300_000) == signature.TOO_BIG


def test_drawn_signature_that_is_not_an_image_is_refused():
    assert _refused(_url(b"%PDF-1.7 definitely not a png")) == signature.NOT_A_DRAWING
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(jpeg, format="JPEG")
    assert _refused(_url(jpeg.getvalue())) == signature.NOT_A_DRAWING


def test_drawn_signature_of_absurd_dimensions_is_refused():
    assert _refused(_url(_canvas(width=5000, height=40))) == signature.NOT_A_DRAWING
    assert _refused(_url(_canvas(width=10, height=10, ink=False))) == signature.NOT_A_DRAWING


def test_blank_canvas_is_refused():
    assert _refused(_url(_canvas(ink=False))) == signature.BLANK
    white = io.BytesIO()
    Image.new("RGB", (600, 200), "white").save(white, format="PNG")
    assert _refused(_url(white.getvalue())) == signature.BLANK


def test_typed_signature_renders_a_png_with_ink():
    png = render_typed_signature("  María José\tÑúñez ")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.width > image.height > 40
    assert has_ink(png)
    assert render_typed_signature("Łukasz Wąż")  # Latin Extended-A is in the face
    assert render_typed_signature("Дмитрий")  # not in the script face: a fallback face


def test_typed_signature_needs_a_name_of_sane_length():
    for value, message in (("   ", signature.NO_NAME), (None, signature.NO_NAME),
                           ("x" * 101, signature.NAME_TOO_LONG)):
        with pytest.raises(ServiceError) as caught:
            render_typed_signature(value, field="name")
        assert caught.value.message == message and caught.value.field == "name"


def test_the_script_face_is_bundled_with_its_licence():
    assert signature.SCRIPT_FONT.is_file()
    assert "Open Font License" in (signature.SCRIPT_FONT.parent / "OFL-DancingScript.txt"
                                   ).read_text()
