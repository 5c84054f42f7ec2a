"""What every client sign-in path shares: the rate-limit windows for sending
codes, the portal-open check, the account by email, and the language of a
sign-in message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from models import Business, PortalAccount
from portal_app import i18n
from portal_app.services import ratelimit
from portal_app.services.business import get_business
from portal_app.services.codes import use_code
from portal_app.services.errors import PortalClosed, ServiceError

WINDOW = timedelta(minutes=15)
SENDS_PER_EMAIL = 5
SENDS_PER_IP = 20
TOO_MANY_CODES = "Too many codes requested. Wait a few minutes and try again."


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: the ticket for the cookie route and where to go."""

    ticket: str
    account_id: int
    record_count: int
    # A sign-up that added a record to an existing account's household: that record.
    added_client_id: int | None = None


def _open_business(session: Session) -> Business:
    business = get_business(session)
    if not business.portal_enabled:
        raise PortalClosed()
    return business


def _limit_sends(session: Session, *, email: str, ip: str, now: datetime,
                 ip_limit: int = SENDS_PER_IP) -> None:
    ratelimit.hit(session, bucket="code_email", key=email, limit=SENDS_PER_EMAIL,
                  window=WINDOW, now=now, message=TOO_MANY_CODES)
    if ip:
        ratelimit.hit(session, bucket="code_ip", key=ip, limit=ip_limit,
                      window=WINDOW, now=now, message=TOO_MANY_CODES)


def _account(session: Session, email: str) -> PortalAccount | None:
    return session.exec(select(PortalAccount).where(PortalAccount.email == email)).first()


def _language(page_lang: str, records: list, business: Business) -> str:
    """The language of a sign-in message: the page the person is looking at, else
    what their records chose, else the business's."""
    return i18n.pick(page_lang, *(r.language for r in records), business.language)


def _redeem_code(session: Session, *, purpose: str, email: str, code: str, secret_key: str,
                 now: datetime):
    """Use a one-time code: its row, or the refusal beside the code field (the failed
    attempt is kept: it counts towards the code's tries)."""
    check = use_code(session, secret_key=secret_key, purpose=purpose, email=email, code=code,
                     now=now)
    if not check.ok:
        raise ServiceError(check.error, field="code", keep_changes=True)
    return check.row


def _code_account(session: Session, *, purpose: str, email: str, code: str, secret_key: str,
                  now: datetime) -> PortalAccount:
    """The account a sign-in or reset code was issued to; refused when the email has
    no account or the code belongs to another one."""
    row = _redeem_code(session, purpose=purpose, email=email, code=code,
                       secret_key=secret_key, now=now)
    account = _account(session, email)
    if account is None or row.account_id != account.id:
        raise ServiceError("That code has expired or was already used. Request a new code.",
                           field="code")
    return account
