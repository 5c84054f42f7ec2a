"""Languages: choosing one, looking text up (also formatted service messages),
Babel formats with the zone named, and the language a client gets at sign-in."""

from datetime import UTC, date, datetime, timedelta

import pytest

from models import Client
from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.emails import client_language
from portal_app.services.languages import language_at_sign_in
from tests import factories


@pytest.mark.parametrize(("raw", "code"), [
    ("es", "es"), ("ES", "es"), ("es-MX", "es"), ("es_AR", "es"), ("en-GB", "en"),
    ("fr", ""), ("", ""), (None, ""), ("../../etc", ""), ("e", ""),
])
def test_normalize_keeps_only_supported_languages(raw, code):
    assert i18n.normalize(raw) == code


def test_pick_takes_the_first_supported_candidate_else_english():
    assert i18n.pick("", None, "fr", "es", "en") == "es"
    assert i18n.pick("de", "") == "en"


@pytest.mark.parametrize(("header", "code"), [
    ("es-ES,es;q=0.9,en;q=0.8", "es"),
    ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "en"),
    ("en;q=0.5, es;q=0.9", "es"),
    ("de, fr", ""),
    ("es;q=0", ""),
    ("", ""),
    ("es;q=abc, en;q=0.1", "en"),
])
def test_accept_language_prefers_the_highest_supported_quality(header, code):
    assert i18n.from_accept_language(header) == code


def test_gettext_translates_and_fills_placeholders(monkeypatch):
    monkeypatch.setitem(i18n.CATALOGS, "es", {"Hello {name}.": "Hola {name}."})
    i18n._patterns.cache_clear()
    assert i18n.gettext("es", "Hello {name}.", name="Ana") == "Hola Ana."
    assert i18n.gettext("en", "Hello {name}.", name="Ana") == "Hello Ana."
    assert i18n.gettext("es", "Unknown text") == "Unknown text"


def test_translate_matches_an_already_formatted_message(monkeypatch):
    monkeypatch.setitem(i18n.CATALOGS, "es", {
        "“{name}” is larger than {limit}.": "«{name}» ocupa más de {limit}.",
        "Choose a file.": "Elige un archivo.",
    })
    i18n._patterns.cache_clear()
    try:
        assert i18n.translate("es", "“x {y}.pdf” is larger than 10 MB.") == \
            "«x {y}.pdf» ocupa más de 10 MB."
        assert i18n.translate("es", "Choose a file.") == "Elige un archivo."
        assert i18n.translate("es", "Something new.") == "Something new."
        assert i18n.translate("en", "Choose a file.") == "Choose a file."
    finally:
        i18n._patterns.cache_clear()


def test_money_follows_the_language_with_integer_minor_units():
    assert formats.money(9500, "USD", 2, "en") == "$95.00"
    assert formats.money(9500, "USD", 2, "es") == "95,00\xa0US$"
    assert formats.money(5000, "JPY", 0, "en") == "¥5,000"
    assert formats.money(123456, "EUR", 2, "es") == "1.234,56\xa0€"


def test_times_name_their_zone_in_both_languages():
    # CLDR puts a narrow no-break space (U+202F) before AM/PM.
    moment = datetime(2027, 3, 15, 18, 30, tzinfo=UTC)
    assert formats.when_long(moment, "America/New_York", "en") == \
        "Monday, March 15, 2027, 2:30\u202fPM EDT (America/New_York)"
    assert formats.when_long(moment, "Europe/Madrid", "es") == \
        "lunes, 15 de marzo de 2027, 19:30 CET (Europe/Madrid)"
    assert formats.when_short(moment, "America/New_York", "en") == "Mon, Mar 15, 2:30\u202fPM EDT"
    assert formats.when_short(moment, "Europe/Madrid", "es").endswith("19:30 CET")


def test_a_daylight_saving_change_shows_the_new_abbreviation():
    before = datetime(2027, 3, 14, 6, 0, tzinfo=UTC)   # 01:00 EST
    after = datetime(2027, 3, 14, 8, 0, tzinfo=UTC)    # 04:00 EDT
    assert formats.when_short(before, "America/New_York").endswith("1:00\u202fAM EST")
    assert formats.when_short(after, "America/New_York").endswith("4:00\u202fAM EDT")


def test_dates_in_both_languages():
    assert formats.date_text(date(2027, 1, 5), "en") == "Jan 5, 2027"
    assert formats.date_text(date(2027, 1, 5), "es") == "5 ene 2027"


def test_sign_in_gives_records_without_a_language_the_page_language(session):
    factories.business(session, language="en")
    account, (first, second) = factories.household(session, names=("Ana", "Ben"))
    second.language = "en"
    session.add(second)
    session.flush()
    shown = language_at_sign_in(session, account_id=account.id, selected_client_id=first.id,
                                page_lang="es-MX")
    session.refresh(first)
    session.refresh(second)
    assert (shown, first.language, second.language) == ("es", "es", "en")


def test_sign_in_with_an_unknown_page_language_changes_nothing(session):
    factories.business(session, language="es")
    account, (only,) = factories.household(session)
    shown = language_at_sign_in(session, account_id=account.id, selected_client_id=None,
                                page_lang="klingon")
    session.refresh(only)
    assert (shown, only.language) == ("es", "")


def test_client_language_falls_back_to_the_business():
    business = type("B", (), {"language": "es"})()
    assert client_language(Client(full_name="x", language=""), business) == "es"
    assert client_language(Client(full_name="x", language="en"), business) == "en"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Madrid", ""])
def test_slot_labels_are_the_texts_of_one_slot_at_a_time(lang, zone):
    # Two days around New York's spring-forward night, every 25 minutes.
    start = datetime(2027, 3, 13, 12, 0, tzinfo=UTC)
    moments = [start + timedelta(minutes=25 * i) for i in range(120)]
    got = formats.slot_labels(moments, zone, lang)
    expected = [(formats.day_text(formats._local(m, zone), lang), formats.time_text(m, zone, lang),
                 formats.when_long(m, zone, lang)) for m in moments]
    assert got == expected
    assert len({heading for heading, _, _ in got}) >= 2
    if zone == "America/New_York":
        longs = " ".join(long for _, _, long in got)
        assert " EST " in longs and " EDT " in longs
