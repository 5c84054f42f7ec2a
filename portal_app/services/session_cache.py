"""Resolved sessions kept in this process between events, checked against the
access generation (models/access_generation.py) on every event.

Every private event asks "who is this cookie?". The full answer (the session
joined to its account and records, the business row) costs more CPU than the
event itself; it changes only when a row it came from changes, and every such
change moves the access generation in the same transaction. So an event reads
the generation (one small statement), and when it is the one a session was
resolved at, the session's answer is reused: the records, permissions, access
and business row, with expiry and idle time still checked against the clock
(and the throttled last-seen touch still written). Any other generation, an
unknown or expired token, a token near its idle limit, or a database without
the counter: the full check runs, and only its positive answers are kept.

When this process keeps the cookie's session, the generation is read in the same
statement as the client shell's counts for the record the session had selected
(`start_client_event`): the event's check is then that one statement. The guess
is only used when the check's answer matches it (the same record, messaging
access and grant-needing apps); anything else reads the shell again.

Revocation therefore bites on the next event, on one process and across
workers and the CLI: logging out, signing out everywhere, disabling a record,
turning a permission or the portal off, a staff member switched off — each is a
write to a watched column, which moves the generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session

from models import AuthSession, Business
from models.base import utcnow
from portal_app.services import access_generation
from portal_app.services.business import business_at
from portal_app.services.crypto import sha256_hex
from portal_app.services.sessions import (
    TOUCH_EVERY,
    ClientContext,
    SessionTimeouts,
    StaffContext,
    resolve_client_session,
    resolve_staff_session,
)
from portal_app.services.shell import ShellFacts, generation_and_shell_facts, shell_facts

MAX_ENTRIES = 20_000


@dataclass
class _Entry:
    engine: object
    generation: int
    kind: str
    ctx: ClientContext | StaffContext
    expires_at: datetime
    last_seen_at: datetime
    # (business row, the context with it): the copy handed out for that row object.
    with_business: tuple | None = None
    # (record, messaging, grant-needing apps) the last event of this session asked the
    # shell about: the guess read together with the generation (`start_client_event`).
    shell_key: tuple | None = None


_entries: OrderedDict[str, _Entry] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget every kept session (tests; the process's own shutdown needs nothing)."""
    with _lock:
        _entries.clear()


def kept() -> int:
    return len(_entries)


def _keep(key: str, entry: _Entry) -> None:
    with _lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def _fresh(session: Session, key: str, kind: str, generation: int | None,
           timeouts: SessionTimeouts, now: datetime) -> _Entry | None:
    """The kept entry when it still stands at `generation` and by the clock."""
    if generation is None:
        return None
    entry = _entries.get(key)
    if entry is None or entry.generation != generation or entry.kind != kind \
            or entry.engine is not session.get_bind():
        return None
    # Near a limit, the database decides (another worker may have touched it since).
    if entry.expires_at <= now or entry.last_seen_at + timeouts.idle <= now + TOUCH_EVERY:
        return None
    return entry


def _touch(session: Session, entry: _Entry, now: datetime) -> None:
    if now - entry.last_seen_at >= TOUCH_EVERY:
        session.connection().execute(
            update(AuthSession).where(AuthSession.id == entry.ctx.session_id)
            .values(last_seen_at=now))
        entry.last_seen_at = now


def _valid_token(raw_token: str | None) -> bool:
    return bool(raw_token) and len(raw_token) <= 200


def generation_and_business(session: Session) -> tuple[int | None, Business]:
    """This event's generation and the business row at it (kept between events)."""
    generation = access_generation.current(session)
    return generation, business_at(session, generation)


@dataclass(frozen=True)
class ClientEventStart:
    """A client event's first read: the access generation, the business row at it,
    and — when the cookie's session is kept — the shell's facts for the guessed
    (record, messaging, apps), read in the same statement as the generation."""

    generation: int | None
    business: Business
    key: str | None = None  # the token's hash (None: no usable token)
    guessed: tuple | None = None  # ((record, messaging, apps, fields), ShellFacts)

    def shell_facts(self, session: Session, *, client_id: int, messaging: bool,
                    apps: tuple[str, ...], fields: tuple[str, ...] = ()) -> ShellFacts:
        """`shell.shell_facts`, answered by the guess read with the generation when it
        was for this record, messaging access, apps and profile fields; remembered as
        the next guess."""
        asked = (int(client_id), bool(messaging), tuple(apps), tuple(fields))
        # The entry kept now (a full check this event may have replaced the one guessed from).
        entry = _entries.get(self.key) if self.key is not None else None
        if entry is not None and entry.shell_key != asked:
            entry.shell_key = asked
        if self.guessed is not None and self.guessed[0] == asked:
            return self.guessed[1]
        return shell_facts(session, client_id=client_id, messaging=messaging, apps=apps,
                           fields=fields)


def start_client_event(session: Session, *, raw_token: str | None) -> ClientEventStart:
    """This event's generation and business row (as `generation_and_business`), read in
    one statement with the shell's facts when this process keeps the cookie's session
    and knows what its last event asked the shell. The kept entry is only peeked at
    here (no generation or clock check): `client` still decides with this generation."""
    key = sha256_hex(raw_token) if _valid_token(raw_token) else None
    entry = _entries.get(key) if key is not None else None
    guess = entry.shell_key if entry is not None and entry.engine is session.get_bind() \
        else None
    if guess is None:
        generation, business = generation_and_business(session)
        return ClientEventStart(generation, business, key)
    generation, facts = generation_and_shell_facts(session, client_id=guess[0],
                                                   messaging=guess[1], apps=guess[2],
                                                   fields=guess[3])
    return ClientEventStart(generation, business_at(session, generation), key, (guess, facts))


def client(session: Session, *, raw_token: str | None, timeouts: SessionTimeouts,
           portal_enabled: bool, business: Business, generation: int | None,
           now: datetime | None = None) -> ClientContext | None:
    """`sessions.resolve_client`, answered from the kept entry when it still stands."""
    if not portal_enabled or not _valid_token(raw_token):
        return None
    now = now or utcnow()
    key = sha256_hex(raw_token)
    entry = _fresh(session, key, "client", generation, timeouts, now)
    if entry is not None:
        _touch(session, entry, now)
        made = entry.with_business
        if made is None or made[0] is not business:
            made = entry.with_business = (business, replace(entry.ctx, business=business))
        return made[1]
    ctx, auth = resolve_client_session(session, raw_token=raw_token, timeouts=timeouts,
                                       portal_enabled=portal_enabled, business=business,
                                       now=now)
    if ctx is not None and generation is not None:
        _keep(key, _Entry(session.get_bind(), generation, "client",
                          replace(ctx, business=None), auth.expires_at, auth.last_seen_at))
    return ctx


def staff(session: Session, *, raw_token: str | None, timeouts: SessionTimeouts,
          generation: int | None, now: datetime | None = None) -> StaffContext | None:
    """`sessions.resolve_staff`, answered from the kept entry when it still stands."""
    if not _valid_token(raw_token):
        return None
    now = now or utcnow()
    key = sha256_hex(raw_token)
    entry = _fresh(session, key, "staff", generation, timeouts, now)
    if entry is not None:
        _touch(session, entry, now)
        return entry.ctx
    ctx, auth = resolve_staff_session(session, raw_token=raw_token, timeouts=timeouts, now=now)
    if ctx is not None and generation is not None:
        _keep(key, _Entry(session.get_bind(), generation, "staff", ctx,
                          auth.expires_at, auth.last_seen_at))
    return ctx
