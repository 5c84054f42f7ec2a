"""Client bookings (seed 001 "Online Scheduling"): Upcoming / Past, book with the
"+" button, reschedule and cancel within the business's rules.

The picker is a step flow that fits a phone: a service (when booking), then a
day from the date strip and one of its times, then a short confirm step with
the chosen time and the Confirm button (`step`).

Every handler runs the session check and requires the "appointment requests"
access; every booking id is checked for ownership by the service."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from models import AttributionEvent, BookingStatus
from portal_app import live
from portal_app.db import session_scope
from portal_app.i18n import formats
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.referrals.visits import attribute_visit
from portal_app.services.scheduling import booking_changes
from portal_app.services.scheduling import bookings as booking_service
from portal_app.services.scheduling import services as service_catalog
from portal_app.services.scheduling.slots import free_slots
from portal_app.settings import get_settings
from state.assign import assign_changed
from state.guards import client_event
from state.referral_cookie import referral_cookie
from state.session import ClientState

DAYS_SHOWN = 7
UNAVAILABLE = "Booking is not available to you. Please contact us."
STATUS_LABELS = {"pending": "Pending approval", "confirmed": "Confirmed",
                 "declined": "Declined", "cancelled": "Cancelled"}


def money(minor: int, currency: str, lang: str) -> str:
    return format_money(minor, currency, lang)


class BookingsState(ClientState):
    tab: str = "upcoming"
    rows: list[dict[str, str]] = []
    zone_label: str = ""
    services: list[dict[str, str]] = []
    picker_open: bool = False
    mode: str = "book"
    service_id: str = ""
    service_name: str = ""
    first_day: str = ""
    # [{"key": local ISO date, "day", "weekday", "date", "slots": [{value, label, long}]}]
    slot_days: list[dict] = []
    chosen_day: str = ""
    chosen_slot: str = ""
    chosen_label: str = ""
    service_detail: str = ""
    error: str = ""
    _rescheduling: int = 0

    def _fill(self, session, ctx) -> None:
        now = datetime.now(UTC)
        zone = self._tz
        views = booking_service.list_client_bookings(
            session, client_id=ctx.client_id, now=now, upcoming=self.tab == "upcoming")
        rows = []
        for v in views:
            when = formats.when_long(v.start_at, zone, self._lang)
            reason = v.refusal_shown(now)
            rows.append({
                "id": str(v.id), "service": v.service_name, "staff": v.staff_name,
                "when": when, "status": v.status, "status_label": self._tr(STATUS_LABELS.get(v.status, v.status)),
                "location": v.location or v.video_link,
                "can_change": "" if v.change_refusal(now) else "yes",
                "reason": self._tr(reason) if reason else "",
            })
        services = [
            {"id": str(s.id), "name": s.name, "detail": self._service_detail(s),
             "approval": "yes" if s.needs_approval else ""}
            for s in service_catalog.list_services(session, active_only=True)
        ]
        # Only what changed travels (state/assign.py): the page opened again sends nothing.
        assign_changed(self, {"zone_label": zone, "rows": rows, "services": services})

    def _service_detail(self, service) -> str:
        """"60 min · $80.00", or "30 min · Free" for a service without a price."""
        price = (money(service.price_minor, service.currency, self._lang)
                 if service.price_minor else self._tr("Free"))
        return f"{self._tr(f'{service.duration_minutes} min')} · {price}"

    def _slots(self, session, service_id: int, exclude: int | None) -> None:
        zone = self._tz
        start = date.fromisoformat(self.first_day) if self.first_day else None
        slots = free_slots(session, service_id=service_id, now=datetime.now(UTC),
                           start_day=start, days=DAYS_SHOWN, exclude_booking_id=exclude)
        days: dict[str, dict] = {}
        labels = formats.slot_labels([slot.start_at for slot in slots], zone, self._lang)
        tz = ZoneInfo(zone or "UTC")
        for slot, (day_label, label, long) in zip(slots, labels, strict=True):
            local_day = slot.start_at.astimezone(tz).date()
            key = local_day.isoformat()
            if key not in days:
                weekday, short = formats.day_chip(local_day, self._lang)
                days[key] = {"key": key, "day": day_label, "weekday": weekday, "date": short,
                             "slots": []}
            days[key]["slots"].append(
                {"value": slot.start_at.isoformat(), "label": label, "long": long})
        self.slot_days = list(days.values())
        if self.chosen_day not in days:  # a new week or service: its first day with times
            self.chosen_day = next(iter(days), "")

    def _show_error(self, exc: ServiceError) -> None:
        self.error = self._tr(exc.message)

    @client_event(feature="bookings", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        assign_changed(self, {"error": ""})
        self._fill(session, ctx)
        # The right panel's "Book an appointment" opens the picker at once.
        if self.router.url.query_parameters.get("book") == "1":
            return BookingsState.start_booking
        return None

    def _live_refresh(self):
        """Pushed from outside (staff approved, declined, moved or cancelled): reload."""
        with session_scope() as session:
            ctx, leave = self._live_client(session, "bookings", UNAVAILABLE)
            if ctx is not None:
                self._fill(session, ctx)
        return leave

    @rx.event
    def show_tab(self, tab: str):
        self.tab = "past" if tab == "past" else "upcoming"
        return BookingsState.load

    @rx.event
    def start_booking(self):
        self.mode = "book"
        self._rescheduling = 0
        self.service_id = self.service_name = self.chosen_slot = self.chosen_label = ""
        self.first_day = self.chosen_day = self.service_detail = ""
        self.slot_days = []
        self.error = ""
        self.picker_open = True

    @rx.event
    def set_picker_open(self, value: bool):
        self.picker_open = bool(value)

    @client_event(feature="bookings", unavailable=UNAVAILABLE)
    def choose_service(self, session, ctx, service_id: str):
        self.error = ""
        try:
            service = service_catalog.get_service(session, service_id=int(service_id))
        except (ServiceError, ValueError, TypeError):
            service = None
        if service is None or not service.active:
            self.error = self._tr("Choose a service from the list.")
            return None
        self.service_id, self.service_name = str(service.id), service.name
        self.service_detail = self._service_detail(service)
        self.chosen_slot = self.chosen_label = self.chosen_day = ""
        self._slots(session, service.id, None)
        return None

    @client_event(feature="bookings", unavailable=UNAVAILABLE)
    def shift_days(self, session, ctx, step: int):
        """Show the previous or next week of free times."""
        base = date.fromisoformat(self.first_day) if self.first_day else datetime.now(UTC).date()
        moved = base + timedelta(days=DAYS_SHOWN if int(step or 0) > 0 else -DAYS_SHOWN)
        self.first_day = max(moved, datetime.now(UTC).date()).isoformat()
        self.chosen_day = ""
        if self.service_id:
            self._slots(session, int(self.service_id), self._rescheduling or None)

    @rx.event
    def choose_day(self, key: str):
        """Show one day's times (a day of the date strip)."""
        if any(d["key"] == key for d in self.slot_days):
            self.chosen_day = str(key)

    @rx.event
    def choose_slot(self, value: str, label: str):
        """Take a time: the picker moves on to its confirm step. (`confirm` checks
        the time again on the server; this only fills the form.)"""
        self.chosen_slot = str(value)
        self.chosen_label = str(label)

    @rx.event
    def step_back(self):
        """Back one step: from confirming to the times, from the times to the services."""
        if self.chosen_slot:
            self.chosen_slot = self.chosen_label = ""
        elif self.mode == "book":
            self.service_id = self.service_name = self.service_detail = ""
            self.slot_days = []
            self.chosen_day = self.first_day = ""

    def _parse_slot(self) -> datetime | None:
        try:
            start = datetime.fromisoformat(self.chosen_slot)
        except ValueError:
            return None
        return start if start.tzinfo else None

    @client_event(feature="bookings", unavailable=UNAVAILABLE, on_error="_show_error")
    def confirm(self, session, ctx):
        """Book (or move) at the chosen time; the service re-checks everything and
        queues the notice."""
        self.error = ""
        start = self._parse_slot()
        if start is None or not self.service_id:
            self.error = self._tr("Choose a time first.")
            return None
        base_url = get_settings().base_url
        now = datetime.now(UTC)
        try:
            if self.mode == "reschedule":
                booking = booking_changes.reschedule_with_notice(
                    session, client_id=ctx.client_id, booking_id=self._rescheduling,
                    new_start=start, now=now, base_url=base_url)
            else:
                booking = booking_changes.book_with_notice(
                    session, client_id=ctx.client_id, service_id=int(self.service_id),
                    start_at=start, now=now, base_url=base_url)
                attribute_visit(session, client_id=ctx.client_id, event=AttributionEvent.BOOKING,
                                cookie=referral_cookie(self), now=now)
        except booking_service.SlotTaken as exc:
            # The session was rolled back (nothing written); show the times still free.
            self.error = self._tr(exc.message)
            self._slots(session, int(self.service_id), self._rescheduling or None)
            self.chosen_slot = self.chosen_label = ""
            return None
        pending = booking.status == BookingStatus.PENDING
        live.staff_changed(about=live.BOOKINGS)  # the console's Today (a request to approve, the day's list)
        self.picker_open = False
        self.tab = "upcoming"
        done = self._tr("Request sent: we'll confirm by email." if pending
                        else "Booked. A confirmation is on its way by email.")
        return [BookingsState.load, rx.toast.success(done)]

    @client_event(feature="bookings", unavailable=UNAVAILABLE)
    def start_reschedule(self, session, ctx, booking_id: str):
        self.error = ""
        try:
            booking = booking_service.get_booking_for(session, client_id=ctx.client_id,
                                                      booking_id=int(booking_id))
            service = service_catalog.get_service(session, service_id=booking.service_id)
        except (ServiceError, ValueError, TypeError):
            return rx.toast.error(self._tr("That booking was not found."))
        refusal = booking_service.change_refusal(booking, service, datetime.now(UTC))
        if refusal:
            return rx.toast.error(self._tr(refusal))
        self.mode = "reschedule"
        self._rescheduling = booking.id
        self.service_id, self.service_name = str(service.id), service.name
        self.service_detail = self._service_detail(service)
        self.first_day = self.chosen_day = ""
        self.chosen_slot = self.chosen_label = ""
        self._slots(session, service.id, booking.id)
        self.picker_open = True
        return None

    @client_event(feature="bookings", unavailable=UNAVAILABLE)
    def cancel(self, session, ctx, booking_id: str):
        """Cancel within the rules; refused (with the reason) inside the window."""
        try:
            wanted = int(booking_id)
        except (ValueError, TypeError):
            return rx.toast.error(self._tr("That booking was not found."))
        booking_changes.cancel_with_notice(session, client_id=ctx.client_id, booking_id=wanted,
                                           now=datetime.now(UTC),
                                           base_url=get_settings().base_url)
        live.staff_changed(about=live.BOOKINGS)
        return [BookingsState.load, rx.toast.success(self._tr("Booking cancelled."))]
