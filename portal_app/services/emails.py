"""Email and SMS text rendered from jinja2 templates, branded per business, in
the recipient's language.

English templates live in `templates/email/`; a language's own versions live
in `templates/email/<lang>/` under the same names (their HTML extends that
language's `_layout.html`). Each file falls back to English on its own, so a
missing translation shows English rather than failing the send.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import func
from sqlmodel import Session, select

from models import Business, StaffUser
from portal_app import i18n

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "email"
# Spaces Babel puts inside numbers and times ("95,00 US$", "2:30 PM"): an SMS
# with them is sent as UCS-2 (70 characters a part instead of 160).
_SMS_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def client_language(client, business: Business | None) -> str:
    """The language of what a client record receives: its own choice, else the
    business's."""
    return i18n.pick(getattr(client, "language", ""), getattr(business, "language", ""))


def business_language(business: Business | None) -> str:
    """The language of what the business and its staff receive."""
    return i18n.pick(getattr(business, "language", ""))


def inbox_language(session: Session, business: Business | None) -> str:
    """The language of an email to the business's contact address: the console
    language chosen by the staff member whose sign-in that address is, else the
    business's."""
    address = str(getattr(business, "contact_email", "") or "").strip().lower()
    chosen = session.exec(
        select(StaffUser.language).where(func.lower(StaffUser.email) == address)
    ).first() if address else None
    return i18n.pick(chosen or "", getattr(business, "language", ""))


def _brand(business: Business | None) -> dict:
    if business is None:
        return {"business_name": "Client Portal", "accent": "#1F6FEB", "contact_email": "",
                "contact_phone": ""}
    return {
        "business_name": business.name,
        "accent": business.accent_color,
        "contact_email": business.contact_email,
        "contact_phone": business.contact_phone,
    }


def _template(file: str, lang: str):
    """`<lang>/<file>` when that language has it, else the English file."""
    names = [file] if lang == i18n.DEFAULT else [f"{lang}/{file}", file]
    return _env().select_template(names)


def render_email(name: str, business: Business | None, /, lang: str = i18n.DEFAULT,
                 **context) -> tuple[str, str, str]:
    """Return (subject, text, html) for the template set `name` in `lang`.

    `name` and `business` are positional-only so a template may use `name` too.
    """
    lang = i18n.pick(lang)
    ctx = {**_brand(business), **context, "lang": lang}
    subject = _template(f"{name}.subject.txt", lang).render(ctx).strip()
    text = _template(f"{name}.txt", lang).render(ctx).strip() + "\n"
    html = _template(f"{name}.html", lang).render(ctx)
    return " ".join(subject.split()), text, html


def render_sms(name: str, business: Business | None, /, lang: str = i18n.DEFAULT,
               **context) -> str:
    lang = i18n.pick(lang)
    ctx = {**_brand(business), **context, "lang": lang}
    return _template(f"{name}.sms.txt", lang).render(ctx).strip().translate(_SMS_SPACES)
