"""The open conversation of /console/messages (`?c=<id>`, a backend var set by
the server at load): its messages, "Show earlier messages", "Send reply"
and "Assign to".

"Send reply" is an upload handler: optional files from the picker, checked
by the service like any shared document, the text from `_reply_body` (set
when the text box loses focus). It checks the staff session before reading
the files and again in the transaction that writes. Files under a message
link to the staff download route.
"""

import reflex as rx

from portal_app import live, routes
from portal_app.providers import select as providers
from portal_app.services import clients, messaging
from portal_app.services.documents import format_size
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_format import console_zone, when
from state.console_scheduling import _staff_options
from state.guards import refusal, staff_event
from state.uploads import read_uploads, uploads_and_form

THREAD_PAGE = 50
TAIL_MAX = 20  # messages appended after the page before it is sent again as one
REPLY_UPLOAD_ID = "console-reply-files"


def attachment_row(doc) -> dict[str, str]:
    return {"id": str(doc.id), "name": doc.filename, "size": format_size(doc.size_bytes),
            "url": f"{routes.API_CONSOLE_DOCUMENT_DOWNLOAD}?id={doc.id}"}


class InboxThread(rx.State, mixin=True):
    """InboxState's open conversation: its vars, its filling, and its handlers."""

    current: dict[str, str] = {}
    # One dict per message: id, body, when, who, mine, and "files" (a list of
    # {id, name, size, url}: the message's attachments).
    thread: list[dict] = []
    # Messages that arrived after the page was filled (shown after `thread`).
    thread_tail: list[dict] = []
    has_older: bool = False
    staff_options: list[dict[str, str]] = []
    reply_error: str = ""
    reply_key: int = 0  # bumped after a sent reply so the uncontrolled text box empties
    _conversation_id: int = 0
    _oldest_id: int = 0
    _reply_body: str = ""  # the reply box's text, as it was when it lost focus
    # (conversation id, language) `thread` was filled for: while it stands, new
    # messages are appended to `thread_tail` instead of sending the page again.
    _thread_key: tuple = ()

    def _staff_names(self) -> dict[str, str]:
        return {o["id"]: o["name"] for o in self.staff_options}

    def _load_staff(self, session) -> None:
        """"Assign to" choices: active staff, plus the open conversation's assignee
        if they are no longer active (so the select still shows who has it)."""
        self.staff_options = _staff_options(session)
        self._add_former_assignee()

    def _add_former_assignee(self) -> None:
        assignee = self.current.get("assignee_id", "")
        if assignee and assignee not in self._staff_names():
            self.staff_options = [*self.staff_options,
                                  {"id": assignee, "name": self._tr("Former staff member")}]

    def _close_thread(self) -> None:
        self._conversation_id = self._oldest_id = 0
        self.current, self.thread, self.has_older = {}, [], False
        self.thread_tail, self._thread_key = [], ()
        self.reply_error = ""
        self._reply_body = ""

    def _row(self, message, client_name: str, zone: str, files=()) -> dict:
        staff = message.sender == "staff"
        if staff:
            who = self._staff_names().get(str(message.sender_staff_id or ""), "Staff")
        else:
            who = client_name
        return {"id": str(message.id), "body": message.body, "when": when(message.created_at, zone),
                "who": who, "mine": "yes" if staff else "",
                "files": [attachment_row(d) for d in files]}

    def _rows(self, session, messages, client_name: str) -> list[dict]:
        files = messaging.attachments_for(session, message_ids=[m.id for m in messages])
        zone = console_zone(session)
        return [self._row(m, client_name, zone, files.get(m.id, [])) for m in messages]

    def _open(self, session, conversation_id) -> bool:
        """Show the newest messages of a conversation and mark it read for staff.
        True when it had unread messages."""
        conversation = messaging.get_conversation(session, conversation_id=conversation_id)
        client = clients.get_client(session, client_id=conversation.client_id)
        was_unread = conversation.staff_unread > 0
        if was_unread:
            messaging.mark_read(session, conversation_id=conversation.id, by="staff")
        self.staff_options = _staff_options(session)  # the authors' names
        if conversation.id != self._conversation_id:
            self._reply_body = ""  # never send one conversation's draft to another
        self._conversation_id = conversation.id
        if not self._fill_tail(session, conversation.id, client.full_name):
            messages, self.has_older = messaging.thread(
                session, conversation_id=conversation.id, limit=THREAD_PAGE)
            self._thread_key = (conversation.id, self._lang)
            self._oldest_id = messages[0].id if messages else 0
            self.thread, self.thread_tail = self._rows(session, messages, client.full_name), []
        self.current = {"id": str(conversation.id), "subject": conversation.subject,
                        "client": client.full_name,
                        "client_url": routes.console_client(client.id),
                        "assignee_id": str(conversation.assigned_staff_id or ""),
                        "closed": "yes" if conversation.closed_at is not None else ""}
        self._add_former_assignee()
        return was_unread

    def _fill_tail(self, session, conversation_id: int, client_name: str) -> bool:
        """The same conversation again (a reply sent, a live refresh): only the messages
        newer than the newest shown are read and go out, in `thread_tail` (as the
        client's thread does, state/messages.py). False when the page must be filled
        afresh (another conversation or language, or more new messages than a page)."""
        shown = [*self.thread, *self.thread_tail]
        if not shown or self._thread_key != (conversation_id, self._lang):
            return False
        newest = max(int(m["id"]) for m in shown)
        messages, gap = messaging.thread(session, conversation_id=conversation_id,
                                         after_id=newest, limit=THREAD_PAGE)
        if gap:
            return False
        newer = self._rows(session, messages, client_name) if messages else []
        if len(self.thread_tail) + len(newer) > TAIL_MAX:  # folded in: one full send
            rows = [*shown, *newer]
            if len(rows) > THREAD_PAGE:  # the oldest leave the page: "Show earlier" has them
                rows = rows[-THREAD_PAGE:]
                self._oldest_id, self.has_older = int(rows[0]["id"]), True
            self.thread, self.thread_tail = rows, []
        elif newer:
            self.thread_tail = [*self.thread_tail, *newer]
        return True

    def _refresh(self, session, ctx) -> None:
        """The open thread (if it still exists) and the list, as they are now."""
        opened = False
        if self._conversation_id:
            try:
                self._open(session, self._conversation_id)
                opened = True
            except ServiceError:
                self._close_thread()
        self._fill(session, ctx, staff_loaded=opened)  # (the thread read the staff once)

    @staff_event
    def load_older(self, session, ctx):
        """Show earlier messages: the 50 before the oldest one shown."""
        if not self._conversation_id or not self._oldest_id:
            return
        conversation = messaging.get_conversation(session, conversation_id=self._conversation_id)
        client = clients.get_client(session, client_id=conversation.client_id)
        older, self.has_older = messaging.thread(
            session, conversation_id=conversation.id, before_id=self._oldest_id,
            limit=THREAD_PAGE)
        if older:
            self._oldest_id = older[0].id
            self.thread = self._rows(session, older, client.full_name) + self.thread

    @staff_event
    def set_reply_body(self, session, ctx, value: str):
        """The reply box lost focus: keep its text for "Send reply"."""
        self._reply_body = str(value or "")[:messaging.BODY_MAX + 1000]

    def _reply_refused(self, exc: ServiceError) -> None:
        self.reply_error = self._tr(exc.message)

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
                                   storage=providers.current().storage,
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
            return refusal(self, result, "_reply_refused")
        self.reply_key += 1
        self._reply_body = ""
        live.client_changed(result, about=live.MESSAGES)
        live.staff_changed(exclude=self.router.session.client_token, about=live.MESSAGES)
        return rx.clear_selected_files(REPLY_UPLOAD_ID) if incoming else None

    @staff_event
    def assign(self, session, ctx, assignee_id: str):
        """Assign to: an active staff member, or "" for unassigned."""
        if not self._conversation_id:
            raise ServiceError("Choose a conversation first.")
        messaging.assign(session, staff_id=ctx.staff_id, conversation_id=self._conversation_id,
                         assignee_id=str(assignee_id or "") or None)
        self._refresh(session, ctx)
        live.staff_changed(exclude=self.router.session.client_token, about=live.MESSAGES)
        name = self._staff_names().get(self.current.get("assignee_id", ""), "")
        return rx.toast.success(self._tr(f"Assigned to {name}." if name else "Unassigned."))
