"""A submitted form's PDF carries the answers, the signature and the audit page; its
audit page prints the submission's document hash (submit.py defines it)."""

import io
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
from portal_app.services.forms.pdf import form_pdf
from portal_app.services.forms.render import form_document_from
from portal_app.services.forms.signature import render_typed_signature

DIGEST = "ab" * 32
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
    data = form_pdf(DOC, sha256=DIGEST)
    reader = pypdf.PdfReader(io.BytesIO(data))
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    for text in ("Consent to treatment", "Form version v3", "Full name", "Mar 5, 1990",
                 "(no answer)", "Cancellation policy", "Cancel 24 hours ahead",
                 "Signed by Dana Whitfield, typed"):
        assert text in first, text
    digest = DIGEST
    for text in ("Signature record", digest, "203.0.113.7", "v3", "dana@example.com",
                 "iPhone OS 18_0", "consent-2", "I agree to sign this form electronically.",
                 "December 6, 2026", "9:04", "CST", "America/Chicago"):
        assert text in last, text
    assert "Signed by Dana Whitfield for" not in data.decode("latin-1")
    assert reader.metadata.get("/Keywords") == f"sha256:{digest}"
    assert float(reader.pages[0].mediabox.width) == 612  # Letter, as chosen for the business


def test_pdf_in_spanish_has_spanish_fixed_texts():
    text = _text(form_pdf(replace(DOC, lang="es"), sha256=DIGEST))
    for phrase in ("Versión del formulario v3", "(sin respuesta)", "Registro de la firma",
                   "Dirección IP", "Navegador", "SHA-256 del documento",
                   "Firmado por Dana Whitfield, escrito", "diciembre de 2026"):
        assert phrase in text, phrase


def test_household_member_signing_for_another_says_so():
    audit = replace(AUDIT, signer_name="Alex Whitfield", signer_email="alex@example.com",
                    signer_is_client=False)
    text = _text(form_pdf(replace(DOC, audit=audit), sha256=DIGEST))
    assert "Signed by Alex Whitfield for Dana Whitfield" in text
    assert "Firmado por Alex Whitfield en nombre de Dana Whitfield" in _text(
        form_pdf(replace(DOC, audit=audit, lang="es"), sha256=DIGEST))


def test_signature_png_is_embedded_as_an_image():
    reader = pypdf.PdfReader(io.BytesIO(form_pdf(DOC, sha256=DIGEST)))
    images = reader.pages[0].images
    assert len(images) == 1
    with Image.open(io.BytesIO(SIGNATURE)) as original:
        assert images[0].image.size == original.size
    png = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 111, 235)).save(png, format="PNG")
    logo = replace(DOC, branding=Branding(name="Harbor Physio", logo=png.getvalue()))
    assert len(pypdf.PdfReader(io.BytesIO(form_pdf(logo, sha256=DIGEST))).pages[0].images) == 2
    broken = replace(DOC, branding=Branding(name="Harbor Physio", logo=b"\x89PNG\r\n\x1a\njunk"))
    assert len(pypdf.PdfReader(io.BytesIO(form_pdf(broken, sha256=DIGEST))).pages[0].images) == 1


def test_pdf_bytes_are_deterministic_and_carry_the_given_hash():
    again = replace(DOC, items=tuple(DOC.items))  # an equal document built anew
    assert form_pdf(DOC, sha256=DIGEST) == form_pdf(again, sha256=DIGEST)
    other = "cd" * 32
    assert other in _text(form_pdf(DOC, sha256=other))


def test_render_builds_the_pdf_document_from_the_stored_canonical_document():
    stored = {
        "format": "portal-form/1", "business": "Harbor Physio",
        "form": {"template_id": 1, "version_id": 3, "version": 3, "title": "Consent",
                 "intro": "Please read.", "request_id": 9},
        "client": {"id": 4, "name": "Dana Whitfield"},
        "fields": [
            {"key": "n", "kind": "short_text", "label": "Full name", "help": "",
             "answer": "Dana Whitfield"},
            {"key": "d", "kind": "date", "label": "Date of birth", "help": "",
             "answer": "1990-03-05"},
            {"key": "y", "kind": "yes_no", "label": "Allergies?", "help": "", "answer": "no"},
            {"key": "m", "kind": "multiple_choice", "label": "Classes", "help": "",
             "answer": ["Yoga", "Pilates"]},
            {"key": "p", "kind": "statement", "label": "Policy", "help": "Cancel early.",
             "answer": None},
            {"key": "s", "kind": "signature", "label": "Signature", "help": "",
             "answer": {"mode": "typed", "text": "Dana W"}},
        ],
        "signer": {"account_id": 2, "email": "dana@example.com", "ip": "203.0.113.7",
                   "user_agent": "Phone"},
        "consent": {"version": 2, "text": "I agree to sign electronically."},
        "submitted_at": "2026-12-06T15:04:05+00:00",
    }
    doc = form_document_from(stored, branding=Branding(name="Harbor Physio"),
                             zone="America/Chicago", lang="en", signer_name="Dana Whitfield")
    assert [type(i).__name__ for i in doc.items] == [
        "Answer", "Answer", "Answer", "Answer", "Statement", "SignatureMark"]
    assert [i.text for i in doc.items[:4]] == [
        "Dana Whitfield", "Mar 5, 1990", "No", "Yoga, Pilates"]
    assert doc.items[-1].typed and doc.audit.consent_version == "2"
    assert doc.audit.signed_at == datetime(2026, 12, 6, 15, 4, 5, tzinfo=UTC)
    text = _text(form_pdf(doc, sha256=DIGEST))
    for phrase in ("Consent", "Please read.", "Mar 5, 1990", "Cancel early.", DIGEST,
                   "203.0.113.7", "I agree to sign electronically."):
        assert phrase in text, phrase


def test_branding_uses_the_invoice_paper_of_the_business():
    from models import Business

    assert branding_of(Business(name="A", timezone="America/Chicago")).paper == "Letter"
    assert branding_of(Business(name="B", timezone="Europe/Madrid")).paper == "A4"


def test_pdf_builds_with_core_fonts_when_dejavu_is_missing(monkeypatch):
    from portal_app.services.forms import pdf as form_pdf_module

    monkeypatch.setattr(form_pdf_module, "_unicode_fonts", lambda: None)
    text = _text(form_pdf(replace(DOC, lang="es"), sha256=DIGEST))
    assert "Registro de la firma" in text and DIGEST in text


def test_render_reads_a_drawn_signature_from_its_data_url():
    import base64

    from PIL import ImageDraw

    from portal_app.services.forms.render import signature_png

    canvas = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).line([(20, 70), (120, 20), (280, 60)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()

    png, typed = signature_png({"mode": "drawn", "data": url}, fallback_name="Dana")
    assert not typed and png.startswith(b"\x89PNG")
    png, typed = signature_png({"mode": "typed", "text": "Dana"}, fallback_name="X")
    assert typed and png == render_typed_signature("Dana")
