"""The invoice page's lines and payments in one statement: the same rows, in the same
order, as the two reads it replaces, and nothing of another invoice; on SQLite and on
PostgreSQL."""

from datetime import UTC, date, datetime

from models import Invoice, InvoiceLine, Payment
from portal_app.services.billing import invoice_details, invoices, payments
from tests import factories
from tests.sql import statements_of


def _world(session):
    factories.business(session)
    _, (client,) = factories.household(session, names=("Ana",))
    session.commit()
    made = []
    for number in ("D-1", "D-2"):
        invoice = Invoice(number=number, client_id=client.id, status="partially_paid",
                          issue_date=date(2026, 11, 1), total_minor=9000, paid_minor=3000)
        session.add(invoice)
        session.commit()
        made.append(invoice)
    mine, other = made
    # Positions out of insertion order; payments out of time order, one recorded by hand.
    for position, text in ((2, "Third"), (0, "First"), (1, "Second")):
        session.add(InvoiceLine(invoice_id=mine.id, position=position, description=text,
                                quantity_hundredths=150, unit_price_minor=2000,
                                amount_minor=3000))
    session.add(InvoiceLine(invoice_id=other.id, position=0, description="Not mine"))
    paid = [("R-2", datetime(2026, 11, 20, 15, 30, tzinfo=UTC), "stripe", "card", 2000),
            ("R-1", datetime(2026, 11, 3, 12, 0, tzinfo=UTC), "offline", "cash", 1000),
            ("R-9", datetime(2026, 11, 4, 12, 0, tzinfo=UTC), "offline", "cash", 500)]
    for receipt, at, provider, method, amount in paid:
        session.add(Payment(invoice_id=mine.id if receipt != "R-9" else other.id,
                            client_id=client.id, receipt_number=receipt, amount_minor=amount,
                            currency="USD", method=method, provider=provider, paid_at=at))
    session.commit()
    return mine


def _both_ways(engine, session, invoice_id):
    got = []
    sql = statements_of(engine, lambda: got.append(invoice_details.lines_and_payments(
        session, invoice_id=invoice_id)))
    lines, paid = got[0]
    old_lines = invoices.invoice_lines(session, invoice_id=invoice_id)
    old_paid = payments.invoice_payments(session, invoice_id=invoice_id)
    return sql, lines, paid, old_lines, old_paid


def _check(engine, session):
    invoice = _world(session)
    sql, lines, paid, old_lines, old_paid = _both_ways(engine, session, invoice.id)
    assert len(sql) == 1
    assert [ln.description for ln in lines] == ["First", "Second", "Third"]
    assert lines == [(ln.description, ln.quantity_hundredths, ln.unit_price_minor,
                      ln.amount_minor) for ln in old_lines]
    assert [p.receipt_number for p in paid] == ["R-1", "R-2"]
    assert paid == [(p.id, p.receipt_number, p.amount_minor, p.currency, p.method, p.provider,
                     p.paid_at) for p in old_paid]
    assert paid[1].paid_at == datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    assert invoice_details.lines_and_payments(session, invoice_id=0) == ([], [])


def test_lines_and_payments_in_one_statement_as_the_two_reads(engine, session):
    _check(engine, session)


def test_lines_and_payments_on_postgresql(pg_url):
    from sqlmodel import Session, SQLModel

    from portal_app.db import make_engine

    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        _check(engine, session)
    engine.dispose()
