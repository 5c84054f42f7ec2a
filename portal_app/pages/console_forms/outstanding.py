"""Console → Forms → Outstanding: every open form across clients, filterable."""

import reflex as rx

from components.i18n import t
from portal_app.pages.console_forms.common import MUTED, labelled_select, options, state_badge
from state.console_forms.labels import STATE_FILTERS
from state.console_forms.outstanding import FormsOutstandingState as S


def outstanding_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["client"], href=row["url"], weight="bold")),
        rx.table.cell(row["form"]),
        rx.table.cell(row["sent"]),
        rx.table.cell(rx.vstack(
            state_badge(row["state"], row["state_label"]),
            rx.cond(row["state"] == "in_progress",
                    rx.text(t("Last activity"), ": ", row["activity"], size="1", color=MUTED)),
            spacing="1")),
        rx.table.cell(rx.cond(row["due"] != "", row["due"], "—")),
        key=row["id"],
    )


def outstanding_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            labelled_select(t("State"), "forms-state-filter", *options(STATE_FILTERS),
                            value=S.state_filter, on_change=S.filter_state),
            labelled_select(t("Form"), "forms-form-filter",
                            rx.el.option(t("Every form"), value=""),
                            rx.foreach(S.form_options,
                                       lambda o: rx.el.option(o["title"], value=o["id"])),
                            value=S.form_filter, on_change=S.filter_form),
            spacing="4", wrap="wrap", align="end",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(t("Client")),
                    rx.table.column_header_cell(t("Form")),
                    rx.table.column_header_cell(t("Sent")),
                    rx.table.column_header_cell(t("State")),
                    rx.table.column_header_cell(t("Due")),
                )),
                rx.table.body(rx.foreach(S.rows, outstanding_row)),
                width="100%",
            ), overflow_x="auto", width="100%", role="region", aria_label=t("Outstanding forms")),
            rx.text(t("No open forms."), color=MUTED),
        ),
        spacing="4", width="100%",
    )
