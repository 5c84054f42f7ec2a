"""The staff console shell: navigation for the console's sections."""

import reflex as rx

from components.brand import business_mark
from components.console_search import console_search
from components.current_page import current_marks, is_current
from components.i18n import language_select, t
from components.skip_link import skip_link
from portal_app import routes
from state.staff_session import StaffState

# A section's other pages (one client, one invoice) mark it as current too.
ALSO_CURRENT = {routes.CONSOLE_CLIENTS: (routes.CONSOLE_CLIENT,),
                routes.CONSOLE_INVOICES: (routes.CONSOLE_INVOICE,),
                routes.CONSOLE_COURSES: (routes.CONSOLE_COURSE, routes.CONSOLE_COURSE_PROGRESS),
                routes.CONSOLE_REFERRALS: (routes.CONSOLE_REFERRAL_COMMISSIONS,
                                           routes.CONSOLE_REFERRAL_PAYOUTS,
                                           routes.CONSOLE_REFERRAL_PROGRAM),
                routes.CONSOLE_COMMUNITY: (routes.CONSOLE_COMMUNITY_GROUP,
                                           routes.CONSOLE_COMMUNITY_QUEUE,
                                           routes.CONSOLE_COMMUNITY_LEVELS)}

SECTIONS = [
    ("Home", routes.CONSOLE, "house"),
    ("Clients", routes.CONSOLE_CLIENTS, "users"),
    ("Calendar", routes.CONSOLE_CALENDAR, "calendar-days"),
    ("Bookings", routes.CONSOLE_BOOKINGS, "calendar"),
    ("Invoices", routes.CONSOLE_INVOICES, "receipt"),
    ("Messages", routes.CONSOLE_MESSAGES, "mail"),
    ("Forms", routes.CONSOLE_FORMS, "clipboard_list"),
    ("Offers", routes.CONSOLE_OFFERS, "gift"),
    ("Courses", routes.CONSOLE_COURSES, "graduation-cap"),
    ("Referrals", routes.CONSOLE_REFERRALS, "hand-coins"),
    ("Community", routes.CONSOLE_COMMUNITY, "messages-square"),
    ("Services", routes.CONSOLE_SERVICES, "briefcase"),
    ("Availability", routes.CONSOLE_AVAILABILITY, "clock"),
    ("Portal settings", routes.CONSOLE_SETTINGS, "settings"),
]


def _unread_badge(href: str) -> list[rx.Component]:
    """Unread client messages next to "Messages"."""
    if href != routes.CONSOLE_MESSAGES:
        return []
    return [rx.cond(StaffState.staff_unread > 0,
                    rx.badge(StaffState.staff_unread, color_scheme="red", variant="solid",
                             radius="full",
                             aria_label=StaffState.staff_unread.to_string() + t(" unread")))]


def _current(href: str):
    if href == routes.CONSOLE:  # Home: only the console's first page itself
        return is_current(href, exact=True)
    return is_current(href, *ALSO_CURRENT.get(href, ()))


def console_shell(title, *children: rx.Component) -> rx.Component:
    return rx.box(
        skip_link(t("Skip to content")),
        rx.hstack(
            business_mark("4"),
            rx.badge(t("Console"), variant="soft"),
            rx.spacer(),
            console_search(),
            # A set width on a phone (where the header wraps): the name arrives after the
            # first paint and must not rewrap the header and push the page down.
            rx.text(StaffState.staff_name, size="2", title=StaffState.staff_name,
                    width=rx.breakpoints(initial="9em", md="auto"), white_space="nowrap",
                    overflow="hidden", text_overflow="ellipsis"),
            language_select(StaffState.choose_console_language),
            rx.button(t("Sign out"), variant="soft", on_click=StaffState.staff_logout),
            align="center",
            wrap="wrap",
            padding="0.6em 1em",
            border_bottom="1px solid var(--gray-5)",
            width="100%",
        ),
        rx.hstack(
            rx.vstack(
                *[
                    rx.link(rx.hstack(rx.icon(icon, size=18), rx.text(t(label)),
                                      *_unread_badge(href), spacing="3", align="center"),
                            href=href, underline="none", padding="0.5em 0.8em",
                            border_radius="6px", width="100%", _hover={"background": "var(--gray-3)"},
                            **current_marks(_current(href)))
                    for label, href, icon in SECTIONS
                ],
                width="200px",
                padding="1em 0.5em",
                role="navigation",
                aria_label=t("Console"),
                display=["none", "none", "flex"],
            ),
            rx.box(
                rx.vstack(rx.heading(title, size="7", as_="h1"), *children, spacing="4",
                          width="100%"),
                id="main",
                role="main",
                tab_index=-1,  # the skip link moves focus here
                flex="1",
                padding="1.5em 1em",
                min_width="0",
            ),
            align="start",
            width="100%",
        ),
        min_height="100vh",
    )
