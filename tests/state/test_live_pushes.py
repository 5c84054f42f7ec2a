"""Every console change that a client's pages show reaches the client's open tabs
(portal_app/live.py): the console handler is called the way the websocket calls
it, inside a running event loop, with a fake refresher installed through
`live.set_refresher`; the refresher must be asked for exactly the tabs of the
client concerned (or every client's, for portal-wide changes), after the commit,
and never for a refused change. Then what a refresh does to a client tab: the
shell's `access` follows a permission, an open upload dialog closes, and a tab
whose client was signed out is sent away."""

import asyncio
import inspect
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from reflex.istate.data import RouterData
from sqlmodel import Session, select

from models import Booking, BookingStatus, Client, Invoice, InvoiceStatus, Payment
from portal_app import live, routes
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.client_pages import DashboardState
from state.console_billing import InvoiceEditorState as E
from state.console_client import ClientDetailState
from state.console_scheduling import StaffBookingsState
from state.console_settings import PortalSettingsState
from state.documents import DocumentsState
from state.live_pages import tab_refresher
from state.messages import MessagesState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate, tab_at

# --- helpers ------------------------------------------------------------------------------


@pytest.fixture
def refreshed(monkeypatch, engine):
    """A clean tab registry and a fake refresher recording (token, the client's invoice
    statuses as another connection sees them, i.e. what was committed)."""
    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live, "_refresher", {})
    seen: list[tuple[str, list[str]]] = []

    async def fake_refresh(token: str, only=None, *, about=None) -> None:
        with Session(engine) as other:
            statuses = [i.status for i in other.exec(select(Invoice).order_by(Invoice.id))]
        seen.append((token, statuses))
        ABOUT[token] = about

    ABOUT.clear()
    live.set_refresher(fake_refresh)
    return seen


ABOUT: dict[str, tuple[str, ...] | None] = {}  # per tab, what its last push was about


def tokens(seen) -> list[str]:
    return sorted(token for token, _ in seen)


def run(root, cls, name: str, *args):
    """One handler inside a running loop (as on the server), then let the pushes run."""

    async def go():
        result = cls.event_handlers[name].fn(substate(root, cls), *args)
        if inspect.iscoroutine(result):
            result = await result
        for _ in range(10):
            await asyncio.sleep(0)
        return result

    return asyncio.run(go())


def staff_tab(session, url: str):
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


@pytest.fixture
def world(engine, session, refreshed):
    """A business, two clients each with an open tab, and another client's tab."""
    factories.business(session)
    dana = factories.client(session, full_name="Dana Client")
    other = factories.client(session, full_name="Olga Other")
    session.commit()
    live.watch("client", dana.id, "dana-tab")
    live.watch("client", dana.id, "dana-phone")
    live.watch("client", other.id, "other-tab")
    return {"client": dana, "other": other}


def sent_invoice(session, client, price="100.00") -> int:
    from portal_app.services.billing.invoices import save_draft, send_invoice

    staff = factories.staff(session)
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": "invoice"},
                         lines=[{"description": "Session", "quantity": "1",
                                 "unit_price": price}])
    send_invoice(session, staff_id=staff.id, invoice_id=invoice.id,
                 base_url="http://portal.test", message="")
    session.commit()
    return invoice.id


# --- billing ------------------------------------------------------------------------------


def test_sending_an_invoice_reaches_the_clients_tabs_after_the_commit(world, refreshed,
                                                                      session):
    client = world["client"]
    root = staff_tab(session, f"/console/invoice?new=invoice&client={client.id}")
    run(root, E, "load")
    ed = substate(root, E)
    call_line = [("description", "Session"), ("quantity", "1"), ("unit_price", "80.00")]
    for field, value in call_line:
        run(root, E, "set_line", ed.lines[0]["key"], field, value)
    assert refreshed == []  # editing a draft shows the client nothing

    run(root, E, "send", {"message": ""})
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]
    assert ABOUT == {"dana-phone": (live.BILLING,), "dana-tab": (live.BILLING,)}
    assert all(statuses == [InvoiceStatus.SENT] for _, statuses in refreshed)  # committed


def test_void_payment_and_refund_reach_the_clients_tabs(world, refreshed, session):
    invoice_id = sent_invoice(session, world["client"])
    root = staff_tab(session, routes.console_invoice(invoice_id))
    run(root, E, "load")

    run(root, E, "open_payment")
    run(root, E, "record_payment", {"amount": "100.00", "method": "cash",
                                    "paid_on": date.today().isoformat(), "note": ""})
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]
    assert refreshed[0][1] == [InvoiceStatus.PAID]

    refreshed.clear()
    [payment] = session.exec(select(Payment)).all()
    run(root, E, "open_refund", str(payment.id))
    run(root, E, "refund", {"amount": "100.00", "reason": ""})
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]

    refreshed.clear()
    second = sent_invoice(session, world["client"])
    root = staff_tab(session, routes.console_invoice(second))
    run(root, E, "load")
    run(root, E, "void")
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]
    assert refreshed[0][1][-1] == InvoiceStatus.VOID


def test_a_refused_change_pushes_nothing(world, refreshed, session):
    invoice_id = sent_invoice(session, world["client"])
    root = staff_tab(session, routes.console_invoice(invoice_id))
    run(root, E, "load")
    run(root, E, "open_payment")
    run(root, E, "record_payment", {"amount": "999.00", "method": "cash", "paid_on": "",
                                    "note": ""})
    assert substate(root, E).payment_error  # refused beside the field
    assert refreshed == []


# --- bookings -----------------------------------------------------------------------------


def _booking(session, client, status=BookingStatus.PENDING) -> Booking:
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff])
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                      start_at=start, end_at=start + timedelta(hours=1), status=status)
    session.add(booking)
    session.commit()
    return booking


@pytest.mark.parametrize("action", ["approve", "decline", "cancel"])
def test_staff_booking_changes_reach_the_clients_tabs(world, refreshed, session, action):
    booking = _booking(session, world["client"])
    root = staff_tab(session, routes.CONSOLE_BOOKINGS)
    arg = ({"booking_id": str(booking.id), "message": ""} if action == "decline"
           else str(booking.id))
    run(root, StaffBookingsState, action, arg)
    session.expire_all()
    assert session.get(Booking, booking.id).status != BookingStatus.PENDING
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]


def test_a_booking_moved_by_staff_reaches_the_clients_tabs(world, refreshed, session):
    booking = _booking(session, world["client"], status=BookingStatus.CONFIRMED)
    factories.working_hours(session, booking.staff_id,
                            *[(day, "00:00", "23:59") for day in range(7)])
    session.commit()
    new_start = (datetime.now(UTC) + timedelta(days=4)).replace(hour=12, minute=0, second=0,
                                                                 microsecond=0)
    root = staff_tab(session, routes.CONSOLE_BOOKINGS)
    run(root, StaffBookingsState, "move", {"booking_id": str(booking.id),
                                           "start": new_start.strftime("%Y-%m-%dT%H:%M")})
    session.expire_all()
    assert session.get(Booking, booking.id).start_at.replace(tzinfo=UTC) == new_start
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]


# --- the client record and the portal ----------------------------------------------------


def test_permissions_and_disabling_reach_the_clients_tabs(world, refreshed, session):
    client = world["client"]
    root = staff_tab(session, f"/console/client?id={client.id}")
    run(root, ClientDetailState, "load")
    run(root, ClientDetailState, "save_permissions", {"booking": "on", "billing": "on"})
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]
    # About anything: every page reloads (and checks its permission), not the shell only.
    assert ABOUT == {"dana-phone": None, "dana-tab": None}

    refreshed.clear()
    run(root, ClientDetailState, "disable_access")
    assert tokens(refreshed) == ["dana-phone", "dana-tab"]


def test_branding_and_the_portal_switch_reach_every_clients_tabs(world, refreshed, session):
    root = staff_tab(session, routes.CONSOLE_SETTINGS)
    run(root, PortalSettingsState, "load")
    run(root, PortalSettingsState, "save_branding",
        {"name": "New Name Studio", "accent_color": "#1F6FEB"})
    assert tokens(refreshed) == ["dana-phone", "dana-tab", "other-tab"]

    refreshed.clear()
    run(root, PortalSettingsState, "set_portal_enabled", False)
    assert tokens(refreshed) == ["dana-phone", "dana-tab", "other-tab"]


def test_everyone_from_another_worker_refreshes_every_client_tab_here(refreshed):
    """Across workers: the push published on Redis for "everyone" refreshes each client
    tab this worker knows, once, and no console tab."""
    live.watch("client", 1, "a")
    live.watch("client", 2, "b")
    live.watch("client", 2, "a")
    live.watch(*live.STAFF, "console")
    assert sorted(live.tabs_of(*live.EVERYONE)) == ["a", "b"]

    async def from_elsewhere():
        push = json.loads(live.encode_push(*live.EVERYONE, ""))
        live.handle_push(json.dumps({**push, "origin": "another-worker"}))
        for _ in range(10):
            await asyncio.sleep(0)

    asyncio.run(from_elsewhere())
    assert tokens(refreshed) == ["a", "b"]


# --- what a refresh does to a client tab -------------------------------------------------


class FakeApp:
    """`modify_state` yields the given tree; `event_namespace` records what is emitted."""

    def __init__(self, root):
        self.root = root
        self.emitted: list = []
        self.event_namespace = self

    def modify_state(self, key):
        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def ctx():
            yield self.root

        return ctx()

    async def emit_update(self, update, token):
        self.emitted.append((token, update))


def _refresh(root) -> FakeApp:
    app = FakeApp(root)
    asyncio.run(tab_refresher(app)("tab-token"))
    return app


def test_upload_switched_off_hides_share_and_closes_the_open_dialog(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Uma")
    root = tab_at(token, "/documents")
    call(root, DocumentsState, "load")
    call(root, DocumentsState, "open_upload")
    docs = substate(root, DocumentsState)
    assert docs.access["upload"] and docs.upload_open

    _set(session, client, perm_upload=False)
    app = _refresh(root)

    assert docs.access["upload"] is False and not docs.upload_open
    [(sent_to, update)] = app.emitted
    assert sent_to == "tab-token"
    assert "Sending files is not available to you" in repr(update.events)


def test_a_taken_feature_sends_the_tab_to_the_dashboard(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Tess")
    root = tab_at(token, "/messages")
    call(root, MessagesState, "load")

    _set(session, client, perm_messaging=False)
    app = _refresh(root)
    assert substate(root, MessagesState).access["messaging"] is False
    [(_, update)] = app.emitted
    assert routes.DASHBOARD in repr(update.events)


def test_a_signed_out_clients_tab_is_sent_away(engine, session):
    from portal_app.services.clients import disable_access

    factories.business(session)
    token, client = signed_in_client(session, "Vic")
    dash = tab_at(token, "/dashboard")
    call(dash, DashboardState, "load")
    assert substate(dash, DashboardState).signed_in

    staff = factories.staff(session)
    disable_access(session, staff_id=staff.id, client_id=client.id)
    session.commit()
    app = _refresh(dash)
    assert substate(dash, DashboardState).signed_in is False
    [(_, update)] = app.emitted
    assert routes.LOGIN in repr(update.events)


def test_the_dashboard_refresh_shows_a_new_total_due_and_emits_nothing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Wes")
    dash = tab_at(token, "/dashboard")
    call(dash, DashboardState, "load")
    assert substate(dash, DashboardState).total_due == ""

    sent_invoice(session, client, price="42.00")
    app = _refresh(dash)
    state = substate(dash, DashboardState)
    assert state.total_due == "$42.00" and state.bell_count == 1
    assert app.emitted == []


def _set(session, client, **fields) -> None:
    record = session.get(Client, client.id)
    for name, value in fields.items():
        setattr(record, name, value)
    session.add(record)
    session.commit()
