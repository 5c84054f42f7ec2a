"""Staff console: sign-in (password + TOTP); the console home is in state/console_home.py."""

import asyncio
import time

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import staff_auth
from portal_app.services.errors import ServiceError
from state.console_home import ConsoleHomeState
from state.session import AuthBase, start_session_script

__all__ = ["ConsoleHomeState", "ConsoleLoginState"]  # the route table imports both from here

PENDING_SECONDS = 300


class ConsoleLoginState(AuthBase):
    """Steps: "password" → "totp" (or "enrol" → "recovery") → signed in."""

    step: str = "password"
    error: str = ""
    enrol_qr: str = ""
    enrol_secret: str = ""
    recovery_codes: list[str] = []
    _pending_staff_id: int = 0
    _pending_until: float = 0.0
    _ticket: str = ""

    def _pending(self) -> int | None:
        if self._pending_staff_id and time.monotonic() < self._pending_until:
            return self._pending_staff_id
        self._pending_staff_id = 0
        return None

    @rx.event
    def restart(self):
        self.step = "password"
        self.error = ""
        self.enrol_qr = ""
        self.enrol_secret = ""
        self.recovery_codes = []
        self._pending_staff_id = 0
        self._ticket = ""

    @rx.event
    async def submit_password(self, form: dict):
        self.error = ""
        ip = self._ip()

        def work():
            with session_scope() as session:
                step = staff_auth.check_staff_password(
                    session, email=str(form.get("email", "")),
                    password=str(form.get("password", "")), ip=ip)
                uri = qr = secret = ""
                if step.needs_enrolment:
                    uri = staff_auth.enrolment_uri_for(session, staff_id=step.staff_id)
                    qr = staff_auth.qr_svg_data_uri(uri)
                    secret = step.totp_secret
                return step, qr, secret

        try:
            step, qr, secret = await asyncio.to_thread(work)
        except ServiceError as exc:
            self._pick_lang()
            self.error = self._tr(exc.message)
            return
        self._pending_staff_id = step.staff_id
        self._pending_until = time.monotonic() + PENDING_SECONDS
        if step.needs_enrolment:
            self.enrol_qr = qr
            self.enrol_secret = secret
            self.step = "enrol"
        else:
            self.step = "totp"

    @rx.event
    def confirm_enrolment(self, form: dict):
        self.error = ""
        staff_id = self._pending()
        if staff_id is None:
            self.restart()
            self.error = "That took too long. Please sign in again."
            return
        try:
            with session_scope() as session:
                enrolled = staff_auth.confirm_enrolment(session, staff_id=staff_id,
                                                        code=str(form.get("code", "")),
                                                        ip=self._ip())
        except ServiceError as exc:
            self._pick_lang()
            self.error = self._tr(exc.message)
            return
        self.enrol_qr = ""
        self.enrol_secret = ""
        self.recovery_codes = enrolled.recovery_codes
        self._ticket = enrolled.ticket
        self._pending_staff_id = 0
        self.step = "recovery"

    @rx.event
    def finish_enrolment(self):
        ticket, self._ticket = self._ticket, ""
        self.recovery_codes = []
        if not ticket:
            self.restart()
            return
        return rx.call_script(start_session_script(ticket, routes.CONSOLE))

    @rx.event
    def submit_code(self, form: dict):
        self.error = ""
        staff_id = self._pending()
        if staff_id is None:
            self.restart()
            self.error = "That took too long. Please sign in again."
            return
        try:
            with session_scope() as session:
                ticket = staff_auth.verify_second_factor(session, staff_id=staff_id,
                                                         code=str(form.get("code", "")),
                                                         ip=self._ip())
        except ServiceError as exc:
            self._pick_lang()
            self.error = self._tr(exc.message)
            return
        self._pending_staff_id = 0
        return rx.call_script(start_session_script(ticket, routes.CONSOLE))
