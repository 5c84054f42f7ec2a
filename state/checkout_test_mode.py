"""/pay/test: the clearly labelled test-mode checkout that stands in for Stripe
when no Stripe keys are set (the embedded default).

"Pay" goes through the same provider-event handling as the webhook (see
`services/billing/checkout_test_mode.py`), so trying it exercises the real
fulfilment path. It refuses to run unless the payments gateway is the test
one, and only for the signed-in payer's own open attempt.
"""

import asyncio

import reflex as rx

from portal_app import live, routes
from portal_app.db import one_thread_writer, session_scope
from portal_app.providers import select as providers
from portal_app.services.billing import balance as balance_service
from portal_app.services.billing import checkout_test_mode as test_checkout
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub import offer_purchases
from portal_app.services.money import format_money
from state.guards import client_event, client_refusal, refusal
from state.session import ClientState


class CheckoutTestModeState(ClientState):
    checkout: dict[str, str] = {}
    error: str = ""
    busy: bool = False
    _session_id: str = ""
    _balance: bool = False  # a "Pay balance" attempt: back to the Statements page

    def _show_error(self, exc: ServiceError) -> None:
        """The page says what is wrong (no toast): it is the whole page."""
        self.error = self._tr(exc.message)

    @client_event(on_error="_show_error", page=True)
    def load(self, session, ctx):
        """on_load: the payer's own attempt behind ?session=<provider session id>."""
        self._session_id = str(self.router.url.query_parameters.get("session", ""))[:255]
        self.error = ""
        self.busy = False
        self.checkout = {}
        attempt, invoice = test_checkout.get_test_checkout(
            session, gateway=providers.current().gateway, client_id=ctx.client_id,
            provider_session_id=self._session_id)
        self._balance = bool(attempt.invoice_ids)
        numbers = (balance_service.covered_numbers(session, attempt=attempt) if self._balance
                   else [invoice.number])
        self.checkout = {
            "business": get_business(session).name, "invoice": ", ".join(numbers),
            "invoice_id": str(invoice.id),
            "amount": format_money(attempt.amount_minor, attempt.currency, self._lang),
            "email": ctx.email, "status": attempt.status,
        }

    def _finish(self, paid: bool, referrers: list[int] | None = None):
        """Pay or Cancel, in one checked transaction (in a worker thread: the
        fulfilment writes rows and renders the receipt PDF). `referrers` receives, once
        committed, the referrers of the payer (a payment may earn them a commission)."""
        current = providers.current()
        try:
            with session_scope() as session:
                ctx = self._client(session)
                refused = client_refusal(self, ctx)
                if refused is not None:
                    return refused
                invoice_id = test_checkout.finish_test_checkout(
                    session, gateway=current.gateway, client_id=ctx.client_id,
                    provider_session_id=self._session_id, paid=paid,
                    base_url=current.settings.base_url)
                offer_id = (None if self._balance else
                            offer_purchases.landing_for_invoice(session, invoice_id=invoice_id))
                brought_by = live.referrers_of(session, ctx.client_id) if paid else []
        except ServiceError as exc:
            return refusal(self, exc, "_show_error")
        if referrers is not None:
            referrers.extend(brought_by)
        if offer_id is not None:  # an offer's purchase: back where Stripe would send it
            return rx.redirect(routes.offers_page(bought=offer_id) if paid
                               else f"{routes.OFFERS}?cancelled=1")
        suffix = "&paid=1" if paid else "&cancelled=1"
        if self._balance:
            return rx.redirect(f"{routes.PAYMENTS_STATEMENTS}?{suffix[1:]}")
        return rx.redirect(routes.invoice_page(invoice_id) + suffix)

    # Off the event loop, one writer at a time (see one_thread_writer).
    @rx.event
    async def pay(self):
        self.busy = True
        referrers: list[int] = []
        async with one_thread_writer():
            result = await asyncio.to_thread(self._finish, True, referrers)
        for client_id in referrers:  # committed: their Referrals tabs show the commission
            live.client_changed(client_id, about=live.REFERRALS)
        return result

    @rx.event
    async def cancel(self):
        async with one_thread_writer():
            return await asyncio.to_thread(self._finish, False)
