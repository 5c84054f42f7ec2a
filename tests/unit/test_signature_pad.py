"""The signature pad compiles without a state: a canvas labelled and described, the
drawing script, Clear, and the typed alternative with its label."""

import json

import pytest
import reflex as rx

from components.signature_pad import INSTRUCTIONS, SCRIPT_SRC, signature_pad


def _sink(value):
    return rx.console_log(value)


def test_signature_pad_compiles_with_its_accessible_parts():
    pad = signature_pad("consent-sig", "Signature", on_drawn=_sink, on_typed=_sink)
    rendered = pad.render()
    assert isinstance(rendered, dict)
    text = json.dumps(rendered) + str(pad)
    assert '"canvas"' in text and "onPointerUp" in text and "data-signature-pad" in text
    assert 'width:"900"' in str(pad)  # the drawing's pixels: an attribute, not CSS
    assert "consent-sig-help" in text and "consent-sig-label" in text
    assert "portalSignaturePad.dataUrl" in text and "portalSignaturePad.clear" in text
    assert SCRIPT_SRC in text and "DancingScript-Regular.ttf" in text
    assert INSTRUCTIONS in text and "Type your full name instead" in text
    assert 'htmlFor:"consent-sig-typed"' in text.replace(" ", "")


def test_signature_pad_without_on_typed_leaves_the_alternative_to_the_page():
    text = str(signature_pad("initials", "Initials", on_drawn=_sink))
    assert "initials-typed" not in text and "onPointerUp" in text


def test_signature_pad_refuses_an_id_that_could_break_the_script():
    with pytest.raises(ValueError):
        signature_pad("x'); alert(1); ('", "Signature", on_drawn=_sink)


def test_signature_pad_texts_have_spanish():
    from components.i18n import USED
    from portal_app.i18n import CATALOGS

    signature_pad("sig", "Signature", on_drawn=_sink, on_typed=_sink)
    texts = {INSTRUCTIONS, "Clear", "Type your full name instead"}
    assert texts <= USED and all(msgid in CATALOGS["es"] for msgid in texts)
