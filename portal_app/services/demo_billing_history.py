"""A month of billing history for the demo client, so a statement (with aging) and a
superbill show something on a fresh install.

Everything goes through the services a real month would use: bookings through
`book_slot` (as staff, "now" a week before each session), invoices from the bookings
(`invoice_from_booking`, `send_invoice`), a card payment through the test-mode
checkout and the provider-event path, a bank transfer through
`record_offline_payment`, a refund through the refund saga's steps, a void through
`void_invoice`. So `Invoice.paid_minor`, the statuses and the receipts are what the
services made. The services stamp "now"; each step's rows are then dated to the day
it happened (in the business's zone), and its side effects with them: its audit rows
and bell lines are dated (the bell lines read), and the emails it queued are dropped
(a month-old receipt is not sent on the day of the install).

The story, counted back from today (T) on weekdays at 10:00:
  T-52  intake assessment, invoiced, due in 7 days, never paid (overdue 45+ days);
  T-28  therapy session, paid in full by card right after;
  T-27  the same session invoiced twice by mistake (the next weekday), paid by card
        too, then refunded and the duplicate voided the weekday after;
  T-10  video therapy session, part paid by bank transfer (this month);
  T-3   therapy session, open and not yet due.
Superbill data: the provider block, CPT/POS/modifiers on three therapy services, the
client's date of birth, member id, address and an F41.1 diagnosis dated before the
intake, and one superbill issued for last month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func
from sqlmodel import Session, select

from models import (
    AuditEvent,
    Booking,
    Client,
    ClientDiagnosis,
    Invoice,
    Notification,
    OutboxMessage,
    Payment,
    Service,
    Superbill,
    SuperbillStatus,
)
from portal_app.providers.payments import TestModeGateway
from portal_app.services.billing.checkout import checkout_request, open_checkout, prepare_checkout
from portal_app.services.billing.checkout_test_mode import finish_test_checkout
from portal_app.services.billing.dates import business_zone
from portal_app.services.billing.invoices import (
    invoice_from_booking,
    invoice_lines,
    save_draft,
    send_invoice,
    void_invoice,
)
from portal_app.services.billing.payments import record_offline_payment
from portal_app.services.billing.refunds import finish_refund, reserve_refund
from portal_app.services.billing.statements.ranges import last_month
from portal_app.services.billing.superbills.codes import (
    clean_cpt,
    clean_icd10,
    clean_modifiers,
    clean_npi,
    clean_pos,
    clean_state,
    clean_tax_id,
    clean_taxonomy,
)
from portal_app.services.business import get_business
from portal_app.services.money import decimal_text
from portal_app.services.scheduling.bookings import book_slot
from portal_app.services.scheduling.services import save_service

NPI = "1234567893"  # a valid individual NPI (Luhn check digit), for the demo only
THERAPY_SERVICES = (
    # name, minutes, price, CPT, place of service, modifiers, video link
    ("Intake assessment (60 min)", 60, "180.00", "90791", "11", "", ""),
    ("Therapy session (50 min)", 50, "140.00", "90834", "11", "", ""),
    ("Video therapy session (50 min)", 50, "140.00", "90834", "02", "95",
     "https://meet.example.com/harbor-therapy"),
)


@dataclass(frozen=True)
class DemoHistory:
    """What was made, for the tests and anyone reading the demo."""

    overdue_id: int  # the intake, never paid
    paid_id: int  # paid in full by card
    void_id: int  # the duplicate: paid, refunded, voided
    partial_id: int  # part paid by bank transfer
    current_id: int  # open, not yet due
    superbill_id: int


class _Clock:
    """The days of the story on the business's calendar, and its moments in UTC."""

    def __init__(self, zone: str, now: datetime):
        self.zone = ZoneInfo(zone)
        self.today = now.astimezone(self.zone).date()

    def weekday_back(self, days: int) -> date:
        """`days` before today, moved back to a weekday (the demo hours are Mon–Fri)."""
        day = self.today - timedelta(days=days)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    @staticmethod
    def weekday_after(day: date, days: int = 1) -> date:
        """`days` after `day`, moved on to a weekday."""
        day += timedelta(days=days)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)


class _Step:
    """Dates what one step's services stamped "now": its audit rows and bell lines
    (read an hour later), and drops the emails it queued."""

    def __init__(self, session: Session):
        self.session = session
        self.marks = {model: session.exec(select(func.coalesce(func.max(model.id), 0))).one()
                      for model in (AuditEvent, Notification, OutboxMessage)}

    def done(self, at: datetime) -> None:
        s = self.session
        for row in s.exec(select(AuditEvent).where(AuditEvent.id > self.marks[AuditEvent])):
            row.at = at
            s.add(row)
        for row in s.exec(select(Notification).where(Notification.id > self.marks[Notification])):
            row.created_at, row.read_at = at, at + timedelta(hours=1)
            s.add(row)
        s.exec(delete(OutboxMessage).where(OutboxMessage.id > self.marks[OutboxMessage]))
        s.flush()


def _stamp(session: Session, row: object, **fields: object) -> None:
    for key, value in fields.items():
        setattr(row, key, value)
    session.add(row)
    session.flush()


def seed_billing_history(session: Session, *, staff_id: int, client_id: int, base_url: str = "",
                         now: datetime | None = None) -> DemoHistory:
    """The demo client's month of history and the superbill data (see the module)."""
    now = now or datetime.now(UTC)
    business = get_business(session)
    clock = _Clock(business_zone(business), now)
    _provider_block(session)
    intake, office, video = _therapy_services(session, staff_id)
    client = session.get(Client, client_id)
    gateway = TestModeGateway(base_url or "http://127.0.0.1")
    ctx = _Ctx(session, clock, staff_id, client_id, base_url, gateway)

    intake_day = clock.weekday_back(52)
    _client_insurance(session, client, staff_id, diagnosed=intake_day - timedelta(days=7))
    overdue = ctx.invoice(ctx.attended(intake, intake_day), intake_day, due_days=7)

    paid_day = clock.weekday_back(28)
    paid = ctx.invoice(ctx.attended(office, paid_day), paid_day)
    ctx.pay_by_card(paid, clock.at(paid_day, 11, 5))

    dup_day = clock.weekday_after(paid_day)
    duplicate = ctx.duplicate(paid, dup_day)
    card = ctx.pay_by_card(duplicate, clock.at(dup_day, 19, 30))
    ctx.refund_and_void(duplicate, card, clock.at(clock.weekday_after(dup_day), 9, 40))

    partial_day = clock.weekday_back(10)
    partial = ctx.invoice(ctx.attended(video, partial_day), partial_day)
    # Paid on a day of this month, so this month's statement shows an allocation.
    ctx.pay_by_transfer(partial, "60.00",
                        max(partial_day + timedelta(days=2), clock.today.replace(day=1)))

    current_day = clock.weekday_back(3)
    current = ctx.invoice(ctx.attended(office, current_day), current_day)

    start, end = last_month(business_zone(business), clock.today)
    issued = clock.at(clock.today.replace(day=1), 9)
    superbill = Superbill(client_id=client_id, start_date=start, end_date=end,
                          status=SuperbillStatus.ISSUED, source="staff",
                          issued_by_staff_id=staff_id, requested_at=issued, issued_at=issued)
    session.add(superbill)
    session.flush()
    return DemoHistory(overdue_id=overdue.id, paid_id=paid.id, void_id=duplicate.id,
                       partial_id=partial.id, current_id=current.id, superbill_id=superbill.id)


def _provider_block(session: Session) -> None:
    """"We bill clients who claim from insurance", with the provider block filled in."""
    business = get_business(session)
    business.superbills_enabled = True
    business.legal_name = "Harbor Wellness Studio LLC"
    business.npi_individual = clean_npi(NPI, required=True)
    business.tax_id_kind = "ein"
    business.tax_id = clean_tax_id("12-3456789", "ein")
    business.license_number = "CC12345"
    business.license_state = clean_state("ME")
    business.taxonomy_code = clean_taxonomy("101YM0800X")  # mental health counselor
    session.add(business)
    session.flush()


def _therapy_services(session: Session, staff_id: int) -> list[Service]:
    """The counselling services a superbill is for (the massage and the free
    consultation keep no CPT code, so the pre-flight check has something to say)."""
    business = get_business(session)
    made = []
    for name, minutes, price, cpt, pos, modifiers, video_link in THERAPY_SERVICES:
        service = save_service(session, staff_id=staff_id, service_id=None, form={
            "name": name, "description": "Counselling with a licensed counselor.",
            "duration_minutes": minutes, "buffer_after_minutes": 10, "price": price,
            "location": "" if video_link else business.address, "video_link": video_link,
            "provider_ids": [staff_id]})
        _stamp(session, service, cpt_code=clean_cpt(cpt, required=True), pos_code=clean_pos(pos),
               modifiers=clean_modifiers(modifiers))
        made.append(service)
    return made


def _client_insurance(session: Session, client: Client, staff_id: int, *,
                      diagnosed: date) -> None:
    """What the patient block of a superbill needs, and the diagnosis."""
    _stamp(session, client, date_of_birth=date(1988, 3, 14), insurance_member_id="XKM123456789",
           address=client.address or "45 Harbor Lane, Portland, ME 04101")
    session.add(ClientDiagnosis(client_id=client.id, code=clean_icd10("F41.1"),
                                description="Generalized anxiety disorder", from_date=diagnosed,
                                created_by_staff_id=staff_id))
    session.flush()


@dataclass
class _Ctx:
    session: Session
    clock: _Clock
    staff_id: int
    client_id: int
    base_url: str
    gateway: TestModeGateway

    def attended(self, service: Service, day: date) -> Booking:
        """A confirmed session at 10:00 on `day`, booked by staff a week before."""
        start = self.clock.at(day, 10)
        step = _Step(self.session)
        booking = book_slot(self.session, client_id=self.client_id, service_id=service.id,
                            start_at=start, now=start - timedelta(days=7), created_by="staff",
                            staff_id=self.staff_id, by_staff_id=self.staff_id)
        step.done(start - timedelta(days=7))
        return booking

    def _send(self, invoice: Invoice, issued: date, due_days: int, step: _Step) -> Invoice:
        send_invoice(self.session, staff_id=self.staff_id, invoice_id=invoice.id,
                     base_url=self.base_url)
        sent = self.clock.at(issued, 17)
        _stamp(self.session, invoice, issue_date=issued,
               due_date=issued + timedelta(days=due_days), sent_at=sent, created_at=sent,
               updated_at=sent)
        step.done(sent)
        return invoice

    def invoice(self, booking: Booking, issued: date, *, due_days: int = 14) -> Invoice:
        """The session's invoice, made from the booking and sent on `issued`."""
        step = _Step(self.session)
        invoice = invoice_from_booking(self.session, staff_id=self.staff_id,
                                       booking_id=booking.id)
        return self._send(invoice, issued, due_days, step)

    def duplicate(self, original: Invoice, issued: date) -> Invoice:
        """The same session invoiced again by hand (a mistake found later)."""
        step = _Step(self.session)
        lines = [{"description": line.description,
                  "quantity": decimal_text(line.quantity_hundredths, "USD"),
                  "unit_price": decimal_text(line.unit_price_minor, original.currency)}
                 for line in invoice_lines(self.session, invoice_id=original.id)]
        invoice = save_draft(self.session, staff_id=self.staff_id, invoice_id=None,
                             form={"client_id": self.client_id, "kind": "invoice",
                                   "issue_date": issued.isoformat()}, lines=lines)
        return self._send(invoice, issued, 14, step)

    def pay_by_card(self, invoice: Invoice, at: datetime) -> Payment:
        """The client pays the balance through the test-mode checkout (the real
        provider-event path: receipt number, settle, audit)."""
        step = _Step(self.session)
        attempt = prepare_checkout(self.session, client_id=self.client_id,
                                   invoice_id=invoice.id, amount_text=None,
                                   provider=self.gateway.name, tab_token="")
        opened = self.gateway.create_checkout(checkout_request(
            self.session, attempt=attempt, customer_email="", base_url=self.base_url))
        open_checkout(self.session, attempt_id=attempt.id, provider_session_id=opened.id,
                      url=opened.url)
        finish_test_checkout(self.session, gateway=self.gateway, client_id=self.client_id,
                             provider_session_id=opened.id, paid=True, base_url=self.base_url)
        payment = self.session.exec(select(Payment).where(Payment.provider_ref == opened.id)).one()
        _stamp(self.session, payment, paid_at=at, created_at=at)
        _stamp(self.session, attempt, created_at=at - timedelta(minutes=2), completed_at=at)
        if invoice.paid_at is not None:
            _stamp(self.session, invoice, paid_at=at, updated_at=at)
        step.done(at)
        return payment

    def pay_by_transfer(self, invoice: Invoice, amount: str, day: date) -> Payment:
        step = _Step(self.session)
        payment = record_offline_payment(
            self.session, staff_id=self.staff_id, invoice_id=invoice.id,
            form={"amount": amount, "method": "bank_transfer", "paid_on": day.isoformat(),
                  "note": "Part payment by bank transfer"}, base_url=self.base_url)
        _stamp(self.session, payment, created_at=payment.paid_at)
        _stamp(self.session, invoice, updated_at=payment.paid_at)
        step.done(payment.paid_at)
        return payment

    def refund_and_void(self, invoice: Invoice, payment: Payment, at: datetime) -> None:
        """The duplicate's card payment refunded in full (the saga's steps, test-mode
        provider), then the duplicate voided."""
        step = _Step(self.session)
        reserved = reserve_refund(self.session, staff_id=self.staff_id, invoice_id=invoice.id,
                                  payment_id=payment.id,
                                  form={"reason": "Charged twice for the same session"},
                                  gateway=self.gateway)
        provider_refund_id = self.gateway.refund(
            payment_intent_id=reserved.payment_intent_id, amount_minor=reserved.amount_minor,
            idempotency_key=f"refund-{reserved.refund_id}")
        refund = finish_refund(self.session, refund_id=reserved.refund_id,
                               provider_refund_id=provider_refund_id, staff_id=self.staff_id)
        _stamp(self.session, refund, created_at=at)
        void_invoice(self.session, staff_id=self.staff_id, invoice_id=invoice.id)
        voided = at + timedelta(minutes=5)
        _stamp(self.session, invoice, voided_at=voided, updated_at=voided)
        step.done(at)

