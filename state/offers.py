"""The client's Offers page (/offers): the listed offers the record does not fully
hold yet, "Get it" for a free one and "Buy for $X" for a paid one (through the
checkout that exists), and, back from paying, a line saying it worked.

Every handler runs the session check with a selected record; every offer id
from the browser is checked by the services (only an active offer that is not
staff-only can be claimed or bought). Buying online needs "pay outstanding
balance"; without it the purchase's invoice opens instead (staff take payment).
"""

import reflex as rx

from models import AttributionEvent, PurchaseStatus
from portal_app import i18n, routes
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.hub import offer_purchases
from portal_app.services.hub import offers as catalogue
from portal_app.services.money import format_money
from portal_app.services.referrals.visits import attribute_visit
from state.guards import client_event, client_refusal, refusal
from state.referral_cookie import referral_cookie
from state.session import ClientState

CLAIMED = "It is yours: {name}."
PAID = "Thank you! You now have {name}."
WAITING = "Thank you! Your payment for {name} is being confirmed; access opens once it is."
CANCELLED = "The payment was cancelled. Nothing was charged."
WHOLE_LABELS = set(catalogue.WHOLE_APP_LABELS.values())


class OffersState(ClientState):
    rows: list[dict[str, str]] = []
    done_line: str = ""  # back from paying (or cancelling)
    busy: bool = False

    def _fill(self, session, ctx) -> None:
        lang = self._lang
        listed = offer_purchases.client_offers(session, client_id=ctx.client_id)
        every = [i for r in listed for i in r.items]
        labels = iter(catalogue.item_labels(session, every))
        self.rows = []
        for r in listed:
            offer = r.offer
            includes = [next(labels) for _ in r.items]
            free = offer.price_minor <= 0
            price = format_money(offer.price_minor, offer.currency, lang)
            self.rows.append({
                "id": str(offer.id), "name": offer.name, "description": offer.description,
                "price": i18n.gettext(lang, "Free") if free else price,
                "free": "yes" if free else "",
                "includes": ", ".join(i18n.gettext(lang, x) if x in WHOLE_LABELS else x
                                      for x in includes),
                "button": (i18n.gettext(lang, "Get it") if free
                           else i18n.gettext(lang, "Buy for {price}", price=price)),
                "access": (i18n.gettext(lang, "Access for {days} days", days=offer.access_days)
                           if offer.access_days else ""),
            })

    @client_event(page=True)
    def load(self, session, ctx):
        """on_load: the list; ?bought=<offer id> (back from paying) or ?cancelled=1."""
        self.busy = False
        params = self.router.url.query_parameters
        self.done_line = ""
        if params.get("cancelled") == "1":
            self.done_line = self._tr(CANCELLED)
        elif params.get("bought"):
            try:
                offer, status = offer_purchases.bought_offer(
                    session, client_id=ctx.client_id, offer_id=str(params.get("bought"))[:20])
            except NotFound:
                offer, status = None, ""
            if offer is not None:
                text = WAITING if status == PurchaseStatus.PENDING else PAID
                self.done_line = i18n.gettext(self._lang, text, name=offer.name)
        self._fill(session, ctx)

    @client_event
    def claim(self, session, ctx, offer_id: str):
        """"Get it" on a free offer: its grants, once; a referral cookie binds the record
        (a claim is a purchase at no price: later payments earn the referrer's share)."""
        purchase = offer_purchases.claim_free(session, client_id=ctx.client_id,
                                              offer_id=offer_id)
        attribute_visit(session, client_id=ctx.client_id, event=AttributionEvent.PURCHASE,
                        cookie=referral_cookie(self))
        name = catalogue.get_offer(session, offer_id=purchase.offer_id).name
        self._fill(session, ctx)
        return rx.toast.success(i18n.gettext(self._lang, CLAIMED, name=name))

    @rx.event
    async def buy(self, offer_id: str):
        """"Buy for $X": the purchase and its invoice, then the checkout (test mode or
        Stripe). Without "pay outstanding balance" the invoice opens instead."""
        with session_scope() as session:
            ctx = self._client(session)
            refused = client_refusal(self, ctx)
            if refused is not None:
                return refused
            client_id, email, can_pay = ctx.client_id, ctx.email, ctx.access.pay
        if not can_pay:
            try:
                with session_scope() as session:
                    purchase = offer_purchases.buy_offer(session, client_id=client_id,
                                                         offer_id=offer_id)
                    attribute_visit(session, client_id=client_id,
                                    event=AttributionEvent.PURCHASE,
                                    cookie=referral_cookie(self))
                    invoice_id = purchase.invoice_id
            except ServiceError as exc:
                return refusal(self, exc)
            return rx.redirect(routes.invoice_page(invoice_id))
        current = providers.current()
        self.busy = True
        try:
            opened = await offer_purchases.start_offer_checkout(
                current.gateway, client_id=client_id, customer_email=email,
                offer_id=offer_id, tab_token=self.router.session.client_token,
                base_url=current.settings.base_url, referral=referral_cookie(self))
        except ServiceError as exc:
            self.busy = False
            return refusal(self, exc)
        return rx.redirect(opened.url)
