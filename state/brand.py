"""Public branding and the interface language shown on every page (no private data)."""

import functools
import json

import reflex as rx
from sqlmodel import Session

from portal_app import i18n, routes
from portal_app.db import get_engine, session_scope
from portal_app.services import access_generation
from portal_app.services.business import business_at, get_business
from state.assign import assign_changed, assign_if_changed

ONE_YEAR = 365 * 24 * 3600


def html_lang_script(lang: str) -> str:
    return f"document.documentElement.lang={json.dumps(lang)}"


@functools.lru_cache(maxsize=16)
def set_html_lang(lang: str):
    """The event that sets the page's `lang` attribute, made once per language
    (building a call_script costs about as much as a whole trivial event)."""
    return rx.call_script(html_lang_script(lang))


@functools.lru_cache(maxsize=1024)
def browser_language(accept_language: str | None) -> str:
    """The Accept-Language header's language (parsed once per distinct header: a tab
    sends the same header with every event)."""
    return i18n.from_accept_language(accept_language)


def branding_of(b) -> dict:
    """BrandState's vars for the business row `b`."""
    return {
        "business_name": b.name, "tagline": b.tagline, "accent": b.accent_color,
        "contact_email": b.contact_email, "contact_phone": b.contact_phone,
        "address": b.address, "self_signup": b.allow_self_signup,
        "portal_enabled": b.portal_enabled,
        # The file name changes with each upload, so caches never show an old logo.
        "logo_url": f"{routes.API_BRAND_LOGO}?v={b.logo_file}" if b.logo_file else "",
        "loaded": True,
    }


def compile_branding() -> bool:
    """Bake the business's branding into the pages' first paint: BrandState's defaults
    become the business's name, contact line, logo and sign-up switch, so the
    prerendered HTML (and the JS's initial state) carry them before any websocket;
    `BrandState.load` still runs on every page and brings any later change.

    Called once by the app module (portal_app/portal_app.py), which `reflex run`
    imports to compile the pages at each start. Nothing is written (a database without
    a business yet gives the default one, rolled back); an unreadable database keeps the
    plain defaults, hidden until the branding loads. Returns whether it was baked in."""
    try:
        with Session(get_engine()) as session:
            values = branding_of(get_business(session))
            session.rollback()
    except Exception:  # no database or no tables yet (a fresh checkout, a unit test)
        return False
    fields = BrandState.get_fields()
    for name, value in values.items():
        fields[name].default = value
    return True


class BrandState(rx.State):
    business_name: str = "Client Portal"
    tagline: str = ""
    accent: str = "#1F6FEB"
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""
    self_signup: bool = False
    portal_enabled: bool = True
    loaded: bool = False
    logo_url: str = ""
    # The interface language: what the client chose (kept in a plain cookie, not a
    # credential), else the browser's Accept-Language, else the business's.
    lang: str = i18n.DEFAULT
    lang_cookie: str = rx.Cookie("", name=i18n.COOKIE, max_age=ONE_YEAR, same_site="lax")

    def _show(self, b) -> None:
        # Only what changed: an assigned var travels in the delta of every page load.
        assign_changed(self, branding_of(b))

    @rx.event
    def load(self):
        """Refresh branding; public by design (the sign-in page needs it). The row
        comes from the copy kept at this moment's access generation (one small read).
        The signed-in client pages do the same inside their own load (`in_page`)."""
        with session_scope() as session:
            return self._refresh(business_at(session, access_generation.current(session)))

    def _refresh(self, b):
        """The branding of the business row `b` and the language; the event that
        sets the page's `lang` attribute."""
        self._show(b)
        lang = i18n.pick(self.lang_cookie,
                         # not `self.router`: it composes every router var at each read
                         browser_language(self.rx_router_headers.accept_language),
                         b.language)
        assign_if_changed(self, "lang", lang)
        return set_html_lang(self.lang)

    @classmethod
    def in_page(cls, state: rx.State, business):
        """For a page's own load (`client_event(page=True)`): the branding refreshed in
        that same event — one Reflex event less per page opened than `load` in the
        page's on_load chain. Returns the event setting the page's language, or None
        where the tab's BrandState is not in memory for this event: Reflex's Redis state
        manager loads only the event's own states, so with it the client pages keep
        `load` in their on_load chain (portal_app/portal_app.py `client_page_load`; a
        `load` chained from the page's handler instead made each page ~10× slower there:
        measured, 26 against 316 dashboards/s for 10 tabs on one Redis worker)."""
        try:
            brand = state._get_state_from_cache(cls)
        except ValueError:
            return None
        return brand._refresh(business)

    def _live_refresh(self) -> None:
        """Pushed from outside (staff changed the branding): the new branding, same language."""
        with session_scope() as session:
            self._show(get_business(session))

    @rx.event
    def choose_language(self, code: str):
        """The language picker (public by design: it works before sign-in).
        A signed-in client's choice is also saved on the record by the caller."""
        lang = i18n.normalize(code)
        if not lang:
            return None
        self.lang = self.lang_cookie = lang
        return set_html_lang(lang)
