"""The dashboard greets the client by the time of day on the client's clock,
in the client's language, shows the one next step in words and a link, and
costs the same number of queries however much data the client has."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from models import Booking, Conversation, Document, Invoice, Message
from models.base import utcnow
from portal_app.services import dashboard
from state.client_pages import DashboardState
from tests import factories
from tests.sql import statements_of
from tests.state.harness import call, signed_in_client, substate, tab_at

NOON_UTC = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _dashboard(session, token, client, *, lang, zone):
    client.language, client.timezone = lang, zone
    client.timezone_detected_at = utcnow()
    session.add(client)
    session.commit()
    tab = tab_at(token, "/dashboard")
    call(tab, DashboardState, "load")
    return substate(tab, DashboardState)


@pytest.mark.parametrize(("lang", "zone", "greeting"), [
    ("en", "America/Chicago", "Good morning, Ana"),  # 06:00
    ("en", "Asia/Kolkata", "Good afternoon, Ana"),  # 17:30
    ("en", "Asia/Tokyo", "Good evening, Ana"),  # 21:00
    ("es", "Europe/Madrid", "Buenas tardes, Ana"),  # 13:00
    ("es", "America/Mexico_City", "Buenos días, Ana"),  # 06:00
    ("es", "Asia/Tokyo", "Buenas noches, Ana"),  # 21:00
])
def test_the_greeting_follows_the_clients_clock_and_language(engine, session, monkeypatch,
                                                               lang, zone, greeting):
    monkeypatch.setattr(dashboard, "clock", lambda: NOON_UTC)
    factories.business(session)
    token, client = signed_in_client(session, "Ana López")
    page = _dashboard(session, token, client, lang=lang, zone=zone)
    assert page.greeting == greeting


def test_the_next_step_is_worded_in_the_clients_language_with_its_link(engine, session,
                                                                       monkeypatch):
    monkeypatch.setattr(dashboard, "clock", lambda: NOON_UTC)
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    invoice = Invoice(kind="invoice", number="INV-00042", client_id=client.id, status="sent",
                      issue_date=date(2026, 11, 1), due_date=date(2026, 12, 1),
                      total_minor=123450, paid_minor=0)
    session.add(invoice)
    session.commit()

    page = _dashboard(session, token, client, lang="es", zone="Europe/Madrid")
    assert page.next_step == {
        "kind": "payment_overdue", "title": "La factura INV-00042 está vencida",
        "detail": "1.234,50\xa0US$ vencía el 1 dic 2026.", "action": "Pagar ahora",
        "href": f"/payments/invoice?id={invoice.id}"}

    invoice.status = "paid"
    session.add(invoice)
    session.commit()
    page = _dashboard(session, token, client, lang="en", zone="America/Chicago")
    assert (page.next_step["title"], page.next_step["action"]) == ("You're all set", "")


def _lots(session, client_id: int, staff_id: int, service_id: int, n: int) -> None:
    now = utcnow()
    c = session.connection()
    c.execute(insert(Booking), [
        {"client_id": client_id, "service_id": service_id, "staff_id": staff_id,
         "start_at": now + timedelta(days=i + 1), "end_at": now + timedelta(days=i + 1, hours=1),
         "status": "pending" if i % 2 else "confirmed", "created_by": "client",
         "staff_message": ""} for i in range(n)])
    c.execute(insert(Invoice), [
        {"kind": "estimate" if i % 3 == 0 else "invoice", "number": f"L-{client_id}-{i:05d}",
         "client_id": client_id, "status": "sent", "currency": "USD",
         "issue_date": date(2026, 11, 1), "due_date": date(2026, 12, 20), "tax_rate_bp": 0,
         "discount_minor": 0, "notes": "", "subtotal_minor": 100, "tax_minor": 0,
         "total_minor": 100, "paid_minor": 0} for i in range(n)])
    c.execute(insert(Conversation), [
        {"client_id": client_id, "subject": f"S{i}", "created_by": "client",
         "created_at": now, "last_message_at": now, "client_unread": 1, "staff_unread": 0}
        for i in range(n)])
    c.execute(insert(Message), [
        {"conversation_id": 1, "sender": "staff", "body": "x", "created_at": now}] * n)
    c.execute(insert(Document), [
        {"client_id": client_id, "direction": "shared", "title": f"D{i}",
         "filename": f"d{i}.pdf", "stored_name": f"st-{client_id}-{i}",
         "content_type": "application/pdf", "size_bytes": 1, "sha256": "", "message": "",
         "view_count": 0, "created_at": now} for i in range(n)])
    session.commit()


def test_the_dashboard_costs_the_same_queries_with_much_more_data(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], name="Massage")
    small_token, small = signed_in_client(session, "Few")
    big_token, big = signed_in_client(session, "Many")
    for client in (small, big):
        client.timezone, client.timezone_detected_at = "UTC", utcnow()
        session.add(client)
    session.commit()
    _lots(session, small.id, staff.id, service.id, 2)
    _lots(session, big.id, staff.id, service.id, 200)

    def load(token):
        tab = tab_at(token, "/dashboard")
        call(tab, DashboardState, "load")  # the session's first check is the full one
        return len(statements_of(engine, lambda: call(tab, DashboardState, "load"))), \
            substate(tab, DashboardState)

    few, small_page = load(small_token)
    many, big_page = load(big_token)
    assert small_page.next_step["kind"] == big_page.next_step["kind"] == "estimate"
    assert len(big_page.upcoming) == 3 and big_page.unread_messages == 200
    assert many == few, (few, many)


def test_the_next_step_frame_shows_until_the_load_fills_it(engine, session, monkeypatch):
    """The page paints the next step's frame before its data arrives (`loaded` False, the
    default compiled into the first paint); the load fills it and says it is loaded."""
    monkeypatch.setattr(dashboard, "clock", lambda: NOON_UTC)
    factories.business(session)
    token, _client = signed_in_client(session, "Ana")
    tab = tab_at(token, "/dashboard")
    page = substate(tab, DashboardState)
    assert DashboardState.get_fields()["loaded"].default is False
    assert page.loaded is False and page.next_step == {}  # the frame, before the load
    call(tab, DashboardState, "load")
    assert page.loaded is True and page.next_step["title"] == "You're all set"


def test_the_dashboard_with_an_invoice_to_pay_costs_three_statements(engine, session,
                                                                     monkeypatch):
    """The session check, the upcoming bookings, and one statement for the cards'
    counts with the money step's invoice (which, being the step, ends the rule)."""
    monkeypatch.setattr(dashboard, "clock", lambda: NOON_UTC)
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    client.timezone, client.timezone_detected_at = "UTC", utcnow()
    session.add(client)
    session.add(Invoice(kind="invoice", number="INV-00042", client_id=client.id, status="sent",
                        issue_date=date(2026, 11, 1), due_date=date(2026, 12, 1),
                        total_minor=123450, paid_minor=0))
    session.commit()
    tab = tab_at(token, "/dashboard")
    call(tab, DashboardState, "load")  # the session's first check is the full one
    sent = statements_of(engine, lambda: call(tab, DashboardState, "load"))
    assert substate(tab, DashboardState).next_step["kind"] == "payment_overdue"
    assert len(sent) == 3, sent
