"""Superbill handlers hold on the server: another household's ids are refused, the
billing permission and the business's superbill switch are checked on every call,
and the console's "Produce" only acts on the open client's requests."""

from datetime import date

from sqlmodel import select

import state.console_superbills  # noqa: F401  (registers the states before the app does)
import state.superbills  # noqa: F401
from models import Superbill, SuperbillStatus
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_superbills import ClientSuperbillsState, SuperbillRequestsState
from state.superbills import SuperbillsState
from tests.state.harness import (
    all_vars,
    call,
    new_tab,
    page_events,
    signed_in_client,
    substate,
    tab_at,
)
from tests.unit import superbill_helpers as h

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _world(session, **business):
    biz, staff, service, _account, _client = h.ready_world(session, **business)
    return biz, staff, service


def _ready_client(session, name, staff, service, **perms):
    token, client = signed_in_client(session, name, **perms)
    client.date_of_birth = date(1990, 1, 1)
    client.address = "1 Elm St"
    client.insurance_member_id = "M1"
    session.add(client)
    h.diagnosis(session, client, "F41.1", date(2020, 1, 1))
    booking = h.booking(session, client, service, staff, h.utc(2026, 3, 10))
    session.commit()
    return token, client, booking


def _issued(session, client, staff):
    row = Superbill(client_id=client.id, start_date=MARCH[0], end_date=MARCH[1],
                    status=SuperbillStatus.ISSUED, source="staff", issued_by_staff_id=staff.id,
                    issued_at=h.utc(2026, 4, 1))
    session.add(row)
    session.commit()
    return row


def _rows(session):
    session.expire_all()
    return session.exec(select(Superbill).order_by(Superbill.id)).all()


def _staff_token(session, staff):
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def test_client_sees_own_superbills_and_asks_for_one(engine, session):
    _biz, staff, service = _world(session)
    token, client, booking = _ready_client(session, "Ana", staff, service)
    row = _issued(session, client, staff)
    root = new_tab(token)
    assert page_events(call(root, SuperbillsState, "load")) == []
    view = substate(root, SuperbillsState)
    assert [(r["days"], r["pdf"]) for r in view.issued] == [
        ("Mar 1, 2026 – Mar 31, 2026", f"/api/superbills/{row.id}.pdf")]
    assert [s["id"] for s in view.sessions] == [str(booking.id)]
    call(root, SuperbillsState, "ask", {"choice": "session", "booking": str(booking.id),
                                        "note": "  for   my insurer "})
    asked = _rows(session)[-1]
    assert (asked.client_id, asked.start_date, asked.end_date, asked.note, asked.status) == (
        client.id, date(2026, 3, 10), date(2026, 3, 10), "for my insurer",
        SuperbillStatus.REQUESTED)
    assert [r["days"] for r in view.requested] == ["Mar 10, 2026"]


def test_another_households_superbill_and_session_are_refused(engine, session):
    _biz, staff, service = _world(session)
    _vt, victim, victim_booking = _ready_client(session, "Victimsb", staff, service)
    _issued(session, victim, staff)
    token, _mallory, _b = _ready_client(session, "Mallory", staff, service)
    root = new_tab(token)
    call(root, SuperbillsState, "load")
    assert substate(root, SuperbillsState).issued == []
    before = len(_rows(session))
    call(root, SuperbillsState, "ask", {"choice": "session", "booking": str(victim_booking.id),
                                        "client_id": victim.id})
    view = substate(root, SuperbillsState)
    assert view.errors["booking"] == "Choose one of your sessions."
    assert len(_rows(session)) == before
    assert "Victimsb" not in all_vars(root)


def test_billing_permission_off_is_refused_on_the_server(engine, session):
    _biz, staff, service = _world(session)
    token, client, _b = _ready_client(session, "Ana", staff, service, billing=False)
    _issued(session, client, staff)
    root = new_tab(token)
    result = call(root, SuperbillsState, "load")
    assert "/dashboard" in repr(result)
    assert substate(root, SuperbillsState).issued == []
    call(root, SuperbillsState, "ask", {"choice": "last_month"})
    assert len(_rows(session)) == 1


def test_superbills_off_is_refused_on_the_server(engine, session):
    _biz, staff, service = _world(session, superbills_enabled=False)
    token, client, _b = _ready_client(session, "Ana", staff, service)
    _issued(session, client, staff)
    root = new_tab(token)
    result = call(root, SuperbillsState, "load")
    assert "/payments" in repr(result)
    assert substate(root, SuperbillsState).issued == []
    result = call(root, SuperbillsState, "ask", {"choice": "last_month"})
    assert "/payments" in repr(result)
    assert len(_rows(session)) == 1


def test_console_produce_lists_what_is_missing_then_issues(engine, session):
    _biz, staff, service = _world(session)
    _t, client, _b = _ready_client(session, "Ana", staff, service)
    client.date_of_birth = None
    session.add(client)
    session.commit()
    root = tab_at(_staff_token(session, staff), f"/console/client?id={client.id}")
    call(root, ClientSuperbillsState, "load")
    form = {"choice": "custom", "start": "2026-03-01", "end": "2026-03-31"}
    call(root, ClientSuperbillsState, "produce", form)
    view = substate(root, ClientSuperbillsState)
    assert view.problems == [{"text": "The client has no date of birth",
                              "link": f"/console/client?id={client.id}"}]
    assert _rows(session) == []
    client.date_of_birth = date(1990, 1, 1)
    session.add(client)
    session.commit()
    call(root, ClientSuperbillsState, "produce", form)
    (row,) = _rows(session)
    assert (row.status, row.issued_by_staff_id) == (SuperbillStatus.ISSUED, staff.id)
    assert view.problems == [] and view.superbill_rows[0]["pdf"] == (
        f"/api/console/superbills/{row.id}.pdf")


def test_console_produce_request_only_for_the_open_client(engine, session):
    _biz, staff, service = _world(session)
    _t, client, _b = _ready_client(session, "Ana", staff, service)
    _t2, other, _b2 = _ready_client(session, "Ben", staff, service)
    theirs = Superbill(client_id=other.id, start_date=MARCH[0], end_date=MARCH[1],
                       status=SuperbillStatus.REQUESTED, source="client")
    session.add(theirs)
    session.commit()
    token = _staff_token(session, staff)
    lists = new_tab(token)
    call(lists, SuperbillRequestsState, "load")
    assert [r["id"] for r in substate(lists, SuperbillRequestsState).request_rows] == [
        str(theirs.id)]
    root = tab_at(token, f"/console/client?id={client.id}")
    call(root, ClientSuperbillsState, "load")
    result = call(root, ClientSuperbillsState, "produce_request", str(theirs.id))
    assert "does not exist" in repr(result)
    assert _rows(session)[0].status == SuperbillStatus.REQUESTED


def test_console_handlers_refuse_a_client(engine, session):
    _biz, staff, service = _world(session)
    token, client, _b = _ready_client(session, "Ana", staff, service)
    request = Superbill(client_id=client.id, start_date=MARCH[0], end_date=MARCH[1],
                        status=SuperbillStatus.REQUESTED, source="client")
    session.add(request)
    session.commit()
    root = tab_at(token, f"/console/client?id={client.id}")
    call(root, ClientSuperbillsState, "load")
    call(root, ClientSuperbillsState, "produce_request", str(request.id))
    call(root, ClientSuperbillsState, "produce", {"choice": "last_month"})
    assert [r.status for r in _rows(session)] == [SuperbillStatus.REQUESTED]
