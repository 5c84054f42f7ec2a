"""The dev mailbox: every queued email and SMS, shown only outside production."""

import reflex as rx

from portal_app.db import session_scope
from portal_app.services.outbox import list_recent_messages
from portal_app.settings import get_settings


class MailboxState(rx.State):
    messages: list[dict[str, str]] = []
    available: bool = False

    @rx.event
    def load(self):
        """Dev tool, public by design in dev; refuses in production."""
        if get_settings().is_production:
            self.available = False
            self.messages = []
            return
        self.available = True
        with session_scope() as session:
            rows = list_recent_messages(session, limit=50)
            self.messages = [
                {
                    "id": str(m.id),
                    "channel": m.channel,
                    "to": m.to,
                    "subject": m.subject or "(text message)",
                    "body": m.body_text,
                    "status": m.status,
                    "created": m.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                }
                for m in rows
            ]
