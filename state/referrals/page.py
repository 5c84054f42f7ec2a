"""/referrals: the client's Referrals app. Before joining, a card that explains the
program and "Join the program"; after, their link (copy, QR code, share by email
or WhatsApp), their coupon code, how they want to be paid, their figures, every
commission, adjustment and payout, and what is needed before the first payout.

Every handler runs the session check and the Referrals app check
(state/referrals/common.py); a payout id from the browser is checked against this
client's own referrer by the service (`get_payout_for`). The page refreshes live
when a payment earns a commission (portal_app/live.py, state/live_pages.py).
"""

from __future__ import annotations

from dataclasses import asdict
from urllib.parse import quote

import reflex as rx

from models import PayoutMethod
from portal_app import apps, i18n
from portal_app.db import session_scope
from portal_app.services.errors import ServiceError
from portal_app.services.referrals import referrers, summary
from portal_app.services.referrals.program_facts import get_program_facts
from portal_app.settings import get_settings
from state.referrals.common import referrals_event
from state.session import ClientState

SHARE_SUBJECT = "An invitation to {business}"
SHARE_BODY = "I think you would like {business}. Sign up through my link: {link}"
COPIED = "Link copied."
JOINED = "Welcome to the referral program."
COUPON_SAVED = "Coupon code saved."
METHOD_SAVED = "Saved. New payouts will use this method when possible."
DETAILS_SAVED = "Payout details saved."
EMPTY_FIGURES = {"clicks": "0", "signups": "0", "customers": "0"}


class ReferralsState(ClientState):
    loaded: bool = False
    joined: bool = False
    active: bool = True
    facts: list[str] = []
    terms: str = ""
    coupons_on: bool = False
    link: str = ""
    qr: str = ""
    mail_href: str = ""
    whatsapp_href: str = ""
    coupon: str = ""
    coupon_error: str = ""
    payout_method: str = PayoutMethod.ACCOUNT_CREDIT
    method_error: str = ""
    payout_details: str = ""
    details_error: str = ""
    figures: dict[str, str] = EMPTY_FIGURES
    totals: list[dict[str, str]] = []
    commissions: list[dict[str, str]] = []
    adjustments: list[dict[str, str]] = []
    payouts: list[dict[str, str]] = []
    needs: list[dict[str, str]] = []
    payout_open: bool = False
    payout: dict[str, str] = {}
    payout_lines: list[dict[str, str]] = []

    def _fill(self, session, ctx) -> None:
        """Everything the page shows, from the services (a constant handful of reads)."""
        lang, zone = self._lang, self._tz
        program = get_program_facts(session, lang=lang)
        self.facts, self.terms, self.coupons_on = program.facts, program.terms, program.coupons
        view = summary.get_summary(session, client_id=ctx.client_id,
                                   base_url=get_settings().base_url, lang=lang, zone=zone)
        self.joined = view is not None
        self.loaded = True
        if view is None:
            self.link = self.qr = self.mail_href = self.whatsapp_href = self.coupon = ""
            self.figures, self.totals, self.commissions = dict(EMPTY_FIGURES), [], []
            self.adjustments, self.payouts, self.needs = [], [], []
            return
        if view.link != self.link:
            self.qr = summary.qr_data_uri(view.link)
        self.link, self.active, self.coupon = view.link, view.active, view.coupon
        business = ctx.business.name if ctx.business is not None else ""
        subject = i18n.gettext(lang, SHARE_SUBJECT, business=business)
        body = i18n.gettext(lang, SHARE_BODY, business=business, link=view.link)
        self.mail_href = f"mailto:?subject={quote(subject)}&body={quote(body)}"
        self.whatsapp_href = f"https://wa.me/?text={quote(body)}"
        self.payout_method, self.payout_details = view.payout_method, view.payout_details
        self.figures = {"clicks": str(view.clicks), "signups": str(view.signups),
                        "customers": str(view.customers)}
        self.totals = [t.texts(lang) for t in view.totals]
        self.commissions, self.adjustments = view.commissions, view.adjustments
        self.payouts = view.payouts
        self.needs = [{"text": n.text, "done": "yes" if n.done else ""} for n in view.needs]

    @referrals_event(page=True)
    def load(self, session, ctx):
        """on_load: the join card, or the referrer's link, figures and lists."""
        self.coupon_error = self.method_error = self.details_error = ""
        self.payout_open = False
        self._fill(session, ctx)

    def _live_refresh(self):
        """A payment earned a commission, staff approved or paid one: reload the page."""
        with session_scope() as session:
            ctx, leave = self._live_client(session, app=apps.REFERRALS)
            if ctx is not None:
                self._fill(session, ctx)
        return leave

    @referrals_event
    def join(self, session, ctx):
        """Join the program (once; joining again changes nothing)."""
        referrers.join_program(session, client_id=ctx.client_id, account_id=ctx.account_id)
        self._fill(session, ctx)
        return rx.toast.success(self._tr(JOINED))

    def _coupon_refused(self, exc: ServiceError):
        """A bad or taken code: said beside the field; nothing saved."""
        self.coupon_error = self._tr(exc.message)

    @referrals_event(on_error="_coupon_refused")
    def set_coupon(self, session, ctx, form: dict):
        """The referrer's personal coupon code (from the form's "coupon" field)."""
        self.coupon_error = ""
        raw = str((form or {}).get("coupon", "") or "")[:60]
        row = referrers.set_coupon(session, client_id=ctx.client_id, coupon=raw,
                                   account_id=ctx.account_id)
        self.coupon = row.coupon_code or ""
        return rx.toast.success(self._tr(COUPON_SAVED))

    def _method_refused(self, exc: ServiceError):
        self.method_error = self._tr(exc.message)

    @referrals_event(on_error="_method_refused")
    def set_payout_method(self, session, ctx, method: str):
        """How the referrer would like to be paid: account credit, bank transfer or cash."""
        self.method_error = ""
        row = referrers.set_payout_method(session, client_id=ctx.client_id,
                                          method=str(method or "")[:20])
        self.payout_method = row.payout_method
        return rx.toast.success(self._tr(METHOD_SAVED))

    def _details_refused(self, exc: ServiceError):
        """Payout details refused: said beside the field; nothing saved."""
        self.details_error = self._tr(exc.message)

    @referrals_event(on_error="_details_refused")
    def save_payout_details(self, session, ctx, form: dict):
        """The referrer's payout details (the form's "payout_details" field)."""
        self.details_error = ""
        client = referrers.set_payout_details(
            session, client_id=ctx.client_id, account_id=ctx.account_id,
            details=str((form or {}).get("payout_details", "") or "")[:400])
        self.payout_details = client.payout_details
        self._fill(session, ctx)
        return rx.toast.success(self._tr(DETAILS_SAVED))

    @referrals_event
    def copy_link(self, session, ctx):
        """Copy the referral link to the clipboard (the referrer's own, from the server)."""
        row = referrers.require_referrer(session, client_id=ctx.client_id)
        link = summary.referral_link(get_settings().base_url, row.code)
        return [rx.set_clipboard(link), rx.toast.success(self._tr(COPIED))]

    @referrals_event
    def open_payout(self, session, ctx, payout_id: str):
        """One of the referrer's own payouts, with what it paid (another's: not found)."""
        detail = summary.get_payout_detail(session, client_id=ctx.client_id,
                                           payout_id=payout_id, lang=self._lang, zone=self._tz)
        data = asdict(detail)
        self.payout_lines = data.pop("lines")
        self.payout = data
        self.payout_open = True

    @rx.event
    def set_payout_open(self, value: bool):
        """Close (or keep open) the payout dialog; it opens only through open_payout."""
        if not value:
            self.payout_open = False
            self.payout, self.payout_lines = {}, []
