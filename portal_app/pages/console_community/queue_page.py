"""Console → Community → Moderation (/console/community/moderation): the tabs
"Waiting for approval" and "Reported", each item with its text, its context and its
buttons, ticks for approving several at once, and the reject dialog."""

import reflex as rx

from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app import routes
from portal_app.pages.console_forms.common import field_error
from portal_app.pages.console_referrals.fields import INPUT_STYLE, MUTED, pager
from state.console_community.queue import CommunityQueueState as S

BOX = {"width": "18px", "height": "18px"}
CARD = {"border": "1px solid var(--gray-5)", "border_radius": "8px", "padding": "0.9em",
        "width": "100%"}


def context_line(r) -> rx.Component:
    """Group › channel (a link to the staff view), author, time with its zone."""
    return rx.hstack(
        rx.badge(r["kind_label"], variant="soft"),
        rx.link(r["context"], href=r["link"]),
        rx.text(r["author"], size="2", weight="medium"),
        rx.text(r["when"], size="2", color=MUTED),
        spacing="2", align="center", wrap="wrap")


def item_text(r) -> rx.Component:
    """A post's Markdown as safe HTML (rendered on the server), a comment as text."""
    return rx.cond(
        r["kind"] == "post",
        rx.vstack(rx.heading(r["title"], size="3", as_="h3"),
                  rx.box(rx.html(r["body_html"]), class_name="community-text", width="100%"),
                  spacing="1", width="100%"),
        rx.vstack(rx.text(t("On: "), rx.text.em(r["on_post"]), size="2", color=MUTED),
                  rx.text(r["body_text"], white_space="pre-wrap"),
                  spacing="1", width="100%"))


def held_item(r) -> rx.Component:
    return rx.hstack(
        rx.el.input(type="checkbox", aria_label=t("Select: ") + r["name"],
                    checked=S.selected.contains(r["target"]),
                    on_change=lambda checked: S.toggle_row(r["target"], checked), style=BOX),
        rx.vstack(
            context_line(r),
            rx.cond(r["reason"] != "", rx.text(t("Held: "), r["reason"], size="2",
                                               color="var(--amber-11)")),
            item_text(r),
            rx.hstack(
                rx.button(t("Approve"), size="1", on_click=S.approve(r["target"]),
                          aria_label=t("Approve: ") + r["name"]),
                rx.button(t("Reject"), size="1", variant="soft", color_scheme="red",
                          on_click=S.open_reject(r["target"]),
                          aria_label=t("Reject: ") + r["name"]),
                spacing="2"),
            spacing="2", width="100%"),
        align="start", spacing="3", style=CARD, key=r["target"], role="listitem")


def reported_item(r) -> rx.Component:
    return rx.vstack(
        context_line(r),
        rx.hstack(
            rx.badge(r["status_label"], variant="soft", color_scheme=rx.cond(
                r["status"] == "hidden", "amber", "gray")),
            rx.text(t("Reports: "), r["count"], size="2", weight="medium"),
            rx.text(r["reasons"], size="2", color=MUTED),
            spacing="2", align="center", wrap="wrap"),
        item_text(r),
        rx.hstack(
            rx.cond(r["status"] == "hidden",
                    rx.button(t("Restore"), size="1", on_click=S.restore(r["target"]),
                              aria_label=t("Restore: ") + r["name"]),
                    rx.button(t("Hide"), size="1", variant="soft",
                              on_click=S.hide(r["target"]),
                              aria_label=t("Hide: ") + r["name"])),
            rx.button(t("Remove"), size="1", variant="soft", color_scheme="red",
                      on_click=S.remove(r["target"]), aria_label=t("Remove: ") + r["name"]),
            rx.button(t("Dismiss reports"), size="1", variant="outline",
                      on_click=S.dismiss(r["target"]),
                      aria_label=t("Dismiss reports on: ") + r["name"]),
            spacing="2", wrap="wrap"),
        spacing="2", style=CARD, key=r["target"], role="listitem")


def bulk_bar() -> rx.Component:
    return rx.hstack(
        rx.el.label(rx.el.input(type="checkbox", on_change=S.toggle_page, style=BOX),
                    t("Select all on this page"),
                    style={"display": "inline-flex", "gap": "0.4em", "align_items": "center"}),
        rx.text(S.selected.length().to_string() + t(" selected"), size="2"),
        rx.button(t("Approve selected"), size="2", on_click=S.approve_selected,
                  disabled=S.selected.length() == 0),
        rx.button(t("Reject selected"), size="2", variant="soft", color_scheme="red",
                  on_click=S.open_reject_selected, disabled=S.selected.length() == 0),
        spacing="3", align="center", wrap="wrap")


def skipped_note() -> rx.Component:
    return rx.cond(S.skipped.length() > 0, rx.callout.root(
        rx.callout.text(t("Left as they were:")),
        rx.el.ul(rx.foreach(S.skipped, lambda s: rx.el.li(s))),
        color_scheme="amber", role="status", width="100%"))


def held_panel() -> rx.Component:
    return rx.vstack(
        rx.text(t("Held posts and comments are seen only by their authors and staff, and "
                  "notify nobody until approved."), size="2", color=MUTED),
        rx.cond(S.held.length() > 0, rx.vstack(
            bulk_bar(), skipped_note(),
            rx.vstack(rx.foreach(S.held, held_item), role="list", spacing="3",
                      width="100%"),
            rx.hstack(rx.text(S.held_total.to_string() + t(" waiting"), size="2",
                              color=MUTED),
                      rx.spacer(), pager(S.held_page, S.held_pages, S.go_to_held_page),
                      width="100%"),
            spacing="3", width="100%"),
            rx.text(t("Nothing is waiting for approval."), color=MUTED)),
        spacing="3", width="100%", padding_top="0.75em")


def reported_panel() -> rx.Component:
    return rx.vstack(
        rx.cond(S.reported.length() > 0, rx.vstack(
            rx.vstack(rx.foreach(S.reported, reported_item), role="list", spacing="3",
                      width="100%"),
            rx.hstack(rx.text(S.reported_total.to_string() + t(" reported"), size="2",
                              color=MUTED),
                      rx.spacer(),
                      pager(S.reported_page, S.reported_pages, S.go_to_reported_page),
                      width="100%"),
            spacing="3", width="100%"),
            rx.text(t("Nothing is reported."), color=MUTED)),
        spacing="3", width="100%", padding_top="0.75em")


def reject_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Reject")),
            rx.dialog.description(t("The text stays unpublished. The reason is kept for "
                                    "the record."), size="2"),
            rx.form(rx.vstack(
                rx.el.label(t("Reason"), html_for="reject-reason",
                            style={"font_weight": "500", "font_size": "0.9em"}),
                rx.el.textarea(id="reject-reason", name="reason", rows="3", max_length=200,
                               required=True, style=INPUT_STYLE),
                field_error(S.reject_error),
                dialog_buttons(t("Reject"), color_scheme="red"),
                spacing="2", width="100%", margin_top="1em"),
                on_submit=S.reject, reset_on_submit=True),
            **focus_return()),
        open=S.reject_open, on_open_change=S.set_reject_open)


def console_community_queue_page() -> rx.Component:
    return console_shell(
        t("Community"),
        rx.hstack(rx.link(t("Groups"), href=routes.CONSOLE_COMMUNITY),
                  rx.text("›", aria_hidden="true"), rx.text(t("Moderation")),
                  spacing="2", role="navigation", aria_label=t("Community")),
        rx.heading(t("Moderation"), size="5", as_="h2"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t("Waiting for approval"), " (", S.held_total.to_string(),
                                ")", value="held"),
                rx.tabs.trigger(t("Reported"), " (", S.reported_total.to_string(), ")",
                                value="reported")),
            # One panel, the open tab's, so each tab controls an element that exists.
            rx.tabs.content(rx.cond(S.tab == "reported", reported_panel(), held_panel()),
                            value=S.tab),
            value=S.tab, on_change=S.set_tab, width="100%"),
        reject_dialog(),
    )
