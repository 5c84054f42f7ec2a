"""Shared set-up of the referral tests: a business, staff, a referrer and a customer
who came through the referrer's link, and invoices paid through the real services."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from models import Invoice, InvoiceKind, InvoiceStatus
from portal_app.services.billing import payments
from portal_app.services.referrals import attribution, referrers
from portal_app.services.referrals.program import get_program
from tests import factories

BASE = "http://portal.test"
SECRET = "s" * 40
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


def world(session, **program):
    factories.business(session, name="Studio Nine", timezone="UTC")
    staff = factories.staff(session)
    _acc, (ref_client,) = factories.household(session, names=("Rita",))
    _acc, (customer,) = factories.household(session, names=("Carl",))
    prog = get_program(session)
    for key, value in program.items():
        setattr(prog, key, value)
    session.add(prog)
    referrer = referrers.join_program(session, client_id=ref_client.id)
    session.commit()
    return {"staff": staff, "ref_client": ref_client, "customer": customer,
            "referrer": referrer, "program": prog}


def bring(session, w, client=None, *, now=None):
    """The customer arrives through the referrer's link and signs up."""
    now = now or datetime.now(UTC)
    click = attribution.record_click(session, referrer=w["referrer"], visitor="v-1", now=now)
    raw = attribution.make_cookie(SECRET, click_id=click.id, code=w["referrer"].code, now=now)
    touch = attribution.read_cookie(SECRET, raw, window_days=60, now=now)
    row = attribution.attribute(session, client_id=(client or w["customer"]).id,
                                event="signup", touch=touch, now=now)
    session.commit()
    return row


def invoice(session, client, total: int, currency: str = "USD") -> Invoice:
    n = next(_seq)
    inv = Invoice(kind=InvoiceKind.INVOICE, number=f"INV-R{n:05d}", client_id=client.id,
                  status=InvoiceStatus.SENT, currency=currency, issue_date=date.today(),
                  subtotal_minor=total, total_minor=total, sent_at=datetime.now(UTC))
    session.add(inv)
    session.flush()
    return inv


def pay_cash(session, w, inv: Invoice, amount: str):
    payment = payments.record_offline_payment(
        session, staff_id=w["staff"].id, invoice_id=inv.id,
        form={"amount": amount, "method": "cash"}, base_url=BASE)
    session.commit()
    return payment
