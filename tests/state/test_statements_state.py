"""The Statements page's handlers: the selected record's statement only (never another
household's, never another record of the household unless selected), refused without
"access billing documents", Pay balance only with "pay outstanding balance" and only
for the payer's own open invoices, a bad custom range told beside its field with
nothing changed; the test-mode checkout of a balance returns to Statements."""

from datetime import UTC, date, datetime, timedelta

from sqlmodel import func, select

from models import CheckoutAttempt, Invoice, InvoiceStatus, Payment
from portal_app.services.billing.invoices import save_draft
from state.checkout_test_mode import CheckoutTestModeState
from state.payments import PaymentsState
from state.statements import StatementsState
from tests import factories
from tests.state.harness import all_vars, call, new_tab, signed_in_client, substate, tab_at


def _invoice(session, client, price="100.00", *, status=InvoiceStatus.SENT, currency=None):
    staff = factories.staff(session)
    invoice = save_draft(session, staff_id=staff.id, invoice_id=None,
                         form={"client_id": client.id, "kind": "invoice",
                               **({"currency": currency} if currency else {})},
                         lines=[{"description": "Session", "quantity": "1",
                                 "unit_price": price}])
    invoice.status = status
    invoice.sent_at = datetime.now(UTC)
    session.add(invoice)
    session.commit()
    return invoice


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _view(tab) -> StatementsState:
    return substate(tab, StatementsState)


def test_the_statement_of_the_selected_record_this_month(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    invoice = _invoice(session, client)
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    view = _view(tab)
    lines = [r for r in view.rows if r["type"] == "line"]
    assert [(r["description"], r["amount"], r["invoice_id"]) for r in lines] == [
        (f"Invoice {invoice.number}", "$100.00", str(invoice.id))]
    assert [r["type"] for r in view.rows] == ["opening", "line", "closing"]
    [usd] = view.summaries
    assert (usd["currency"], usd["closing"], usd["owed"], usd["aging_0"]) == (
        "USD", "$100.00", "yes", "$100.00")
    assert view.can_pay is True and view.mode == "this_month"
    today = datetime.now(UTC).date()
    assert view.pdf_url == (f"/api/statements/{client.id}.pdf?"
                            f"start={view._start}&end={view._end}")
    assert view._start.endswith("-01") and view.zone_note == "Dates are in UTC."
    assert abs((date.fromisoformat(view._end) - today).days) <= 1


def test_another_households_records_never_show_and_cannot_be_paid(engine, session):
    factories.business(session)
    token, _mine = signed_in_client(session, "Mallory")
    _victim_token, victim = signed_in_client(session, "Victim")
    theirs = _invoice(session, victim)
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    call(tab, StatementsState, "choose_range", "last_month")
    call(tab, StatementsState, "show_custom", {"start": "2026-01-01", "end": "2026-12-31",
                                               "client_id": str(victim.id)})
    result = call(tab, StatementsState, "pay_balance", "USD")
    assert theirs.number not in all_vars(tab) + repr(result)
    assert "Nothing is due" in repr(result)
    assert _count(session, CheckoutAttempt) == 0


def test_the_statement_is_the_selected_records_not_the_households_other(engine, session):
    factories.business(session)
    account, (first, second) = factories.household(session, names=("One", "Two"),
                                                   access="active")
    from portal_app.services.sessions import create_ticket, redeem_ticket
    from portal_app.timeouts import session_timeouts

    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=first.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    inv_first, inv_second = _invoice(session, first), _invoice(session, second, "55.00")
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    text = all_vars(tab)
    assert inv_first.number in text and inv_second.number not in text


def test_no_billing_permission_refuses_the_page_and_pay_balance(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "No Billing", billing=False, pay=False)
    invoice = _invoice(session, client)
    tab = new_tab(token)
    for name, args in (("load", ()), ("choose_range", ("last_month",)),
                       ("show_custom", ({"start": "2026-01-01", "end": "2026-01-31"},)),
                       ("pay_balance", ("USD",))):
        result = call(tab, StatementsState, name, *args)
        assert "/dashboard" in repr(result), name
    assert invoice.number not in all_vars(tab)
    assert _view(tab).rows == [] and _count(session, CheckoutAttempt) == 0


def test_no_pay_permission_shows_the_statement_without_pay_balance(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "No Pay", pay=False)
    _invoice(session, client)
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    assert _view(tab).can_pay is False and _view(tab).summaries[0]["owed"] == "yes"
    result = call(tab, StatementsState, "pay_balance", "USD")
    assert "not available" in repr(result)
    assert _count(session, CheckoutAttempt) == 0


def test_a_bad_custom_range_is_told_beside_its_field_and_changes_nothing(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    _invoice(session, client)
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    view = _view(tab)
    before = (list(view.rows), view.period, view.pdf_url)
    call(tab, StatementsState, "choose_range", "custom")
    assert view.mode == "custom" and view.rows == before[0]
    call(tab, StatementsState, "show_custom", {"start": "31/12/2026", "end": "2026-12-31"})
    assert view.start_error == "Enter the first day as a date (YYYY-MM-DD)."
    assert view.end_error == ""
    call(tab, StatementsState, "show_custom", {"start": "2026-01-01", "end": "soon"})
    assert (view.start_error, view.end_error) == (
        "", "Enter the last day as a date (YYYY-MM-DD).")
    call(tab, StatementsState, "show_custom", {"start": "2026-03-01", "end": "2026-02-01"})
    assert view.start_error == "The first day must be on or before the last day."
    assert (list(view.rows), view.period, view.pdf_url) == before
    # A good range then shows, and clears the messages.
    call(tab, StatementsState, "show_custom", {"start": "2026-01-01", "end": "2026-01-31"})
    assert (view.start_error, view.end_error) == ("", "")
    assert view.period == "Jan 1, 2026 – Jan 31, 2026"
    assert view.pdf_url.endswith("start=2026-01-01&end=2026-01-31")


def test_a_bad_range_in_spanish(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    client.language = "es"
    session.add(client)
    session.commit()
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    call(tab, StatementsState, "show_custom", {"start": "x", "end": "2026-01-01"})
    assert _view(tab).start_error == "Introduce el primer día como fecha (AAAA-MM-DD)."


def test_pay_balance_opens_one_checkout_for_the_open_invoices_and_returns_here(
        engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Payer")
    older = _invoice(session, client, "40.00")
    older.issue_date = datetime.now(UTC).date() - timedelta(days=20)
    session.add(older)
    session.commit()
    newer = _invoice(session, client, "60.00")
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    result = call(tab, StatementsState, "pay_balance", "USD")
    assert "/pay/test?session=" in repr(result)
    attempt = session.exec(select(CheckoutAttempt)).one()
    assert (attempt.amount_minor, attempt.invoice_ids) == (10000, [older.id, newer.id])

    payer = tab_at(token, f"/pay/test?session={attempt.provider_session_id}")
    call(payer, CheckoutTestModeState, "load")
    shown = substate(payer, CheckoutTestModeState).checkout
    assert (shown["invoice"], shown["amount"]) == (f"{older.number}, {newer.number}",
                                                   "$100.00")
    result = call(payer, CheckoutTestModeState, "pay")
    assert "/payments/statements?paid=1" in repr(result)
    assert _count(session, Payment) == 2
    session.expire_all()
    assert {session.get(Invoice, i).status for i in (older.id, newer.id)} == {"paid"}
    back = tab_at(token, "/payments/statements?paid=1")
    call(back, StatementsState, "load")
    view = _view(back)
    assert view.notice == "Payment received. Thank you!"
    details = " ".join(r["detail"] for r in view.rows)
    assert f"Paid {older.number} $40.00 (applied oldest first)" in details
    assert view.summaries[0]["owed"] == ""


def test_the_tab_bars_go_to_statements_and_back(engine, session):
    factories.business(session)
    token, _client = signed_in_client(session, "Ana")
    tab = new_tab(token)
    assert "/payments/statements" in repr(call(tab, PaymentsState, "show_tab", "statements"))
    assert "/payments/superbills" in repr(call(tab, PaymentsState, "show_tab", "superbills"))
    assert "/payments?tab=paid" in repr(call(tab, StatementsState, "go_tab", "paid"))
    paid = tab_at(token, "/payments?tab=paid")
    call(paid, PaymentsState, "load")
    assert substate(paid, PaymentsState).tab == "paid"
    assert substate(paid, PaymentsState).superbills is False
    from models import Business
    business = session.exec(select(Business)).one()
    business.superbills_enabled = True
    session.add(business)
    session.commit()
    call(paid, PaymentsState, "load")
    assert substate(paid, PaymentsState).superbills is True


def test_the_statement_opened_again_sends_only_what_changed(engine, session):
    factories.business(session)
    token, client = signed_in_client(session, "Ana")
    _invoice(session, client)
    tab = new_tab(token)
    call(tab, StatementsState, "load")
    tab._clean()
    call(tab, StatementsState, "load")
    view = _view(tab)
    assert not {"rows", "summaries", "period", "pdf_url"} & view.dirty_vars
    _invoice(session, client, "50.00")
    call(tab, StatementsState, "load")
    assert "rows" in view.dirty_vars and "period" not in view.dirty_vars
    assert len([r for r in view.rows if r["type"] == "line"]) == 2
