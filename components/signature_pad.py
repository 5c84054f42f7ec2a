"""A signature pad: draw with a finger, a pen or the mouse, or type your name.

The drawing happens in the browser (assets/signature_pad.js, loaded once by the
component): nothing travels while the pen moves. When a stroke ends, the canvas's
PNG data URL goes to `on_drawn` (one string argument); "Clear" wipes the canvas
and sends "". The server checks and re-encodes it (services/forms/signature.py);
the browser's word is never taken for it.

The canvas cannot be used from a keyboard or a screen reader, so the instructions
(read with the canvas) point to the accessible path: a labelled text field where
the signer types their name, shown in the same script face the server renders
(Dancing Script, assets/fonts/). Its value goes to `on_typed` when the field
loses focus (not at every key), and with the page's form under `typed_name`.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import Var

from components.i18n import t

SCRIPT_SRC = "/signature_pad.js"
FONT_FAMILY = "PortalSignature"
_FONT_FACE = (f"@font-face{{font-family:'{FONT_FAMILY}';"
              "src:url('/fonts/DancingScript-Regular.ttf') format('truetype');"
              "font-display:swap}")
INSTRUCTIONS = ("Draw your signature in the box with a finger, a pen or the mouse. If you "
                "prefer, or use a keyboard or a screen reader, type your name instead.")


class _SignatureCanvas(rx.el.Canvas):
    """A <canvas> that reports the end of a stroke (React's onPointerUp)."""

    on_pointer_up: rx.EventHandler[rx.event.no_args_event_spec]


def _pad_call(method: str, pad_id: str) -> Var:
    """`() => window.portalSignaturePad.<method>(<id>)`, "" before the script loaded."""
    quoted = json.dumps(pad_id)
    return Var(f"() => (window.portalSignaturePad ? "
               f"window.portalSignaturePad.{method}({quoted}) : \"\")")


def signature_pad(pad_id: str, label, *, on_drawn, on_typed=None, typed_value=None,
                  typed_name: str = "") -> rx.Component:
    """The pad for one signature (or initials) field.

    `pad_id`: a DOM id unique on the page (letters, digits, "-", "_"). `label`: the
    field's label (text or a Var). `on_drawn`: handler of one string, the PNG data
    URL ("" after Clear). `on_typed`: handler of one string, the typed name; without
    it the typed alternative is not shown (the page offers its own). `typed_value`
    (a Var) fills the typed field, e.g. from a saved draft; `typed_name` is its
    form field name when the page submits a form.
    """
    if not pad_id.replace("-", "").replace("_", "").isalnum():
        raise ValueError("pad_id: letters, digits, '-' and '_' only")
    label_id, help_id, typed_id = f"{pad_id}-label", f"{pad_id}-help", f"{pad_id}-typed"
    parts = [
        rx.text(label, id=label_id, weight="bold", size="3"),
        rx.text(t(INSTRUCTIONS), id=help_id, size="2", color="var(--gray-11)"),
        _SignatureCanvas.create(
            id=pad_id, role="img",
            # the drawing's pixels; the box on the page is scaled (Reflex would read
            # width=/height= props as CSS, hence attributes)
            custom_attrs={"width": "900", "height": "300",
                          "data-signature-pad": "true", "aria-labelledby": label_id,
                          "aria-describedby": help_id},
            on_pointer_up=rx.call_function(_pad_call("dataUrl", pad_id), callback=on_drawn),
            style={"width": "100%", "max_width": "600px", "height": "auto",
                   "aspect_ratio": "3 / 1", "touch_action": "none", "background": "white",
                   "border": "2px dashed var(--gray-8)", "border_radius": "8px",
                   "cursor": "crosshair", "display": "block"},
        ),
        rx.button(t("Clear"), type="button", variant="soft", size="3",
                  min_height="44px",
                  on_click=rx.call_function(_pad_call("clear", pad_id), callback=on_drawn)),
    ]
    if on_typed is not None:
        field = {"id": typed_id, "name": typed_name or typed_id, "type": "text",
                 "autocomplete": "name", "max_length": 100, "on_blur": on_typed,
                 "style": {"font_family": f"'{FONT_FAMILY}', cursive", "font_size": "1.6em",
                           "width": "100%", "max_width": "600px", "min_height": "48px",
                           "padding": "0.2em 0.5em", "border": "1px solid var(--gray-8)",
                           "border_radius": "6px", "background": "white",
                           "color": "#1a1a2e"}}
        if typed_value is not None:
            field["value"] = typed_value
        parts += [rx.el.label(t("Type your full name instead"), html_for=typed_id,
                              style={"font_weight": "500", "margin_top": "0.5em"}),
                  rx.el.input(**field)]
    return rx.vstack(
        *parts,
        rx.script(src=SCRIPT_SRC),
        rx.el.style(_FONT_FACE),
        spacing="2", width="100%", align="start",
    )
