"""Portal activation (seeds 003 and 004): when a client gets portal access
without staff pressing "Send invitation".

The business picks one moment (`Business.portal_activation`, a
`PortalActivation` value): manually (the default: nothing is automatic), when
the client is created, at the client's first booking, or at the first document
(later also form) shared with them. The code that makes each of these events
calls one hook (`activate_on_create`, `activate_on_first_booking`,
`activate_on_first_share`); the hook acts only when it is the moment the
business chose.

Activation happens once per client: only a record that has never been invited
(not invited, no invitation time) is activated, so a second booking or share,
a client whose invitation is still open, or one whose access staff disabled,
gets nothing. It needs the portal switched on, an email address and Email OK
(seed 004: "An email with consent is required for Client Portal access").

A client whose email already belongs to a portal account that has been used
(signed in, or has a password) is linked to it: the record joins that sign-in,
active at once, and no invitation goes out. Otherwise the client gets the
invitation that exists (`invitations.invite_client`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models import Client, PortalAccess, PortalAccount, PortalActivation
from models.base import utcnow
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.clients import get_client
from portal_app.services.errors import ServiceError
from portal_app.services.invitations import NO_CONSENT, NO_EMAIL, invite_client

MODES = PortalActivation.ALL

# What an activation did (or why it did nothing).
INVITED = "invited"
LINKED = "linked"
NOT_NOW = ""  # not the moment the business chose, or already activated once
NO_EMAIL_YET = "no_email"
EMAIL_NOT_OK = "no_consent"
PORTAL_OFF = "portal_off"


def activation_mode(session: Session) -> str:
    """The business's activation moment; an unknown stored value counts as manual."""
    mode = get_business(session).portal_activation
    return mode if mode in MODES else PortalActivation.MANUAL


def never_activated(client: Client) -> bool:
    """No access yet and never invited: the only records activation touches."""
    return client.portal_access == PortalAccess.NOT_INVITED and client.invited_at is None


def _used_account(session: Session, client: Client) -> PortalAccount | None:
    """The portal account of the client's email, if someone has used it."""
    if client.account_id is not None:
        account = session.get(PortalAccount, client.account_id)
    else:
        account = session.exec(select(PortalAccount).where(
            PortalAccount.email == client.email.strip().lower())).first()
    if account is None or (account.last_sign_in_at is None and not account.password_hash):
        return None
    return account


def blocker(session: Session, client: Client) -> str:
    """Why this client cannot be activated now ("" when nothing stands in the way)."""
    if not get_business(session).portal_enabled:
        return PORTAL_OFF
    if not client.email and client.account_id is None:
        return NO_EMAIL_YET
    if not client.email_ok:
        return EMAIL_NOT_OK
    return ""


def _activate(session: Session, client: Client, *, staff_id: int | None, base_url: str,
              trigger: str, now: datetime) -> str:
    account = _used_account(session, client)
    if account is not None:
        client.account_id = account.id
        client.portal_access = PortalAccess.ACTIVE
        client.invited_at = now
        client.disabled_at = None
        session.add(client)
        session.flush()
        record_audit(session, actor_kind="system" if staff_id is None else "staff",
                     actor_id=staff_id,
                     action="client.portal_linked", client_id=client.id, email=account.email,
                     trigger=trigger)
        return LINKED
    invite_client(session, staff_id=staff_id, client_id=client.id, base_url=base_url, now=now)
    return INVITED


def _on(session: Session, *, mode: str, client_id: object, staff_id: int | None,
        base_url: str, now: datetime | None) -> str:
    client = get_client(session, client_id=client_id)
    if activation_mode(session) != mode or not never_activated(client):
        return NOT_NOW
    reason = blocker(session, client)
    if reason:
        return reason
    return _activate(session, client, staff_id=staff_id, base_url=base_url, trigger=mode,
                     now=now or utcnow())


def activate_on_create(session: Session, *, client_id: object, base_url: str,
                       staff_id: int | None = None, invite: bool = False,
                       now: datetime | None = None) -> str:
    """A client was just created. Activates when the business activates on creation,
    or when staff ticked "Invite to the client portal" (`invite`): then a missing
    email or Email OK is refused beside the field and nothing is created."""
    if invite:
        # As "Send invitation" always did, this works with the portal switched off too.
        client = get_client(session, client_id=client_id)
        reason = blocker(session, client)
        if reason == NO_EMAIL_YET:
            raise ServiceError(NO_EMAIL, field="email")
        if reason == EMAIL_NOT_OK:
            raise ServiceError(NO_CONSENT, field="email_ok")
        if not never_activated(client):
            return NOT_NOW
        return _activate(session, client, staff_id=staff_id, base_url=base_url,
                         trigger="invite", now=now or utcnow())
    return _on(session, mode=PortalActivation.ON_CREATE, client_id=client_id,
               staff_id=staff_id, base_url=base_url, now=now)


def activate_on_first_booking(session: Session, *, client_id: object, base_url: str,
                              staff_id: int | None = None, now: datetime | None = None) -> str:
    """A booking was made for the client (by staff, or by the client)."""
    return _on(session, mode=PortalActivation.FIRST_BOOKING, client_id=client_id,
               staff_id=staff_id, base_url=base_url, now=now)


def activate_on_first_share(session: Session, *, client_id: object, base_url: str,
                            staff_id: int | None = None, now: datetime | None = None) -> str:
    """Something was shared with the client: documents today; the forms app calls
    this too when it sends a form or packet."""
    return _on(session, mode=PortalActivation.FIRST_SHARE, client_id=client_id,
               staff_id=staff_id, base_url=base_url, now=now)


def share_outcome(session: Session, *, client_id: object) -> str:
    """What sharing with this client now would do to their portal: INVITED-or-LINKED
    ("will activate", as INVITED), a blocker, or NOT_NOW. For the share dialog's banner."""
    client = get_client(session, client_id=client_id)
    if activation_mode(session) != PortalActivation.FIRST_SHARE or not never_activated(client):
        return NOT_NOW
    return blocker(session, client) or INVITED
