"""The "I agree to sign electronically" text. Its wording is versioned: a
submission records the version the signer agreed to, and a new wording is a
new version (old ones stay as they were)."""

from __future__ import annotations

from sqlmodel import Session, select

from models import ESignConsent
from portal_app.services.audit import record_audit
from portal_app.services.errors import ServiceError

DEFAULT_TEXT = ("I agree to sign this form electronically. My electronic signature has the "
                "same effect as my handwritten signature.")
TEXT_MAX = 5_000


def current_consent(session: Session) -> ESignConsent:
    """The wording in use (the first version is made on first use)."""
    consent = session.exec(select(ESignConsent).order_by(ESignConsent.version.desc())).first()
    if consent is None:
        consent = ESignConsent(version=1, text=DEFAULT_TEXT)
        session.add(consent)
        session.flush()
    return consent


def publish_consent(session: Session, *, staff_id: int, text: object) -> ESignConsent:
    """A new wording, as the next version; an unchanged one changes nothing."""
    clean = " ".join(str(text or "").split())
    if not clean or len(clean) > TEXT_MAX:
        raise ServiceError(f"Write the consent text (at most {TEXT_MAX:,} characters).",
                           field="text")
    current = current_consent(session)
    if current.text == clean:
        return current
    consent = ESignConsent(version=current.version + 1, text=clean)
    session.add(consent)
    session.flush()
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="form.consent_published",
                 version=consent.version)
    return consent
