"""Console messages (/console/messages): the staff inbox of every client
conversation, one conversation's thread with "Send reply" and "Assign to",
and "New message" to start a conversation with a client.

`?c=<id>` opens a conversation (and marks it read for staff); `?client=<id>`
shows one client's conversations. Every handler goes through `_as_staff`.
The open conversation and the client filter are backend vars set by the
server at load; the services check every id again. Message text is plain
text: the page shows it with rx.text, never as HTML or markdown.

"Send reply" is an upload handler: optional files from the picker, checked
by the service like any shared document, the text from `_reply_body` (set
when the text box loses focus). Files under a message link to the staff
download route.
"""

import reflex as rx

from portal_app import live, routes
from portal_app.providers.storage import get_storage
from portal_app.services import clients, messaging
from portal_app.services.documents import format_size
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import when
from state.console_scheduling import _staff_options
from state.messages import read_uploads, uploads_and_form
from state.session import StaffState

PER_PAGE = 50
THREAD_PAGE = 50
CLIENT_CHOICES = 200
CLIENT_LIMIT = 500  # one client's conversations when the inbox shows only that client
FILTERS = [("all", "All"), ("unread", "Unread"), ("mine", "Assigned to me"),
           ("unassigned", "Unassigned")]
FILTER_KEYS = {key for key, _ in FILTERS}
COMPOSE_FIELDS = ("client_id", "subject", "body")
REPLY_UPLOAD_ID = "console-reply-files"


def attachment_row(doc) -> dict[str, str]:
    return {"id": str(doc.id), "name": doc.filename, "size": format_size(doc.size_bytes),
            "url": f"{routes.API_CONSOLE_DOCUMENT_DOWNLOAD}?id={doc.id}"}


def _refusal(event, result):
    """The sign-in redirect, or the refusal as a toast; None when it succeeded."""
    if event is not None:
        return event
    if isinstance(result, ServiceError):
        return rx.toast.error(result.message)
    return None


def _clean_search(raw: object) -> str:
    return " ".join(str(raw or "").split())[:100]


class InboxState(StaffState):
    """/console/messages[?c=<conversation id>][&client=<client id>]."""

    view: str = "all"
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []
    client_id: str = ""
    client_name: str = ""
    # The open conversation.
    current: dict[str, str] = {}
    # One dict per message: id, body, when, who, mine, and "files" (a list of
    # {id, name, size, url}: the message's attachments).
    thread: list[dict] = []
    has_older: bool = False
    staff_options: list[dict[str, str]] = []
    reply_error: str = ""
    reply_key: int = 0  # bumped after a sent reply so the uncontrolled text box empties
    # "New message".
    compose_open: bool = False
    compose_client: str = ""
    client_options: list[dict[str, str]] = []
    compose_errors: dict[str, str] = {key: "" for key in COMPOSE_FIELDS}
    _client_id: int = 0
    _conversation_id: int = 0
    _oldest_id: int = 0
    _reply_body: str = ""  # the reply box's text, as it was when it lost focus

    # --- the list ---------------------------------------------------------------------

    def _staff_names(self) -> dict[str, str]:
        return {o["id"]: o["name"] for o in self.staff_options}

    def _client_page(self, session, ctx) -> tuple[list, int]:
        """One client's conversations, with the tab and search applied here.

        `staff_inbox` has no client filter, so this reads the client's
        conversations (one query) and filters them in Python; the search here
        matches the subject and the client's name, not the message text.
        """
        names = self._staff_names()
        text = self.search.lower()
        found = []
        for conv in messaging.client_conversations(session, client_id=self._client_id,
                                                   limit=CLIENT_LIMIT):
            if self.view == "unread" and conv.staff_unread <= 0:
                continue
            if self.view == "mine" and conv.assigned_staff_id != ctx.staff_id:
                continue
            if self.view == "unassigned" and conv.assigned_staff_id is not None:
                continue
            if text and text not in conv.subject.lower() and text not in self.client_name.lower():
                continue
            assignee = ""
            if conv.assigned_staff_id is not None:
                assignee = names.get(str(conv.assigned_staff_id), "Former staff member")
            found.append(messaging.InboxRow(conv, self.client_name, assignee))
        start = (self.page - 1) * PER_PAGE
        return found[start:start + PER_PAGE], len(found)

    def _page_of(self, session, ctx) -> tuple[list, int]:
        if self._client_id:
            return self._client_page(session, ctx)
        return messaging.staff_inbox(
            session, unread_only=self.view == "unread",
            assigned_to=ctx.staff_id if self.view == "mine" else None,
            unassigned=self.view == "unassigned", search=self.search, page=self.page,
            per_page=PER_PAGE)

    def _load_staff(self, session) -> None:
        """"Assign to" choices: active staff, plus the open conversation's assignee
        if they are no longer active (so the select still shows who has it)."""
        self.staff_options = _staff_options(session)
        self._add_former_assignee()

    def _add_former_assignee(self) -> None:
        assignee = self.current.get("assignee_id", "")
        if assignee and assignee not in self._staff_names():
            self.staff_options = [*self.staff_options,
                                  {"id": assignee, "name": "Former staff member"}]

    def _fill(self, session, ctx) -> None:
        self._load_staff(session)
        result, total = self._page_of(session, ctx)
        pages = max(1, -(-total // PER_PAGE))
        if self.page > pages:
            self.page = pages
            result, total = self._page_of(session, ctx)
        self.total, self.pages = total, pages
        suffix = f"&client={self._client_id}" if self._client_id else ""
        self.rows = [
            {"id": str(r.conversation.id), "subject": r.conversation.subject,
             "url": f"{routes.CONSOLE_MESSAGES}?c={r.conversation.id}{suffix}",
             "client": r.client_name, "client_url": routes.console_client(r.conversation.client_id),
             "when": when(r.conversation.last_message_at),
             "unread": str(r.conversation.staff_unread) if r.conversation.staff_unread else "",
             "assignee": r.assigned_name,
             "active": "yes" if r.conversation.id == self._conversation_id else ""}
            for r in result
        ]

    def _set_client_filter(self, session, raw: str) -> None:
        previous = self._client_id
        self._client_id = 0
        self.client_id = self.client_name = ""
        if raw:
            try:
                client = clients.get_client(session, client_id=raw)
            except ServiceError:
                client = None
            if client is not None:
                self._client_id = client.id
                self.client_id, self.client_name = str(client.id), client.full_name
        if self._client_id != previous:
            self.page = 1

    # --- the open conversation ----------------------------------------------------------

    def _close_thread(self) -> None:
        self._conversation_id = self._oldest_id = 0
        self.current, self.thread, self.has_older = {}, [], False
        self.reply_error = ""
        self._reply_body = ""

    def _row(self, message, client_name: str, files=()) -> dict:
        staff = message.sender == "staff"
        if staff:
            who = self._staff_names().get(str(message.sender_staff_id or ""), "Staff")
        else:
            who = client_name
        return {"id": str(message.id), "body": message.body, "when": when(message.created_at),
                "who": who, "mine": "yes" if staff else "",
                "files": [attachment_row(d) for d in files]}

    def _rows(self, session, messages, client_name: str) -> list[dict]:
        files = messaging.attachments_for(session, message_ids=[m.id for m in messages])
        return [self._row(m, client_name, files.get(m.id, [])) for m in messages]

    def _open(self, session, conversation_id) -> bool:
        """Show the newest messages of a conversation and mark it read for staff.
        True when it had unread messages."""
        conversation = messaging.get_conversation(session, conversation_id=conversation_id)
        client = clients.get_client(session, client_id=conversation.client_id)
        was_unread = conversation.staff_unread > 0
        if was_unread:
            messaging.mark_read(session, conversation_id=conversation.id, by="staff")
        messages, self.has_older = messaging.thread(session, conversation_id=conversation.id,
                                                    limit=THREAD_PAGE)
        self.staff_options = _staff_options(session)  # the authors' names
        if conversation.id != self._conversation_id:
            self._reply_body = ""  # never send one conversation's draft to another
        self._conversation_id = conversation.id
        self._oldest_id = messages[0].id if messages else 0
        self.thread = self._rows(session, messages, client.full_name)
        self.current = {"id": str(conversation.id), "subject": conversation.subject,
                        "client": client.full_name,
                        "client_url": routes.console_client(client.id),
                        "assignee_id": str(conversation.assigned_staff_id or ""),
                        "closed": "yes" if conversation.closed_at is not None else ""}
        self._add_former_assignee()
        return was_unread

    def _refresh(self, session, ctx) -> None:
        """The open thread (if it still exists) and the list, as they are now."""
        if self._conversation_id:
            try:
                self._open(session, self._conversation_id)
            except ServiceError:
                self._close_thread()
        self._fill(session, ctx)

    # --- handlers -----------------------------------------------------------------------

    @rx.event
    def load(self):
        """on_load: the inbox (for the client in ?client=), with ?c=<id> opened."""
        query = self.router.url.query_parameters
        self.compose_open = False
        self.reply_error = ""
        missing = was_unread = False

        def action(s, c):
            nonlocal missing, was_unread
            self._set_client_filter(s, query.get("client", ""))
            self._close_thread()
            if query.get("c"):
                try:
                    was_unread = self._open(s, query.get("c"))
                except ServiceError:
                    self._close_thread()
                    missing = True
            self._fill(s, c)

        event, result = self._as_staff(action)
        refused = _refusal(event, result)
        if refused is not None:
            self._close_thread()
            self.rows = []
            return refused
        if missing:
            return rx.toast.error(messaging.NO_CONVERSATION)
        if was_unread:
            # Other console tabs show unread counts: they change with this read.
            live.staff_changed(exclude=self.router.session.client_token)
        return None

    def _live_refresh(self) -> None:
        """Pushed from outside (a client wrote): reload the list and the open thread."""
        self._as_staff(lambda s, c: self._refresh(s, c))

    @rx.event
    def show(self, name: str):
        """A filter tab: all, unread, mine (assigned to me) or unassigned."""
        def action(s, c):
            self.view = str(name) if str(name) in FILTER_KEYS else "all"
            self.page = 1
            self._fill(s, c)

        return _refusal(*self._as_staff(action))

    @rx.event
    def apply_search(self, form: dict):
        """Search subjects, client names and message text."""
        def action(s, c):
            self.search = _clean_search(form.get("search", "") if isinstance(form, dict) else "")
            self.page = 1
            self._fill(s, c)

        return _refusal(*self._as_staff(action))

    @rx.event
    def go_to_page(self, page: int):
        def action(s, c):
            try:
                self.page = min(max(1, int(page)), self.pages)
            except (TypeError, ValueError):
                self.page = 1
            self._fill(s, c)

        return _refusal(*self._as_staff(action))

    @rx.event
    def load_older(self):
        """Show earlier messages: the 50 before the oldest one shown."""
        def action(s, c):
            if not self._conversation_id or not self._oldest_id:
                return
            conversation = messaging.get_conversation(s, conversation_id=self._conversation_id)
            client = clients.get_client(s, client_id=conversation.client_id)
            older, self.has_older = messaging.thread(
                s, conversation_id=conversation.id, before_id=self._oldest_id,
                limit=THREAD_PAGE)
            if older:
                self._oldest_id = older[0].id
                self.thread = self._rows(s, older, client.full_name) + self.thread

        return _refusal(*self._as_staff(action))

    @rx.event
    def set_reply_body(self, value: str):
        """The reply box lost focus: keep its text for "Send reply"."""
        def action(s, c):
            self._reply_body = str(value or "")[:messaging.BODY_MAX + 1000]

        return _refusal(*self._as_staff(action))

    @rx.event
    async def send_reply(self, files: list[rx.UploadFile], fields: dict | None = None):
        """Send reply in the open conversation, with the picked files (optional):
        the client is notified (bell, and an email without the text when they
        want message emails). Called with a form's data instead, it sends that
        text without files. Nothing is written when anything is refused."""
        self.reply_error = ""
        uploads, form = uploads_and_form(files)
        form = fields if isinstance(fields, dict) else form  # the box's text, sent along
        body = str(form.get("body", "") or "") if form is not None else self._reply_body
        body = body[:messaging.BODY_MAX + 1000]
        settings = get_settings()
        event, _ = self._as_staff(lambda s, c: None)  # who is asking, before reading files
        if event is not None:
            return event
        incoming = await read_uploads(uploads, settings.upload_max_request_bytes)
        if isinstance(incoming, str):
            self.reply_error = incoming
            return None

        def action(s, c):
            if not self._conversation_id:
                raise ServiceError("Choose a conversation first.")
            messaging.send_message(s, conversation_id=self._conversation_id, body=body,
                                   by="staff", staff_id=c.staff_id,
                                   base_url=settings.base_url, files=incoming,
                                   storage=get_storage(settings),
                                   max_file_bytes=settings.upload_max_file_bytes,
                                   max_request_bytes=settings.upload_max_request_bytes)
            client_id = messaging.get_conversation(
                s, conversation_id=self._conversation_id).client_id
            self._refresh(s, c)
            return client_id

        event, result = self._as_staff(action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            self.reply_error = result.message
            return None
        self.reply_key += 1
        self._reply_body = ""
        live.client_changed(result)
        live.staff_changed(exclude=self.router.session.client_token)
        return rx.clear_selected_files(REPLY_UPLOAD_ID) if incoming else None

    @rx.event
    def assign(self, assignee_id: str):
        """Assign to: an active staff member, or "" for unassigned."""
        def action(s, c):
            if not self._conversation_id:
                raise ServiceError("Choose a conversation first.")
            conversation = messaging.assign(s, staff_id=c.staff_id,
                                            conversation_id=self._conversation_id,
                                            assignee_id=str(assignee_id or "") or None)
            self._refresh(s, c)
            return conversation

        event, result = self._as_staff(action)
        refused = _refusal(event, result)
        if refused is not None:
            return refused
        live.staff_changed(exclude=self.router.session.client_token)
        name = self._staff_names().get(self.current.get("assignee_id", ""), "")
        return rx.toast.success(f"Assigned to {name}." if name else "Unassigned.")

    # --- "New message" -------------------------------------------------------------------

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

    @rx.event
    def open_compose(self):
        """New message: the dialog, with the filtered client (if any) chosen."""
        def action(s, c):
            self.compose_client = str(self._client_id) if self._client_id else ""
            self.compose_errors = {key: "" for key in COMPOSE_FIELDS}
            self._load_clients(s)
            self.compose_open = True

        return _refusal(*self._as_staff(action))

    @rx.event
    def set_compose_open(self, value: bool):
        def action(s, c):
            self.compose_open = bool(value)

        return _refusal(*self._as_staff(action))

    @rx.event
    def set_compose_client(self, value: str):
        def action(s, c):
            self.compose_client = str(value or "")[:20]
            self.compose_errors = {**self.compose_errors, "client_id": ""}

        return _refusal(*self._as_staff(action))

    @rx.event
    def find_clients(self, form: dict):
        """Narrow the client picker to names or emails matching the search."""
        def action(s, c):
            text = form.get("client_search", "") if isinstance(form, dict) else ""
            self._load_clients(s, _clean_search(text))

        return _refusal(*self._as_staff(action))

    @rx.event
    def start(self, form: dict):
        """Send in "New message": a conversation with the chosen client, assigned to
        the sender; the client is notified as for a reply."""
        form = form if isinstance(form, dict) else {}
        subject = str(form.get("subject", "") or "")[:messaging.SUBJECT_MAX + 100]
        body = str(form.get("body", "") or "")[:messaging.BODY_MAX + 1000]
        self.compose_errors = {key: "" for key in COMPOSE_FIELDS}

        def action(s, c):
            if not self.compose_client:
                raise ServiceError("Choose a client.", field="client_id")
            conversation = messaging.start_conversation(
                s, client_id=self.compose_client, subject=subject, body=body, by="staff",
                staff_id=c.staff_id, base_url=get_settings().base_url)
            return conversation.id, conversation.client_id

        event, result = self._as_staff(action)
        if event is not None:
            return event
        if isinstance(result, ServiceError):
            field = result.field if result.field in COMPOSE_FIELDS else "client_id"
            self.compose_errors = {**self.compose_errors, field: result.message}
            return None
        conversation_id, client_id = result
        self.compose_open = False
        live.client_changed(client_id)
        live.staff_changed(exclude=self.router.session.client_token)
        return [rx.redirect(f"{routes.CONSOLE_MESSAGES}?c={conversation_id}"),
                rx.toast.success("Message sent.")]

