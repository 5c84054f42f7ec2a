"""Client records as staff manage them: list, create, edit, households,
permissions, disabling access, and the portal timeline.

Single business per installation: every client belongs to it, so staff may
act on any client id that exists; an unknown id is NotFound.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from models import AuthSession, Client, Invitation, PortalAccess, PortalAccount
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.outbox import consent_withheld_by, withhold_queued_email
from portal_app.services.permissions import (
    PERMISSION_KEYS,
    check_permission_set,
    client_permissions,
    default_permissions,
)
from portal_app.services.sessions import list_eligible_records, revoke_all_for_account
from portal_app.services.validation import clean_name, normalize_email

PER_PAGE = 50
STATUSES = (PortalAccess.NOT_INVITED, PortalAccess.INVITED, PortalAccess.ACTIVE,
            PortalAccess.DISABLED)
_MOBILE = re.compile(r"^\+?[0-9 ()./-]{7,24}$")
_TIMEZONES = frozenset(zoneinfo.available_timezones())


@dataclass(frozen=True)
class ClientFields:
    full_name: str
    email: str
    mobile: str
    timezone: str
    notes: str


def clean_mobile(raw: object) -> str:
    """A mobile number as typed, spaces tidied ("" is allowed: none)."""
    mobile = " ".join(str(raw or "").split())
    if mobile and (not _MOBILE.match(mobile) or sum(c.isdigit() for c in mobile) < 7):
        raise ServiceError("Enter a mobile number with country code, e.g. +1 555 010 0200.",
                           field="mobile")
    return mobile


def is_timezone(name: object) -> bool:
    """Whether `name` is an IANA zone this machine knows (zoneinfo)."""
    return isinstance(name, str) and name in _TIMEZONES


def clean_timezone(raw: object, *, required: bool = False) -> str:
    """An IANA zone name ("" is allowed unless `required`)."""
    tz = str(raw or "").strip()
    if (tz or required) and not is_timezone(tz):
        raise ServiceError("Choose a time zone from the list, e.g. America/New_York.",
                           field="timezone")
    return tz


def clean_client_fields(form: dict) -> ClientFields:
    """Validate a client form; every problem names its field."""
    raw_email = str(form.get("email", "") or "").strip()
    email = normalize_email(raw_email) if raw_email else ""
    mobile = clean_mobile(form.get("mobile", ""))
    tz = clean_timezone(form.get("timezone", ""))
    notes = str(form.get("notes", "") or "").strip()
    if len(notes) > 5000:
        raise ServiceError("Notes are limited to 5,000 characters.", field="notes")
    return ClientFields(clean_name(form.get("full_name", "")), email, mobile, tz, notes)


def get_client(session: Session, *, client_id: object) -> Client:
    return get_by_id(session, Client, client_id, "That client does not exist.")


def portal_email_of(session: Session, client: Client) -> str:
    if client.account_id is None:
        return ""
    account = session.get(PortalAccount, client.account_id)
    return account.email if account else ""


def email_held_back(session: Session, *, client_id: object) -> bool:
    """Whether the outbox would hold back an email to this client (their Email OK, or
    that of another record at the same address, is off): for the console's warnings."""
    client = get_client(session, client_id=client_id)
    if not client.email_ok:
        return True
    to = portal_email_of(session, client) or client.email
    return bool(to) and consent_withheld_by(session, to=to) is not None


@dataclass(frozen=True)
class ClientRow:
    id: int
    full_name: str
    email: str
    portal_email: str
    status: str
    last_sign_in_at: datetime | None
    invited_at: datetime | None
    perm_upload: bool = True
    email_ok: bool = True


@dataclass(frozen=True)
class ClientPage:
    rows: list[ClientRow]
    total: int
    page: int
    pages: int


def list_clients(
    session: Session,
    *,
    search: str = "",
    status: str = "",
    signed_in: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> ClientPage:
    """One page of clients: two queries (count and page) whatever the size."""
    conditions = []
    term = " ".join(str(search or "").split()).lower()[:100]
    if term:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        conditions.append(or_(func.lower(Client.full_name).like(like),
                              func.lower(Client.email).like(like),
                              func.lower(PortalAccount.email).like(like)))
    if status in STATUSES:
        conditions.append(Client.portal_access == status)
    if signed_in == "yes":
        conditions.append(Client.last_sign_in_at.is_not(None))
    elif signed_in == "no":
        conditions.append(Client.last_sign_in_at.is_(None))
    base = select(Client.id).outerjoin(PortalAccount, PortalAccount.id == Client.account_id)
    total = int(session.exec(
        select(func.count()).select_from(base.where(*conditions).subquery())).one())
    pages = max(1, -(-total // per_page))
    page = min(max(1, int(page or 1)), pages)
    rows = session.exec(
        select(Client.id, Client.full_name, Client.email, PortalAccount.email,
               Client.portal_access, Client.last_sign_in_at, Client.invited_at,
               Client.perm_upload, Client.email_ok)
        .outerjoin(PortalAccount, PortalAccount.id == Client.account_id)
        .where(*conditions)
        .order_by(func.lower(Client.full_name), Client.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return ClientPage(
        rows=[ClientRow(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6], bool(r[7]), bool(r[8]))
              for r in rows],
        total=total, page=page, pages=pages)


def invitation_age(invited_at: datetime | None, *, now: datetime,
                   ttl_days: int | None = None) -> str:
    """"invited today", "invited yesterday", "invited 9 days ago" (whole days), and
    ", link expired" once `ttl_days` have passed. "" when never invited."""
    if invited_at is None:
        return ""
    days = max(0, (now - invited_at) // timedelta(days=1))
    text = ("invited today" if days == 0 else "invited yesterday" if days == 1
            else f"invited {days} days ago")
    if ttl_days is not None and now >= invited_at + timedelta(days=ttl_days):
        text += ", link expired"
    return text


def create_client(session: Session, *, staff_id: int, form: dict,
                  email_ok: bool = True) -> Client:
    """Add a client; permissions start from the practice defaults. `email_ok` is the
    "Email OK" box: whether the client agreed to get email from the business."""
    fields = clean_client_fields(form)
    business = get_business(session)
    perms = default_permissions(business)
    client = Client(
        full_name=fields.full_name, email=fields.email, mobile=fields.mobile,
        timezone=fields.timezone or business.timezone, notes=fields.notes,
        email_ok=bool(email_ok), **{f"perm_{k}": v for k, v in perms.items()},
    )
    session.add(client)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="client.created",
                 client_id=client.id, email_ok=client.email_ok)
    return client


def set_email_consent(session: Session, *, staff_id: int, client_id: object,
                      email_ok: bool) -> Client:
    """Record the client's "Email OK" (seed 004). Off: the outbox holds back every
    email to their address except the sign-in emails they ask for, what is still
    queued for them included."""
    client = get_client(session, client_id=client_id)
    if client.email_ok != bool(email_ok):
        client.email_ok = bool(email_ok)
        session.add(client)
        withheld = 0 if client.email_ok else withhold_queued_email(
            session, addresses=[client.email, portal_email_of(session, client)])
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="client.email_consent_changed", client_id=client.id,
                     email_ok=client.email_ok, withheld=withheld)
    return client


def update_client(session: Session, *, staff_id: int, client_id: object, form: dict) -> Client:
    """Edit contact details. The portal (sign-in) email changes only through
    `invitations.change_portal_email`."""
    client = get_client(session, client_id=client_id)
    fields = clean_client_fields(form)
    changed = [name for name in ("full_name", "email", "mobile", "timezone", "notes")
               if getattr(client, name) != getattr(fields, name)]
    for name in changed:
        setattr(client, name, getattr(fields, name))
    session.add(client)
    if changed:
        record_audit(session, actor_kind="staff", actor_id=staff_id, action="client.updated",
                     client_id=client.id, fields=changed)
    return client


def set_permissions(session: Session, *, staff_id: int, client_id: object,
                    perms: dict) -> dict[str, bool]:
    """Save a client's permissions; they apply on the client's next event."""
    client = get_client(session, client_id=client_id)
    clean = check_permission_set(perms)
    before = client_permissions(client)
    for key, value in clean.items():
        setattr(client, f"perm_{key}", value)
    session.add(client)
    changes = {k: clean[k] for k in PERMISSION_KEYS if clean[k] != before[k]}
    if changes:
        record_audit(session, actor_kind="staff", actor_id=staff_id,
                     action="client.permissions_changed", client_id=client.id, changes=changes)
    return clean


def set_upload_permission(session: Session, *, staff_id: int, client_id: object,
                          allowed: bool) -> dict[str, bool]:
    """The paper-clip (seed 003): the client's upload permission alone."""
    client = get_client(session, client_id=client_id)
    return set_permissions(session, staff_id=staff_id, client_id=client.id,
                           perms={**client_permissions(client), "upload": bool(allowed)})


def _end_sessions_if_no_access(session: Session, account_id: int | None) -> int:
    if account_id is None or list_eligible_records(session, account_id=account_id):
        return 0
    return revoke_all_for_account(session, account_id=account_id)


def revoke_open_invitations(session: Session, *, client_id: int,
                            now: datetime | None = None) -> None:
    """Revoke the record's unused invitation links (a new one, or no access, replaces them)."""
    session.exec(
        update(Invitation)
        .where(Invitation.client_id == client_id, Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(revoked_at=now or utcnow()))


def disable_access(session: Session, *, staff_id: int, client_id: object) -> Client:
    """Turn portal access off for one record; revoke its invitations. If the email
    holds no other record with access, every session of it ends now."""
    client = get_client(session, client_id=client_id)
    if client.portal_access == PortalAccess.DISABLED:
        return client
    client.portal_access = PortalAccess.DISABLED
    client.disabled_at = utcnow()
    session.add(client)
    session.flush()
    revoke_open_invitations(session, client_id=client.id)
    ended = _end_sessions_if_no_access(session, client.account_id)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="client.access_disabled",
                 client_id=client.id, sessions_ended=ended)
    return client


def household(session: Session, *, client_id: object) -> list[Client]:
    """The records that share this client's portal email (itself included)."""
    client = get_client(session, client_id=client_id)
    if client.account_id is None:
        return [client]
    return list(session.exec(
        select(Client).where(Client.account_id == client.account_id)
        .order_by(Client.full_name, Client.id)).all())


def add_household_member(session: Session, *, staff_id: int, client_id: object,
                         full_name: str) -> Client:
    """A new record under the same portal email, with the same access state."""
    client = get_client(session, client_id=client_id)
    if client.account_id is None:
        raise ServiceError("Invite this client to the portal first; household members share "
                           "their portal email.")
    member = Client(
        full_name=clean_name(full_name), email=client.email, timezone=client.timezone,
        account_id=client.account_id,
        portal_access=(client.portal_access if client.portal_access in PortalAccess.CAN_SIGN_IN
                       else PortalAccess.INVITED),
        invited_at=utcnow(),
        **{f"perm_{k}": v for k, v in client_permissions(client).items()},
    )
    session.add(member)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="client.household_member_added", client_id=member.id,
                 household_of=client.id)
    return member


def remove_household_member(session: Session, *, staff_id: int, client_id: object) -> Client:
    """Detach a record from the shared portal email: it keeps its data, loses access."""
    client = get_client(session, client_id=client_id)
    account_id = client.account_id
    if account_id is None:
        raise ServiceError("This client is not part of a household.")
    client.account_id = None
    client.portal_access = PortalAccess.NOT_INVITED
    session.add(client)
    session.flush()
    session.exec(update(AuthSession).where(AuthSession.selected_client_id == client.id)
                 .values(selected_client_id=None))
    _end_sessions_if_no_access(session, account_id)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="client.household_member_removed", client_id=client.id,
                 account_id=account_id)
    return client


def last_seen(session: Session, *, client_id: object) -> datetime | None:
    """The latest activity of any session of this client's portal email."""
    client = get_client(session, client_id=client_id)
    if client.account_id is None:
        return None
    return session.exec(select(func.max(AuthSession.last_seen_at))
                        .where(AuthSession.account_id == client.account_id)).one()
