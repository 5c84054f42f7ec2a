"""The superbill PDF (fpdf2 on the shared PDF base): provider and patient blocks, one
row per session with its codes and amounts, totals per currency, the signature.

Everything an insurer reads is text (NPI, CPT, ICD-10 codes, amounts), never an
image, so it can be copied and checked. Labels are msgids in the reader's language
(Spanish in i18n/es_superbills_docs.py); days through the one formatter, the
dates of service on the client's calendar with the zone named. Only an issued-ready
superbill is printed: `superbill_pdf_bytes` refuses one with problems."""

from __future__ import annotations

from pathlib import Path

from fpdf.fonts import FontFace
from sqlmodel import Session

from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.billing.paper import paper_size
from portal_app.services.billing.superbills.model import PaidState, SuperbillDoc
from portal_app.services.billing.superbills.setup import signature_path
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.pdf_base import INK, MUTED, RULE, TINT, PortalPdf, dejavu_fonts, place_logo
from portal_app.settings import get_settings

CODE_NAMES = ("POS", "CPT", "ICD-10")  # the codes' own names, the same in every language
NOT_READY = "This superbill is missing data and cannot be printed."
MAX_IMAGE_BYTES = 5 * 1024 * 1024
STATUS = {PaidState.PAID: "Paid in full", PaidState.PARTIAL: "Partly paid",
          PaidState.UNPAID: "Not paid"}


def _image(business) -> bytes | None:
    """The signature image stored by the insurance settings (setup.py), or None."""
    path = signature_path(business, data_dir=Path(get_settings().data_dir))
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_IMAGE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_IMAGE_BYTES else None


def _block(pdf: PortalPdf, x: float, top: float, width: float, heading: str, name: str,
           rows: list[tuple[str, str]]) -> float:
    """A heading, a bold name and label: value rows in a column; its bottom."""
    pdf.set_xy(x, top)
    pdf.font(8, bold=True, color=MUTED)
    pdf.cell(width, 5, pdf.t(heading.upper()), new_x="LEFT", new_y="NEXT")
    pdf.font(11, bold=True)
    pdf.multi_cell(width, 6, pdf.t(name), new_x="LEFT", new_y="NEXT")
    for label, value in rows:
        if not value:
            continue
        pdf.font(9, color=MUTED)
        pdf.multi_cell(width, 4.6, pdf.t(f"{label}: {value}" if label else value, multiline=True),
                       new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def render_superbill(doc: SuperbillDoc, *, business_name: str, accent: str, paper: str,
                     lang: str, signature: bytes | None = None,
                     issued_on: str = "") -> bytes:
    """The PDF bytes of a built superbill in `lang`."""
    lang = i18n.pick(lang)
    pdf = PortalPdf(paper=paper, lang=lang, accent_color=accent, brand_name=business_name,
                    title=i18n.gettext(lang, "Superbill"), fonts=dejavu_fonts())
    _ = pdf._
    pdf.add_page()
    with pdf.local_context(fill_color=pdf.accent):
        pdf.rect(0, 0, pdf.w, 5, style="F")
    pdf.set_y(13)
    pdf.font(20, bold=True, color=pdf.accent)
    pdf.cell(0, 10, pdf.t(_("Superbill")), new_x="LMARGIN", new_y="NEXT")
    pdf.font(10, color=MUTED)
    days = _("{start} – {end}", start=formats.date_text(doc.start, lang),
             end=formats.date_text(doc.end, lang))
    pdf.cell(0, 5, pdf.t(_("Dates of service {days} ({zone})", days=days, zone=doc.zone)),
             new_x="LMARGIN", new_y="NEXT")
    if issued_on:
        pdf.cell(0, 5, pdf.t(_("Issued {date}", date=issued_on)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    p, c = doc.provider, doc.patient
    tax_label = "SSN" if p.tax_id_kind == "ssn" else "EIN"
    licence = f"{p.license_number} ({p.license_state})" if p.license_state else p.license_number
    top = pdf.get_y()
    half = pdf.epw / 2 - 4
    left = _block(pdf, pdf.l_margin, top, half, _("Provider"), p.legal_name, [
        (_("NPI (individual)"), p.npi_individual), (_("NPI (organisation)"), p.npi_organisation),
        (tax_label, p.tax_id), (_("Licence"), licence), (_("Taxonomy"), p.taxonomy_code),
        ("", p.address), (_("Phone"), p.phone)])
    right = _block(pdf, pdf.l_margin + half + 8, top, half, _("Patient"), c.name, [
        (_("Date of birth"), formats.date_text(c.date_of_birth, lang) if c.date_of_birth else ""),
        (_("Insurance member ID"), c.member_id), ("", c.address)])
    pdf.set_y(max(left, right) + 5)
    _table(pdf, doc, lang)
    _totals(pdf, doc, lang)
    _diagnoses(pdf, doc)
    _signature(pdf, signature)
    return bytes(pdf.output())


def _table(pdf: PortalPdf, doc: SuperbillDoc, lang: str) -> None:
    _ = pdf._
    money = lambda minor, cur: format_money(minor, cur, lang)  # noqa: E731
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=pdf.accent)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    pdf.font(8.5)
    with pdf.table(width=pdf.epw, col_widths=(24, 10, 13, 12, 11, 30, 22, 22, 30),
                   line_height=4.6, v_align="TOP", borders_layout="HORIZONTAL_LINES",
                   text_align=("LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "LEFT", "RIGHT",
                               "RIGHT", "LEFT"),
                   headings_style=heading, cell_fill_mode="EVEN_ROWS", cell_fill_color=TINT,
                   padding=(1.5, 1.5), repeat_headings=1, markdown=False) as table:
        header = table.row()
        for text in ("Date", "POS", "CPT", "Mod.", "Units", "ICD-10", "Fee", "Paid",
                     "Status"):
            header.cell(pdf.t(text if text in CODE_NAMES else _(text)))
        for line in doc.lines:
            row = table.row()
            status = _(STATUS[line.paid_state])
            if line.paid_state == PaidState.PARTIAL:
                status = _("Partly paid, {balance} open",
                           balance=money(line.balance_minor, line.currency))
            for text in (formats.date_text(line.day, lang), line.pos, line.cpt,
                         line.modifiers.replace(",", " "), str(line.units),
                         ", ".join(d.code for d in line.diagnoses),
                         money(line.fee_minor, line.currency),
                         money(line.paid_minor, line.currency), status):
                row.cell(pdf.t(text))


def _totals(pdf: PortalPdf, doc: SuperbillDoc, lang: str) -> None:
    _ = pdf._
    pdf.ln(3)
    for total in doc.totals:
        if pdf.will_page_break(20):
            pdf.add_page()
        for label, minor, bold in ((_("Total fees"), total.fees_minor, False),
                                   (_("Total paid"), total.paid_minor, True),
                                   (_("Balance"), total.balance_minor, False)):
            pdf.set_x(pdf.w - pdf.r_margin - 90)
            pdf.font(10, bold=bold, color=INK if bold else MUTED)
            pdf.cell(50, 6, pdf.t(f"{label} ({total.currency})"), align="R")
            pdf.font(10, bold=bold)
            pdf.cell(40, 6, pdf.t(format_money(minor, total.currency, lang)), align="R",
                     new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _diagnoses(pdf: PortalPdf, doc: SuperbillDoc) -> None:
    seen: dict[str, str] = {}
    for line in doc.lines:
        for d in line.diagnoses:
            seen.setdefault(d.code, d.description)
    if not seen:
        return
    pdf.ln(2)
    if pdf.will_page_break(12):
        pdf.add_page()
    pdf.font(8, bold=True, color=MUTED)
    pdf.cell(0, 5, pdf.t(pdf._("Diagnoses (ICD-10)").upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9)
    for code, description in seen.items():
        pdf.multi_cell(0, 4.8, pdf.t(f"{code}  {description}".strip()), new_x="LMARGIN",
                       new_y="NEXT")


def _signature(pdf: PortalPdf, signature: bytes | None) -> None:
    pdf.ln(6)
    if pdf.will_page_break(30):
        pdf.add_page()
    y = pdf.get_y()
    width = place_logo(pdf, signature, pdf.l_margin, y, box_w=60, box_h=18)
    pdf.set_y(y + (19 if width else 12))
    pdf.set_draw_color(*RULE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 70, pdf.get_y())
    pdf.font(8, color=MUTED)
    pdf.cell(70, 5, pdf.t(pdf._("Provider signature")), new_x="LMARGIN", new_y="NEXT")


def superbill_pdf_bytes(session: Session, *, doc: SuperbillDoc, lang: str,
                        issued_on: str = "") -> bytes:
    """The PDF of a built superbill; refused when it has problems (never printed
    with data missing)."""
    if doc.problems:
        raise ServiceError(NOT_READY)
    business = get_business(session)
    return render_superbill(doc, business_name=business.name, accent=business.accent_color,
                            paper=paper_size(business), lang=lang,
                            signature=_image(business), issued_on=issued_on)
