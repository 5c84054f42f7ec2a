"""The dashboard's greeting and next step in the reader's language: the
service (portal_app/services/dashboard.py) says what and where; this words it,
with money and dates from the one formatter, in the reader's zone."""

from portal_app.i18n import formats, gettext
from portal_app.services.dashboard import NextStep, StepKind
from portal_app.services.money import format_money


def greeting_text(lang: str, part: str, name: str) -> str:
    """"Good morning, Ana" / "Buenos días, Ana" (no name: the greeting alone)."""
    if part == "morning":
        text = gettext(lang, "Good morning, {name}", name=name)
    elif part == "afternoon":
        text = gettext(lang, "Good afternoon, {name}", name=name)
    else:
        text = gettext(lang, "Good evening, {name}", name=name)
    return text if name else text.split(",")[0]


def _money_texts(step: NextStep, lang: str, pay: bool) -> tuple[str, str, str]:
    p = step.params
    amount = format_money(int(p.get("amount_minor") or 0), str(p.get("currency") or ""), lang)
    due = formats.date_text(p["due_date"], lang) if p.get("due_date") else ""
    number = str(p.get("number", ""))
    action = gettext(lang, "Pay now") if pay else gettext(lang, "View invoice")
    if step.kind == StepKind.ESTIMATE:
        return (gettext(lang, "Estimate {number} is waiting for your answer", number=number),
                gettext(lang, "{amount}: accept or decline it online.", amount=amount),
                gettext(lang, "Review estimate"))
    if step.kind == StepKind.PAYMENT_OVERDUE:
        return (gettext(lang, "Invoice {number} is overdue", number=number),
                gettext(lang, "{amount} was due on {date}.", amount=amount, date=due), action)
    detail = (gettext(lang, "{amount} due on {date}.", amount=amount, date=due) if due
              else gettext(lang, "{amount} to pay.", amount=amount))
    return gettext(lang, "Invoice {number} is ready to pay", number=number), detail, action


def step_texts(step: NextStep, *, lang: str, zone: str, pay: bool) -> dict[str, str]:
    """{kind, title, detail, action, href} for the page; {} for a kind this
    version has no words for, so nothing half-made shows."""
    p = step.params
    if step.kind in (StepKind.ESTIMATE, StepKind.PAYMENT_OVERDUE, StepKind.PAYMENT_DUE):
        title, detail, action = _money_texts(step, lang, pay)
    elif step.kind == StepKind.FORM:
        count = int(p.get("count") or 1)
        title = gettext(lang, "Please fill in: {title}", title=str(p.get("title", "")))
        detail = ("" if count <= 1 else
                  gettext(lang, "{count} forms to complete", count=count))
        action = gettext(lang, "Open the form")
    elif step.kind == StepKind.BOOKING_REQUEST:
        title = gettext(lang, "Your booking request is waiting for approval")
        detail = f"{p['service']}, {formats.when_long(p['start_at'], zone, lang)}"
        action = gettext(lang, "View bookings")
    elif step.kind == StepKind.MESSAGES:
        count = int(p.get("count") or 0)
        title = (gettext(lang, "You have a new message") if count == 1
                 else gettext(lang, "You have {count} new messages", count=count))
        detail, action = "", gettext(lang, "Read messages")
    elif step.kind == StepKind.DOCUMENTS:
        count = int(p.get("count") or 0)
        title = (gettext(lang, "A new document was shared with you") if count == 1
                 else gettext(lang, "{count} new documents were shared with you", count=count))
        detail, action = "", gettext(lang, "View documents")
    elif step.kind == StepKind.ALL_SET:
        title = gettext(lang, "You're all set")
        detail, action = gettext(lang, "Nothing needs your attention right now."), ""
    else:
        return {}
    return {"kind": step.kind, "title": title, "detail": detail, "action": action,
            "href": step.link}
