"""Small helpers shared by the unit tests (no fixtures here; see conftest.py)."""

import re
import statistics
import time
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models import OutboxMessage
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
