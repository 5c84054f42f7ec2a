"""Languages of the client interface: English (the source text) and Spanish.

A message is its English text (the msgid). `gettext(lang, msgid, **params)`
looks it up in the language's catalogue and fills `{name}` placeholders.
`translate(lang, text)` also handles text that was already formatted in
English by a service (an error message with a file name in it): each
catalogue entry with placeholders is matched as a pattern, so services keep
raising plain English messages and the page shows them in the reader's
language. Missing entries fall back to English (a test keeps the catalogue
complete).
"""

from __future__ import annotations

import re
from functools import lru_cache

from portal_app.i18n import (
    es,
    es_community_admin,
    es_community_core,
    es_community_feed,
    es_community_members,
    es_community_moderation,
    es_community_notices,
    es_console,
    es_console_admin,
    es_console_calendar,
    es_console_forms,
    es_console_messages,
    es_courses_client,
    es_courses_console,
    es_courses_progress,
    es_documents,
    es_downloads,
    es_forms,
    es_forms_client,
    es_hub,
    es_offers,
    es_referrals,
    es_referrals_client,
    es_referrals_console,
    es_referrals_link,
    es_referrals_payouts,
    es_statements,
    es_statements_client,
    es_statements_staff,
    es_superbills,
    es_superbills_docs,
)

DEFAULT = "en"
# code -> name of the language in that language (what a picker shows)
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
# code -> Babel locale for dates, numbers and currencies
LOCALES: dict[str, str] = {"en": "en_US", "es": "es_ES"}
CATALOGS: dict[str, dict[str, str]] = {
    "es": {**es_console_messages.MESSAGES, **es_console_admin.MESSAGES, **es_console.MESSAGES,
           **es_console_calendar.MESSAGES,
           **es_console_forms.MESSAGES, **es_documents.MESSAGES, **es_forms.MESSAGES,
           **es_forms_client.MESSAGES, **es_statements.MESSAGES, **es_statements_staff.MESSAGES,
           **es_statements_client.MESSAGES, **es_superbills.MESSAGES, **es_superbills_docs.MESSAGES,
           **es_hub.MESSAGES, **es_offers.MESSAGES, **es_courses_console.MESSAGES,
           **es_courses_client.MESSAGES, **es_courses_progress.MESSAGES,
           **es_downloads.MESSAGES, **es_referrals.MESSAGES,
           **es_referrals_client.MESSAGES, **es_referrals_console.MESSAGES,
           **es_referrals_link.MESSAGES,
           **es_referrals_payouts.MESSAGES,
           **es_community_core.MESSAGES,
           **es_community_feed.MESSAGES,
           **es_community_members.MESSAGES,
           **es_community_admin.MESSAGES,
           **es_community_moderation.MESSAGES,
           **es_community_notices.MESSAGES,
           **es.MESSAGES}}
COOKIE = "portal_lang"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def normalize(raw: object) -> str:
    """"es-MX" -> "es"; anything unsupported -> ""."""
    code = str(raw or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else ""


def pick(*candidates: object) -> str:
    """The first supported language among the candidates, else English."""
    for candidate in candidates:
        code = normalize(candidate)
        if code:
            return code
    return DEFAULT


def from_accept_language(header: str | None) -> str:
    """The best supported language of an Accept-Language header, or ""."""
    weighted = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = normalize(tag)
        if code and quality > 0:
            weighted.append((-quality, position, code))
    return min(weighted)[2] if weighted else ""


def _fill(text: str, values: dict) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def gettext(lang: str, msgid: str, /, **params: object) -> str:
    """`msgid` in `lang`, with `{name}` placeholders filled from `params`."""
    text = CATALOGS.get(lang, {}).get(msgid, msgid)
    return _fill(text, params) if params else text


@lru_cache(maxsize=8)
def _patterns(lang: str) -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    for msgid, translated in CATALOGS.get(lang, {}).items():
        if "{" not in msgid:
            continue
        regex = ""
        last = 0
        for match in _PLACEHOLDER.finditer(msgid):
            regex += re.escape(msgid[last:match.start()]) + f"(?P<{match.group(1)}>.+?)"
            last = match.end()
        regex += re.escape(msgid[last:])
        patterns.append((len(_PLACEHOLDER.sub("", msgid)), re.compile(f"^{regex}$", re.DOTALL),
                         translated))
    # The most specific first: "{a} sent {b} to {c} again" before "{a} sent {b} to {c}".
    patterns.sort(key=lambda row: -row[0])
    return [(pattern, translated) for _, pattern, translated in patterns]


def translate(lang: str, text: str) -> str:
    """Already formatted English text (a service's message) in `lang`."""
    if not text or lang == DEFAULT or lang not in CATALOGS:
        return text
    catalog = CATALOGS[lang]
    if text in catalog:
        return catalog[text]
    for pattern, translated in _patterns(lang):
        match = pattern.match(text)
        if match:
            return _fill(translated, match.groupdict())
    return text
