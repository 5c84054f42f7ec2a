"""The Spanish catalogue is complete for the client interface: every page text,
every message the server makes for a client, with matching placeholders, and
each formatted message is recognised again by `translate`."""

import re

import pytest

from portal_app import i18n
from tests.msgids import normalize, page_msgids, server_msgids

CATALOG = i18n.CATALOGS["es"]
# Programmer errors no client is shown (they guard against misuse of a function).
NOT_FOR_CLIENTS = {
    "by must be 'client' or 'staff'", "by must be 'client' or 'staff', not {}",
    "attachments need storage, max_file_bytes and max_request_bytes",
    "check_files takes IncomingFile objects with bytes", "no valid wall time near the edge",
    "Times must carry a time zone.", "The step must be a multiple of 5 minutes.",
    "Unknown booking source.", "A notification links to a page of the portal.",
    "Unknown kind of notification.", "A notification needs a title.",
}
# Words that are the same in Spanish.
SAME_IN_SPANISH = {"Total", "PDF", "Email", "No", "Error", "Subtotal", "{count} bytes", "Audio"}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_every_page_text_has_a_spanish_translation():
    missing = sorted(m for m in page_msgids() if m not in CATALOG)
    assert missing == []


def test_every_server_message_a_client_may_see_has_a_spanish_translation():
    known = {normalize(key) for key in CATALOG}
    missing = sorted(f"{where}: {text}" for text, where in server_msgids().items()
                     if text not in known and text not in NOT_FOR_CLIENTS)
    assert missing == []


def test_translations_keep_their_placeholders_and_differ_from_english():
    for msgid, spanish in CATALOG.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(spanish)), msgid
        assert spanish.strip(), msgid
        if spanish == msgid:
            words = PLACEHOLDER.sub("", msgid)
            assert msgid.strip(" .:·—()") in SAME_IN_SPANISH or not re.search(
                "[a-z]{4}", words), f"untranslated: {msgid!r}"


@pytest.mark.parametrize("msgid", sorted(k for k in CATALOG if "{" in k))
def test_a_formatted_message_is_recognised_and_translated(msgid):
    names = PLACEHOLDER.findall(msgid)
    values = {name: f"«v{index}»" for index, name in enumerate(names)}
    english = i18n.gettext("en", msgid, **values)
    assert i18n.translate("es", english) == i18n.gettext("es", msgid, **values)


def test_no_text_has_two_different_translations_in_the_catalogues():
    """The catalogues are merged into one table per language; a text given two
    translations in two modules would silently take whichever is merged last."""
    import importlib
    import pkgutil

    import portal_app.i18n as package

    seen: dict[str, set[str]] = {}
    modules = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("es")]
    assert len(modules) >= 5
    for name in modules:
        for msgid, text in importlib.import_module(f"portal_app.i18n.{name}").MESSAGES.items():
            seen.setdefault(msgid, set()).add(text)
    assert {msgid: texts for msgid, texts in seen.items() if len(texts) > 1} == {}
