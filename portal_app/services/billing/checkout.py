"""Online checkout: the amount a client may pay, the attempt, and Pay itself.

Pay is a saga of three short transactions around the provider call, so the
call never holds the database: the attempt is committed first (its id is the
provider's idempotency key, and it travels in the metadata, so a crash after
the call loses nothing), then the provider opens a hosted checkout, then its
session id and URL are stored (or the attempt is marked failed). What was
paid is recorded later, from the provider's event (`events`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlmodel import Session, select

from models import AttributionEvent, CheckoutAttempt, Invoice, InvoiceKind, InvoiceStatus
from portal_app import routes
from portal_app.db import session_scope
from portal_app.providers.payments import (
    CheckoutRequest,
    CheckoutSession,
    PaymentGateway,
    PaymentProviderError,
)
from portal_app.services.billing.invoices import NO_INVOICE, get_invoice_for
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed, NotFound, ServiceError
from portal_app.services.money import format_money, minimum_charge, parse_amount
from portal_app.services.referrals.visits import ReferralCookie, attribute_visit

PAY_UNAVAILABLE = "Online payment is not available to you. Please contact us."
NO_CHECKOUT = "That payment page does not exist."


def _payable(session: Session, *, client_id: int, invoice_id: object) -> Invoice:
    invoice = get_invoice_for(session, client_id=client_id, invoice_id=invoice_id)
    if invoice.kind != InvoiceKind.INVOICE:
        raise NotFound(NO_INVOICE)
    if invoice.status not in InvoiceStatus.OPEN or invoice.balance_minor <= 0:
        raise NotAllowed("This invoice has nothing left to pay.")
    return invoice


def payment_amount(invoice: Invoice, amount_text: object | None) -> int:
    """The amount of an online payment: the balance, or a chosen part of it."""
    balance = invoice.balance_minor
    least = minimum_charge(invoice.currency)
    if amount_text in (None, ""):
        amount = balance
    else:
        amount = parse_amount(amount_text, invoice.currency, what="an amount", allow_zero=False)
    if amount > balance:
        raise ServiceError(f"The most you can pay is the balance, "
                           f"{format_money(balance, invoice.currency)}.", field="amount")
    if amount < least:
        if balance < least:
            raise NotAllowed(f"The balance is below the smallest online payment "
                             f"({format_money(least, invoice.currency)}). Please contact us.")
        raise ServiceError(f"The smallest online payment is "
                           f"{format_money(least, invoice.currency)}.", field="amount")
    if amount < balance and balance - amount < least:
        # What is left must stay payable online.
        raise ServiceError(f"Pay the whole balance, or leave at least "
                           f"{format_money(least, invoice.currency)} to pay later.",
                           field="amount")
    return amount


# --- the steps of Pay ----------------------------------------------------------------------


def prepare_checkout(session: Session, *, client_id: int, invoice_id: object,
                     amount_text: object | None, provider: str, tab_token: str
                     ) -> CheckoutAttempt:
    """Step 1 of Pay: check the invoice and amount, write the attempt (committed
    before the provider is called, so a crash loses nothing)."""
    invoice = _payable(session, client_id=client_id, invoice_id=invoice_id)
    attempt = CheckoutAttempt(invoice_id=invoice.id, client_id=client_id,
                              amount_minor=payment_amount(invoice, amount_text),
                              currency=invoice.currency, provider=provider,
                              tab_token=str(tab_token or "")[:64])
    session.add(attempt)
    session.flush()
    return attempt


def checkout_request(session: Session, *, attempt: CheckoutAttempt, customer_email: str,
                     base_url: str) -> CheckoutRequest:
    """What the provider is asked for: the attempt's amount, and the invoice page to
    come back to (paid or cancelled)."""
    invoice = session.get(Invoice, attempt.invoice_id)
    page = f"{base_url}{routes.invoice_page(invoice.id)}"
    return CheckoutRequest(
        attempt_id=attempt.id, invoice_id=invoice.id, client_id=attempt.client_id,
        invoice_number=invoice.number, amount_minor=attempt.amount_minor,
        currency=attempt.currency, customer_email=customer_email,
        description=f"Invoice {invoice.number} — {get_business(session).name}",
        success_url=f"{page}&paid=1", cancel_url=f"{page}&cancelled=1")


def open_checkout(session: Session, *, attempt_id: int, provider_session_id: str,
                  url: str) -> CheckoutAttempt:
    """Step 2: the provider answered; keep its session id and URL."""
    attempt = session.get(CheckoutAttempt, attempt_id)
    attempt.provider_session_id = provider_session_id
    attempt.checkout_url = url
    attempt.status = "open" if attempt.status == "creating" else attempt.status
    session.add(attempt)
    session.flush()
    return attempt


def fail_checkout(session: Session, *, attempt_id: int) -> None:
    """Step 2 when the provider refused, or its checkout failed or expired."""
    attempt = session.get(CheckoutAttempt, attempt_id)
    if attempt is not None and attempt.status in ("creating", "open"):
        attempt.status = "failed"
        session.add(attempt)
        session.flush()


async def run_checkout(gateway: PaymentGateway | None,
                       prepare: Callable[[Session], CheckoutRequest]) -> CheckoutSession:
    """The saga around the provider call: `prepare` writes the attempt and says what to
    ask for (committed first), then `gateway` opens a hosted checkout, then its answer
    is kept (or the attempt is marked failed). Raises ServiceError with what to tell
    the payer."""
    if gateway is None:
        raise NotAllowed(PAY_UNAVAILABLE)
    with session_scope() as session:
        request = prepare(session)
    try:
        opened = await asyncio.to_thread(gateway.create_checkout, request)
    except PaymentProviderError as exc:
        with session_scope() as session:
            fail_checkout(session, attempt_id=request.attempt_id)
        raise ServiceError(exc.message) from exc
    with session_scope() as session:
        open_checkout(session, attempt_id=request.attempt_id, provider_session_id=opened.id,
                      url=opened.url)
    return opened


async def start_checkout(gateway: PaymentGateway | None, *, client_id: int, customer_email: str,
                         invoice_id: object, amount_text: object | None, tab_token: str,
                         base_url: str, referral: ReferralCookie | None = None
                         ) -> CheckoutSession:
    """Pay: write the attempt, ask `gateway` for a hosted checkout, keep its answer.
    The caller has checked that `client_id` is the signed-in payer allowed to pay;
    the invoice is checked for ownership here. Returns the checkout to send the
    browser to; raises ServiceError with what to tell the payer. `referral`: the
    browser's referral cookie, bound with the attempt (a purchase; referrals/visits.py)."""

    def prepare(session: Session) -> CheckoutRequest:
        attempt = prepare_checkout(session, client_id=client_id, invoice_id=invoice_id,
                                   amount_text=amount_text, provider=gateway.name,
                                   tab_token=tab_token)
        attribute_visit(session, client_id=client_id, event=AttributionEvent.PURCHASE,
                        cookie=referral)
        return checkout_request(session, attempt=attempt, customer_email=customer_email,
                                base_url=base_url)

    return await run_checkout(gateway, prepare)


# --- reads ---------------------------------------------------------------------------------


def get_attempt_for(session: Session, *, client_id: int, provider_session_id: str
                    ) -> CheckoutAttempt:
    """The payer's own attempt behind a provider session id; NotFound for anyone else's."""
    attempt = session.exec(select(CheckoutAttempt).where(
        CheckoutAttempt.provider_session_id == str(provider_session_id or ""))).first()
    if attempt is None or attempt.client_id != client_id:
        raise NotFound(NO_CHECKOUT)
    return attempt


def attempt_for_provider_session(session: Session, obj: dict) -> CheckoutAttempt | None:
    """The attempt a provider's checkout session (an event's object) belongs to."""
    session_id = str(obj.get("id") or "")
    attempt = session.exec(select(CheckoutAttempt).where(
        CheckoutAttempt.provider_session_id == session_id)).first()
    if attempt is not None:
        return attempt
    # The process may have died between calling the provider and storing its
    # session id: the attempt id travels in the metadata.
    meta = obj.get("metadata") or {}
    try:
        attempt = session.get(CheckoutAttempt, int(meta.get("attempt_id")))
    except (TypeError, ValueError):
        return None
    if attempt is None or str(attempt.invoice_id) != str(meta.get("invoice_id")):
        return None
    attempt.provider_session_id = session_id
    return attempt
