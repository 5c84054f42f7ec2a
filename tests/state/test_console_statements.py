"""Console statements: the Statement section of a client's page (ranges, errors
beside the fields, Send statement), the bulk send on the invoice list and the
monthly day in the settings; staff only, the client id checked."""

from datetime import date, timedelta

from sqlmodel import select

from models import BillingDocumentSend, Business, OutboxMessage
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_billing.statement_sends import StatementSendState
from state.console_statement import ClientStatementState
from state.console_statement_settings import StatementSettingsState
from tests import factories
from tests.state.harness import call, new_tab, signed_in_client, substate, tab_at
from tests.unit import statement_helpers as h

ZONE = "America/Chicago"


def _staff_token(session) -> str:
    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


def _count(session, model) -> int:
    session.expire_all()
    return len(session.exec(select(model)).all())


def _with_history(session):
    factories.business(session, timezone=ZONE, currency="USD")
    client = factories.client(session, full_name="Ana Ruiz")
    inv = h.invoice(session, client, total=10_000, issued=date(2030, 3, 20),
                    due=date(2030, 4, 3))
    paid = h.pay(session, inv, 4_000, on=date(2030, 4, 5))
    session.commit()
    return client, inv, paid


def _page(token, client):
    root = tab_at(token, f"/console/client?id={client.id}")
    call(root, ClientStatementState, "load")
    return root, substate(root, ClientStatementState)


def test_staff_see_a_custom_range_with_running_balance_and_aging(engine, session):
    client, inv, paid = _with_history(session)
    root, page = _page(_staff_token(session), client)
    assert page.range_kind == "this_month" and page.zone == ZONE
    assert page.pdf_url.startswith(f"/api/console/statements/{client.id}.pdf?start=")

    call(root, ClientStatementState, "show_range", "custom")
    assert page.range_kind == "custom"
    call(root, ClientStatementState, "show_custom", {"start": "2030-04-01", "end": "2030-04-30"})

    assert page.start_error == page.end_error == ""
    assert page.period == "Apr 1, 2030 – Apr 30, 2030"
    assert page.pdf_url == (f"/api/console/statements/{client.id}.pdf"
                            "?start=2030-04-01&end=2030-04-30")
    assert [(r["kind"], r["text"], r["amount"], r["balance"]) for r in page.rows] == [
        ("currency", "USD", "", ""),
        ("total", "Opening balance", "", "$100.00"),
        ("line", f"Payment {paid.receipt_number}", "-$40.00", "$60.00"),
        ("total", "Closing balance", "", "$60.00")]
    assert page.rows[2]["detail"] == f"Paid {inv.number}: $40.00"
    assert page.rows[2]["day"] == "Apr 5, 2030"
    (aging,) = page.aging
    assert (aging["currency"], aging["d1_30"], aging["total"], aging["credit"]) == (
        "USD", "$60.00", "$60.00", "")


def test_a_bad_range_is_refused_beside_its_field_and_changes_nothing(engine, session):
    client, *_ = _with_history(session)
    root, page = _page(_staff_token(session), client)
    call(root, ClientStatementState, "show_custom", {"start": "2030-04-01", "end": "2030-04-30"})
    shown = (page.period, list(page.rows), page.pdf_url)

    call(root, ClientStatementState, "show_custom", {"start": "2030-13-01", "end": "2030-04-30"})
    assert page.start_error == "Enter the first day as a date (YYYY-MM-DD)."
    assert page.end_error == ""
    call(root, ClientStatementState, "show_custom", {"start": "2030-04-01", "end": "soon"})
    assert page.end_error == "Enter the last day as a date (YYYY-MM-DD)." and page.start_error == ""
    call(root, ClientStatementState, "show_custom", {"start": "2030-05-01", "end": "2030-04-30"})
    assert page.start_error == "The first day must be on or before the last day."
    assert (page.period, list(page.rows), page.pdf_url) == shown
    assert (page.start_text, page.end_text) == ("2030-04-01", "2030-04-30")


def test_last_month_is_on_the_console_calendar(engine, session):
    client, *_ = _with_history(session)
    root, page = _page(_staff_token(session), client)
    call(root, ClientStatementState, "show_range", "last_month")
    start = date.fromisoformat(page.start_text)
    end = date.fromisoformat(page.end_text)
    assert start.day == 1 and (end + timedelta(days=1)).day == 1 and end.month == start.month
    assert page.range_kind == "last_month"


def test_send_statement_emails_the_range_shown_and_says_when_it_was_held_back(engine, session):
    client, *_ = _with_history(session)
    declined = factories.client(session, email_ok=False)
    session.commit()
    token = _staff_token(session)
    root, page = _page(token, client)
    call(root, ClientStatementState, "show_custom", {"start": "2030-04-01", "end": "2030-04-30"})
    result = call(root, ClientStatementState, "send_statement")
    assert f"Statement e-mailed to {client.email}." in repr(result)
    (mail,) = session.exec(select(OutboxMessage)).all()
    assert mail.to == client.email and "start=2030-04-01&end=2030-04-30" in mail.body_text
    assert "$60.00" in mail.body_text

    other, other_page = _page(token, declined)
    call(other, ClientStatementState, "send_statement")
    assert other_page.send_note.startswith("Not sent: Email OK is off for this client")
    assert _count(session, OutboxMessage) == 1
    assert [r.client_id for r in session.exec(select(BillingDocumentSend)).all()] == [client.id]


def test_an_unknown_client_shows_nothing_and_sends_nothing(engine, session):
    factories.business(session)
    root = tab_at(_staff_token(session), "/console/client?id=999999")
    call(root, ClientStatementState, "load")
    page = substate(root, ClientStatementState)
    assert page.rows == [] and page.pdf_url == ""
    result = call(root, ClientStatementState, "send_statement")
    assert "Open a client first." in repr(result)
    assert _count(session, OutboxMessage) == 0


def test_signed_out_and_client_callers_are_refused(engine, session):
    client, *_ = _with_history(session)
    client_token, _ = signed_in_client(session, "Mallory")
    for token in (None, client_token):
        root = tab_at(token, f"/console/client?id={client.id}")
        for name, args in (("load", ()), ("show_range", ("last_month",)),
                           ("show_custom", ({"start": "2030-04-01", "end": "2030-04-30"},)),
                           ("send_statement", ())):
            assert "/console/login" in repr(call(root, ClientStatementState, name, *args))
        assert substate(root, ClientStatementState).rows == []
        for cls, name, args in ((StatementSendState, "send", ()),
                                (StatementSendState, "choose_month", ("2030-04",)),
                                (StatementSettingsState, "save_auto_day",
                                 ({"statement_auto_day": "5"},))):
            assert "/console/login" in repr(call(new_tab(token), cls, name, *args))
    assert _count(session, OutboxMessage) == 0
    session.expire_all()
    assert session.get(Business, 1).statement_auto_day == 0


# --- the bulk send ----------------------------------------------------------------------------


def test_bulk_send_reports_sent_skipped_and_already_sent(engine, session):
    factories.business(session, timezone="UTC")
    last = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    ana = factories.client(session)
    h.invoice(session, ana, total=5_000, issued=last + timedelta(days=3))
    declined = factories.client(session, email_ok=False)
    h.invoice(session, declined, total=5_000, issued=last + timedelta(days=3))
    session.commit()
    root = new_tab(_staff_token(session))
    call(root, StatementSendState, "load")
    page = substate(root, StatementSendState)
    assert len(page.months) == 12 and page.month == last.strftime("%Y-%m")
    assert page.month_label == last.strftime("%B %Y")

    call(root, StatementSendState, "send")
    assert page.result == "Sent 1, skipped 1 (no consent), 0 already sent."
    call(root, StatementSendState, "send")  # a double click
    assert page.result == "Sent 0, skipped 1 (no consent), 1 already sent."
    assert [m.to for m in session.exec(select(OutboxMessage)).all()] == [ana.email]


def test_bulk_send_refuses_a_month_not_offered(engine, session):
    factories.business(session, timezone="UTC")
    root = new_tab(_staff_token(session))
    call(root, StatementSendState, "load")
    page = substate(root, StatementSendState)
    chosen = page.month
    call(root, StatementSendState, "choose_month", "1999-01")
    assert page.month_error == "Choose one of the months in the list." and page.month == chosen
    call(root, StatementSendState, "choose_month", "soon")
    assert page.month_error == "Choose a month." and page.month == chosen
    call(root, StatementSendState, "choose_month", page.months[0]["value"])
    assert page.month_error == "" and page.month == page.months[0]["value"]


# --- the monthly day --------------------------------------------------------------------------


def test_the_monthly_day_is_saved_and_a_bad_one_refused_beside_the_field(engine, session):
    factories.business(session, timezone=ZONE)
    root = new_tab(_staff_token(session))
    call(root, StatementSettingsState, "load")
    page = substate(root, StatementSettingsState)
    assert (page.auto_day, page.zone) == ("0", ZONE)
    call(root, StatementSettingsState, "save_auto_day", {"statement_auto_day": "29"})
    assert page.auto_day_error == "Choose a day from 1 to 28, or Off."
    session.expire_all()
    assert session.get(Business, 1).statement_auto_day == 0
    call(root, StatementSettingsState, "save_auto_day", {"statement_auto_day": "5"})
    assert page.auto_day_error == "" and page.auto_day == "5"
    session.expire_all()
    assert session.get(Business, 1).statement_auto_day == 5
