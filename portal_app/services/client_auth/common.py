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
from portal_app.services.errors import PortalClosed

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
