"""/community/post?id=: the post, its reactions, the comments (with their reactions,
Edit / Delete on one's own, Report on others', "Best answer" in a questions
channel) and the comment form."""

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
from components.forms import error_callout
from components.i18n import t
from state.community.post_page import PostPageState as S


def the_post() -> rx.Component:
    p = S.post
    return rx.card(rx.vstack(
        rx.link(t("Back to the group"), " · ", S.group_name, href=S.group_href, size="2"),
        author_line(p),
        rx.heading(p["title"].to(str), size="5", as_="h2"),
        post_html(p["html"].to(str)),
        post_files(p["files"]),
        rx.flex(reaction_buttons(p["reactions"], lambda e: S.toggle_reaction("", e)),
                rx.cond(p["mine"].to(str) == "",
                        rx.button(t("Report"), variant="ghost", size="1",
                                  on_click=S.open_report(""))),
                spacing="3", wrap="wrap", align="center"),
        spacing="2", width="100%"), width="100%")


def edit_form(c) -> rx.Component:
    return rx.form(rx.vstack(
        rx.el.label(t("Edit your comment"), html_for="edit-comment"),
        rx.text_area(id="edit-comment", name="comment", default_value=S.edit_body, rows="3",
                     width="100%"),
        error_callout(S.edit_error),
        rx.hstack(rx.button(t("Cancel"), variant="soft", type="button", on_click=S.cancel_edit),
                  rx.button(t("Save"), type="submit"), spacing="2"),
        spacing="2", width="100%"), on_submit=S.save_edit, reset_on_submit=False, width="100%")


def comment_card(c) -> rx.Component:
    return rx.box(rx.vstack(
        rx.hstack(author_line(c),
                  rx.cond(S.questions & (c["best"] != ""),
                          rx.badge(rx.icon("check", size=12, aria_hidden="true"),
                                   t("Best answer"), color_scheme="green")),
                  spacing="2", wrap="wrap", align="center"),
        rx.cond(S.editing_id == c["id"], edit_form(c),
                rx.text(c["body"], white_space="pre-wrap")),
        rx.flex(
            reaction_buttons(c["reactions"], lambda e: S.toggle_reaction(c["id"], e)),
            rx.cond(c["mine"] != "",
                    rx.hstack(rx.button(t("Edit"), variant="ghost", size="1",
                                        on_click=S.start_edit(c["id"])),
                              rx.button(t("Delete"), variant="ghost", size="1",
                                        color_scheme="red",
                                        on_click=S.delete_comment(c["id"])), spacing="2"),
                    rx.button(t("Report"), variant="ghost", size="1",
                              on_click=S.open_report(c["id"]))),
            spacing="3", wrap="wrap", align="center"),
        spacing="2", width="100%"), padding="0.6em 0", border_top="1px solid var(--gray-5)",
        width="100%")


def comment_form() -> rx.Component:
    return rx.form(rx.vstack(
        rx.el.label(t("Your comment"), html_for="new-comment"),
        rx.text_area(id="new-comment", name="comment", value=S.draft, on_change=S.set_draft,
                     rows="3", width="100%"),
        rx.text(t("Type @ and a member's name to mention them."), size="1", color=MUTED),
        error_callout(S.comment_error),
        rx.button(t("Comment"), type="submit", min_height="44px"),
        spacing="2", width="100%", align="start"), on_submit=S.add_comment,
        reset_on_submit=False, width="100%")


def post_page() -> rx.Component:
    return client_shell(
        S, t("Community"),
        rx.cond(S.missing,
                rx.callout(t("This post is not available to you."), icon="info"),
                rx.vstack(
                    the_post(),
                    rx.heading(t("Comments"), size="4", as_="h2"),
                    rx.vstack(rx.foreach(S.comments, comment_card), width="100%", spacing="0"),
                    rx.cond(S.has_more, rx.button(t("Show more comments"), variant="soft",
                                                  on_click=S.more_comments)),
                    rx.cond(S.post["held"].to(str) == "", comment_form()),
                    spacing="3", width="100%")),
        report_dialog(S),
    )
