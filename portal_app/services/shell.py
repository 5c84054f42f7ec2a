"""What the client shell shows on every page: the bell's unread count, the
unread messages next to "Messages", whether "Forms" shows (with how many are
still to do), whether "Offers" shows (an offer is listed to clients) and which
grant-needing apps the record holds an active grant to (the app switcher) and which
of the profile fields the business's apps ask for the record has filled in (the
hub pages' profile-completion check), read together in one statement (the shell runs on every
private event, so its cost is paid by every action). The session check may ask
for the access generation in that same statement (`generation_and_shell_facts`):
then a client event whose session is kept sends one statement for its check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Integer, bindparam, exists, func, or_
from sqlmodel import Session, select

from models import (
    AccessGeneration,
    Client,
    Conversation,
    Entitlement,
    FormRequest,
    FormStatus,
    Notification,
    Offer,
    OfferStatus,
)
from models.base import UTCDateTime, utcnow


@dataclass(frozen=True)
class ShellFacts:
    bell: int
    messages: int  # 0 without messaging access
    forms: int  # forms sent to the record, not withdrawn ("Forms" shows when > 0)
    forms_open: int  # of those, not completed yet
    offers: bool = False  # an active offer is listed to clients ("Offers" shows)
    granted: frozenset[str] = frozenset()  # of the `apps` asked about, those granted now
    filled: frozenset[str] = frozenset()  # of the profile `fields` asked about, those filled in


@cache
def _statement(messaging: bool, apps: tuple[str, ...], generation: bool = False,
               fields: tuple[str, ...] = ()):
    """The statement for one combination (with or without messaging; an EXISTS per
    grant-needing app the business has on; the record's value of each profile field in
    `fields` (Client columns); with or without the access generation as
    its last column), built once: building a SQLAlchemy expression costs more CPU
    than SQLite takes to run it, and this one runs on every private event. The
    record and the moment are bound parameters."""
    client_id = bindparam("client_id", type_=Integer)
    now = bindparam("now", type_=UTCDateTime)
    bell = (select(func.count()).select_from(Notification)
            .where(Notification.client_id == client_id, Notification.read_at.is_(None))
            .scalar_subquery())
    forms = (select(func.count()).select_from(FormRequest)
             .where(FormRequest.client_id == client_id,
                    FormRequest.status != FormStatus.CANCELLED).scalar_subquery())
    forms_open = (select(func.count()).select_from(FormRequest)
                  .where(FormRequest.client_id == client_id,
                         # equalities, not IN: an IN list is expanded at every execution
                         or_(*(FormRequest.status == status
                               for status in FormStatus.OUTSTANDING))).scalar_subquery())
    offers = exists().where(Offer.status == OfferStatus.ACTIVE, Offer.staff_only.is_(False))
    columns = [bell, forms, forms_open, offers]
    if messaging:
        columns.append(select(func.coalesce(func.sum(Conversation.client_unread), 0))
                       .where(Conversation.client_id == client_id).scalar_subquery())
    for key in apps:  # the same rule as entitlements.active_clause, per app
        columns.append(select(Entitlement.id).where(
            Entitlement.client_id == client_id, Entitlement.app_key == key,
            Entitlement.revoked_at.is_(None), Entitlement.starts_at <= now,
            or_(Entitlement.ends_at.is_(None), Entitlement.ends_at > now)).exists())
    for name in fields:
        columns.append(select(getattr(Client, name)).where(Client.id == client_id)
                       .scalar_subquery())
    if generation:  # what access_generation.current reads, as a column of this snapshot
        columns.append(select(AccessGeneration.value).where(AccessGeneration.id == 1)
                       .scalar_subquery())
    return select(*columns)


def _row(session: Session, client_id: int, messaging: bool, apps: tuple[str, ...],
         now: datetime | None, generation: bool, fields: tuple[str, ...] = ()):
    # Core, not the ORM: no objects to load, and the ORM's execution path costs more
    # than the statement itself.
    return session.connection().execute(
        _statement(bool(messaging), apps, generation, fields),
        {"client_id": int(client_id), "now": now or utcnow()}).one()


def _facts(row, messaging: bool, apps: tuple[str, ...],
           fields: tuple[str, ...] = ()) -> ShellFacts:
    first_app = 5 if messaging else 4
    first_field = first_app + len(apps)
    granted = frozenset(key for key, flag in
                        zip(apps, row[first_app:first_field], strict=True) if flag)
    filled = frozenset(name for name, value in
                       zip(fields, row[first_field:first_field + len(fields)], strict=True)
                       if str(value or "").strip())
    return ShellFacts(bell=int(row[0] or 0), messages=int(row[4] or 0) if messaging else 0,
                      forms=int(row[1] or 0), forms_open=int(row[2] or 0),
                      offers=bool(row[3]), granted=granted, filled=filled)


def shell_facts(session: Session, *, client_id: int, messaging: bool,
                apps: tuple[str, ...] = (), now: datetime | None = None,
                fields: tuple[str, ...] = ()) -> ShellFacts:
    """The shell's counts, which of `apps` (grant-needing apps the business has on) the
    record may open now and which of the profile `fields` it has filled in, in one
    statement."""
    apps, fields = tuple(apps), tuple(fields)
    return _facts(_row(session, client_id, messaging, apps, now, False, fields),
                  messaging, apps, fields)


def generation_and_shell_facts(session: Session, *, client_id: int, messaging: bool,
                               apps: tuple[str, ...] = (), now: datetime | None = None,
                               fields: tuple[str, ...] = ()
                               ) -> tuple[int | None, ShellFacts]:
    """`access_generation.current` and `shell_facts` in one statement (one snapshot):
    the session check's first read when it can guess the record (services/session_cache.py
    `start_client_event`). The generation is None when the counter's row is missing."""
    apps, fields = tuple(apps), tuple(fields)
    row = _row(session, client_id, messaging, apps, now, True, fields)
    generation = row[-1]
    return ((None if generation is None else int(generation)),
            _facts(row, messaging, apps, fields))


def shell_counts(session: Session, *, client_id: int, messaging: bool) -> tuple[int, int]:
    """(unread notifications, unread messages; 0 without messaging access)."""
    facts = shell_facts(session, client_id=client_id, messaging=messaging)
    return facts.bell, facts.messages
