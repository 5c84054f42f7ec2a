"""Superbills: lines per attended booking (fee from the invoice, partial payments as
they are), diagnoses by date, excluded bookings, the exact pre-flight messages, the
PDF's text, and a constant number of SQL statements as history grows."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from sqlmodel import select

from models import BookingStatus, Superbill
from portal_app import routes
from portal_app.services.billing.superbills.build import build_superbill
from portal_app.services.billing.superbills.model import PaidState
from portal_app.services.billing.superbills.pdf import superbill_pdf_bytes
from portal_app.services.errors import ServiceError
from tests import factories
from tests.sql import statements_of
from tests.unit import superbill_helpers as h

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
NOW = h.utc(2026, 4, 10)


def _doc(session, client, start=MARCH[0], end=MARCH[1], now=NOW):
    return build_superbill(session, client_id=client.id, start=start, end=end, now=now)


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def world(session):
    business, staff, service, account, client = h.ready_world(session)
    h.diagnosis(session, client, "F41.1", date(2026, 1, 1))
    session.commit()
    return business, staff, service, client


def test_lines_with_full_partial_and_no_payment(session, world):
    _b, staff, service, client = world
    paid = h.booking(session, client, service, staff, h.utc(2026, 3, 3))
    h.invoice_for(session, paid, total=15000, paid=15000)
    partial = h.booking(session, client, service, staff, h.utc(2026, 3, 10))
    h.invoice_for(session, partial, total=12000, paid=4000)
    h.booking(session, client, service, staff, h.utc(2026, 3, 17))  # no invoice: the price
    doc = _doc(session, client)
    assert doc.problems == ()
    assert [(ln.day, ln.fee_minor, ln.paid_minor, ln.paid_state) for ln in doc.lines] == [
        (date(2026, 3, 3), 15000, 15000, PaidState.PAID),
        (date(2026, 3, 10), 12000, 4000, PaidState.PARTIAL),
        (date(2026, 3, 17), 15000, 0, PaidState.UNPAID)]
    assert doc.lines[1].balance_minor == 8000
    assert [(ln.pos, ln.cpt, ln.modifiers, ln.units) for ln in doc.lines] == [
        ("02", "90834", "95", 1)] * 3
    (total,) = doc.totals
    assert (total.currency, total.fees_minor, total.paid_minor, total.balance_minor) == (
        "USD", 42000, 19000, 23000)


def test_totals_are_per_currency(session, world):
    _b, staff, service, client = world
    one = h.booking(session, client, service, staff, h.utc(2026, 3, 3))
    h.invoice_for(session, one, total=10000, paid=10000, currency="EUR")
    h.booking(session, client, service, staff, h.utc(2026, 3, 4))
    doc = _doc(session, client)
    assert [(t.currency, t.fees_minor, t.paid_minor) for t in doc.totals] == [
        ("EUR", 10000, 10000), ("USD", 15000, 0)]


def test_void_invoice_is_not_the_fee(session, world):
    _b, staff, service, client = world
    row = h.booking(session, client, service, staff, h.utc(2026, 3, 3))
    h.invoice_for(session, row, total=99900, status="void")
    (line,) = _doc(session, client).lines
    assert (line.fee_minor, line.invoice_id) == (15000, None)


def test_cancelled_declined_pending_and_future_bookings_are_not_lines(session, world):
    _b, staff, service, client = world
    kept = h.booking(session, client, service, staff, h.utc(2026, 3, 2))
    for status in (BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.PENDING):
        h.booking(session, client, service, staff, h.utc(2026, 3, 5), status=status)
    h.booking(session, client, service, staff, h.utc(2026, 3, 20))  # not ended at `now`
    h.booking(session, client, service, staff, h.utc(2026, 4, 1))  # outside the range
    other = factories.client(session)
    h.booking(session, other, service, staff, h.utc(2026, 3, 6))  # another client
    doc = _doc(session, client, now=h.utc(2026, 3, 20, 15, 30))
    assert [ln.booking_id for ln in doc.lines] == [kept.id]


def test_date_of_service_is_on_the_clients_calendar(session, world):
    _b, staff, service, client = world
    # 03:00 UTC on April 1 is still March 31 in Chicago: in March's superbill, that day.
    late = h.booking(session, client, service, staff, h.utc(2026, 4, 1, 3, 0))
    (line,) = _doc(session, client).lines
    assert (line.booking_id, line.day) == (late.id, date(2026, 3, 31))


def test_diagnoses_valid_on_each_date_primary_first(session, world):
    _b, staff, service, client = world
    h.diagnosis(session, client, "F32.1", date(2026, 3, 10), position=0)
    h.diagnosis(session, client, "Z63.0", date(2026, 3, 1), until=date(2026, 3, 5), position=2)
    for day in (3, 10, 12):
        h.booking(session, client, service, staff, h.utc(2026, 3, day))
    doc = _doc(session, client)
    assert [[d.code for d in ln.diagnoses] for ln in doc.lines] == [
        ["F41.1", "Z63.0"], ["F41.1", "F32.1"], ["F41.1", "F32.1"]]


def test_preflight_lists_exactly_what_is_missing_and_drops_no_line(session):
    business, staff, service, _acc, client = h.ready_world(
        session, npi_individual="", legal_name="")
    client.date_of_birth = None
    session.add(client)
    intake = factories.service(
        session, providers=[staff], name="Intake", price_minor=20000, cpt_code="")
    h.diagnosis(session, client, "F41.1", date(2026, 3, 15))
    for day in (2, 9):
        h.booking(session, client, service, staff, h.utc(2026, 3, day))
    h.booking(session, client, intake, staff, h.utc(2026, 3, 16))
    h.booking(session, client, service, staff, h.utc(2026, 2, 20))
    doc = build_superbill(session, client_id=client.id, start=date(2026, 2, 1),
                          end=date(2026, 3, 31), now=NOW)
    assert [p.text() for p in doc.problems] == [
        "The business has no legal name",
        "The business has no individual NPI",
        "The client has no date of birth",
        "Service 'Intake' has no CPT code",
        "1 session in February 2026 has no diagnosis dated on or before it",
        "2 sessions in March 2026 have no diagnosis dated on or before them",
    ]
    assert [p.link for p in doc.problems] == [
        routes.CONSOLE_SETTINGS, routes.CONSOLE_SETTINGS, routes.console_client(client.id),
        f"{routes.CONSOLE_SERVICES}?id={intake.id}", routes.console_client(client.id),
        routes.console_client(client.id)]
    assert doc.problems[5].text("es") == (
        "2 sesiones de marzo de 2026 no tienen un diagnóstico con fecha igual o anterior")
    assert len(doc.lines) == 4 and doc.lines[3].cpt == ""  # nothing dropped
    with pytest.raises(ServiceError):
        superbill_pdf_bytes(session, doc=doc, lang="en")


def test_a_range_without_sessions_is_a_problem(session, world):
    _b, _staff, _service, client = world
    assert [p.text() for p in _doc(session, client).problems] == [
        "There are no attended sessions in this range."]


def test_pdf_carries_npi_cpt_icd10_and_amounts_as_text(session, world):
    business, staff, service, client = world
    row = h.booking(session, client, service, staff, h.utc(2026, 3, 10))
    h.invoice_for(session, row, total=12000, paid=4000)
    h.booking(session, client, service, staff, h.utc(2026, 3, 17))
    text = _text(superbill_pdf_bytes(session, doc=_doc(session, client), lang="en",
                                     issued_on="Apr 1, 2026")).replace("\n", " ")
    for expected in (h.NPI, h.ORG_NPI, "EIN: 12-3456789", "90834", "F41.1", "$120.00",
                     "$40.00", "$150.00", "Partly paid, $80.00 open", "Not paid",
                     "Total fees (USD) $270.00", "Total paid (USD) $40.00",
                     "Balance (USD) $230.00", "Date of birth: Apr 2, 1990",
                     "Insurance member ID: XYZ123456", "Mar 10, 2026",
                     "(America/Chicago)", "Sol Therapy LLC"):
        assert expected in text, expected
    spanish = _text(superbill_pdf_bytes(session, doc=_doc(session, client), lang="es"))
    assert "PACIENTE" in spanish and "120,00" in spanish and h.NPI in spanish


def test_an_ssn_is_masked_to_its_last_four_on_the_pdf(session):
    _b, staff, service, _acc, client = h.ready_world(session, tax_id="123-45-6789",
                                                     tax_id_kind="ssn")
    h.diagnosis(session, client, "F41.1", date(2026, 1, 1))
    h.booking(session, client, service, staff, h.utc(2026, 3, 10))
    doc = _doc(session, client)
    assert doc.provider.tax_id == "•••-••-6789"
    text = _text(superbill_pdf_bytes(session, doc=doc, lang="en"))
    assert "6789" in text and "123-45" not in text


def test_statement_count_is_constant_as_history_grows(session, engine, world):
    _b, staff, service, client = world

    def grow(n, first):
        for i in range(n):
            row = h.booking(session, client, service, staff, first + timedelta(days=i))
            if i % 2:
                h.invoice_for(session, row, total=10000, paid=2500 * (i % 4))
        session.commit()

    grow(3, h.utc(2026, 1, 2))
    session.expire_all()
    small = statements_of(engine, lambda: build_superbill(
        session, client_id=client.id, start=date(2026, 1, 1), end=date(2026, 1, 31), now=NOW))
    grow(30, h.utc(2026, 2, 1))
    session.expire_all()
    large = statements_of(engine, lambda: build_superbill(
        session, client_id=client.id, start=date(2026, 2, 1), end=date(2026, 3, 2), now=NOW))
    assert len(small) == len(large) <= 5
    assert len(_doc(session, client, date(2026, 2, 1), date(2026, 3, 2)).lines) == 30


def test_range_is_checked(session, world):
    _b, _staff, _service, client = world
    with pytest.raises(ServiceError) as exc:
        _doc(session, client, date(2026, 3, 31), date(2026, 3, 1))
    assert exc.value.field == "start"


def test_nothing_is_stored_for_a_build(session, world):
    _b, staff, service, client = world
    h.booking(session, client, service, staff, h.utc(2026, 3, 3))
    _doc(session, client)
    assert session.exec(select(Superbill)).all() == []
