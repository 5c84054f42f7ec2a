"""The dashboard's greeting and its one next step: the order of the rule,
what the client may use, and a constant number of queries at any size."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from models import Booking, BookingStatus, Conversation, Document, Invoice
from portal_app.services import dashboard
from portal_app.services.dashboard import StepKind
from portal_app.services.permissions import Access
from tests import factories
from tests.sql import statements_of

NOW = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)  # 09:00 in Chicago, Dec 6
TODAY = date(2026, 12, 6)
ALL = Access(bookings=True, messaging=True, billing=True, pay=True, documents=True,
             upload=True)
_numbers = itertools.count(1)


@pytest.fixture
def world(session):
    factories.business(session)
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], name="Massage")
    _, (client,) = factories.household(session, names=("Ana López",))
    session.commit()
    return client, staff, service


def _invoice(session, client, *, kind="invoice", status="sent", due=None, total=8000, paid=0):
    row = Invoice(kind=kind, number=f"T-{next(_numbers):05d}", client_id=client.id,
                  status=status, issue_date=TODAY - timedelta(days=30), due_date=due,
                  total_minor=total, paid_minor=paid)
    session.add(row)
    session.commit()
    return row


def _pending(session, client, staff, service, *, days=3):
    start = NOW + timedelta(days=days)
    row = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                  start_at=start, end_at=start + timedelta(hours=1),
                  status=BookingStatus.PENDING)
    session.add(row)
    session.commit()
    return row


def _unread(session, client, n=2):
    session.add(Conversation(client_id=client.id, subject="Hi", client_unread=n))
    session.commit()


def _new_document(session, client):
    session.add(Document(client_id=client.id, title="Plan", filename="plan.pdf",
                         stored_name=f"s{next(_numbers)}", content_type="application/pdf"))
    session.commit()


def _step(session, client, access=ALL, **kw):
    return dashboard.next_step(session, client_id=client.id, access=access, now=NOW,
                               zone="America/Chicago", **kw)


def test_the_next_step_follows_the_order_money_booking_messages_documents(session, world):
    client, staff, service = world
    assert _step(session, client).kind == StepKind.ALL_SET

    _new_document(session, client)
    assert _step(session, client) == dashboard.NextStep(StepKind.DOCUMENTS, {"count": 1},
                                                        "/documents")
    _unread(session, client, 2)
    assert _step(session, client) == dashboard.NextStep(StepKind.MESSAGES, {"count": 2},
                                                        "/messages")
    booking = _pending(session, client, staff, service, days=5)
    _pending(session, client, staff, service, days=9)
    step = _step(session, client)
    assert (step.kind, step.params, step.link) == (
        StepKind.BOOKING_REQUEST, {"service": "Massage", "start_at": booking.start_at},
        "/bookings")

    due = _invoice(session, client, due=TODAY + timedelta(days=7), total=9000, paid=1000)
    step = _step(session, client)
    assert (step.kind, step.link) == (StepKind.PAYMENT_DUE, f"/payments/invoice?id={due.id}")
    assert step.params == {"number": due.number, "currency": "USD", "amount_minor": 8000,
                           "due_date": TODAY + timedelta(days=7)}
    estimate = _invoice(session, client, kind="estimate", total=5000)
    assert _step(session, client) == dashboard.NextStep(
        StepKind.ESTIMATE, {"number": estimate.number, "currency": "USD",
                            "amount_minor": 5000, "due_date": None},
        f"/payments/invoice?id={estimate.id}")
    late = _invoice(session, client, status="partially_paid", due=TODAY - timedelta(days=1),
                    total=4000, paid=1500)
    step = _step(session, client)
    assert (step.kind, step.params["number"], step.params["amount_minor"]) == (
        StepKind.PAYMENT_OVERDUE, late.number, 2500)


def test_what_is_settled_or_not_the_clients_is_never_a_next_step(session, world):
    client, staff, service = world
    _, (other,) = factories.household(session, names=("Other",))
    session.commit()
    _invoice(session, other, due=TODAY - timedelta(days=3))
    _invoice(session, client, status="paid", due=TODAY - timedelta(days=3))
    _invoice(session, client, status="draft")
    _invoice(session, client, status="void")
    _invoice(session, client, kind="estimate", status="accepted")
    _pending(session, client, staff, service, days=-1)  # its time has passed
    confirmed = _pending(session, client, staff, service, days=2)
    confirmed.status = BookingStatus.CONFIRMED
    session.add(confirmed)
    session.commit()
    assert _step(session, client).kind == StepKind.ALL_SET


def test_a_due_date_is_overdue_from_the_day_after_on_the_clients_calendar(session, world):
    client, *_ = world
    _invoice(session, client, due=TODAY)
    # 15:00 UTC: Dec 6 in Chicago (due today), Dec 7 in Tokyo (overdue).
    assert _step(session, client).kind == StepKind.PAYMENT_DUE
    assert dashboard.next_step(session, client_id=client.id, access=ALL, now=NOW,
                               zone="Asia/Tokyo").kind == StepKind.PAYMENT_OVERDUE


def test_each_step_needs_the_feature_it_points_to(session, world):
    client, staff, service = world
    _invoice(session, client, due=TODAY)
    _pending(session, client, staff, service)
    _unread(session, client)
    _new_document(session, client)
    no_billing = Access(bookings=True, messaging=True, documents=True)
    assert _step(session, client, no_billing).kind == StepKind.BOOKING_REQUEST
    assert _step(session, client, Access(messaging=True, documents=True)).kind \
        == StepKind.MESSAGES
    assert _step(session, client, Access(documents=True)).kind == StepKind.DOCUMENTS
    assert _step(session, client, Access()).kind == StepKind.ALL_SET


def test_counts_the_caller_has_are_used_without_asking_again(engine, session, world):
    client, *_ = world
    client_id = client.id
    quiet = Access(messaging=True, documents=True)
    steps = []
    sql = statements_of(engine, lambda: steps.append(dashboard.next_step(
        session, client_id=client_id, access=quiet, now=NOW, unread_messages=0,
        new_documents=3, forms_open=0)))
    assert sql == [] and steps[0] == dashboard.NextStep(StepKind.DOCUMENTS, {"count": 3},
                                                        "/documents")


def test_a_form_to_complete_comes_after_money_and_before_bookings(session, world):
    from portal_app.services.forms.packets import create_packet
    from portal_app.services.forms.sending import send_packet
    from portal_app.services.forms.templates import create_template

    client, staff, service = world
    order = dashboard.STEP_ORDER
    assert order.index(dashboard._form_to_complete) == order.index(dashboard._money) + 1
    assert _step(session, client).kind != StepKind.FORM  # nothing sent yet
    templates = [create_template(session, staff_id=None, title=title, intro="", fields=[
        {"kind": "short_text", "key": "a", "label": "A"}]) for title in ("First", "Second")]
    packet = create_packet(session, staff_id=None, name="P",
                           template_ids=[t.id for t in templates], trigger="manual")
    requests = send_packet(session, staff_id=None, client_id=client.id, packet_id=packet.id,
                           base_url="http://x", now=NOW)
    _pending(session, client, staff, service)
    step = _step(session, client)
    assert step == dashboard.NextStep(StepKind.FORM, {"title": "First", "count": 2},
                                      f"/forms/form?id={requests[0].id}")
    assert _step(session, client, forms_open=0).kind == StepKind.BOOKING_REQUEST


def test_the_rule_costs_the_same_queries_with_much_more_data(engine, session, world):
    client, staff, service = world
    client_id = client.id

    def statements():
        session.expire_all()
        return len(statements_of(engine, lambda: dashboard.next_step(
            session, client_id=client_id, access=ALL, now=NOW)))

    small = statements()  # nothing to do: every step looks
    session.connection().execute(insert(Booking), [
        {"client_id": client_id, "service_id": service.id, "staff_id": staff.id,
         "start_at": NOW - timedelta(days=i + 1), "end_at": NOW - timedelta(days=i),
         "status": "confirmed", "created_by": "client", "staff_message": ""}
        for i in range(300)])
    session.connection().execute(insert(Invoice), [
        {"kind": "invoice", "number": f"P-{i:05d}", "client_id": client_id, "status": "paid",
         "currency": "USD", "issue_date": TODAY, "tax_rate_bp": 0, "discount_minor": 0,
         "notes": "", "subtotal_minor": 100, "tax_minor": 0, "total_minor": 100,
         "paid_minor": 100} for i in range(300)])
    session.commit()
    assert statements() == small <= 5  # money, form, booking, messages, documents


def _money_steps_both_ways(engine, session, client):
    """The money step as it reads its invoice itself, and as it takes the one `cards`
    read (with the statements each way)."""
    zone = "America/Chicago"
    billing = Access(billing=True, pay=True)
    alone = _step(session, client, billing)
    read = []
    sql = statements_of(engine, lambda: read.append(dashboard.cards(
        session, client_id=client.id, today=dashboard.local_today(NOW, zone))))
    taken = statements_of(engine, lambda: read.append(dashboard.next_step(
        session, client_id=client.id, access=billing, now=NOW, zone=zone,
        urgent=read[0].urgent)))
    return alone, read[1], len(sql), taken


def test_the_cards_statement_reads_the_money_steps_invoice_too(engine, session, world):
    """One statement gives the counts and the money step's invoice; the step then asks
    nothing and decides as when it reads the invoice itself, at every urgency."""
    client, *_ = world
    alone, taken, cards_sql, step_sql = _money_steps_both_ways(engine, session, client)
    assert alone == taken and alone.kind == StepKind.ALL_SET and cards_sql == 1
    _invoice(session, client, due=TODAY + timedelta(days=7), total=9000, paid=1000)
    _invoice(session, client, due=None, total=500)
    alone, taken, _, _ = _money_steps_both_ways(engine, session, client)
    assert alone == taken and alone.kind == StepKind.PAYMENT_DUE
    estimate = _invoice(session, client, kind="estimate", total=5000)
    alone, taken, _, _ = _money_steps_both_ways(engine, session, client)
    assert alone == taken and alone.params["number"] == estimate.number
    late = _invoice(session, client, status="partially_paid", due=TODAY - timedelta(days=1),
                    total=4000, paid=1500)
    alone, taken, cards_sql, step_sql = _money_steps_both_ways(engine, session, client)
    assert alone == taken == dashboard.NextStep(
        StepKind.PAYMENT_OVERDUE, {"number": late.number, "currency": "USD",
                                   "amount_minor": 2500, "due_date": TODAY - timedelta(days=1)},
        f"/payments/invoice?id={late.id}")
    assert (cards_sql, step_sql) == (1, [])
    cards = dashboard.cards(session, client_id=client.id, today=TODAY)
    assert (cards.total_due, cards.new_documents) == (8000 + 500 + 2500, 0)


def test_the_cards_statement_on_postgresql(pg_url):
    """The counts and the LEFT JOINed invoice (its ORDER BY and LIMIT in a derived table)
    as PostgreSQL runs them, with an invoice to pay and with none."""
    from sqlmodel import Session, SQLModel

    from portal_app.db import make_engine

    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        factories.business(session)
        _, (client, other) = factories.household(session, names=("Ana", "Bo"))
        session.commit()
        due = _invoice(session, client, due=TODAY - timedelta(days=2), total=3000, paid=1000)
        cards = dashboard.cards(session, client_id=client.id, today=TODAY)
        assert cards.total_due == 2000 and cards.urgent.id == due.id
        assert cards.urgent.due_date == TODAY - timedelta(days=2)
        none = dashboard.cards(session, client_id=other.id, today=TODAY)
        assert (none.total_due, none.new_documents, none.urgent) == (0, 0, None)
    engine.dispose()


@pytest.mark.parametrize(("hour", "zone", "lang", "part"), [
    (15, "America/Chicago", "en", "morning"),  # 09:00
    (15, "Asia/Tokyo", "en", "evening"),  # 00:00
    (15, "Europe/Madrid", "es", "afternoon"),  # 16:00
    (20, "Europe/Madrid", "es", "evening"),  # 21:00
    (18, "Europe/Madrid", "es", "afternoon"),  # 19:00: still "buenas tardes"
    (18, "Europe/Madrid", "en", "evening"),  # 19:00
    (4, "UTC", "en", "evening"),
    (5, "UTC", "en", "morning"),
    (12, "Not/AZone", "en", "afternoon"),  # an unknown zone: UTC
])
def test_part_of_day_on_the_clients_clock(hour, zone, lang, part):
    now = datetime(2026, 12, 6, hour, 0, tzinfo=UTC)
    assert dashboard.part_of_day(now, zone, lang) == part


def test_first_name_is_the_first_word():
    assert dashboard.first_name("  Ana María López ") == "Ana"
    assert dashboard.first_name("") == ""
