"""Interface text in the reader's language.

`t("Sign in")` compiles to a small switch on `BrandState.lang` holding every
translation of that text, so changing language needs no page reload and no
catalogue is kept in the per-tab state. Text computed on the server (toasts,
errors, dates) is translated there instead (`portal_app.i18n`).
"""

import reflex as rx

from portal_app.i18n import CATALOGS, LANGUAGES
from state.brand import BrandState

USED: set[str] = set()  # every msgid a compiled page asked for (the catalogue test reads it)


def t(msgid: str):
    """`msgid` (English) as a Var that follows the chosen language."""
    USED.add(msgid)
    cases = [(code, CATALOGS[code][msgid]) for code in CATALOGS if msgid in CATALOGS[code]]
    if not cases:
        return msgid
    return rx.match(BrandState.lang, *cases, msgid).to(str)


def language_picker() -> rx.Component:
    """A select of the interface languages, each named in its own language."""
    return rx.el.label(
        rx.icon("languages", size=16, aria_hidden="true"),
        rx.el.select(
            *[rx.el.option(name, value=code) for code, name in LANGUAGES.items()],
            value=BrandState.lang,
            on_change=BrandState.choose_language,
            aria_label="Language / Idioma",
            style={"background": "transparent", "border": "1px solid var(--gray-7)",
                   "border_radius": "6px", "padding": "0.35em 0.5em", "min_height": "44px",
                   "color": "inherit"},
        ),
        display="inline-flex",
        align_items="center",
        gap="0.4em",
    )


def language_select(on_change) -> rx.Component:
    """The console's language select: `on_change` saves the choice (on the staff
    member) and switches the page's texts."""
    return rx.el.select(
        *[rx.el.option(name, value=code) for code, name in LANGUAGES.items()],
        value=BrandState.lang,
        on_change=on_change,
        aria_label="Language / Idioma",
        style={"background": "transparent", "border": "1px solid var(--gray-7)",
               "border_radius": "6px", "padding": "0.35em 0.5em", "min_height": "36px",
               "color": "inherit"},
    )


def lang_field() -> rx.Component:
    """Sends the page's language with a form, so the server answers (and emails) in it."""
    return rx.el.input(type="hidden", name="lang", value=BrandState.lang)
