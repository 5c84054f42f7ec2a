"""/messages (seed 001/003 "Secure Messaging"): conversations on the left,
the open thread with "send message" on the right; "compose new message"
starts a conversation with a subject. Text is shown as plain text. A
message may carry files (with the upload permission), listed under it as
downloads through our authenticated route."""

import reflex as rx

from components.client_shell import client_shell, empty_state
from components.dialogs import focus_return
from components.field_value import field_value, field_values
from components.file_upload import attach_picker
from components.forms import error_callout
from components.i18n import t
from components.message_bubble import message_bubble
from state.messages import COMPOSE_UPLOAD_ID, REPLY_UPLOAD_ID
from state.messages import MessagesState as S

# A text cut to one line with "…" (Reflex's Text has no `truncate` prop).
ONE_LINE = {"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis"}


def unread_dot(c) -> rx.Component:
    """A dot for a conversation with unread messages, named "unread" for screen
    readers (it is part of the button's name); an empty slot of the same width
    otherwise, so every title starts at the same place."""
    return rx.box(
        rx.cond(c["unread"] != "",
                rx.box(width="8px", height="8px", border_radius="50%",
                       background="var(--accent-9)", role="img", aria_label=t("unread"))),
        width="8px", flex_shrink="0", padding_top="0.4em",
    )


def conversation_item(c) -> rx.Component:
    """One conversation: the subject (bold while unread), a one-line preview of
    the last message and its date, all aligned to the left."""
    unread = c["unread"] != ""
    return rx.button(
        rx.hstack(
            unread_dot(c),
            rx.vstack(
                rx.text(c["subject"], size="2", weight=rx.cond(unread, "bold", "medium"),
                        **ONE_LINE, width="100%"),
                rx.cond(c["preview"] != "",
                        rx.text(c["preview"], size="2", color="var(--gray-11)",
                                weight=rx.cond(unread, "medium", "regular"),
                                **ONE_LINE, width="100%")),
                rx.text(c["when"], size="1", color="var(--gray-11)"),
                spacing="1", align="start", flex="1", min_width="0",
            ),
            align="start", spacing="2", width="100%",
        ),
        variant=rx.cond(c["active"] == "yes", "soft", "ghost"), width="100%",
        justify="start", height="auto", padding="0.6em", text_align="left",
        white_space="normal", margin="0",
        aria_current=rx.cond(c["active"] == "yes", "true", "false"),
        on_click=S.open_conversation(c["id"]),
    )


def send_button(label, upload_id: str, as_text, as_upload) -> rx.Component:
    """One "send" button: with files picked it posts them through the upload route
    (`as_upload`); otherwise the text goes as a plain websocket event (`as_text`)."""
    return rx.cond(
        rx.selected_files(upload_id).length() > 0,
        rx.button(label, type="button", on_click=as_upload),
        rx.button(label, type="button", on_click=as_text),
    )


def thread_view() -> rx.Component:
    return rx.vstack(
        rx.heading(S.current["subject"], size="4", as_="h2"),
        rx.cond(S.has_older, rx.button(t("Show earlier messages"), variant="ghost", size="1",
                                       on_click=S.load_older)),
        rx.vstack(rx.foreach(S.thread, lambda m: message_bubble(
                      m, show_files=S.access["documents"])),
                  rx.foreach(S.thread_tail, lambda m: message_bubble(
                      m, show_files=S.access["documents"])), width="100%", spacing="2",
                  role="log", aria_live="polite"),
        # The browser keeps the text (no event per keystroke); the send reads it from
        # the box. A new key after a message is sent (or another conversation) empties it.
        rx.vstack(
            rx.el.label(t("Your message"), html_for="reply-body"),
            rx.text_area(id="reply-body", name="body", rows="3", width="100%",
                         key=S.current["id"] + "-" + S.reply_key.to_string()),
            rx.cond(S.access["upload"], attach_picker(REPLY_UPLOAD_ID)),
            error_callout(S.errors.get("reply", "")),
            send_button(t("Send message"), REPLY_UPLOAD_ID,
                        S.send_text(field_value("reply-body")),
                        S.send(rx.upload_files(upload_id=REPLY_UPLOAD_ID),
                               field_values(body="reply-body"))),
            width="100%", spacing="2", align="end",
        ),
        width="100%", spacing="3",
    )


def compose_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("New message")),
            rx.dialog.description(t("Write to us securely. We'll reply here.")),
            # The browser keeps the text; "Send" reads it from the boxes.
            rx.vstack(
                rx.el.label(t("Subject"), html_for="compose-subject"),
                rx.input(id="compose-subject", name="subject", width="100%", max_length=200,
                         key="subject-" + S.compose_key.to_string()),
                error_callout(S.errors.get("subject", "")),
                rx.el.label(t("Message"), html_for="compose-body"),
                rx.text_area(id="compose-body", name="body", rows="5", width="100%",
                             key="body-" + S.compose_key.to_string()),
                error_callout(S.errors.get("body", "")),
                rx.cond(S.access["upload"], attach_picker(COMPOSE_UPLOAD_ID)),
                error_callout(S.errors.get("files", "")),
                rx.hstack(rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                          send_button(t("Send"), COMPOSE_UPLOAD_ID,
                                      S.start_text(field_value("compose-subject"),
                                                   field_value("compose-body")),
                                      S.start(rx.upload_files(upload_id=COMPOSE_UPLOAD_ID),
                                              field_values(subject="compose-subject",
                                                           body="compose-body"))),
                          justify="end", spacing="2", width="100%"),
                spacing="2", width="100%",
            ),
            **focus_return(),
        ),
        open=S.compose_open,
        on_open_change=S.set_compose_open,
    )


def messages_page() -> rx.Component:
    return client_shell(
        S,
        t("Messages"),
        rx.hstack(rx.spacer(),
                  rx.button(rx.icon("plus"), t("Compose new message"), on_click=S.open_compose),
                  width="100%"),
        rx.cond(
            S.conversations.length() > 0,
            rx.flex(
                rx.vstack(rx.foreach(S.conversations, conversation_item), spacing="1",
                          width=["100%", "100%", "260px"], flex_shrink="0",
                          ),
                rx.cond(S.current.contains("id"), thread_view(),
                        rx.text(t("Choose a conversation."), color="var(--gray-11)")),
                direction=rx.breakpoints(initial="column", md="row"),
                spacing="4", width="100%", align="start",
            ),
            empty_state("mail", t("You have no conversations yet.")),
        ),
        compose_dialog(),
        # On a phone the floating "+" would sit over "Send message" as the thread
        # scrolls by: it steps aside while a conversation is open.
        quick_actions=~S.current.contains("id"),
    )
