"""Property test of statements (a seeded random loop; hypothesis is not a test
dependency): for random sequences of invoices, partial payments, overpayments,
refunds, voids, late payments on void invoices and payments in the wrong
currency, in random zones, cut into random consecutive ranges:

- closing = opening + charges − payments + refunds − voids, and the last line's
  running balance is the closing;
- closing = what is aged − the client's credit;
- consecutive statements chain (one's closing is the next's opening), and the
  ranges together give the same sums as one statement over all of them;
- at the end, the closing per currency is the invoices' own figures: the sum of
  `Invoice.balance_minor` (the invoice pages) less what was paid beyond it, and,
  for a client with one currency and no credit, `invoices.total_due`.
"""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from models import InvoiceStatus
from portal_app.services.billing import invoices as invoice_service
from portal_app.services.billing.statements import statement
from tests import factories
from tests.unit import statement_helpers as h

SEQUENCES = 120
SEED = 20261206
ZONES = ("UTC", "America/Chicago", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago")
BASE = datetime(2030, 1, 1, tzinfo=UTC)


def _simulate(session, rng, client, staff_id, zone):
    """Random ledger activity for one client; returns the last day touched."""
    moment = BASE + timedelta(minutes=rng.randrange(0, 24 * 60))
    invoices, payments = [], []
    for _ in range(rng.randrange(1, 14)):
        moment += timedelta(minutes=rng.choice((1, 30, 600, 1440, 1440 * 9, 1440 * 40)))
        day = moment.astimezone(ZoneInfo(zone)).date()
        roll = rng.random()
        open_ = [i for i in invoices if i.status in InvoiceStatus.OPEN]
        live = [p for p in payments if p.amount_minor > p.refunded_minor]
        if roll < 0.35 or not invoices:
            due = day + timedelta(days=rng.choice((0, 7, 30, 45))) if rng.random() < 0.8 else None
            invoices.append(h.invoice(session, client, total=rng.randrange(1, 50_000),
                                      issued=day, due=due,
                                      currency=rng.choice(("USD", "USD", "USD", "EUR"))))
        elif roll < 0.65 and open_:
            inv = rng.choice(open_)
            amount = rng.randrange(1, inv.balance_minor + 1)
            if rng.random() < 0.1:  # overpaid (two tabs at once)
                amount = inv.balance_minor + rng.randrange(1, 5_000)
            if rng.random() < 0.4:  # recorded by staff for a day
                payments.append(h.pay(session, inv, amount, on=day))
            else:
                payments.append(h.pay(session, inv, amount, at=moment))
        elif roll < 0.8 and live:
            payment = rng.choice(live)
            h.refund(session, payment,
                     rng.randrange(1, payment.amount_minor - payment.refunded_minor + 1),
                     at=moment)
        elif roll < 0.9:
            unpaid = [i for i in invoices if i.status == InvoiceStatus.SENT and i.paid_minor == 0]
            if unpaid:
                h.void(session, rng.choice(unpaid), at=moment, staff_id=staff_id)
        elif roll < 0.95 and invoices:  # a late payment on any invoice, void ones too
            inv = rng.choice(invoices)
            payments.append(h.pay(session, inv, rng.randrange(1, 10_000), at=moment))
        elif invoices:  # paid in another currency: flagged, not counted
            inv = rng.choice(invoices)
            other = "EUR" if inv.currency == "USD" else "USD"
            h.pay(session, inv, rng.randrange(1, 10_000), at=moment, currency=other)
    return invoices, (moment + timedelta(days=2)).date()


def _figures(st):
    return {c.currency: c for c in st.currencies}


def _check_one(st):
    for c in st.currencies:
        assert c.closing_minor == (c.opening_minor + c.charges_minor - c.payments_minor
                                   + c.refunds_minor - c.voids_minor)
        assert c.closing_minor == (c.lines[-1].balance_minor if c.lines else c.opening_minor)
        assert c.closing_minor == c.aging.total_minor - c.credit_minor
        assert c.credit_minor >= 0
        assert [ln.day for ln in c.lines] == sorted(ln.day for ln in c.lines)
        assert all(st.start <= ln.day <= st.end for ln in c.lines)
        for line in c.lines:
            if line.allocations:
                assert sum(a.amount_minor for a in line.allocations) + line.credit_minor == (
                    -line.amount_minor)


def test_statements_add_up_and_chain(session):
    factories.business(session)
    staff = factories.staff(session)
    rng = random.Random(SEED)
    checked = 0
    for _ in range(SEQUENCES):
        client = factories.client(session)
        zone = rng.choice(ZONES)
        invoices, last = _simulate(session, rng, client, staff.id, zone)
        first = BASE.date() - timedelta(days=1)
        span = (last - first).days
        cuts = sorted(rng.sample(range(1, span), min(rng.randrange(0, 4), span - 1)))
        bounds = [first, *(first + timedelta(days=c) for c in cuts), last]
        ranges = [(bounds[0], bounds[1])] + [
            (bounds[i] + timedelta(days=1), bounds[i + 1]) for i in range(1, len(bounds) - 1)]
        statements = [statement(session, client_id=client.id, start=s, end=e, zone=zone)
                      for s, e in ranges]
        for st in statements:
            _check_one(st)
        for c in statements[0].currencies:
            assert c.opening_minor == 0
        for before, after in zip(statements, statements[1:], strict=False):
            closing, opening = _figures(before), _figures(after)
            for code in set(closing) | set(opening):
                assert (closing[code].closing_minor if code in closing else 0) == (
                    opening[code].opening_minor if code in opening else 0)
        whole = _figures(statement(session, client_id=client.id, start=first, end=last,
                                   zone=zone))
        for code, c in whole.items():
            parts = [_figures(st)[code] for st in statements if code in _figures(st)]
            for name in ("charges_minor", "payments_minor", "refunds_minor", "voids_minor"):
                assert getattr(c, name) == sum(getattr(p, name) for p in parts)
            assert c.closing_minor == parts[-1].closing_minor
        # The invoice pages' figures.
        currencies = {inv.currency for inv in invoices}
        for code in currencies:
            mine = [inv for inv in invoices if inv.currency == code]
            live = [inv for inv in mine if inv.status != InvoiceStatus.VOID]
            credit = sum(max(inv.paid_minor - (0 if inv.status == InvoiceStatus.VOID
                                                else inv.total_minor), 0) for inv in mine)
            c = whole.get(code)
            closing = c.closing_minor if c else 0
            assert closing == sum(inv.balance_minor for inv in live) - credit
            assert (c.aging.total_minor if c else 0) == sum(inv.balance_minor for inv in live)
            assert (c.credit_minor if c else 0) == credit
            if currencies == {code} and credit == 0:
                assert closing == invoice_service.total_due(session, client_id=client.id)
                checked += 1
    assert checked > SEQUENCES // 4  # the total_due comparison really ran
