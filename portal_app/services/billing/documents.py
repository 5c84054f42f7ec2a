"""Invoice, estimate and receipt PDFs built from the database rows."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from models import Business, Client, Invoice, InvoiceKind, Payment, PaymentMethod
from portal_app.providers.base import Attachment
from portal_app.services.billing.invoices import invoice_lines, status_label
from portal_app.services.billing.pdf import (
    InvoicePdf,
    PdfBrand,
    PdfLine,
    ReceiptPdf,
    invoice_pdf,
    receipt_pdf,
)
from portal_app.services.business import get_business
from portal_app.services.money import format_money, quantity_text, rate_text
from portal_app.settings import get_settings


def _brand(business: Business) -> PdfBrand:
    logo = None
    if business.logo_file:
        logo = Path(get_settings().data_dir) / "brand" / business.logo_file
    return PdfBrand(name=business.name, address=business.address,
                    contact_email=business.contact_email, contact_phone=business.contact_phone,
                    accent_color=business.accent_color, logo_path=logo)


def invoice_pdf_bytes(session: Session, *, invoice: Invoice) -> bytes:
    business = get_business(session)
    client = session.get(Client, invoice.client_id)
    money = lambda minor: format_money(minor, invoice.currency)  # noqa: E731
    estimate = invoice.kind == InvoiceKind.ESTIMATE
    doc = InvoicePdf(
        title="Estimate" if estimate else "Invoice", number=invoice.number,
        status_label=status_label(invoice), issue_date=invoice.issue_date.isoformat(),
        due_date=invoice.due_date.isoformat() if invoice.due_date else "",
        client_name=client.full_name, client_email=client.email,
        lines=[PdfLine(ln.description, quantity_text(ln.quantity_hundredths),
                       money(ln.unit_price_minor), money(ln.amount_minor))
               for ln in invoice_lines(session, invoice_id=invoice.id)],
        subtotal=money(invoice.subtotal_minor),
        discount=f"-{money(invoice.discount_minor)}" if invoice.discount_minor else "",
        tax_label=f"Tax ({rate_text(invoice.tax_rate_bp)}%)" if invoice.tax_rate_bp else "",
        tax=money(invoice.tax_minor), total=money(invoice.total_minor),
        paid="" if estimate else money(invoice.paid_minor),
        balance="" if estimate else money(invoice.balance_minor), notes=invoice.notes)
    return invoice_pdf(_brand(business), doc)


def receipt_pdf_bytes(session: Session, *, payment: Payment, invoice: Invoice) -> bytes:
    business = get_business(session)
    client = session.get(Client, payment.client_id)
    receipt = ReceiptPdf(
        receipt_number=payment.receipt_number, paid_on=payment.paid_at.date().isoformat(),
        client_name=client.full_name, client_email=client.email,
        invoice_number=invoice.number,
        amount=format_money(payment.amount_minor, payment.currency),
        method_label=PaymentMethod.LABELS.get(payment.method, payment.method),
        refunded=(format_money(payment.refunded_minor, payment.currency)
                  if payment.refunded_minor else ""),
        invoice_total=format_money(invoice.total_minor, invoice.currency),
        invoice_balance=format_money(invoice.balance_minor, invoice.currency))
    return receipt_pdf(_brand(business), receipt)


def receipt_attachment(session: Session, *, payment: Payment, invoice: Invoice) -> Attachment:
    return Attachment(filename=f"receipt-{payment.receipt_number}.pdf",
                      content_type="application/pdf",
                      content=receipt_pdf_bytes(session, payment=payment, invoice=invoice))
