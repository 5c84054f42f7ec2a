"""Email and SMS text rendered from jinja2 templates, branded per business."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from models import Business

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "email"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


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


def render_email(name: str, business: Business | None, /, **context) -> tuple[str, str, str]:
    """Return (subject, text, html) for the template set `name`.

    `name` and `business` are positional-only so a template may use `name` too.
    """
    ctx = {**_brand(business), **context}
    env = _env()
    subject = env.get_template(f"{name}.subject.txt").render(ctx).strip()
    text = env.get_template(f"{name}.txt").render(ctx).strip() + "\n"
    html = env.get_template(f"{name}.html").render(ctx)
    return " ".join(subject.split()), text, html


def render_sms(name: str, business: Business | None, /, **context) -> str:
    ctx = {**_brand(business), **context}
    return _env().get_template(f"{name}.sms.txt").render(ctx).strip()
