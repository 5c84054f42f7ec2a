"""One message of a secure-messaging thread, as the client page and the console
show it: who and when, the text (plain text, never HTML or markdown), and the
files attached to it as download links."""

import reflex as rx


def message_attachment(f) -> rx.Component:
    """One attached file (a {name, size, url} row): a download link and its size."""
    return rx.hstack(
        rx.icon("paperclip", size=14, aria_hidden="true"),
        # Reflex renders it as a React Router link: reloadDocument hands /api
        # to the browser, which downloads the file.
        rx.el.a(f["name"], href=f["url"], download=True,
                custom_attrs={"reloadDocument": True}, overflow_wrap="anywhere"),
        rx.text(f["size"], size="1", color="var(--gray-11)"),
        spacing="1", align="center",
    )


def message_bubble(m, *, show_files=None) -> rx.Component:
    """A message row (who, when, body, mine, files), on the right when it is
    the reader's own. `show_files`, a boolean Var, lists the files only when
    it is true (the client sees them with the documents permission); without
    it they are always listed."""
    files = rx.vstack(rx.foreach(m["files"].to(list[dict[str, str]]), message_attachment),
                      spacing="1", margin_top="0.3em")
    return rx.box(
        rx.text(m["who"], " · ", m["when"], size="1", color="var(--gray-11)"),
        # Plain text: never HTML or markdown.
        rx.text(m["body"], white_space="pre-wrap", overflow_wrap="anywhere"),
        files if show_files is None else rx.cond(show_files, files),
        background=rx.cond(m["mine"] == "yes", "var(--accent-3)", "var(--gray-3)"),
        border_radius="10px", padding="0.6em 0.9em", max_width="85%",
        align_self=rx.cond(m["mine"] == "yes", "flex-end", "flex-start"),
        data_testid="message",
    )
