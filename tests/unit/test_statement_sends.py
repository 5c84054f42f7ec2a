"""Statement e-mails: who had activity in a month (on the business's calendar), the
bulk send (consent, no address, claimed once), one client's send, the monthly job
(before, on and after its day; off), and constant queries however many clients."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from models import AuditEvent, BillingDocumentSend, Business, OutboxMessage
from portal_app.jobs import remind_once, send_monthly_statements
from portal_app.services.billing import statement_sends as sends
from portal_app.services.billing.statements import statement
from portal_app.services.errors import ServiceError
from tests import factories
from tests.sql import statements_of
from tests.unit import statement_helpers as h

ZONE = "America/Chicago"  # CST (UTC−6) from Nov 1, 2026
NOV = date(2026, 11, 1)


@pytest.fixture
def world(session):
    factories.business(session, timezone=ZONE, currency="USD", name="Sol Studio")
    staff = factories.staff(session)
    session.commit()
    return staff


def _mails(session, template=sends.TEMPLATE) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.template == template)
                             .order_by(OutboxMessage.id)).all())


def _sends(session) -> list[BillingDocumentSend]:
    session.expire_all()
    return list(session.exec(select(BillingDocumentSend).order_by(BillingDocumentSend.id)).all())


# --- who had activity -------------------------------------------------------------------------


def test_activity_is_read_on_the_business_calendar_at_the_month_edges(session, world):
    c = {name: factories.client(session, full_name=name) for name in (
        "late-pay", "early-pay", "issued-last-day", "issued-next-month", "draft", "refund-edge",
        "voided", "voided-after", "offline-last-day", "offline-next", "nothing")}
    old = date(2026, 10, 10)
    # 03:00 UTC on Dec 1 is 21:00 CST on Nov 30: November.
    h.pay(session, h.invoice(session, c["late-pay"], total=100, issued=old), 100,
          at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    # 04:00 UTC on Nov 1 is 23:00 CDT on Oct 31: October.
    h.pay(session, h.invoice(session, c["early-pay"], total=100, issued=old), 100,
          at=datetime(2026, 11, 1, 4, 0, tzinfo=UTC))
    h.invoice(session, c["issued-last-day"], total=100, issued=date(2026, 11, 30))
    h.invoice(session, c["issued-next-month"], total=100, issued=date(2026, 12, 1))
    draft = h.invoice(session, c["draft"], total=100, issued=date(2026, 11, 10))
    draft.status, draft.sent_at = "draft", None
    paid = h.pay(session, h.invoice(session, c["refund-edge"], total=100, issued=old), 100,
                 at=datetime(2026, 10, 20, 15, tzinfo=UTC))
    h.refund(session, paid, 40, at=datetime(2026, 12, 1, 5, 59, tzinfo=UTC))  # 23:59 CST
    h.void(session, h.invoice(session, c["voided"], total=100, issued=old),
           at=datetime(2026, 11, 15, 12, tzinfo=UTC), staff_id=world.id)
    h.void(session, h.invoice(session, c["voided-after"], total=100, issued=old),
           at=datetime(2026, 12, 1, 6, 1, tzinfo=UTC), staff_id=world.id)  # 00:01 CST Dec 1
    h.pay(session, h.invoice(session, c["offline-last-day"], total=100, issued=old), 100,
          on=date(2026, 11, 30))
    h.pay(session, h.invoice(session, c["offline-next"], total=100, issued=old), 100,
          on=date(2026, 12, 1))
    session.commit()

    active = sends.clients_with_activity(session, start=NOV, end=date(2026, 11, 30), zone=ZONE)

    names = {name for name, client in c.items() if client.id in active}
    assert names == {"late-pay", "issued-last-day", "refund-edge", "voided", "offline-last-day"}
    # The same answer as the statements themselves, client by client.
    for client in c.values():
        st = statement(session, client_id=client.id, start=NOV, end=date(2026, 11, 30), zone=ZONE)
        assert st.has_activity == (client.id in active), client.full_name


def test_activity_is_read_in_three_statements_for_any_number_of_clients(engine, session, world):
    for n in range(12):
        client = factories.client(session)
        inv = h.invoice(session, client, total=100, issued=date(2026, 11, 1 + n))
        h.pay(session, inv, 50, at=datetime(2026, 11, 2 + n, 15, tzinfo=UTC))
    session.commit()
    sent = statements_of(engine, lambda: sends.clients_with_activity(
        session, start=NOV, end=date(2026, 11, 30), zone=ZONE))
    assert len(sent) == 3


# --- the bulk send ----------------------------------------------------------------------------


def _active(session, **fields):
    client = factories.client(session, **fields)
    h.invoice(session, client, total=9_500, issued=date(2026, 11, 12))
    return client


def test_bulk_send_skips_no_consent_and_no_address_and_never_sends_twice(session, world):
    ana = _active(session, full_name="Ana Ruiz", language="es")
    ben = _active(session, full_name="Ben Lee")
    _active(session, full_name="No Consent", email_ok=False)
    _active(session, full_name="No Address", email="")
    factories.client(session, full_name="Quiet")  # no activity in November
    session.commit()

    first = sends.send_month(session, period_start=NOV, trigger=sends.BULK,
                             base_url="https://portal.test", staff_id=world.id)
    session.commit()
    again = sends.send_month(session, period_start=NOV, trigger=sends.BULK,
                             base_url="https://portal.test", staff_id=world.id)
    session.commit()

    assert (first.sent, first.no_consent, first.no_email, first.already) == (2, 1, 1, 0)
    assert (again.sent, again.no_consent, again.no_email, again.already) == (0, 1, 1, 2)
    mails = _mails(session)
    assert [m.to for m in mails] == [ana.email, ben.email]
    spanish, english = mails
    assert spanish.subject == "Tu estado de cuenta de Sol Studio: 1 nov 2026 – 30 nov 2026"
    assert "Saldo final:\n  95,00\xa0US$" in spanish.body_text
    assert ("https://portal.test/payments/statements?start=2026-11-01&end=2026-11-30"
            in english.body_text)
    assert "Closing balance:\n  $95.00" in english.body_text
    assert "not attached" in english.body_text and not english.attachments
    rows = _sends(session)
    assert [(r.client_id, r.trigger, r.dedupe_key, r.period_end) for r in rows] == [
        (ana.id, "bulk", f"statement:{ana.id}:2026-11-01:bulk", date(2026, 11, 30)),
        (ben.id, "bulk", f"statement:{ben.id}:2026-11-01:bulk", date(2026, 11, 30))]
    assert [r.outbox_id for r in rows] == [m.id for m in mails]
    audits = session.exec(select(AuditEvent).where(AuditEvent.action == "statement.sent")).all()
    assert sorted(a.client_id for a in audits) == [ana.id, ben.id]


def test_a_claim_taken_by_another_run_is_not_sent_again(session, world):
    """Two runs that planned at the same moment: the second one's claims fail."""
    ana = _active(session)
    session.commit()
    plan_a = sends.plan_month(session, period_start=NOV)
    plan_b = sends.plan_month(session, period_start=NOV)
    assert [r.client_id for r in plan_b.recipients] == [ana.id]
    outcome_a = sends.send_one_of_month(session, plan=plan_a, recipient=plan_a.recipients[0],
                                        trigger=sends.BULK, base_url="https://p.test")
    outcome_b = sends.send_one_of_month(session, plan=plan_b, recipient=plan_b.recipients[0],
                                        trigger=sends.BULK, base_url="https://p.test")
    session.commit()
    assert (outcome_a, outcome_b) == ("sent", "already")
    assert len(_mails(session)) == 1


def test_a_shared_address_without_consent_is_withheld_and_not_claimed(session, world):
    """Another record at the same address declined e-mail: the outbox holds it back,
    and the claim is given up (a later run sends it once consent is given)."""
    _active(session, email="shared@example.test")
    factories.client(session, email="shared@example.test", email_ok=False)
    session.commit()
    report = sends.send_month(session, period_start=NOV, trigger=sends.BULK,
                              base_url="https://p.test")
    session.commit()
    assert (report.sent, report.no_consent) == (0, 1)
    assert _mails(session) == [] and _sends(session) == []


def test_bulk_send_queries_grow_by_a_constant_per_client(engine, world):
    """Planning is six statements at any size; each client's send a fixed few more."""
    with Session(engine, expire_on_commit=False) as s:
        for _ in range(3):
            _active(s)  # November
        for _ in range(6):
            c = factories.client(s)
            h.invoice(s, c, total=100, issued=date(2026, 10, 5))  # October
        s.commit()

    def measure(fn):
        with Session(engine, expire_on_commit=False) as s:
            count = len(statements_of(engine, lambda: fn(s)))
            s.rollback()
        return count

    plan_nov = measure(lambda s: sends.plan_month(s, period_start=NOV))
    plan_oct = measure(lambda s: sends.plan_month(s, period_start=date(2026, 10, 1)))
    send_nov = measure(lambda s: sends.send_month(s, period_start=NOV, trigger="bulk",
                                                  base_url="https://p.test"))
    send_oct = measure(lambda s: sends.send_month(s, period_start=date(2026, 10, 1),
                                                  trigger="bulk", base_url="https://p.test"))
    assert plan_nov == plan_oct == 6
    per_client = (send_nov - plan_nov) / 3
    assert per_client == (send_oct - plan_oct) / 6
    assert per_client <= 10


# --- one client ---------------------------------------------------------------------------


def test_one_client_send_is_recorded_and_a_withheld_one_is_not(session, world):
    ana = _active(session)
    off = _active(session, email_ok=False)
    nobody = factories.client(session, email="")
    session.commit()
    done = sends.send_statement(session, staff_id=world.id, client_id=str(ana.id),
                                start=date(2026, 11, 10), end=date(2026, 11, 20),
                                base_url="https://p.test")
    held = sends.send_statement(session, staff_id=world.id, client_id=off.id,
                                start=NOV, end=date(2026, 11, 30), base_url="https://p.test")
    with pytest.raises(ServiceError, match="no email address"):
        sends.send_statement(session, staff_id=world.id, client_id=nobody.id, start=NOV,
                             end=date(2026, 11, 30), base_url="https://p.test")
    session.commit()
    assert (done.queued, done.to, held.queued) == (True, ana.email, False)
    (mail,) = _mails(session)
    assert "Nov 10, 2026 – Nov 20, 2026" in mail.subject
    assert "start=2026-11-10&end=2026-11-20" in mail.body_text
    (row,) = _sends(session)
    assert (row.client_id, row.trigger, row.dedupe_key, row.sent_by_staff_id, row.outbox_id) == (
        ana.id, "staff", None, world.id, mail.id)
    actions = [(a.action, a.client_id) for a in session.exec(
        select(AuditEvent).where(AuditEvent.action.in_(["statement.sent", "email.blocked"]))
        .order_by(AuditEvent.id)).all()]
    assert actions == [("statement.sent", ana.id), ("email.blocked", off.id)]


def test_one_client_send_checks_the_client(session, world):
    with pytest.raises(ServiceError):
        sends.send_statement(session, staff_id=world.id, client_id="999", start=NOV,
                             end=date(2026, 11, 30), base_url="https://p.test")


# --- the monthly job ----------------------------------------------------------------------


def _auto_day(session, day):
    business = session.get(Business, 1)
    business.statement_auto_day = day
    session.add(business)
    session.commit()


def test_monthly_job_waits_for_its_day_in_the_business_zone_and_sends_once(session, world):
    ana = _active(session)
    _active(session, email_ok=False)
    _auto_day(session, 5)
    # 05:30 UTC on Dec 5 is still Dec 4 in Chicago.
    assert send_monthly_statements(datetime(2026, 12, 5, 5, 30, tzinfo=UTC)) == 0
    assert _mails(session) == []
    assert send_monthly_statements(datetime(2026, 12, 5, 6, 30, tzinfo=UTC)) == 1
    assert send_monthly_statements(datetime(2026, 12, 5, 7, 0, tzinfo=UTC)) == 0  # next pass
    assert send_monthly_statements(datetime(2026, 12, 20, 12, tzinfo=UTC)) == 0  # later on
    (mail,) = _mails(session)
    assert mail.to == ana.email and "Nov 1, 2026 – Nov 30, 2026" in mail.subject
    (row,) = _sends(session)
    assert (row.trigger, row.dedupe_key, row.sent_by_staff_id) == (
        "monthly", f"statement:{ana.id}:2026-11-01:monthly", None)


def test_monthly_job_is_off_on_day_zero(session, world):
    _active(session)
    _auto_day(session, 0)
    assert send_monthly_statements(datetime(2026, 12, 28, 12, tzinfo=UTC)) == 0
    assert _mails(session) == []


def test_monthly_job_skips_clients_a_bulk_send_reached(session, world):
    ana = _active(session)
    ben = _active(session)
    sends.claim_send(session, client_id=ana.id, kind="statement", period_start=NOV,
                     period_end=date(2026, 11, 30), trigger="bulk",
                     key=sends.dedupe_key(ana.id, NOV, "bulk"))
    _auto_day(session, 1)
    assert send_monthly_statements(datetime(2026, 12, 1, 18, tzinfo=UTC)) == 1
    assert [m.to for m in _mails(session)] == [ben.email]


def test_monthly_period_is_last_month_from_the_day_on():
    business = Business(name="x", timezone=ZONE, statement_auto_day=28)
    assert sends.monthly_period_due(business, today=date(2027, 1, 27)) is None
    assert sends.monthly_period_due(business, today=date(2027, 1, 28)) == date(2026, 12, 1)
    assert sends.monthly_period_due(business, today=date(2027, 1, 31)) == date(2026, 12, 1)
    business.statement_auto_day = 0
    assert sends.monthly_period_due(business, today=date(2027, 1, 31)) is None


@pytest.mark.parametrize("raw", ["29", "-1", "x", "", None, "3.5"])
def test_a_bad_auto_day_is_refused_beside_the_field(session, world, raw):
    with pytest.raises(ServiceError) as caught:
        sends.set_statement_auto_day(session, staff_id=world.id, day=raw)
    assert caught.value.field == "statement_auto_day"
    assert session.get(Business, 1).statement_auto_day == 0


def test_the_auto_day_is_saved_and_audited(session, world):
    assert sends.set_statement_auto_day(session, staff_id=world.id, day="12") == 12
    session.commit()
    assert session.get(Business, 1).statement_auto_day == 12
    audit = session.exec(select(AuditEvent).where(
        AuditEvent.action == "settings.statement_auto_day")).one()
    assert audit.detail == {"day": 12}


def test_months_and_their_parsing():
    assert sends.recent_months(date(2027, 2, 14), 3) == [
        date(2027, 2, 1), date(2027, 1, 1), date(2026, 12, 1)]
    assert sends.parse_month("2026-11") == NOV
    for bad in ("2026-13", "nov", "", None):
        with pytest.raises(ServiceError):
            sends.parse_month(bad)


def test_the_reminder_pass_sends_the_monthly_statements(session, world):
    ana = _active(session)
    _auto_day(session, 3)
    remind_once(now=datetime(2026, 12, 3, 18, tzinfo=UTC))
    remind_once(now=datetime(2026, 12, 3, 19, tzinfo=UTC))
    assert [m.to for m in _mails(session)] == [ana.email]
