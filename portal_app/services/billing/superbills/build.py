"""A superbill for one client and a date range, computed now from the bookings,
services, invoices, payments and diagnoses (nothing copied, so it cannot drift).

One line per attended booking (confirmed and ended; cancelled and declined ones
are not sessions): the date of service on the client's calendar, the service's
place of service, CPT code and modifiers, one unit, the ICD-10 codes valid that
day (primary first), the fee (the booking's invoice, else the service's price) and
what was paid on it, partial payments as they are. A line with missing data is
never dropped: the pre-flight (`preflight.py`) names it instead. Four SQL
statements whatever the history (business, client, lines, diagnoses).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from models import (
    Booking,
    BookingStatus,
    Business,
    Client,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Service,
)
from models.base import utcnow
from portal_app.services.billing.dates import client_zone
from portal_app.services.billing.superbills.codes import mask_tax_id
from portal_app.services.billing.superbills.diagnoses import diagnoses_on, valid_on
from portal_app.services.billing.superbills.model import (
    CurrencyTotal,
    Diagnosis,
    Patient,
    Provider,
    SuperbillDoc,
    SuperbillLine,
)
from portal_app.services.billing.superbills.preflight import preflight
from portal_app.services.billing.superbills.ranges import check_range
from portal_app.services.business import get_business
from portal_app.services.errors import get_by_id

NO_CLIENT = "That client does not exist."
BILLED = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID)


def provider_of(business: Business) -> Provider:
    kind = business.tax_id_kind or "ein"
    tax_id = business.tax_id or ""
    return Provider(
        legal_name=(business.legal_name or "").strip(),
        npi_individual=business.npi_individual or "",
        npi_organisation=business.npi_organisation or "",
        tax_id=mask_tax_id(tax_id) if kind == "ssn" else tax_id, tax_id_kind=kind,
        license_number=business.license_number or "", license_state=business.license_state or "",
        taxonomy_code=business.taxonomy_code or "", address=(business.address or "").strip(),
        phone=(business.contact_phone or "").strip(), signature_file=business.signature_file)


def patient_of(client: Client) -> Patient:
    return Patient(client_id=client.id, name=client.full_name,
                   date_of_birth=client.date_of_birth, address=(client.address or "").strip(),
                   member_id=(client.insurance_member_id or "").strip())


def _bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    return (datetime.combine(start, time(0), tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz))


def _rows(session: Session, *, client_id: int, start: date, end: date, zone: str,
          now: datetime):
    """(booking, service, invoice or None) of the attended bookings, oldest first: one
    statement. A booking with several billed invoices keeps the newest."""
    lo, hi = _bounds(start, end, zone)
    rows = session.exec(
        select(Booking, Service, Invoice)
        .join(Service, Service.id == Booking.service_id)
        .outerjoin(Invoice, (Invoice.booking_id == Booking.id)
                   & (Invoice.kind == InvoiceKind.INVOICE) & Invoice.status.in_(BILLED))
        .where(Booking.client_id == client_id, Booking.status == BookingStatus.CONFIRMED,
               Booking.start_at >= lo, Booking.start_at < hi, Booking.end_at <= now)
        .order_by(Booking.start_at, Booking.id, Invoice.id)
    ).all()
    chosen: dict[int, tuple] = {}
    for booking, service, invoice in rows:
        chosen[booking.id] = (booking, service, invoice)  # the newest invoice wins
    return list(chosen.values())


def _line(booking: Booking, service: Service, invoice: Invoice | None, zone: str,
          diagnoses: list) -> SuperbillLine:
    day = booking.start_at.astimezone(ZoneInfo(zone)).date()
    if invoice is not None:
        fee, paid, currency = invoice.total_minor, invoice.paid_minor, invoice.currency
    else:
        fee, paid, currency = service.price_minor, 0, service.currency
    return SuperbillLine(
        booking_id=booking.id, day=day, service_id=service.id, service_name=service.name,
        pos=service.pos_code or "", cpt=service.cpt_code or "", modifiers=service.modifiers or "",
        units=1, diagnoses=tuple(Diagnosis(d.code, d.description) for d in valid_on(diagnoses, day)),
        fee_minor=fee, paid_minor=paid, currency=currency,
        invoice_id=invoice.id if invoice else None, invoice_number=invoice.number if invoice else "")


def build_superbill(session: Session, *, client_id: object, start: date, end: date,
                    now: datetime | None = None) -> SuperbillDoc:
    """The superbill of one client from `start` to `end` (both included, on the
    client's calendar), with its problems (empty when it may be issued)."""
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    business = get_business(session)
    zone = client_zone(client, business)
    check_range(start, end)
    rows = _rows(session, client_id=client.id, start=start, end=end, zone=zone,
                 now=now or utcnow())
    diagnoses = diagnoses_on(session, [client.id], start, end).get(client.id, []) if rows else []
    lines = tuple(_line(b, s, inv, zone, diagnoses) for b, s, inv in rows)
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        sums[line.currency][0] += line.fee_minor
        sums[line.currency][1] += line.paid_minor
    totals = tuple(CurrencyTotal(code, fees, paid) for code, (fees, paid) in sorted(sums.items()))
    provider, patient = provider_of(business), patient_of(client)
    problems = preflight(provider=provider, patient=patient, lines=lines, start=start, end=end)
    return SuperbillDoc(client_id=client.id, start=start, end=end, zone=zone, provider=provider,
                        patient=patient, lines=lines, totals=totals, problems=tuple(problems))
