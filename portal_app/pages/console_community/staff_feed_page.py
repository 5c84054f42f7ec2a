"""Console → Community → a group's channel (/console/community/feed?id=&channel=):
the channel links, the composer (title, Markdown text), the posts (hidden ones
marked) with pin / remove / restore / edit / delete, and each post's comments with
"Mark best answer" in a questions channel."""

import reflex as rx

from components.console_shell import console_shell
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app import routes
from portal_app.pages.console_forms.common import field_error
from portal_app.pages.console_referrals.fields import INPUT_STYLE, MUTED, labelled
from state.console_community.staff_group import StaffFeedState as S

CARD = {"border": "1px solid var(--gray-5)", "border_radius": "8px", "padding": "0.9em",
        "width": "100%"}


def channel_links() -> rx.Component:
    return rx.hstack(
        rx.foreach(S.channels, lambda c: rx.link(
            c["name"], href=c["href"], weight=rx.cond(c["current"] == "yes", "bold", "regular"),
            aria_current=rx.cond(c["current"] == "yes", "page", "false"))),
        spacing="4", wrap="wrap", role="navigation", aria_label=t("Channels"))


def composer() -> rx.Component:
    return rx.form(rx.vstack(
        rx.heading(t("Post as the business"), size="3", as_="h3"),
        labelled(t("Title"), "staff-post-title", rx.el.input(
            id="staff-post-title", name="title", max_length=200, style=INPUT_STYLE),
            S.errors["title"]),
        labelled(t("Text (Markdown)"), "staff-post-body", rx.el.textarea(
            id="staff-post-body", name="body", rows="5", max_length=20000, style=INPUT_STYLE),
            S.errors["body"]),
        rx.button(t("Post"), type="submit"),
        spacing="2", width="100%", align="start"),
        on_submit=S.create_post, reset_on_submit=False, key=S.composer_key, style=CARD)


def comment_row(c) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(rx.text(c["author"], size="2", weight="medium"),
                      rx.text(c["when"], size="1", color=MUTED),
                      rx.cond(c["hidden"] == "yes", rx.badge(t("Hidden"), color_scheme="amber")),
                      rx.cond(c["best"] == "yes", rx.badge(t("Best answer"),
                                                           color_scheme="green")),
                      spacing="2", align="center", wrap="wrap"),
            rx.text(c["body"], white_space="pre-wrap", size="2"),
            spacing="1", width="100%"),
        rx.hstack(
            rx.cond(S.channel_kind == "questions", rx.cond(
                c["best"] == "yes",
                rx.button(t("Unmark best answer"), size="1", variant="soft",
                          on_click=S.unmark_best(c["post_id"])),
                rx.cond(c["hidden"] == "", rx.button(
                    t("Mark best answer"), size="1", variant="soft",
                    on_click=S.mark_best(c["id"]),
                    aria_label=t("Mark best answer: comment ") + c["id"])))),
            rx.cond(c["hidden"] == "yes", rx.button(
                t("Restore"), size="1", variant="soft", on_click=S.restore_comment(c["id"]),
                aria_label=t("Restore comment ") + c["id"])),
            rx.cond(c["mine"] == "yes",
                    rx.button(t("Delete"), size="1", variant="soft", color_scheme="red",
                              on_click=S.delete_comment(c["id"]),
                              aria_label=t("Delete comment ") + c["id"]),
                    rx.button(t("Remove"), size="1", variant="soft", color_scheme="red",
                              on_click=S.remove_comment(c["id"]),
                              aria_label=t("Remove comment ") + c["id"])),
            spacing="2", wrap="wrap"),
        justify="between", align="start", width="100%", padding_left="1em",
        border_left="2px solid var(--gray-5)", key=c["id"])


def comment_form(p) -> rx.Component:
    field_id = "staff-comment-" + p["id"]
    return rx.form(rx.hstack(
        rx.el.input(type="hidden", name="post_id", value=p["id"]),
        rx.el.input(id=field_id, name="comment", max_length=5000, style=INPUT_STYLE,
                    placeholder=t("Write a comment"), aria_label=t("Write a comment")),
        rx.button(t("Comment"), type="submit", size="2", variant="soft"),
        spacing="2", width="100%", align="center"),
        on_submit=S.add_comment, reset_on_submit=True, width="100%")


def post_card(p) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(p["pinned"] == "yes", rx.badge(t("Pinned"), color_scheme="blue")),
            rx.cond(p["hidden"] == "yes", rx.badge(t("Hidden"), color_scheme="amber")),
            rx.text(p["author"], size="2", weight="medium"),
            rx.text(p["when"], size="2", color=MUTED),
            rx.cond(p["edited"] != "", rx.text(t("edited"), size="1", color=MUTED)),
            spacing="2", align="center", wrap="wrap"),
        rx.heading(p["title"], size="3", as_="h3"),
        rx.box(rx.html(p["body_html"]), class_name="community-text", width="100%"),
        rx.hstack(
            rx.cond(p["hidden"] == "yes",
                    rx.button(t("Restore"), size="1", on_click=S.restore_post(p["id"]),
                              aria_label=t("Restore post ") + p["id"]),
                    rx.cond(p["pinned"] == "yes",
                            rx.button(t("Unpin"), size="1", variant="soft",
                                      on_click=S.unpin(p["id"]),
                                      aria_label=t("Unpin post ") + p["id"]),
                            rx.button(t("Pin"), size="1", variant="soft",
                                      on_click=S.pin(p["id"]),
                                      aria_label=t("Pin post ") + p["id"]))),
            rx.cond(p["mine"] == "yes", rx.fragment(
                rx.button(t("Edit"), size="1", variant="soft", on_click=S.open_edit(p["id"]),
                          aria_label=t("Edit post ") + p["id"]),
                rx.button(t("Delete"), size="1", variant="soft", color_scheme="red",
                          on_click=S.delete_post(p["id"]),
                          aria_label=t("Delete post ") + p["id"])),
                rx.button(t("Remove"), size="1", variant="soft", color_scheme="red",
                          on_click=S.remove_post(p["id"]),
                          aria_label=t("Remove post ") + p["id"])),
            spacing="2", wrap="wrap"),
        rx.text(p["comment_count"], t(" comments"), " · ", p["reaction_count"],
                t(" reactions"), size="1", color=MUTED),
        rx.foreach(S.comments, lambda c: rx.cond(c["post_id"] == p["id"], comment_row(c))),
        rx.cond(p["hidden"] == "", comment_form(p)),
        spacing="2", style=CARD, key=p["id"], role="article")


def edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("Edit post")),
            rx.dialog.description(t("Members see the post marked as edited."), size="2"),
            rx.form(rx.vstack(
                labelled(t("Title"), "edit-post-title", rx.el.input(
                    id="edit-post-title", name="title", default_value=S.edit_title,
                    max_length=200, style=INPUT_STYLE)),
                labelled(t("Text (Markdown)"), "edit-post-body", rx.el.textarea(
                    id="edit-post-body", name="body", default_value=S.edit_body, rows="8",
                    max_length=20000, style=INPUT_STYLE)),
                field_error(S.edit_error),
                dialog_buttons(t("Save")),
                spacing="2", width="100%", margin_top="1em"),
                on_submit=S.save_edit, reset_on_submit=False, key=S.edit_key),
            **focus_return()),
        open=S.edit_open, on_open_change=S.set_edit_open)


def feed() -> rx.Component:
    return rx.vstack(
        channel_links(),
        rx.heading(S.channel_name, size="5", as_="h2"),
        rx.cond(S.channel_id != "", composer(),
                rx.text(t("This group has no channel yet."), color=MUTED)),
        rx.foreach(S.posts, post_card),
        rx.cond((S.posts.length() == 0) & (S.channel_id != ""),
                rx.text(t("No posts in this channel yet."), color=MUTED)),
        rx.cond(S.has_more, rx.button(t("Show more"), variant="soft", on_click=S.show_more)),
        edit_dialog(),
        spacing="4", width="100%")


def console_community_feed_page() -> rx.Component:
    return console_shell(
        t("Community"),
        rx.hstack(rx.link(t("Groups"), href=routes.CONSOLE_COMMUNITY),
                  rx.text("›", aria_hidden="true"), rx.text(S.group_name),
                  rx.link(t("Moderation"), href=routes.CONSOLE_COMMUNITY_QUEUE),
                  spacing="2", role="navigation", aria_label=t("Community"), wrap="wrap"),
        rx.cond(S.found, feed(), rx.text(t("That group does not exist."), color=MUTED)),
    )
