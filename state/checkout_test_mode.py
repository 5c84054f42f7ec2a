"""/pay/test: the clearly labelled test-mode checkout that stands in for Stripe
when no Stripe keys are set (the embedded default).

"Pay" builds the same `checkout.session.completed` event Stripe would send
and hands it to the same `handle_event` the webhook uses, so trying it
exercises the real fulfilment path. It refuses to run unless the payments
backend is "test", and only for the signed-in payer's own open attempt.
"""

import asyncio
import contextlib

import reflex as rx

from models import CheckoutAttempt, Invoice
from portal_app import routes
from portal_app.db import one_thread_writer, session_scope
from portal_app.services.billing import checkout as checkout_service
from portal_app.services.billing import events as event_service
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.settings import get_settings
from state.session import ClientState

NOT_TEST = "Test-mode payments are switched off on this portal."


def completed_event(attempt: CheckoutAttempt, *, paid: bool) -> dict:
    """What Stripe would send for this checkout, in Stripe's shape."""
    session_id = attempt.provider_session_id
    return {
        "id": f"test_evt_{session_id}", "object": "event",
        "type": "checkout.session.completed" if paid
        else "checkout.session.async_payment_failed",
        "data": {"object": {
            "id": session_id, "object": "checkout.session",
            "amount_total": attempt.amount_minor, "currency": attempt.currency.lower(),
            "payment_status": "paid" if paid else "unpaid",
            "payment_intent": f"test_pi_{attempt.id}",
            "metadata": {"invoice_id": str(attempt.invoice_id),
                         "client_id": str(attempt.client_id), "attempt_id": str(attempt.id)},
        }},
    }


class CheckoutTestModeState(ClientState):
    checkout: dict[str, str] = {}
    error: str = ""
    busy: bool = False
    _session_id: str = ""

    def _attempt(self, session):
        """(ctx, attempt) for the signed-in payer's own attempt, or raises ServiceError."""
        ctx = self._client(session)
        if ctx is None or ctx.client_id is None:
            return None, None
        attempt = checkout_service.get_attempt_for(session, client_id=ctx.client_id,
                                                  provider_session_id=self._session_id)
        return ctx, attempt

    @rx.event
    def load(self):
        self._session_id = str(self.router.url.query_parameters.get("session", ""))[:255]
        self.error = ""
        self.busy = False
        self.checkout = {}
        if get_settings().payments_backend != "test":
            self.error = self._tr(NOT_TEST)
            return None
        with session_scope() as session:
            try:
                ctx, attempt = self._attempt(session)
            except ServiceError as exc:
                self.error = self._tr(exc.message)
                return None
            if ctx is None:
                return self._bounce()
            invoice = session.get(Invoice, attempt.invoice_id)
            self.checkout = {
                "business": get_business(session).name, "invoice": invoice.number,
                "invoice_id": str(invoice.id),
                "amount": format_money(attempt.amount_minor, attempt.currency, self._lang),
                "email": ctx.email, "status": attempt.status,
            }
        return None

    def _finish(self, paid: bool):
        if get_settings().payments_backend != "test":
            self.error = self._tr(NOT_TEST)
            return None
        settings = get_settings()
        with session_scope() as session:
            try:
                ctx, attempt = self._attempt(session)
            except ServiceError as exc:
                self.error = self._tr(exc.message)
                return None
            if ctx is None:
                return self._bounce()
            invoice_id = attempt.invoice_id
            if attempt.status == "open":
                with contextlib.suppress(event_service.DuplicateEvent):
                    event_service.handle_event(session, provider="test",
                                                 event=completed_event(attempt, paid=paid),
                                                 base_url=settings.base_url)
        suffix = "&paid=1" if paid else "&cancelled=1"
        return rx.redirect(routes.invoice_page(invoice_id) + suffix)

    # The fulfilment writes rows and renders the receipt PDF: off the event loop.
    @rx.event
    async def pay(self):
        self.busy = True
        async with one_thread_writer():
            return await asyncio.to_thread(self._finish, True)

    @rx.event
    async def cancel(self):
        async with one_thread_writer():
            return await asyncio.to_thread(self._finish, False)
