"""/community/group?id=&channel=: the group's name and description, channel tabs,
links to the members and the notification settings, the composer (not in
announcements), and the feed with "Load more"."""

import reflex as rx

from components.client_shell import client_shell
from components.community_post import (
    MUTED,
    author_line,
    post_files,
    post_html,
    reaction_buttons,
    report_dialog,
)
from components.field_value import field_values
from components.file_upload import ACCEPT, named_dropzone
from components.forms import error_callout
from components.i18n import t
from state.community.group_page import UPLOAD_ID
from state.community.group_page import GroupPageState as S


def header() -> rx.Component:
    return rx.vstack(
        rx.heading(S.group_name, size="5", as_="h2"),
        rx.cond(S.group_description != "",
                rx.text(S.group_description, white_space="pre-line", color=MUTED)),
        rx.el.nav(rx.flex(
            rx.foreach(S.channels, lambda c: rx.link(
                c["name"], href=c["href"], aria_current=rx.cond(c["current"] != "", "page",
                                                                 "false"),
                weight=rx.cond(c["current"] != "", "bold", "regular"),
                padding="0.4em 0.8em", min_height="44px", display="inline-flex",
                align_items="center", border_bottom=rx.cond(
                    c["current"] != "", "2px solid var(--accent-9)", "2px solid transparent"))),
            spacing="2", wrap="wrap"), aria_label=t("Channels")),
        rx.flex(rx.link(t("Members"), href=S.members_href),
                rx.link(t("Notification settings"), href=S.members_href),
                rx.cond(S.leaderboard_href != "",
                        rx.link(t("Leaderboard"), href=S.leaderboard_href)),
                spacing="4"),
        spacing="2", width="100%")


def composer() -> rx.Component:
    chosen = rx.selected_files(UPLOAD_ID)
    return rx.card(rx.vstack(
        rx.heading(t("New post"), size="3", as_="h3"),
        rx.el.label(t("Title"), html_for="post-title"),
        rx.input(id="post-title", value=S.title, on_change=S.set_title, width="100%",
                 max_length=200),
        error_callout(S.errors.get("title", "")),
        rx.el.label(t("Text (Markdown)"), html_for="post-body"),
        rx.text_area(id="post-body", value=S.body, on_change=S.set_body, rows="4",
                     width="100%"),
        rx.text(t("Type @ and a member's name to mention them."), size="1", color=MUTED),
        error_callout(S.errors.get("body", "")),
        named_dropzone(rx.upload.root(
            rx.hstack(rx.icon("paperclip", size=16, aria_hidden="true"),
                      rx.text(t("Add images or files (up to 4)"), size="2"),
                      spacing="2", align="center"),
            id=UPLOAD_ID, multiple=True, max_files=4, accept=ACCEPT,
            border="1px dashed var(--gray-8)", border_radius="6px", padding="0.4em 0.8em",
            cursor="pointer"), t("Add images or files (up to 4)")),
        rx.foreach(chosen, lambda name: rx.text(name, size="2")),
        error_callout(S.errors.get("files", "")),
        rx.button(t("Post"), type="button", min_height="44px",
                  on_click=S.submit_post(rx.upload_files(upload_id=UPLOAD_ID),
                                         field_values(title="post-title", body="post-body"))),
        spacing="2", width="100%", align="start"), width="100%")


def post_card(p) -> rx.Component:
    return rx.card(rx.vstack(
        rx.hstack(author_line(p),
                  rx.cond(p["pinned"] != "", rx.badge(t("Pinned"), variant="outline")),
                  justify="between", width="100%", wrap="wrap"),
        rx.heading(rx.link(p["title"], href=p["href"]), size="4", as_="h3"),
        post_html(p["html"]),
        post_files(p["files"]),
        rx.flex(
            reaction_buttons(p["reactions"], lambda e: S.toggle_reaction(p["id"], e)),
            rx.link(p["comments"], " ", t("comments"), href=p["href"]),
            rx.cond(p["mine"] != "",
                    rx.hstack(rx.button(t("Edit"), variant="ghost", size="1",
                                        on_click=S.start_edit(p["id"])),
                              rx.button(t("Delete"), variant="ghost", size="1",
                                        color_scheme="red", on_click=S.delete_post(p["id"])),
                              spacing="2"),
                    rx.button(t("Report"), variant="ghost", size="1",
                              on_click=S.open_report(p["id"]))),
            spacing="3", wrap="wrap", align="center", width="100%"),
        spacing="2", width="100%"), width="100%")


def edit_dialog() -> rx.Component:
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(t("Edit post")),
        rx.dialog.description(t("An edited post may wait for approval again."), size="2"),
        rx.form(rx.vstack(
            rx.el.label(t("Title"), html_for="edit-title"),
            rx.input(id="edit-title", name="title", default_value=S.edit_title, width="100%",
                     max_length=200),
            error_callout(S.edit_errors.get("title", "")),
            rx.el.label(t("Text (Markdown)"), html_for="edit-body"),
            rx.text_area(id="edit-body", name="body", default_value=S.edit_body, rows="6",
                         width="100%"),
            error_callout(S.edit_errors.get("body", "")),
            rx.hstack(rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                      rx.button(t("Save"), type="submit"), justify="end", spacing="2",
                      width="100%"),
            spacing="2", width="100%"), on_submit=S.save_edit, reset_on_submit=False),
    ), open=S.edit_open, on_open_change=S.set_edit_open)


def group_page() -> rx.Component:
    return client_shell(
        S, t("Community"),
        rx.cond(S.missing,
                rx.callout(t("This group is not available to you."), icon="info"),
                rx.vstack(
                    header(),
                    rx.cond(S.muted, rx.callout(t("You are muted in this group for now: you "
                                                  "may read, not post."), icon="info")),
                    rx.cond(S.can_post, composer()),
                    rx.vstack(rx.foreach(S.posts, post_card), width="100%", spacing="3"),
                    rx.cond(S.posts.length() == 0, rx.text(t("No posts yet."), color=MUTED)),
                    rx.cond(S.has_more, rx.button(t("Load more"), variant="soft",
                                                  on_click=S.load_more)),
                    spacing="4", width="100%")),
        edit_dialog(),
        report_dialog(S),
    )
