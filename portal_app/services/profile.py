"""The client's own profile: name, mobile, time zone, language; the time zone
read from the browser at the first sign-in; and the request to close the account.

Every function takes the record id from the caller's session (never from the
browser) and the account id of the signed-in email for the audit row. The
request to close an account deletes nothing: the business is told and decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, bindparam, exists, update
from sqlmodel import Session, select

from models import Client, NotificationKind
from models.base import utcnow
from portal_app import i18n, routes
from portal_app.services import reads, timezones
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.clients import clean_mobile, get_client
from portal_app.services.emails import inbox_language
from portal_app.services.errors import ServiceError, get_by_id
from portal_app.services.notifications import email_preferences, set_email_preferences
from portal_app.services.outbox import enqueue_email
from portal_app.services.validation import clean_name

NO_CLIENT = "That client does not exist."
REASON_MAX = 1000
PROFILE_FIELDS = ("full_name", "mobile", "timezone", "language")
# Only messages and documents are optional; booking, invoice and payment emails always go.
OPTIONAL_EMAILS = (NotificationKind.MESSAGE, NotificationKind.DOCUMENT, NotificationKind.COURSE)
class ProfileErrors(ServiceError):
    """Several fields were refused at once; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = dict(errors)


@dataclass(frozen=True)
class ProfileFields:
    full_name: str
    mobile: str
    timezone: str
    language: str


def clean_profile(form: dict) -> ProfileFields:
    """Check every field of the profile form; all problems are reported together."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    checks = {
        "full_name": lambda raw: clean_name(raw),
        "mobile": clean_mobile,
        "timezone": _clean_zone,
        "language": _clean_language,
    }
    for name, check in checks.items():
        try:
            values[name] = check(form.get(name, ""))
        except ServiceError as exc:
            errors[name] = exc.message
    if errors:
        raise ProfileErrors(errors)
    return ProfileFields(**values)


def _clean_zone(raw: object) -> str:
    """One of the offered (canonical) zones; an old alias counts as its zone."""
    try:
        return timezones.clean_zone(raw)
    except ValueError as exc:
        raise ServiceError(str(exc), field="timezone") from exc


def _clean_language(raw: object) -> str:
    code = str(raw or "").strip()
    if code not in i18n.LANGUAGES:
        raise ServiceError("Choose a language from the list.", field="language")
    return code


def get_profile(session: Session, *, client_id: int) -> Client:
    return get_by_id(session, Client, client_id, NO_CLIENT)


def update_profile(session: Session, *, account_id: int, client_id: int, form: dict,
                   ip: str = "") -> list[str]:
    """Save the client's own name, mobile, time zone and language; returns the
    changed fields. Bad input raises ProfileErrors and changes nothing. Choosing a
    time zone here counts as set: it is never overwritten by detection."""
    fields = clean_profile(form)
    client = get_profile(session, client_id=client_id)
    changed = [name for name in PROFILE_FIELDS if getattr(client, name) != getattr(fields, name)]
    for name in changed:
        setattr(client, name, getattr(fields, name))
    if client.timezone_detected_at is None:
        client.timezone_detected_at = utcnow()
    session.add(client)
    session.flush()
    if changed:
        record_audit(session, actor_kind="client", actor_id=account_id,
                     action="client.profile_updated", client_id=client.id, ip=ip, fields=changed)
    return changed


def set_language(session: Session, *, account_id: int, client_id: int, language: object,
                 ip: str = "") -> str:
    """Save the interface language on the record (the language picker while signed in)."""
    code = _clean_language(language)
    client = get_profile(session, client_id=client_id)
    if client.language != code:
        client.language = code
        session.add(client)
        session.flush()
        record_audit(session, actor_kind="client", actor_id=account_id,
                     action="client.profile_updated", client_id=client.id, ip=ip,
                     fields=["language"])
    return code


def save_email_choices(session: Session, *, client_id: int, chosen: Iterable[str]) -> list[str]:
    """Which of the optional notifications (OPTIONAL_EMAILS) of the record also
    arrive by email; the other kinds keep their setting. Returns every kind that
    now arrives by email."""
    wanted = set(chosen)
    kept = [k for k in email_preferences(get_profile(session, client_id=client_id))
            if k not in OPTIONAL_EMAILS]
    return set_email_preferences(session, client_id=client_id,
                                 kinds=kept + [k for k in OPTIONAL_EMAILS if k in wanted])


def needs_timezone(session: Session, *, client_id: int) -> bool:
    """Whether the browser's zone should still be read for this record."""
    return bool(reads.run(session, _needs_timezone_statement(),
                          client_id=int(client_id)).scalar())


@cache
def _needs_timezone_statement():
    return select(needs_timezone_clause())


@cache
def needs_timezone_clause():
    """`needs_timezone` in SQL (the record a bound parameter `client_id`)."""
    return exists().where(Client.id == bindparam("client_id", type_=Integer),
                          Client.timezone_detected_at.is_(None))


def store_detected_timezone(session: Session, *, account_id: int, client_id: int, zone: object,
                            ip: str = "") -> bool:
    """Keep the browser's zone once: only a known IANA zone, only while none was
    detected or chosen (one conditional UPDATE, so two tabs cannot both win).
    Returns whether it was stored. An old alias the browser reports is stored
    as its canonical zone."""
    zone = timezones.canonical_zone(zone)
    if not zone:
        return False
    result = session.exec(
        update(Client)
        .where(Client.id == client_id, Client.timezone_detected_at.is_(None))
        .values(timezone=zone, timezone_detected_at=utcnow())
    )
    if result.rowcount != 1:
        return False
    record_audit(session, actor_kind="client", actor_id=account_id,
                 action="client.timezone_detected", client_id=client_id, ip=ip, timezone=zone)
    return True


def clean_reason(raw: object) -> str:
    """Plain text, at most REASON_MAX characters; control characters dropped."""
    text = raw if isinstance(raw, str) else ""
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32).strip()
    if len(text) > REASON_MAX:
        raise ServiceError(f"Keep the reason under {REASON_MAX:,} characters.", field="reason")
    return text


def request_closure(session: Session, *, account_id: int, client_id: int, reason: object,
                    base_url: str, ip: str = "") -> Client:
    """The client asks to close this record's account. Nothing is deleted: the
    request is kept on the record, audited, and the business's contact address
    is emailed (through the outbox); staff decide in the console."""
    clean = clean_reason(reason)
    client = get_profile(session, client_id=client_id)
    if client.closure_requested_at is not None:
        raise ServiceError("You have already asked to close this account. We will be in touch.")
    now = utcnow()
    client.closure_requested_at = now
    client.closure_reason = clean
    session.add(client)
    session.flush()
    business = get_business(session)
    to = (business.contact_email or "").strip()
    if to:
        enqueue_email(session, to=to, template="closure_requested", business=business,
                      lang=inbox_language(session, business),
                      idempotency_key=f"closure-request-{client.id}-{int(now.timestamp())}",
                      client_name=client.full_name, reason=clean,
                      url=f"{base_url}{routes.console_client(client.id)}")
    record_audit(session, actor_kind="client", actor_id=account_id,
                 action="client.closure_requested", client_id=client.id, ip=ip,
                 reason=clean, emailed=bool(to))
    return client


def dismiss_closure(session: Session, *, staff_id: int, client_id: object) -> Client:
    """Staff clear a closure request (after talking to the client, say); audited
    with what was asked."""
    client = get_client(session, client_id=client_id)
    if client.closure_requested_at is None:
        raise ServiceError("This client has not asked to close the account.")
    asked_at, reason = client.closure_requested_at, client.closure_reason
    client.closure_requested_at = None
    client.closure_reason = ""
    session.add(client)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id,
                 action="client.closure_dismissed", client_id=client.id,
                 requested_at=asked_at.isoformat(), reason=reason)
    return client
