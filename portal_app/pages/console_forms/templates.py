"""Console → Forms → Templates: the list and the builder."""

import reflex as rx

from components.i18n import t
from portal_app.pages.console_forms.common import (
    LABEL_STYLE,
    MUTED,
    SELECT_STYLE,
    field_error,
    options,
)
from state.console_forms.labels import CHOICE_KINDS, KINDS, PROFILE_CHOICES, SHOW_OPS
from state.console_forms.templates import FormTemplatesState as S


def template_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["title"], weight="bold")),
        rx.table.cell(t("Version"), " ", row["version"],
                      rx.cond(row["sent"] == "yes",
                              rx.text.span(" · ", t("sent"), color=MUTED))),
        rx.table.cell(row["questions"]),
        rx.table.cell(rx.cond(row["archived"] == "yes",
                              rx.badge(t("Archived"), variant="soft", color_scheme="gray"),
                              rx.hstack(
                                  rx.button(t("Edit"), size="1", variant="soft",
                                            on_click=S.edit_template(row["id"]),
                                            aria_label=t("Edit") + " " + row["title"]),
                                  rx.button(t("Archive"), size="1", variant="ghost",
                                            color_scheme="red",
                                            on_click=S.archive(row["id"]),
                                            aria_label=t("Archive") + " " + row["title"]),
                                  spacing="2"))),
        key=row["id"],
    )


def _text_input(f, i, part: str, label, *, area: bool = False) -> rx.Component:
    field_id = f"q-{part}-" + i.to_string()
    props = {"id": field_id, "name": f"{part}_" + i.to_string(), "default_value": f[part],
             "on_blur": lambda v: S.set_question(i, part, v), "width": "100%"}
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.text_area(**props, rows="3") if area else rx.input(**props),
        spacing="1", width="100%",
    )


def _select(f, i, part: str, label, *children) -> rx.Component:
    field_id = f"q-{part}-" + i.to_string()
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style=LABEL_STYLE),
        rx.el.select(*children, id=field_id, name=f"{part}_" + i.to_string(), value=f[part],
                     style=SELECT_STYLE,
                     on_change=lambda v: S.set_question(i, part, v)),
        spacing="1",
    )


def question_card(f, i) -> rx.Component:
    is_choice = (f["kind"] == CHOICE_KINDS[0]) | (f["kind"] == CHOICE_KINDS[1])
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t("Question"), " ", i + 1, size="3", as_="h4"),
                rx.spacer(),
                rx.button(rx.icon("arrow_up", size=14), size="1", variant="soft", type="button",
                          on_click=S.move_question(i, -1),
                          aria_label=t("Move question up") + " " + (i + 1).to_string()),
                rx.button(rx.icon("arrow_down", size=14), size="1", variant="soft",
                          type="button", on_click=S.move_question(i, 1),
                          aria_label=t("Move question down") + " " + (i + 1).to_string()),
                rx.button(t("Remove"), size="1", variant="ghost", color_scheme="red",
                          type="button", on_click=S.remove_question(i),
                          aria_label=t("Remove question") + " " + (i + 1).to_string()),
                width="100%", align="center", spacing="2",
            ),
            field_error(f["error"]),
            rx.hstack(
                _select(f, i, "kind", t("Kind"), *options(KINDS)),
                rx.hstack(
                    rx.el.input(type="checkbox", id="q-required-" + i.to_string(),
                                name="required_" + i.to_string(),
                                checked=f["required"] == "yes",
                                on_change=lambda v: S.set_question(i, "required", v),
                                style={"width": "18px", "height": "18px"}),
                    rx.el.label(t("Required"), html_for="q-required-" + i.to_string()),
                    spacing="2", align="center", min_height="36px",
                ),
                spacing="4", align="end", wrap="wrap",
            ),
            _text_input(f, i, "label", t("Label")),
            _text_input(f, i, "help", t("Help text (for a statement: the text to read)"),
                        area=True),
            rx.cond(is_choice, _text_input(f, i, "options", t("Choices, one per line"), area=True)),
            rx.hstack(
                _select(f, i, "show_field", t("Show only if"),
                        rx.el.option(t("Always shown"), value=""),
                        rx.foreach(S.question_choices,
                                   lambda q: rx.el.option(q["label"], value=q["key"]))),
                _select(f, i, "show_op", t("Condition"), *options(SHOW_OPS)),
                rx.box(_text_input(f, i, "show_value", t("Value (yes / no for a yes-no question)")),
                       flex="1", min_width="12em"),
                spacing="3", align="end", wrap="wrap", width="100%",
            ),
            _select(f, i, "maps_to", t("Fills the client record"), *options(PROFILE_CHOICES)),
            spacing="3", width="100%",
        ),
        width="100%",
        key=S.edit_round.to_string() + "-" + f["key"],
    )


def builder() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.hstack(rx.heading(S.editor_title, size="5", as_="h2"), rx.spacer(),
                          rx.button(t("Close"), variant="soft", type="button",
                                    on_click=S.close_editor),
                          width="100%", align="center"),
                rx.callout(S.version_note, icon="history", color_scheme="blue",
                           role="status", width="100%"),
                rx.cond(S.saved_note != "",
                        rx.callout(S.saved_note, icon="check", color_scheme="green",
                                   role="status", width="100%")),
                field_error(S.error),
                rx.el.label(t("Title"), html_for="form-title", style=LABEL_STYLE),
                rx.input(id="form-title", name="title", default_value=S.title, width="100%",
                         max_length=200),
                field_error(S.title_error),
                rx.el.label(t("Introduction (optional)"), html_for="form-intro",
                            style=LABEL_STYLE),
                rx.text_area(id="form-intro", name="intro", default_value=S.intro,
                             width="100%", rows="3"),
                field_error(S.intro_error),
                rx.foreach(S.fields, question_card),
                rx.hstack(
                    rx.button(rx.icon("plus", size=16), t("Add a question"), variant="soft",
                              type="button", on_click=S.add_question),
                    rx.spacer(),
                    rx.button(t("Save form"), type="submit"),
                    width="100%",
                ),
                spacing="3", width="100%",
            ),
            on_submit=S.save, key=S.edit_round, width="100%",
        ),
        width="100%",
    )


def templates_tab() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text(t("The forms you send to clients."), color=MUTED), rx.spacer(),
                  rx.button(rx.icon("plus", size=16), t("New form"), on_click=S.new_template),
                  width="100%", align="center"),
        rx.cond(S.editor_open, builder()),
        rx.cond(
            S.templates.length() > 0,
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(t("Form")),
                    rx.table.column_header_cell(t("Version")),
                    rx.table.column_header_cell(t("Questions")),
                    rx.table.column_header_cell(""),
                )),
                rx.table.body(rx.foreach(S.templates, template_row)),
                width="100%",
            ), overflow_x="auto", width="100%", role="region", aria_label=t("Form templates")),
            rx.text(t("No forms yet."), color=MUTED),
        ),
        spacing="4", width="100%",
    )
