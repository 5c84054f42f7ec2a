"""Client sign-in, registration and password reset.

These handlers work signed out by design (they are on the reviewed
allow-list of the authorisation test). Secrets arrive in the form dict and
are never stored in state vars. Slow work (bcrypt) runs in a thread.
"""

import asyncio

import reflex as rx

from portal_app.db import session_scope
from portal_app.services import client_auth
from portal_app.services.errors import ServiceError
from portal_app.services.forms import hooks as form_hooks
from portal_app.services.hub.settings import after_sign_in
from portal_app.services.referrals.visits import (
    UNKNOWN_CODE,
    referrals_on,
    typed_referral_code,
)
from portal_app.settings import get_settings
from state.referral_cookie import referral_cookie
from state.session import AuthBase, start_session_script


def _next_page(session, signed) -> str:
    """The record picker for several records, else the business's landing app when
    this client may use it, else the dashboard."""
    return after_sign_in(session, account_id=signed.account_id,
                         record_count=signed.record_count)


class LoginState(AuthBase):
    """Email → code (or password). `step` is "email", "code" or "password"."""

    step: str = "email"
    email: str = ""
    error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.event
    def reset_form(self):
        self.step = "email"
        self.error = ""
        self.notice = ""
        self.busy = False

    @rx.event
    def use_password(self):
        self.error = ""
        self.notice = ""
        self.step = "password"

    @rx.event
    def back_to_email(self):
        self.step = "email"
        self.error = ""
        self.notice = ""

    def _send_code(self, email: str) -> None:
        settings = get_settings()
        with session_scope() as session:
            self.email = client_auth.request_sign_in_code(
                session, email=email, secret_key=settings.secret_key,
                sms_enabled=settings.sms_backend != "none", ip=self._ip(),
                ip_limit=settings.code_sends_per_ip, lang=self._lang)
        self.step = "code"
        self.notice = (self._tr("If this email has portal access, we have sent a 6-digit code to it "
                       "(or by text message to the mobile number we have on file)."))

    @rx.event
    def request_code(self, form: dict):
        self._pick_lang(form.get("lang"))
        """Send a sign-in code; the same answer whether or not the email is known."""
        self.error = ""
        self.notice = ""
        try:
            self._send_code(form.get("email", ""))
        except ServiceError as exc:
            self.error = self._tr(exc.message)

    @rx.event
    def resend_code(self):
        self.error = ""
        try:
            self._send_code(self.email)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        return rx.toast.info(self._tr("A new code is on its way."))

    @rx.event
    def submit_code(self, form: dict):
        self._pick_lang(form.get("lang"))
        self.error = ""
        settings = get_settings()
        try:
            with session_scope() as session:
                signed = client_auth.sign_in_with_code(
                    session, email=self.email, code=form.get("code", ""),
                    secret_key=settings.secret_key, ip=self._ip())
                next_page = _next_page(session, signed)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        self.notice = self._tr("Signing you in…")
        return rx.call_script(start_session_script(signed.ticket, next_page))

    @rx.event
    async def submit_password(self, form: dict):
        self._pick_lang(form.get("lang"))
        self.error = ""
        password = str(form.get("password", ""))
        email = str(form.get("email", ""))
        ip = self._ip()

        def work():
            with session_scope() as session:
                signed = client_auth.sign_in_with_password(session, email=email,
                                                           password=password, ip=ip)
                return signed, _next_page(session, signed)

        try:
            signed, next_page = await asyncio.to_thread(work)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        finally:
            self.email = email.strip().lower()
        self.notice = self._tr("Signing you in…")
        return rx.call_script(start_session_script(signed.ticket, next_page))


class RegisterState(AuthBase):
    """Self sign-up: name, email, password → email code → signed in."""

    step: str = "details"
    email: str = ""
    error: str = ""
    ask_referral: bool = False  # the optional "Referral code" field (Referrals app on)
    referral_error: str = ""
    _referral_code: str = ""  # checked at the details step, used when the code is entered

    @rx.event
    async def start(self, form: dict):
        lang = self._pick_lang(form.get("lang"))
        self.error = self.referral_error = ""
        settings = get_settings()
        ip = self._ip()
        with session_scope() as session:
            typed = typed_referral_code(session, code=form.get("referral_code", ""), ip=ip)
        if typed is None:
            self.referral_error = self._tr(UNKNOWN_CODE)
            return
        self._referral_code = typed

        def work():
            with session_scope() as session:
                return client_auth.start_registration(
                    session, full_name=form.get("full_name", ""), email=form.get("email", ""),
                    password=str(form.get("password", "")), secret_key=settings.secret_key,
                    ip=ip, ip_limit=settings.code_sends_per_ip, lang=lang)

        try:
            self.email = await asyncio.to_thread(work)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        self.step = "code"

    @rx.event
    def finish(self, form: dict):
        self._pick_lang(form.get("lang"))
        self.error = ""
        settings = get_settings()
        try:
            with session_scope() as session:
                signed = client_auth.finish_registration(
                    session, email=self.email, code=form.get("code", ""),
                    secret_key=settings.secret_key, ip=self._ip(), referral=referral_cookie(self),
                    referral_code=self._referral_code)
                if signed.added_client_id is not None:  # a record added to a household
                    form_hooks.on_client_created(session, client_id=signed.added_client_id,
                                                 base_url=settings.base_url)
                else:
                    form_hooks.on_self_registered(session, account_id=signed.account_id,
                                                  base_url=settings.base_url)
                next_page = _next_page(session, signed)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        return rx.call_script(start_session_script(signed.ticket, next_page))

    @rx.event
    def restart(self):
        """on_load and "Start over": the details step (with the referral code field
        while the Referrals app is on)."""
        self.step = "details"
        self.error = self.referral_error = ""
        self._referral_code = ""
        with session_scope() as session:
            self.ask_referral = referrals_on(session)


class ForgotState(AuthBase):
    """Forgot password: email → code + new password → signed in."""

    step: str = "email"
    email: str = ""
    error: str = ""

    @rx.event
    def request(self, form: dict):
        self._pick_lang(form.get("lang"))
        self.error = ""
        settings = get_settings()
        try:
            with session_scope() as session:
                self.email = client_auth.request_password_reset(
                    session, email=form.get("email", ""), secret_key=settings.secret_key,
                    ip=self._ip(), ip_limit=settings.code_sends_per_ip, lang=self._lang)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        self.step = "code"

    @rx.event
    async def reset_with_code(self, form: dict):
        self._pick_lang(form.get("lang"))
        self.error = ""
        settings = get_settings()
        email, ip = self.email, self._ip()

        def work():
            with session_scope() as session:
                signed = client_auth.reset_password(
                    session, email=email, code=form.get("code", ""),
                    new_password=str(form.get("new_password", "")),
                    secret_key=settings.secret_key, ip=ip)
                return signed, _next_page(session, signed)

        try:
            signed, next_page = await asyncio.to_thread(work)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            return
        return rx.call_script(start_session_script(signed.ticket, next_page))
