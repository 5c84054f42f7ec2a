"""A submitted form's PDF carries the answers, the signature and the audit page; its
fingerprint is stable and changes with any signed byte."""

import io
import json
from dataclasses import replace
from datetime import UTC, datetime

import pypdf
from PIL import Image

from portal_app.services.forms.document import (
    Answer,
    AuditFacts,
    Branding,
    FormDocument,
    SignatureMark,
    Statement,
    branding_of,
)
from portal_app.services.forms.pdf import canonical_bytes, document_hash, form_pdf
from portal_app.services.forms.signature import render_typed_signature

SIGNATURE = render_typed_signature("Dana Whitfield")
AUDIT = AuditFacts(
    signer_name="Dana Whitfield", signer_email="dana@example.com",
    client_name="Dana Whitfield", signed_at=datetime(2026, 12, 6, 15, 4, 5, 123456, tzinfo=UTC),
    zone="America/Chicago", ip="203.0.113.7",
    user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1",
    consent_text="I agree to sign this form electronically.", consent_version="consent-2")
DOC = FormDocument(
    title="Consent to treatment", version_label="v3",
    branding=Branding(name="Harbor Physio", paper="Letter"),
    items=(Answer("Full name", "short_text", "Dana Whitfield"),
           Answer("Date of birth", "date", "Mar 5, 1990"),
           Answer("Allergies", "long_text", ""),
           Statement("Cancellation policy", "Cancel 24 hours ahead or pay the full fee."),
           SignatureMark("Signature", SIGNATURE, typed=True, signer_name="Dana Whitfield")),
    audit=AUDIT)


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_pdf_shows_the_answers_and_an_audit_page():
    data = form_pdf(DOC)
    reader = pypdf.PdfReader(io.BytesIO(data))
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    for text in ("Consent to treatment", "Form version v3", "Full name", "Mar 5, 1990",
                 "(no answer)", "Cancellation policy", "Cancel 24 hours ahead",
                 "Signed by Dana Whitfield, typed"):
        assert text in first, text
    digest = document_hash(DOC)
    for text in ("Signature record", digest, "203.0.113.7", "v3", "dana@example.com",
                 "iPhone OS 18_0", "consent-2", "I agree to sign this form electronically.",
                 "December 6, 2026", "9:04", "CST", "America/Chicago"):
        assert text in last, text
    assert "Signed by Dana Whitfield for" not in data.decode("latin-1")
    assert reader.metadata.get("/Keywords") == f"sha256:{digest}"
    assert float(reader.pages[0].mediabox.width) == 612  # Letter, as chosen for the business


def test_pdf_in_spanish_has_spanish_fixed_texts():
    text = _text(form_pdf(replace(DOC, lang="es")))
    for phrase in ("Versión del formulario v3", "(sin respuesta)", "Registro de la firma",
                   "Dirección IP", "Navegador", "SHA-256 del documento",
                   "Firmado por Dana Whitfield, escrito", "diciembre de 2026"):
        assert phrase in text, phrase


def test_household_member_signing_for_another_says_so():
    audit = replace(AUDIT, signer_name="Alex Whitfield", signer_email="alex@example.com",
                    signer_is_client=False)
    text = _text(form_pdf(replace(DOC, audit=audit)))
    assert "Signed by Alex Whitfield for Dana Whitfield" in text
    assert "Firmado por Alex Whitfield en nombre de Dana Whitfield" in _text(
        form_pdf(replace(DOC, audit=audit, lang="es")))


def test_signature_png_is_embedded_as_an_image():
    reader = pypdf.PdfReader(io.BytesIO(form_pdf(DOC)))
    images = reader.pages[0].images
    assert len(images) == 1
    with Image.open(io.BytesIO(SIGNATURE)) as original:
        assert images[0].image.size == original.size
    png = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 111, 235)).save(png, format="PNG")
    logo = replace(DOC, branding=Branding(name="Harbor Physio", logo=png.getvalue()))
    assert len(pypdf.PdfReader(io.BytesIO(form_pdf(logo))).pages[0].images) == 2
    broken = replace(DOC, branding=Branding(name="Harbor Physio", logo=b"\x89PNG\r\n\x1a\njunk"))
    assert len(pypdf.PdfReader(io.BytesIO(form_pdf(broken))).pages[0].images) == 1


def test_hash_is_stable_and_changes_with_one_answer_byte():
    again = replace(DOC, items=tuple(DOC.items))  # an equal document built anew
    assert document_hash(DOC) == document_hash(again)
    assert len(document_hash(DOC)) == 64
    assert form_pdf(DOC) == form_pdf(again)  # the PDF bytes are deterministic too
    changed = replace(DOC, items=(Answer("Full name", "short_text", "Dana Whitfielc"),
                                  *DOC.items[1:]))
    assert document_hash(changed) != document_hash(DOC)
    other_ink = replace(DOC, items=(*DOC.items[:-1], replace(
        DOC.items[-1], png=render_typed_signature("Dana Whitfie1d"))))
    assert document_hash(other_ink) != document_hash(DOC)
    assert document_hash(replace(DOC, audit=replace(AUDIT, ip="203.0.113.8"))) != \
        document_hash(DOC)


def test_hash_ignores_presentation_and_microseconds():
    looks_different = replace(DOC, lang="es", branding=Branding(name="Other", paper="A4"),
                              audit=replace(AUDIT, zone="Europe/Madrid",
                                            signed_at=AUDIT.signed_at.replace(microsecond=0)))
    assert document_hash(looks_different) == document_hash(DOC)


def test_canonical_bytes_are_sorted_compact_utf8_json():
    data = canonical_bytes(replace(DOC, title="Consentimiento — niño"))
    assert "niño".encode() in data and b": " not in data
    parsed = json.loads(data)
    assert parsed["format"] == "portal-form/1"
    assert parsed["signer"]["signed_at"] == "2026-12-06T15:04:05+00:00"
    assert [item["type"] for item in parsed["items"]] == [
        "answer", "answer", "answer", "statement", "signature"]
    assert data == json.dumps(parsed, ensure_ascii=False, sort_keys=True,
                              separators=(",", ":")).encode()


def test_branding_uses_the_invoice_paper_of_the_business():
    from models import Business

    assert branding_of(Business(name="A", timezone="America/Chicago")).paper == "Letter"
    assert branding_of(Business(name="B", timezone="Europe/Madrid")).paper == "A4"


def test_pdf_builds_with_core_fonts_when_dejavu_is_missing(monkeypatch):
    from portal_app.services.forms import pdf as form_pdf_module

    monkeypatch.setattr(form_pdf_module, "_unicode_fonts", lambda: None)
    text = _text(form_pdf(replace(DOC, lang="es")))
    assert "Registro de la firma" in text and document_hash(DOC) in text
