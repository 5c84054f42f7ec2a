"""Invoice, estimate and receipt PDFs: they build, parse and carry their text."""

import io
import struct
import zlib
from dataclasses import replace

import pypdf
import pytest

from portal_app.services.billing import pdf as billing_pdf
from portal_app.services.billing.pdf import (
    InvoicePdf,
    PdfBrand,
    PdfLine,
    ReceiptPdf,
    invoice_pdf,
    receipt_pdf,
)

BRAND = PdfBrand(name="Harbor Physio", address="12 Quay Street\nPortside, PS 4021",
                 contact_email="hello@harbor.example", contact_phone="+1 555 0100")

INVOICE = InvoicePdf(
    title="Invoice", number="INV-0042", status_label="Open", issue_date="2024-05-01",
    due_date="2024-05-15", client_name="Dana Whitfield", client_email="dana@example.com",
    lines=[PdfLine("Initial assessment", "1", "$120.00", "$120.00"),
           PdfLine("Follow-up session", "1.5", "$80.00", "$120.00")],
    subtotal="$240.00", discount="-$20.00", tax_label="Tax (8.25%)", tax="$18.15",
    total="$238.15", paid="$100.00", balance="$138.15", notes="Thanks for your business.")

RECEIPT = ReceiptPdf(
    receipt_number="RCT-0007", paid_on="2024-05-03", client_name="Dana Whitfield",
    client_email="dana@example.com", invoice_number="INV-0042", amount="$100.00",
    method_label="Card", refunded="", invoice_total="$238.15", invoice_balance="$138.15")


def _reader(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(data).pages)


def _png(width: int = 4, height: int = 2) -> bytes:
    """A small valid RGB PNG built by hand."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + bytes((200, 40, 90)) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_invoice_contains_its_text_and_metadata():
    data = invoice_pdf(BRAND, INVOICE)
    text = _text(data)
    for expected in ("Harbor Physio", "Invoice", "INV-0042", "Dana Whitfield",
                     "dana@example.com", "Initial assessment", "Follow-up session",
                     "$238.15", "$138.15", "Balance due", "Tax (8.25%)", "Discount",
                     "-$20.00", "2024-05-15", "Open", "Thanks for your business.",
                     "12 Quay Street", "Portside, PS 4021", "hello@harbor.example"):
        assert expected in text, expected
    meta = _reader(data).metadata
    assert meta.title == "Invoice INV-0042 — Harbor Physio"
    assert meta.author == "Harbor Physio"
    assert meta.creator == "Client Portal"


def test_estimate_has_no_balance_or_optional_rows():
    doc = replace(INVOICE, title="Estimate", number="EST-0003", paid="", balance="",
                  discount="", tax_label="", tax="", due_date="", notes="")
    text = _text(invoice_pdf(BRAND, doc))
    assert "Estimate" in text and "EST-0003" in text and "$238.15" in text
    for absent in ("Balance", "Paid", "Discount", "Tax", "Due", "NOTES"):
        assert absent not in text, absent


def test_receipt_contains_its_text():
    text = _text(receipt_pdf(BRAND, RECEIPT))
    for expected in ("Receipt", "RCT-0007", "$100.00", "INV-0042", "Card", "2024-05-03",
                     "Dana Whitfield", "$238.15", "$138.15", "Thank you", "Harbor Physio"):
        assert expected in text, expected
    assert "Refunded" not in text
    refunded = _text(receipt_pdf(BRAND, replace(RECEIPT, refunded="$25.00")))
    assert "Refunded" in refunded and "$25.00" in refunded


def test_many_lines_span_pages():
    lines = [PdfLine(f"Session number {i}", "1", "$10.00", "$10.00") for i in range(1, 81)]
    data = invoice_pdf(BRAND, replace(INVOICE, lines=lines))
    reader = _reader(data)
    assert len(reader.pages) > 1
    text = _text(data)
    assert "Session number 80" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert text.count("Unit price") == len(reader.pages)  # header repeated on each page
    assert "$138.15" in reader.pages[-1].extract_text()


def test_long_description_wraps():
    words = [f"word{i}" for i in range(100)]
    description = " ".join(words)[:600].rsplit(" ", 1)[0] + " finalword"
    token = "x" * 300
    doc = replace(INVOICE, lines=[PdfLine(description, "1", "$1.00", "$1.00"),
                                  PdfLine(token, "1", "$1.00", "$1.00")])
    text = _text(invoice_pdf(BRAND, doc))
    assert "finalword" in text
    assert "word0" in text


def test_unicode_names_do_not_raise():
    brand = replace(BRAND, name="Café Zoë — Łódź 李", address="Straße 5\n東京")
    doc = replace(INVOICE, client_name="Zoë Łukasz 李雷", total="€238,15",
                  lines=[PdfLine("Séance “spéciale” – ½ h", "1", "€1,00", "€1,00")])
    text = _text(invoice_pdf(brand, doc))
    assert "Zo" in text
    if billing_pdf._unicode_fonts():
        assert "Zoë Łukasz" in text and "Séance “spéciale” – ½ h" in text
    receipt = replace(RECEIPT, client_name="Zoë Łukasz 李雷")
    assert "Zo" in _text(receipt_pdf(brand, receipt))


def test_core_font_fallback_without_dejavu(monkeypatch):
    monkeypatch.setattr(billing_pdf, "_unicode_fonts", lambda: None)
    brand = replace(BRAND, name="Café Zoë 李")
    doc = replace(INVOICE, client_name="Zoë Łukasz 李雷", total="€238,15",
                  notes="tab\there\r\nemoji 😀")
    text = _text(invoice_pdf(brand, doc))
    assert "Zoë ?ukasz ??" in text
    assert "€238,15" in text  # Windows-1252 covers the euro sign
    assert "Zo" in _text(receipt_pdf(brand, replace(RECEIPT, client_name="李雷 Zoë")))


def test_spanish_labels_and_document_language():
    doc = replace(INVOICE, title="Factura", status_label="Pendiente", total="238,15\u00a0US$",
                  lang="es")
    data = invoice_pdf(BRAND, doc)
    text = _text(data)
    for label in ("FACTURAR A", "Estado", "Fecha de emisión", "Vencimiento", "Descripción",
                  "Cant.", "Precio unit.", "Importe", "Subtotal", "Descuento", "Total",
                  "Pagado", "Saldo pendiente", "NOTAS", "Página 1 de 1"):
        assert label in text, label
    for english in ("BILL TO", "Status", "Issued", "Due", "Description", "Balance", "NOTES",
                    "Page"):
        assert english not in text, english
    assert _reader(data).trailer["/Root"]["/Lang"] == "es"
    assert _reader(invoice_pdf(BRAND, INVOICE)).trailer["/Root"]["/Lang"] == "en"
    receipt = _text(receipt_pdf(BRAND, replace(RECEIPT, lang="es", refunded="25,00 US$")))
    for label in ("Recibo", "RECIBIDO DE", "Fecha de pago", "Factura", "IMPORTE PAGADO",
                  "Forma de pago", "Reembolsado", "Total de la factura", "Saldo restante",
                  "Gracias por tu pago."):
        assert label in receipt, label
    assert "Receipt" not in receipt and "AMOUNT PAID" not in receipt
    assert _reader(receipt_pdf(BRAND, replace(RECEIPT, lang="es"))).metadata.title == (
        "Recibo RCT-0007 — Harbor Physio")


def test_core_fonts_keep_babel_spaces(monkeypatch):
    # Babel puts a narrow no-break space in English times and a no-break space in
    # Spanish amounts; Windows-1252 has only the latter, so no "?" may appear.
    monkeypatch.setattr(billing_pdf, "_unicode_fonts", lambda: None)
    doc = replace(INVOICE, due_date="May 15, 2024, 2:30\u202fPM", total="238,15\u00a0US$")
    text = _text(invoice_pdf(BRAND, doc)).replace("\u00a0", " ")
    assert "2:30 PM" in text and "238,15 US$" in text and "?" not in text


def test_markup_is_printed_literally():
    markup = "<b>x</b> **y** {nb}"
    doc = replace(INVOICE, client_name=markup, notes=markup,
                  lines=[PdfLine(markup, "1", "$1.00", "$1.00")])
    text = _text(invoice_pdf(replace(BRAND, name=markup), doc))
    assert text.count(markup) >= 4


def test_logo_png_is_embedded(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())
    plain = invoice_pdf(BRAND, INVOICE)
    with_logo = invoice_pdf(replace(BRAND, logo_path=logo), INVOICE)
    assert len(with_logo) > len(plain)
    assert "/Subtype /Image" in with_logo.decode("latin-1")
    assert "Harbor Physio" in _text(with_logo)
    receipt = receipt_pdf(replace(BRAND, logo_path=logo), RECEIPT)
    assert len(receipt) > len(receipt_pdf(BRAND, RECEIPT))


def test_logo_jpeg_is_embedded(tmp_path):
    image = pytest.importorskip("PIL.Image")
    logo = tmp_path / "logo.jpg"
    image.new("RGB", (300, 60), (10, 120, 200)).save(logo, "JPEG")
    data = invoice_pdf(replace(BRAND, logo_path=logo), INVOICE)
    assert len(data) > len(invoice_pdf(BRAND, INVOICE))


@pytest.mark.parametrize("kind", ["garbage_png", "truncated_png", "svg", "missing", "directory"])
def test_bad_logo_is_left_out(tmp_path, kind):
    path = tmp_path / "logo.png"
    if kind == "garbage_png":
        path.write_bytes(b"this is not an image at all")
    elif kind == "truncated_png":
        path.write_bytes(_png()[:30])
    elif kind == "svg":
        path = tmp_path / "logo.svg"
        path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>')
    elif kind == "directory":
        path = tmp_path
    brand = replace(BRAND, logo_path=path)
    text = _text(invoice_pdf(brand, INVOICE))
    assert "INV-0042" in text
    assert "RCT-0007" in _text(receipt_pdf(brand, RECEIPT))


@pytest.mark.parametrize("color", ["red", "#12345", "", "#GGGGGG", "1F6FEB", "#1f6feb "])
def test_invalid_accent_colour_falls_back(color):
    assert "INV-0042" in _text(invoice_pdf(replace(BRAND, accent_color=color), INVOICE))


def test_empty_invoice_and_blank_brand():
    doc = replace(INVOICE, lines=[], client_email="", notes="   ")
    text = _text(invoice_pdf(PdfBrand(name=""), doc))
    assert "No items" in text and "INV-0042" in text


def test_accent_colour_does_not_leak_into_table_rows():
    """The header band's fill colour must not become the unstriped rows' background."""

    def accent_ops(count: int) -> int:
        lines = [PdfLine(f"Item {i}", "1", "$1.00", "$1.00") for i in range(count)]
        page = _reader(invoice_pdf(BRAND, replace(INVOICE, lines=lines))).pages[0]
        return page.get_contents().get_data().count(b"0.1216 0.4353 0.9216 rg")

    assert accent_ops(2) == accent_ops(12)
