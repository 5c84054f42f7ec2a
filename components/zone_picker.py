"""A searchable time zone field: type a city or country and the list narrows (an
input with a datalist of the canonical zones, each with its offset now)."""

import reflex as rx

from components.i18n import t


def zone_picker(label, name: str, options, *, default_value="", list_id: str = "") -> rx.Component:
    """`options` is a list Var of {"value": IANA name, "label": readable name}."""
    field_id = f"field-{name}"
    list_id = list_id or f"{name}-choices"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"font_weight": "500", "font_size": "0.9em"}),
        rx.input(id=field_id, name=name, default_value=default_value, size="3", width="100%",
                 auto_complete="off", spell_check=False,
                 placeholder=t("Type a city or country"), custom_attrs={"list": list_id}),
        rx.el.datalist(rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["value"])),
                       id=list_id),
        spacing="1",
        width="100%",
    )
