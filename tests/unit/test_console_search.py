"""The console header's search: what each kind matches, grouped, role-bound, and a
constant number of statements whatever the size of the data."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event

from models import Booking, Conversation, Invoice, InvoiceStatus, StaffRole
from portal_app import routes
from portal_app.services.console_search import PER_KIND, search_console
from tests import factories


def _world(session):
    factories.business(session)
    staff = factories.staff(session)
    svc = factories.service(session, providers=[staff], name="Massage")
    ana = factories.client(session, full_name="Ana Ruiz", email="ana@ruiz.test",
                           mobile="+15550101")
    bob = factories.client(session, full_name="Bob Stone", email="bob@stone.test")
    inv = Invoice(number="INV-0042", client_id=bob.id, issue_date=date(2026, 12, 1),
                  status=InvoiceStatus.SENT)
    booking = Booking(client_id=ana.id, service_id=svc.id, staff_id=staff.id,
                      start_at=datetime(2026, 12, 5, 15, 0, tzinfo=UTC),
                      end_at=datetime(2026, 12, 5, 16, 0, tzinfo=UTC))
    talk = Conversation(client_id=bob.id, subject="Parking on Friday")
    session.add_all([inv, booking, talk])
    session.flush()
    return {"ana": ana, "bob": bob, "invoice": inv, "talk": talk, "staff": staff, "svc": svc}


def _find(session, query, role=StaffRole.STAFF, zone="America/New_York"):
    return [(h.kind, h.title) for h in search_console(session, query=query, role=role, zone=zone)]


def test_a_client_is_found_by_name_email_or_phone(session):
    _world(session)
    assert ("clients", "Ana Ruiz") in _find(session, "ana r")
    assert _find(session, "RUIZ.TEST")[0] == ("clients", "Ana Ruiz")
    assert _find(session, "555 0101") == [("clients", "Ana Ruiz")]


def test_an_invoice_is_found_by_number_and_links_to_its_console_page(session):
    w = _world(session)
    hits = search_console(session, query="0042", role=StaffRole.OWNER)
    assert [(h.kind, h.title, h.detail) for h in hits] == [("invoices", "INV-0042", "Bob Stone")]
    assert hits[0].url == routes.console_invoice(w["invoice"].id)


def test_a_booking_is_found_by_client_name_or_by_its_day_on_the_business_clock(session):
    _world(session)
    assert ("bookings", "Ana Ruiz · Massage") in _find(session, "ruiz")
    # 15:00 UTC is 10:00 in New York on Dec 5; in Tokyo it is already Dec 6.
    assert _find(session, "2026-12-05") == [("bookings", "Ana Ruiz · Massage")]
    assert _find(session, "2026-12-05", zone="Asia/Tokyo") == []
    assert _find(session, "2026-12-06", zone="Asia/Tokyo") == [("bookings", "Ana Ruiz · Massage")]
    hit = search_console(session, query="12/5/2026", role=StaffRole.STAFF, zone="America/New_York")
    assert hit[0].detail.startswith("Dec 5, 2026, 10:00") and hit[0].detail.endswith("EST")


def test_a_conversation_is_found_by_subject(session):
    w = _world(session)
    hits = search_console(session, query="parking", role=StaffRole.STAFF)
    assert [(h.kind, h.title, h.url) for h in hits] == [
        ("conversations", "Parking on Friday", f"{routes.CONSOLE_MESSAGES}?c={w['talk'].id}")]


def test_results_come_grouped_in_a_fixed_order(session):
    w = _world(session)
    session.add(Conversation(client_id=w["ana"].id, subject="Ana's questions"))
    session.flush()
    kinds = [k for k, _ in _find(session, "ana")]
    assert kinds == sorted(kinds, key=["clients", "invoices", "bookings", "conversations"].index)
    assert set(kinds) == {"clients", "bookings", "conversations"}


def test_short_text_wildcards_and_unknown_roles_find_nothing(session):
    _world(session)
    assert _find(session, "a") == []
    assert _find(session, "   ") == []
    assert _find(session, "%%") == []
    assert _find(session, "__") == []
    assert _find(session, "ana", role="intruder") == []
    assert _find(session, "ana", role="") == []


def test_search_issues_the_same_statements_at_any_size(engine, session):
    w = _world(session)
    session.commit()

    def count(query):
        seen = []

        def before(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            hits = search_console(session, query=query, role=StaffRole.STAFF, zone="UTC")
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(hits), len(seen)

    small = count("stone")
    start = datetime(2026, 12, 7, 9, tzinfo=UTC)
    for i in range(60):
        c = factories.client(session, full_name=f"Stone {i}")
        session.add(Invoice(number=f"STONE-{i:03d}", client_id=c.id, issue_date=date(2026, 12, 1)))
        session.add(Booking(client_id=c.id, service_id=w["svc"].id, staff_id=w["staff"].id,
                            start_at=start + timedelta(hours=i),
                            end_at=start + timedelta(hours=i, minutes=30)))
        session.add(Conversation(client_id=c.id, subject=f"Stone wall {i}"))
    session.commit()
    large = count("stone")
    assert large[0] == 4 * PER_KIND
    assert small[1] == large[1] == 4
