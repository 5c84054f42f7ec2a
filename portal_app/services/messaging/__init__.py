"""Secure messaging between a client record and the business.

A conversation belongs to one client record; a client may read and write only
its own (`get_conversation_for`, NotFound otherwise). Staff see every
conversation in the inbox and may assign it to a colleague.

Unread counters are changed with one atomic UPDATE per message, so two
writers never lose an increment. That UPDATE also takes the conversation
row's write lock, which serialises the "is an email already waiting?" check
per conversation, and it is the reply's check that the conversation is open
(and the client's own): a reply does not read the conversation first. A
client's handler passes its session check (`writer=`), whose record and access
stand for reading the client row again.

Email never carries message text (it is secure messaging): a new-message email
only says there are new messages and links to the portal. A burst of
messages sends one email: the first queues it `EMAIL_BATCH_DELAY` ahead, and
later ones see it still waiting and add nothing.

Audit rows record who started and who assigned a conversation, never the text.

A message may carry files (`files=`): they follow the document rules (size,
count, type by content, private storage; `documents.check_files` runs before
anything is written, so a refused file leaves no message, no row and no
file) and become the client's documents, linked by `conversation_message_id`
and listed per message by `attachments_for`. A client needs the upload
permission to attach; staff need the documents feature on (the client
downloads through it). The message's own notification covers them.

One module per concern, re-exported here so callers write `messaging.<name>`:
- `rules`: subject and body cleaned, the sender's side, the client's permission;
- `conversations`: a conversation (with the ownership check), the client's
  list (with a preview of each last message, in one statement), a thread
  page, marking read;
- `sending`: a new conversation, a reply, and what every message does;
- `notices`: the client's bell line and the batched new-message emails;
- `attachments`: files on a message, checked first and listed per message;
- `inbox`: the staff inbox, unread counts, assignment.
A test that replaces a name with monkeypatch must patch the module that
uses it (e.g. `portal_app.services.messaging.notices.EMAIL_BATCH_DELAY`):
the names here are copies.
"""

from portal_app.services.messaging.attachments import Checked, attachments_for
from portal_app.services.messaging.conversations import (
    PREVIEW_CHARS,
    THREAD_MAX,
    ConversationRow,
    client_conversation_list,
    client_conversations,
    get_conversation,
    get_conversation_for,
    mark_read,
    preview_text,
    thread,
)
from portal_app.services.messaging.inbox import (
    InboxRow,
    assign,
    staff_inbox,
    unread_for_client,
    unread_for_staff,
)
from portal_app.services.messaging.notices import (
    CONSOLE_MESSAGES,
    EMAIL_BATCH_DELAY,
    EMAIL_KEY_PREFIX,
)
from portal_app.services.messaging.rules import (
    BODY_MAX,
    NO_CLIENT,
    NO_CONVERSATION,
    SIDES,
    SUBJECT_MAX,
    clean_body,
    clean_subject,
)
from portal_app.services.messaging.sending import send_message, start_conversation

__all__ = [
    "BODY_MAX", "CONSOLE_MESSAGES", "EMAIL_BATCH_DELAY", "EMAIL_KEY_PREFIX", "NO_CLIENT",
    "NO_CONVERSATION", "PREVIEW_CHARS", "SIDES", "SUBJECT_MAX", "THREAD_MAX", "Checked",
    "ConversationRow", "InboxRow", "assign", "attachments_for", "client_conversation_list",
    "client_conversations", "clean_body", "clean_subject",
    "get_conversation", "get_conversation_for", "mark_read", "preview_text", "send_message", "staff_inbox",
    "start_conversation", "thread", "unread_for_client", "unread_for_staff",
]
