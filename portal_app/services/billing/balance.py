"""Pay balance (statements): one checkout for every open invoice of a client in one
currency, and how the money is split over them when it arrives.

The amount is computed here from the invoices' balances (never taken from the
browser). The attempt lists the invoices oldest first (`CheckoutAttempt.invoice_ids`,
the first being `invoice_id`) and goes through the same saga, provider, webhook and
idempotency as paying one invoice (`checkout.run_checkout`, `events.fulfil_checkout`).

On completion the money goes over the listed invoices oldest first, each taking at
most its balance at that moment (an invoice paid elsewhere meanwhile takes nothing);
what is left after the last invoice stays on the last one as the client's credit.
Each share is its own `Payment` row with `allocation="oldest_first"` and its own
receipt (one receipt email per row), so refunds and the invoice pages work per
invoice as they always did.
"""

from __future__ import annotations

from sqlmodel import Session, select

from models import CheckoutAttempt, Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod
from models.base import utcnow
from portal_app import routes
from portal_app.providers.payments import CheckoutRequest, CheckoutSession, PaymentGateway
from portal_app.services.audit import record_audit
from portal_app.services.billing.checkout import run_checkout
from portal_app.services.billing.invoices import next_number
from portal_app.services.billing.payments import settle
from portal_app.services.billing.receipts import announce_payment
from portal_app.services.billing.statements.model import OLDEST_FIRST
from portal_app.services.business import get_business
from portal_app.services.errors import NotAllowed
from portal_app.services.hub.offer_grants import fulfil_paid_invoice
from portal_app.services.money import format_money, minimum_charge
from portal_app.services.referrals import commissions

NOTHING_DUE = "Nothing is due in this currency."


def open_invoices(session: Session, *, client_id: int, currency: str) -> list[Invoice]:
    """The client's invoices in `currency` with a balance, oldest first (issue date, id)."""
    rows = session.exec(select(Invoice).where(
        Invoice.client_id == client_id, Invoice.kind == InvoiceKind.INVOICE,
        Invoice.currency == str(currency or "").upper(),
        Invoice.status.in_(InvoiceStatus.OPEN)).order_by(Invoice.issue_date, Invoice.id)).all()
    return [inv for inv in rows if inv.balance_minor > 0]


def balance_due(session: Session, *, client_id: int, currency: str) -> int:
    """What "Pay balance" would charge now: the sum of the open invoices' balances."""
    return sum(inv.balance_minor for inv in open_invoices(session, client_id=client_id,
                                                          currency=currency))


def prepare_balance_checkout(session: Session, *, client_id: int, currency: object,
                             provider: str, tab_token: str) -> CheckoutAttempt:
    """Step 1 of Pay balance: the open invoices of `client_id` (a checked id) in
    `currency`, oldest first, and the attempt for the sum of their balances."""
    code = str(currency or "").upper()[:3]
    invoices = open_invoices(session, client_id=client_id, currency=code)
    if not invoices:
        raise NotAllowed(NOTHING_DUE)
    amount = sum(inv.balance_minor for inv in invoices)
    least = minimum_charge(code)
    if amount < least:
        raise NotAllowed(f"The balance is below the smallest online payment "
                         f"({format_money(least, code)}). Please contact us.")
    attempt = CheckoutAttempt(invoice_id=invoices[0].id, invoice_ids=[i.id for i in invoices],
                              client_id=client_id, amount_minor=amount, currency=code,
                              provider=provider, tab_token=str(tab_token or "")[:64])
    session.add(attempt)
    session.flush()
    return attempt


def balance_checkout_request(session: Session, *, attempt: CheckoutAttempt,
                             customer_email: str, base_url: str) -> CheckoutRequest:
    """What the provider is asked for; the statements page is where the payer returns."""
    numbers = [n for n in session.exec(select(Invoice.number).where(
        Invoice.id.in_(attempt.invoice_ids))).all()]
    page = f"{base_url}{routes.PAYMENTS_STATEMENTS}"
    first = session.get(Invoice, attempt.invoice_id)
    return CheckoutRequest(
        attempt_id=attempt.id, invoice_id=attempt.invoice_id, client_id=attempt.client_id,
        invoice_number=first.number, amount_minor=attempt.amount_minor,
        currency=attempt.currency, customer_email=customer_email,
        description=(f"Balance ({', '.join(sorted(numbers))}) — "
                     f"{get_business(session).name}")[:500],
        success_url=f"{page}?paid=1", cancel_url=f"{page}?cancelled=1")


async def start_balance_checkout(gateway: PaymentGateway | None, *, client_id: int,
                                 customer_email: str, currency: object, tab_token: str,
                                 base_url: str) -> CheckoutSession:
    """Pay balance: the caller has checked that `client_id` is the signed-in payer's
    record and that they may pay. Returns the checkout to send the browser to."""

    def prepare(session: Session) -> CheckoutRequest:
        attempt = prepare_balance_checkout(session, client_id=client_id, currency=currency,
                                           provider=gateway.name, tab_token=tab_token)
        return balance_checkout_request(session, attempt=attempt,
                                        customer_email=customer_email, base_url=base_url)

    return await run_checkout(gateway, prepare)


# --- completion ----------------------------------------------------------------------------


def split_amount(invoices: list[Invoice], amount: int, currency: str) -> list[tuple[Invoice, int]]:
    """(invoice, share) oldest first: each open invoice in `currency` takes at most its
    balance now; the rest stays on the last invoice as credit. Shares are > 0."""
    shares: dict[int, int] = {}
    left = amount
    for inv in invoices:
        if left <= 0:
            break
        if inv.currency != currency or inv.status not in InvoiceStatus.OPEN:
            continue
        take = min(left, max(inv.balance_minor, 0))
        if take > 0:
            shares[inv.id] = take
            left -= take
    if left > 0 and invoices:
        last = invoices[-1]
        shares[last.id] = shares.get(last.id, 0) + left
    return [(inv, shares[inv.id]) for inv in invoices if shares.get(inv.id, 0) > 0]


def fulfil_balance(session: Session, *, attempt: CheckoutAttempt, provider: str, obj: dict,
                   base_url: str) -> Payment | None:
    """Record a paid balance checkout: one Payment per invoice it covers (oldest first,
    `allocation="oldest_first"`). The first row carries the provider's session id
    (unique: a replay records nothing more); the others carry it with "#<n>".
    Returns the first row."""
    session_id = str(obj.get("id") or "")
    amount = int(obj.get("amount_total") or 0)
    currency = str(obj.get("currency") or attempt.currency).upper()
    by_id = {inv.id: inv for inv in session.exec(select(Invoice).where(
        Invoice.id.in_(attempt.invoice_ids), Invoice.client_id == attempt.client_id)).all()}
    invoices = [by_id[i] for i in attempt.invoice_ids if i in by_id]
    if not invoices:
        return None
    if currency != attempt.currency:
        # Nothing can be applied: kept on the first invoice, flagged for staff.
        shares = [(invoices[0], amount)]
    else:
        shares = split_amount(invoices, amount, currency) or [(invoices[-1], amount)]
    flags = []
    if currency != attempt.currency:
        flags.append(f"paid in {currency}, balance is in {attempt.currency}")
    if amount != attempt.amount_minor:
        flags.append(f"paid {format_money(amount, currency)}, expected "
                     f"{format_money(attempt.amount_minor, attempt.currency)}")
    first = None
    for n, (invoice, share) in enumerate(shares, start=1):
        row_flags = list(flags)
        if currency == invoice.currency and share > max(invoice.balance_minor, 0):
            row_flags.append(f"overpaid by "
                             f"{format_money(share - max(invoice.balance_minor, 0), currency)}")
        payment = Payment(
            invoice_id=invoice.id, client_id=attempt.client_id,
            receipt_number=next_number(session, "receipt"), amount_minor=share,
            currency=currency, method=PaymentMethod.CARD, provider=provider,
            provider_ref=session_id if n == 1 else f"{session_id}#{n}"[:255],
            payment_intent_id=str(obj.get("payment_intent") or ""),
            checkout_attempt_id=attempt.id, allocation=OLDEST_FIRST,
            flag="; ".join(row_flags)[:300])
        session.add(payment)
        if currency == invoice.currency:
            invoice.paid_minor += share
            settle(invoice)
            session.add(invoice)
        session.flush()
        fulfil_paid_invoice(session, invoice)  # an offer bought through it: its grants, once
        commissions.on_payment(session, payment=payment, invoice=invoice)  # a referrer's share
        record_audit(session, actor_kind="client", actor_id=attempt.client_id,
                     action="payment.received", client_id=attempt.client_id,
                     invoice=invoice.number, receipt=payment.receipt_number, amount=share,
                     currency=currency, provider=provider, flag=payment.flag,
                     allocation=OLDEST_FIRST)
        announce_payment(session, payment=payment, invoice=invoice, base_url=base_url)
        first = first or payment
    attempt.status = "completed"
    attempt.completed_at = utcnow()
    session.add(attempt)
    session.flush()
    return first


def covered_numbers(session: Session, *, attempt: CheckoutAttempt) -> list[str]:
    """The numbers of the invoices a balance attempt covers, oldest first (what the
    test-mode checkout page lists)."""
    rows = dict(session.exec(select(Invoice.id, Invoice.number).where(
        Invoice.id.in_(attempt.invoice_ids), Invoice.client_id == attempt.client_id)).all())
    return [rows[i] for i in attempt.invoice_ids if i in rows]
