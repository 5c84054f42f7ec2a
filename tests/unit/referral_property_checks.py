"""What the property test (test_referral_property.py) asserts after every step, from
the rows: they match the model, add up, and nothing is paid twice."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlmodel import func, select

from models import Commission, CommissionAdjustment, Invoice, Payment, Payout, PayoutItem


def snapshot(session) -> tuple:
    """Everything a payment event could change, as plain values."""
    session.expire_all()

    def rows(model, *cols):
        return sorted(tuple(getattr(r, c) for c in cols) for r in session.exec(select(model)))

    return (rows(Payment, "id", "amount_minor", "refunded_minor"),
            rows(Invoice, "id", "paid_minor", "status"),
            rows(Commission, "id", "payment_id", "amount_minor", "state"),
            rows(CommissionAdjustment, "id", "amount_minor"),
            rows(Payout, "id", "amount_minor", "credit_left_minor"))


def check(session, run) -> None:
    session.expire_all()
    model = run.model
    rows = list(session.exec(select(Commission)))
    adjustments = list(session.exec(select(CommissionAdjustment)))
    items = list(session.exec(select(PayoutItem)))
    payout_rows = list(session.exec(select(Payout)))
    for r in rows:
        assert all(type(v) is int for v in (r.base_minor, r.earned_minor, r.amount_minor))
    for r in (*adjustments, *items):
        assert type(r.amount_minor) is int
    for p in payout_rows:
        assert type(p.amount_minor) is int and type(p.credit_left_minor) is int

    # every commission is the model's
    assert {r.payment_id for r in rows} == set(model.commissions)
    adj_of = defaultdict(list)
    for a in sorted(adjustments, key=lambda a: a.id):
        adj_of[a.commission_id].append(a.amount_minor)
    item_of = {i.commission_id: i for i in items if i.commission_id is not None}
    for r in rows:
        m = model.commissions[r.payment_id]
        assert (r.referrer_id, r.currency, r.base_minor, r.earned_minor, r.state) == (
            m.referrer, m.currency, m.base, m.earned, m.state)
        assert m.hold_from <= r.hold_until <= m.hold_to
        assert adj_of[r.id] == m.adjustments
        if r.state == "paid":
            assert r.amount_minor == m.paid_amount == item_of[r.id].amount_minor
        else:
            assert r.amount_minor == m.amount and r.id not in item_of

    # per referrer and currency, from the rows
    got: dict = defaultdict(lambda: dict.fromkeys(("pending", "approved", "paid", "reversed",
                                                   "net"), 0))
    for r in rows:
        if r.state == "rejected":
            continue
        b = got[(r.referrer_id, r.currency)]
        b["net"] += r.amount_minor + sum(adj_of[r.id])
        if r.state in ("pending", "approved", "paid"):
            b[r.state] += r.amount_minor
        b["reversed"] -= sum(adj_of[r.id])  # refunds after payout (reversed rows are 0)
    for b in got.values():
        assert b["net"] == b["pending"] + b["approved"] + b["paid"] - b["reversed"]
    assert dict(got) == model.buckets()

    # nothing paid twice; payouts are their items
    paid_commissions = [i.commission_id for i in items if i.commission_id is not None]
    paid_adjustments = [i.adjustment_id for i in items if i.adjustment_id is not None]
    assert not [k for k, n in Counter(paid_commissions).items() if n > 1]
    assert not [k for k, n in Counter(paid_adjustments).items() if n > 1]
    assert len(paid_commissions) == sum(r.state == "paid" for r in rows)
    by_payout = defaultdict(int)
    for i in items:
        by_payout[i.payout_id] += i.amount_minor
    for p in payout_rows:
        assert p.amount_minor == by_payout[p.id] > 0
        credit = session.exec(select(func.coalesce(func.sum(Payment.amount_minor), 0)).where(
            Payment.method == "account_credit",
            Payment.note == f"Referral payout {p.number}")).one()
        if p.method == "account_credit":
            assert p.credit_left_minor >= 0 and p.credit_left_minor + credit == p.amount_minor
        else:
            assert (p.credit_left_minor, credit) == (0, 0)
    assert sorted(p.amount_minor for p in payout_rows) == sorted(model.payout_totals)
    open_rows = {a.id for a in adjustments} - set(paid_adjustments)
    assert len(open_rows) == sum(not a.settled for a in model.adjustments)
    assert session.exec(select(func.count()).select_from(Commission).join(
        Payment, Payment.id == Commission.payment_id).where(
        Payment.method == "account_credit")).one() == 0
