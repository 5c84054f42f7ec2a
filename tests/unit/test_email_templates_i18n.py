"""Email and SMS templates in every language: each English file has a Spanish
version that renders with the same context (StrictUndefined), is really
translated, and uses no value the senders do not pass. Also the catalogue of
document texts (PDF labels, booking headlines, statuses, payment methods)."""

import re

import pytest
from jinja2 import meta

from models import PaymentMethod
from portal_app import i18n
from portal_app.i18n import es, es_documents
from portal_app.services import emails
from portal_app.services.billing.invoices import STATUS_LABELS
from portal_app.services.booking_notices import EVENTS

TEMPLATES = emails.TEMPLATE_DIR
ENGLISH_FILES = sorted(p.name for p in TEMPLATES.iterdir() if p.is_file())
NAMES = sorted({f.split(".")[0] for f in ENGLISH_FILES if not f.startswith("_")})
BRAND_KEYS = {"business_name", "accent", "contact_email", "contact_phone", "lang"}
BUSINESS = None  # the unbranded defaults ("Client Portal") are enough here

_FULL_BOOKING = dict(
    headline="Reserva confirmada", intro="Tu reserva está confirmada.", client_name="Ana Ruiz",
    service_name="Masaje", staff_name="Lola Gil", when_long="lunes, 6 de mayo de 2030, 11:00",
    when_short="lun, 6 may, 11:00 CEST", location="Calle Mayor 1", video_link="https://v.test/x",
    note="Trae ropa cómoda.", has_ics=True, bookings_url="https://portal.test/bookings")
# Every template with its variants: optional parts on and off, one and several items.
CONTEXTS: dict[str, list[dict]] = {
    "closure_requested": [{"client_name": "Ana", "reason": "Me mudo", "url": "https://p/c?id=1"},
                          {"client_name": "Ana", "reason": "", "url": "https://p/c?id=1"}],
    "already_registered": [{}],
    "add_record": [{"name": "Ana Ruiz", "code": "123456", "minutes": 15}],
    "booking": [_FULL_BOOKING,
                {**_FULL_BOOKING, "staff_name": "", "location": "", "video_link": "",
                 "note": "", "has_ics": False}],
    "booking_reminder": [{"service_name": "Masaje", "when_short": "lun, 6 may, 11:00 CEST",
                          "bookings_url": "https://portal.test/bookings"}],
    "documents_shared": [
        {"client_name": "Ana Ruiz", "titles": ["Contrato"], "message": "Fírmalo, porfa.",
         "updated": False, "url": "https://portal.test/documents"},
        {"client_name": "Ana Ruiz", "titles": ["Plan", "Escáner", "Presupuesto"],
         "message": "", "updated": False, "url": "https://portal.test/documents"},
        {"client_name": "Ana Ruiz", "titles": ["Contrato"], "message": "", "updated": True,
         "url": "https://portal.test/documents"}],
    "forms_requested": [
        {"client_name": "Ana Ruiz", "titles": ["Consentimiento"], "reminder": False,
         "url": "https://portal.test/forms"},
        {"client_name": "Ana Ruiz", "titles": ["Consentimiento", "Datos"], "reminder": True,
         "url": "https://portal.test/forms"}],
    "community_digest": [
        {"client_name": "Ana Ruiz", "day": "7 dic 2026", "more": 0, "url": "https://p/community",
         "groups": [{"name": "Corredores", "url": "https://p/community/group?id=1",
                     "new_comments": 1,
                     "posts": [{"title": "Carrera", "who": "Bea", "comments": 1,
                                "when": "lun, 7 dic, 8:00 CET", "url": "https://p/c/post?id=1"},
                               {"title": "Ruta", "who": "", "comments": 0,
                                "when": "lun, 7 dic, 9:00 CET", "url": "https://p/c/post?id=2"}]}]},
        {"client_name": "Ana Ruiz", "day": "7 dic 2026", "more": 4, "url": "https://p/community",
         "groups": [{"name": "Corredores", "url": "https://p/community/group?id=1",
                     "new_comments": 3, "posts": [{"title": "Carrera", "who": "Bea",
                                                   "comments": 2, "when": "lun, 7 dic, 8:00 CET",
                                                   "url": "https://p/c/post?id=1"}]}]}],
    "course_lessons_open": [
        {"client_name": "Ana Ruiz", "course_title": "Mente en calma", "titles": ["Respirar"],
         "url": "https://portal.test/courses/course?id=1"},
        {"client_name": "Ana Ruiz", "course_title": "Mente en calma",
         "titles": ["Respirar", "Dormir"], "url": "https://portal.test/courses/course?id=1"}],
    "form_signed": [
        {"client_name": "Ana Ruiz", "title": "Consentimiento", "sha256": "ab" * 32,
         "url": "https://portal.test/console/client?id=1"}],
    "documents_uploaded": [
        {"client_name": "Ana Ruiz", "titles": ["DNI"], "message": "Aquí está.",
         "url": "https://portal.test/console/client?id=1"},
        {"client_name": "Ana Ruiz", "titles": ["DNI", "Carta"], "message": "",
         "url": "https://portal.test/console/client?id=1"}],
    "invitation": [
        {"client_name": "Ana Ruiz", "message": "¡Hasta pronto!", "link": "https://portal.test/x",
         "days": 7, "portal_url": "https://portal.test/p/sol", "email": "ana@correo.test"},
        {"client_name": "Ana Ruiz", "message": "", "link": "https://portal.test/x", "days": 7,
         "portal_url": "https://portal.test/p/sol", "email": "ana@correo.test"}],
    "invoice_sent": [
        {"client_name": "Ana Ruiz", "kind": "invoice", "number": "INV-0001",
         "total": "95,00 US$", "balance": "95,00 US$", "due_date": "31 ene 2099",
         "message": "Gracias.", "reminder": False, "url": "https://portal.test/i",
         "pay_url": "https://portal.test/i"},
        {"client_name": "Ana Ruiz", "kind": "invoice", "number": "INV-0001",
         "total": "95,00 US$", "balance": "45,00 US$", "due_date": "", "message": "",
         "reminder": True, "url": "https://portal.test/i", "pay_url": "https://portal.test/i"},
        {"client_name": "Ana Ruiz", "kind": "estimate", "number": "EST-0001",
         "total": "95,00 US$", "balance": "95,00 US$", "due_date": "", "message": "",
         "reminder": False, "url": "https://portal.test/i", "pay_url": ""}],
    "new_messages": [
        {"recipient_name": "Ana Ruiz", "from_name": "Estudio Sol", "subject": "Resultados",
         "url": "https://portal.test/messages?c=1"},
        {"recipient_name": "", "from_name": "Ana Ruiz", "subject": "Resultados",
         "url": "https://portal.test/console/messages?c=1"}],
    "no_account": [{}],
    "notification": [{"client_name": "Ana Ruiz", "title": "Nuevo documento: Contrato",
                      "url": "https://portal.test/documents"}],
    "portal_email_changed": [{"client_name": "Ana Ruiz", "old_email": "vieja@correo.test"}],
    "referral_invitation": [{"client_name": "Ana Ruiz",
                             "url": "https://portal.example/referrals"}],
    "referral_payout": [{"client_name": "Ana Ruiz", "number": "PO-0001", "amount": "25,00 US$",
                         "method": "Saldo a favor", "reference": "T-77",
                         "lines": [{"label": "Comisión n.º 3", "amount": "30,00 US$"},
                                   {"label": "Reembolso de INV-0002 después del pago",
                                    "amount": "-5,00 US$"}],
                         "url": "https://portal.example/referrals"},
                        {"client_name": "Ana Ruiz", "number": "PO-0002", "amount": "9,00 US$",
                         "method": "Efectivo", "reference": "", "lines": [],
                         "url": "https://portal.example/referrals"}],
    "receipt": [{"client_name": "Ana Ruiz", "amount": "95,00 US$", "invoice_number": "INV-0001",
                 "receipt_number": "RCT-0001", "paid_on": "3 may 2030",
                 "method": "Transferencia bancaria", "balance": "0,00 US$",
                 "url": "https://portal.test/r"}],
    "reset_password": [{"code": "123456", "minutes": 15}],
    "statement_ready": [
        {"client_name": "Ana Ruiz", "period": "1 nov 2026 – 30 nov 2026",
         "balances": ["95,00 US$", "10,00 €"], "url": "https://portal.test/payments/statements"},
        {"client_name": "Ana Ruiz", "period": "1 nov 2026 – 30 nov 2026", "balances": [],
         "url": "https://portal.test/payments/statements"}],
    "superbill_requested": [
        {"client_name": "Ana Ruiz", "start": "1 mar 2030", "end": "31 mar 2030",
         "note": "Para mi seguro", "url": "https://portal.test/console/client?id=1"},
        {"client_name": "Ana Ruiz", "start": "1 mar 2030", "end": "31 mar 2030", "note": "",
         "url": "https://portal.test/console/client?id=1"}],
    "superbill_held": [
        {"client_name": "Ana Ruiz", "start": "1 mar 2030", "end": "31 mar 2030",
         "problems": ["El cliente no tiene fecha de nacimiento"],
         "url": "https://portal.test/console/client?id=1"}],
    "superbill_ready": [
        {"client_name": "Ana Ruiz", "start": "1 mar 2030", "end": "31 mar 2030",
         "url": "https://portal.test/payments/superbills"}],
    "sign_in_code": [{"code": "123456", "minutes": 15}],
    "verify_email": [{"name": "Ana Ruiz", "code": "123456", "minutes": 15}],
}
# Words of English copy that must not survive in a Spanish text (outside the values).
ENGLISH_WORDS = re.compile(
    r"\b(the|your|you|and|with|hello|please|sign|our|from|here|this|will|been|is|are|for|"
    r"to|of|on|at|it|we|us|can|new|view|see|due|expires|code)\b", re.IGNORECASE)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _files(name: str) -> list[str]:
    return [f for f in ENGLISH_FILES if f.split(".")[0] == name]


def _source(file: str, lang: str) -> str:
    return (TEMPLATES / (file if lang == "en" else f"{lang}/{file}")).read_text()


def _variables(file: str, lang: str) -> set[str]:
    env = emails._env()
    return meta.find_undeclared_variables(env.parse(_source(file, lang)))


def _render_file(file: str, lang: str, ctx: dict) -> str:
    return emails._template(file, lang).render({**emails._brand(BUSINESS), **ctx, "lang": lang})


def _has_words(source: str) -> bool:
    """Whether a template has copy of its own (not only placeholders and markup)."""
    return bool(re.search(r"[A-Za-z]{2,}", _TAG.sub("", _JINJA.sub("", source))))


def test_every_template_has_a_spanish_version_and_nothing_else():
    spanish = sorted(p.name for p in (TEMPLATES / "es").iterdir() if p.is_file())
    assert spanish == ENGLISH_FILES
    assert "_layout.html" in spanish and len(NAMES) >= 15


def test_contexts_cover_every_template():
    assert sorted(CONTEXTS) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_spanish_templates_use_only_what_the_senders_pass(name):
    for file in _files(name):
        english, spanish = _variables(file, "en"), _variables(file, "es")
        assert spanish <= english | BRAND_KEYS, (file, spanish - english)
        for ctx in CONTEXTS[name]:
            assert english - BRAND_KEYS <= set(ctx), (file, english - set(ctx))


@pytest.mark.parametrize("name", NAMES)
def test_spanish_templates_render_translated(name):
    for ctx in CONTEXTS[name]:
        for file in _files(name):
            english = _render_file(file, "en", ctx)
            spanish = _render_file(file, "es", ctx)
            assert spanish.strip(), file
            if _has_words(_source(file, "en")):
                assert spanish != english, f"{file} is not translated"
            if file.endswith(".html"):
                assert '<html lang="es">' in spanish, f"{file} does not use es/_layout.html"
                assert '<html lang="en">' in english
                text = _TAG.sub(" ", spanish)
            else:
                text = spanish
            values = " ".join(str(v) for v in ctx.values())
            leftover = [w for w in ENGLISH_WORDS.findall(text)
                        if not re.search(rf"\b{w}\b", values)]
            assert not leftover, (file, leftover, text)


def test_the_layout_is_translated_too():
    spanish = _render_file("_layout.html", "es", {})
    assert '<html lang="es">' in spanish and "Client Portal" in spanish


@pytest.mark.parametrize("name", NAMES)
def test_render_email_picks_the_language_and_falls_back_to_english(name):
    ctx = CONTEXTS[name][0]
    if any(f.endswith(".sms.txt") for f in _files(name)):
        assert emails.render_sms(name, BUSINESS, lang="es", **ctx) != emails.render_sms(
            name, BUSINESS, lang="en", **ctx)
    if not any(f.endswith(".subject.txt") for f in _files(name)):
        return
    en = emails.render_email(name, BUSINESS, **ctx)
    es_ = emails.render_email(name, BUSINESS, lang="es", **ctx)
    assert emails.render_email(name, BUSINESS, lang="fr", **ctx) == en  # unsupported: English
    assert es_[1] != en[1] and es_[2] != en[2]


def test_a_missing_spanish_file_falls_back_to_english(tmp_path, monkeypatch):
    (tmp_path / "es").mkdir()
    for file in ("_layout.html", "sign_in_code.subject.txt", "sign_in_code.txt",
                 "sign_in_code.html"):
        (tmp_path / file).write_text((TEMPLATES / file).read_text())
    (tmp_path / "es" / "sign_in_code.subject.txt").write_text("Código: {{ code }}")
    monkeypatch.setattr(emails, "TEMPLATE_DIR", tmp_path)
    emails._env.cache_clear()
    try:
        subject, text, _ = emails.render_email("sign_in_code", BUSINESS, lang="es",
                                               code="123456", minutes=15)
    finally:
        monkeypatch.undo()
        emails._env.cache_clear()
    assert subject == "Código: 123456"
    assert text.startswith("Hello,")  # this file has no Spanish version yet


def test_sms_has_plain_spaces_only():
    # Babel's narrow no-break space ("9:30\u202fAM") would make the text a UCS-2 SMS.
    body = emails.render_sms("booking_reminder", BUSINESS, service_name="Massage",
                             when_short="Mon, May 6, 9:30\u202fAM EDT",
                             bookings_url="https://portal.test/bookings")
    assert "9:30 AM EDT" in body and "\u202f" not in body and "\u00a0" not in body


# --- the catalogue of document texts --------------------------------------------------------

_BRACES = re.compile(r"\{(\w+)\}")


def test_document_catalogue_is_merged_and_agrees_with_the_page_catalogue():
    for msgid, spanish in es_documents.MESSAGES.items():
        assert i18n.gettext("es", msgid) == es.MESSAGES.get(msgid, spanish)
        assert set(_BRACES.findall(spanish)) == set(_BRACES.findall(msgid)), msgid
    both = set(es.MESSAGES) & set(es_documents.MESSAGES)
    clashes = {m: (es.MESSAGES[m], es_documents.MESSAGES[m]) for m in both
               if es.MESSAGES[m] != es_documents.MESSAGES[m]}
    assert not clashes, "one English text, two Spanish ones: agree on one"


def test_booking_statuses_and_methods_are_in_the_catalogue():
    texts = [t for headline, intro, *_ in EVENTS.values() for t in (headline, intro)]
    texts += list(STATUS_LABELS.values()) + ["Awaiting your answer"]
    texts += list(PaymentMethod.LABELS.values())
    missing = [t for t in texts if t not in es_documents.MESSAGES]
    assert not missing
