"""A submitted form's PDF (fpdf2, the paper of the business's invoices).

The PDF shows the answers as the client saw them, the signature images, and a
final audit page: who signed (and for whom, in a household), when in the
business's zone with the zone named, from which IP and browser, under which
consent text, the form's version and the document's SHA-256. Fixed texts are in
the document's language (Spanish in i18n/es_documents.py); user text is printed
as plain text, never as markup.

The SHA-256 printed on the audit page is the submission's
(`FormSubmission.document_sha256`): the hash of the stored canonical document
(`submit.canonical_bytes`), of which this PDF is a rendering (render.py builds
the `FormDocument` from it). It is not the hash of the PDF file, which cannot
contain its own hash; the file's SHA-256 is kept on its Document row instead
(signed_pdf.py), so "Verify" accepts either. For a given document the PDF bytes
are deterministic (the creation date is the signing time).
"""

from __future__ import annotations

import io

from fpdf.image_parsing import preload_image

from portal_app.i18n import formats
from portal_app.services.forms.document import (
    Answer,
    FormDocument,
    SignatureMark,
    Statement,
)
from portal_app.services.pdf_base import (
    INK,
    MUTED,
    RULE,
    TINT,
    PortalPdf,
    dejavu_fonts,
    place_logo,
)

_INK, _MUTED, _RULE, _TINT = INK, MUTED, RULE, TINT


def _unicode_fonts():
    """The DejaVu fonts, looked up here so a test can take them away."""
    return dejavu_fonts()


class _Doc(PortalPdf):
    """A form's pages: the shared PDF base, with a mono face for the hash."""

    def __init__(self, document: FormDocument) -> None:
        brand = document.branding
        super().__init__(paper=brand.paper, lang=document.lang, accent_color=brand.accent_color,
                         brand_name=brand.name, title=document.title, fonts=_unicode_fonts(),
                         mono=True)
        self.set_creation_date(document.audit.signed_at)

    def para(self, text: str, size: float = 10.5, bold: bool = False,
             color: tuple[int, int, int] = _INK, height: float = 5.5) -> None:
        self.font(size, bold=bold, color=color)
        self.multi_cell(0, height, self.t(text, multiline=True), align="L", new_x="LMARGIN",
                        new_y="NEXT")


def _logo(pdf: _Doc, data: bytes | None, x: float, y: float) -> float:
    """The logo in a 40x16 mm box at (x, y); its width, or 0 when there is none."""
    return place_logo(pdf, data, x, y, box_w=40.0, box_h=16.0)


def _header(pdf: _Doc, document: FormDocument) -> None:
    with pdf.local_context(fill_color=pdf.accent):
        pdf.rect(0, 0, pdf.w, 5, style="F")
    top, left = 14.0, pdf.l_margin
    logo_w = _logo(pdf, document.branding.logo, left, top)
    pdf.set_xy(left + logo_w + (5 if logo_w else 0), top + (4 if logo_w else 0))
    pdf.font(12, bold=True, color=_MUTED)
    pdf.cell(0, 7, pdf.t(document.branding.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + (16 if logo_w else 0)) + 4)
    pdf.para(document.title, size=18, bold=True, color=pdf.accent, height=8)
    pdf.para(pdf._("Form version {version}", version=document.version_label), size=9,
             color=_MUTED, height=5)
    if document.intro.strip():
        pdf.ln(2)
        pdf.para(document.intro.strip(), size=10, color=_MUTED, height=5)
    pdf.ln(3)
    _rule(pdf)


def _rule(pdf: _Doc, gap: float = 5) -> None:
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(gap)


def _answer(pdf: _Doc, item: Answer) -> None:
    if pdf.will_page_break(14):
        pdf.add_page()
    pdf.para(item.label, size=9.5, bold=True, color=_MUTED, height=5)
    if item.text.strip():
        pdf.para(item.text, size=11, height=5.8)
    else:
        pdf.para(pdf._("(no answer)"), size=10, color=_MUTED, height=5.8)
    pdf.ln(3.5)


def _statement(pdf: _Doc, item: Statement) -> None:
    if pdf.will_page_break(20):
        pdf.add_page()
    if item.label.strip():
        pdf.para(item.label, size=11, bold=True, height=6)
    pdf.font(10)
    pdf.set_fill_color(*_TINT)
    pdf.multi_cell(0, 5.2, pdf.t(item.text, multiline=True), fill=True, padding=(2.5, 3),
                   align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _signature(pdf: _Doc, item: SignatureMark) -> None:
    box_w, box_h = (35.0, 15.0) if item.initials else (75.0, 28.0)
    if pdf.will_page_break(box_h + 20):
        pdf.add_page()
    pdf.para(item.label, size=9.5, bold=True, color=_MUTED, height=5)
    top = pdf.get_y() + 1
    _, _, info = preload_image(pdf.image_cache, io.BytesIO(item.png))
    ratio = float(info["w"]) / float(info["h"])
    w, h = (box_w, box_w / ratio) if ratio > box_w / box_h else (box_h * ratio, box_h)
    pdf.image(io.BytesIO(item.png), x=pdf.l_margin, y=top, w=w, h=h)
    pdf.set_y(top + h + 1)
    pdf.set_draw_color(*_RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + box_w, pdf.get_y())
    pdf.ln(1.5)
    if item.initials:
        caption = "Initials of {name}, typed" if item.typed else "Initials of {name}, drawn"
    else:
        caption = "Signed by {name}, typed" if item.typed else "Signed by {name}, drawn"
    pdf.para(pdf._(caption, name=item.signer_name), size=9, color=_MUTED, height=5)
    pdf.ln(4)


def _audit_page(pdf: _Doc, document: FormDocument, digest: str) -> None:
    _ = pdf._
    audit = document.audit
    pdf.add_page()
    with pdf.local_context(fill_color=pdf.accent):
        pdf.rect(0, 0, pdf.w, 5, style="F")
    pdf.set_y(16)
    pdf.para(_("Signature record"), size=16, bold=True, color=pdf.accent, height=8)
    pdf.ln(2)
    if not audit.signer_is_client:
        pdf.para(_("Signed by {signer} for {client}", signer=audit.signer_name,
                   client=audit.client_name), size=11, bold=True, height=6)
        pdf.ln(2)
    rows = [
        (_("Form"), document.title),
        (_("Form version"), document.version_label),
        (_("Client"), audit.client_name),
        (_("Signed by"), audit.signer_name),
        (_("Signer's email"), audit.signer_email),
        (_("Signed at"), formats.when_long(audit.signed_at, audit.zone, pdf.lang)),
        (_("IP address"), audit.ip),
        (_("Browser"), audit.user_agent),
        (_("Consent to sign electronically"), audit.consent_text),
        (_("Consent version"), audit.consent_version),
    ]
    label_w = 52.0
    for label, value in rows:
        top = pdf.get_y()
        if pdf.will_page_break(12):
            pdf.add_page()
            top = pdf.get_y()
        pdf.font(9.5, bold=True, color=_MUTED)
        pdf.multi_cell(label_w - 3, 5.2, pdf.t(label), align="L", new_x="LMARGIN",
                       new_y="NEXT")
        label_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + label_w, top)
        pdf.font(10)
        pdf.multi_cell(pdf.epw - label_w, 5.2, pdf.t(value or "—", multiline=True),
                       align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), label_bottom, top + 5.2) + 2)
    pdf.ln(3)
    _rule(pdf, gap=4)
    pdf.para(_("Document SHA-256"), size=9.5, bold=True, color=_MUTED, height=5)
    pdf.font(9, mono=True)
    pdf.multi_cell(0, 5, digest, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.para(_("The fingerprint covers the answers, the signatures, the signer's details "
               "and the form version. Staff can check a copy with Verify a signed form."),
             size=8.5, color=_MUTED, height=4.5)


def form_pdf(document: FormDocument, *, sha256: str) -> bytes:
    """The submitted form as PDF bytes: the answers, the signatures, and the audit
    page carrying `sha256`, the submission's document hash."""
    digest = sha256
    pdf = _Doc(document)
    pdf.set_keywords(f"sha256:{digest}")
    pdf.add_page()
    _header(pdf, document)
    for item in document.items:
        if isinstance(item, Answer):
            _answer(pdf, item)
        elif isinstance(item, Statement):
            _statement(pdf, item)
        elif isinstance(item, SignatureMark):
            _signature(pdf, item)
    _audit_page(pdf, document, digest)
    return bytes(pdf.output())
