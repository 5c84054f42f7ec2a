"""The client page shell (seed 001): header with hamburger, account switcher,
notifications bell; left navigation; right panel of call-to-action buttons."""

import reflex as rx

from components.brand import business_mark
from portal_app import routes
from state.session import ClientState

NAV = [
    ("Dashboard", routes.DASHBOARD, "layout_dashboard"),
    ("Bookings", routes.BOOKINGS, "calendar"),
    ("Payments", routes.PAYMENTS, "credit_card"),
    ("Documents", routes.DOCUMENTS, "file_text"),
    ("Messages", routes.MESSAGES, "mail"),
]

ACTIONS = [
    ("Book an appointment", routes.BOOKINGS, "calendar_plus"),
    ("Make a payment", routes.PAYMENTS, "credit_card"),
    ("Share a document", routes.DOCUMENTS, "upload"),
    ("Send us a message", routes.MESSAGES, "send"),
]


def nav_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=18, aria_hidden="true"), rx.text(label), align="center",
                  spacing="3"),
        href=href,
        underline="none",
        padding="0.6em 0.8em",
        border_radius="6px",
        min_height="44px",
        display="flex",
        align_items="center",
        _hover={"background": "var(--gray-3)"},
    )


def hamburger_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(rx.icon("menu"), variant="ghost", size="3", aria_label="Menu"),
        ),
        rx.menu.content(
            *[rx.menu.item(label, on_click=rx.redirect(href)) for label, href, _ in NAV],
            rx.menu.item("Account & security", on_click=rx.redirect(routes.ACCOUNT)),
            rx.menu.separator(),
            rx.menu.item("Logout", on_click=ClientState.logout, color="red"),
        ),
    )


def account_switcher() -> rx.Component:
    return rx.cond(
        ClientState.record_options.length() > 1,
        rx.select.root(
            rx.select.trigger(aria_label="Switch account", placeholder="Choose account"),
            rx.select.content(
                rx.foreach(
                    ClientState.record_options,
                    lambda r: rx.select.item(r["name"], value=r["id"]),
                ),
            ),
            value=ClientState.selected_record,
            on_change=ClientState.switch_record,
        ),
    )


def notifications_bell() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.icon_button(rx.icon("bell"), variant="ghost", size="3", aria_label="Notifications"),
        ),
        rx.popover.content(
            rx.text("No new notifications.", size="2"),
        ),
    )


def header() -> rx.Component:
    return rx.hstack(
        hamburger_menu(),
        business_mark("4"),
        rx.spacer(),
        account_switcher(),
        notifications_bell(),
        rx.button("Logout", variant="soft", on_click=ClientState.logout,
                  display=["none", "none", "inline-flex"]),
        align="center",
        spacing="3",
        padding="0.6em 1em",
        border_bottom="1px solid var(--gray-5)",
        width="100%",
        background="var(--color-panel-solid)",
        position="sticky",
        top="0",
        z_index="10",
    )


def left_panel() -> rx.Component:
    return rx.vstack(
        *[nav_link(*item) for item in NAV],
        spacing="1",
        width="220px",
        padding="1em 0.5em",
        display=["none", "none", "flex"],
        aria_label="Main",
        role="navigation",
    )


def right_panel() -> rx.Component:
    return rx.vstack(
        rx.text("Quick actions", weight="bold", size="2", color="gray"),
        *[
            rx.link(
                rx.button(rx.icon(icon, size=16), label, variant="outline", width="100%",
                          justify="start", size="3", white_space="nowrap"),
                href=href,
                width="100%",
            )
            for label, href, icon in ACTIONS
        ],
        spacing="2",
        width="260px",
        padding="1em",
        display=["none", "none", "none", "flex"],
        role="complementary",
        aria_label="Quick actions",
    )


def client_shell(title: str, *children: rx.Component) -> rx.Component:
    return rx.box(
        rx.el.a("Skip to content", href="#main", class_name="skip-link"),
        header(),
        rx.hstack(
            left_panel(),
            rx.box(
                rx.vstack(
                    rx.text(ClientState.client_name, size="2", color="gray"),
                    rx.heading(title, size="7", as_="h1"),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                id="main",
                role="main",
                flex="1",
                padding="1.5em 1em",
                min_width="0",
            ),
            right_panel(),
            align="start",
            width="100%",
            spacing="0",
        ),
        min_height="100vh",
    )


def empty_state(icon: str, text: str) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=20, color="var(--gray-9)", aria_hidden="true"),
        rx.text(text, color="gray"),
        align="center",
        spacing="2",
    )


def dashboard_card(title: str, body: rx.Component, href: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="4", as_="h2"),
                rx.spacer(),
                rx.link("View all", href=href, size="2"),
                width="100%",
                align="center",
            ),
            body,
            spacing="3",
        ),
        width="100%",
    )
