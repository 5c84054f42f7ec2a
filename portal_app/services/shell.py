"""What the client shell shows on every page: the bell's unread count, the
unread messages next to "Messages", whether "Forms" shows (with how many
are still to do) and whether "Offers" shows (any offer is listed), read together in one statement (the shell runs on every
private event, so its cost is paid by every action)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, bindparam, exists, func
from sqlmodel import Session, select

from models import Conversation, FormRequest, FormStatus, Notification, Offer, OfferStatus


@dataclass(frozen=True)
class ShellFacts:
    bell: int
    messages: int  # 0 without messaging access
    forms: int  # forms sent to the record, not withdrawn ("Forms" shows when > 0)
    forms_open: int  # of those, not completed yet
    offers: bool = False  # an active offer is listed to clients ("Offers" shows)


def _statements():
    """The two statements (with and without messaging), built once: building a
    SQLAlchemy expression costs more CPU than SQLite takes to run it, and this one
    runs on every private event. The record is a bound parameter."""
    client_id = bindparam("client_id", type_=Integer)
    bell = (select(func.count()).select_from(Notification)
            .where(Notification.client_id == client_id, Notification.read_at.is_(None))
            .scalar_subquery())
    forms = (select(func.count()).select_from(FormRequest)
             .where(FormRequest.client_id == client_id,
                    FormRequest.status != FormStatus.CANCELLED).scalar_subquery())
    forms_open = (select(func.count()).select_from(FormRequest)
                  .where(FormRequest.client_id == client_id,
                         FormRequest.status.in_(FormStatus.OUTSTANDING)).scalar_subquery())
    offers = exists().where(Offer.status == OfferStatus.ACTIVE, Offer.staff_only.is_(False))
    messages = (select(func.coalesce(func.sum(Conversation.client_unread), 0))
                .where(Conversation.client_id == client_id).scalar_subquery())
    return (select(bell, forms, forms_open, offers),
            select(bell, forms, forms_open, offers, messages))


_WITHOUT_MESSAGES, _WITH_MESSAGES = _statements()


def shell_facts(session: Session, *, client_id: int, messaging: bool) -> ShellFacts:
    """The shell's counts in one statement."""
    stmt = _WITH_MESSAGES if messaging else _WITHOUT_MESSAGES
    row = session.exec(stmt, params={"client_id": int(client_id)}).one()
    return ShellFacts(bell=int(row[0] or 0), messages=int(row[4] or 0) if messaging else 0,
                      forms=int(row[1] or 0), forms_open=int(row[2] or 0),
                      offers=bool(row[3]))


def shell_counts(session: Session, *, client_id: int, messaging: bool) -> tuple[int, int]:
    """(unread notifications, unread messages; 0 without messaging access)."""
    facts = shell_facts(session, client_id=client_id, messaging=messaging)
    return facts.bell, facts.messages
