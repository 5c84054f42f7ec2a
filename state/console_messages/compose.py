""""New message" on /console/messages: a dialog to start a conversation with a
client, chosen from a picker that a search narrows."""

import reflex as rx

from portal_app import live, routes
from portal_app.services import clients, messaging
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_messages.inbox_list import _clean_search
from state.guards import staff_event

CLIENT_CHOICES = 200
COMPOSE_FIELDS = ("client_id", "subject", "body")


class InboxCompose(rx.State, mixin=True):
    """InboxState's "New message" dialog: its vars and its handlers."""

    compose_open: bool = False
    compose_client: str = ""
    client_options: list[dict[str, str]] = []
    compose_errors: dict[str, str] = {key: "" for key in COMPOSE_FIELDS}

    def _load_clients(self, session, search: str = "") -> None:
        """The client picker's choices: the first 200 by name (matching `search`),
        plus the chosen client."""
        page = clients.list_clients(session, search=search, page=1, per_page=CLIENT_CHOICES)
        options = [{"id": str(r.id), "name": r.full_name} for r in page.rows]
        chosen = self.compose_client
        if chosen and all(o["id"] != chosen for o in options):
            try:
                client = clients.get_client(session, client_id=chosen)
            except ServiceError:
                self.compose_client = ""
            else:
                options.insert(0, {"id": str(client.id), "name": client.full_name})
        self.client_options = options

    @staff_event
    def open_compose(self, session, ctx):
        """New message: the dialog, with the filtered client (if any) chosen."""
        self.compose_client = str(self._client_id) if self._client_id else ""
        self.compose_errors = {key: "" for key in COMPOSE_FIELDS}
        self._load_clients(session)
        self.compose_open = True

    @staff_event
    def set_compose_open(self, session, ctx, value: bool):
        self.compose_open = bool(value)

    @staff_event
    def set_compose_client(self, session, ctx, value: str):
        self.compose_client = str(value or "")[:20]
        self.compose_errors = {**self.compose_errors, "client_id": ""}

    @staff_event
    def find_clients(self, session, ctx, form: dict):
        """Narrow the client picker to names or emails matching the search."""
        text = form.get("client_search", "") if isinstance(form, dict) else ""
        self._load_clients(session, _clean_search(text))

    def _compose_refused(self, exc: ServiceError) -> None:
        field = exc.field if exc.field in COMPOSE_FIELDS else "client_id"
        self.compose_errors = {**self.compose_errors, field: self._tr(exc.message)}

    @staff_event(on_error="_compose_refused")
    def start(self, session, ctx, form: dict):
        """Send in "New message": a conversation with the chosen client, assigned to
        the sender; the client is notified as for a reply."""
        form = form if isinstance(form, dict) else {}
        subject = str(form.get("subject", "") or "")[:messaging.SUBJECT_MAX + 100]
        body = str(form.get("body", "") or "")[:messaging.BODY_MAX + 1000]
        self.compose_errors = {key: "" for key in COMPOSE_FIELDS}
        if not self.compose_client:
            raise ServiceError("Choose a client.", field="client_id")
        conversation = messaging.start_conversation(
            session, client_id=self.compose_client, subject=subject, body=body, by="staff",
            staff_id=ctx.staff_id, base_url=get_settings().base_url)
        self.compose_open = False
        live.client_changed(conversation.client_id, about=live.MESSAGES)
        live.staff_changed(exclude=self.router.session.client_token, about=live.MESSAGES)
        return [rx.redirect(f"{routes.CONSOLE_MESSAGES}?c={conversation.id}"),
                rx.toast.success(self._tr("Message sent."))]
