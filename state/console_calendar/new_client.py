"""The "New client" form inside the calendar's "New booking" dialog: staff who click
an empty time for someone not yet on file add them there, and the new client is
picked for the booking. A mixin of CalendarState.

The client is made by `client_intake.add_client`, the same sequence as the clients
list's "New client" dialog (record, portal activation, "when a client is created"
packets). A refusal is said beside its field and nothing is created."""

from __future__ import annotations

import reflex as rx

from portal_app.services import client_intake
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import tr
from state.guards import staff_event
from state.staff_session import StaffState

# The fields the dialog's form shows; a refusal about any other is said above it.
FORM_FIELDS = ("full_name", "email", "mobile", "email_ok")
# The form's fields (anything else the page sends is dropped); the time zone is the
# business's, as when the clients list's dialog leaves it empty.
ACCEPTED = ("full_name", "email", "mobile", "email_ok", "invite")


class NewClientForm(StaffState, mixin=True):
    new_client_open: bool = False
    new_client_error: str = ""
    new_client_error_field: str = ""
    # The business's activation moment (PortalActivation): the invite box and its note.
    new_client_activation: str = "manual"

    def _reset_new_client(self) -> None:
        self.new_client_open = False
        self.new_client_error = self.new_client_error_field = ""

    @staff_event
    def show_new_client(self, session, ctx, value: bool = True):
        """Show (or hide) the "New client" form, with the business's activation moment."""
        self.new_client_error = self.new_client_error_field = ""
        self.new_client_activation = get_business(session).portal_activation
        self.new_client_open = bool(value) and self.new_open
        if self.new_client_open:
            self.new_results = []  # the search's matches make way for the form

    def _new_client_refused(self, exc: ServiceError) -> None:
        self.new_client_error = self._tr(exc.message)
        self.new_client_error_field = exc.field if exc.field in FORM_FIELDS else "form"

    @staff_event(on_error="_new_client_refused")
    def add_client(self, session, ctx, form: dict):
        """Create the client (as the clients list does) and pick them for the booking.
        Only while the form is open, so a second submit of the same form adds no one."""
        if not (self.new_open and self.new_client_open):
            return None
        self.new_client_error = self.new_client_error_field = ""
        form = form if isinstance(form, dict) else {}
        data = {key: str(form.get(key, "") or "")[:600] for key in ACCEPTED}
        client = client_intake.add_client(session, staff_id=ctx.staff_id, form=data,
                                          base_url=get_settings().base_url)
        self._new_client_id = client.id
        self.new_client_name = client.full_name
        self.new_results = []
        self.new_query = ""
        self.new_client_open = False
        if self.new_error_field == "client":
            self.new_error = self.new_error_field = ""
        return rx.toast.success(tr("Client added: {name}. Now pick the service and book.",
                                   name=client.full_name))
