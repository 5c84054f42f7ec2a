"""The invitation link's page. Loading it (what mail scanners do) consumes
nothing; only pressing the button signs the client in."""

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services import invitations
from portal_app.services.errors import PortalClosed, ServiceError
from state.session import AuthBase, start_session_script


class InviteState(AuthBase):
    loaded: bool = False
    valid: bool = False
    client_name: str = ""
    email: str = ""
    error: str = ""

    def _key(self) -> str:
        return str(self.router.url.query_parameters.get("key", ""))

    @rx.event
    def load(self):
        """Show whom the invitation is for; records that it was opened."""
        self.error = ""
        try:
            with session_scope() as session:
                view = invitations.open_invitation(session, raw=self._key())
        except PortalClosed:
            return rx.redirect(routes.CLOSED)
        self.valid = view.valid
        self.client_name = view.client_name
        self.email = view.email
        self.loaded = True
        return None

    @rx.event
    def accept(self):
        """The button press: consume the link once and sign in."""
        self.error = ""
        try:
            with session_scope() as session:
                signed = invitations.accept_invitation(session, raw=self._key(), ip=self._ip())
        except PortalClosed:
            return rx.redirect(routes.CLOSED)
        except ServiceError as exc:
            self.error = self._tr(exc.message)
            self.valid = False
            return None
        return rx.call_script(start_session_script(signed.ticket, routes.WELCOME))
