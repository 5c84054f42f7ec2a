"""The reminder job also reminds of open forms: the service once per pass, under the
reminder job's lock, and a second pass the same day sends nothing."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models import FormRequest, OutboxMessage
from portal_app import jobs
from portal_app.jobs import remind_once
from tests.unit.forms_helpers import send, setup

NOW = datetime.now(UTC).replace(microsecond=0)


def _form_reminders(session, to: str) -> list[OutboxMessage]:
    session.expire_all()
    return [m for m in session.exec(select(OutboxMessage).where(OutboxMessage.to == to)).all()
            if m.idempotency_key.startswith("forms-reminder-")]


def test_the_job_reminds_of_open_forms_once_a_day(engine, session):
    staff, account, (alex,), template = setup(session)
    request = send(session, staff, alex, template, now=NOW - timedelta(days=2))
    session.commit()

    remind_once(now=NOW)
    remind_once(now=NOW + timedelta(hours=3))  # a second pass the same day

    assert len(_form_reminders(session, account.email)) == 1
    assert session.get(FormRequest, request.id).reminder_count == 1
    remind_once(now=NOW + timedelta(days=1, minutes=1))
    assert len(_form_reminders(session, account.email)) == 2


def test_each_pass_calls_the_form_reminders_once_and_not_without_the_lock(
        engine, session, monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "send_form_reminders",
                        lambda session, *, base_url, now: calls.append(now) or 0)

    remind_once(now=NOW)
    remind_once(now=NOW + timedelta(minutes=1))
    assert calls == [NOW, NOW + timedelta(minutes=1)]

    with jobs.job_lock(jobs.get_engine(), jobs.REMINDER_JOB) as held:
        assert held
        assert remind_once(now=NOW) == 0  # another worker holds the job: skipped
    assert len(calls) == 2
