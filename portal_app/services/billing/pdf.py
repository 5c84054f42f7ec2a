"""Invoice, estimate and receipt PDFs (fpdf2, A4 or US Letter), from already-formatted text.

The values arrive formatted in the reader's language (`lang` on the document);
the labels are msgids looked up here (Spanish in i18n/es_documents.py).

Unicode text needs the DejaVu fonts; without them the core Helvetica font is used
and characters outside Windows-1252 become "?". User text is never interpreted as
markup. A logo that is missing, not PNG/JPEG or unreadable is simply left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf.fonts import FontFace

from portal_app import i18n
from portal_app.services.pdf_base import (
    INK,
    MUTED,
    RULE,
    TINT,
    PortalPdf,
    dejavu_fonts,
    place_logo,
)


@dataclass(frozen=True)
class PdfBrand:
    name: str
    address: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    accent_color: str = "#1F6FEB"
    logo_path: Path | None = None
    paper: str = "A4"  # or "Letter" (billing/paper.py picks it by the business's country)


@dataclass(frozen=True)
class PdfLine:
    description: str
    quantity: str
    unit_price: str
    amount: str


@dataclass(frozen=True)
class InvoicePdf:
    title: str
    number: str
    status_label: str
    issue_date: str
    due_date: str
    client_name: str
    client_email: str
    lines: list[PdfLine]
    subtotal: str
    discount: str
    tax_label: str
    tax: str
    total: str
    paid: str
    balance: str
    notes: str = ""
    lang: str = i18n.DEFAULT
    pay_url: str = ""  # an open invoice's page in the portal (Pay Now), as a link


@dataclass(frozen=True)
class ReceiptPdf:
    receipt_number: str
    paid_on: str
    client_name: str
    client_email: str
    invoice_number: str
    amount: str
    method_label: str
    refunded: str
    invoice_total: str
    invoice_balance: str
    lang: str = i18n.DEFAULT


_MAX_LOGO_BYTES = 10 * 1024 * 1024
_INK, _MUTED, _RULE, _STRIPE = INK, MUTED, RULE, TINT
_Row = tuple[str, str, str]  # (label, value, style: "" | "B" | "accent")


def _unicode_fonts():
    """The DejaVu fonts, looked up here so a test can take them away."""
    return dejavu_fonts()


class _Doc(PortalPdf):
    """An invoice or receipt page: the shared PDF base, first page added."""

    def __init__(self, brand: PdfBrand, title: str, lang: str = i18n.DEFAULT) -> None:
        super().__init__(paper=brand.paper, lang=lang, accent_color=brand.accent_color,
                         brand_name=brand.name, title=title, fonts=_unicode_fonts())
        self.add_page()


def _logo(pdf: _Doc, path: Path | None, x: float, y: float) -> float:
    """Draw the logo in a 45x18 mm box at (x, y); its width, or 0 when there is none."""
    if path is None:
        return 0
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(_MAX_LOGO_BYTES + 1)
    except OSError:
        return 0
    if len(data) > _MAX_LOGO_BYTES:
        return 0
    return place_logo(pdf, data, x, y, box_w=45.0, box_h=18.0)


def _header(pdf: _Doc, brand: PdfBrand, title: str, number: str) -> None:
    with pdf.local_context(fill_color=pdf.accent):  # a lasting fill colour would leak
        pdf.rect(0, 0, pdf.w, 5, style="F")  # into the table's unstriped rows
    top, left = 14.0, pdf.l_margin
    logo_w = _logo(pdf, brand.logo_path, left, top)
    text_x = left + logo_w + (5 if logo_w else 0)
    left_w = pdf.epw * 0.6 - (text_x - left)
    pdf.set_xy(text_x, top)
    pdf.font(15, bold=True)
    pdf.multi_cell(left_w, 7, pdf.t(brand.name), new_x="LEFT", new_y="NEXT")
    pdf.font(9, color=_MUTED)
    for text in (brand.address.strip(), brand.contact_email.strip(), brand.contact_phone.strip()):
        if text:
            pdf.multi_cell(left_w, 4.5, pdf.t(text, multiline=True), new_x="LEFT", new_y="NEXT")
    left_bottom = max(pdf.get_y(), top + (18 if logo_w else 0))
    right_x, right_w = left + pdf.epw * 0.6, pdf.epw * 0.4
    pdf.set_xy(right_x, top - 1)
    pdf.font(24, bold=True, color=pdf.accent)
    pdf.multi_cell(right_w, 11, pdf.t(title), align="R", new_x="LEFT", new_y="NEXT")
    pdf.font(11, color=_MUTED)
    pdf.multi_cell(right_w, 6, pdf.t(number), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 5)
    _rule(pdf)


def _rule(pdf: _Doc, gap: float = 5) -> None:
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.3)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(gap)


def _party(pdf: _Doc, heading: str, name: str, email: str, facts: list[_Row]) -> None:
    """Client block on the left, label/value facts on the right, then a rule."""
    top = pdf.get_y()
    label_w, value_w = 30.0, 58.0  # a date with time and zone ("Sep 30, 2026, 11:25 PM GMT+13")
    width = pdf.epw - label_w - value_w - 4
    pdf.font(8, bold=True, color=_MUTED)
    pdf.cell(width, 5, pdf.t(heading.upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.font(11, bold=True)
    pdf.multi_cell(width, 6, pdf.t(name), new_x="LMARGIN", new_y="NEXT")
    if email.strip():
        pdf.font(9.5, color=_MUTED)
        pdf.multi_cell(width, 5, pdf.t(email), new_x="LMARGIN", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    _kv(pdf, facts, label_w=label_w, value_w=value_w, height=5.5, size=9.5)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)
    _rule(pdf, gap=6)


def _kv(pdf: _Doc, rows: list[_Row], label_w: float, value_w: float, height: float,
        size: float) -> None:
    """Right-aligned label/value rows flush with the right margin."""
    x = pdf.w - pdf.r_margin - label_w - value_w
    for label, value, style in rows:
        pdf.set_x(x)
        pdf.font(size, bold=bool(style), color=_MUTED if not style else _INK)
        pdf.cell(label_w, height, pdf.t(label), align="R")
        pdf.font(size, bold=bool(style), color=pdf.accent if style == "accent" else _INK)
        pdf.cell(value_w, height, pdf.t(value), align="R", new_x="LMARGIN", new_y="NEXT")


def _lines_table(pdf: _Doc, lines: list[PdfLine]) -> None:
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.font(9.5)
    heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=pdf.accent)
    rows = [(ln.description, ln.quantity, ln.unit_price, ln.amount) for ln in lines]
    with pdf.table(width=pdf.epw, col_widths=(94, 18, 31, 31), line_height=5,
                   text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"), v_align="TOP",
                   borders_layout="HORIZONTAL_LINES", headings_style=heading,
                   cell_fill_mode="EVEN_ROWS", cell_fill_color=_STRIPE, padding=(2, 2),
                   repeat_headings=1, markdown=False) as table:
        header = table.row()
        for text in ("Description", "Qty", "Unit price", "Amount"):
            header.cell(pdf.t(pdf._(text)))
        for row_texts in rows or [(pdf._("No items"), "", "", "")]:
            row = table.row()
            row.cell(pdf.t(row_texts[0], multiline=True))
            for text in row_texts[1:]:
                row.cell(pdf.t(text))


def _totals(pdf: _Doc, doc: InvoicePdf) -> None:
    _ = pdf._
    rows: list[_Row] = [(_("Subtotal"), doc.subtotal, "")]
    if doc.discount.strip():
        rows.append((_("Discount"), doc.discount, ""))
    if doc.tax_label.strip():
        rows.append((doc.tax_label, doc.tax, ""))
    rows.append((_("Total"), doc.total, "B"))
    if doc.paid.strip() or doc.balance.strip():
        rows += [(_("Paid"), doc.paid, ""), (_("Balance due"), doc.balance, "accent")]
    if pdf.will_page_break(len(rows) * 7 + 8):
        pdf.add_page()
    pdf.ln(4)
    _kv(pdf, rows, label_w=50, value_w=36, height=7, size=10.5)


def _pay_link(pdf: _Doc, url: str) -> None:
    """"Pay online" and the address, both a link to the invoice's page in the portal."""
    if not url.strip():
        return
    pdf.ln(4)
    if pdf.will_page_break(14):
        pdf.add_page()
    pdf.font(11, bold=True, color=pdf.accent)
    pdf.cell(0, 6, pdf.t(pdf._("Pay online")), link=url, new_x="LMARGIN", new_y="NEXT")
    pdf.font(9, color=_MUTED)
    pdf.cell(0, 5, pdf.t(url), link=url, new_x="LMARGIN", new_y="NEXT")


def _notes(pdf: _Doc, notes: str) -> None:
    if not notes.strip():
        return
    pdf.ln(6)
    if pdf.will_page_break(15):
        pdf.add_page()
    pdf.font(8, bold=True, color=_MUTED)
    pdf.cell(0, 5, pdf.t(pdf._("Notes").upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.font(9.5)
    pdf.multi_cell(0, 5, pdf.t(notes.strip(), multiline=True), new_x="LMARGIN", new_y="NEXT")


def invoice_pdf(brand: PdfBrand, doc: InvoicePdf) -> bytes:
    """An invoice or estimate (doc.title, already in doc.lang) as PDF bytes."""
    pdf = _Doc(brand, f"{doc.title} {doc.number}", doc.lang)
    _ = pdf._
    _header(pdf, brand, doc.title, doc.number)
    facts: list[_Row] = [(_("Status"), doc.status_label, "accent"),
                         (_("Issued"), doc.issue_date, "")]
    if doc.due_date.strip():
        facts.append((_("Due"), doc.due_date, ""))
    _party(pdf, _("Bill to"), doc.client_name, doc.client_email, facts)
    _lines_table(pdf, doc.lines)
    _totals(pdf, doc)
    _pay_link(pdf, doc.pay_url)
    _notes(pdf, doc.notes)
    return bytes(pdf.output())


def receipt_pdf(brand: PdfBrand, receipt: ReceiptPdf) -> bytes:
    """A payment receipt as PDF bytes."""
    title = i18n.gettext(i18n.pick(receipt.lang), "Receipt")
    pdf = _Doc(brand, f"{title} {receipt.receipt_number}", receipt.lang)
    _ = pdf._
    _header(pdf, brand, title, receipt.receipt_number)
    facts: list[_Row] = [(_("Paid on"), receipt.paid_on, ""),
                         (_("For invoice"), receipt.invoice_number, "")]
    _party(pdf, _("Received from"), receipt.client_name, receipt.client_email, facts)
    tint = tuple(round(c + (255 - c) * 0.9) for c in pdf.accent)
    with pdf.local_context(fill_color=tint):
        pdf.rect(pdf.l_margin, pdf.get_y(), pdf.epw, 28, style="F")
    pdf.set_xy(pdf.l_margin + 6, pdf.get_y() + 4)
    pdf.font(9, bold=True, color=_MUTED)
    pdf.cell(0, 5, pdf.t(_("Amount paid").upper()), new_x="LEFT", new_y="NEXT")
    pdf.font(26, bold=True, color=pdf.accent)
    pdf.cell(pdf.epw - 12, 14, pdf.t(receipt.amount), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    rows: list[_Row] = [(_("Payment method"), receipt.method_label, "")]
    if receipt.refunded.strip():
        rows.append((_("Refunded"), receipt.refunded, ""))
    rows += [(_("Invoice total"), receipt.invoice_total, ""),
             (_("Remaining balance"), receipt.invoice_balance, "B")]
    _kv(pdf, rows, label_w=50, value_w=36, height=7, size=10.5)
    pdf.ln(10)
    pdf.font(12, bold=True)
    pdf.cell(0, 7, pdf.t(_("Thank you for your payment.")), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
