"""Data for the superbill tests, set directly on the rows (the console screens that
edit it are another change)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from models import Booking, BookingStatus, ClientDiagnosis, Invoice, InvoiceKind, InvoiceStatus
from tests import factories

NPI = "1234567893"  # the CMS example NPI: its Luhn check digit is right
ORG_NPI = "1245319599"
ZONE = "America/Chicago"
_seq = itertools.count(1)


def ready_world(session, **business_overrides):
    """A business with every superbill field set, a staff member, a service with its
    codes and a client with everything a superbill needs."""
    fields = dict(timezone=ZONE, superbills_enabled=True, legal_name="Sol Therapy LLC",
                  npi_individual=NPI, npi_organisation=ORG_NPI, tax_id="12-3456789",
                  tax_id_kind="ein", license_number="PSY12345", license_state="IL",
                  taxonomy_code="101YM0800X", address="1 Main St, Chicago IL",
                  contact_phone="+1 312 555 0100", country="US")
    fields.update(business_overrides)
    business = factories.business(session, **fields)
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], name="Therapy 50",
                                price_minor=15000, cpt_code="90834", pos_code="02",
                                modifiers="95")
    account, (client,) = factories.household(session, names=("Ana",))
    client.date_of_birth = date(1990, 4, 2)
    client.address = "9 Oak Ave, Chicago IL"
    client.insurance_member_id = "XYZ123456"
    client.timezone = ZONE
    session.add(client)
    session.flush()
    return business, staff, service, account, client


def booking(session, client, service, staff, at: datetime, *,
            status: str = BookingStatus.CONFIRMED, minutes: int = 50) -> Booking:
    row = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id, start_at=at,
                  end_at=at + timedelta(minutes=minutes), status=status)
    session.add(row)
    session.flush()
    return row


def invoice_for(session, row: Booking, *, total: int, paid: int = 0,
                currency: str = "USD", status: str | None = None) -> Invoice:
    n = next(_seq)
    if status is None:
        status = (InvoiceStatus.PAID if paid >= total else
                  InvoiceStatus.PARTIALLY_PAID if paid else InvoiceStatus.SENT)
    inv = Invoice(kind=InvoiceKind.INVOICE, number=f"INV-S{n:05d}", client_id=row.client_id,
                  booking_id=row.id, status=status, currency=currency,
                  issue_date=row.start_at.date(), subtotal_minor=total, total_minor=total,
                  paid_minor=paid)
    session.add(inv)
    session.flush()
    return inv


def diagnosis(session, client, code: str, from_date: date, *, position: int = 0,
              until: date | None = None, description: str = "") -> ClientDiagnosis:
    row = ClientDiagnosis(client_id=client.id, code=code, from_date=from_date,
                          until_date=until, position=position,
                          description=description or f"Diagnosis {code}")
    session.add(row)
    session.flush()
    return row


def utc(y, m, d, h=15, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)
