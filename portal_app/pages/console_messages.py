"""/console/messages: the staff inbox (filter tabs, search, paging), the open
conversation with "Send reply" (optional files) and "Assign to", and "New
message". Message text is shown as plain text, never HTML or markdown; files
under a message download through the staff route."""

import reflex as rx

from components.console_bits import pager
from components.console_shell import console_shell
from components.dialogs import focus_return
from components.field_value import field_values
from components.file_upload import attach_picker
from components.forms import error_callout
from components.i18n import t
from components.message_bubble import message_bubble
from portal_app import routes
from state.console_messages import FILTERS, REPLY_UPLOAD_ID
from state.console_messages import InboxState as M

LABEL_STYLE = {"font_weight": "500", "font_size": "0.9em"}
SELECT_STYLE = {"width": "100%", "padding": "0.5em"}


def field_error(message) -> rx.Component:
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="2", role="alert"))


# --- the list -------------------------------------------------------------------------------


def unread_badge(count) -> rx.Component:
    return rx.cond(count != "", rx.badge(count, color_scheme="red", variant="solid",
                                         radius="full", aria_label=count + t(" unread")))


def conversation_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.hstack(
            rx.link(row["subject"], href=row["url"],
                    weight=rx.cond(row["unread"] != "", "bold", "regular")),
            unread_badge(row["unread"]),
            spacing="2", align="center")),
        rx.table.cell(rx.link(row["client"], href=row["client_url"])),
        rx.table.cell(rx.text(row["when"], size="2")),
        rx.table.cell(rx.cond(row["assignee"] != "", row["assignee"],
                              rx.text(t("Unassigned"), color="var(--gray-11)", size="2"))),
        background=rx.cond(row["active"] == "yes", "var(--accent-2)", "transparent"),
        key=row["id"],
    )


def list_toolbar() -> rx.Component:
    return rx.hstack(
        rx.form(
            rx.hstack(
                rx.input(name="search", default_value=M.search,
                         placeholder=t("Subject, client or message text"),
                         aria_label=t("Search messages"), width="280px"),
                rx.button(t("Search"), type="submit", variant="soft"),
                spacing="2",
            ),
            on_submit=M.apply_search,
        ),
        rx.spacer(),
        rx.button(rx.icon("plus"), t("New message"), on_click=M.open_compose),
        width="100%", wrap="wrap", spacing="2", align="center",
    )


def inbox_list() -> rx.Component:
    # The list is the open filter tab's panel, so each tab controls an element that exists.
    return rx.tabs.root(
        rx.tabs.list(*[rx.tabs.trigger(t(label), value=value) for value, label in FILTERS]),
        rx.tabs.content(inbox_panel(), value=M.view, padding_top="0.75em"),
        value=M.view, on_change=M.show, width="100%",
    )


def inbox_panel() -> rx.Component:
    return rx.vstack(
        list_toolbar(),
        rx.cond(M.client_id != "", rx.callout(
            rx.hstack(rx.text(t("Showing the conversations of "), rx.text.strong(M.client_name),
                              "."),
                      rx.link(t("Show all clients"), href=routes.CONSOLE_MESSAGES),
                      spacing="3", wrap="wrap"),
            icon="filter", role="status", width="100%")),
        rx.text(M.total, t(" conversations"), size="2", color="var(--gray-11)"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                t("Subject"), t("Client"), t("Last activity"), t("Assigned to"))])),
            rx.table.body(rx.foreach(M.rows, conversation_row)),
            width="100%",
        ),
        rx.cond(M.rows.length() == 0, rx.text(t("No conversations here."), color="var(--gray-11)")),
        pager(M),
        spacing="3", width="100%",
    )


# --- the open conversation ----------------------------------------------------------------


def assign_select() -> rx.Component:
    return rx.hstack(
        rx.el.label(t("Assign to"), html_for="assign-to", style=LABEL_STYLE),
        rx.el.select(
            rx.el.option(t("Unassigned"), value=""),
            rx.foreach(M.staff_options, lambda o: rx.el.option(o["name"], value=o["id"])),
            id="assign-to", value=M.current["assignee_id"], on_change=M.assign,
            style={"padding": "0.4em"},
        ),
        spacing="2", align="center",
    )


def reply_form() -> rx.Component:
    return rx.cond(
        M.current["closed"] == "yes",
        rx.callout(t("This conversation is closed."), icon="lock", role="status"),
        # An upload handler takes the files, not a form: the text reaches the
        # state when the box loses focus, which clicking "Send reply" does first.
        rx.vstack(
            rx.el.label(t("Your reply"), html_for="reply-body", style=LABEL_STYLE),
            rx.text_area(id="reply-body", name="body", rows="4", width="100%",
                         max_length=5000, on_blur=M.set_reply_body),
            attach_picker(REPLY_UPLOAD_ID),
            error_callout(M.reply_error),
            rx.button(rx.icon("send", size=16), t("Send reply"), type="button",
                      on_click=M.send_reply(rx.upload_files(upload_id=REPLY_UPLOAD_ID),
                                            field_values(body="reply-body"))),
            width="100%", spacing="2", align="end",
            key=M.current["id"] + "-" + M.reply_key.to_string(),
        ),
    )


def thread_view() -> rx.Component:
    c = M.current
    return rx.card(rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.heading(c["subject"], size="5", as_="h2"),
                rx.text(t("With "), rx.link(c["client"], href=c["client_url"]), size="2"),
                spacing="1",
            ),
            rx.spacer(),
            assign_select(),
            width="100%", align="start", wrap="wrap", spacing="3",
        ),
        rx.cond(M.has_older, rx.button(t("Show earlier messages"), variant="ghost", size="1",
                                       on_click=M.load_older)),
        # (A lambda: foreach would take a second parameter for the index.)
        rx.vstack(rx.foreach(M.thread, lambda m: message_bubble(m)),
                  rx.foreach(M.thread_tail, lambda m: message_bubble(m)),
                  width="100%", spacing="2",
                  role="log", aria_live="polite", aria_label=t("Messages")),
        reply_form(),
        rx.link(t("Close conversation view"),
                href=rx.cond(M.client_id != "",
                             routes.CONSOLE_MESSAGES + "?client=" + M.client_id,
                             routes.CONSOLE_MESSAGES),
                size="2"),
        spacing="3", width="100%",
    ), width="100%")


# --- "New message" ------------------------------------------------------------------------


def compose_dialog() -> rx.Component:
    errors = M.compose_errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("New message")),
            rx.dialog.description(t("Start a conversation with a client. They are told in the "
                                  "portal (and by email, if they want message emails).")),
            rx.vstack(
                rx.el.label(t("Client"), html_for="compose-client", style=LABEL_STYLE),
                rx.el.select(
                    rx.el.option(t("Choose a client…"), value=""),
                    rx.foreach(M.client_options,
                               lambda o: rx.el.option(o["name"], value=o["id"])),
                    id="compose-client", value=M.compose_client,
                    on_change=M.set_compose_client, style=SELECT_STYLE,
                ),
                field_error(errors["client_id"]),
                # Its own form: forms cannot nest, and searching must not send.
                rx.form(
                    rx.hstack(
                        rx.input(name="client_search", placeholder=t("Name or email"),
                                 aria_label=t("Find a client"), size="1", width="200px"),
                        rx.button(t("Find client"), type="submit", size="1", variant="soft"),
                        spacing="2", align="center",
                    ),
                    on_submit=M.find_clients,
                ),
                rx.form(
                    rx.vstack(
                        rx.el.label(t("Subject"), html_for="compose-subject", style=LABEL_STYLE),
                        rx.input(id="compose-subject", name="subject", width="100%",
                                 required=True, max_length=200),
                        field_error(errors["subject"]),
                        rx.el.label(t("Message"), html_for="compose-body", style=LABEL_STYLE),
                        rx.text_area(id="compose-body", name="body", rows="6", width="100%",
                                     required=True, max_length=5000),
                        field_error(errors["body"]),
                        rx.hstack(rx.dialog.close(rx.button(t("Cancel"), variant="soft",
                                                            type="button")),
                                  rx.button(t("Send"), type="submit"),
                                  justify="end", spacing="2", width="100%"),
                        spacing="2", width="100%",
                    ),
                    on_submit=M.start, width="100%",
                ),
                spacing="2", width="100%", margin_top="1em",
            ),
            **focus_return(),
        ),
        open=M.compose_open,
        on_open_change=M.set_compose_open,
    )


def console_messages_page() -> rx.Component:
    return console_shell(
        t("Messages"),
        rx.cond(M.current.contains("id"), thread_view()),
        inbox_list(),
        compose_dialog(),
    )
