"""Console home ("Today"): what to act on first, each line linking to its page."""

import reflex as rx

from components.console_shell import console_shell
from components.i18n import t
from portal_app import routes
from state.console_home import ConsoleHomeState as S

MUTED = "var(--gray-11)"


def stat(label: str, value) -> rx.Component:
    return rx.card(rx.vstack(rx.text(label, size="2", color=MUTED),
                             rx.text(value, size="6", weight="bold"), spacing="1"))


def section(title: str, items, render, empty: str, *, more: rx.Component | None = None):
    """A card with an h2, a list of `items` (or `empty`), and an optional link below;
    a named region, so a screen reader can jump between the sections."""
    return rx.el.section(rx.card(rx.vstack(
        rx.heading(title, as_="h2", size="4"),
        rx.cond(items.length() > 0,
                rx.list.unordered(rx.foreach(items, render), list_style_type="none",
                                  margin_left="0", width="100%", spacing="2"),
                rx.text(empty, size="2", color=MUTED)),
        *([more] if more is not None else []),
        spacing="3", width="100%"), width="100%"), aria_label=title)


def status_badge(b) -> rx.Component:
    return rx.badge(b["status_label"], color_scheme=rx.match(
        b["status"], ("confirmed", "green"), ("pending", "amber"), "gray"))


def appointment_item(b) -> rx.Component:
    return rx.list.item(rx.hstack(
        rx.text(b["time"], " ", b["zone"], weight="bold", min_width="90px"),
        rx.link(b["client"], href=b["client_url"]),
        rx.text(b["service"], size="2", color=MUTED),
        status_badge(b),
        rx.cond(b["video_link"] != "",
                rx.link(t("Join video"), href=b["video_link"], is_external=True,
                        aria_label=t("Join video with ") + b["client"])),
        spacing="3", align="center", wrap="wrap"))


def request_item(b) -> rx.Component:
    return rx.list.item(rx.hstack(
        rx.vstack(
            rx.hstack(rx.link(b["client"], href=b["client_url"], weight="bold"),
                      status_badge(b), spacing="2", align="center"),
            rx.text(b["service"], " · ", b["when"], " · ", b["staff"], size="2",
                    color=MUTED),
            spacing="1"),
        rx.spacer(),
        rx.cond(b["status"] == "pending", rx.hstack(
            rx.button(t("Approve"), size="2", on_click=S.approve(b["id"]),
                      aria_label=t("Approve ") + b["client"] + ", " + b["when"]),
            rx.button(t("Decline"), size="2", variant="soft", color_scheme="red",
                      on_click=S.ask_decline(b["id"]),
                      aria_label=t("Decline ") + b["client"] + ", " + b["when"]),
            spacing="2"),
            rx.link(t("In the booking list"), href=routes.CONSOLE_BOOKINGS, size="2")),
        width="100%", align="center", wrap="wrap", spacing="3"))


def invoice_item(i) -> rx.Component:
    return rx.list.item(rx.hstack(
        rx.link(i["number"], href=i["url"], weight="bold"),
        rx.link(i["client"], href=i["client_url"]),
        rx.text(i["balance"]),
        rx.text(t("Due "), i["due"], size="2", color=MUTED),
        rx.cond(i["overdue"] == "yes", rx.badge(t("Overdue"), color_scheme="red"),
                rx.badge(t("Due this week"), color_scheme="amber")),
        spacing="3", align="center", wrap="wrap"))


def unread_item(c) -> rx.Component:
    return rx.list.item(rx.hstack(
        rx.link(c["subject"], href=c["url"], weight="bold"),
        rx.text(c["client"], size="2"),
        rx.text(c["when"], size="2", color=MUTED),
        spacing="3", align="center", wrap="wrap"))


def invite_item(c) -> rx.Component:
    return rx.list.item(rx.hstack(
        rx.link(c["name"], href=c["url"], weight="bold"),
        rx.text(t("Invited "), c["invited"], size="2", color=MUTED),
        rx.link(t("Resend invitation"), href=c["url"], size="2",
                aria_label=t("Resend invitation to ") + c["name"]),
        spacing="3", align="center", wrap="wrap"))


def form_item(f) -> rx.Component:
    return rx.list.item(rx.hstack(
        rx.link(f["client"], href=f["url"], weight="bold"), rx.text(f["title"]),
        rx.text(t("Sent "), f["sent"], size="2", color=MUTED),
        spacing="3", align="center", wrap="wrap"))


def activity_item(a) -> rx.Component:
    return rx.list.item(rx.vstack(
        rx.cond(a["url"] != "", rx.link(a["text"], href=a["url"]), rx.text(a["text"])),
        rx.text(a["when"], size="1", color=MUTED), spacing="0"))


def decline_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Decline the request")),
            rx.dialog.description(S.decline_label),
            rx.form(rx.vstack(
                rx.el.input(type="hidden", name="booking_id", value=S.decline_id),
                rx.text(t("Message to the client (optional)"), as_="label",
                        html_for="decline-message", size="2"),
                rx.text_area(id="decline-message", name="message", width="100%"),
                rx.hstack(rx.dialog.close(rx.button(t("Keep it"), variant="soft", type="button")),
                          rx.button(t("Decline request"), type="submit", color_scheme="red"),
                          justify="end", width="100%"),
                spacing="3"), on_submit=S.decline, reset_on_submit=True),
        ),
        open=S.decline_open,
        on_open_change=S.set_decline_open,
    )


def console_home_page() -> rx.Component:
    return console_shell(
        t("Today"),
        rx.cond(S.today != "",
                rx.text(t("Welcome, "), S.staff_name, ". ", S.today, t(", times in "), S.zone, ".")),
        rx.grid(
            section(t("Today's appointments"), S.appointments, appointment_item,
                    t("No appointments today."),
                    more=rx.link(t("Open the booking list"), href=routes.CONSOLE_BOOKINGS, size="2")),
            section(t("Requests waiting for approval"), S.requests, request_item,
                    t("No requests are waiting.")),
            section(t("Invoices overdue or due this week"), S.invoices, invoice_item,
                    t("Nothing overdue or due this week."),
                    more=rx.link(t("Open the invoice list"), href=routes.CONSOLE_INVOICES, size="2")),
            section(t("Unread conversations"), S.unread, unread_item, t("No unread messages."),
                    more=rx.link(t("Open the inbox"), href=routes.CONSOLE_MESSAGES, size="2")),
            section(t("Invited, not signed in for 7 days or more"), S.stale_invites, invite_item,
                    t("Everyone invited a week ago has signed in.")),
            rx.cond(S.forms.length() > 0,
                    section(t("Forms outstanding"), S.forms, form_item, "")),
            section(t("Recent activity"), S.activity, activity_item, t("Nothing yet.")),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        rx.heading(t("At a glance"), as_="h2", size="4"),
        rx.grid(
            stat(t("Clients"), S.clients),
            stat(t("Active in the portal"), S.active),
            stat(t("Invited, not signed in yet"), S.invited),
            stat(t("Messages waiting to send"), S.outbox_pending),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        decline_dialog(),
    )
