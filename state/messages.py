"""Client secure messaging (seed 001/003): conversations with the business,
"compose new message", a thread with "send message", live replies.

Needs "use secure messaging"; every conversation id is checked for
ownership by the service. Message text is shown as plain text.

A message with no file picked goes as a websocket event with the boxes'
text (`send_text`, `start_text`: `client_event`s like every other handler
here, needing the messaging permission; state/guards.py). With files picked,
the page posts through the upload route instead (`send`, `start`): the files
come from the picker (`rx.upload_files`), checked by the service like any
document (sending them needs the upload permission), the text from the boxes
(`fields`); those two check the client before reading the files and again in
the transaction that writes. The text boxes are the browser's own (no event
per keystroke); `reply_key` / `compose_key` empty them after a message is sent.
"""

import reflex as rx

from models import Conversation
from portal_app import live, routes
from portal_app.db import session_scope
from portal_app.providers import select as providers
from portal_app.services import messaging, notifications
from portal_app.services.documents import IncomingFile, format_size
from portal_app.services.errors import ServiceError
from portal_app.services.shell import shell_counts
from portal_app.settings import get_settings
from state.guards import client_event, client_refusal, refusal
from state.session import ClientState
from state.uploads import read_uploads, uploads_and_form

UNAVAILABLE = "Messaging is not available to you. Please contact us."
NO_UPLOAD = "Sending files is not available to you. Please contact us."
REPLY_UPLOAD_ID = "message-reply-files"
COMPOSE_UPLOAD_ID = "message-compose-files"


def attachment_row(doc, lang: str) -> dict[str, str]:
    return {"id": str(doc.id), "name": doc.filename, "size": format_size(doc.size_bytes, lang),
            "url": f"{routes.API_DOCUMENT_DOWNLOAD}?id={doc.id}"}


def clip_subject(text: str) -> str:
    """Room past the limit, so the service can say it is too long."""
    return text[:messaging.SUBJECT_MAX + 100]


def clip_body(text: str) -> str:
    return text[:messaging.BODY_MAX + 1000]


THREAD_PAGE = 50  # messages shown when a conversation opens (messaging.thread's page)
TAIL_MAX = 20  # messages appended after it before the page is sent again as one


class MessagesState(ClientState):
    conversations: list[dict[str, str]] = []
    current: dict[str, str] = {}
    # One dict per message: id, body, when, who, mine, and "files" (a list of
    # {id, name, size, url}: the message's attachments).
    thread: list[dict] = []
    # Messages that arrived after the page was filled (shown after `thread`).
    thread_tail: list[dict] = []
    has_older: bool = False
    compose_open: bool = False
    errors: dict[str, str] = {}
    # Bumped after a message is sent: the text boxes (keyed by it) start empty again.
    reply_key: int = 0
    compose_key: int = 0
    _conversation_id: int = 0
    _oldest_id: int = 0
    # (conversation id, language) `thread` was filled for: while it stands, new
    # messages are appended to `thread_tail` instead of sending the page again.
    _thread_key: tuple = ()

    def _fill_list(self, session, ctx) -> None:
        """The list: subject, date, a one-line preview of the last message ("You: "
        before the client's own) and the unread count (one statement)."""
        you = self._tr("You")
        self.conversations = [
            {"id": str(r.conversation.id), "subject": r.conversation.subject,
             "when": self._when(r.conversation.last_message_at),
             "preview": f"{you}: {r.preview}" if r.last_sender == "client" else r.preview,
             "unread": str(r.unread) if r.unread else "",
             "active": "yes" if r.conversation.id == self._conversation_id else ""}
            for r in messaging.client_conversation_list(session, client_id=ctx.client_id)]

    def _rows(self, session, ctx, messages, plain: frozenset = frozenset()) -> list[dict]:
        """The messages as rows; `plain`: ids known to carry no file (the one just sent
        without files): when every message is one, their files are not read."""
        ids = [m.id for m in messages]
        files = {} if plain.issuperset(ids) else messaging.attachments_for(
            session, message_ids=ids, client_id=ctx.client_id)
        return [self._row(m, files.get(m.id, [])) for m in messages]

    def _fill_thread(self, session, ctx, conversation_id: int,
                     opened: Conversation | None = None, plain: frozenset = frozenset()) -> None:
        """The thread, then read: the conversation and its notifications. `opened`: the
        conversation, read to be opened (its unread count is taken, then marked read);
        None after the client wrote in the conversation the page shows (`current`
        stands; the write marked it read): then only a message from us that this event
        brings to the page can have been unread, every earlier one having been read
        when a fill of this page showed it. `plain`: see `_rows`."""
        arrived = self._fill_tail(session, ctx, conversation_id, plain)
        if arrived is None:
            arrived, has_older = messaging.thread(session, conversation_id=conversation_id,
                                                  client_id=ctx.client_id)
            self._thread_key = (conversation_id, self._lang)
            self.thread, self.thread_tail = self._rows(session, ctx, arrived), []
            self._set("has_older", has_older)
            self._oldest_id = arrived[0].id if arrived else 0
        if opened is not None:
            self._set("current", {"id": str(opened.id), "subject": opened.subject})
            unread = opened.client_unread
            messaging.mark_read(session, conversation_id=opened.id, by="client",
                                client_id=ctx.client_id)
        else:
            unread = any(m.sender == "staff" for m in arrived)
        # The shell counted the unread bell lines in this event: none, none to mark. After
        # a write, a bell line of this conversation is unread only with a message of ours.
        marked = (self.bell_count > 0 and (opened is not None or unread)
                  and notifications.mark_link_read(
                      session, client_id=ctx.client_id,
                      link=f"{routes.MESSAGES}?c={conversation_id}"))
        if unread or marked:
            # The shell counted before this thread was read (the session check runs first
            # in this transaction, also on a live refresh): count again, so "Messages"
            # and the bell drop now. Nothing was unread: those counts stand.
            bell, count = shell_counts(session, client_id=ctx.client_id,
                                       messaging=ctx.access.messaging)
            self._set("bell_count", bell)
            self._set("unread_messages", count)

    def _fill_tail(self, session, ctx, conversation_id: int,
                   plain: frozenset = frozenset()) -> list | None:
        """The same conversation again (a reply sent, a live refresh): only the messages
        newer than the newest shown are read and go out, in `thread_tail`; the rest of
        the page stays as it is, so the delta holds the new messages, not the whole
        thread. Those messages; None when the page must be filled afresh (another
        conversation or language, or more new messages than a page)."""
        # The page is in id order, the tail after it: the newest is the last row.
        last = self.thread_tail or self.thread
        if not last or self._thread_key != (conversation_id, self._lang):
            return None
        newest = int(last[-1]["id"])
        messages, gap = messaging.thread(session, conversation_id=conversation_id,
                                         after_id=newest, limit=THREAD_PAGE,
                                         client_id=ctx.client_id)
        if gap:
            return None
        newer = self._rows(session, ctx, messages, plain) if messages else []
        if len(self.thread_tail) + len(newer) > TAIL_MAX:  # folded in: one full send
            rows = [*self._shown(), *newer]
            self.thread, self.thread_tail = rows[-THREAD_PAGE:], []
            if len(rows) > THREAD_PAGE:  # the oldest left the page: "Show earlier" finds them
                self._oldest_id = int(self.thread[0]["id"])
                self._set("has_older", True)
        elif newer:  # (in place: the list is not copied and type-checked again)
            self.thread_tail.extend(newer)
        return messages

    def _list_after_send(self, session, ctx, conversation_id: int, message) -> None:
        """The list after the client wrote in a conversation it shows: that row moves to
        the top with the new preview, read (no statement); otherwise read the list."""
        key = str(conversation_id)
        row = next((r for r in self.conversations if r["id"] == key), None)
        if row is None:
            self._fill_list(session, ctx)
            return
        row = {**row, "when": self._when(message.created_at), "unread": "",
               "preview": f"{self._tr('You')}: {messaging.preview_text(message.body)}"}
        self.conversations = [row, *(r for r in self.conversations if r["id"] != key)]

    def _shown(self) -> list[dict]:
        """The messages on the page, oldest first."""
        return [*self.thread, *self.thread_tail]

    def _row(self, message, files=()) -> dict:
        mine = message.sender == "client"
        return {"id": str(message.id), "body": message.body,
                "when": self._when(message.created_at),
                "who": self._tr("You" if mine else "Us"), "mine": "yes" if mine else "",
                "files": [attachment_row(d, self._lang) for d in files]}

    def _open(self, session, ctx, conversation_id) -> None:
        conversation = messaging.get_conversation_for(session, client_id=ctx.client_id,
                                                      conversation_id=conversation_id)
        self._conversation_id = conversation.id
        self._fill_thread(session, ctx, conversation.id, opened=conversation)
        self._fill_list(session, ctx)

    @client_event(feature="messaging", unavailable=UNAVAILABLE, page=True)
    def load(self, session, ctx):
        self.errors = {}
        query = self.router.url.query_parameters
        self._conversation_id = 0
        self.current, self.thread, self.thread_tail, self.has_older = {}, [], [], False
        if query.get("c"):
            try:
                self._open(session, ctx, query.get("c"))
            except ServiceError:
                self._conversation_id = 0
        if not self._conversation_id:  # (an open conversation filled the list)
            self._fill_list(session, ctx)
        if query.get("new") == "1":
            return MessagesState.open_compose
        return None

    def _live_refresh(self):
        with session_scope() as session:
            ctx, refused = self._live_client(session, "messaging", UNAVAILABLE)
            if refused is not None or ctx is None:
                return refused
            if self._conversation_id:
                try:
                    self._open(session, ctx, self._conversation_id)
                except ServiceError:
                    self._conversation_id = 0
            if not self._conversation_id:  # (an open conversation filled the list)
                self._fill_list(session, ctx)

    @client_event(feature="messaging", unavailable=UNAVAILABLE)
    def open_conversation(self, session, ctx, conversation_id: str):
        self._open(session, ctx, conversation_id)

    @client_event(feature="messaging", unavailable=UNAVAILABLE)
    def load_older(self, session, ctx):
        if not self._conversation_id:
            return
        messaging.get_conversation_for(session, client_id=ctx.client_id,
                                       conversation_id=self._conversation_id)
        older, self.has_older = messaging.thread(
            session, conversation_id=self._conversation_id, before_id=self._oldest_id,
            client_id=ctx.client_id)
        if older:
            self._oldest_id = older[0].id
            self.thread = self._rows(session, ctx, older) + self.thread

    @client_event(feature="messaging", unavailable=UNAVAILABLE)
    def open_compose(self, session, ctx):
        self.errors = {}
        self.compose_key += 1  # empty boxes
        self.compose_open = True
        return rx.clear_selected_files(COMPOSE_UPLOAD_ID)

    @rx.event
    def set_compose_open(self, value: bool):
        self.compose_open = bool(value)

    async def _picked_files(self, uploads: list) -> tuple[object, list[IncomingFile] | str]:
        """(None, the picked files ([] when none) or why they are refused), or
        (where the browser goes, []) when the caller may not message at all.
        Reading files can take a while, so it happens before the writing
        transaction, after a session check of its own; with no file picked, that
        check is left to the writing transaction."""
        if not any(hasattr(u, "read") for u in uploads):
            return None, []
        with session_scope() as session:
            ctx = self._client(session)
            refused = client_refusal(self, ctx, feature="messaging",
                                     unavailable=UNAVAILABLE)
        if refused is not None:
            return refused, []
        if not ctx.access.upload:
            return None, NO_UPLOAD
        return None, await read_uploads(uploads, get_settings().upload_max_request_bytes)

    @staticmethod
    def _file_limits() -> dict:
        settings = get_settings()
        return {"storage": providers.current().storage, "base_url": settings.base_url,
                "max_file_bytes": settings.upload_max_file_bytes,
                "max_request_bytes": settings.upload_max_request_bytes}

    def _told(self) -> None:
        """After the commit: the console's tabs and the client's other tabs (this one has
        the message already); pages that show no messages reload their shell only."""
        live.staff_changed(about=live.MESSAGES)
        live.client_changed(int(self.selected_record or 0),
                            exclude=self.router.session.client_token, about=live.MESSAGES)

    def _compose_refused(self, exc: ServiceError) -> None:
        self.errors = {exc.field or "body": exc.message}

    def _reply_refused(self, exc: ServiceError) -> None:
        self.errors = {"reply": exc.message}

    def _start_in(self, session, ctx, subject: str, body: str, incoming: list) -> None:
        """The new conversation written and shown, inside the checked transaction."""
        conversation = messaging.start_conversation(
            session, client_id=ctx.client_id, subject=clip_subject(subject),
            body=clip_body(body), by="client", writer=ctx, files=incoming,
            **self._file_limits())
        self._conversation_id = conversation.id
        self._set("current", {"id": str(conversation.id), "subject": conversation.subject})
        self._fill_thread(session, ctx, conversation.id)  # the writer has read it
        self._fill_list(session, ctx)

    def _started(self) -> list:
        self.compose_open = False
        self.compose_key += 1
        self._told()
        return [rx.clear_selected_files(COMPOSE_UPLOAD_ID), rx.toast.success(self._tr("Message sent."))]

    def _reply_in(self, session, ctx, body: str, incoming: list):
        """The reply written in the open conversation and shown, inside the checked
        transaction; a toast when no conversation is open (nothing written)."""
        if not self._conversation_id:
            return rx.toast.error(self._tr("Choose a conversation first."))
        # The service checks the conversation (the client's own, open) in the UPDATE
        # that moves it, and takes this event's session check for the client's access.
        message = messaging.send_message(
            session, conversation_id=self._conversation_id, body=clip_body(body), by="client",
            client_id=ctx.client_id, writer=ctx, files=incoming, **self._file_limits())
        self._fill_thread(session, ctx, message.conversation_id,
                          plain=frozenset() if incoming else frozenset({message.id}))
        self._list_after_send(session, ctx, message.conversation_id, message)
        return None

    @client_event(feature="messaging", unavailable=UNAVAILABLE, on_error="_compose_refused")
    def start_text(self, session, ctx, subject: str, body: str):
        """Compose new message with no file picked: the boxes' text over the websocket.
        Nothing is written when anything is refused."""
        self.errors = {}
        self._start_in(session, ctx, str(subject or ""), str(body or ""), [])
        return self._started()

    @client_event(feature="messaging", unavailable=UNAVAILABLE, on_error="_reply_refused")
    def send_text(self, session, ctx, body: str):
        """Send message with no file picked: the box's text over the websocket.
        Nothing is written when anything is refused."""
        self.errors = {}
        refused = self._reply_in(session, ctx, str(body or ""), [])
        if refused is not None:
            return refused
        self.reply_key += 1
        self._told()
        return None

    @rx.event
    async def start(self, files: list[rx.UploadFile], fields: dict | None = None):
        """Compose new message with files picked (the upload route); the page sends
        the boxes' text along (`fields`: subject, body). Nothing is written when
        anything is refused."""
        self.errors = {}
        uploads, form = uploads_and_form(files)
        form = fields if isinstance(fields, dict) else (form or {})
        refused, incoming = await self._picked_files(uploads)
        if refused is not None:
            return refused
        if isinstance(incoming, str):
            self.errors = {"files": incoming}
            return None
        try:
            with session_scope() as session:
                ctx = self._client(session)  # (again) inside the transaction that writes
                refused = client_refusal(self, ctx, feature="messaging",
                                         unavailable=UNAVAILABLE)
                if refused is not None:
                    return refused
                self._start_in(session, ctx, str(form.get("subject", "")),
                               str(form.get("body", "")), incoming)
        except ServiceError as exc:
            return refusal(self, exc, "_compose_refused")
        return self._started()

    @rx.event
    async def send(self, files: list[rx.UploadFile], fields: dict | None = None):
        """Send message with files picked (the upload route) inside the open
        conversation; the page sends the box's text along (`fields`: body).
        Nothing is written when anything is refused."""
        self.errors = {}
        uploads, form = uploads_and_form(files)
        form = fields if isinstance(fields, dict) else (form or {})
        refused, incoming = await self._picked_files(uploads)
        if refused is not None:
            return refused
        if isinstance(incoming, str):
            self.errors = {"reply": incoming}
            return None
        try:
            with session_scope() as session:
                ctx = self._client(session)  # (again) inside the transaction that writes
                refused = client_refusal(self, ctx, feature="messaging",
                                         unavailable=UNAVAILABLE)
                if refused is None:
                    refused = self._reply_in(session, ctx, str(form.get("body", "")), incoming)
                if refused is not None:
                    return refused
        except ServiceError as exc:
            return refusal(self, exc, "_reply_refused")
        self.reply_key += 1
        self._told()
        return rx.clear_selected_files(REPLY_UPLOAD_ID) if incoming else None
