"""Console scheduling: services and the bookings list (approve/decline requests,
book/move/cancel for a client). Availability: state/console_availability.py."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import reflex as rx

from models import BookingStatus
from portal_app import live, routes
from portal_app.i18n import formats
from portal_app.services import clients
from portal_app.services.billing.invoices import invoice_from_booking, invoiced_booking_ids
from portal_app.services.billing.superbills import setup as superbill_setup
from portal_app.services.billing.superbills.codes import POS_CODES
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.scheduling import booking_changes, booking_groups
from portal_app.services.scheduling import bookings as booking_service
from portal_app.services.scheduling import services as service_catalog
from portal_app.settings import get_settings
from state.bookings import STATUS_LABELS, money
from state.guards import staff_event
from state.staff_session import StaffState


def _staff_options(session) -> list[dict[str, str]]:
    return [{"id": str(s.id), "name": s.full_name}
            for s in service_catalog.list_active_staff(session)]


class ServicesState(StaffState):
    rows: list[dict[str, str]] = []
    staff_options: list[dict[str, str]] = []
    editing: dict[str, str] = {}
    editing_providers: list[str] = []
    dialog_open: bool = False
    error: str = ""
    # Superbills on: the CPT code, place of service and modifiers fields, their
    # messages beside them, and the place-of-service choices in the reader's language.
    superbills: bool = False
    pos_options: list[dict[str, str]] = []
    code_errors: dict[str, str] = {}
    _editing_id: int = 0

    def _fill(self, session) -> None:
        self.staff_options = _staff_options(session)
        self.superbills = superbill_setup.superbills_enabled(session)
        self.pos_options = [{"value": code, "label": f"{code} · {self._tr(label)}"}
                            for code, label in POS_CODES.items()]
        self.rows = [
            {"id": str(s.id), "name": s.name,
             "duration": self._tr(f"{s.duration_minutes} min"),
             "price": money(s.price_minor, s.currency, self._lang),
             "approval": self._tr("Needs approval" if s.needs_approval else "Instant"),
             "active": self._tr("Active" if s.active else "Hidden")}
            for s in service_catalog.list_services(session, active_only=False)
        ]

    def _field_error(self, exc: ServiceError) -> None:
        if isinstance(exc, superbill_setup.FormErrors):
            self.code_errors = {k: self._tr(v) for k, v in exc.errors.items()}
        else:
            self.error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self._fill(session)

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = bool(value)

    def _start_edit(self, session, service_id: str) -> None:
        if service_id:
            s = service_catalog.get_service(session, service_id=service_id)
            self._editing_id = s.id
            price = service_catalog.format_price(s.price_minor, s.currency)
            self.editing = {
                "name": s.name, "description": s.description,
                "duration_minutes": str(s.duration_minutes), "price": price,
                "location": s.location, "video_link": s.video_link,
                "needs_approval": "yes" if s.needs_approval else "",
                "buffer_before_minutes": str(s.buffer_before_minutes),
                "buffer_after_minutes": str(s.buffer_after_minutes),
                "min_notice_minutes": str(s.min_notice_minutes),
                "horizon_days": str(s.horizon_days),
                "change_window_hours": str(s.change_window_hours),
                "active": "yes" if s.active else "",
                "cpt_code": s.cpt_code, "pos_code": s.pos_code or "11",
                "modifiers": s.modifiers.replace(",", ", "),
            }
            self.editing_providers = [str(i) for i in service_catalog.provider_ids(
                session, service_id=s.id)]
        else:
            self._editing_id = 0
            self.editing = {"name": "", "description": "", "duration_minutes": "60",
                            "price": "0.00", "location": "", "video_link": "",
                            "needs_approval": "", "buffer_before_minutes": "0",
                            "buffer_after_minutes": "0", "min_notice_minutes": "120",
                            "horizon_days": "60", "change_window_hours": "24",
                            "active": "yes", "cpt_code": "", "pos_code": "11",
                            "modifiers": ""}
            self.editing_providers = [o["id"] for o in self.staff_options]

    @staff_event
    def edit(self, session, ctx, service_id: str):
        self.error = ""
        self.code_errors = {}
        self._start_edit(session, service_id)
        self.dialog_open = True

    @staff_event(on_error="_field_error")
    def save(self, session, ctx, form: dict):
        self.error = ""
        self.code_errors = {}
        data = dict(form)
        data["provider_ids"] = [k.split("-", 1)[1] for k, v in form.items()
                                if k.startswith("provider-") and v]
        codes = superbill_setup.service_codes_from(session, data)  # None: superbills off
        service = service_catalog.save_service(session, staff_id=ctx.staff_id,
                                               service_id=self._editing_id or None, form=data)
        superbill_setup.set_service_codes(session, staff_id=ctx.staff_id, service=service,
                                          codes=codes)
        self._fill(session)
        self.dialog_open = False
        return rx.toast.success(self._tr("Service saved."))


def _local_to_utc(raw: str, zone: str) -> datetime:
    """A "YYYY-MM-DDTHH:MM" wall time in the business zone, as UTC."""
    try:
        local = datetime.fromisoformat(str(raw))
    except ValueError:
        raise ServiceError("Enter a date and time.", field="start") from None
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


ENDED_DAYS = 60  # how far back "Recently ended" looks


class StaffBookingsState(StaffState):
    rows: list[dict[str, str]] = []
    filter_status: str = ""
    view: str = "all"  # all (upcoming) | pending | ended | cancelled (booking_groups)
    zone: str = ""
    for_client_id: str = ""
    for_client_name: str = ""
    services: list[dict[str, str]] = []
    error: str = ""

    def _views(self, session, now: datetime):
        if self.view == "cancelled":  # cancelled or declined, still ahead or recent
            return booking_service.list_staff_bookings(
                session, now=now, group=booking_groups.CANCELLED,
                since=now - timedelta(days=ENDED_DAYS))
        if self.view != "ended":
            return booking_service.list_staff_bookings(session, now=now,
                                                       status=self.filter_status)
        # Confirmed bookings that ended in the last ENDED_DAYS, latest first: the
        # ones to invoice. (list_staff_bookings lists from a moment on, by start.)
        views = booking_service.list_staff_bookings(
            session, now=now - timedelta(days=ENDED_DAYS), status=BookingStatus.CONFIRMED,
            limit=500)
        return [v for v in reversed(views) if v.end_at <= now]

    def _fill(self, session) -> None:
        self.zone = get_business(session).timezone or "UTC"
        now = datetime.now(UTC)
        views = self._views(session, now)
        ended = [v.id for v in views
                 if v.status == BookingStatus.CONFIRMED and v.end_at <= now]
        invoiced = invoiced_booking_ids(session, ended)
        self.rows = [
            {"id": str(v.id), "client": v.client_name, "service": v.service_name,
             "staff": v.staff_name, "status": v.status,
             "status_label": self._tr(STATUS_LABELS.get(v.status, v.status)),
             "when": formats.when_short(v.start_at, self.zone, self._lang),
             "ended": "yes" if v.id in ended else "",
             "invoice_number": invoiced.get(v.id, ""),
             "invoice_url": (f"{routes.CONSOLE_INVOICE}?number={quote(invoiced[v.id])}"
                             if v.id in invoiced else "")}
            for v in views
        ]

    def _fill_page(self, session) -> None:
        self._fill(session)
        self.services = [{"id": str(s.id), "name": s.name} for s in
                         service_catalog.list_services(session, active_only=True)]
        self.for_client_id = self.for_client_name = ""
        raw = self.router.url.query_parameters.get("client", "")
        if raw:
            client = clients.get_client(session, client_id=raw)
            self.for_client_id, self.for_client_name = str(client.id), client.full_name

    def _field_error(self, exc: ServiceError) -> None:
        self.error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self.error = ""
        self._fill_page(session)

    @staff_event(on_error="_field_error")
    def create_for_client(self, session, ctx, form: dict):
        """Book for a client at a time in the business zone (working hours and
        overlaps still apply; notice and horizon do not)."""
        self.error = ""
        client = clients.get_client(session, client_id=self.for_client_id)
        self._client_changed(client.id, about=live.BOOKINGS)
        booking_changes.book_with_notice(
            session, client_id=client.id, service_id=form.get("service_id"),
            start_at=_local_to_utc(form.get("start", ""), self.zone or "UTC"),
            now=datetime.now(UTC), base_url=get_settings().base_url, by_staff_id=ctx.staff_id)
        self._fill(session)
        return rx.toast.success(self._tr("Booked; the client is told by email."))

    @staff_event
    def move(self, session, ctx, form: dict):
        booking = booking_changes.reschedule_with_notice(
            session, client_id=None, booking_id=form.get("booking_id"),
            new_start=_local_to_utc(form.get("start", ""), self.zone or "UTC"),
            now=datetime.now(UTC), base_url=get_settings().base_url, by_staff_id=ctx.staff_id)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._fill(session)
        return rx.toast.success(self._tr("Moved; the client is told by email."))

    @rx.event
    def show(self, status: str):
        self.view = status if status in ("pending", "ended", "cancelled") else "all"
        self.filter_status = "pending" if status == "pending" else ""
        return StaffBookingsState.load

    @staff_event
    def invoice_booking(self, session, ctx, booking_id: str):
        """Create invoice: a draft for a confirmed booking that has taken place."""
        invoice = invoice_from_booking(session, staff_id=ctx.staff_id, booking_id=booking_id)
        return [rx.redirect(routes.console_invoice(invoice.id)),
                rx.toast.success(self._tr(
                    f"Draft {invoice.number} created: check it, then send it."))]

    @staff_event
    def approve(self, session, ctx, booking_id: str):
        booking = booking_changes.approve_with_notice(
            session, staff_id=ctx.staff_id, booking_id=booking_id,
            base_url=get_settings().base_url)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._fill(session)
        return rx.toast.success(self._tr("Approved: the client is told by email."))

    @staff_event
    def decline(self, session, ctx, form: dict):
        booking = booking_changes.decline_with_notice(
            session, staff_id=ctx.staff_id, booking_id=form.get("booking_id"),
            message=str(form.get("message", "")), base_url=get_settings().base_url)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._fill(session)
        return rx.toast.success(self._tr("Declined: the client is told by email."))

    @staff_event
    def cancel(self, session, ctx, booking_id: str):
        booking = booking_changes.cancel_with_notice(
            session, client_id=None, booking_id=booking_id, now=datetime.now(UTC),
            base_url=get_settings().base_url, by_staff_id=ctx.staff_id)
        self._client_changed(booking.client_id, about=live.BOOKINGS)
        self._fill(session)
        return rx.toast.success(self._tr("Cancelled: the client is told by email."))
