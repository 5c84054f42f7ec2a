"""A submitted form as plain values: what its PDF shows.

render.py builds a `FormDocument` from a submission's stored canonical document
(the dict submit.py hashed: the one definition of what was signed) and
`forms/pdf.py` renders it. Texts arrive as the client saw them (an answer
already formatted: "Yes", "Mar 5, 1990", "Yoga, Pilates").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from models import Business
from portal_app import i18n
from portal_app.services import stored_images
from portal_app.services.billing.paper import paper_size

_MAX_LOGO_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Branding:
    """The business as its PDFs show it; `paper` is "A4" or "Letter" (as invoices)."""

    name: str
    logo: bytes | None = None
    accent_color: str = "#1F6FEB"
    paper: str = "A4"


@dataclass(frozen=True)
class Answer:
    """A question and the answer shown to the client ("" when left empty)."""

    label: str
    kind: str  # the field's kind ("short_text", "date", "yes_no", ...)
    text: str


@dataclass(frozen=True)
class Statement:
    """A read-only block the client was shown (a policy to agree to)."""

    label: str
    text: str


@dataclass(frozen=True)
class SignatureMark:
    """A signature or initials: the PNG (forms/signature.py made it), how it was made
    and whose it is."""

    label: str
    png: bytes
    typed: bool  # typed and rendered in a script face, else drawn
    signer_name: str
    initials: bool = False


Item = Answer | Statement | SignatureMark


@dataclass(frozen=True)
class AuditFacts:
    """Who signed, for whom, when, from where, under which consent text.

    `signer_name`/`signer_email`: the person signed in (their portal account).
    `client_name`: the client record the form is for. `signer_is_client` is False
    when a household member signed for another member's record; the PDF then says
    "Signed by <signer> for <client>". `signed_at` is aware UTC; it is shown in
    `zone` (the business's) with the zone named."""

    signer_name: str
    signer_email: str
    client_name: str
    signed_at: datetime
    zone: str
    ip: str
    user_agent: str
    consent_text: str
    consent_version: str
    signer_is_client: bool = True


@dataclass(frozen=True)
class FormDocument:
    title: str
    version_label: str  # the template version the form was sent with ("v3")
    branding: Branding
    items: tuple[Item, ...]
    audit: AuditFacts
    intro: str = ""
    lang: str = field(default=i18n.DEFAULT)  # the fixed texts' language ("en", "es")


def logo_bytes(business: Business, data_dir: Path) -> bytes | None:
    """The business's logo file (under `data_dir`/brand), or None when absent or huge."""
    path = stored_images.logo_path(data_dir, business.logo_file)
    if path is None:
        return None
    try:
        if path.stat().st_size > _MAX_LOGO_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def branding_of(business: Business, *, logo: bytes | None = None) -> Branding:
    """The business's branding with the paper its invoices use (billing/paper.py)."""
    return Branding(name=business.name, logo=logo, accent_color=business.accent_color,
                    paper=paper_size(business))
