"""Invoice, estimate and receipt PDFs (the printouts) built from the database rows, in the
client's language (amounts and dates by Babel)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session

from models import Business, Client, Invoice, InvoiceKind, Payment, PaymentMethod
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services import stored_images
from portal_app.services.billing import dates
from portal_app.services.billing.dates import client_zone, paid_on_text
from portal_app.services.billing.invoices import invoice_lines, status_label
from portal_app.services.billing.links import pay_online_url
from portal_app.services.billing.paper import paper_size
from portal_app.services.billing.pdf import (
    InvoicePdf,
    PdfBrand,
    PdfLine,
    ReceiptPdf,
    invoice_pdf,
    receipt_pdf,
)
from portal_app.services.business import get_business
from portal_app.services.emails import client_language
from portal_app.services.money import format_money
from portal_app.services.outbox_attachments import Deferred
from portal_app.settings import get_settings


def _brand(business: Business) -> PdfBrand:
    logo = stored_images.logo_path(get_settings().data_dir, business.logo_file)
    return PdfBrand(name=business.name, address=business.address,
                    contact_email=business.contact_email, contact_phone=business.contact_phone,
                    accent_color=business.accent_color, logo_path=logo,
                    paper=paper_size(business))


def method_label(method: str, lang: str = i18n.DEFAULT) -> str:
    """"Bank transfer" / "Transferencia bancaria"."""
    return i18n.gettext(lang, PaymentMethod.LABELS.get(method, method))


def paid_on_day(payment: Payment, client: Client, business: Business) -> date:
    """The day a payment was made, on the client's calendar (see billing.dates)."""
    return dates.paid_on_day(payment, client_zone(client, business))


def invoice_pdf_bytes(session: Session, *, invoice: Invoice, lang: str = "",
                      base_url: str | None = None) -> bytes:
    """The invoice or estimate PDF in `lang`; by default in the client's language. An
    open invoice carries a "Pay online" link to its page under `base_url` (the
    portal's address by default)."""
    business = get_business(session)
    client = session.get(Client, invoice.client_id)
    lang = i18n.pick(lang, client_language(client, business))
    money = lambda minor: format_money(minor, invoice.currency, lang)  # noqa: E731
    estimate = invoice.kind == InvoiceKind.ESTIMATE
    tax_rate = formats.number(Decimal(invoice.tax_rate_bp).scaleb(-2), lang)
    doc = InvoicePdf(
        title=i18n.gettext(lang, "Estimate" if estimate else "Invoice"), number=invoice.number,
        status_label=status_label(invoice, lang),
        issue_date=formats.date_text(invoice.issue_date, lang),
        due_date=formats.date_text(invoice.due_date, lang) if invoice.due_date else "",
        client_name=client.full_name, client_email=client.email,
        lines=[PdfLine(ln.description,
                       formats.number(Decimal(ln.quantity_hundredths).scaleb(-2), lang),
                       money(ln.unit_price_minor), money(ln.amount_minor))
               for ln in invoice_lines(session, invoice_id=invoice.id)],
        subtotal=money(invoice.subtotal_minor),
        discount=f"-{money(invoice.discount_minor)}" if invoice.discount_minor else "",
        tax_label=i18n.gettext(lang, "Tax ({rate}%)", rate=tax_rate) if invoice.tax_rate_bp else "",
        tax=money(invoice.tax_minor), total=money(invoice.total_minor),
        paid="" if estimate else money(invoice.paid_minor),
        balance="" if estimate else money(invoice.balance_minor), notes=invoice.notes,
        lang=lang,
        pay_url=pay_online_url(invoice, client, business,
                               get_settings().base_url if base_url is None else base_url))
    return invoice_pdf(_brand(business), doc)


def receipt_pdf_bytes(session: Session, *, payment: Payment, invoice: Invoice,
                      lang: str = "") -> bytes:
    """The receipt PDF in `lang`; by default in the client's language."""
    business = get_business(session)
    client = session.get(Client, payment.client_id)
    lang = i18n.pick(lang, client_language(client, business))
    receipt = ReceiptPdf(
        receipt_number=payment.receipt_number,
        paid_on=paid_on_text(payment, client_zone(client, business), lang),
        client_name=client.full_name, client_email=client.email,
        invoice_number=invoice.number,
        amount=format_money(payment.amount_minor, payment.currency, lang),
        method_label=method_label(payment.method, lang),
        refunded=(format_money(payment.refunded_minor, payment.currency, lang)
                  if payment.refunded_minor else ""),
        invoice_total=format_money(invoice.total_minor, invoice.currency, lang),
        invoice_balance=format_money(invoice.balance_minor, invoice.currency, lang),
        lang=lang)
    return receipt_pdf(_brand(business), receipt)


def receipt_attachment(payment: Payment, *, lang: str = "") -> Deferred:
    """The receipt PDF of an email: made when the email is sent (outbox_attachments),
    not in the transaction that records the payment."""
    return Deferred(filename=f"receipt-{payment.receipt_number}.pdf",
                    content_type="application/pdf", kind="receipt",
                    params={"payment_id": payment.id, "lang": lang})


def receipt_pdf_for(session: Session, *, payment_id: int, lang: str = "") -> bytes:
    """The receipt PDF of a payment by id (the outbox worker makes it at send time)."""
    payment = session.get(Payment, int(payment_id))
    return receipt_pdf_bytes(session, payment=payment,
                             invoice=session.get(Invoice, payment.invoice_id), lang=lang)
