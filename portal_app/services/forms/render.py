"""The stored canonical document (FormSubmission.document, the dict submit.py
hashed) turned into the `FormDocument` the PDF renders.

The PDF is drawn from the very document that was hashed and kept, so what it
shows and the SHA-256 on its audit page (FormSubmission.document_sha256) are
one and the same. Only presentation is added here: the business's branding,
the display zone and language, how an answer reads ("Yes", "Mar 5, 1990"), the
signer's display name, and a file answer's title.
"""

from __future__ import annotations

from datetime import date, datetime

from models import FieldKind
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.errors import ServiceError
from portal_app.services.forms.document import (
    Answer,
    AuditFacts,
    Branding,
    FormDocument,
    Item,
    SignatureMark,
    Statement,
)
from portal_app.services.forms.signature import (
    DATA_URL_PREFIX,
    normalise_drawn_signature,
    render_typed_signature,
)


def answer_text(kind: str, value: object, *, lang: str,
                file_titles: dict[int, str] | None = None) -> str:
    """An answer as the client saw it ("" when left empty)."""
    if value is None or value == "" or value == []:
        return ""
    if kind == FieldKind.YES_NO:
        return i18n.gettext(lang, "Yes" if value == "yes" else "No")
    if kind == FieldKind.DATE and isinstance(value, str):
        try:
            return formats.date_text(date.fromisoformat(value), lang)
        except ValueError:
            return value
    if kind == FieldKind.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind == FieldKind.FILE:
        return (file_titles or {}).get(value, "") or f"#{value}"
    return str(value)


def signature_png(value: object, *, fallback_name: str) -> tuple[bytes, bool]:
    """(PNG, typed) of a signature answer: a drawn data URL, or a typed name."""
    drawn = value if isinstance(value, str) and value.startswith(DATA_URL_PREFIX) else None
    if isinstance(value, dict):
        drawn = next((v for v in value.values()
                      if isinstance(v, str) and v.startswith(DATA_URL_PREFIX)), None)
    if drawn is not None:
        try:
            return normalise_drawn_signature(drawn), False
        except ServiceError:
            pass
    typed = value.get("text") if isinstance(value, dict) else value
    typed = typed if isinstance(typed, str) and not typed.startswith(DATA_URL_PREFIX) else ""
    try:
        return render_typed_signature(typed or fallback_name), True
    except ServiceError:
        return render_typed_signature("-"), True


def form_document_from(stored: dict, *, branding: Branding, zone: str, lang: str,
                       signer_name: str, signer_is_client: bool = True,
                       file_titles: dict[int, str] | None = None) -> FormDocument:
    """The `FormDocument` of a stored canonical document (submit.canonical_document)."""
    form, signer = stored["form"], stored["signer"]
    client_name = stored["client"]["name"]
    items: list[Item] = []
    for field in stored["fields"]:
        kind, label = field["kind"], field["label"]
        if kind == FieldKind.STATEMENT:
            items.append(Statement(label=label, text=field.get("help") or ""))
        elif kind in FieldKind.SIGNED and field.get("answer") is not None:
            png, typed = signature_png(field["answer"], fallback_name=signer_name)
            items.append(SignatureMark(label=label, png=png, typed=typed,
                                       signer_name=signer_name,
                                       initials=kind == FieldKind.INITIALS))
        else:
            items.append(Answer(label=label, kind=kind,
                                    text=answer_text(kind, field.get("answer"), lang=lang,
                                                     file_titles=file_titles)))
    consent = stored.get("consent") or {}
    audit = AuditFacts(
        signer_name=signer_name, signer_email=signer.get("email", ""),
        client_name=client_name,
        signed_at=datetime.fromisoformat(stored["submitted_at"]), zone=zone,
        ip=signer.get("ip", ""), user_agent=signer.get("user_agent", ""),
        consent_text=consent.get("text", ""),
        consent_version=str(consent["version"]) if consent.get("version") else "",
        signer_is_client=signer_is_client)
    return FormDocument(title=form["title"], version_label=f"v{form['version']}",
                        branding=branding, items=tuple(items), audit=audit,
                        intro=form.get("intro") or "", lang=lang)
