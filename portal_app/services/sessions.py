"""Server-side sessions: tickets, cookie tokens, expiry and revocation.

A sign-in event creates a single-use ticket (2 minutes). The browser posts it
to `/api/session/start`, which redeems it for a fresh random session token
(rotated at every sign-in) set in an HttpOnly cookie. Only SHA-256 hashes of
tickets and tokens are stored. Every private event resolves the cookie here,
so revocation and expiry take effect on the next event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from models import (
    AuthSession,
    Business,
    Client,
    PortalAccess,
    PortalAccount,
    SignInTicket,
    StaffUser,
)
from models.base import utcnow
from portal_app.services.crypto import new_token, sha256_hex
from portal_app.services.permissions import PERMISSION_KEYS, Access, effective_access

TICKET_TTL = timedelta(minutes=2)
TOUCH_EVERY = timedelta(seconds=60)
COOKIE_NAME = "portal_session"


@dataclass(frozen=True)
class SessionTimeouts:
    idle: timedelta
    absolute: timedelta


def create_ticket(
    session: Session,
    *,
    kind: str,
    account_id: int | None = None,
    staff_id: int | None = None,
    selected_client_id: int | None = None,
    now: datetime | None = None,
) -> str:
    """A single-use ticket the browser exchanges for the session cookie."""
    if kind not in ("client", "staff"):
        raise ValueError(kind)
    now = now or utcnow()
    raw = new_token()
    session.add(
        SignInTicket(
            ticket_hash=sha256_hex(raw),
            kind=kind,
            account_id=account_id,
            staff_id=staff_id,
            selected_client_id=selected_client_id,
            expires_at=now + TICKET_TTL,
        )
    )
    session.flush()
    return raw


def redeem_ticket(
    session: Session,
    *,
    raw_ticket: str,
    timeouts: SessionTimeouts,
    ip: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> tuple[str, AuthSession] | None:
    """Exchange a ticket for a new session token; None if unknown, used or expired."""
    now = now or utcnow()
    if not raw_ticket or len(raw_ticket) > 200:
        return None
    ticket = session.exec(
        select(SignInTicket).where(SignInTicket.ticket_hash == sha256_hex(raw_ticket))
    ).first()
    if ticket is None or ticket.used_at is not None or ticket.expires_at <= now:
        return None
    claimed = session.exec(
        update(SignInTicket)
        .where(SignInTicket.id == ticket.id, SignInTicket.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        return None
    token = new_token()
    auth = AuthSession(
        token_hash=sha256_hex(token),
        kind=ticket.kind,
        account_id=ticket.account_id,
        staff_id=ticket.staff_id,
        selected_client_id=ticket.selected_client_id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timeouts.absolute,
        ip=ip[:64],
        user_agent=user_agent[:300],
    )
    session.add(auth)
    session.flush()
    return token, auth


def _live(auth: AuthSession | None, *, kind: str, timeouts: SessionTimeouts, now: datetime):
    if auth is None or auth.kind != kind or auth.revoked_at is not None:
        return None
    if auth.expires_at <= now or auth.last_seen_at + timeouts.idle <= now:
        return None
    return auth


def _touch(session: Session, auth: AuthSession, now: datetime) -> None:
    if now - auth.last_seen_at >= TOUCH_EVERY:
        auth.last_seen_at = now
        session.add(auth)
        session.flush()


def get_live_session(
    session: Session,
    *,
    raw_token: str | None,
    kind: str,
    timeouts: SessionTimeouts,
    now: datetime | None = None,
) -> AuthSession | None:
    """The live session for a cookie token, or None. Touches last-seen (throttled)."""
    if not raw_token or len(raw_token) > 200:
        return None
    now = now or utcnow()
    auth = session.exec(
        select(AuthSession).where(AuthSession.token_hash == sha256_hex(raw_token))
    ).first()
    auth = _live(auth, kind=kind, timeouts=timeouts, now=now)
    if auth is not None:
        _touch(session, auth, now)
    return auth


@dataclass(frozen=True)
class ClientRecord:
    id: int
    full_name: str
    perms: dict = field(default_factory=dict, compare=False)
    language: str = field(default="", compare=False)
    timezone: str = field(default="", compare=False)


@dataclass(frozen=True)
class ClientContext:
    """Who is acting: the session, the sign-in email and the selected record."""

    session_id: int
    account_id: int
    email: str
    records: tuple[ClientRecord, ...]
    client_id: int | None
    access: Access = field(default_factory=Access)
    # The business row this context was resolved against (saves pages a second read).
    business: Business | None = field(default=None, compare=False)

    @property
    def record(self) -> ClientRecord | None:
        """The selected record, or None while none is chosen."""
        return next((r for r in self.records if r.id == self.client_id), None)

    @property
    def client_name(self) -> str:
        return self.record.full_name if self.record else ""

    @property
    def language(self) -> str:
        """The selected record's language ("" when the client has not chosen one)."""
        return self.record.language if self.record else ""

    @property
    def timezone(self) -> str:
        return self.record.timezone if self.record else ""


_PERM_COLUMNS = [getattr(Client, f"perm_{k}") for k in PERMISSION_KEYS]


def list_eligible_records(session: Session, *, account_id: int) -> list[ClientRecord]:
    """The records this email may act for, with their permissions, in one query."""
    rows = session.exec(
        select(Client.id, Client.full_name, Client.language, Client.timezone, *_PERM_COLUMNS)
        .where(
            Client.account_id == account_id,
            Client.portal_access.in_(PortalAccess.CAN_SIGN_IN),
        )
        .order_by(Client.full_name, Client.id)
    ).all()
    return [
        ClientRecord(id=r[0], full_name=r[1], language=r[2], timezone=r[3],
                     perms=dict(zip(PERMISSION_KEYS, r[4:], strict=True)))
        for r in rows
    ]


def resolve_client(
    session: Session,
    *,
    raw_token: str | None,
    timeouts: SessionTimeouts,
    portal_enabled: bool,
    business: Business | None = None,
    now: datetime | None = None,
) -> ClientContext | None:
    """The signed-in client for this cookie, or None (signed out, closed, disabled).

    One indexed read: the session joined to its account and the account's
    eligible records (with permissions), plus the throttled last-seen touch.
    With `business`, the selected record's effective access is set.
    """
    return resolve_client_session(session, raw_token=raw_token, timeouts=timeouts,
                                  portal_enabled=portal_enabled, business=business, now=now)[0]


def resolve_client_session(
    session: Session,
    *,
    raw_token: str | None,
    timeouts: SessionTimeouts,
    portal_enabled: bool,
    business: Business | None = None,
    now: datetime | None = None,
) -> tuple[ClientContext | None, AuthSession | None]:
    """`resolve_client`, with the session row it was resolved from (None with None)."""
    if not portal_enabled or not raw_token or len(raw_token) > 200:
        return None, None
    now = now or utcnow()
    rows = session.exec(
        select(AuthSession, PortalAccount.email, Client.id, Client.full_name, Client.language,
               Client.timezone, *_PERM_COLUMNS)
        .join(PortalAccount, PortalAccount.id == AuthSession.account_id)
        .outerjoin(Client, (Client.account_id == PortalAccount.id)
                   & Client.portal_access.in_(PortalAccess.CAN_SIGN_IN))
        .where(AuthSession.token_hash == sha256_hex(raw_token))
        .order_by(Client.full_name, Client.id)
    ).all()
    if not rows:
        return None, None
    auth = _live(rows[0][0], kind="client", timeouts=timeouts, now=now)
    if auth is None or auth.account_id is None:
        return None, None
    _touch(session, auth, now)
    records = tuple(
        ClientRecord(id=r[2], full_name=r[3], language=r[4], timezone=r[5],
                     perms=dict(zip(PERMISSION_KEYS, r[6:], strict=True)))
        for r in rows if r[2] is not None)
    if not records:
        return None, None
    selected = auth.selected_client_id
    if selected is not None and all(r.id != selected for r in records):
        selected = None
    if selected is None and len(records) == 1:
        selected = records[0].id
    access = Access()
    if business is not None and selected is not None:
        chosen = next(r for r in records if r.id == selected)
        access = effective_access(business, chosen.perms)
    ctx = ClientContext(
        session_id=auth.id,
        account_id=auth.account_id,
        email=rows[0][1],
        records=records,
        client_id=selected,
        access=access,
        business=business,
    )
    return ctx, auth


@dataclass(frozen=True)
class StaffContext:
    session_id: int
    staff_id: int
    email: str
    full_name: str
    role: str
    language: str = ""  # "" = the business's
    timezone: str = ""  # "" = the business's zone


def resolve_staff(
    session: Session,
    *,
    raw_token: str | None,
    timeouts: SessionTimeouts,
    now: datetime | None = None,
) -> StaffContext | None:
    return resolve_staff_session(session, raw_token=raw_token, timeouts=timeouts, now=now)[0]


def resolve_staff_session(
    session: Session,
    *,
    raw_token: str | None,
    timeouts: SessionTimeouts,
    now: datetime | None = None,
) -> tuple[StaffContext | None, AuthSession | None]:
    """`resolve_staff`, with the session row it was resolved from (None with None)."""
    auth = get_live_session(session, raw_token=raw_token, kind="staff", timeouts=timeouts, now=now)
    if auth is None or auth.staff_id is None:
        return None, None
    staff = session.get(StaffUser, auth.staff_id)
    if staff is None or not staff.active:
        return None, None
    return StaffContext(
        session_id=auth.id,
        staff_id=staff.id,
        email=staff.email,
        full_name=staff.full_name,
        role=staff.role,
        language=staff.language or "",
        timezone=staff.timezone or "",
    ), auth


def select_client(session: Session, *, ctx: ClientContext, client_id: int) -> ClientRecord:
    """Switch the session to another record of the same email; refuse any other id."""
    from portal_app.services.errors import NotFound

    for record in ctx.records:
        if record.id == client_id:
            session.exec(
                update(AuthSession)
                .where(AuthSession.id == ctx.session_id)
                .values(selected_client_id=client_id)
            )
            return record
    raise NotFound("That account is not available.")


def revoke_session(session: Session, *, session_id: int, now: datetime | None = None) -> None:
    session.exec(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )


def revoke_token(session: Session, *, raw_token: str | None, now: datetime | None = None) -> None:
    if not raw_token or len(raw_token) > 200:
        return
    session.exec(
        update(AuthSession)
        .where(AuthSession.token_hash == sha256_hex(raw_token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )


def revoke_all_for_account(session: Session, *, account_id: int, now: datetime | None = None) -> int:
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0


def revoke_all_for_staff(session: Session, *, staff_id: int, now: datetime | None = None) -> int:
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.staff_id == staff_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0


def revoke_all_clients(session: Session, *, now: datetime | None = None) -> int:
    """End every client session (the portal was switched off)."""
    result = session.exec(
        update(AuthSession)
        .where(AuthSession.kind == "client", AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0
