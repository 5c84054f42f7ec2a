"""The test-mode checkout (/pay/test), which stands in for Stripe's hosted page
when no Stripe keys are set: what it shows, and its Pay and Cancel buttons.

Pay hands the event Stripe would send (built by `TestModeGateway`) to the
same `handle_event` the webhook uses, so trying it exercises the real
fulfilment path. Only with the test-mode gateway, and only for the payer's own
open attempt.
"""

from __future__ import annotations

import contextlib

from sqlmodel import Session

from models import CheckoutAttempt, Invoice
from portal_app.providers.payments import PaymentGateway, TestModeGateway
from portal_app.services.billing.checkout import get_attempt_for
from portal_app.services.billing.events import DuplicateEvent, handle_event
from portal_app.services.errors import NotAllowed

NOT_TEST = "Test-mode payments are switched off on this portal."


def require_test_gateway(gateway: PaymentGateway | None) -> TestModeGateway:
    """The test-mode gateway; refused when payments run through anything else."""
    if not isinstance(gateway, TestModeGateway):
        raise NotAllowed(NOT_TEST)
    return gateway


def get_test_checkout(session: Session, *, gateway: PaymentGateway | None, client_id: int,
                      provider_session_id: str) -> tuple[CheckoutAttempt, Invoice]:
    """The payer's own attempt behind the page, and the invoice it pays."""
    require_test_gateway(gateway)
    attempt = get_attempt_for(session, client_id=client_id,
                              provider_session_id=provider_session_id)
    return attempt, session.get(Invoice, attempt.invoice_id)


def finish_test_checkout(session: Session, *, gateway: PaymentGateway | None, client_id: int,
                         provider_session_id: str, paid: bool, base_url: str) -> int:
    """Pay or Cancel on the test page: the payer's own attempt, while it is open,
    goes through the provider-event path; a second press changes nothing.
    Returns the invoice's id (the page goes back to it)."""
    gateway = require_test_gateway(gateway)
    attempt = get_attempt_for(session, client_id=client_id,
                              provider_session_id=provider_session_id)
    if attempt.status == "open":
        event = gateway.completed_event(
            session_id=attempt.provider_session_id, attempt_id=attempt.id,
            invoice_id=attempt.invoice_id, client_id=attempt.client_id,
            amount_minor=attempt.amount_minor, currency=attempt.currency, paid=paid)
        with contextlib.suppress(DuplicateEvent):
            handle_event(session, provider=gateway.name, event=event, base_url=base_url)
    return attempt.invoice_id
