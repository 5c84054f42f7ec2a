"""Staff sign-in: password, then a TOTP code (or a recovery code).

A TOTP code is accepted at most once: the highest accepted time step is kept
and raised with a conditional UPDATE, so a replay of the same step (or an
older one) is refused even by two workers at once.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from sqlalchemy import update
from sqlmodel import Session, select

from models import RecoveryCode, StaffRole, StaffUser
from models.base import utcnow
from portal_app.services import ratelimit
from portal_app.services.audit import record_audit
from portal_app.services.crypto import check_password, hash_password
from portal_app.services.errors import ServiceError
from portal_app.services.sessions import create_ticket
from portal_app.services.validation import check_new_password, clean_name, normalize_email

ISSUER = "Client Portal"
RECOVERY_CODES = 10
WINDOW = timedelta(minutes=15)
FAILS_PER_EMAIL = 10
BAD_LOGIN = "Email or password is incorrect."
TOO_MANY = "Too many sign-in attempts. Wait a few minutes and try again."


def create_staff(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    role: str = StaffRole.STAFF,
    totp_secret: str | None = None,
) -> StaffUser:
    """Add a staff member. With `totp_secret` their authenticator is already set up."""
    email = normalize_email(email)
    if role not in StaffRole.ALL:
        raise ServiceError(f"Role must be one of {', '.join(StaffRole.ALL)}.", field="role")
    if session.exec(select(StaffUser).where(StaffUser.email == email)).first():
        raise ServiceError("A staff member with this email already exists.", field="email")
    staff = StaffUser(
        email=email,
        full_name=clean_name(full_name),
        role=role,
        password_hash=hash_password(check_new_password(password)),
        totp_secret=totp_secret,
        totp_confirmed_at=utcnow() if totp_secret else None,
    )
    session.add(staff)
    session.flush()
    record_audit(session, actor_kind="system", actor_id=None, action="staff.created",
                 staff_id=staff.id, role=role)
    return staff


def enrolment_uri(staff: StaffUser, *, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(staff.totp_secret).provisioning_uri(name=staff.email, issuer_name=issuer)


def enrolment_uri_for(session: Session, *, staff_id: int) -> str:
    return enrolment_uri(session.get(StaffUser, staff_id))


def qr_svg_data_uri(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@dataclass(frozen=True)
class PasswordStep:
    staff_id: int
    needs_enrolment: bool
    totp_secret: str = ""  # only while enrolling, to show for manual entry


def check_staff_password(
    session: Session, *, email: str, password: str, ip: str = "", now: datetime | None = None
) -> PasswordStep:
    """Step 1. Wrong passwords are counted; unknown emails cost the same bcrypt."""
    now = now or utcnow()
    email = normalize_email(email)
    ratelimit.check(session, bucket="staff_pw", key=email, limit=FAILS_PER_EMAIL, window=WINDOW,
                    now=now, message=TOO_MANY)
    staff = session.exec(select(StaffUser).where(StaffUser.email == email)).first()
    ok = check_password(str(password or ""), staff.password_hash if staff else None)
    if not ok or staff is None or not staff.active:
        ratelimit.record(session, bucket="staff_pw", key=email, now=now)
        record_audit(session, actor_kind="staff", actor_id=staff.id if staff else None,
                     action="staff.sign_in_failed", ip=ip, step="password")
        raise ServiceError(BAD_LOGIN, field="password", keep_changes=True)
    if staff.totp_confirmed_at is None and not staff.totp_secret:
        staff.totp_secret = pyotp.random_base32()
        session.add(staff)
        session.flush()
    enrolling = staff.totp_confirmed_at is None
    return PasswordStep(staff_id=staff.id, needs_enrolment=enrolling,
                        totp_secret=staff.totp_secret if enrolling else "")


def _accept_totp(session: Session, staff: StaffUser, code: str, now: datetime) -> bool:
    totp = pyotp.TOTP(staff.totp_secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            result = session.exec(
                update(StaffUser)
                .where(StaffUser.id == staff.id, StaffUser.totp_last_step < step)
                .values(totp_last_step=step)
            )
            return result.rowcount == 1
    return False


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def _new_recovery_codes(session: Session, staff_id: int) -> list[str]:
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.staff_id == staff_id)).all():
        session.delete(old)
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        session.add(RecoveryCode(staff_id=staff_id, code_hash=_hash_recovery(code)))
    session.flush()
    return codes


@dataclass(frozen=True)
class Enrolled:
    recovery_codes: list[str]
    ticket: str


def confirm_enrolment(
    session: Session, *, staff_id: int, code: str, ip: str = "", now: datetime | None = None
) -> Enrolled:
    """Finish TOTP set-up with a first code: recovery codes (shown once) and a ticket."""
    now = now or utcnow()
    staff = session.get(StaffUser, staff_id)
    if staff is None or staff.totp_confirmed_at is not None or not staff.totp_secret:
        raise ServiceError("Start signing in again.")
    if not _accept_totp(session, staff, "".join(str(code or "").split()), now):
        raise ServiceError("That code is not right. Check the time on your phone and try again.",
                           field="code")
    staff.totp_confirmed_at = now
    staff.last_sign_in_at = now
    session.add(staff)
    record_audit(session, actor_kind="staff", actor_id=staff.id, action="staff.totp_enrolled",
                 ip=ip)
    record_audit(session, actor_kind="staff", actor_id=staff.id, action="staff.sign_in", ip=ip,
                 method="enrolment")
    codes = _new_recovery_codes(session, staff.id)
    return Enrolled(recovery_codes=codes,
                    ticket=create_ticket(session, kind="staff", staff_id=staff.id, now=now))


def verify_second_factor(
    session: Session, *, staff_id: int, code: str, ip: str = "", now: datetime | None = None
) -> str:
    """Step 2: a TOTP code (once) or an unused recovery code. Returns a sign-in ticket."""
    now = now or utcnow()
    staff = session.get(StaffUser, staff_id)
    if staff is None or not staff.active or staff.totp_confirmed_at is None:
        raise ServiceError("Start signing in again.")
    ratelimit.check(session, bucket="staff_totp", key=str(staff_id), limit=FAILS_PER_EMAIL,
                    window=WINDOW, now=now, message=TOO_MANY)
    cleaned = "".join(str(code or "").split())
    is_totp = cleaned.isdigit() and len(cleaned) == 6
    method = "totp" if is_totp else "recovery"
    ok = is_totp and _accept_totp(session, staff, cleaned, now)
    if not is_totp:
        row = session.exec(
            select(RecoveryCode).where(
                RecoveryCode.staff_id == staff_id,
                RecoveryCode.code_hash == _hash_recovery(cleaned),
                RecoveryCode.used_at.is_(None),
            )
        ).first()
        if row is not None:
            claimed = session.exec(
                update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=now)
            )
            ok = claimed.rowcount == 1
    if not ok:
        ratelimit.record(session, bucket="staff_totp", key=str(staff_id), now=now)
        raise ServiceError("That code is not right, or was already used.", field="code",
                           keep_changes=True)
    staff.last_sign_in_at = now
    session.add(staff)
    record_audit(session, actor_kind="staff", actor_id=staff.id, action="staff.sign_in", ip=ip,
                 method=method)
    return create_ticket(session, kind="staff", staff_id=staff.id, now=now)
