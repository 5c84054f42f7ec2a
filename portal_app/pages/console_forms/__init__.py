"""/console/forms: Outstanding, Templates, Packets and Verify, as tabs."""

import reflex as rx

from components.console_shell import console_shell
from components.i18n import t
from portal_app.pages.console_forms.outstanding import outstanding_tab
from portal_app.pages.console_forms.packets import packets_tab
from portal_app.pages.console_forms.templates import templates_tab
from portal_app.pages.console_forms.verify import verify_tab

TABS = [("outstanding", "Outstanding", outstanding_tab),
        ("templates", "Templates", templates_tab),
        ("packets", "Packets", packets_tab),
        ("verify", "Verify a signed form", verify_tab)]


def console_forms_page() -> rx.Component:
    return console_shell(
        t("Forms"),
        rx.tabs.root(
            rx.tabs.list(*[rx.tabs.trigger(t(label), value=value) for value, label, _ in TABS],
                         wrap="wrap"),
            *[rx.tabs.content(body(), value=value, padding_top="1em")
              for value, _, body in TABS],
            default_value="outstanding",
            width="100%",
        ),
    )
