"""Portal invitations: a single-use link by email that signs a client in.

Opening the link (GET) only shows a page; mail scanners fetch links, so only
the button press (`accept_invitation`) consumes it, with a conditional
UPDATE. A new invitation retires the client's older ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import update
from sqlmodel import Session, select

from models import Client, Invitation, PortalAccess, PortalAccount
from models.base import utcnow
from portal_app import routes
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.client_auth import SignedIn, complete_sign_in
from portal_app.services.clients import get_client, revoke_open_invitations
from portal_app.services.crypto import new_token, sha256_hex
from portal_app.services.emails import client_language, render_email
from portal_app.services.errors import PortalClosed, ServiceError
from portal_app.services.outbox import enqueue_email
from portal_app.services.sessions import list_eligible_records, revoke_all_for_account
from portal_app.services.validation import normalize_email

ALREADY_ACTIVE = ("This client has already signed in; copy the portal link and send it to "
                  "them instead.")
NO_EMAIL = "Add the client's email address before inviting them."
NO_CONSENT = ("This client has not agreed to email (Email OK is off). Portal access needs an "
              "email with consent: tick Email OK first.")
MAX_BULK = 1000
PREVIEW_KEY = "EXAMPLE-SINGLE-USE-KEY"
INVALID_LINK = ("This invitation link has expired or was already used. Sign in with your email "
                "address, or ask us for a new invitation.")


def invitation_link(base_url: str, token: str) -> str:
    return f"{base_url}/invite?key={quote(token)}"


def portal_url(base_url: str, slug: str = "") -> str:
    """The address clients bookmark: the short /p/<slug> one when set."""
    return routes.slug_url(base_url, slug)


def _account_for(session: Session, email: str) -> PortalAccount:
    account = session.exec(select(PortalAccount).where(PortalAccount.email == email)).first()
    if account is None:
        account = PortalAccount(email=email)
        session.add(account)
        session.flush()
    return account


def _email_context(client: Client, account: PortalAccount, base_url: str, business,
                   message: str) -> dict:
    return {"client_name": client.full_name, "email": account.email,
            "days": business.invite_ttl_days,
            "portal_url": portal_url(base_url, business.portal_slug),
            "message": message.strip()[:2000]}


def invite_client(
    session: Session,
    *,
    staff_id: int | None,
    client_id: object,
    base_url: str,
    message: str = "",
    request_key: str = "",
    now: datetime | None = None,
) -> Invitation:
    """Send (or resend) a portal invitation to a client who has not signed in yet.

    `request_key` makes a repeated request (a retried bulk action) send nothing twice.
    """
    now = now or utcnow()
    client = get_client(session, client_id=client_id)
    business = get_business(session)
    if client.portal_access == PortalAccess.ACTIVE:
        raise ServiceError(ALREADY_ACTIVE)
    if not client.email_ok:
        raise ServiceError(NO_CONSENT, field="email_ok")
    if client.account_id is not None:
        account = session.get(PortalAccount, client.account_id)
    elif client.email:
        account = _account_for(session, client.email)
    else:
        raise ServiceError(NO_EMAIL, field="email")
    revoke_open_invitations(session, client_id=client.id, now=now)
    token = new_token()
    invitation = Invitation(
        client_id=client.id, account_id=account.id, email=account.email,
        token_hash=sha256_hex(token), created_by_staff_id=staff_id, created_at=now,
        expires_at=now + timedelta(days=business.invite_ttl_days))
    session.add(invitation)
    client.account_id = account.id
    client.portal_access = PortalAccess.INVITED
    client.invited_at = now
    client.disabled_at = None
    session.add(client)
    session.flush()
    key = f"invite-{request_key}-{client.id}" if request_key else f"invite-{invitation.id}"
    enqueue_email(session, to=account.email, template="invitation", business=business,
                  idempotency_key=key, lang=client_language(client, business),
                  link=invitation_link(base_url, token),
                  **_email_context(client, account, base_url, business, message))
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="client.invited",
                 client_id=client.id, email=account.email)
    return invitation


@dataclass(frozen=True)
class BulkInviteResult:
    invited: int
    skipped: list[tuple[int, str]]


def invite_clients(
    session: Session,
    *,
    staff_id: int | None,
    client_ids: list,
    base_url: str,
    request_key: str,
    message: str = "",
) -> BulkInviteResult:
    """Invite many clients in one transaction: all or none are queued, each once."""
    ids = []
    for raw in client_ids:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            continue
    ids = sorted(set(ids))
    if not ids:
        raise ServiceError("Select at least one client.")
    if len(ids) > MAX_BULK:
        # One transaction holds SQLite's write lock (~6 ms a client): keep it short.
        raise ServiceError(f"Invite at most {MAX_BULK:,} clients at a time.")
    invited = 0
    skipped: list[tuple[int, str]] = []
    for client_id in ids:
        # No SAVEPOINT here: with the pysqlite driver, releasing the outermost savepoint
        # COMMITs, which made the bulk invite partial (a kill midway kept what was done).
        # invite_client refuses before it writes anything, so none is needed.
        try:
            invite_client(session, staff_id=staff_id, client_id=client_id,
                          base_url=base_url, message=message, request_key=request_key)
            invited += 1
        except ServiceError as exc:
            skipped.append((client_id, exc.message))
    return BulkInviteResult(invited=invited, skipped=skipped)


def preview_invitation(session: Session, *, client_id: object, base_url: str,
                       message: str = "") -> tuple[str, str]:
    """Subject and text of the invitation as the client would get it (in the
    client's language)."""
    client = get_client(session, client_id=client_id)
    business = get_business(session)
    account = (session.get(PortalAccount, client.account_id) if client.account_id
               else PortalAccount(email=client.email or "(no email yet)"))
    subject, text, _ = render_email(
        "invitation", business, lang=client_language(client, business),
        link=invitation_link(base_url, PREVIEW_KEY),
        **_email_context(client, account, base_url, business, message))
    return subject, text


def _live_invitation(session: Session, raw: str, now: datetime) -> Invitation | None:
    if not raw or len(raw) > 200:
        return None
    inv = session.exec(select(Invitation).where(Invitation.token_hash == sha256_hex(raw))).first()
    if inv is None or inv.used_at or inv.revoked_at or inv.expires_at <= now:
        return None
    return inv


@dataclass(frozen=True)
class InvitationView:
    valid: bool
    client_name: str = ""
    email: str = ""


def open_invitation(session: Session, *, raw: str, now: datetime | None = None) -> InvitationView:
    """What the invitation page shows; records the first opening. Consumes nothing."""
    now = now or utcnow()
    business = get_business(session)
    if not business.portal_enabled:
        raise PortalClosed()
    inv = _live_invitation(session, raw, now)
    if inv is None:
        return InvitationView(valid=False)
    client = session.get(Client, inv.client_id)
    if inv.opened_at is None:
        inv.opened_at = now
        session.add(inv)
        record_audit(session, actor_kind="client", actor_id=inv.account_id,
                     action="client.invitation_opened", client_id=inv.client_id)
    return InvitationView(valid=True, client_name=client.full_name, email=inv.email)


def accept_invitation(session: Session, *, raw: str, ip: str = "",
                      now: datetime | None = None) -> SignedIn:
    """The button press: consume the link once and sign the client in."""
    now = now or utcnow()
    business = get_business(session)
    if not business.portal_enabled:
        raise PortalClosed()
    inv = _live_invitation(session, raw, now)
    if inv is None:
        raise ServiceError(INVALID_LINK)
    claimed = session.exec(
        update(Invitation)
        .where(Invitation.id == inv.id, Invitation.used_at.is_(None),
               Invitation.revoked_at.is_(None))
        .values(used_at=now))
    if claimed.rowcount != 1:
        raise ServiceError(INVALID_LINK)
    client = session.get(Client, inv.client_id)
    if client.account_id != inv.account_id or client.portal_access != PortalAccess.INVITED:
        raise ServiceError(INVALID_LINK)
    record_audit(session, actor_kind="client", actor_id=inv.account_id,
                 action="client.invitation_accepted", client_id=client.id, ip=ip)
    account = session.get(PortalAccount, inv.account_id)
    return complete_sign_in(session, account=account, ip=ip, now=now, method="invitation",
                            selected_client_id=client.id)


def change_portal_email(
    session: Session,
    *,
    staff_id: int,
    client_id: object,
    new_email: str,
    also_primary: bool,
    base_url: str,
    now: datetime | None = None,
) -> Invitation:
    """Move a record to another sign-in email ("Disable and Resend"): the old email
    loses access to it (and is told), the new one gets an invitation."""
    now = now or utcnow()
    client = get_client(session, client_id=client_id)
    email = normalize_email(new_email, field="new_email")
    business = get_business(session)
    old_account = session.get(PortalAccount, client.account_id) if client.account_id else None
    if old_account is not None and old_account.email == email:
        raise ServiceError("That is already the portal email.", field="new_email")
    new_account = _account_for(session, email)
    revoke_open_invitations(session, client_id=client.id, now=now)
    client.account_id = new_account.id
    client.portal_access = PortalAccess.NOT_INVITED
    if also_primary:
        client.email = email
    session.add(client)
    session.flush()
    if old_account is not None:
        if not list_eligible_records(session, account_id=old_account.id):
            revoke_all_for_account(session, account_id=old_account.id, now=now)
        enqueue_email(session, to=old_account.email, template="portal_email_changed",
                      business=business, idempotency_key=f"email-changed-{new_token()}",
                      lang=client_language(client, business),
                      client_name=client.full_name, old_email=old_account.email)
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="client.portal_email_changed", client_id=client.id,
                 old=old_account.email if old_account else "", new=email,
                 also_primary=also_primary)
    return invite_client(session, staff_id=staff_id, client_id=client.id, base_url=base_url,
                         now=now)
