"""Six-digit sign-in codes: issue, check, expire, lock, retire, rate-limit, use once."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, select

from models import Business, Client, CodePurpose, OneTimeCode, OutboxMessage, PortalAccess
from portal_app.db import make_engine, session_scope
from portal_app.services import client_auth, codes
from portal_app.services.crypto import code_hmac, new_code
from portal_app.services.errors import PortalClosed, RateLimited, ServiceError
from portal_app.services.sessions import SessionTimeouts, redeem_ticket
from tests import factories
from tests.unit.helpers import NOW, SECRET, code_sent_to, count

TIMEOUTS = SessionTimeouts(idle=timedelta(hours=2), absolute=timedelta(days=14))
SOON = NOW + timedelta(minutes=1)


def request_code(session, email, *, ip="", now=NOW, sms=False):
    return client_auth.request_sign_in_code(session, email=email, secret_key=SECRET,
                                            sms_enabled=sms, ip=ip, now=now)


def sign_in(session, email, code, *, now=SOON):
    return client_auth.sign_in_with_code(session, email=email, code=code, secret_key=SECRET,
                                         now=now)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def invited(session):
    """A business and an invited one-person household; returns (account, client)."""
    factories.business(session)
    account, (client,) = factories.household(session)
    session.commit()
    return account, client


def test_sign_in_with_code_succeeds_with_right_code(session, invited):
    account, _ = invited
    request_code(session, account.email)
    code = code_sent_to(session, account.email)

    signed = sign_in(session, account.email, code)

    assert isinstance(signed, client_auth.SignedIn)
    assert signed.account_id == account.id
    assert signed.record_count == 1
    assert signed.ticket
    redeemed = redeem_ticket(session, raw_ticket=signed.ticket, timeouts=TIMEOUTS, now=SOON)
    assert redeemed is not None
    assert redeemed[1].account_id == account.id


def test_sign_in_with_code_activates_invited_records(session):
    factories.business(session)
    account, clients = factories.household(session, names=("Alex", "Sam"))
    disabled = Client(full_name="Old Record", email=account.email, account_id=account.id,
                      portal_access=PortalAccess.DISABLED)
    session.add(disabled)
    session.commit()
    request_code(session, account.email)

    signed = sign_in(session, account.email, code_sent_to(session, account.email))

    assert signed.record_count == 2
    for client in (*clients, disabled):
        session.refresh(client)
    assert [c.portal_access for c in clients] == [PortalAccess.ACTIVE, PortalAccess.ACTIVE]
    assert disabled.portal_access == PortalAccess.DISABLED
    session.refresh(account)
    assert account.email_verified_at == SOON


def test_sign_in_with_code_accepts_mixed_case_email_and_spaced_code(session, invited):
    account, _ = invited
    request_code(session, f"  {account.email.upper()} ")
    code = code_sent_to(session, account.email)

    signed = sign_in(session, account.email.upper(), f"{code[:3]} {code[3:]}")

    assert signed.account_id == account.id


@pytest.mark.parametrize("after", [codes.CODE_TTL, codes.CODE_TTL + timedelta(seconds=1)])
def test_sign_in_with_code_refused_when_code_expired(session, invited, after):
    account, _ = invited
    request_code(session, account.email)
    code = code_sent_to(session, account.email)

    with pytest.raises(ServiceError) as refused:
        sign_in(session, account.email, code, now=NOW + after)

    assert refused.value.field == "code"
    assert refused.value.message == codes.EXPIRED
    # The refusal was about time alone: just inside its lifetime the same code works.
    assert sign_in(session, account.email, code, now=NOW + codes.CODE_TTL - timedelta(seconds=1))


def test_sign_in_with_code_refused_on_second_use(session, invited):
    account, _ = invited
    request_code(session, account.email)
    code = code_sent_to(session, account.email)
    sign_in(session, account.email, code)
    session.commit()

    with pytest.raises(ServiceError) as refused:
        sign_in(session, account.email, code, now=SOON + timedelta(seconds=5))

    assert refused.value.message == codes.EXPIRED


def test_code_still_works_after_four_wrong_tries(session, invited):
    account, _ = invited
    request_code(session, account.email)
    session.commit()
    code = code_sent_to(session, account.email)
    for _ in range(codes.MAX_TRIES - 1):
        with pytest.raises(ServiceError), session_scope() as s:
            sign_in(s, account.email, other_code(code))

    with session_scope() as s:
        assert sign_in(s, account.email, code).account_id == account.id


def test_code_locked_after_five_wrong_tries_even_for_right_code(session, invited):
    """Each try runs in its own transaction, as in the app, where an error rolls back."""
    account, _ = invited
    request_code(session, account.email)
    session.commit()
    code = code_sent_to(session, account.email)
    messages = []
    for _ in range(codes.MAX_TRIES):
        with pytest.raises(ServiceError) as refused, session_scope() as s:
            sign_in(s, account.email, other_code(code))
        messages.append(refused.value.message)

    with pytest.raises(ServiceError) as refused, session_scope() as s:
        sign_in(s, account.email, code)

    assert messages == [codes.WRONG] * (codes.MAX_TRIES - 1) + [codes.LOCKED]
    assert refused.value.message == codes.LOCKED
    row = session.exec(select(OneTimeCode).where(OneTimeCode.email == account.email)).one()
    session.refresh(row)
    assert row.attempts == codes.MAX_TRIES
    assert row.used_at is None


def test_new_code_retires_previous_code(session, invited):
    account, _ = invited
    request_code(session, account.email)
    first = code_sent_to(session, account.email)
    request_code(session, account.email, now=NOW + timedelta(seconds=30))
    second = code_sent_to(session, account.email)
    session.commit()
    assert first != second

    with pytest.raises(ServiceError), session_scope() as s:
        sign_in(s, account.email, first)
    with session_scope() as s:
        assert sign_in(s, account.email, second).account_id == account.id

    rows = session.exec(select(OneTimeCode).order_by(OneTimeCode.id)).all()
    for row in rows:
        session.refresh(row)
    assert rows[0].used_at == NOW + timedelta(seconds=30)  # retired when the second was issued


def test_code_stored_only_as_hmac(session, invited):
    account, _ = invited
    request_code(session, account.email)
    code = code_sent_to(session, account.email)
    session.commit()

    row = session.execute(text("SELECT * FROM one_time_code")).mappings().one()

    assert row["code_hash"] == code_hmac(SECRET, code, salt=f"{CodePurpose.SIGN_IN}:{account.email}")
    assert all(code not in str(value) for value in row.values())


def test_codes_are_six_digits(session, invited):
    account, _ = invited
    request_code(session, account.email)

    assert re.fullmatch(r"\d{6}", code_sent_to(session, account.email))
    draws = [new_code() for _ in range(3000)]
    assert all(re.fullmatch(r"\d{6}", c) for c in draws)
    assert any(c.startswith("0") for c in draws)  # zero-padded, not shorter
    assert len(set(draws)) > 2900


def test_use_code_accepts_right_code_once(session):
    code = codes.issue_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                            email="a@example.test", now=NOW)

    first = codes.use_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                           email="a@example.test", code=code, now=SOON)
    second = codes.use_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                            email="a@example.test", code=code, now=SOON)

    assert first.ok and first.row is not None and first.row.used_at == SOON
    assert not second.ok and second.error == codes.EXPIRED


def test_use_code_refuses_code_for_another_purpose_or_email(session):
    code = codes.issue_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                            email="a@example.test", now=NOW)
    codes.issue_code(session, secret_key=SECRET, purpose=CodePurpose.RESET_PASSWORD,
                     email="a@example.test", now=NOW)
    codes.issue_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                     email="b@example.test", now=NOW)

    other_purpose = codes.use_code(session, secret_key=SECRET, purpose=CodePurpose.RESET_PASSWORD,
                                   email="a@example.test", code=code, now=SOON)
    other_email = codes.use_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                                 email="b@example.test", code=code, now=SOON)
    wrong_key = codes.use_code(session, secret_key=SECRET + "x", purpose=CodePurpose.SIGN_IN,
                               email="a@example.test", code=code, now=SOON)

    assert (other_purpose.ok, other_email.ok, wrong_key.ok) == (False, False, False)
    assert codes.use_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                          email="a@example.test", code=code, now=SOON).ok


def test_code_for_email_without_access_does_not_sign_in(session):
    factories.business(session)
    account, _ = factories.household(session, access=PortalAccess.NOT_INVITED)
    request_code(session, account.email)
    row = session.exec(select(OneTimeCode)).one()
    assert row.account_id is None
    # No code is mailed to an email without access; even the right one would not work.
    code = codes.issue_code(session, secret_key=SECRET, purpose=CodePurpose.SIGN_IN,
                            email=account.email, now=NOW)

    with pytest.raises(ServiceError):
        sign_in(session, account.email, code)


# --- rate limits -------------------------------------------------------------------------


def test_sixth_code_request_for_one_email_within_window_is_rate_limited(session, invited):
    account, _ = invited
    for i in range(client_auth.SENDS_PER_EMAIL):
        request_code(session, account.email, ip=f"198.51.100.{i}", now=NOW + timedelta(seconds=i))

    with pytest.raises(RateLimited) as limited:
        request_code(session, account.email, ip="198.51.100.99", now=NOW + timedelta(minutes=5))

    assert limited.value.message == client_auth.TOO_MANY_CODES
    # The window slides: once the first requests are 15 minutes old, codes flow again.
    later = NOW + client_auth.WINDOW + timedelta(seconds=client_auth.SENDS_PER_EMAIL)
    assert request_code(session, account.email, ip="198.51.100.99", now=later) == account.email


def test_twenty_first_code_request_from_one_ip_is_rate_limited(session):
    factories.business(session)
    ip = "203.0.113.7"
    for i in range(client_auth.SENDS_PER_IP):
        request_code(session, f"person{i}@example.test", ip=ip)

    with pytest.raises(RateLimited):
        request_code(session, "one-more@example.test", ip=ip)

    assert request_code(session, "one-more@example.test", ip="203.0.113.8")
    assert count(session, OneTimeCode) == client_auth.SENDS_PER_IP + 1


# --- portal switched off -----------------------------------------------------------------


def test_request_sign_in_code_refused_when_portal_closed(session):
    factories.business(session, portal_enabled=False)
    account, _ = factories.household(session)

    with pytest.raises(PortalClosed):
        request_code(session, account.email)

    assert count(session, OneTimeCode) == 0
    assert count(session, OutboxMessage) == 0


def test_sign_in_with_code_refused_when_portal_closed(session, invited):
    account, _ = invited
    request_code(session, account.email)
    code = code_sent_to(session, account.email)
    biz = session.exec(select(Business)).one()
    biz.portal_enabled = False
    session.add(biz)
    session.flush()

    with pytest.raises(PortalClosed):
        sign_in(session, account.email, code)


# --- channel ---------------------------------------------------------------------------------


def test_code_sent_by_sms_when_client_has_mobile_and_sms_enabled(session):
    factories.business(session)
    account, _ = factories.household(session, mobile="+15550001111")

    request_code(session, account.email, sms=True)

    message = session.exec(select(OutboxMessage)).one()
    assert message.channel == "sms"
    assert message.to == "+15550001111"
    assert re.search(r"\b\d{6}\b", message.body_text)


@pytest.mark.parametrize(("mobile", "sms"), [("+15550001111", False), ("", True), ("", False)])
def test_code_sent_by_email_without_mobile_or_sms(session, mobile, sms):
    factories.business(session)
    account, _ = factories.household(session, mobile=mobile)

    request_code(session, account.email, sms=sms)

    message = session.exec(select(OutboxMessage)).one()
    assert message.channel == "email"
    assert message.to == account.email
    assert re.search(r"\b\d{6}\b", message.body_text)


# --- concurrent use of one code --------------------------------------------------------------


def _race_one_code(engine, *, threads: int = 10) -> list[str]:
    """Issue one code, then let `threads` sessions try it at the same instant."""
    with Session(engine, expire_on_commit=False) as s:
        factories.business(s)
        account, _ = factories.household(s)
        request_code(s, account.email)
        code = code_sent_to(s, account.email)
        email = account.email
        s.commit()

    barrier = threading.Barrier(threads)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt():
        with Session(engine, expire_on_commit=False) as s:
            barrier.wait(timeout=30)
            try:
                sign_in(s, email, code)
                s.commit()
                outcome = "signed-in"
            except ServiceError:
                s.rollback()
                outcome = "refused"
            except OperationalError:  # "database is locked" counts as a failure
                s.rollback()
                outcome = "locked"
            except Exception as exc:  # anything else is reported, not swallowed
                s.rollback()
                outcome = f"error: {exc!r}"
        with lock:
            outcomes.append(outcome)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)
    assert len(outcomes) == threads, "a worker did not finish"
    return outcomes


def test_concurrent_use_of_one_code_signs_in_once_on_sqlite(engine):
    outcomes = _race_one_code(engine)

    assert outcomes.count("signed-in") == 1, outcomes
    assert all(o in ("signed-in", "refused", "locked") for o in outcomes), outcomes


@pytest.mark.postgres
def test_concurrent_use_of_one_code_signs_in_once_on_postgres(pg_url):
    engine = make_engine(pg_url)
    try:
        SQLModel.metadata.create_all(engine)
        outcomes = _race_one_code(engine)
    finally:
        engine.dispose()

    assert outcomes.count("signed-in") == 1, outcomes
    assert all(o in ("signed-in", "refused", "locked") for o in outcomes), outcomes
