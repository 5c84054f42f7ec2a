"""Six-digit one-time codes: issue, check, use once.

A code is stored as an HMAC bound to its email and purpose, expires after 15
minutes, allows 5 wrong tries, and is consumed by a conditional UPDATE so two
concurrent uses of one code cannot both succeed. Issuing a new code retires
the older ones for the same email and purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from models import OneTimeCode
from portal_app.services.crypto import code_hmac, new_code, same

CODE_TTL = timedelta(minutes=15)
MAX_TRIES = 5


def _salt(purpose: str, email: str) -> str:
    return f"{purpose}:{email}"


def issue_code(
    session: Session,
    *,
    secret_key: str,
    purpose: str,
    email: str,
    now: datetime,
    account_id: int | None = None,
    ip: str = "",
    pending_name: str = "",
    pending_password_hash: str | None = None,
) -> str:
    """Create a code row and return the plain code (to be sent, never stored)."""
    session.exec(
        update(OneTimeCode)
        .where(
            OneTimeCode.email == email,
            OneTimeCode.purpose == purpose,
            OneTimeCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    code = new_code()
    session.add(
        OneTimeCode(
            purpose=purpose,
            email=email,
            account_id=account_id,
            code_hash=code_hmac(secret_key, code, salt=_salt(purpose, email)),
            pending_name=pending_name,
            pending_password_hash=pending_password_hash,
            created_at=now,
            expires_at=now + CODE_TTL,
            ip=ip[:64],
        )
    )
    session.flush()
    return code


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    error: str = ""
    row: OneTimeCode | None = None


EXPIRED = "That code has expired or was already used. Request a new code."
WRONG = "That code is not right. Check it and try again."
LOCKED = "Too many wrong tries. Request a new code."


def use_code(
    session: Session,
    *,
    secret_key: str,
    purpose: str,
    email: str,
    code: str,
    now: datetime,
) -> CodeCheck:
    """Check and consume a code. A wrong try is counted in the caller's transaction."""
    row = session.exec(
        select(OneTimeCode)
        .where(
            OneTimeCode.email == email,
            OneTimeCode.purpose == purpose,
            OneTimeCode.used_at.is_(None),
        )
        .order_by(OneTimeCode.id.desc())
        .limit(1)
    ).first()
    if row is None or row.expires_at <= now:
        return CodeCheck(False, EXPIRED)
    if row.attempts >= MAX_TRIES:
        return CodeCheck(False, LOCKED)
    expected = code_hmac(secret_key, code, salt=_salt(purpose, email))
    if not same(expected, row.code_hash):
        # Before the UPDATE: it also refreshes row.attempts in this session.
        left = MAX_TRIES - row.attempts - 1
        session.exec(
            update(OneTimeCode)
            .where(OneTimeCode.id == row.id)
            .values(attempts=OneTimeCode.attempts + 1)
        )
        return CodeCheck(False, WRONG if left > 0 else LOCKED)
    claimed = session.exec(
        update(OneTimeCode)
        .where(
            OneTimeCode.id == row.id,
            OneTimeCode.used_at.is_(None),
            OneTimeCode.attempts < MAX_TRIES,
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        return CodeCheck(False, EXPIRED)
    return CodeCheck(True, row=row)
