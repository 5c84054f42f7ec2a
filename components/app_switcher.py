"""The hub's app switcher (seed 002) in the client shell's header, top right: a grid
button whose menu lists the apps this client may use now (`S.app_links`, made by
the session check on every event from portal_app/apps.py), the open one marked.
Used by the client shell and the console's read-only "View as client" preview."""

import reflex as rx

from components.current_page import is_current
from components.i18n import t
from portal_app import apps, routes


def app_icon(icon) -> rx.Component:
    """An app's icon by its registry name (a Var), from the registry's own icons:
    each is a static import, no runtime icon loading."""
    return rx.match(icon, *[(a.icon, rx.icon(a.icon, size=18, aria_hidden="true"))
                            for a in apps.APPS],
                    rx.icon("layout_grid", size=18, aria_hidden="true"))


def app_is_current(route) -> rx.Var:
    """The open page belongs to this app: under its route; the portal owns every
    page no other app's route claims."""
    others = [a.route for a in apps.APPS if a.key != apps.PORTAL]
    in_other = is_current(*others) if others else rx.Var.create(False)
    return rx.cond(route == routes.DASHBOARD, ~in_other,
                   rx.match(route, *[(r, is_current(r)) for r in others], False))


def app_switcher(S) -> rx.Component:
    """The hub's app switcher (seed 002): a grid button at the top right whose menu
    lists the apps this client may use now (`S.app_links`, refreshed on every event),
    the open one marked `aria-current`. Hidden when only the portal is there. A Radix
    menu: arrow keys move, Escape closes, focus returns to the button; 44px items."""
    def item(app) -> rx.Component:
        current = app_is_current(app["route"])
        return rx.menu.item(
            rx.hstack(app_icon(app["icon"]), rx.text(app["label"]),
                      rx.cond(current, rx.icon("check", size=16, aria_hidden="true")),
                      align="center", spacing="3", width="100%"),
            on_click=rx.redirect(app["route"]), disabled=S.preview,
            min_height="44px", font_weight=rx.cond(current, "600", "400"),
            custom_attrs={"aria-current": rx.cond(current, "page", None)},
        )

    return rx.cond(
        S.app_links.length() > 1,
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(rx.icon("layout_grid"), variant="ghost", size="3",
                               aria_label=t("Apps"), min_width="44px", min_height="44px"),
            ),
            rx.menu.content(
                rx.foreach(S.app_links, item),
                align="end", size="2", min_width="200px",
            ),
            modal=False,
        ),
    )
