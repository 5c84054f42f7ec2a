"""Grants (entitlements) on a client record, and what they open.

A grant is active when it is not revoked, has started and has not ended. An app
that `needs_grant` opens to a client holding an active grant whose `app_key` is
that app (to the app itself, or to a piece of its content). Content checks (a
course) look for an active grant to that content or to its whole app.

Every check runs on the server, on every event: revoking a grant ends access at
the client's next action. Revoking never deletes: progress lives in the app's own
tables, so restoring (`restore_grant`) finds it again.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Integer, String, bindparam, or_
from sqlmodel import Session, select

from models import Business, Client, Entitlement, GrantKind, GrantSource
from models.base import UTCDateTime, utcnow
from portal_app import apps
from portal_app.services import reads
from portal_app.services.audit import record_audit
from portal_app.services.community.access import ensure_member
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, parse_id
from portal_app.services.hub.grant_window import active_clause

NO_GRANT = "That grant does not exist."


def is_active(grant: Entitlement, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (grant.revoked_at is None and grant.starts_at <= now
            and (grant.ends_at is None or grant.ends_at > now))


def enabled_apps(business: Business) -> tuple[str, ...]:
    """The apps the business has turned on, in the registry's order (Portal always)."""
    on = set(business.apps_enabled or [])
    return tuple(a.key for a in apps.APPS if a.key == apps.PORTAL or a.key in on)


def grant_needing(business: Business) -> tuple[str, ...]:
    """The apps the business has on that open only with a grant (not those it opened
    to every client)."""
    opened = set(business.apps_open or [])
    return tuple(k for k in enabled_apps(business)
                 if apps.get_app(k).needs_grant and k not in opened)


def client_apps(session: Session, *, business: Business, client_id: int,
                now: datetime | None = None) -> tuple[str, ...]:
    """The apps this client may open now: on for the business and, when the app needs
    a grant (and is not open to all), granted. One statement."""
    keys = enabled_apps(business)
    needing = grant_needing(business)
    granted: set[str] = set()
    if needing:
        granted = set(reads.run(session, _granted_apps_statement(), client_id=int(client_id),
                                apps=list(needing), now=now or utcnow()).scalars())
    return tuple(k for k in keys if k not in needing or k in granted)


@cache
def _granted_apps_statement():
    """The apps (of those asked) a client holds an active grant to, built once."""
    return select(Entitlement.app_key).distinct().where(
        Entitlement.client_id == bindparam("client_id", type_=Integer),
        Entitlement.app_key.in_(bindparam("apps", expanding=True)),
        *active_clause(bindparam("now", type_=UTCDateTime)))


def has_app(session: Session, *, business: Business, client_id: int, app_key: str) -> bool:
    return app_key in client_apps(session, business=business, client_id=client_id)


def has_content(session: Session, *, client_id: int, kind: str, target_id: int,
                app_key: str, now: datetime | None = None) -> bool:
    """An active grant to this content (a course), or to its whole app."""
    row = reads.run(session, _content_grant_statement(), client_id=int(client_id),
                    app_key=str(app_key), kind=str(kind), target_id=int(target_id),
                    now=now or utcnow()).first()
    return row is not None


@cache
def _content_grant_statement():
    return select(Entitlement.id).where(
        Entitlement.client_id == bindparam("client_id", type_=Integer),
        Entitlement.app_key == bindparam("app_key", type_=String),
        or_(Entitlement.kind == GrantKind.APP,
            (Entitlement.kind == bindparam("kind", type_=String))
            & (Entitlement.target_id == bindparam("target_id", type_=Integer))),
        *active_clause(bindparam("now", type_=UTCDateTime))).limit(1)


def granted_content_ids(session: Session, *, client_id: int, kind: str, app_key: str,
                        now: datetime | None = None) -> tuple[bool, set[int]]:
    """(whole app granted, ids of the content granted one by one) — active grants only."""
    rows = reads.run(session, _content_grants_statement(), client_id=int(client_id),
                     app_key=str(app_key), now=now or utcnow()).all()
    whole = any(k == GrantKind.APP for k, _ in rows)
    return whole, {int(t) for k, t in rows if k == kind and t is not None}


@cache
def _content_grants_statement():
    """A client's active grants in one app (kind, target), built once."""
    return select(Entitlement.kind, Entitlement.target_id).where(
        Entitlement.client_id == bindparam("client_id", type_=Integer),
        Entitlement.app_key == bindparam("app_key", type_=String),
        *active_clause(bindparam("now", type_=UTCDateTime)))


def first_start(session: Session, *, client_id: int, kind: str, target_id: int,
                app_key: str) -> datetime | None:
    """When this client's access to the content first started (revoked grants count:
    an enrolment's day 0 does not move when access is restored)."""
    rows = session.exec(select(Entitlement.starts_at).where(
        Entitlement.client_id == client_id, Entitlement.app_key == app_key,
        or_(Entitlement.kind == GrantKind.APP,
            (Entitlement.kind == kind) & (Entitlement.target_id == target_id)))).all()
    return min(rows) if rows else None


def grant(session: Session, *, client_id: int, kind: str, app_key: str,
          target_id: int | None = None, source: str, starts_at: datetime | None = None,
          ends_at: datetime | None = None, offer_id: int | None = None,
          purchase_id: int | None = None, booking_id: int | None = None,
          staff_id: int | None = None) -> Entitlement:
    """Make one grant (and audit it)."""
    if kind not in GrantKind.ALL or source not in GrantSource.ALL:
        raise ServiceError("Unknown kind of grant.")
    spec = apps.get_app(app_key)
    if spec is None or not spec.needs_grant:
        raise ServiceError("Choose an app.", field="app")
    if kind != GrantKind.APP and target_id is None:
        raise ServiceError("Choose what to give access to.", field="target")
    starts_at = starts_at or utcnow()
    if ends_at is not None and ends_at <= starts_at:
        raise ServiceError("The end must be after the start.", field="ends")
    row = Entitlement(client_id=client_id, kind=kind, app_key=app_key,
                      target_id=target_id if kind != GrantKind.APP else None, source=source,
                      starts_at=starts_at, ends_at=ends_at, offer_id=offer_id,
                      purchase_id=purchase_id, booking_id=booking_id,
                      granted_by_staff_id=staff_id)
    session.add(row)
    session.flush()
    if kind == GrantKind.GROUP and row.starts_at <= utcnow():
        # A grant to a group makes its holder a member at once (no second step).
        ensure_member(session, group_id=int(target_id), client_id=client_id)
    record_audit(session, actor_kind="staff" if staff_id else "client",
                 actor_id=staff_id or client_id, action="entitlement.granted",
                 client_id=client_id, grant=row.id, kind=kind, app=app_key,
                 target=row.target_id, source=source)
    return row


def get_grant(session: Session, *, grant_id: object, client_id: int | None = None
              ) -> Entitlement:
    """A grant by id (of `client_id` when given); NotFound otherwise."""
    row = session.get(Entitlement, parse_id(grant_id, NO_GRANT))
    if row is None or (client_id is not None and row.client_id != client_id):
        raise NotFound(NO_GRANT)
    return row


def revoke_grant(session: Session, *, grant_id: object, staff_id: int | None,
                 reason: str = "", client_id: int | None = None) -> Entitlement:
    """End a grant now (kept, so it can be restored)."""
    row = get_grant(session, grant_id=grant_id, client_id=client_id)
    if row.revoked_at is not None:
        raise NotAllowed("That access was already ended.")
    row.revoked_at = utcnow()
    row.revoke_reason = str(reason or "").strip()[:300]
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="entitlement.revoked", client_id=row.client_id, grant=row.id,
                 reason=row.revoke_reason)
    return row


def restore_grant(session: Session, *, grant_id: object, staff_id: int | None,
                  client_id: int | None = None) -> Entitlement:
    """Undo a revoke; the app's progress is where it was."""
    row = get_grant(session, grant_id=grant_id, client_id=client_id)
    if row.revoked_at is None:
        raise NotAllowed("That access is not ended.")
    row.revoked_at = None
    row.revoke_reason = ""
    session.add(row)
    session.flush()
    record_audit(session, actor_kind="staff" if staff_id else "system", actor_id=staff_id,
                 action="entitlement.restored", client_id=row.client_id, grant=row.id)
    return row


def list_grants(session: Session, *, client_id: int) -> list[Entitlement]:
    """Every grant of a record, newest first (the console's client page)."""
    return list(session.exec(select(Entitlement).where(Entitlement.client_id == client_id)
                             .order_by(Entitlement.created_at.desc(),
                                       Entitlement.id.desc())).all())


def clients_with_grant(session: Session, *, kind: str, target_id: int, app_key: str,
                       now: datetime | None = None) -> list[Client]:
    """Records with an active grant to this content or its app (a course's students)."""
    ids = select(Entitlement.client_id).where(
        Entitlement.app_key == app_key,
        or_(Entitlement.kind == GrantKind.APP,
            (Entitlement.kind == kind) & (Entitlement.target_id == target_id)),
        *active_clause(now or utcnow()))
    return list(session.exec(select(Client).where(Client.id.in_(ids))
                             .order_by(Client.full_name, Client.id)).all())
