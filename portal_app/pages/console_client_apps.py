"""The "Apps & access" section of the console's client page: the record's grants,
"Give access", "End access" (with an optional reason) and "Restore"."""

import reflex as rx

from components.console_bits import section
from components.dialogs import dialog_buttons, focus_return
from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, MUTED, SELECT_STYLE, field_error
from state.console_client_apps import ClientAppsState as S

INPUT_STYLE = {**SELECT_STYLE, "width": "100%", "min_height": "44px"}


def end_dialog() -> rx.Component:
    """"End access": the optional reason, then confirm (one dialog for the list, so no
    form sits inside the rows' loop)."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("End access to"), " ", S.ending_what),
            rx.dialog.description(t("The client loses access at their next action. Their "
                                    "progress is kept, and you can restore access later.")),
            rx.form(
                rx.vstack(
                    rx.el.label(t("Reason (optional, for the record)"), html_for="grant-reason",
                                style=LABEL_STYLE),
                    rx.el.input(id="grant-reason", name="reason", max_length=300,
                                style=INPUT_STYLE),
                    dialog_buttons(t("End access now"), color_scheme="red"),
                    spacing="2", width="100%", margin_top="1em"),
                on_submit=S.end_access, reset_on_submit=True),
            **focus_return(),
        ),
        open=S.ending != "",
        on_open_change=S.set_end_open,
    )


def grant_line(row) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("key_round", size=18, aria_hidden="true"),
            rx.vstack(
                rx.hstack(rx.text(row["what"], weight="bold"),
                          rx.badge(row["state_label"], variant="soft", color_scheme=rx.match(
                              row["state"], ("active", "green"), ("scheduled", "blue"),
                              ("revoked", "red"), "gray")),
                          spacing="2", align="center", wrap="wrap"),
                rx.text(row["source"], " · ", t("from"), " ", row["start"],
                        rx.cond(row["end"] != "", rx.fragment(" · ", t("until"), " ",
                                                              row["end"])),
                        size="1", color=MUTED),
                rx.cond(row["state"] == "revoked",
                        rx.text(t("Ended by staff"), " ", row["revoked"],
                                rx.cond(row["reason"] != "", ": " + row["reason"].to(str), ""),
                                size="1", color=MUTED)),
                spacing="1", flex="1", min_width="0"),
            rx.cond(row["state"] == "revoked",
                    rx.button(t("Restore"), size="2", variant="soft",
                              on_click=S.restore_access(row["id"]),
                              aria_label=t("Restore access to") + " " + row["what"]),
                    rx.cond(row["state"] != "ended",
                            rx.button(t("End access"), size="2", variant="soft",
                                      color_scheme="red", on_click=S.ask_end(row["id"]),
                                      aria_label=t("End access to") + " " + row["what"]))),
            spacing="3", align="start", width="100%"),
        spacing="2", width="100%", key=row["id"])


def give_form() -> rx.Component:
    return rx.form(rx.hstack(
        rx.vstack(rx.el.label(t("Give access to"), html_for="grant-target", style=LABEL_STYLE),
                  rx.el.select(rx.foreach(S.targets, lambda o: rx.el.option(
                      o["label"], value=o["value"])), id="grant-target", name="target",
                      style=INPUT_STYLE),
                  field_error(S.errors["target"]), spacing="1", min_width="14em"),
        rx.vstack(rx.el.label(t("Last day (optional)"), html_for="grant-ends",
                              style=LABEL_STYLE),
                  rx.el.input(type="date", id="grant-ends", name="ends", style=INPUT_STYLE),
                  field_error(S.errors["ends"]), spacing="1"),
        rx.button(rx.icon("plus", size=16), t("Give access"), type="submit", size="3"),
        spacing="3", align="end", wrap="wrap", width="100%"),
        on_submit=S.give_access, reset_on_submit=True)


def client_apps_section() -> rx.Component:
    return section(
        t("Apps & access"),
        rx.cond(~S.courses_on,
                rx.callout(t("The Courses app is off in Portal settings: access given here "
                             "shows once it is on."), icon="info", color_scheme="amber",
                           role="status", width="100%")),
        give_form(),
        rx.cond(S.grant_rows.length() > 0,
                rx.vstack(rx.foreach(S.grant_rows, grant_line), spacing="3", width="100%"),
                rx.text(t("No access to apps yet."), size="2", color=MUTED)),
        end_dialog(),
    )
