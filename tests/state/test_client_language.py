"""The client's language reaches what the server makes: dates with their zone,
money, status labels, toasts and service messages, for the selected record."""

from datetime import UTC, datetime, timedelta

from reflex.istate.data import RouterData

from models import Booking, InvoiceStatus
from portal_app import i18n
from portal_app.services.billing.invoices import save_draft
from state.bookings import BookingsState
from state.brand import BrandState
from state.client_pages import DashboardState
from state.payments import PaymentsState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate


def _es(msgid: str) -> str:
    text = i18n.gettext("es", msgid)
    assert text != msgid, f"no Spanish for {msgid!r}"
    return text


def _spanish_client(session, zone="Europe/Madrid"):
    factories.business(session, timezone="America/New_York")
    token, client = signed_in_client(session, "Lucía")
    client.language, client.timezone = "es", zone
    session.add(client)
    session.commit()
    return token, client


def _invoice(session, client, price="95.00"):
    staff = factories.staff(session)
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": "invoice"},
                         lines=[{"description": "Sesión", "quantity": "1", "unit_price": price}])
    invoice.status = InvoiceStatus.SENT
    session.add(invoice)
    session.commit()
    return invoice


def test_a_spanish_client_sees_spanish_money_and_labels(engine, session):
    token, client = _spanish_client(session)
    _invoice(session, client)
    root = new_tab(token)
    call(root, PaymentsState, "load")
    view = substate(root, PaymentsState)
    assert view.total_due == "95,00\xa0US$"
    assert view.rows[0]["status_label"] == _es("Open")
    assert view.rows[0]["title"] == _es("Invoice")


def test_an_english_client_of_the_same_business_stays_english(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Liz")
    _invoice(session, client)
    root = new_tab(token)
    call(root, PaymentsState, "load")
    view = substate(root, PaymentsState)
    assert (view.total_due, view.rows[0]["status_label"]) == ("$95.00", "Open")


def test_booking_times_are_in_the_clients_zone_and_language(engine, session):
    token, client = _spanish_client(session)
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff])
    start = (datetime.now(UTC) + timedelta(days=10)).replace(hour=15, minute=0, second=0,
                                                              microsecond=0)
    session.add(Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                        start_at=start, end_at=start + timedelta(hours=1), status="confirmed"))
    session.commit()
    root = new_tab(token)
    call(root, BookingsState, "load")
    row = substate(root, BookingsState).rows[0]
    assert row["status_label"] == _es("Confirmed")
    assert "(Europe/Madrid)" in row["when"] and (" CET " in row["when"] or " CEST " in row["when"])
    assert ":00" in row["when"] and "M " not in row["when"]  # 24-hour clock, no AM/PM


def test_a_refusal_is_told_in_the_clients_language(engine, session):
    token, _ = _spanish_client(session)
    root = new_tab(token)
    result = call(root, BookingsState, "choose_service", "999999")
    assert result is None
    assert substate(root, BookingsState).error == _es("Choose a service from the list.")


def test_signed_out_pages_follow_the_browser_language(engine, session):
    factories.business(session, language="en")
    session.commit()
    root = new_tab(None)
    root.router_data["headers"]["accept-language"] = "es-ES,es;q=0.9"
    root.router = RouterData.from_router_data(root.router_data)
    call(root, BrandState, "load")
    assert substate(root, BrandState).lang == "es"


def test_the_language_picker_refuses_an_unknown_code(engine, session):
    factories.business(session)
    session.commit()
    root = new_tab(None)
    call(root, BrandState, "choose_language", "es")
    call(root, BrandState, "choose_language", "<script>")
    brand = substate(root, BrandState)
    assert (brand.lang, brand.lang_cookie) == ("es", "es")


def test_the_dashboard_formats_the_total_due_for_the_record(engine, session):
    token, client = _spanish_client(session)
    _invoice(session, client, price="1234.50")
    root = new_tab(token)
    call(root, DashboardState, "load")
    assert substate(root, DashboardState).total_due == "1.234,50\xa0US$"


def test_switching_language_on_profile_redoes_the_shells_texts_at_once(engine, session):
    """The quick actions, the open bell's lines and the dashboard's cards are made
    again in the new language by the saving event itself, not on the next page."""
    from portal_app.services import notification_texts, notifications
    from state.profile import ProfileState
    from state.session import ClientState

    factories.business(session, timezone="America/New_York")
    token, client = signed_in_client(session, "Switcher")
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], name="Massage")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    session.add(Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                        start_at=start, end_at=start + timedelta(hours=1), status="confirmed"))
    notifications.notify(session, client_id=client.id, kind="booking", link="/bookings",
                         params=notification_texts.booking_params(
                             event="confirmed", service="Massage", start_at=start),
                         base_url="http://portal.test", email=False)
    session.commit()
    root = new_tab(token)
    call(root, DashboardState, "load")
    call(root, ClientState, "open_bell")
    call(root, ProfileState, "load")
    shell = substate(root, ProfileState)
    assert "Send us a message" in [a["label"] for a in shell.actions]
    assert shell.bell_items[0]["title"].startswith("Booking confirmed: Massage")
    english_when = shell.upcoming[0]["when"]

    events = call(root, ProfileState, "save_profile",
                  {"full_name": "Switcher", "mobile": "", "timezone": "America/New_York",
                   "language": "es"})

    shell = substate(root, ProfileState)
    assert [a["label"] for a in shell.actions] == [_es(m) for m in (
        "Book an appointment", "Make a payment", "Share a document", "Send us a message")]
    assert shell.bell_items[0]["title"].startswith("Reserva confirmada: Massage")
    assert shell.upcoming[0]["when"] != english_when
    assert any("choose_language" in repr(e) and "es" in repr(e) for e in events)
    assert _es("Profile saved.") in repr(events)
