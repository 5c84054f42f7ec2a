"""The text a form field holds at the moment an event fires, read in the browser."""

import json

import reflex as rx


def field_value(element_id: str) -> rx.Var:
    """The current value of the field with this id, as an event handler argument.

    Upload handlers take their text this way. An upload is an HTTP request that any
    worker may take, while the field's own on_change/on_blur event goes down the
    tab's websocket to the tab's worker; with several workers the upload can be
    handled before that event has reached the state, and would miss the text."""
    return rx.Var(_js_expr=f"(document.getElementById({json.dumps(element_id)})?.value ?? \"\")",
                  _var_type=str)


def field_values(**element_ids: str) -> dict[str, rx.Var]:
    """{name: current value of the field with that id}: one dict argument for a handler."""
    return {name: field_value(element_id) for name, element_id in element_ids.items()}
