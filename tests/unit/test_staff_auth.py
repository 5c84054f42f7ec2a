"""Staff sign-in: password, TOTP enrolment, TOTP codes used once, recovery codes, limits."""

from datetime import timedelta

import pyotp
import pytest
from sqlmodel import select

from models import RecoveryCode, StaffUser
from portal_app.db import session_scope
from portal_app.services import staff_auth
from portal_app.services.crypto import hash_password
from portal_app.services.errors import RateLimited, ServiceError
from portal_app.services.sessions import SessionTimeouts, redeem_ticket
from tests import factories
from tests.unit.helpers import NOW

PASSWORD = "correct horse battery"
TIMEOUTS = SessionTimeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))


def _wrong_code(secret: str, now) -> str:
    """A 6-digit code valid for none of the accepted time steps around `now`."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    valid = {totp.generate_otp(s) for s in (step - 1, step, step + 1)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


@pytest.fixture
def enrolled(session):
    secret = pyotp.random_base32()
    staff = factories.staff(session, password=PASSWORD, totp_secret=secret)
    session.commit()
    return staff, secret


# --- password step ---------------------------------------------------------------------------


def test_check_staff_password_wrong_password_gives_generic_error(session, enrolled):
    staff, _ = enrolled

    with pytest.raises(ServiceError) as refused:
        staff_auth.check_staff_password(session, email=staff.email, password="wrong password")

    assert refused.value.message == staff_auth.BAD_LOGIN
    assert refused.value.field == "password"


def test_check_staff_password_unknown_email_gives_same_error(session, enrolled):
    staff, _ = enrolled
    errors = []
    for email in (staff.email, "nobody@example.test"):
        with pytest.raises(ServiceError) as refused:
            staff_auth.check_staff_password(session, email=email, password="wrong password")
        errors.append((type(refused.value), refused.value.message, refused.value.field))

    assert errors[0] == errors[1]


def test_check_staff_password_inactive_staff_gives_same_error(session, enrolled):
    staff, _ = enrolled
    staff.active = False
    session.add(staff)
    session.flush()

    with pytest.raises(ServiceError) as refused:
        staff_auth.check_staff_password(session, email=staff.email, password=PASSWORD)

    assert refused.value.message == staff_auth.BAD_LOGIN


def test_check_staff_password_with_totp_goes_to_second_factor(session, enrolled):
    staff, _ = enrolled

    step = staff_auth.check_staff_password(session, email=staff.email.upper(), password=PASSWORD)

    assert step == staff_auth.PasswordStep(staff_id=staff.id, needs_enrolment=False,
                                           totp_secret="")


def test_staff_password_failures_rate_limited_after_ten(session):
    staff = factories.staff(session, password=PASSWORD)
    staff.password_hash = hash_password(PASSWORD, cost=4)  # cheap: the limit ignores the cost
    session.add(staff)
    session.commit()
    for _ in range(staff_auth.FAILS_PER_EMAIL):
        with pytest.raises(ServiceError) as refused, session_scope() as s:
            staff_auth.check_staff_password(s, email=staff.email, password="wrong guess", now=NOW)
        assert not isinstance(refused.value, RateLimited)

    with pytest.raises(RateLimited), session_scope() as s:
        staff_auth.check_staff_password(s, email=staff.email, password=PASSWORD, now=NOW)


# --- enrolment ---------------------------------------------------------------------------------


def test_first_sign_in_without_totp_needs_enrolment(session):
    staff = factories.staff(session, password=PASSWORD)

    step = staff_auth.check_staff_password(session, email=staff.email, password=PASSWORD)

    assert step.needs_enrolment is True
    assert step.staff_id == staff.id
    assert len(step.totp_secret) >= 16
    assert session.get(StaffUser, staff.id).totp_secret == step.totp_secret
    assert staff.email in staff_auth.enrolment_uri_for(session, staff_id=staff.id).replace(
        "%40", "@")


def test_confirm_enrolment_returns_ten_recovery_codes_and_ticket(session):
    staff = factories.staff(session, password=PASSWORD)
    step = staff_auth.check_staff_password(session, email=staff.email, password=PASSWORD)

    enrolled = staff_auth.confirm_enrolment(session, staff_id=staff.id,
                                            code=pyotp.TOTP(step.totp_secret).now())

    assert len(enrolled.recovery_codes) == staff_auth.RECOVERY_CODES == 10
    assert len(set(enrolled.recovery_codes)) == 10
    assert redeem_ticket(session, raw_ticket=enrolled.ticket, timeouts=TIMEOUTS) is not None
    assert session.get(StaffUser, staff.id).totp_confirmed_at is not None
    stored = session.exec(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(stored) & set(enrolled.recovery_codes)
    # Enrolled now: the next password step asks for a code instead.
    again = staff_auth.check_staff_password(session, email=staff.email, password=PASSWORD)
    assert again.needs_enrolment is False


def test_confirm_enrolment_refuses_wrong_code(session):
    staff = factories.staff(session, password=PASSWORD)
    step = staff_auth.check_staff_password(session, email=staff.email, password=PASSWORD)

    with pytest.raises(ServiceError) as refused:
        staff_auth.confirm_enrolment(session, staff_id=staff.id,
                                     code=_wrong_code(step.totp_secret, NOW), now=NOW)

    assert refused.value.field == "code"
    assert session.get(StaffUser, staff.id).totp_confirmed_at is None


# --- second factor -----------------------------------------------------------------------------


def test_verify_second_factor_accepts_totp_once_and_refuses_replay(session, enrolled):
    staff, secret = enrolled
    code = pyotp.TOTP(secret).at(NOW)

    ticket = staff_auth.verify_second_factor(session, staff_id=staff.id, code=code, now=NOW)

    assert redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=NOW)
    with pytest.raises(ServiceError) as refused:
        staff_auth.verify_second_factor(session, staff_id=staff.id, code=code, now=NOW)
    assert refused.value.field == "code"


def test_verify_second_factor_refuses_replay_in_a_new_transaction(session, enrolled):
    staff, secret = enrolled
    code = pyotp.TOTP(secret).at(NOW)
    with session_scope() as s:
        staff_auth.verify_second_factor(s, staff_id=staff.id, code=code, now=NOW)

    with pytest.raises(ServiceError), session_scope() as s:
        staff_auth.verify_second_factor(s, staff_id=staff.id, code=code,
                                        now=NOW + timedelta(seconds=10))


def test_verify_second_factor_accepts_code_for_next_time_step(session, enrolled):
    staff, secret = enrolled
    totp = pyotp.TOTP(secret)
    staff_auth.verify_second_factor(session, staff_id=staff.id, code=totp.at(NOW), now=NOW)
    later = NOW + timedelta(seconds=totp.interval)

    ticket = staff_auth.verify_second_factor(session, staff_id=staff.id, code=totp.at(later),
                                             now=later)

    assert ticket


def test_verify_second_factor_refuses_code_from_long_ago(session, enrolled):
    staff, secret = enrolled
    old = pyotp.TOTP(secret).at(NOW - timedelta(minutes=5))

    with pytest.raises(ServiceError):
        staff_auth.verify_second_factor(session, staff_id=staff.id, code=old, now=NOW)


def test_recovery_code_works_once(session):
    staff = factories.staff(session, password=PASSWORD)
    step = staff_auth.check_staff_password(session, email=staff.email, password=PASSWORD)
    enrolled = staff_auth.confirm_enrolment(session, staff_id=staff.id,
                                            code=pyotp.TOTP(step.totp_secret).now())
    recovery = enrolled.recovery_codes[3]

    ticket = staff_auth.verify_second_factor(session, staff_id=staff.id,
                                             code=f" {recovery.upper()} ", now=NOW)

    assert ticket
    with pytest.raises(ServiceError):
        staff_auth.verify_second_factor(session, staff_id=staff.id, code=recovery, now=NOW)
    # The others remain usable.
    assert staff_auth.verify_second_factor(session, staff_id=staff.id,
                                           code=enrolled.recovery_codes[4], now=NOW)


def test_verify_second_factor_rate_limited_after_ten_failures(session, enrolled):
    """Each try in its own transaction, as in the app (an error rolls it back)."""
    staff, secret = enrolled
    wrong = _wrong_code(secret, NOW)
    for _ in range(staff_auth.FAILS_PER_EMAIL):
        with pytest.raises(ServiceError) as refused, session_scope() as s:
            staff_auth.verify_second_factor(s, staff_id=staff.id, code=wrong, now=NOW)
        assert not isinstance(refused.value, RateLimited)

    with pytest.raises(RateLimited), session_scope() as s:
        staff_auth.verify_second_factor(s, staff_id=staff.id, code=pyotp.TOTP(secret).at(NOW),
                                        now=NOW)

    # After the window the right code works again.
    later = NOW + staff_auth.WINDOW + timedelta(seconds=1)
    with session_scope() as s:
        assert staff_auth.verify_second_factor(s, staff_id=staff.id,
                                               code=pyotp.TOTP(secret).at(later), now=later)


def test_verify_second_factor_refuses_staff_not_enrolled(session):
    staff = factories.staff(session, password=PASSWORD)

    with pytest.raises(ServiceError):
        staff_auth.verify_second_factor(session, staff_id=staff.id, code="123456", now=NOW)
