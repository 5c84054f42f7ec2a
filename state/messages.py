"""Client secure messaging (seed 001/003): conversations with the business,
"compose new message", a thread with "send message", live replies.

Needs "use secure messaging"; every conversation id is checked for
ownership by the service. Message text is shown as plain text.
"""

import reflex as rx

from models import Conversation
from portal_app import live, routes
from portal_app.db import session_scope
from portal_app.services import messaging, notifications
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.session import ClientState

UNAVAILABLE = "Messaging is not available to you. Please contact us."


def when(moment) -> str:
    return moment.strftime("%d %b %Y, %H:%M UTC")


class MessagesState(ClientState):
    conversations: list[dict[str, str]] = []
    current: dict[str, str] = {}
    thread: list[dict[str, str]] = []
    has_older: bool = False
    compose_open: bool = False
    errors: dict[str, str] = {}
    draft: str = ""
    _conversation_id: int = 0
    _oldest_id: int = 0

    def _ctx(self, session):
        ctx = self._client(session)
        if ctx is None or ctx.client_id is None or not ctx.access.messaging:
            return None
        return ctx

    def _refused(self):
        if not self.signed_in:
            return self._bounce()
        return [rx.redirect(routes.DASHBOARD), rx.toast.info(UNAVAILABLE)]

    def _fill_list(self, session, ctx) -> None:
        self.conversations = [
            {"id": str(c.id), "subject": c.subject, "when": when(c.last_message_at),
             "unread": str(c.client_unread) if c.client_unread else "",
             "active": "yes" if c.id == self._conversation_id else ""}
            for c in messaging.client_conversations(session, client_id=ctx.client_id)]

    def _fill_thread(self, session, ctx, conversation: Conversation) -> None:
        messages, self.has_older = messaging.thread(session, conversation_id=conversation.id,
                                                    client_id=ctx.client_id)
        self.thread = [self._row(m) for m in messages]
        self._oldest_id = messages[0].id if messages else 0
        self.current = {"id": str(conversation.id), "subject": conversation.subject}
        messaging.mark_read(session, conversation_id=conversation.id, by="client",
                            client_id=ctx.client_id)
        if notifications.mark_link_read(session, client_id=ctx.client_id,
                                        link=f"{routes.MESSAGES}?c={conversation.id}"):
            self.bell_count = notifications.unread_count(session, client_id=ctx.client_id)

    @staticmethod
    def _row(message) -> dict[str, str]:
        mine = message.sender == "client"
        return {"id": str(message.id), "body": message.body, "when": when(message.created_at),
                "who": "You" if mine else "Us", "mine": "yes" if mine else ""}

    def _open(self, session, ctx, conversation_id) -> None:
        conversation = messaging.get_conversation_for(session, client_id=ctx.client_id,
                                                      conversation_id=conversation_id)
        self._conversation_id = conversation.id
        self._fill_thread(session, ctx, conversation)
        self._fill_list(session, ctx)

    @rx.event
    def load(self):
        self.errors = {}
        query = self.router.url.query_parameters
        with session_scope() as session:
            ctx = self._ctx(session)
            if ctx is None:
                return self._refused()
            self._conversation_id = 0
            self.current, self.thread, self.has_older = {}, [], False
            if query.get("c"):
                try:
                    self._open(session, ctx, query.get("c"))
                except ServiceError:
                    self._conversation_id = 0
            self._fill_list(session, ctx)
        if query.get("new") == "1":
            return MessagesState.open_compose
        return None

    def _live_refresh(self) -> None:
        with session_scope() as session:
            ctx = self._ctx(session)
            if ctx is None:
                return
            if self._conversation_id:
                try:
                    self._open(session, ctx, self._conversation_id)
                except ServiceError:
                    self._conversation_id = 0
            self._fill_list(session, ctx)

    @rx.event
    def open_conversation(self, conversation_id: str):
        with session_scope() as session:
            ctx = self._ctx(session)
            if ctx is None:
                return self._refused()
            try:
                self._open(session, ctx, conversation_id)
            except ServiceError as exc:
                return rx.toast.error(exc.message)
        return None

    @rx.event
    def load_older(self):
        with session_scope() as session:
            ctx = self._ctx(session)
            if ctx is None or not self._conversation_id:
                return self._refused() if ctx is None else None
            messaging.get_conversation_for(session, client_id=ctx.client_id,
                                           conversation_id=self._conversation_id)
            older, self.has_older = messaging.thread(
                session, conversation_id=self._conversation_id, before_id=self._oldest_id,
                client_id=ctx.client_id)
            if older:
                self._oldest_id = older[0].id
                self.thread = [self._row(m) for m in older] + self.thread
        return None

    @rx.event
    def open_compose(self):
        self.errors = {}
        self.compose_open = True

    @rx.event
    def set_compose_open(self, value: bool):
        self.compose_open = bool(value)

    @rx.event
    def set_draft(self, value: str):
        self.draft = str(value)[:5000]

    @rx.event
    def start(self, form: dict):
        """Compose new message: a new conversation with a subject."""
        self.errors = {}
        with session_scope() as session:
            ctx = self._ctx(session)
            if ctx is None:
                return self._refused()
            try:
                conversation = messaging.start_conversation(
                    session, client_id=ctx.client_id, subject=str(form.get("subject", "")),
                    body=str(form.get("body", "")), by="client",
                    base_url=get_settings().base_url)
            except ServiceError as exc:
                self.errors = {exc.field or "body": exc.message}
                return None
            self._open(session, ctx, conversation.id)
        self.compose_open = False
        live.staff_changed()
        live.client_changed(int(self.selected_record or 0),
                            exclude=self.router.session.client_token)
        return rx.toast.success("Message sent.")

    @rx.event
    def send(self, form: dict):
        """Send message inside the open conversation."""
        self.errors = {}
        with session_scope() as session:
            ctx = self._ctx(session)
            if ctx is None:
                return self._refused()
            if not self._conversation_id:
                return rx.toast.error("Choose a conversation first.")
            try:
                messaging.send_message(session, conversation_id=self._conversation_id,
                                       body=str(form.get("body", "")), by="client",
                                       client_id=ctx.client_id,
                                       base_url=get_settings().base_url)
            except ServiceError as exc:
                self.errors = {"reply": exc.message}
                return None
            self._open(session, ctx, self._conversation_id)
        self.draft = ""
        live.staff_changed()
        live.client_changed(int(self.selected_record or 0),
                            exclude=self.router.session.client_token)
        return None
