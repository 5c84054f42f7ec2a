"""What a recorded payment tells the client: the receipt email (with its PDF, made
when the email is sent) and the bell line. Both are written in the transaction that
records the payment, so a payment is never announced twice or lost (see the outbox)."""

from __future__ import annotations

from sqlmodel import Session

from models import Client, Invoice, NotificationKind, Payment
from portal_app import routes
from portal_app.services.billing.dates import client_zone, paid_on_text
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.emails import client_language
from portal_app.services.money import format_money
from portal_app.services.notification_texts import payment_params
from portal_app.services.notifications import notify
from portal_app.services.outbox import enqueue_email


def send_receipt(session: Session, *, payment: Payment, invoice: Invoice, base_url: str) -> None:
    """Queue the receipt email, its PDF attached, in the client's language."""
    # Imported here: the PDF code (fpdf2) loads only when a receipt is made.
    from portal_app.services.billing.printouts import method_label, receipt_attachment

    client = session.get(Client, payment.client_id)
    to = portal_email_of(session, client) or client.email
    if not to:
        return
    business = get_business(session)
    lang = client_language(client, business)
    enqueue_email(
        session, to=to, template="receipt", business=business,
        idempotency_key=f"receipt-{payment.receipt_number}", lang=lang,
        attachments=[receipt_attachment(payment, lang=lang)],
        client_name=client.full_name,
        amount=format_money(payment.amount_minor, payment.currency, lang),
        invoice_number=invoice.number, receipt_number=payment.receipt_number,
        paid_on=paid_on_text(payment, client_zone(client, business), lang),
        method=method_label(payment.method, lang),
        balance=format_money(invoice.balance_minor, invoice.currency, lang),
        url=f"{base_url}{routes.receipt_page(payment.id)}")


def announce_payment(session: Session, *, payment: Payment, invoice: Invoice,
                     base_url: str) -> None:
    """The receipt email and the bell line of a payment just recorded."""
    send_receipt(session, payment=payment, invoice=invoice, base_url=base_url)
    # The bell line only: the receipt email is the transactional copy.
    notify(session, client_id=payment.client_id, kind=NotificationKind.PAYMENT,
           params=payment_params(amount_minor=payment.amount_minor, currency=payment.currency,
                                 number=invoice.number),
           link=routes.receipt_page(payment.id), base_url=base_url, email=False)
