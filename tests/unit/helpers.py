"""Small helpers shared by the unit tests (no fixtures here; see conftest.py)."""

import re
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from models import OutboxMessage
from portal_app.services.invitations import accept_invitation, invite_client
from portal_app.services.sessions import SessionTimeouts, redeem_ticket, resolve_client
from tests import factories

# A fixed, timezone-aware "now" so expiry is tested by moving the clock, not by sleeping.
NOW = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
SECRET = factories.SECRET
CODE_RE = re.compile(r"\b(\d{6})\b")


def count(session: Session, model) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def last_message(session: Session, to: str) -> OutboxMessage:
    message = session.exec(
        select(OutboxMessage).where(OutboxMessage.to == to).order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no message queued for {to}"
    return message


def code_sent_to(session: Session, to: str) -> str:
    """The code is stored only as an HMAC, so read it from the queued message."""
    match = CODE_RE.search(last_message(session, to).body_text)
    assert match, "no 6-digit code in the message"
    return match.group(1)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(values) -> float:
    return statistics.median(values)


# --- console: clients, invitations, sessions -----------------------------------------------

BASE_URL = "http://portal.test"
TIMEOUTS = SessionTimeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))
INVITE_KEY_RE = re.compile(r"/invite\?key=([A-Za-z0-9_-]+)")


def invite_key_sent_to(session: Session, to: str) -> str:
    """The raw invitation key, read from the last message queued for `to`."""
    match = INVITE_KEY_RE.search(last_message(session, to).body_text)
    assert match, "no invitation link in the message"
    return match.group(1)


def redeem(session: Session, ticket: str, *, now: datetime = NOW) -> str:
    """Exchange a sign-in ticket for a session token, as the cookie route does."""
    result = redeem_ticket(session, raw_ticket=ticket, timeouts=TIMEOUTS, now=now)
    assert result is not None, "ticket was refused"
    return result[0]


def invite_and_sign_in(session: Session, *, staff_id: int | None, client_id: int,
                       now: datetime = NOW) -> str:
    """Invite a client, accept the link and redeem the ticket; returns the session token."""
    invitation = invite_client(session, staff_id=staff_id, client_id=client_id,
                               base_url=BASE_URL, now=now)
    key = invite_key_sent_to(session, invitation.email)
    signed_in = accept_invitation(session, raw=key, now=now)
    return redeem(session, signed_in.ticket, now=now)


def resolve(session: Session, token: str | None, *, business=None, now: datetime = NOW):
    return resolve_client(session, raw_token=token, timeouts=TIMEOUTS, portal_enabled=True,
                          business=business, now=now)
