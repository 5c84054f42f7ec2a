"""Console → Calendar: the day, week and month views, new booking by clicking an
empty time (for a client found, or made there: `new_client`), a booking's details
(approve, decline, cancel, move, invoice), and move mode (the next empty time
clicked is proposed as the new start).

Thin: the layout comes from `calendar_view`, every change from the booking
services through `calendar_actions` (which says why a time is refused). Ids
that come from the page (a booking, a client) are checked by the services;
the booking a dialog acts on is kept server-side (`_detail_id`, `_moving_id`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import quote
from zoneinfo import ZoneInfo

import reflex as rx

from models import Booking, BookingStatus
from portal_app import live, routes
from portal_app.i18n import formats
from portal_app.services import clients
from portal_app.services.billing.invoices import invoice_from_booking, invoiced_booking_ids
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.scheduling import booking_changes
from portal_app.services.scheduling import calendar_view as cv
from portal_app.services.scheduling import services as service_catalog
from portal_app.services.scheduling.calendar_actions import book_at, conflict_reason, move_to
from portal_app.settings import get_settings
from state.console_calendar.grid import STATUS_LABELS, month_grid, time_grid
from state.console_calendar.new_client import NewClientForm
from state.console_calendar.times import NO_BOOKING, parse_day, wall_time_to_utc
from state.console_format import lang as reader_lang
from state.console_format import tr
from state.guards import staff_event
from state.staff_session import StaffState


class CalendarState(NewClientForm, StaffState):
    view: str = "week"
    anchor: str = ""  # ISO date the view shows (business zone)
    staff_filter: str = ""  # "" = everyone
    staff_options: list[dict[str, str]] = []
    zone: str = "UTC"
    zone_abbrev: str = ""
    title: str = ""
    columns: list[dict[str, str]] = []
    hours: list[dict[str, str]] = []
    cells: list[dict[str, str]] = []
    blocks: list[dict[str, str]] = []
    grid_rows: str = "0"
    grid_slots: str = "0"
    month_days: list[dict] = []

    # New booking dialog
    new_open: bool = False
    new_when: str = ""
    new_query: str = ""
    new_results: list[dict[str, str]] = []
    new_client_name: str = ""
    new_services: list[dict[str, str]] = []
    new_error: str = ""
    new_error_field: str = ""
    _new_start: str = ""
    _new_client_id: int = 0

    # Booking details dialog
    detail_open: bool = False
    detail: dict[str, str] = {}
    detail_error: str = ""
    _detail_id: int = 0

    # Move mode: the next empty time clicked is proposed
    moving_label: str = ""
    propose_open: bool = False
    propose_when: str = ""
    propose_error: str = ""
    _moving_id: int = 0
    _propose_start: str = ""

    # --- loading ---------------------------------------------------------------------------

    def _today(self) -> date:
        return datetime.now(UTC).astimezone(ZoneInfo(self.zone or "UTC")).date()

    def _fill(self, session) -> None:
        self.zone = get_business(session).timezone or "UTC"
        today = self._today()
        anchor = parse_day(self.anchor) or today
        self.anchor = anchor.isoformat()
        if self.view not in cv.VIEWS:
            self.view = "week"
        staff_id = int(self.staff_filter) if self.staff_filter.isdigit() else None
        cal = cv.calendar_view(session, view=self.view, anchor=anchor, staff_id=staff_id)
        self.staff_options = [{"id": str(sid), "name": name} for sid, name in cal.staff]
        if staff_id is not None and all(sid != staff_id for sid, _ in cal.staff):
            self.staff_filter = ""
        self.zone_abbrev = formats.zone_abbrev(
            datetime.combine(anchor, time(12), tzinfo=ZoneInfo(self.zone)), self.zone)
        if self.view == "month":
            self.title = formats.month_text(anchor, reader_lang())
            self.month_days = month_grid(cal, today=today, month=anchor.month, lang=reader_lang())
            self.columns = [{"short": formats.day_chip(d, reader_lang())[0]} for d in cal.days[:7]]
            self.cells, self.blocks, self.hours = [], [], []
            self.grid_rows = self.grid_slots = "0"
            return
        grid = time_grid(cal, today=today, lang=reader_lang())
        self.columns, self.cells, self.blocks = grid["columns"], grid["cells"], grid["blocks"]
        self.hours, self.grid_rows, self.grid_slots = grid["hours"], grid["rows"], grid["slots"]
        self.month_days = []
        if self.view == "day":
            self.title = formats.day_text(anchor, reader_lang())
        else:
            self.title = (f"{formats.date_text(cal.first_day, reader_lang())} – "
                          f"{formats.date_text(cal.last_day, reader_lang())}")

    def _live_refresh(self) -> None:
        """Pushed from outside (a client booked, moved, cancelled): redraw the view."""
        self._as_staff(lambda s, c: self._fill(s))

    @staff_event
    def load(self, session, ctx):
        params = self.router.url.query_parameters
        if params.get("view") in cv.VIEWS:
            self.view = params["view"]
        if parse_day(params.get("date", "")):
            self.anchor = params["date"]
        self._close_all()
        self._fill(session)

    def _close_all(self) -> None:
        self.new_open = self.detail_open = self.propose_open = False
        self.moving_label = ""
        self._moving_id = 0

    # --- navigation ------------------------------------------------------------------------

    @staff_event
    def set_view(self, session, ctx, view: str):
        if view in cv.VIEWS:
            self.view = view
        self._fill(session)

    @staff_event
    def step(self, session, ctx, direction: int):
        """Previous (-1) or next (+1) day, week or month."""
        anchor = parse_day(self.anchor) or self._today()
        step = -1 if str(direction) == "-1" else 1
        self.anchor = cv.shift(self.view if self.view in cv.VIEWS else "week", anchor,
                               step).isoformat()
        self._fill(session)

    @staff_event
    def go_today(self, session, ctx):
        self.anchor = ""
        self._fill(session)

    @staff_event
    def open_day(self, session, ctx, day: str):
        """A month cell's date: its day view."""
        if parse_day(day):
            self.anchor, self.view = str(day), "day"
        self._fill(session)

    @staff_event
    def set_staff(self, session, ctx, staff_id: str):
        self.staff_filter = str(staff_id) if str(staff_id).isdigit() else ""
        self._fill(session)

    # --- an empty time ---------------------------------------------------------------------

    @staff_event(on_error="_slot_error")
    def open_slot(self, session, ctx, start: str):
        """An empty time clicked: in move mode the proposed new start, else "New booking"."""
        start_at = wall_time_to_utc(start, self.zone)
        when = formats.when_long(start_at, self.zone, reader_lang())
        if self._moving_id:
            booking = get_by_id(session, Booking, self._moving_id, NO_BOOKING)
            self._propose_start = str(start)
            self.propose_when = when
            self.propose_error = conflict_reason(session, service_id=booking.service_id,
                                                 start_at=start_at,
                                                 exclude_booking_id=booking.id)
            self.propose_open = True
            return None
        self._new_start = str(start)
        self.new_when = when
        self.new_error = self.new_error_field = ""
        self.new_query = self.new_client_name = ""
        self.new_results = []
        self._new_client_id = 0
        self._reset_new_client()
        staff_id = int(self.staff_filter) if self.staff_filter.isdigit() else None
        self.new_services = [
            {"id": str(s.id), "name": s.name, "minutes": str(s.duration_minutes),
             "label": tr("{name} ({minutes} min)", name=s.name, minutes=s.duration_minutes)}
            for s in service_catalog.list_services(session, active_only=True)
            if staff_id is None or staff_id in service_catalog.provider_ids(
                session, service_id=s.id)]
        self.new_open = True
        return None

    def _slot_error(self, exc: ServiceError):
        return rx.toast.error(self._tr(exc.message))

    @staff_event
    def search_clients(self, session, ctx, query: str):
        self.new_query = str(query or "")[:100]
        term = self.new_query.strip()
        if len(term) < 2:
            self.new_results = []
            return
        page = clients.list_clients(session, search=term, per_page=8)
        self.new_results = [{"id": str(r.id), "name": r.full_name,
                             "email": r.portal_email or r.email} for r in page.rows]

    @staff_event
    def pick_client(self, session, ctx, client_id: str):
        client = clients.get_client(session, client_id=client_id)
        self._new_client_id = client.id
        self.new_client_name = client.full_name
        self.new_results = []
        self.new_query = ""
        if self.new_error_field == "client":
            self.new_error = self.new_error_field = ""

    @rx.event
    def clear_client(self):
        self._new_client_id = 0
        self.new_client_name = ""

    def _new_refused(self, exc: ServiceError) -> None:
        self.new_error = self._tr(exc.message)
        self.new_error_field = {"start_at": "start", "service_id": "service"}.get(
            exc.field or "", exc.field or "start")

    @staff_event(on_error="_new_refused")
    def create_booking(self, session, ctx, form: dict):
        """Book the picked client at the clicked time (the booking rules apply; a refused
        time says why, beside it, and nothing is booked)."""
        self.new_error = self.new_error_field = ""
        if not self._new_client_id:
            raise ServiceError("Choose a client first.", field="client")
        if not self._new_start:
            raise ServiceError("Pick a time in the calendar.", field="start_at")
        staff_id = int(self.staff_filter) if self.staff_filter.isdigit() else None
        booking = book_at(session, client_id=self._new_client_id,
                          service_id=(form or {}).get("service_id"),
                          start_at=wall_time_to_utc(self._new_start, self.zone),
                          now=datetime.now(UTC), base_url=get_settings().base_url,
                          by_staff_id=ctx.staff_id, staff_id=staff_id)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self.new_open = False
        self._fill(session)
        return rx.toast.success(self._tr("Booked; the client is told by email."))

    @rx.event
    def set_new_open(self, value: bool):
        self.new_open = bool(value)

    # --- a booking -------------------------------------------------------------------------

    def _load_detail(self, session, booking_id: object) -> None:
        entry = cv.get_entry(session, booking_id=booking_id)
        now = datetime.now(UTC)
        ended = entry.status == BookingStatus.CONFIRMED and entry.end_at <= now
        invoiced = invoiced_booking_ids(session, [entry.id]) if ended else {}
        number = invoiced.get(entry.id, "")
        self._detail_id = entry.id
        self.detail = {
            "id": str(entry.id), "client": entry.client_name, "service": entry.service_name,
            "staff": entry.staff_name, "status": entry.status,
            "status_label": tr(STATUS_LABELS.get(entry.status, entry.status)),
            "when": formats.when_long(entry.start_at, self.zone, reader_lang()),
            "until": formats.time_text(entry.end_at, self.zone, reader_lang()),
            "client_url": routes.console_client(entry.client_id),
            # Before it has taken place: a new invoice for the client (the editor's link).
            "new_invoice_url": f"{routes.CONSOLE_INVOICE}?new=invoice&client={entry.client_id}",
            "holds": "yes" if entry.status in BookingStatus.HOLDS_TIME and not ended else "",
            "pending": "yes" if entry.status == BookingStatus.PENDING else "",
            "can_invoice": "yes" if ended and not number else "",
            "invoice_number": number,
            "invoice_url": (f"{routes.CONSOLE_INVOICE}?number={quote(number)}"
                            if number else ""),
        }

    @staff_event
    def open_booking(self, session, ctx, booking_id: str):
        if self._moving_id:  # move mode: bookings are not targets
            return
        self.detail_error = ""
        self._load_detail(session, booking_id)
        self.detail_open = True

    @rx.event
    def set_detail_open(self, value: bool):
        self.detail_open = bool(value)

    def _detail_refused(self, exc: ServiceError) -> None:
        self.detail_error = self._tr(exc.message)

    def _after_change(self, session, booking: Booking, message: str):
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._load_detail(session, booking.id)
        self._fill(session)
        return rx.toast.success(self._tr(message))

    @staff_event(on_error="_detail_refused")
    def approve(self, session, ctx):
        booking = booking_changes.approve_with_notice(
            session, staff_id=ctx.staff_id, booking_id=self._detail_id,
            base_url=get_settings().base_url)
        return self._after_change(session, booking, "Approved: the client is told by email.")

    @staff_event(on_error="_detail_refused")
    def decline(self, session, ctx, form: dict):
        booking = booking_changes.decline_with_notice(
            session, staff_id=ctx.staff_id, booking_id=self._detail_id,
            message=str((form or {}).get("message", "")), base_url=get_settings().base_url)
        return self._after_change(session, booking, "Declined: the client is told by email.")

    @staff_event(on_error="_detail_refused")
    def cancel(self, session, ctx):
        booking = booking_changes.cancel_with_notice(
            session, client_id=None, booking_id=self._detail_id, now=datetime.now(UTC),
            base_url=get_settings().base_url, by_staff_id=ctx.staff_id)
        return self._after_change(session, booking, "Cancelled: the client is told by email.")

    @staff_event(on_error="_detail_refused")
    def create_invoice(self, session, ctx):
        invoice = invoice_from_booking(session, staff_id=ctx.staff_id,
                                       booking_id=self._detail_id)
        return [rx.redirect(routes.console_invoice(invoice.id)),
                rx.toast.success(self._tr(
                    f"Draft {invoice.number} created: check it, then send it."))]

    # --- move mode -------------------------------------------------------------------------

    @staff_event(on_error="_detail_refused")
    def start_move(self, session, ctx):
        """"Move": the calendar waits for the new time (the next empty time clicked)."""
        entry = cv.get_entry(session, booking_id=self._detail_id)
        if entry.status not in BookingStatus.HOLDS_TIME:
            raise ServiceError("This booking is no longer active.")
        self._moving_id = entry.id
        self.moving_label = (f"{entry.client_name} — {entry.service_name}, "
                             f"{formats.when_short(entry.start_at, self.zone, reader_lang())}")
        self.detail_open = False

    @rx.event
    def stop_move(self):
        self._moving_id = 0
        self.moving_label = ""
        self.propose_open = False

    @rx.event
    def set_propose_open(self, value: bool):
        self.propose_open = bool(value)

    def _move_refused(self, exc: ServiceError) -> None:
        self.propose_error = self._tr(exc.message)

    @staff_event(on_error="_move_refused")
    def confirm_move(self, session, ctx):
        """Move to the proposed time; a taken time is refused with the reason."""
        if not self._moving_id or not self._propose_start:
            raise ServiceError("Pick a time in the calendar.", field="start_at")
        booking = move_to(session, booking_id=self._moving_id,
                          new_start=wall_time_to_utc(self._propose_start, self.zone),
                          now=datetime.now(UTC), base_url=get_settings().base_url,
                          by_staff_id=ctx.staff_id)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._moving_id = 0
        self.moving_label = ""
        self.propose_open = False
        self._fill(session)
        return rx.toast.success(self._tr("Moved; the client is told by email."))

