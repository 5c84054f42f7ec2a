"""The client page shell (seed 001): header with hamburger, account switcher,
notifications bell; left navigation; right panel of call-to-action buttons.

Every function takes the state class `S` whose vars it shows: ClientState for
the client, or the console's preview state for "View as client" (read-only).
What appears follows `S.access` (business features AND the client's
permissions) and `S.actions` (the business's buttons the client may use)."""

import reflex as rx

from components.app_switcher import app_switcher
from components.brand import business_mark
from components.current_page import current_marks, is_current
from components.i18n import t
from components.skip_link import skip_link
from portal_app import routes

# (label, route, icon, access key or "" for always)
NAV = [
    ("Dashboard", routes.DASHBOARD, "layout_dashboard", ""),
    ("Bookings", routes.BOOKINGS, "calendar", "bookings"),
    ("Payments", routes.PAYMENTS, "credit_card", "billing"),
    ("Documents", routes.DOCUMENTS, "file_text", "documents"),
    ("Forms", routes.FORMS, "clipboard_list", "forms"),  # shown once a form was sent
    ("Messages", routes.MESSAGES, "mail", "messaging"),
    ("Offers", routes.OFFERS, "gift", "offers"),  # shown while an offer is listed
]
ACTION_ROUTES = {"book": routes.BOOKINGS, "pay": routes.PAYMENTS + "?pay=1",
                 "upload": routes.DOCUMENTS + "?upload=1",
                 "message": routes.MESSAGES + "?new=1"}


def _allowed(S, key: str, component: rx.Component) -> rx.Component:
    if key == "forms":  # not a permission: the record has forms (the shell counts them)
        return rx.cond(S.forms_count > 0, component)
    if key == "offers":  # not a permission: an offer is listed (the shell checks)
        return rx.cond(S.offers_listed, component)
    return component if not key else rx.cond(S.access[key], component)


def nav_link(S, label: str, href: str, icon: str) -> rx.Component:
    extra = []
    if href == routes.MESSAGES:  # unread messages next to "Messages"
        extra = [rx.cond(S.unread_messages > 0,
                         rx.badge(S.unread_messages, color_scheme="red", variant="solid",
                                  radius="full", aria_label=S.unread_messages.to_string()
                                  + " " + t("unread")))]
    return rx.link(
        rx.hstack(rx.icon(icon, size=18, aria_hidden="true"), rx.text(t(label)), *extra,
                  align="center", spacing="3"),
        href=rx.cond(S.preview, "#", href),
        underline="none",
        padding="0.6em 0.8em",
        border_radius="6px",
        min_height="44px",
        display="flex",
        align_items="center",
        width="100%",
        _hover={"background": "var(--gray-3)"},
        **current_marks(is_current(href) & ~S.preview),
    )


def hamburger_menu(S) -> rx.Component:
    # Not modal: a menu button's menu closes on Tab and leaves the page alone (a modal
    # one hides the page from screen readers while focus can still reach it).
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(rx.icon("menu"), variant="ghost", size="3", aria_label=t("Menu")),
        ),
        rx.menu.content(
            *[_allowed(S, key, rx.menu.item(
                t(label), on_click=rx.redirect(href), disabled=S.preview,
                custom_attrs={"aria-current": rx.cond(is_current(href), "page", None)},
                font_weight=rx.cond(is_current(href), "600", "400")))
              for label, href, _, key in NAV],
            rx.menu.item(t("Profile"), on_click=rx.redirect(routes.PROFILE), disabled=S.preview),
            rx.menu.item(t("Account & security"), on_click=rx.redirect(routes.ACCOUNT),
                         disabled=S.preview),
            rx.menu.separator(),
            rx.menu.item(t("Logout"), on_click=S.logout, color_scheme="red", disabled=S.preview),
        ),
        modal=False,
    )


def account_switcher(S) -> rx.Component:
    return rx.cond(
        S.record_options.length() > 1,
        rx.select.root(
            # A long name is cut short (with "…") rather than pushing the header off
            # a phone's screen; the list shows it whole.
            rx.select.trigger(aria_label=t("Switch account"), placeholder=t("Choose account"),
                              max_width=rx.breakpoints(initial="38vw", sm="18em"),
                              min_width="0"),
            rx.select.content(
                rx.foreach(S.record_options, lambda r: rx.select.item(r["name"], value=r["id"])),
            ),
            value=S.selected_record,
            on_change=S.switch_record,
            disabled=S.preview,
        ),
    )


def bell_item(S, item) -> rx.Component:
    return rx.button(
        rx.cond(item["unread"] == "yes", rx.box(width="8px", height="8px", border_radius="50%",
                                                background="var(--accent-9)",
                                                aria_label=t("unread"), role="img")),
        rx.vstack(rx.text(item["title"], size="2", weight=rx.cond(item["unread"] == "yes",
                                                                 "bold", "regular")),
                  rx.text(item["when"], size="1", color="var(--gray-11)"), spacing="0",
                  align="start"),
        variant="ghost", width="100%", justify="start", height="auto", padding="0.4em",
        on_click=S.open_notification(item["id"]),
    )


def notifications_bell(S) -> rx.Component:
    label = rx.cond(S.bell_count > 0, t("Notifications") + ", " + S.bell_count.to_string() + " "
                    + t("unread"),
                    t("Notifications"))
    # The button itself is the popover's trigger, so it carries aria-expanded (with an
    # on_click of its own Reflex would wrap it in a div that gets it); the list loads
    # when the popover opens. The count sits over its corner and lets taps through.
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.icon_button(rx.icon("bell"), variant="ghost", size="3", aria_label=label),
            ),
            rx.popover.content(
                rx.vstack(
                    rx.hstack(rx.text(t("Notifications"), weight="bold"), rx.spacer(),
                              rx.cond(S.bell_count > 0,
                                      rx.button(t("Mark all read"), variant="ghost", size="1",
                                                on_click=S.mark_all_read)),
                              width="100%", align="center"),
                    rx.cond(S.bell_items.length() > 0,
                            rx.vstack(rx.foreach(S.bell_items, lambda i: bell_item(S, i)),
                                      spacing="1", width="100%"),
                            rx.text(t("No notifications yet."), size="2",
                                    color="var(--gray-11)")),
                    spacing="2", width="min(300px, calc(100vw - 3em))",
                ),
            ),
            on_open_change=S.open_bell,
        ),
        rx.cond(S.bell_count > 0,
                rx.badge(S.bell_count, color_scheme="red", variant="solid", radius="full",
                         position="absolute", top="-2px", right="-2px", aria_hidden="true",
                         pointer_events="none")),
        position="relative",
        flex_shrink="0",
    )


def header(S) -> rx.Component:
    return rx.hstack(
        hamburger_menu(S),
        # One line on a phone: a long name ends in "…" (its title holds it whole).
        rx.box(business_mark("4", one_line=True), min_width="0"),
        rx.spacer(),
        account_switcher(S),
        app_switcher(S),
        notifications_bell(S),
        rx.button(t("Logout"), variant="soft", on_click=S.logout, disabled=S.preview,
                  display=["none", "none", "inline-flex"]),
        align="center",
        spacing=rx.breakpoints(initial="2", sm="3"),
        padding="0.6em 1em",
        border_bottom="1px solid var(--gray-5)",
        width="100%",
        background="var(--color-panel-solid)",
        position="sticky",
        top="0",
        z_index="10",
        role="banner",
    )


def left_panel(S) -> rx.Component:
    return rx.vstack(
        *[_allowed(S, key, nav_link(S, label, href, icon)) for label, href, icon, key in NAV],
        spacing="1",
        width="220px",
        padding="1em 0.5em",
        display=["none", "none", "flex"],
        aria_label=t("Main"),
        role="navigation",
    )


def action_icon(key) -> rx.Component:
    # flex_shrink 0: beside a long label ("Book an appointment") the icon was squeezed.
    return rx.match(
        key,
        ("book", rx.icon("calendar_plus", size=16, flex_shrink="0")),
        ("pay", rx.icon("credit_card", size=16, flex_shrink="0")),
        ("upload", rx.icon("upload", size=16, flex_shrink="0")),
        rx.icon("send", size=16, flex_shrink="0"),
    )


def action_button(S, action) -> rx.Component:
    href = rx.match(action["key"], *[(k, v) for k, v in ACTION_ROUTES.items()], routes.DASHBOARD)
    return rx.link(
        # A longer label (Spanish, or the business's own) wraps; the icon keeps its size.
        rx.button(action_icon(action["key"]), action["label"], variant="outline", width="100%",
                  justify="start", size="3", white_space="normal", text_align="left",
                  height="auto", min_height="44px", padding_block="0.4em",
                  padding_inline="var(--space-3)", style={"& svg": {"flex_shrink": "0"}}),
        href=rx.cond(S.preview, "#", href),
        width="100%",
    )


def right_panel(S) -> rx.Component:
    return rx.vstack(
        rx.text(t("Quick actions"), weight="bold", size="2", color="var(--gray-11)"),
        rx.foreach(S.actions, lambda a: action_button(S, a)),
        spacing="2",
        width="260px",
        padding="1em",
        display=["none", "none", "none", "flex"],
        role="complementary",
        aria_label=t("Quick actions"),
    )


def quick_actions_button(S, shown=True) -> rx.Component:
    """Below the width that shows the right panel: the same actions behind a "+".
    `shown` (a bool Var) hides it where it would cover the page's own controls."""
    def item(action) -> rx.Component:
        href = rx.match(action["key"], *[(k, v) for k, v in ACTION_ROUTES.items()],
                        routes.DASHBOARD)
        return rx.menu.item(rx.hstack(action_icon(action["key"]), action["label"],
                                      align="center", spacing="2"),
                            on_click=rx.redirect(href), disabled=S.preview)

    has_actions = S.actions.length() > 0
    return rx.cond(
        has_actions if shown is True else has_actions & shown,
        rx.box(
            rx.menu.root(
                rx.menu.trigger(
                    rx.icon_button(rx.icon("plus", size=28), size="4", radius="full",
                                   aria_label=t("Quick actions"), box_shadow="var(--shadow-5)"),
                ),
                rx.menu.content(rx.foreach(S.actions, item), side="top", align="end",
                                size="2"),
                modal=False,
            ),
            position="fixed",
            bottom="1.25em",
            right="1.25em",
            z_index="20",
            display=["block", "block", "block", "none"],
            class_name="no-print",
        ),
    )


def client_shell(S, title: str, *children: rx.Component, quick_actions=True) -> rx.Component:
    """`quick_actions`: whether the floating "+" shows (a bool Var: a page hides it
    while a control of its own sits where the "+" floats)."""
    return rx.box(
        skip_link(t("Skip to content")),
        header(S),
        rx.hstack(
            left_panel(S),
            rx.box(
                rx.vstack(
                    # The name arrives with the first event: its line is held from the
                    # first paint, so the page below it does not jump down then.
                    rx.text(S.client_name, size="2", color="var(--gray-11)",
                            min_height="var(--line-height-2)"),
                    rx.heading(title, size="7", as_="h1"),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                id="main",
                role="main",
                tab_index=-1,  # the skip link moves focus here
                flex="1",
                padding_x="1em",
                padding_top="1.5em",
                # Room under the last card for the floating "+" on smaller screens.
                padding_bottom=["6em", "6em", "6em", "1.5em"],
                min_width="0",
            ),
            right_panel(S),
            align="start",
            width="100%",
            spacing="0",
        ),
        quick_actions_button(S, quick_actions),
        min_height="100vh",
    )


def empty_state(icon: str, text: str) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=20, color="var(--gray-9)", aria_hidden="true"),
        rx.text(text, color="var(--gray-11)"),
        align="center",
        spacing="2",
    )


def dashboard_card(title: str, body: rx.Component, href: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="4", as_="h2"),
                rx.spacer(),
                rx.link(t("View all"), href=href, size="2"),
                width="100%",
                align="center",
            ),
            body,
            spacing="3",
        ),
        width="100%",
    )


def upcoming_list(S) -> rx.Component:
    return rx.cond(
        S.upcoming.length() > 0,
        rx.vstack(rx.foreach(S.upcoming, lambda b: rx.vstack(
            rx.text(b["service"], weight="bold", size="2"),
            rx.text(b["when"], size="2", color="var(--gray-11)"),
            rx.cond(b["status"] == "pending", rx.badge(t("Pending approval"), color_scheme="amber")),
            spacing="0")), spacing="2"),
        empty_state("calendar", t("No upcoming appointments.")),
    )


def total_due_body(S) -> rx.Component:
    return rx.cond(
        S.total_due != "",
        rx.hstack(rx.text(S.total_due, size="7", weight="bold"),
                  rx.cond(S.access["pay"], rx.link(rx.button(t("Pay now"), variant="soft"),
                                                   href=routes.PAYMENTS)),
                  align="center", spacing="3", wrap="wrap"),
        empty_state("credit_card", t("Nothing to pay.")),
    )


def new_documents_body(S) -> rx.Component:
    return rx.cond(
        S.new_documents > 0,
        rx.hstack(rx.text(S.new_documents, size="7", weight="bold"),
                  rx.text(rx.cond(S.new_documents == 1, t("new document"), t("new documents"))),
                  align="baseline", spacing="2"),
        empty_state("file_text", t("No new documents.")),
    )


def dashboard_cards(S) -> rx.Component:
    return rx.grid(
        rx.cond(S.access["bookings"],
                dashboard_card(t("Upcoming appointments"), upcoming_list(S), routes.BOOKINGS)),
        rx.cond(S.access["billing"],
                dashboard_card(t("Total due"), total_due_body(S), routes.PAYMENTS)),
        rx.cond(S.access["documents"],
                dashboard_card(t("Shared documents"), new_documents_body(S),
                               routes.DOCUMENTS)),
        rx.cond(S.forms_open > 0,
                dashboard_card(t("Forms to complete") + " (" + S.forms_open.to_string() + ")",
                               rx.text(t("Fill them in here; your answers are saved as you "
                                         "type."), size="2"),
                               routes.FORMS)),
        columns=rx.breakpoints(initial="1", md="2", xl="3"),
        spacing="4",
        width="100%",
    )
