"""Reminders of open forms: one email a day per client at most, none for a form
under a day old or completed, and staff's "send again" under the same rule."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import FormRequest, OutboxMessage
from portal_app.services.errors import ServiceError
from portal_app.services.forms.reminders import remind_request, send_reminders
from portal_app.services.forms.submit import submit_form
from portal_app.services.forms.templates import create_template
from tests.unit.forms_helpers import BASE_URL, NOW, send, setup

DAY = timedelta(days=1)


def mails(session, to):
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.to == to)
                             .order_by(OutboxMessage.id)).all())


def test_one_reminder_a_day_listing_every_open_form_until_done(session):
    staff, account, (alex,), intake = setup(session)
    other = create_template(session, staff_id=staff.id, title="Policies",
                            fields=[{"kind": "yes_no", "key": "ok", "label": "OK?"}])
    first = send(session, staff, alex, intake)
    second = send(session, staff, alex, other)

    assert send_reminders(session, base_url=BASE_URL, now=NOW + timedelta(hours=23)) == 0
    assert send_reminders(session, base_url=BASE_URL, now=NOW + DAY) == 1
    assert send_reminders(session, base_url=BASE_URL, now=NOW + DAY + timedelta(hours=5)) == 0
    reminder = mails(session, account.email)[-1]
    assert reminder.subject.startswith("Reminder: 2 forms")
    assert "Intake" in reminder.body_text and "Policies" in reminder.body_text
    submit_form(session, client_id=alex.id, request_id=second.id, account_id=account.id,
                email=account.email, ip="", user_agent="", consent_version=None,
                now=NOW + DAY, answers={"ok": "yes"})

    assert send_reminders(session, base_url=BASE_URL, now=NOW + 2 * DAY) == 1
    assert "Policies" not in mails(session, account.email)[-1].body_text
    assert session.get(FormRequest, first.id).reminder_count == 2


def test_staff_send_again_respects_the_once_a_day_rule(session):
    staff, account, (alex,), intake = setup(session)
    request = send(session, staff, alex, intake)

    remind_request(session, staff_id=staff.id, request_id=request.id, base_url=BASE_URL,
                   now=NOW + timedelta(hours=1))
    with pytest.raises(ServiceError):
        remind_request(session, staff_id=staff.id, request_id=request.id, base_url=BASE_URL,
                       now=NOW + timedelta(hours=2))
    assert send_reminders(session, base_url=BASE_URL, now=NOW + DAY) == 0
    assert len(mails(session, account.email)) == 2  # the request, then one reminder
