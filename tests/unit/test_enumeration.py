"""Nobody can tell from a reply, the work done or its timing whether an email is a client."""

import pytest
from sqlmodel import select

from models import OneTimeCode, OutboxMessage
from portal_app.db import session_scope
from portal_app.services import client_auth
from portal_app.services.crypto import hash_password
from portal_app.services.errors import ServiceError
from tests import factories
from tests.unit.helpers import NOW, SECRET, count, median, timed

UNKNOWN = "nobody.here@example.test"
PASSWORD = "a long enough password"


def _work(session):
    return count(session, OneTimeCode), count(session, OutboxMessage)


def _compare(session, call, known: str, unknown: str):
    """Run `call` for both emails; return {label: (value, new code rows, new outbox rows)}."""
    seen = {}
    for label, email in (("known", known), ("unknown", unknown)):
        codes_before, messages_before = _work(session)
        value = call(f"  {email.upper()} ")
        codes_after, messages_after = _work(session)
        seen[label] = (value, codes_after - codes_before, messages_after - messages_before)
    return seen


@pytest.fixture
def known(session):
    factories.business(session)
    account, _ = factories.household(session)
    session.commit()
    return account


def test_request_sign_in_code_same_reply_and_work_for_known_and_unknown_email(session, known):
    seen = _compare(
        session,
        lambda email: client_auth.request_sign_in_code(session, email=email, secret_key=SECRET,
                                                       sms_enabled=False, now=NOW),
        known.email, UNKNOWN,
    )

    assert seen["known"] == (known.email, 1, 1)
    assert seen["unknown"] == (UNKNOWN, 1, 1)
    channels = session.exec(select(OutboxMessage.channel, OutboxMessage.to)).all()
    assert sorted(channels) == sorted([("email", known.email), ("email", UNKNOWN)])


def test_request_password_reset_same_reply_and_work_for_known_and_unknown_email(session, known):
    seen = _compare(
        session,
        lambda email: client_auth.request_password_reset(session, email=email, secret_key=SECRET,
                                                         now=NOW),
        known.email, UNKNOWN,
    )

    assert seen["known"] == (known.email, 1, 1)
    assert seen["unknown"] == (UNKNOWN, 1, 1)


def test_start_registration_same_reply_and_work_for_existing_and_new_email(session, known):
    seen = _compare(
        session,
        lambda email: client_auth.start_registration(session, full_name="Pat Doe", email=email,
                                                     password=PASSWORD, secret_key=SECRET,
                                                     now=NOW),
        known.email, UNKNOWN,
    )

    assert seen["known"] == (known.email, 1, 1)
    assert seen["unknown"] == (UNKNOWN, 1, 1)


@pytest.mark.timing
def test_request_sign_in_code_timing_same_for_known_and_unknown_email(session):
    factories.business(session)
    rounds = 30
    known = [factories.household(session)[0].email for _ in range(rounds + 1)]
    session.commit()
    unknown = [f"ghost{i}@example.test" for i in range(rounds + 1)]

    def call(email, ip):
        def run():
            with session_scope() as s:
                client_auth.request_sign_in_code(s, email=email, secret_key=SECRET,
                                                 sms_enabled=False, ip=ip, now=NOW)
        return run

    # Warm up both paths (template compilation, statement caches).
    timed(call(known[-1], "192.0.2.250"))
    timed(call(unknown[-1], "192.0.2.251"))
    known_times, unknown_times = [], []
    for i in range(rounds):
        known_times.append(timed(call(known[i], f"198.51.100.{i}")))
        unknown_times.append(timed(call(unknown[i], f"203.0.113.{i}")))

    ratio = median(known_times) / median(unknown_times)
    assert 0.5 <= ratio <= 2.0, (median(known_times), median(unknown_times))
    assert count(session, OutboxMessage) == 2 * (rounds + 1)


@pytest.mark.timing
@pytest.mark.real_bcrypt
def test_start_registration_timing_same_for_existing_and_new_email(session):
    """A new email costs a bcrypt hash of the chosen password; an existing one must too."""
    factories.business(session)
    rounds = 4
    existing = [factories.household(session)[0].email for _ in range(rounds)]
    session.commit()
    new = [f"newcomer{i}@example.test" for i in range(rounds)]

    def call(email, ip):
        def run():
            with session_scope() as s:
                client_auth.start_registration(s, full_name="Pat Doe", email=email,
                                               password=PASSWORD, secret_key=SECRET, ip=ip,
                                               now=NOW)
        return run

    existing_times, new_times = [], []
    for i in range(rounds):
        existing_times.append(timed(call(existing[i], f"198.51.100.{i}")))
        new_times.append(timed(call(new[i], f"203.0.113.{i}")))

    ratio = median(existing_times) / median(new_times)
    assert 0.5 <= ratio <= 2.0, (median(existing_times), median(new_times))


def test_password_sign_in_same_error_for_wrong_password_and_unknown_email(session):
    factories.business(session)
    account, _ = factories.household(session, password_hash=hash_password(PASSWORD))
    session.commit()

    errors = []
    for email in (account.email, UNKNOWN):
        with pytest.raises(ServiceError) as refused:
            client_auth.sign_in_with_password(session, email=email, password="not the password",
                                              now=NOW)
        errors.append((type(refused.value), refused.value.message, refused.value.field))

    assert errors[0] == errors[1]
    assert errors[0][1] == client_auth.BAD_LOGIN


@pytest.mark.timing
@pytest.mark.real_bcrypt
def test_password_sign_in_unknown_email_costs_a_bcrypt_check(session):
    factories.business(session)
    account, _ = factories.household(session, password_hash=hash_password(PASSWORD))
    session.commit()
    rounds = 5

    def attempt(email, ip):
        def run():
            with pytest.raises(ServiceError), session_scope() as s:
                client_auth.sign_in_with_password(s, email=email, password="wrong password!",
                                                  ip=ip, now=NOW)
        return run

    known_times, unknown_times = [], []
    for i in range(rounds):
        known_times.append(timed(attempt(account.email, f"198.51.100.{i}")))
        unknown_times.append(timed(attempt(f"ghost{i}@example.test", f"203.0.113.{i}")))

    assert median(unknown_times) >= 0.5 * median(known_times), (known_times, unknown_times)
