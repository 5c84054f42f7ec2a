"""The console's payouts page, read side: who is due what (approved less open
adjustments, per currency, against the minimum), the commissions to choose from,
the history and one payout's lines, a constant number of statements whatever the
size, and the CSV for the bank (a date range on the business's calendar or chosen
payouts; formulas defused)."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from models import Business, Client, Payment
from portal_app.services.billing import refunds
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.referrals import payout_admin
from tests.sql import statements_of
from tests.unit.referral_helpers import (  # noqa: F401 (fixture)
    _quick_receipts,
    bring,
    world,
)
from tests.unit.referral_payout_helpers import (
    another_referrer,
    approved_commission,
    paid_out,
)


def _refund(session, w, commission, amount):
    payment = session.get(Payment, commission.payment_id)
    row = refunds.prepare_refund(session, staff_id=w["staff"].id, payment_id=payment.id,
                                 form={"amount": amount})
    refunds.finish_refund(session, refund_id=row.id, provider_refund_id=None,
                          staff_id=w["staff"].id)
    session.commit()


@pytest.fixture
def w(session):
    w = world(session, rate_bp=1000, hold_days=0)
    bring(session, w)
    return w


def test_due_is_approved_less_open_adjustments_per_currency_against_the_minimum(session, w):
    first = approved_commission(session, w, 10000)  # 10.00
    paid_out(session, w, [first])
    _refund(session, w, first, "40.00")  # after payout: -4.00, open
    w["program"].min_payout_minor = 2500
    session.add(w["program"])
    session.commit()
    approved_commission(session, w, 20000)  # 20.00
    approved_commission(session, w, 15000)  # 15.00
    approved_commission(session, w, 5000, "EUR")  # 5.00, no minimum in EUR
    rosa = another_referrer(session, w)
    approved_commission(session, rosa, 20000)  # 20.00: under the 25.00 minimum

    rows = {(r.name.split()[0], r.currency): r for r in payout_admin.list_due(session)}

    rita = rows[("Rita", "USD")]
    assert (rita.approved_minor, rita.approved_count) == (3500, 2)
    assert (rita.adjustments_minor, rita.adjustment_count) == (-400, 1)
    assert (rita.net_minor, rita.minimum_minor, rita.reaches_minimum) == (3100, 2500, True)
    assert rita.method == "account_credit" and rita.referrer_id == w["referrer"].id
    euro = rows[("Rita", "EUR")]
    assert (euro.net_minor, euro.minimum_minor, euro.reaches_minimum) == (500, 0, True)
    assert (rows[("Rosa", "USD")].net_minor, rows[("Rosa", "USD")].reaches_minimum) == (
        2000, False)
    assert len(rows) == 3


def test_a_referrer_owing_only_an_adjustment_is_listed_with_nothing_to_reach(session, w):
    first = approved_commission(session, w, 10000)
    paid_out(session, w, [first])
    assert payout_admin.list_due(session) == []
    _refund(session, w, first, "100.00")
    (row,) = payout_admin.list_due(session)
    assert (row.approved_count, row.net_minor, row.reaches_minimum) == (0, -1000, False)


def test_pending_rejected_and_paid_commissions_are_not_due(session, w):
    from tests.unit.referral_helpers import invoice, pay_cash

    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")  # pending
    paid_out(session, w, [approved_commission(session, w, 30000)])
    assert payout_admin.list_due(session) == []


def test_the_listings_send_the_same_statements_for_one_referrer_or_four(engine, session, w):
    def counts():
        session.expire_all()
        due = len(statements_of(engine, lambda: payout_admin.list_due(session)))
        history = len(statements_of(engine, lambda: payout_admin.list_payouts(session)))
        chosen = len(statements_of(engine, lambda: payout_admin.approved_for_payout(
            session, referrer_id=w["referrer"].id)))
        return due, history, chosen

    paid_out(session, w, [approved_commission(session, w, 30000)])
    approved_commission(session, w, 30000)
    small = counts()
    for name in ("Rosa", "Ruth", "Remy"):
        other = another_referrer(session, w, name)
        paid_out(session, other, [approved_commission(session, other, 30000)])
        approved_commission(session, other, 40000)
        approved_commission(session, other, 50000)
    approved_commission(session, w, 30000)
    assert counts() == small
    assert len(payout_admin.list_due(session)) == 4


def test_approved_for_payout_names_invoice_and_customer_and_filters_currency(session, w):
    usd = approved_commission(session, w, 30000)
    approved_commission(session, w, 5000, "EUR")
    from tests.unit.referral_helpers import invoice, pay_cash

    pay_cash(session, w, invoice(session, w["customer"], 10000), "100.00")  # still pending
    payee = payout_admin.approved_for_payout(session, referrer_id=str(w["referrer"].id),
                                             currency="usd")
    assert payee.name == w["ref_client"].full_name and payee.method == "account_credit"
    (row,) = payee.commissions
    invoice_number = session.exec(select(Payment.invoice_id).where(
        Payment.id == usd.payment_id)).one()
    assert row.commission_id == usd.id and row.amount_minor == 3000
    assert row.customer_name == w["customer"].full_name
    assert row.invoice_number.startswith("INV-R") and invoice_number
    assert len(payout_admin.approved_for_payout(session, referrer_id=w["referrer"].id)
               .commissions) == 2
    for bad in ("999999", "x", None, True):
        with pytest.raises(NotFound):
            payout_admin.approved_for_payout(session, referrer_id=bad)


def test_history_pages_newest_first_with_the_credit_applied_and_left(session, w):
    from tests.unit.referral_helpers import invoice

    invoice(session, w["ref_client"], 1000)  # the referrer's own open invoice: 10.00
    session.commit()
    credit = paid_out(session, w, [approved_commission(session, w, 30000)],
                      method="account_credit", at=datetime(2026, 1, 5, tzinfo=UTC))
    bank = paid_out(session, w, [approved_commission(session, w, 40000)], reference="T-9",
                    at=datetime(2026, 2, 5, tzinfo=UTC))
    page = payout_admin.list_payouts(session)
    assert [r.number for r in page.rows] == [bank.number, credit.number]
    assert (page.total, page.page, page.pages) == (2, 1, 1)
    newest, oldest = page.rows
    assert (newest.method, newest.reference, newest.amount_minor) == ("bank_transfer", "T-9",
                                                                      4000)
    assert (newest.credit_applied_minor, newest.credit_left_minor) == (0, 0)
    assert (oldest.credit_applied_minor, oldest.credit_left_minor) == (1000, 2000)
    assert oldest.referrer_name == w["ref_client"].full_name
    second = payout_admin.list_payouts(session, page="2", per_page=1)
    assert [r.number for r in second.rows] == [credit.number] and second.pages == 2
    assert payout_admin.list_payouts(session, page="junk", per_page=1).page == 1
    assert payout_admin.list_payouts(session, page=99, per_page=1).page == 2


def test_payout_detail_lists_commissions_with_invoice_and_adjustments_with_reason(session, w):
    first = approved_commission(session, w, 10000)
    paid_out(session, w, [first])
    _refund(session, w, first, "50.00")
    second = approved_commission(session, w, 30000)
    payout = paid_out(session, w, [second], reference="T-2")
    detail = payout_admin.get_payout_detail(session, payout_id=str(payout.id))
    assert detail.payout.number == payout.number and detail.payout.amount_minor == 2500
    commission, adjustment = detail.lines
    assert (commission.kind, commission.commission_id, commission.amount_minor) == (
        "commission", second.id, 3000)
    assert commission.customer_name == w["customer"].full_name
    assert commission.invoice_number.startswith("INV-R")
    assert (adjustment.kind, adjustment.commission_id, adjustment.amount_minor) == (
        "adjustment", first.id, -500)
    assert "after payout" in adjustment.reason and adjustment.invoice_number
    for bad in ("999999", "abc", -1):
        with pytest.raises(NotFound):
            payout_admin.get_payout_detail(session, payout_id=bad)


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_csv_of_a_range_on_the_business_calendar_defuses_formulas(session, w):
    business = session.exec(select(Business)).one()
    business.timezone = "America/New_York"
    client = session.get(Client, w["ref_client"].id)
    client.full_name, client.payout_details = "=HYPERLINK(\"x\")", "+IBAN ES91 2100"
    session.add_all([business, client])
    session.commit()
    # 03:00 UTC on Dec 2 is still Dec 1 in New York.
    late = paid_out(session, w, [approved_commission(session, w, 12345)], reference="@ref",
                    at=datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    paid_out(session, w, [approved_commission(session, w, 30000)],
             at=datetime(2026, 12, 2, 6, 0, tzinfo=UTC))  # Dec 2 in New York

    name, text = payout_admin.payouts_csv(session, staff_id=w["staff"].id,
                                          date_from=date(2026, 11, 1), date_to=date(2026, 12, 1))
    assert name == "payouts-2026-11-01-to-2026-12-01.csv"
    header, *rows = _rows(text)
    assert header == ["Payout number", "Date (America/New_York)", "Referrer", "Email",
                      "Payout details", "Method", "Currency", "Amount", "Reference"]
    assert rows == [[late.number, "2026-12-01", "'=HYPERLINK(\"x\")",
                     w["ref_client"].email, "'+IBAN ES91 2100", "Bank transfer", "USD",
                     "12.34", "'@ref"]]
    _, text = payout_admin.payouts_csv(session, staff_id=w["staff"].id,
                                       date_from=date(2026, 12, 2), lang="es")
    header, *rows = _rows(text)
    assert header[0] != "Payout number" and len(rows) == 1 and rows[0][1] == "2026-12-02"
    assert rows[0][5] == "Transferencia bancaria" and rows[0][7] == "30.00"


def test_csv_of_chosen_payouts_and_an_unknown_id_refused(session, w):
    one = paid_out(session, w, [approved_commission(session, w, 30000)])
    two = paid_out(session, w, [approved_commission(session, w, 40000)], method="cash")
    paid_out(session, w, [approved_commission(session, w, 50000)])
    name, text = payout_admin.payouts_csv(
        session, staff_id=w["staff"].id,
        payout_ids=payout_admin.parse_ids(f"{two.id},{one.id},{one.id}"))
    assert name == "payouts-selected.csv"
    assert [r[0] for r in _rows(text)[1:]] == [one.number, two.number]
    assert _rows(text)[2][5] == "Cash"
    with pytest.raises(NotFound):
        payout_admin.payouts_csv(session, staff_id=w["staff"].id, payout_ids=[one.id, 999999])
    for bad in ("1,x", "0", "1;2"):
        with pytest.raises(NotFound):
            payout_admin.parse_ids(bad)
    assert payout_admin.parse_ids("") == []


def test_range_errors_name_their_field():
    assert payout_admin.parse_range("2026-12-01", "") == (date(2026, 12, 1), None)
    with pytest.raises(ServiceError) as bad:
        payout_admin.parse_range("12/01/2026", "")
    assert bad.value.field == "date_from"
    with pytest.raises(ServiceError) as bad:
        payout_admin.parse_range("2026-12-01", "2026-02-30")
    assert bad.value.field == "date_to"
    with pytest.raises(ServiceError) as backwards:
        payout_admin.parse_range("2026-12-02", "2026-12-01")
    assert backwards.value.field == "date_to"


def test_the_pages_server_messages_are_in_the_spanish_catalogue():
    from portal_app import i18n
    from tests.msgids import normalize, server_msgids

    known = {normalize(key) for key in i18n.CATALOGS["es"]}
    found = server_msgids(["state/console_referrals/payouts.py"],
                          ["portal_app/services/referrals/payout_admin.py"], {})
    assert len(found) >= 6
    assert sorted(text for text in found if text not in known) == []
    for header in payout_admin.CSV_HEADERS:
        assert header in i18n.CATALOGS["es"]
