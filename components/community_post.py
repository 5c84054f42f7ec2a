"""What the group and post pages share: the author line (display name, avatar or
initial, the business badge on staff text, the time), the reaction buttons
(aria-pressed), a post's files (images shown, other files as links) and the
"Waiting for approval" badge. Markdown arrives as HTML made safe on the server."""

import reflex as rx

from components.i18n import t

MUTED = "var(--gray-11)"


def author_line(item) -> rx.Component:
    """`item`: a post or comment dict (author, badge, avatar, initial, when, edited, held)."""
    return rx.hstack(
        rx.cond(item["avatar"] != "",
                rx.image(src=item["avatar"], alt="", width="32px", height="32px",
                         border_radius="50%"),
                rx.box(rx.text(item["initial"], weight="bold", aria_hidden="true"),
                       width="32px", height="32px", border_radius="50%",
                       background="var(--accent-4)", display="flex", align_items="center",
                       justify_content="center")),
        rx.vstack(
            rx.hstack(rx.text(item["author"], weight="bold", size="2"),
                      rx.cond(item["badge"] != "",
                              rx.badge(rx.text("— ", aria_hidden="true"), item["badge"],
                                       variant="soft")),
                      spacing="2", align="center", wrap="wrap"),
            rx.hstack(rx.text(item["when"], size="1", color=MUTED),
                      rx.cond(item["edited"] != "", rx.text(t("(edited)"), size="1",
                                                           color=MUTED)),
                      spacing="1"),
            spacing="0"),
        rx.cond(item["held"] != "", rx.badge(t("Waiting for approval"), color_scheme="amber")),
        spacing="2", align="center", wrap="wrap")


def reaction_buttons(reactions, on_click) -> rx.Component:
    """One button per emoji: its count, pressed when the reader chose it.
    `on_click(emoji)` returns the event."""
    return rx.flex(
        rx.foreach(reactions.to(list[dict[str, str]]), lambda r: rx.button(
            rx.text(r["emoji"], aria_hidden="true"), rx.text(r["count"]),
            variant=rx.cond(r["mine"] != "", "solid", "soft"), size="1",
            aria_pressed=rx.cond(r["mine"] != "", "true", "false"),
            aria_label=r["emoji"] + " " + r["count"],
            min_height="32px", on_click=on_click(r["emoji"]))),
        spacing="1", wrap="wrap")


def post_files(files) -> rx.Component:
    return rx.flex(
        rx.foreach(files.to(list[dict[str, str]]), lambda f: rx.cond(
            f["image"] != "",
            rx.link(rx.image(src=f["url"], alt=f["name"], max_width="240px",
                             max_height="240px", border_radius="6px"),
                    href=f["url"], is_external=True),
            rx.link(rx.hstack(rx.icon("file", size=14, aria_hidden="true"),
                              rx.text(f["name"]), rx.text(f["size"], color=MUTED, size="1"),
                              spacing="1", align="center"),
                    href=f["url"], is_external=True))),
        spacing="2", wrap="wrap")


def post_html(html) -> rx.Component:
    return rx.box(rx.html(html), class_name="lesson-text", width="100%")


def report_dialog(S) -> rx.Component:
    """The reason dialog for "Report" (S: a state with report_open, report_error,
    set_report_open and submit_report(form))."""
    return rx.dialog.root(rx.dialog.content(
        rx.dialog.title(t("Report to the business")),
        rx.dialog.description(t("Tell the business briefly what is wrong. Your name is "
                                "not shown to the author.")),
        rx.form(rx.vstack(
            rx.el.label(t("Reason"), html_for="report-reason"),
            rx.text_area(id="report-reason", name="reason", rows="3", width="100%",
                         max_length=500),
            rx.cond(S.report_error != "", rx.text(S.report_error, color="var(--red-11)",
                                                  size="2", role="alert")),
            rx.hstack(rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                      rx.button(t("Send report"), type="submit"),
                      justify="end", spacing="2", width="100%"),
            spacing="2", width="100%"), on_submit=S.submit_report, reset_on_submit=False),
    ), open=S.report_open, on_open_change=S.set_report_open)
