"""Client superbills (/payments/superbills): the issued ones with "Download PDF", the
open requests, and "Ask for a superbill" (this month, last month, a session, or
custom days, and a note).

Every handler runs the session check and needs "access billing documents"
(`client_event(feature="billing")`), and superbills must be offered by the
business (`_offered`): the server refuses otherwise, whatever the page shows.
Ids from the browser (a session) are checked by the services against the
signed-in record."""

import reflex as rx

from models import SuperbillStatus
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.services.billing.superbills import ranges
from portal_app.services.billing.superbills import requests as superbills
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.guards import client_event
from state.session import ClientState

UNAVAILABLE = "Superbills are not available to you. Please contact us."
ASKED = "Your request was sent. We will let you know when the superbill is ready."
STATUS_LABELS = {SuperbillStatus.REQUESTED: "Requested", SuperbillStatus.HELD: "In preparation",
                 SuperbillStatus.ISSUED: "Ready"}
CHOICE_LABELS = (("this_month", "This month"), ("last_month", "Last month"),
                 ("session", "A session"), ("custom", "Custom range"))
FIELDS = ("choice", "start", "end", "booking", "note")


def days_text(start, end, lang: str) -> str:
    """"Mar 1, 2030 – Mar 31, 2030" (one day: "Mar 3, 2030")."""
    if start == end:
        return formats.date_text(start, lang)
    return i18n.gettext(lang, "{start} – {end}", start=formats.date_text(start, lang),
                        end=formats.date_text(end, lang))


class SuperbillsState(ClientState):
    issued: list[dict[str, str]] = []
    requested: list[dict[str, str]] = []
    sessions: list[dict[str, str]] = []  # id, label
    choice: str = "last_month"
    errors: dict[str, str] = dict.fromkeys(FIELDS, "")

    def _offered(self, session, ctx):
        """The refusal when the business does not offer superbills, else None."""
        business = ctx.business or get_business(session)
        if superbills.superbills_on(business):
            return None
        return [rx.redirect(routes.PAYMENTS), rx.toast.info(self._tr(UNAVAILABLE))]

    def _fill(self, session, ctx) -> None:
        lang = self._lang
        rows = superbills.client_superbills(session, client_id=ctx.client_id)
        self.issued = [{
            "id": str(r.id), "days": days_text(r.start_date, r.end_date, lang),
            "issued": formats.local_date_text(r.issued_at, self._tz, lang) if r.issued_at else "",
            "pdf": routes.superbill_pdf(r.id),
        } for r in rows if r.status == SuperbillStatus.ISSUED]
        self.requested = [{
            "id": str(r.id), "days": days_text(r.start_date, r.end_date, lang),
            "status": self._tr(STATUS_LABELS.get(r.status, r.status)), "note": r.note,
        } for r in rows if r.status != SuperbillStatus.ISSUED]
        self.sessions = [{"id": str(bid), "label": f"{formats.date_text(day, lang)} · {name}"}
                         for bid, day, name in ranges.recent_sessions(
                             session, client_id=ctx.client_id, zone=self._tz)]

    def _field_error(self, exc: ServiceError) -> None:
        field = exc.field if exc.field in FIELDS else "choice"
        self.errors = {**dict.fromkeys(FIELDS, ""), field: self._tr(exc.message)}

    @client_event(feature="billing", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        refused = self._offered(session, ctx)
        if refused is not None:
            self.issued = self.requested = self.sessions = []
            return refused
        self.errors = dict.fromkeys(FIELDS, "")
        self._fill(session, ctx)
        return None

    @rx.event
    def choose(self, value: str):
        """The range picker (what the form shows; the server reads the form again)."""
        self.choice = value if value in ranges.CHOICES else "last_month"
        self.errors = dict.fromkeys(FIELDS, "")

    @client_event(feature="billing", unavailable=UNAVAILABLE, on_error="_field_error")
    def ask(self, session, ctx, form: dict):
        """Ask for a superbill of the chosen range, with a note; staff are told."""
        refused = self._offered(session, ctx)
        if refused is not None:
            return refused
        self.errors = dict.fromkeys(FIELDS, "")
        start, end = ranges.pick_range(
            session, client_id=ctx.client_id, zone=self._tz, choice=form.get("choice"),
            start=form.get("start", ""), end=form.get("end", ""),
            booking_id=form.get("booking", ""))
        superbills.request_superbill(session, account_id=ctx.account_id,
                                     client_id=ctx.client_id, start=start, end=end,
                                     note=form.get("note", ""),
                                     base_url=get_settings().base_url)
        self._fill(session, ctx)
        return rx.toast.success(self._tr(ASKED))
