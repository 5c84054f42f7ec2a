"""Audit rows as plain sentences: "Ana Ruiz paid INV-0012, $95.00".

One table of action -> template (the English texts live here, in one place, so a
later Spanish console can translate them); the names behind the ids in a batch of
rows are loaded in a constant number of queries (clients, staff, bookings,
services), whatever the number of rows. An action without a template, or a row
missing a detail its template names, still reads as words, never as its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlmodel import Session, select

from models import AuditEvent, Booking, Client, Service, StaffUser
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.services.business import get_business
from portal_app.services.money import format_money

# The sentence for each action. Fields: {actor} (who did it), {client} (whom it is
# about), {service} (its name, "Massage (60 min)"), {when} (the booking's time in the business
# zone), {invoice}, {amount}, {count}, {titles}. A key "<action>@staff" is used when a
# staff member did what the plain key words as the client's own act.
TEMPLATES: dict[str, str] = {
    "booking.created": "{actor} booked {service} for {when}",
    "booking.created@staff": "{actor} booked {service} for {client}, {when}",
    "booking.rescheduled": "{actor} moved {service} to {when}",
    "booking.rescheduled@staff": "{actor} moved {client}'s {service} to {when}",
    "booking.cancelled": "{actor} cancelled {service} on {when}",
    "booking.cancelled@staff": "{actor} cancelled {client}'s {service} on {when}",
    "booking.approved": "{actor} approved {client}'s {service} on {when}",
    "booking.declined": "{actor} declined {client}'s {service} on {when}",
    "payment.received": "{actor} paid {invoice}, {amount}",
    "payment.recorded": "{actor} recorded a payment of {amount} from {client} on {invoice}",
    "payment.refunded": "{actor} refunded {amount} to {client} on {invoice}",
    "invoice.created": "{actor} created {invoice} for {client}",
    "invoice.sent": "{actor} sent {invoice} to {client}",
    "invoice.resent": "{actor} sent {invoice} to {client} again",
    "invoice.voided": "{actor} voided {invoice} of {client}",
    "invoice.deleted": "{actor} deleted the draft {invoice} of {client}",
    "statement.sent": "{actor} e-mailed {client} a statement",
    "estimate.accepted": "{actor} accepted the estimate {invoice}",
    "document.shared": "{actor} shared {count} with {client}",
    "document.uploaded": "{actor} uploaded {count}",
    "document.uploaded@staff": "{actor} uploaded {count} for {client}",
    "document.downloaded": "{actor} downloaded a file",
    "document.deleted": "{actor} deleted a file of {client}",
    "document.replaced": "{actor} replaced a file of {client}",
    "conversation.started": "{actor} started a conversation",
    "conversation.started@staff": "{actor} started a conversation with {client}",
    "conversation.assigned": "{actor} assigned a conversation with {client}",
    "client.created": "{actor} added {client} as a client",
    "client.updated": "{actor} edited the details of {client}",
    "client.invited": "{actor} invited {client} to the portal",
    "client.invitation_opened": "{actor} opened the invitation",
    "client.invitation_accepted": "{actor} accepted the invitation",
    "client.sign_in": "{actor} signed in",
    "client.permissions_changed": "{actor} changed the permissions of {client}",
    "client.access_disabled": "{actor} disabled the portal access of {client}",
    "client.portal_email_changed": "{actor} changed the portal email of {client}",
    "client.household_member_added": "{actor} added {client} to a household",
    "client.household_member_removed": "{actor} removed {client} from a household",
    "client.registered": "{actor} signed up for the portal",
    "client.password_set": "{actor} set a password",
    "client.password_reset": "{actor} reset their password",
    "client.profile_updated": "{actor} edited their profile",
    "client.profile_updated@staff": "{actor} edited the profile of {client}",
    "client.timezone_detected": "The time zone of {client} was detected",
    "client.data_exported": "{actor} downloaded their data",
    "client.closure_requested": "{actor} asked to close the account",
    "client.closure_dismissed": "{actor} dismissed the closure request of {client}",
    "staff.sign_in": "{actor} signed in to the console",
    "client.email_consent_changed": "{actor} turned Email OK {email_ok} for {client}",
    "form.sent": "{actor} sent {form} to {client}",
    "form.submitted": "{actor} completed {form}",
    "form.submitted@staff": "{actor} completed {form} for {client}",
    "form.reminded": "{actor} reminded {client} about {form}",
    "form.cancelled": "{actor} cancelled {form} for {client}",
    "client.portal_linked": "{actor} added {client} to their existing portal sign-in",
    "email.blocked": "An email to {client} was held back (Email OK is off)",
    "client.insurance_changed": "{actor} edited the insurance details of {client}",
    "client.diagnosis_added": "{actor} added a diagnosis for {client}",
    "client.diagnosis_changed": "{actor} changed a diagnosis of {client}",
    "client.diagnosis_removed": "{actor} removed a diagnosis of {client}",
    "superbill.requested": "{actor} asked for a superbill",
    "superbill.issued": "{actor} issued a superbill to {client}",
    "superbill.held": "A monthly superbill of {client} is held until missing data is added",
}
FALLBACK = "{actor}: {words}"
FALLBACK_ABOUT = "{actor}: {words} ({client})"
SOMEONE = {"client": "A client", "staff": "A staff member", "system": "The portal"}
ONE_FILE, FILES = "a file", "{n} files"


@dataclass(frozen=True)
class ActivityLine:
    at: datetime
    text: str
    url: str  # the page it is about ("" when none)
    client_id: int | None
    actor_kind: str  # client | staff | system


def _words(action: str) -> str:
    """"booking.created" -> "Booking created": an unknown action, readable."""
    words = action.replace(".", " ").replace("_", " ").strip() or "activity"
    return words[0].upper() + words[1:]


def _quoted(titles: object, lang: str) -> str:
    """Form titles as a sentence names them: “Consent”, or “Consent” and “Intake”."""
    names = [titles] if isinstance(titles, str) else [str(t) for t in titles or []]
    names = [f"“{n}”" for n in names if n]
    if len(names) <= 1:
        return names[0] if names else ""
    return i18n.gettext(lang, "{first} and {last}", first=", ".join(names[:-1]),
                        last=names[-1])


def _moment(raw: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def _by_id(session: Session, model, ids: set[int]) -> dict:
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(ids))).all()}


def describe(session: Session, events: list[AuditEvent], *, zone: str,
             currency: str = "USD", lang: str = i18n.DEFAULT) -> list[ActivityLine]:
    """The rows as sentences in `lang`, in their order (five queries at most, any
    number of rows)."""

    def tr(text: str) -> str:
        return i18n.gettext(lang, text)

    clients = _by_id(session, Client, {e.client_id for e in events})
    staff = _by_id(session, StaffUser, {e.actor_id for e in events if e.actor_kind == "staff"})
    bookings = _by_id(session, Booking, {e.detail.get("booking_id") for e in events})
    services = _by_id(session, Service, {e.detail.get("service_id") for e in events}
                      | {b.service_id for b in bookings.values()})
    lines = []
    for e in events:
        client = clients.get(e.client_id)
        client_name = client.full_name if client else tr("a client")
        if e.actor_kind == "staff":
            person = staff.get(e.actor_id)
            actor = person.full_name if person else tr(SOMEONE["staff"])
        elif e.actor_kind == "client":
            actor = client.full_name if client else tr(SOMEONE["client"])
        else:
            actor = tr(SOMEONE["system"])
        d = e.detail or {}
        booking = bookings.get(d.get("booking_id"))
        service = services.get(d.get("service_id") or (booking.service_id if booking else None))
        start = booking.start_at if booking else None
        if start is None and d.get("start_at"):
            start = _moment(d["start_at"])
        titles = d.get("titles") or d.get("document_ids") or []
        n = len(titles)
        fields = {
            "actor": actor, "client": client_name,
            "service": service.name if service else "",
            "when": formats.when_short(start, zone, lang) if start else "",
            "invoice": str(d.get("invoice") or ""),
            "amount": (format_money(int(d["amount"]), str(d.get("currency") or currency), lang)
                       if isinstance(d.get("amount"), int) else ""),
            "count": tr(ONE_FILE) if n == 1 else i18n.gettext(lang, FILES, n=n or tr("some")),
            "email_ok": tr("on" if d["email_ok"] else "off") if "email_ok" in d else "",
            "form": _quoted(d.get("form") or d.get("forms") or [], lang),
        }
        template = (e.actor_kind == "staff" and TEMPLATES.get(f"{e.action}@staff")) \
            or TEMPLATES.get(e.action)
        if template is not None and any(f"{{{k}}}" in template for k, v in fields.items()
                                        if not v):
            template = None  # a detail it names is missing (an old or odd row): plain words
        if template is None:
            about = client is not None and e.actor_kind != "client"
            template = FALLBACK_ABOUT if about else FALLBACK
            fields["words"] = tr(_words(e.action))
        lines.append(ActivityLine(at=e.at, text=tr(template).format(**fields),
                                  url=_url_of(e, d), client_id=e.client_id,
                                  actor_kind=e.actor_kind))
    return lines


def _url_of(e: AuditEvent, d: dict) -> str:
    if d.get("invoice"):
        return f"{routes.CONSOLE_INVOICE}?number={quote(str(d['invoice']))}"
    if e.action.startswith("booking."):
        return routes.CONSOLE_BOOKINGS
    if d.get("conversation_id"):
        return f"{routes.CONSOLE_MESSAGES}?c={d['conversation_id']}"
    if e.client_id:
        return routes.console_client(e.client_id)
    return ""


def recent_activity(session: Session, *, limit: int = 15, client_id: int | None = None,
                    lang: str = i18n.DEFAULT, zone: str = "") -> list[ActivityLine]:
    """The latest audit rows (of one client, when given) as sentences, newest first,
    with times in the business zone. Sign-in failures and settings changes of the
    business are left out of the home feed (they are not a client's activity)."""
    business = get_business(session)
    query = select(AuditEvent)
    if client_id is not None:
        query = query.where(AuditEvent.client_id == client_id)
    else:
        query = query.where(AuditEvent.client_id.is_not(None))
    events = list(session.exec(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all())
    return describe(session, events, zone=zone or business.timezone or "UTC",
                    currency=business.currency or "USD", lang=lang)
