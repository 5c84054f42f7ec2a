"""The console's payouts page holds on the server: staff only; due → choose → tick →
plan → pay records the payout (email, account credit) and refreshes the page; a
commission of another referrer never gets into a payout; bad input is shown beside
its field and pays nothing; the history's details and the CSV links."""

import pytest
from sqlmodel import select

import state.console_referrals.payouts  # noqa: F401  (registers the state)
from models import Commission, Invoice, InvoiceStatus, OutboxMessage, Payout
from portal_app import routes
from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from state.console_referrals.payouts import ReferralPayoutsState as S
from tests.state.harness import call, new_tab, signed_in_client, substate
from tests.unit.referral_helpers import bring, invoice, world
from tests.unit.referral_payout_helpers import another_referrer, approved_commission


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


def staff_token(session, staff):
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token


@pytest.fixture
def w(engine, session):
    w = world(session, rate_bp=1000, hold_days=0)
    bring(session, w)
    w["token"] = staff_token(session, w["staff"])
    return w


def _payouts(session):
    session.expire_all()
    return list(session.exec(select(Payout)).all())


def _chosen(w):
    root = new_tab(w["token"])
    call(root, S, "load")
    view = substate(root, S)
    (due,) = view.due_rows
    call(root, S, "choose", due["referrer_id"], due["currency"])
    return root, view


def test_anyone_but_staff_is_sent_to_the_console_sign_in(session, w):
    approved_commission(session, w, 30000)
    client_token, _client = signed_in_client(session, "Mallory")
    for token in (None, client_token):
        root = new_tab(token)
        for name, args in (("load", ()), ("choose", (str(w["referrer"].id), "USD")),
                           ("open_plan", ()), ("pay", ({"method": "cash"},)),
                           ("show_payout", ("1",)), ("prepare_range", ({},))):
            result = call(root, S, name, *args)
            assert routes.CONSOLE_LOGIN in repr(result), name
        view = substate(root, S)
        assert view.due_rows == [] and view.commission_rows == []
    assert _payouts(session) == []


def test_choose_tick_plan_and_pay_records_the_payout_and_refreshes(session, w):
    first = approved_commission(session, w, 30000)
    second = approved_commission(session, w, 20000)
    root, view = _chosen(w)
    assert view.payee_name == w["ref_client"].full_name
    assert view.selected == [str(first.id), str(second.id)]  # all ticked at first
    assert view.commission_rows[0]["customer"] == w["customer"].full_name
    call(root, S, "toggle", str(second.id), False)
    call(root, S, "open_plan")
    assert view.plan_open and view.plan_total == "$30.00"
    assert view.method == "account_credit"  # the referrer's own choice
    assert [line["amount"] for line in view.plan_lines] == ["$30.00"]
    result = call(root, S, "pay", {"method": "bank_transfer", "reference": "T-77",
                                   "note": "March"})
    (payout,) = _payouts(session)
    assert "Payout PO-" in repr(result) and payout.number in repr(result)
    assert (payout.amount_minor, payout.method, payout.reference) == (3000, "bank_transfer",
                                                                      "T-77")
    assert session.get(Commission, first.id).state == "paid"
    assert session.get(Commission, second.id).state == "approved"
    assert session.exec(select(OutboxMessage)).all()  # the statement email
    assert not view.plan_open and view.payee_name == ""
    assert [r["net"] for r in view.due_rows] == ["$20.00"]
    assert [r["number"] for r in view.history_rows] == [payout.number]
    call(root, S, "show_payout", view.history_rows[0]["id"])
    assert view.detail_open and view.detail["reference"] == "T-77"
    assert [line["label"] for line in view.detail_lines] == [f"#{first.id}"]
    call(root, S, "close_detail", False)
    assert not view.detail_open and view.detail["number"] == "" and view.detail_lines == []


def test_paying_as_account_credit_pays_the_referrers_own_invoice(session, w):
    approved_commission(session, w, 30000)
    own = invoice(session, w["ref_client"], 1000)
    session.commit()
    root, view = _chosen(w)
    call(root, S, "open_plan")
    call(root, S, "pay", {"method": view.method, "reference": "", "note": ""})
    session.expire_all()
    assert session.get(Invoice, own.id).status == InvoiceStatus.PAID
    assert "$10.00" in view.history_rows[0]["applied"]
    assert "$20.00" in view.history_rows[0]["left"]


def test_a_commission_of_another_referrer_never_gets_into_the_payout(session, w):
    mine = approved_commission(session, w, 30000)
    rosa = another_referrer(session, w)
    theirs = approved_commission(session, rosa, 40000)
    root = new_tab(w["token"])
    call(root, S, "load")
    view = substate(root, S)
    call(root, S, "choose", str(w["referrer"].id), "USD")
    call(root, S, "toggle", str(theirs.id), True)
    assert view.selected == [str(mine.id)]  # only this referrer's rows can be ticked
    view.selected = [str(mine.id), str(theirs.id)]  # as if the browser had sent it
    result = call(root, S, "open_plan")
    assert "That commission does not exist." in repr(result) and not view.plan_open
    view.selected = [str(mine.id)]
    call(root, S, "open_plan")
    view._plan_ids = [mine.id, theirs.id]
    result = call(root, S, "pay", {"method": "cash"})
    assert "That commission does not exist." in repr(result)
    assert _payouts(session) == []
    assert session.get(Commission, theirs.id).state == "approved"


def test_bad_input_is_shown_beside_its_field_and_pays_nothing(session, w):
    approved_commission(session, w, 30000)
    root, view = _chosen(w)
    call(root, S, "open_plan")
    assert call(root, S, "pay", {"method": "gold"}) is None
    assert view.errors["method"] and view.plan_open
    call(root, S, "pay", {"method": "cash", "reference": "x" * 200})
    assert view.errors["reference"] and not view.errors["method"]
    call(root, S, "pay", {"method": "cash", "note": "y" * 400})
    assert view.errors["note"]
    assert _payouts(session) == []
    call(root, S, "prepare_range", {"date_from": "31/12/2026", "date_to": ""})
    assert view.errors["date_from"] and view.range_csv_url == ""
    call(root, S, "prepare_range", {"date_from": "2026-12-02", "date_to": "2026-12-01"})
    assert view.errors["date_to"] and not view.errors["date_from"]
    call(root, S, "prepare_range", {"date_from": "2026-12-01", "date_to": ""})
    assert view.range_csv_url == f"{routes.CONSOLE_REFERRAL_PAYOUTS_CSV}?from=2026-12-01"
    assert not view.errors["date_to"]


def test_below_the_minimum_is_refused_and_a_changed_plan_too(session, w):
    approved_commission(session, w, 10000)
    w["program"].min_payout_minor = 5000
    session.add(w["program"])
    session.commit()
    root, view = _chosen(w)
    assert view.due_rows[0]["reaches"] == ""
    call(root, S, "open_plan")
    result = call(root, S, "pay", {"method": "cash"})
    assert "below the minimum payout" in repr(result) and view.plan_open
    w["program"].min_payout_minor = 0
    session.add(w["program"])
    session.commit()
    view._plan_amount = 1  # what staff confirmed is not what would be paid now
    result = call(root, S, "pay", {"method": "cash"})
    assert "changed since you opened" in repr(result)
    assert _payouts(session) == []


def test_ticked_payouts_make_the_csv_link_and_the_history_pages(session, w):
    from tests.unit.referral_payout_helpers import paid_out

    made = [paid_out(session, w, [approved_commission(session, w, 30000)]) for _ in range(3)]
    root = new_tab(w["token"])
    call(root, S, "load")
    view = substate(root, S)
    assert view.chosen_csv_url == "" and view.history_pages == 1
    call(root, S, "toggle_payout", str(made[0].id), True)
    call(root, S, "toggle_payout", "999999", True)  # not a shown payout: ignored
    assert view.chosen_csv_url == f"{routes.CONSOLE_REFERRAL_PAYOUTS_CSV}?ids={made[0].id}"
    call(root, S, "go_to_page", 5)
    assert view.history_page == 1 and len(view.history_rows) == 3
