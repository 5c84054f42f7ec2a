"""/verify/<code>: the public certificate check (no sign-in). Shows what the
certificate says — name, course, date — and "valid" or "revoked on <date>", so an
altered PDF can be told apart; an unknown code and a malformed one read the same.
Rate-limited per address (services/courses/certificates.py)."""

from __future__ import annotations

import reflex as rx

from portal_app.db import session_scope
from portal_app.i18n import formats, gettext
from portal_app.services.business import get_business
from portal_app.services.courses import certificates
from portal_app.services.errors import RateLimited
from state.session import AuthBase

REVOKED_ON = "Revoked on {date}"


class VerifyCertificateState(AuthBase):
    checked: bool = False
    found: bool = False
    revoked: str = ""
    name: str = ""
    course: str = ""
    issued: str = ""
    shown_code: str = ""
    message: str = ""

    def _code_in_url(self) -> str:
        params = self.router.page.params or {}
        code = params.get("code") if isinstance(params, dict) else None
        if not code:
            code = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return str(code or "")[:40]

    @rx.event
    def load(self):
        """on_load: look the code in the URL up (read only, besides the rate count)."""
        self.checked = self.found = False
        self.revoked = self.name = self.course = self.issued = self.shown_code = ""
        self.message = ""
        with session_scope() as session:
            business = get_business(session)
            self._pick_lang(fallback=business.language)
            try:
                row = certificates.check_code(session, code=self._code_in_url(), ip=self._ip())
            except RateLimited as exc:
                self.message = self._tr(exc.message)
                return
            self.checked = True
            if row is None:
                self.message = self._tr(certificates.NO_CERTIFICATE)
                return
            self.found = True
            self.name, self.course = row.client_name, row.course_title
            self.issued = formats.date_text(row.issued_on, self._lang)
            self.shown_code = certificates.display_code(row.code)
            if row.revoked_at is not None:
                day = formats.local_date_text(row.revoked_at, business.timezone or "UTC",
                                              self._lang)
                self.revoked = gettext(self._lang, REVOKED_ON, date=day)
