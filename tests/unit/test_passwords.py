"""Password hashing, registration, password sign-in, reset and change."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from models import Client, CodePurpose, OneTimeCode, OutboxMessage, PortalAccess, PortalAccount
from portal_app.db import session_scope
from portal_app.services import client_auth, codes, crypto
from portal_app.services.errors import RateLimited, ServiceError
from portal_app.services.sessions import (
    SessionTimeouts,
    create_ticket,
    redeem_ticket,
    resolve_client,
)
from tests import factories
from tests.unit.helpers import NOW, SECRET, code_sent_to, count

TIMEOUTS = SessionTimeouts(idle=timedelta(hours=2), absolute=timedelta(days=14))
PASSWORD = "correct horse battery staple"
SOON = NOW + timedelta(minutes=1)


# --- crypto ----------------------------------------------------------------------------------


@pytest.mark.real_bcrypt
def test_hash_password_uses_bcrypt_cost_at_least_12():
    hashed = crypto.hash_password(PASSWORD)

    match = re.match(r"^\$2b\$(\d\d)\$", hashed)
    assert match, hashed
    assert int(match.group(1)) >= 12


def test_check_password_accepts_right_and_refuses_wrong():
    hashed = crypto.hash_password(PASSWORD)

    assert crypto.check_password(PASSWORD, hashed) is True
    assert crypto.check_password(PASSWORD + "!", hashed) is False
    assert crypto.check_password("", hashed) is False


@pytest.mark.parametrize("password", ["x" * 200, "é" * 5000], ids=["200-bytes", "5000-chars"])
def test_long_password_hashes_and_verifies(password):
    hashed = crypto.hash_password(password)

    assert crypto.check_password(password, hashed)
    assert not crypto.check_password(password[:-1] + "y", hashed)


def test_passwords_sharing_first_72_bytes_do_not_verify_against_each_other():
    prefix = "p" * 72
    first, second = prefix + "-first", prefix + "-second"

    first_hash, second_hash = crypto.hash_password(first), crypto.hash_password(second)

    assert crypto.check_password(first, first_hash) and crypto.check_password(second, second_hash)
    assert not crypto.check_password(first, second_hash)
    assert not crypto.check_password(second, first_hash)


def test_non_ascii_password_hashes_and_verifies():
    password = "Grüße aus Köln — пароль 密码 🔐"

    hashed = crypto.hash_password(password)

    assert crypto.check_password(password, hashed)
    assert not crypto.check_password(password.replace("ü", "u"), hashed)


def test_check_password_without_hash_is_false():
    assert crypto.check_password("anything at all", None) is False
    assert crypto.check_password("timing-equaliser", None) is False  # not even the dummy's
    assert crypto.check_password("anything at all", "not-a-bcrypt-hash") is False


# --- registration and password sign-in -------------------------------------------------------


@pytest.fixture
def open_business(session):
    factories.business(session)  # allow_self_signup=True
    session.commit()


def _register(session, email="new.person@example.test", password=PASSWORD):
    client_auth.start_registration(session, full_name="  New   Person ", email=email,
                                   password=password, secret_key=SECRET, now=NOW)
    code = code_sent_to(session, email)
    return client_auth.finish_registration(session, email=email, code=code, secret_key=SECRET,
                                           now=SOON)


def test_registration_creates_account_and_signs_in(session, open_business):
    signed = _register(session)

    account = session.exec(select(PortalAccount)).one()
    client = session.exec(select(Client)).one()
    assert signed.account_id == account.id and signed.record_count == 1
    assert account.email == "new.person@example.test"
    assert account.email_verified_at == SOON
    assert crypto.check_password(PASSWORD, account.password_hash)
    assert (client.full_name, client.portal_access) == ("New Person", PortalAccess.ACTIVE)
    assert redeem_ticket(session, raw_ticket=signed.ticket, timeouts=TIMEOUTS, now=SOON)


def test_sign_in_with_password_after_registration(session, open_business):
    registered = _register(session)
    session.commit()

    signed = client_auth.sign_in_with_password(session, email="New.Person@example.test",
                                               password=PASSWORD, now=SOON)

    assert signed.account_id == registered.account_id
    with pytest.raises(ServiceError) as refused:
        client_auth.sign_in_with_password(session, email="new.person@example.test",
                                          password=PASSWORD + "x", now=SOON)
    assert refused.value.field == "password"


def test_registration_for_existing_email_creates_nothing(session, open_business):
    account, _ = factories.household(session)
    client_auth.start_registration(session, full_name="Someone Else", email=account.email,
                                   password=PASSWORD, secret_key=SECRET, now=NOW)

    assert session.exec(select(OneTimeCode)).one().pending_password_hash is None
    message = session.exec(select(OutboxMessage)).one()
    assert not re.search(r"\b\d{6}\b", message.body_text)  # no code is sent
    # Even the right code (forged here) cannot take over the existing account.
    code = codes.issue_code(session, secret_key=SECRET, purpose=CodePurpose.VERIFY_EMAIL,
                            email=account.email, now=NOW)
    with pytest.raises(ServiceError):
        client_auth.finish_registration(session, email=account.email, code=code,
                                        secret_key=SECRET, now=SOON)
    assert count(session, PortalAccount) == 1
    assert session.get(PortalAccount, account.id).password_hash is None


def test_registration_refuses_short_password(session, open_business):
    with pytest.raises(ServiceError) as refused:
        client_auth.start_registration(session, full_name="Pat", email="pat@example.test",
                                       password="123456789", secret_key=SECRET, now=NOW)

    assert refused.value.field == "password"
    assert count(session, OneTimeCode) == 0
    assert count(session, OutboxMessage) == 0


def test_registration_refused_when_self_signup_closed(session):
    factories.business(session, allow_self_signup=False)

    with pytest.raises(ServiceError):
        client_auth.start_registration(session, full_name="Pat", email="pat@example.test",
                                       password=PASSWORD, secret_key=SECRET, now=NOW)

    assert count(session, OutboxMessage) == 0


# --- reset and change ------------------------------------------------------------------------


def _session_token(session, account_id):
    ticket = create_ticket(session, kind="client", account_id=account_id, now=SOON)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=SOON)
    return token


def _resolve(session, token):
    return resolve_client(session, raw_token=token, timeouts=TIMEOUTS, portal_enabled=True,
                          now=SOON + timedelta(minutes=5))


def test_reset_password_changes_hash_and_revokes_other_sessions(session, open_business):
    account, _ = factories.household(session, access=PortalAccess.ACTIVE,
                                     password_hash=crypto.hash_password(PASSWORD))
    old_hash = account.password_hash
    token = _session_token(session, account.id)
    assert _resolve(session, token) is not None
    client_auth.request_password_reset(session, email=account.email, secret_key=SECRET, now=NOW)
    code = code_sent_to(session, account.email)

    signed = client_auth.reset_password(session, email=account.email, code=code,
                                        new_password="a brand new passphrase",
                                        secret_key=SECRET, now=SOON)
    session.commit()

    session.refresh(account)
    assert account.password_hash != old_hash
    assert crypto.check_password("a brand new passphrase", account.password_hash)
    assert not crypto.check_password(PASSWORD, account.password_hash)
    assert _resolve(session, token) is None
    assert signed.account_id == account.id


def test_reset_password_refuses_short_password(session, open_business):
    account, _ = factories.household(session, access=PortalAccess.ACTIVE)
    client_auth.request_password_reset(session, email=account.email, secret_key=SECRET, now=NOW)
    code = code_sent_to(session, account.email)

    with pytest.raises(ServiceError) as refused:
        client_auth.reset_password(session, email=account.email, code=code, new_password="short",
                                   secret_key=SECRET, now=SOON)

    assert refused.value.field == "password"


def test_set_password_requires_current_password_when_one_exists(session, open_business):
    account, _ = factories.household(session, access=PortalAccess.ACTIVE,
                                     password_hash=crypto.hash_password(PASSWORD))
    keep = _session_token(session, account.id)
    other = _session_token(session, account.id)
    keep_id = _resolve(session, keep).session_id

    with pytest.raises(ServiceError) as refused:
        client_auth.set_password(session, account_id=account.id, current_password="wrong one!",
                                 new_password="another good password", keep_session_id=keep_id,
                                 now=SOON)
    assert refused.value.field == "current_password"
    assert crypto.check_password(PASSWORD, session.get(PortalAccount, account.id).password_hash)

    client_auth.set_password(session, account_id=account.id, current_password=PASSWORD,
                             new_password="another good password", keep_session_id=keep_id,
                             now=SOON)

    assert crypto.check_password("another good password",
                                 session.get(PortalAccount, account.id).password_hash)
    assert _resolve(session, keep) is not None
    assert _resolve(session, other) is None


def test_set_password_without_existing_password_needs_no_current(session, open_business):
    account, _ = factories.household(session, access=PortalAccess.ACTIVE)
    keep = _session_token(session, account.id)
    keep_id = _resolve(session, keep).session_id
    assert not client_auth.has_password(session, account_id=account.id)

    client_auth.set_password(session, account_id=account.id, current_password="",
                             new_password="first real password", keep_session_id=keep_id, now=SOON)

    assert client_auth.has_password(session, account_id=account.id)
    with pytest.raises(ServiceError) as refused:
        client_auth.set_password(session, account_id=account.id,
                                 current_password="first real password", new_password="short",
                                 keep_session_id=keep_id, now=SOON)
    assert refused.value.field == "new_password"


def test_password_failures_rate_limited_after_ten_per_email(session, open_business):
    """Each try in its own transaction, as in the app (an error rolls the transaction back)."""
    # A cheap hash keeps the test fast; the limit does not depend on the cost.
    account, _ = factories.household(session, access=PortalAccess.ACTIVE,
                                     password_hash=crypto.hash_password(PASSWORD, cost=4))
    session.commit()
    for i in range(client_auth.PASSWORD_FAILS_PER_EMAIL):
        with pytest.raises(ServiceError) as refused, session_scope() as s:
            client_auth.sign_in_with_password(s, email=account.email, password="wrong guess!",
                                              ip=f"198.51.100.{i}", now=NOW)
        assert not isinstance(refused.value, RateLimited)

    with pytest.raises(RateLimited), session_scope() as s:
        client_auth.sign_in_with_password(s, email=account.email, password=PASSWORD,
                                          ip="198.51.100.200", now=NOW + timedelta(minutes=1))

    later = NOW + client_auth.WINDOW + timedelta(seconds=1)
    with session_scope() as s:
        assert client_auth.sign_in_with_password(s, email=account.email, password=PASSWORD,
                                                 now=later).account_id == account.id
