"""Superbill requests, one-action issue and the monthly run: one open request per
client and range, staff told, nothing issued with data missing, ownership of ids,
and a monthly run that is idempotent across reruns."""

from datetime import date

import pytest
from sqlmodel import select

from models import (
    AuditEvent,
    BillingDocumentSend,
    Notification,
    OutboxMessage,
    Superbill,
    SuperbillStatus,
)
from portal_app.services.billing.superbills import monthly
from portal_app.services.billing.superbills import requests as sb
from portal_app.services.billing.superbills.ranges import pick_range
from portal_app.services.errors import NotFound, ServiceError
from tests import factories
from tests.unit import superbill_helpers as h

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
BASE = "https://portal.test"


@pytest.fixture
def world(session):
    business, staff, service, account, client = h.ready_world(session)
    h.diagnosis(session, client, "F41.1", date(2026, 1, 1))
    h.booking(session, client, service, staff, h.utc(2026, 3, 10))
    session.commit()
    return business, staff, service, account, client


def _emails(session, template):
    return session.exec(select(OutboxMessage).where(OutboxMessage.template == template)).all()


def _ask(session, account, client, start=MARCH[0], end=MARCH[1], note="For my insurer"):
    return sb.request_superbill(session, account_id=account.id, client_id=client.id,
                                start=start, end=end, note=note, base_url=BASE)


def test_request_tells_staff_and_is_one_per_range(session, world):
    business, _staff, _service, account, client = world
    row = _ask(session, account, client)
    assert (row.status, row.source, row.note, row.requested_by_account_id) == (
        SuperbillStatus.REQUESTED, "client", "For my insurer", account.id)
    (mail,) = _emails(session, "superbill_requested")
    assert mail.to == business.contact_email
    assert client.full_name in mail.body_text and "For my insurer" in mail.body_text
    assert "Mar 1, 2026" in mail.body_text
    assert session.exec(select(AuditEvent).where(
        AuditEvent.action == "superbill.requested")).one().client_id == client.id
    with pytest.raises(ServiceError, match="already asked"):
        _ask(session, account, client)
    _ask(session, account, client, date(2026, 2, 1), date(2026, 2, 28))  # another range
    assert len(session.exec(select(Superbill)).all()) == 2


def test_request_refused_when_superbills_are_off(session, world):
    business, _staff, _service, account, client = world
    business.superbills_enabled = False
    session.add(business)
    with pytest.raises(ServiceError, match="not offered"):
        _ask(session, account, client)
    assert session.exec(select(Superbill)).all() == []


def test_session_range_is_the_clients_own_booking(session, world):
    _b, staff, service, _account, client = world
    other = factories.client(session)
    theirs = h.booking(session, other, service, staff, h.utc(2026, 3, 11))
    with pytest.raises(ServiceError) as exc:
        pick_range(session, client_id=client.id, zone=h.ZONE, choice="session",
                   booking_id=theirs.id)
    assert exc.value.field == "booking"
    own = h.booking(session, client, service, staff, h.utc(2026, 3, 12, 2))  # Mar 11 Chicago
    assert pick_range(session, client_id=client.id, zone=h.ZONE, choice="session",
                      booking_id=str(own.id)) == (date(2026, 3, 11), date(2026, 3, 11))
    assert pick_range(session, client_id=client.id, zone=h.ZONE, choice="last_month",
                      today=date(2026, 4, 2)) == MARCH
    with pytest.raises(ServiceError) as exc:
        pick_range(session, client_id=client.id, zone=h.ZONE, choice="custom",
                   start="2026-03-31", end="2026-03-01")
    assert exc.value.field == "start"


def test_produce_with_missing_data_changes_nothing(session, world):
    _b, staff, _service, account, client = world
    request = _ask(session, account, client)
    client.insurance_member_id = ""
    session.add(client)
    produced = sb.produce_superbill(session, staff_id=staff.id, client_id=client.id,
                                    start=MARCH[0], end=MARCH[1], base_url=BASE,
                                    now=h.utc(2026, 4, 2))
    assert produced.superbill is None
    assert [p.text() for p in produced.problems] == ["The client has no insurance member ID"]
    session.refresh(request)
    assert request.status == SuperbillStatus.REQUESTED and request.issued_at is None
    assert session.exec(select(Notification)).all() == []


def test_produce_issues_the_open_request_and_tells_the_client(session, world):
    _b, staff, _service, account, client = world
    request = _ask(session, account, client)
    produced = sb.produce_request(session, staff_id=staff.id, superbill_id=str(request.id),
                                  client_id=client.id, base_url=BASE, now=h.utc(2026, 4, 2))
    assert produced.superbill.id == request.id
    assert (request.status, request.issued_by_staff_id) == (SuperbillStatus.ISSUED, staff.id)
    assert request.issued_at is not None
    (note,) = session.exec(select(Notification)).all()
    assert (note.client_id, note.link) == (client.id, "/payments/superbills")
    assert note.title == "Your superbill for Mar 1, 2026 – Mar 31, 2026 is ready"
    assert sb.get_issued_for(session, client_ids=[client.id],
                             superbill_id=request.id).id == request.id
    with pytest.raises(NotFound):  # issued already: no longer open
        sb.produce_request(session, staff_id=staff.id, superbill_id=request.id, base_url=BASE)


def test_ids_of_another_client_are_not_found(session, world):
    _b, staff, _service, account, client = world
    request = _ask(session, account, client)
    other = factories.client(session)
    with pytest.raises(NotFound):
        sb.produce_request(session, staff_id=staff.id, superbill_id=request.id,
                           client_id=other.id, base_url=BASE)
    with pytest.raises(NotFound):  # requested, not issued
        sb.get_issued_for(session, client_ids=[client.id], superbill_id=request.id)
    sb.produce_request(session, staff_id=staff.id, superbill_id=request.id, base_url=BASE,
                       now=h.utc(2026, 4, 2))
    with pytest.raises(NotFound):  # issued, but not one of these records'
        sb.get_issued_for(session, client_ids=[other.id], superbill_id=request.id)
    for bad in ("x", -1, True, None, request.id + 1):
        with pytest.raises(NotFound):
            sb.get_issued_for(session, client_ids=[client.id], superbill_id=bad)


# --- monthly -------------------------------------------------------------------------------


def test_monthly_period_waits_for_the_day_in_the_business_zone(session, world):
    business, *_ = world
    business.superbill_auto_day = 5
    session.add(business)
    assert monthly.monthly_period(session, now=h.utc(2026, 4, 4, 12)) is None
    # 03:00 UTC on the 6th is still the 5th in Chicago: the day has come.
    assert monthly.monthly_period(session, now=h.utc(2026, 4, 5, 6)) == MARCH
    business.superbill_auto_day = 0
    assert monthly.monthly_period(session, now=h.utc(2026, 4, 20)) is None


def _run(session, client, now=None):
    return monthly.run_monthly_for(session, client_id=client.id, start=MARCH[0], end=MARCH[1],
                                   base_url=BASE, now=now or h.utc(2026, 4, 5, 18))


def test_monthly_issues_once_and_emails_a_link(session, world):
    _b, _staff, _service, account, client = world
    assert monthly.clients_with_sessions(session, start=MARCH[0], end=MARCH[1],
                                         now=h.utc(2026, 4, 5)) == [client.id]
    assert _run(session, client) == monthly.ISSUED
    session.commit()
    assert _run(session, client) == monthly.DONE
    session.commit()
    (row,) = session.exec(select(Superbill)).all()
    assert (row.status, row.source, row.issued_by_staff_id) == (
        SuperbillStatus.ISSUED, "monthly", None)
    (mail,) = _emails(session, "superbill_ready")
    assert mail.to == account.email and f"{BASE}/payments/superbills" in mail.body_text
    (send,) = session.exec(select(BillingDocumentSend)).all()
    assert (send.dedupe_key, send.outbox_id, send.kind) == (
        f"superbill:{client.id}:2026-03-01:monthly", mail.id, "superbill")


def test_monthly_without_email_consent_issues_but_sends_nothing(session, world):
    _b, _staff, _service, _account, client = world
    client.email_ok = False
    session.add(client)
    assert _run(session, client) == monthly.ISSUED
    assert _emails(session, "superbill_ready") == []
    assert session.exec(select(BillingDocumentSend)).one().outbox_id is None


def test_monthly_holds_a_superbill_with_missing_data_and_tells_staff(session, world):
    business, _staff, service, account, client = world
    service.cpt_code = ""
    session.add(service)
    request = _ask(session, account, client)  # the client's open request for March
    assert _run(session, client) == monthly.HELD
    assert _run(session, client) == monthly.DONE
    session.refresh(request)
    assert request.status == SuperbillStatus.HELD
    assert len(session.exec(select(Superbill)).all()) == 1
    (mail,) = _emails(session, "superbill_held")
    assert mail.to == business.contact_email
    assert f"Service '{service.name}' has no CPT code" in mail.body_text
    assert _emails(session, "superbill_ready") == []


def test_monthly_job_is_idempotent_across_reruns(session, world, monkeypatch):
    from portal_app import jobs

    business, _staff, service, _account, client = world
    business.superbill_auto_day = 3
    session.add(business)
    session.commit()
    now = h.utc(2026, 4, 3, 18)
    assert jobs.superbills_once(now) == {"issued": 1, "held": 0, "done": 0}
    assert jobs.superbills_once(now) == {"issued": 0, "held": 0, "done": 1}
    session.expire_all()
    assert len(session.exec(select(Superbill)).all()) == 1
    assert len(_emails(session, "superbill_ready")) == 1
    assert jobs.superbills_once(h.utc(2026, 4, 2, 18)) == {"issued": 0, "held": 0, "done": 0}
