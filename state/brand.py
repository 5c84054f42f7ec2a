"""Public branding and the interface language shown on every page (no private data)."""

import json

import reflex as rx

from portal_app import i18n, routes
from portal_app.db import session_scope
from portal_app.services.business import get_business

ONE_YEAR = 365 * 24 * 3600


def html_lang_script(lang: str) -> str:
    return f"document.documentElement.lang={json.dumps(lang)}"


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
        self.business_name = b.name
        self.tagline = b.tagline
        self.accent = b.accent_color
        self.contact_email = b.contact_email
        self.contact_phone = b.contact_phone
        self.address = b.address
        self.self_signup = b.allow_self_signup
        self.portal_enabled = b.portal_enabled
        # The file name changes with each upload, so caches never show an old logo.
        self.logo_url = f"{routes.API_BRAND_LOGO}?v={b.logo_file}" if b.logo_file else ""
        self.loaded = True

    @rx.event
    def load(self):
        """Refresh branding; public by design (the sign-in page needs it)."""
        with session_scope() as session:
            b = get_business(session)
            self._show(b)
            self.lang = i18n.pick(self.lang_cookie,
                                  i18n.from_accept_language(self.router.headers.accept_language),
                                  b.language)
        return rx.call_script(html_lang_script(self.lang))

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
        return rx.call_script(html_lang_script(lang))
