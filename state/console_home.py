"""Console home ("Today"): today's appointments, requests to approve or decline in
place, invoices due, unread conversations, stale invitations and recent activity."""

from datetime import UTC, datetime
from urllib.parse import quote

import reflex as rx

from models import BookingStatus
from portal_app import i18n, live, routes
from portal_app.i18n import formats
from portal_app.services.console_home import Appointment, TodayView, get_today
from portal_app.services.errors import ServiceError, parse_id
from portal_app.services.money import format_money
from portal_app.services.scheduling import booking_changes
from portal_app.settings import get_settings
from state.bookings import STATUS_LABELS
from state.console_format import console_zone
from state.guards import staff_event
from state.staff_session import StaffState


def _booking_row(a: Appointment, zone: str, lang: str) -> dict[str, str]:
    return {"id": str(a.booking_id), "client": a.client_name,
            "client_url": routes.console_client(a.client_id), "service": a.service_name,
            "staff": a.staff_name, "time": formats.time_text(a.start_at, zone, lang),
            "when": formats.when_short(a.start_at, zone, lang),
            "zone": formats.zone_abbrev(a.start_at, zone),
            "status": a.status,
            "status_label": i18n.gettext(lang, STATUS_LABELS.get(a.status, a.status)),
            "video_link": a.video_link}


class ConsoleHomeState(StaffState):
    clients: int = 0
    active: int = 0
    invited: int = 0
    outbox_pending: int = 0
    zone: str = ""
    today: str = ""
    appointments: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    invoices: list[dict[str, str]] = []
    unread: list[dict[str, str]] = []
    stale_invites: list[dict[str, str]] = []
    forms: list[dict[str, str]] = []
    activity: list[dict[str, str]] = []
    decline_open: bool = False
    decline_id: str = ""
    decline_label: str = ""

    def _fill(self, session, *, keep_requests: bool = False) -> None:
        lang = self._lang
        view: TodayView = get_today(session, now=datetime.now(UTC), lang=lang,
                                    zone=console_zone(session))
        zone = view.zone
        s = view.summary
        self.clients, self.active, self.invited = s.clients, s.active, s.invited
        self.outbox_pending = s.outbox_pending
        self.zone = zone
        self.today = formats.day_text(view.today, lang)
        self.appointments = [_booking_row(a, zone, lang) for a in view.appointments]
        fresh = [_booking_row(a, zone, lang) for a in view.requests]
        if keep_requests:
            # The rows acted on stay where they were, with their new status.
            ids = {r["id"] for r in fresh}
            self.requests = [r for r in self.requests if r["id"] not in ids
                             and r["status"] != BookingStatus.PENDING] + fresh
        else:
            self.requests = fresh
        self.invoices = [
            {"id": str(i.invoice_id), "number": i.number, "client": i.client_name,
             "url": f"{routes.CONSOLE_INVOICE}?number={quote(i.number)}",
             "client_url": routes.console_client(i.client_id),
             "balance": format_money(i.balance_minor, i.currency, lang),
             "due": formats.date_text(i.due_date, lang), "overdue": "yes" if i.overdue else ""}
            for i in view.invoices]
        self.unread = [
            {"id": str(c.conversation_id), "subject": c.subject, "client": c.client_name,
             "url": f"{routes.CONSOLE_MESSAGES}?c={c.conversation_id}",
             "when": formats.when_medium(c.last_message_at, zone, lang), "count": str(c.unread)}
            for c in view.unread]
        self.stale_invites = [
            {"id": str(c.client_id), "name": c.client_name,
             "url": routes.console_client(c.client_id),
             "invited": formats.when_medium(c.invited_at, zone, lang)}
            for c in view.invited]
        self.forms = [{"title": f.title, "client": f.client_name,
                       "url": routes.console_client(f.client_id),
                       "sent": formats.when_medium(f.sent_at, zone, lang)}
                      for f in view.forms_outstanding]
        self.activity = [{"text": a.text, "url": a.url, "when": formats.when_medium(a.at, zone, lang)}
                         for a in view.activity]

    def _live_refresh(self) -> None:
        """Pushed from outside (a client booked, wrote, paid): reload the lists."""
        self._as_staff(lambda s, c: self._fill(s, keep_requests=True))

    def _settle(self, booking_id: int, status: str) -> None:
        for row in self.requests:
            if row["id"] == str(booking_id):
                row["status"] = status
                row["status_label"] = self._tr(STATUS_LABELS.get(status, status))
        self.requests = list(self.requests)

    @staff_event
    def load(self, session, ctx):
        self.decline_open = False
        self._fill(session)
        return None

    @staff_event
    def approve(self, session, ctx, booking_id: str):
        """Approve a waiting request (the service checks the id and that it is pending)."""
        booking = booking_changes.approve_with_notice(
            session, staff_id=ctx.staff_id, booking_id=booking_id,
            base_url=get_settings().base_url)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._settle(booking.id, booking.status)
        self._fill(session, keep_requests=True)
        return rx.toast.success(self._tr("Approved: the client is told by email."))

    @staff_event
    def ask_decline(self, session, ctx, booking_id: str):
        """Open the decline dialog for a request shown on the page."""
        wanted = str(parse_id(booking_id, "That booking does not exist."))
        row = next((r for r in self.requests if r["id"] == wanted
                    and r["status"] == BookingStatus.PENDING), None)
        if row is None:
            raise ServiceError("That request is no longer waiting.")
        self.decline_id = wanted
        self.decline_label = i18n.gettext(self._lang, "{service} for {client}, {when}",
                                          service=row["service"], client=row["client"],
                                          when=row["when"])
        self.decline_open = True

    @rx.event
    def set_decline_open(self, value: bool):
        self.decline_open = bool(value)

    @staff_event
    def decline(self, session, ctx, form: dict):
        """Decline a waiting request with an optional message to the client."""
        booking = booking_changes.decline_with_notice(
            session, staff_id=ctx.staff_id, booking_id=form.get("booking_id"),
            message=str(form.get("message", "")), base_url=get_settings().base_url)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self.decline_open = False
        self._settle(booking.id, booking.status)
        self._fill(session, keep_requests=True)
        return rx.toast.success(self._tr("Declined: the client is told by email."))
