"""Focus for dialogs that a server event opens.

A Radix dialog gives focus back to its Trigger when it closes. Ours mostly open from
a handler (it checks the client may do this first), so there is no Trigger and focus
would fall to the page. These two handlers remember what had focus as the dialog
opens (the button that opened it: focus has not moved yet) and give it back when it
closes, as WAI-ARIA's dialog pattern asks.
"""

import reflex as rx
from reflex.vars import FunctionStringVar

from components.i18n import t

_REMEMBER = "() => { window.__portalDialogOpener = document.activeElement; }"
_RESTORE = ("() => { const el = window.__portalDialogOpener; "
            "if (el && el.isConnected) { el.focus(); } }")


def focus_return() -> dict:
    """Props for `rx.dialog.content(...)`: focus goes back to the opener on close."""
    return {"on_open_auto_focus": FunctionStringVar.create(_REMEMBER),
            "on_close_auto_focus": FunctionStringVar.create(_RESTORE)}


def dialog_buttons(label, **submit_props) -> rx.Component:
    """A form dialog's footer: Cancel (closes it), then its submit button."""
    return rx.hstack(rx.dialog.close(rx.button(t("Cancel"), variant="soft", type="button")),
                     rx.button(label, type="submit", **submit_props), justify="end",
                     spacing="2", width="100%")
