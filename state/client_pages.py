"""State of the signed-in client pages: dashboard, account picker, account security."""

import asyncio

import reflex as rx

from models import Client
from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import client_auth
from portal_app.services.billing.invoices import total_due
from portal_app.services.booking_notices import client_zone
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.money import format_money
from portal_app.services.sessions import revoke_all_for_account
from state.session import ClientState, end_session_script
from state.upcoming import upcoming_cards


class DashboardState(ClientState):
    """Dashboard cards. Feature issues fill the cards; today they show empty states."""

    @rx.event
    def load(self):
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            if ctx.client_id is not None and ctx.access.bookings:
                client = session.get(Client, ctx.client_id)
                self.upcoming = upcoming_cards(
                    session, client_id=ctx.client_id,
                    zone=client_zone(client, get_business(session)))
            else:
                self.upcoming = []
            self.total_due = ""
            if ctx.client_id is not None and ctx.access.billing:
                due = total_due(session, client_id=ctx.client_id)
                if due > 0:
                    self.total_due = format_money(due, get_business(session).currency)
        return self._require_record(ctx)


class SelectAccountState(ClientState):
    @rx.event
    def load(self):
        with session_scope() as session:
            ctx = self._client(session)
        if ctx is None:
            return self._bounce()
        return None


class AccountState(ClientState):
    """Password and sign-in security for the signed-in email."""

    has_password: bool = False
    error: str = ""
    saved: bool = False

    @rx.event
    def load(self):
        self.error = ""
        self.saved = False
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            self.has_password = client_auth.has_password(session, account_id=ctx.account_id)
        return None

    @rx.event
    async def save_password(self, form: dict):
        """Set or change the password; other devices are signed out."""
        self.error = ""
        self.saved = False
        with session_scope() as session:
            ctx = self._client(session)
        if ctx is None:
            return self._bounce()
        ip = self._ip()

        def work():
            with session_scope() as session:
                client_auth.set_password(
                    session, account_id=ctx.account_id,
                    current_password=str(form.get("current_password", "")),
                    new_password=str(form.get("new_password", "")),
                    keep_session_id=ctx.session_id, ip=ip)

        try:
            await asyncio.to_thread(work)
        except ServiceError as exc:
            self.error = exc.message
            return None
        self.has_password = True
        self.saved = True
        return rx.toast.success("Password saved. Other devices were signed out.")

    @rx.event
    def sign_out_everywhere(self):
        """Revoke every session of this email, this one included."""
        with session_scope() as session:
            ctx = self._client(session)
            if ctx is None:
                return self._bounce()
            revoke_all_for_account(session, account_id=ctx.account_id)
        self._forget()
        return rx.call_script(end_session_script(routes.LOGIN))
