"""Self sign-up and the hub (seed 002): an email never gets a second account. With
"allow several client records per email" off, a sign-up with a known email offers
sign-in (no code); on, the emailed code adds a new record to that account's
household, the password unchanged, and the sign-in lands on the record picker."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from models import Client, PortalAccess, PortalAccount
from portal_app import routes
from portal_app.services import client_auth, crypto
from portal_app.services.errors import ServiceError
from portal_app.services.hub.settings import after_sign_in
from tests import factories
from tests.unit.helpers import NOW, SECRET, code_sent_to, count, last_message

SOON = NOW + timedelta(minutes=1)
PASSWORD = "correct horse battery staple"


def _start(session, email, name="Sam Second"):
    return client_auth.start_registration(session, full_name=name, email=email,
                                          password="another long password", secret_key=SECRET,
                                          now=NOW)


def _existing(session):
    account, (first,) = factories.household(session, names=("Ana",), access="active",
                                            password_hash=crypto.hash_password(PASSWORD))
    return account, first


def test_with_the_setting_off_a_known_email_is_offered_sign_in_and_nothing_is_added(session):
    factories.business(session, allow_several_records_per_email=False)
    account, _first = _existing(session)
    _start(session, account.email)
    message = last_message(session, account.email)
    assert message.template == "already_registered"
    assert not re.search(r"\b\d{6}\b", message.body_text)
    assert (count(session, PortalAccount), count(session, Client)) == (1, 1)


def test_with_the_setting_on_the_code_adds_a_record_to_the_household(session):
    factories.business(session, allow_several_records_per_email=True)
    account, first = _existing(session)
    _start(session, account.email.upper(), name="  Sam   Second ")
    message = last_message(session, account.email)
    assert message.template == "add_record" and "Sam Second" in message.body_text
    code = code_sent_to(session, account.email)
    signed = client_auth.finish_registration(session, email=account.email, code=code,
                                             secret_key=SECRET, now=SOON)
    records = session.exec(select(Client).where(Client.account_id == account.id)
                           .order_by(Client.id)).all()
    assert [(c.full_name, c.portal_access, c.email) for c in records] == [
        (first.full_name, PortalAccess.ACTIVE, first.email),
        ("Sam Second", PortalAccess.ACTIVE, account.email)]
    assert count(session, PortalAccount) == 1  # never a second account
    assert (signed.account_id, signed.record_count, signed.added_client_id) == (
        account.id, 2, records[1].id)
    # The password is the account's, unchanged; the one typed at sign-up is not kept.
    assert crypto.check_password(PASSWORD, session.get(PortalAccount, account.id).password_hash)
    assert after_sign_in(session, account_id=account.id,
                         record_count=signed.record_count) == routes.SELECT_ACCOUNT
    # The code is single-use.
    with pytest.raises(ServiceError):
        client_auth.finish_registration(session, email=account.email, code=code,
                                        secret_key=SECRET, now=SOON)
    assert count(session, Client) == 2


def test_a_wrong_code_adds_nothing(session):
    factories.business(session, allow_several_records_per_email=True)
    account, _first = _existing(session)
    _start(session, account.email)
    right = code_sent_to(session, account.email)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ServiceError) as refused:
        client_auth.finish_registration(session, email=account.email, code=wrong,
                                        secret_key=SECRET, now=SOON)
    assert refused.value.field == "code"
    assert count(session, Client) == 1


def test_a_household_whose_access_was_disabled_gets_no_new_record(session):
    factories.business(session, allow_several_records_per_email=True)
    account, first = _existing(session)
    first.portal_access = PortalAccess.DISABLED
    session.add(first)
    session.flush()
    _start(session, account.email)
    assert last_message(session, account.email).template == "already_registered"
    assert count(session, Client) == 1


def test_the_setting_turned_off_after_the_code_was_sent_adds_nothing(session):
    business = factories.business(session, allow_several_records_per_email=True)
    account, _first = _existing(session)
    _start(session, account.email)
    code = code_sent_to(session, account.email)
    business.allow_several_records_per_email = False
    session.add(business)
    session.flush()
    with pytest.raises(ServiceError):
        client_auth.finish_registration(session, email=account.email, code=code,
                                        secret_key=SECRET, now=SOON)
    assert count(session, Client) == 1


def test_a_new_email_still_makes_one_account_with_its_record(session):
    factories.business(session, allow_several_records_per_email=True)
    _start(session, "brand.new@example.test", name="Brand New")
    code = code_sent_to(session, "brand.new@example.test")
    assert last_message(session, "brand.new@example.test").template == "verify_email"
    signed = client_auth.finish_registration(session, email="brand.new@example.test",
                                             code=code, secret_key=SECRET, now=SOON)
    assert (signed.record_count, signed.added_client_id) == (1, None)
    assert (count(session, PortalAccount), count(session, Client)) == (1, 1)
