"""The forms section of the console's client page (/console/client?id=<id>):
each form's state (sent, opened, in progress with last activity, completed,
overdue), its answers (read-only) and PDF, "Send again", "Cancel request", and
"Send forms" (a packet or one form) with the banners of seed 004: the client
gets portal access by this send, or Email OK is off and no email goes out.

The client is a backend var set by `load` from the page's `id`; every request id
from the browser is checked to be one of that client's (NotFound otherwise).
"""

import reflex as rx

from models import FormStatus, PortalAccess
from models.base import utcnow
from portal_app import live, routes
from portal_app.services import activation, clients
from portal_app.services.errors import ServiceError
from portal_app.services.forms import console as forms_console
from portal_app.services.forms.packets import list_packets
from portal_app.services.forms.reminders import remind_request
from portal_app.services.forms.requests import cancel_request
from portal_app.services.forms.sending import send_form, send_packet
from portal_app.services.forms.templates import list_templates
from portal_app.settings import get_settings
from state.console_format import console_zone, when
from state.console_forms.labels import STATE_LABELS
from state.guards import staff_event
from state.staff_session import StaffState

NO_CLIENT = "Open a client first."
PORTAL_NOTES = {
    activation.INVITED: "This client will get access to the client portal when you send "
                        "(an invitation, or this record added to their existing sign-in).",
    activation.NO_EMAIL_YET: "This client has no email address: they cannot get portal "
                             "access to fill these forms in yet.",
    activation.EMAIL_NOT_OK: "Email OK is off for this client, so sending does not give "
                             "them portal access.",
}
NO_PORTAL_NOTE = ("This client has no portal access yet: they see the forms once you invite "
                  "them.")
EMAIL_NOTE = ("Email OK is off: the email asking for these forms is blocked; the client "
              "sees them in the portal only.")
CHOOSE = "Choose a packet or a form to send."


class ClientFormsState(StaffState):
    form_rows: list[dict[str, str]] = []
    send_open: bool = False
    send_options: list[dict[str, str]] = []  # value ("packet:1" / "form:2"), label
    send_choice: str = ""
    send_error: str = ""
    portal_note: str = ""
    email_note: str = ""
    answers_open: bool = False
    answers_title: str = ""
    answers_meta: str = ""
    answers: list[dict[str, str]] = []
    _client_id: int = 0

    def _fill(self, session) -> None:
        zone = console_zone(session)
        now = utcnow()
        self.form_rows = [{
            "id": str(r.request.id), "title": r.title, "version": str(r.version),
            "state": r.state, "state_label": self._tr(STATE_LABELS.get(r.state, r.state)),
            "sent": when(r.request.sent_at, zone),
            "activity": when(r.request.last_activity_at, zone),
            "due": when(r.request.due_at, zone),
            "completed": when(r.request.completed_at, zone),
            "open": "yes" if r.request.status in FormStatus.OUTSTANDING else "",
            "done": "yes" if r.submission_id else "",
            "pdf": (f"{routes.API_CONSOLE_DOCUMENT_DOWNLOAD}?id={r.pdf_document_id}"
                    if r.pdf_document_id else ""),
        } for r in forms_console.client_forms(session, client_id=self._client_id, now=now)]

    def _send_refused(self, exc: ServiceError) -> None:
        self.send_error = self._tr(exc.message)

    @staff_event
    def load(self, session, ctx):
        self.send_open = self.answers_open = False
        self.send_error = ""
        try:
            client = clients.get_client(
                session, client_id=self.router.url.query_parameters.get("id", ""))
        except ServiceError:
            self._client_id = 0
            self.form_rows = []
            return None
        self._client_id = client.id
        self._fill(session)
        return None

    def _live_refresh(self) -> None:
        """Pushed from outside (the client opened, saved or submitted a form)."""
        if self._client_id:
            self._as_staff(lambda s, c: self._fill(s))

    @staff_event
    def open_send(self, session, ctx):
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        client = clients.get_client(session, client_id=self._client_id)
        self.send_options = (
            [{"value": f"packet:{p.id}", "label": self._tr("Packet: ") + p.name}
             for p in list_packets(session)]
            + [{"value": f"form:{t.id}", "label": self._tr("Form: ") + t.title}
               for t in list_templates(session)])
        self.send_choice = self.send_options[0]["value"] if self.send_options else ""
        outcome = activation.share_outcome(session, client_id=client.id)
        note = PORTAL_NOTES.get(outcome, "")
        if not note and client.portal_access == PortalAccess.NOT_INVITED:
            note = NO_PORTAL_NOTE
        self.portal_note = self._tr(note) if note else ""
        held = clients.email_held_back(session, client_id=client.id)
        self.email_note = self._tr(EMAIL_NOTE) if held else ""
        self.send_error = ""
        self.send_open = True

    @rx.event
    def set_send_open(self, value: bool):
        self.send_open = bool(value)

    @rx.event
    def choose_send(self, value: str):
        self.send_choice = str(value)[:40]

    @staff_event(on_error="_send_refused")
    def send(self, session, ctx, form: dict):
        """Send the chosen packet or form to this client (activating their portal
        when the business activates at the first share)."""
        self.send_error = ""
        if not self._client_id:
            raise ServiceError(NO_CLIENT)
        choice = str((form or {}).get("what") or self.send_choice)
        kind, _, raw_id = choice.partition(":")
        base_url, now = get_settings().base_url, utcnow()
        if kind == "packet":
            requests = send_packet(session, staff_id=ctx.staff_id, client_id=self._client_id,
                                   packet_id=raw_id, base_url=base_url, now=now)
        elif kind == "form":
            requests = [send_form(session, staff_id=ctx.staff_id, client_id=self._client_id,
                                  template_id=raw_id, base_url=base_url, now=now)]
        else:
            raise ServiceError(CHOOSE)
        self._client_changed(self._client_id, about=live.FORMS)
        self._fill(session)
        self.send_open = False
        return rx.toast.success(self._tr(f"Sent {len(requests)} form(s)."))

    @staff_event
    def remind(self, session, ctx, request_id: str):
        """"Send again": one reminder email now (at most one a day per client)."""
        request = forms_console.request_of_client(session, client_id=self._client_id,
                                                  request_id=request_id)
        remind_request(session, staff_id=ctx.staff_id, request_id=request.id,
                       base_url=get_settings().base_url, now=utcnow())
        self._fill(session)
        return rx.toast.success(self._tr("Reminder sent."))

    @staff_event
    def cancel(self, session, ctx, request_id: str):
        """"Cancel request": the client no longer sees the form."""
        request = forms_console.request_of_client(session, client_id=self._client_id,
                                                  request_id=request_id)
        cancel_request(session, staff_id=ctx.staff_id, request_id=request.id, now=utcnow())
        self._client_changed(self._client_id, about=live.FORMS)
        self._fill(session)
        return rx.toast.success(self._tr("Request cancelled."))

    @staff_event
    def view_answers(self, session, ctx, request_id: str):
        done = forms_console.submitted_answers(session, client_id=self._client_id,
                                               request_id=request_id)
        zone = console_zone(session)
        self.answers_title = f"{done.title} (v{done.version})"
        self.answers_meta = self._tr(
            f"Signed by {done.signer_email} on {when(done.submitted_at, zone)}")
        self.answers = [{"label": label, "answer": answer} for label, answer in done.lines]
        self.answers_open = True

    @rx.event
    def set_answers_open(self, value: bool):
        self.answers_open = bool(value)
