"""Profile completion (seed 002): an app may declare the client-record fields it
needs (`AppSpec.profile_fields`, e.g. a display name for community posts). A
client who lacks them is asked for exactly those, once, the first time they open
that app; then they go on to where they were going (`next`, a path of ours only).

Fields an app may ask for are listed in `FIELDS` (label, the check); the page
shows the missing ones and `complete_profile` checks and saves them together
(all problems reported at once, nothing saved when one is refused)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlsplit

from sqlalchemy import Integer, bindparam
from sqlmodel import Session, select

from models import Client
from portal_app import apps, routes
from portal_app.services import reads
from portal_app.services.audit import record_audit
from portal_app.services.clients import clean_mobile, get_client
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.profile import ProfileErrors

DISPLAY_NAME_MIN, DISPLAY_NAME_MAX = 2, 40
NO_APP = "That app is not available."


def clean_display_name(raw: object) -> str:
    """2–40 characters once trimmed (inner runs of spaces become one)."""
    name = " ".join(str(raw or "").split())
    if len(name) < DISPLAY_NAME_MIN:
        raise ServiceError("Enter a display name of at least 2 characters.",
                           field="display_name")
    if len(name) > DISPLAY_NAME_MAX:
        raise ServiceError("Use at most 40 characters for the display name.",
                           field="display_name")
    if any(not c.isprintable() for c in name):
        raise ServiceError("Use letters, numbers and punctuation only.", field="display_name")
    return name


def clean_payout_details(raw: object) -> str:
    """How a referrer wants to be paid: 3–300 characters once trimmed."""
    text = " ".join(str(raw or "").split())
    if len(text) < 3:
        raise ServiceError("Say how you would like to be paid.", field="payout_details")
    if len(text) > 300:
        raise ServiceError("Use at most 300 characters.", field="payout_details")
    if any(not c.isprintable() for c in text):
        raise ServiceError("Use letters, numbers and punctuation only.", field="payout_details")
    return text


@dataclass(frozen=True)
class FieldSpec:
    key: str  # the Client column
    label: str  # English; the page translates it
    hint: str  # English
    clean: Callable[[object], str]
    input_type: str = "text"


FIELDS: dict[str, FieldSpec] = {
    "display_name": FieldSpec("display_name", "Display name",
                              "The name other members see. 2 to 40 characters.",
                              clean_display_name),
    "mobile": FieldSpec("mobile", "Mobile", "With the country code, e.g. +1 555 010 0200.",
                        lambda raw: clean_mobile(raw) or _required_mobile(), "tel"),
    "payout_details": FieldSpec(
        "payout_details", "Payout details",
        "How you would like your referral commissions paid: \"account credit\" on your "
        "invoices, or the name and number of the bank account for a transfer.",
        clean_payout_details),
}


def _required_mobile() -> str:
    raise ServiceError("Enter your mobile number.", field="mobile")


def missing_fields(client: Client, spec: apps.AppSpec) -> tuple[str, ...]:
    """The fields `spec` asks for that the record has not filled in yet."""
    return tuple(f for f in spec.profile_fields
                 if f in FIELDS and not str(getattr(client, f, "") or "").strip())


def missing_for_app(session: Session, *, client_id: int, app_key: str) -> tuple[str, ...]:
    """What this record still lacks for `app_key` (no query for an app asking nothing;
    else the asked columns alone: an app page's load runs this on every open)."""
    spec = apps.get_app(app_key)
    if spec is None or not spec.profile_fields:
        return ()
    asked = tuple(f for f in spec.profile_fields if f in FIELDS)
    if not asked:
        return ()
    row = reads.run(session, _fields_statement(asked), client_id=int(client_id)).first()
    if row is None:
        raise NotFound("That client does not exist.")  # as get_client says
    return tuple(f for f, value in zip(asked, row, strict=True)
                 if not str(value or "").strip())


@cache
def asked_fields(app_keys: tuple[str, ...]) -> tuple[str, ...]:
    """The profile fields any of `app_keys` asks for (Client columns, in `FIELDS`'
    order): what the shell reads with its counts on every client event
    (services/shell.py), so an app page's load checks them without a statement."""
    asked = {f for key in app_keys if (spec := apps.get_app(key)) is not None
             for f in spec.profile_fields}
    return tuple(f for f in FIELDS if f in asked)


def missing_from(app_key: str, filled: frozenset[str] | tuple[str, ...]) -> tuple[str, ...]:
    """What `app_key` asks for that is not among `filled` (the fields the record has
    filled in, as the shell read them in this event)."""
    spec = apps.get_app(app_key)
    if spec is None:
        return ()
    return tuple(f for f in spec.profile_fields if f in FIELDS and f not in filled)


@cache
def _fields_statement(asked: tuple[str, ...]):
    return select(*(getattr(Client, f) for f in asked)).where(
        Client.id == bindparam("client_id", type_=Integer))


def complete_profile(session: Session, *, client_id: int, app_key: str, form: dict,
                     account_id: int | None = None) -> Client:
    """Save the fields `app_key` asks for that the record lacks (only those: a field
    already filled in is not changed here). Every problem is reported at once."""
    spec = apps.get_app(str(app_key or ""))
    if spec is None:
        raise ServiceError(NO_APP)
    client = get_client(session, client_id=client_id)
    wanted = missing_fields(client, spec)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for key in wanted:
        try:
            values[key] = FIELDS[key].clean(form.get(key, ""))
        except ServiceError as exc:
            errors[key] = exc.message
    if errors:
        raise ProfileErrors(errors)
    for key, value in values.items():
        setattr(client, key, value)
    if values:
        session.add(client)
        session.flush()
        record_audit(session, actor_kind="client", actor_id=account_id, client_id=client.id,
                     action="client.profile_completed", app=spec.key,
                     fields=",".join(values))
    return client


def safe_next(raw: object, *, fallback: str = routes.DASHBOARD) -> str:
    """`raw` when it is a path of ours (one leading "/", no scheme, no host, no
    backslash or control character, not the completion page itself), else `fallback`."""
    text = str(raw or "")
    if (not text.startswith("/") or text.startswith("//") or "\\" in text
            or any(ord(c) < 32 or ord(c) == 127 for c in text) or len(text) > 500):
        return fallback
    parts = urlsplit(text)
    if parts.scheme or parts.netloc or parts.path.rstrip("/") == routes.PROFILE_COMPLETION:
        return fallback
    return text


def completion_url(app_key: str, next_path: str) -> str:
    """The completion page for `app_key`, then on to `next_path`."""
    return (f"{routes.PROFILE_COMPLETION}?app={quote(app_key, safe='')}"
            f"&next={quote(safe_next(next_path), safe='')}")
