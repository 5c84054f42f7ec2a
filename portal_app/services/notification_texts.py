"""The text of a notification, made at read time in the reader's language and zone.

A notification is stored as its kind plus parameters (facts, not sentences: a
service name, a moment in UTC, an amount in minor units), so one line reads
"Booking confirmed: Massage, Mon, May 6, 9:30 AM EDT" to one reader and
"Reserva confirmada: Masaje, lun, 6 may, 9:30 EDT" to another, whichever
language the client chose after it was written. Every text here is a msgid of
the catalogue (portal_app/i18n). A row without parameters (written before they
existed, or a free-text line) shows its stored title.
"""

from __future__ import annotations

from datetime import date, datetime

from models import NotificationKind
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.money import format_money

# booking event -> headline (the same msgids as the booking emails' headlines)
BOOKING_HEADLINES = {
    "confirmed": "Booking confirmed",
    "approved": "Booking confirmed",
    "declined": "Request declined",
    "rescheduled": "Booking moved",
    "cancelled": "Booking cancelled",
}
BOOKING_LINE = "{headline}: {service}, {when}"
MESSAGE_LINE = "New message: {subject}"
# (reminder, invoice kind) -> line
INVOICE_LINES = {
    (False, "invoice"): "New invoice {number} — {total}",
    (False, "estimate"): "New estimate {number} — {total}",
    (True, "invoice"): "Reminder: invoice {number} — {total}",
    (True, "estimate"): "Reminder: estimate {number} — {total}",
}
SUPERBILL_LINE = "Your superbill for {start} – {end} is ready"
PAYMENT_LINE = "Payment received: {amount} for invoice {number}"
DOCUMENT_LINES = {False: "New document: {title}", True: "Updated document: {title}"}
DOCUMENTS_LINE = "{count} new documents"
FORM_LINE = "New form to complete: {title}"
FORMS_LINE = "{count} new forms to complete"
COURSE_LINE = "New lesson open in {course}: {title}"
COURSE_LINES = "{count} new lessons open in {course}"
# community event -> line (issue 23; params from community/notices.py community_params)
COMMUNITY_LINES = {
    "mention": "{group}: {who} mentioned you in {title}",
    "reply": "{group}: {who} replied to your post {title}",
    "post": "{group}: {who} posted {title}",
    "comment": "{group}: {who} commented on {title}",
    "approved": "Your request to join {group} was approved",
    "level": "You reached {level} in {group}",
}
COMMUNITY_SOMEONE = "A member"  # an author without a display name (never the legal name)


def booking_params(*, event: str, service: str, start_at: datetime) -> dict:
    return {"event": event, "service": service, "start_at": start_at.isoformat()}


def message_params(*, subject: str) -> dict:
    return {"subject": subject}


def invoice_params(*, doc: str, reminder: bool, number: str, total_minor: int,
                   currency: str) -> dict:
    return {"doc": doc, "reminder": bool(reminder), "number": number,
            "total_minor": int(total_minor), "currency": currency}


def payment_params(*, amount_minor: int, currency: str, number: str) -> dict:
    return {"amount_minor": int(amount_minor), "currency": currency, "number": number}


def document_params(*, titles: list[str], updated: bool = False) -> dict:
    return {"count": len(titles), "title": titles[0] if len(titles) == 1 else "",
            "updated": bool(updated)}


def form_params(*, titles: list[str]) -> dict:
    return {"count": len(titles), "title": titles[0] if len(titles) == 1 else ""}


def course_params(*, course: str, titles: list[str]) -> dict:
    return {"course": course, "count": len(titles), "title": titles[0] if len(titles) == 1 else ""}


def _booking(p: dict, lang: str, zone: str) -> str:
    when = formats.when_short(datetime.fromisoformat(p["start_at"]), zone, lang)
    return i18n.gettext(lang, BOOKING_LINE, service=p["service"], when=when,
                        headline=i18n.gettext(lang, BOOKING_HEADLINES[p["event"]]))


def _message(p: dict, lang: str, zone: str) -> str:
    return i18n.gettext(lang, MESSAGE_LINE, subject=p["subject"])


def _invoice(p: dict, lang: str, zone: str) -> str:
    if p.get("doc") == "superbill":  # issue 20: the days are calendar days, no zone
        return i18n.gettext(lang, SUPERBILL_LINE,
                            start=formats.date_text(date.fromisoformat(p["start"]), lang),
                            end=formats.date_text(date.fromisoformat(p["end"]), lang))
    line = INVOICE_LINES[(bool(p["reminder"]), p["doc"])]
    return i18n.gettext(lang, line, number=p["number"],
                        total=format_money(int(p["total_minor"]), p["currency"], lang))


def _payment(p: dict, lang: str, zone: str) -> str:
    return i18n.gettext(lang, PAYMENT_LINE, number=p["number"],
                        amount=format_money(int(p["amount_minor"]), p["currency"], lang))


def _document(p: dict, lang: str, zone: str) -> str:
    if int(p["count"]) == 1:
        return i18n.gettext(lang, DOCUMENT_LINES[bool(p.get("updated"))], title=p["title"])
    return i18n.gettext(lang, DOCUMENTS_LINE, count=formats.number(int(p["count"]), lang))


def _form(p: dict, lang: str, zone: str) -> str:
    if int(p["count"]) == 1:
        return i18n.gettext(lang, FORM_LINE, title=p["title"])
    return i18n.gettext(lang, FORMS_LINE, count=formats.number(int(p["count"]), lang))


def _course(p: dict, lang: str, zone: str) -> str:
    if int(p["count"]) == 1:
        return i18n.gettext(lang, COURSE_LINE, course=p["course"], title=p["title"])
    return i18n.gettext(lang, COURSE_LINES, course=p["course"],
                        count=formats.number(int(p["count"]), lang))


def _community(p: dict, lang: str, zone: str) -> str:
    who = p.get("who") or i18n.gettext(lang, COMMUNITY_SOMEONE)
    return i18n.gettext(lang, COMMUNITY_LINES[p["event"]], group=p["group"], who=who,
                        title=p.get("title", ""), level=p.get("level", ""))


RENDERERS = {
    NotificationKind.BOOKING: _booking,
    NotificationKind.MESSAGE: _message,
    NotificationKind.INVOICE: _invoice,
    NotificationKind.PAYMENT: _payment,
    NotificationKind.DOCUMENT: _document,
    NotificationKind.FORM: _form,
    NotificationKind.COURSE: _course,
    NotificationKind.COMMUNITY: _community,
}


def render(kind: str, params: dict, *, lang: str, zone: str) -> str:
    """The line for `kind` + `params` in `lang`, times in `zone`. Raises KeyError,
    ValueError or TypeError when the parameters do not fit the kind."""
    return " ".join(RENDERERS[kind](params, lang, zone or "UTC").split())
