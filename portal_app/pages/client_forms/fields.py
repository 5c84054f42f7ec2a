"""One field of a form as the client fills it in, per kind: one column, big
targets (44 px and more), the label tied to its input, the help text and the
server's message beside the field. Text saves after a pause in typing
(debounced, DEBOUNCE_MS); choices, dates and signatures save at once."""

import reflex as rx

from components.file_upload import ACCEPT, named_dropzone
from components.i18n import t
from components.signature_pad import signature_pad
from state.client_forms.form_page import FormState as S
from state.client_forms.rows import FILE_SLOTS, SIGNATURE_SLOTS

DEBOUNCE_MS = 700
# What the browser may send at most per kind (the server's limits are the rule:
# services/forms/rules.py; this keeps a huge paste from leaving the browser).
MAX_CHARS = {"short_text": 1000, "long_text": 20000, "email": 254, "phone": 40,
             "number": 40}
INPUT_TYPES = (("email", "email"), ("phone", "tel"), ("date", "date"))
BIG = {"size": "3", "width": "100%", "min_height": "48px"}


def _id(row) -> rx.Var:
    return "field-" + row.key


def _label(row) -> rx.Component:
    return rx.el.label(
        row.label,
        rx.cond(row.required, rx.text.span(" *", color="var(--red-11)", aria_hidden="true")),
        rx.cond(row.required, rx.text.span(t("(required)"), class_name="sr-only",
                                           style={"position": "absolute", "width": "1px",
                                                  "height": "1px", "overflow": "hidden",
                                                  "clip": "rect(0 0 0 0)"})),
        html_for=_id(row), style={"font_weight": "600", "font_size": "1em"})


def _help(row) -> rx.Component:
    return rx.cond(row.help != "", rx.text(row.help, size="2", color="var(--gray-11)",
                                           white_space="pre-wrap", id="help-" + row.key))


def _error(row) -> rx.Component:
    return rx.cond(row.error != "", rx.text(row.error, size="2", color="var(--red-11)",
                                            role="alert", id="error-" + row.key))


def _save(row):
    return lambda value: S.save_field(row.key, value)


def _text_input(row) -> rx.Component:
    return rx.input(
        id=_id(row), value=row.value, on_change=_save(row), debounce_timeout=DEBOUNCE_MS,
        type=rx.match(row.kind, *INPUT_TYPES, "text"),
        input_mode=rx.match(row.kind, ("number", "decimal"), ("phone", "tel"), "text"),
        max_length=rx.match(row.kind, *[(k, v) for k, v in MAX_CHARS.items()], 1000),
        auto_complete=rx.match(row.kind, ("email", "email"), ("phone", "tel"), "off"),
        disabled=S.read_only, **BIG)


def _long_text(row) -> rx.Component:
    return rx.text_area(id=_id(row), value=row.value, on_change=_save(row),
                        debounce_timeout=DEBOUNCE_MS, max_length=MAX_CHARS["long_text"],
                        rows="4", size="3", width="100%", disabled=S.read_only)


def _radio(row, items) -> rx.Component:
    return rx.radio_group.root(
        rx.vstack(items, spacing="1", width="100%"),
        value=row.value, on_change=_save(row), disabled=S.read_only, size="3",
        aria_labelledby="label-" + row.key, width="100%")


def _radio_item(value, label) -> rx.Component:
    return rx.el.label(rx.radio_group.item(value=value), rx.text(label),
                       style={"display": "flex", "align_items": "center", "gap": "0.6em",
                              "min_height": "44px", "cursor": "pointer"})


def _single_choice(row) -> rx.Component:
    return _radio(row, rx.foreach(row.options, lambda o: _radio_item(o, o)))


def _yes_no(row) -> rx.Component:
    return _radio(row, rx.fragment(_radio_item("yes", t("Yes")), _radio_item("no", t("No"))))


def _multiple_choice(row) -> rx.Component:
    return rx.vstack(rx.foreach(row.options, lambda o: rx.el.label(
        rx.checkbox(checked=row.picked.contains(o), disabled=S.read_only, size="3",
                    aria_label=o,
                    on_change=lambda checked: S.toggle_choice(row.key, o, checked)),
        rx.text(o),
        style={"display": "flex", "align_items": "center", "gap": "0.6em",
               "min_height": "44px", "cursor": "pointer"})), spacing="1", width="100%",
        role="group", aria_labelledby="label-" + row.key)


def _pad(slot: int, row) -> rx.Component:
    return signature_pad(f"signature-pad-{slot}", row.label,
                         on_drawn=lambda url: S.sign_drawn(str(slot), url),
                         on_typed=lambda name: S.sign_typed(row.key, name),
                         typed_value=row.typed)


def _signature(row) -> rx.Component:
    return rx.cond(
        S.read_only,
        rx.text(rx.cond(row.drawn | (row.typed != ""), t("Signed"), t("Not signed")),
                weight="bold"),
        rx.vstack(
            rx.match(row.slot, *[(str(i), _pad(i, row)) for i in range(SIGNATURE_SLOTS)],
                     rx.input(id=_id(row), value=row.typed, on_blur=lambda v: S.sign_typed(
                         row.key, v), **BIG)),
            rx.cond(row.drawn, rx.text(t("Signature saved."), size="2",
                                       color="var(--green-11)", role="status")),
            spacing="1", width="100%"),
    )


def _file_zone(slot: int, row) -> rx.Component:
    upload_id = f"form-file-{slot}"
    return rx.vstack(
        named_dropzone(rx.upload.root(
            rx.hstack(rx.icon("upload", size=20, aria_hidden="true"),
                      rx.text(t("Choose a file")), spacing="2", align="center"),
            id=upload_id, multiple=False, max_files=1, accept=ACCEPT,
            border="1px dashed var(--gray-8)", border_radius="8px", padding="0.9em",
            width="100%", cursor="pointer", min_height="48px",
        ), row.label),
        rx.foreach(rx.selected_files(upload_id), lambda name: rx.text(name, size="2")),
        rx.button(t("Upload"), type="button", size="3", variant="soft",
                  on_click=S.upload_file(str(slot), rx.upload_files(upload_id=upload_id))),
        spacing="2", width="100%")


def _file(row) -> rx.Component:
    return rx.vstack(
        rx.cond(row.value != "", rx.hstack(rx.icon("paperclip", size=16, aria_hidden="true"),
                                          rx.text(row.value, size="2"), spacing="2")),
        rx.cond(S.read_only, rx.fragment(),
                rx.match(row.slot, *[(str(i), _file_zone(i, row)) for i in range(FILE_SLOTS)],
                         rx.text(t("Send this file to us from Documents."), size="2"))),
        spacing="2", width="100%")


def _statement(row) -> rx.Component:
    return rx.box(
        rx.heading(row.label, size="3", as_="h3"),
        rx.text(row.help, size="3", white_space="pre-wrap"),
        padding="1em", border_radius="8px", background="var(--gray-2)",
        border="1px solid var(--gray-5)", width="100%")


def field_block(row) -> rx.Component:
    """A field, shown while its show-if rule holds."""
    body = rx.match(
        row.kind,
        ("long_text", _long_text(row)),
        ("single_choice", _single_choice(row)),
        ("multiple_choice", _multiple_choice(row)),
        ("yes_no", _yes_no(row)),
        ("signature", _signature(row)),
        ("initials", _signature(row)),
        ("file", _file(row)),
        _text_input(row),
    )
    return rx.cond(
        row.visible,
        rx.cond(
            row.kind == "statement",
            _statement(row),
            rx.vstack(rx.box(_label(row), id="label-" + row.key), _help(row), body,
                      _error(row), spacing="2", width="100%"),
        ),
    )
