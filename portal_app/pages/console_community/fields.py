"""Form pieces shared by the console's Community pages."""

import reflex as rx

from components.i18n import t
from portal_app.pages.console_forms.common import LABEL_STYLE, SELECT_STYLE, field_error

INPUT_STYLE = {**SELECT_STYLE, "width": "100%"}
MUTED = "var(--gray-11)"
VISIBILITY_OPTIONS = [("open", "Open: any client with Community may join"),
                      ("private", "Private: clients ask to join, staff approve"),
                      ("entitled", "Entitlement-only: holders of an offer or grant to it")]


def labelled(label, field_id: str, control: rx.Component, error=None, hint=None
             ) -> rx.Component:
    """A label, its control, an optional hint and the field's error beside it."""
    parts = [rx.el.label(label, html_for=field_id, style=LABEL_STYLE), control]
    if hint is not None:
        parts.append(rx.text(hint, size="1", color=MUTED))
    if error is not None:
        parts.append(field_error(error))
    return rx.vstack(*parts, spacing="1", width="100%", min_width="12em", flex="1")


def select(field_id: str, name: str, options, default, **props) -> rx.Component:
    """A select of (value, English label) options."""
    return rx.el.select(*[rx.el.option(t(label), value=value) for value, label in options],
                        id=field_id, name=name, default_value=default, style=INPUT_STYLE,
                        **props)


def text_input(field_id: str, name: str, default, **props) -> rx.Component:
    return rx.el.input(id=field_id, name=name, default_value=default, style=INPUT_STYLE,
                       **props)


def check(name: str, label, checked, box_id: str) -> rx.Component:
    """A native checkbox (so the form submits it) with its label."""
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=box_id, default_checked=checked,
                    style={"width": "18px", "height": "18px"}),
        label, html_for=box_id,
        style={"display": "flex", "gap": "0.5em", "align_items": "center",
               "min_height": "32px"})


def group_fields(prefix: str, values, errors) -> list[rx.Component]:
    """Name, description and who may join."""
    return [
        labelled(t("Name"), f"{prefix}-name", text_input(
            f"{prefix}-name", "name", values["name"], max_length=120, required=True),
            errors["name"]),
        labelled(t("Description (optional, up to 2,000 characters)"), f"{prefix}-description",
                 rx.el.textarea(id=f"{prefix}-description", name="description",
                                default_value=values["description"], max_length=2000,
                                rows="3", style=INPUT_STYLE), errors["description"]),
        labelled(t("Who may join"), f"{prefix}-visibility", select(
            f"{prefix}-visibility", "visibility", VISIBILITY_OPTIONS, values["visibility"]),
            errors["visibility"]),
    ]
