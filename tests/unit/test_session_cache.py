"""The kept sessions (services/session_cache.py) and the access generation the
database's triggers move (models/access_generation.py): a kept answer saves the
full check, and every revocation path still refuses the very next event — written
here through another engine, as another worker or the CLI would."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from models import Client, PortalAccess, StaffUser
from models.base import utcnow
from portal_app.db import make_engine
from portal_app.services import access_generation, session_cache
from portal_app.services.business import business_at, get_business
from portal_app.services.sessions import (
    TOUCH_EVERY,
    SessionTimeouts,
    create_ticket,
    redeem_ticket,
    revoke_all_for_account,
    revoke_all_for_staff,
    revoke_token,
)
from tests import factories
from tests.sql import statements_of

TIMEOUTS = SessionTimeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


def _signed_in(session, names=("Ana",)):
    account, clients = factories.household(session, names=names, access="active")
    ticket = create_ticket(session, kind="client", account_id=account.id)
    token, _auth = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS)
    session.commit()
    return token, account, clients


def _check(engine, token, now=None):
    """One client event's check, in its own transaction (as session_scope runs it)."""
    with Session(engine) as s:
        generation, business = session_cache.generation_and_business(s)
        ctx = session_cache.client(s, raw_token=token, timeouts=TIMEOUTS,
                                   portal_enabled=business.portal_enabled, business=business,
                                   generation=generation, now=now)
        s.commit()
        return ctx


def _full_checks(engine, work) -> int:
    return sum(1 for s in statements_of(engine, work) if s.lstrip().startswith("SELECT auth_session."))


def _elsewhere(engine, statement: str, **params) -> None:
    """A write by another process: its own engine on the same database file."""
    other = make_engine(str(engine.url))
    try:
        with other.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        other.dispose()


def test_a_kept_session_answers_the_next_event_without_the_full_check(engine, session):
    factories.business(session)
    token, _account, (ana,) = _signed_in(session)
    assert _full_checks(engine, lambda: _check(engine, token)) == 1
    statements = statements_of(engine, lambda: _check(engine, token))
    assert not [s for s in statements if "auth_session" in s or "FROM business" in s], statements
    ctx = _check(engine, token)
    assert ctx.client_id == ana.id and ctx.client_name == ana.full_name and ctx.access.billing
    assert ctx.business is not None and ctx.business.name == get_business(session).name
    assert session_cache.kept() == 1


REVOCATIONS = {
    "logout": lambda s, token, account, client: revoke_token(s, raw_token=token),
    "sign out everywhere": lambda s, token, account, client: revoke_all_for_account(
        s, account_id=account.id),
    "record disabled": lambda s, token, account, client: _set(
        s, client, portal_access=PortalAccess.DISABLED),
    "record detached from the email": lambda s, token, account, client: _set(
        s, client, account_id=None),
    "portal switched off": lambda s, token, account, client: _set(
        s, get_business(s), portal_enabled=False),
}


def _set(s, row, **values):
    for key, value in values.items():
        setattr(row, key, value)
    s.add(row)
    s.flush()


@pytest.mark.parametrize("path", sorted(REVOCATIONS))
def test_every_revocation_refuses_the_next_event(engine, session, path):
    factories.business(session)
    token, account, (ana,) = _signed_in(session)
    assert _check(engine, token) is not None and _check(engine, token) is not None
    with Session(engine) as s:
        REVOCATIONS[path](s, token, account, s.get(Client, ana.id))
        s.commit()
    assert _check(engine, token) is None


@pytest.mark.parametrize(("column", "access"), [("perm_billing", "billing"),
                                                ("perm_booking", "bookings"),
                                                ("perm_messaging", "messaging")])
def test_a_permission_taken_by_another_process_narrows_the_next_event(
        engine, session, column, access):
    factories.business(session)
    token, _account, (ana,) = _signed_in(session)
    assert getattr(_check(engine, token).access, access)
    before = _check(engine, token)
    _elsewhere(engine, f"UPDATE client SET {column} = :off WHERE id = :id", off=False, id=ana.id)
    after = _check(engine, token)
    assert getattr(before.access, access) and not getattr(after.access, access)


def test_a_raw_revocation_by_another_process_bites_on_the_next_event(engine, session):
    factories.business(session)
    token, account, _clients = _signed_in(session)
    assert _check(engine, token) is not None
    _elsewhere(engine, "UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP "
                       "WHERE account_id = :a", a=account.id)
    assert _check(engine, token) is None


def test_a_new_record_and_a_renamed_one_show_on_the_next_event(engine, session):
    factories.business(session)
    token, account, (ana,) = _signed_in(session)
    assert [r.full_name for r in _check(engine, token).records] == [ana.full_name]
    _elsewhere(engine, "UPDATE client SET full_name = 'Ana B' WHERE id = :id", id=ana.id)
    assert _check(engine, token).client_name == "Ana B"
    factories.client(session, full_name="Bo", account_id=account.id,
                     portal_access=PortalAccess.ACTIVE)
    session.commit()
    assert [r.full_name for r in _check(engine, token).records] == ["Ana B", "Bo"]


def test_the_clock_still_ends_a_kept_session(engine, session):
    factories.business(session)
    token, _account, _clients = _signed_in(session)
    now = utcnow()
    assert _check(engine, token, now=now) is not None
    assert _check(engine, token, now=now + TIMEOUTS.idle + timedelta(seconds=1)) is None
    assert _check(engine, token, now=now + TIMEOUTS.absolute + timedelta(seconds=1)) is None


def test_a_kept_session_still_records_that_it_was_seen(engine, session):
    factories.business(session)
    token, account, _clients = _signed_in(session)
    now = utcnow()
    _check(engine, token, now=now)
    later = now + TOUCH_EVERY + timedelta(seconds=5)
    statements = statements_of(engine, lambda: _check(engine, token, now=later))
    assert any(s.startswith("UPDATE auth_session SET last_seen_at") for s in statements)
    assert not any(s.lstrip().startswith("SELECT auth_session.") for s in statements)
    with engine.connect() as conn:
        seen = conn.execute(text("SELECT last_seen_at FROM auth_session WHERE account_id = :a"),
                            {"a": account.id}).scalar()
    assert str(seen).startswith(later.strftime("%Y-%m-%d %H:%M:%S"))


def test_the_touch_does_not_move_the_generation(engine, session):
    factories.business(session)
    token, _account, _clients = _signed_in(session)
    with Session(engine) as s:
        before = access_generation.current(s)
    _check(engine, token, now=utcnow() + TOUCH_EVERY + timedelta(seconds=1))
    with Session(engine) as s:
        assert access_generation.current(s) == before


def test_staff_switched_off_or_signed_out_is_refused_on_the_next_event(engine, session):
    factories.business(session)
    member = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=member.id)
    token, _auth = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS)
    session.commit()

    def check():
        with Session(engine) as s:
            return session_cache.staff(s, raw_token=token, timeouts=TIMEOUTS,
                                       generation=access_generation.current(s))

    assert check().role == member.role and check() is not None
    _elsewhere(engine, "UPDATE staff_user SET role = 'owner' WHERE id = :id", id=member.id)
    assert check().role == "owner"
    with Session(engine) as s:
        _set(s, s.get(StaffUser, member.id), active=False)
        s.commit()
    assert check() is None
    with Session(engine) as s:
        _set(s, s.get(StaffUser, member.id), active=True)
        s.commit()
    assert check() is not None
    with Session(engine) as s:
        revoke_all_for_staff(s, staff_id=member.id)
        s.commit()
    assert check() is None


def test_the_kept_business_row_follows_every_change(engine, session):
    factories.business(session, name="First name")
    session.commit()
    with Session(engine) as s:
        assert business_at(s, access_generation.current(s)).name == "First name"
    with Session(engine) as s:
        kept = business_at(s, access_generation.current(s))
        assert kept.name == "First name" and get_business(s) is kept
    _elsewhere(engine, "UPDATE business SET name = 'Second name'")
    with Session(engine) as s:
        assert business_at(s, access_generation.current(s)).name == "Second name"


def test_without_the_counter_nothing_is_kept(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        SQLModel.metadata.create_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM access_generation")
        with Session(engine) as s:
            factories.business(s)
            token, _account, _clients = _signed_in(s)
        session_cache.clear()
        assert _check(engine, token) is not None and _check(engine, token) is not None
        assert session_cache.kept() == 0
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_on_postgres_the_generation_moves_at_commit_with_the_change(pg_url):
    engine = make_engine(pg_url)
    try:
        SQLModel.metadata.create_all(engine)
        with Session(engine) as s:
            factories.business(s)
            token, account, _clients = _signed_in(s)
            account_id = account.id
        assert _check(engine, token) is not None and _check(engine, token) is not None
        with Session(engine) as writer:
            revoke_all_for_account(writer, account_id=account_id)
            writer.flush()
            # Not committed yet: others still see the old generation and the live session.
            assert _check(engine, token) is not None
            writer.commit()
        assert _check(engine, token) is None
    finally:
        engine.dispose()
