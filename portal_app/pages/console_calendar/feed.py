"""The "Calendar feed" panel: subscribe to your own bookings from a calendar app."""

import reflex as rx

from components.console_bits import section
from components.i18n import t
from state.console_calendar import CalendarFeedState


def feed_panel() -> rx.Component:
    F = CalendarFeedState
    return section(
        t("Calendar feed"),
        rx.text(t("Subscribe to your own bookings from a phone or desktop calendar. The "
                  "address is secret: anyone who has it can read your bookings."),
                size="2", color="var(--gray-11)"),
        rx.cond(
            F.feed_url != "",
            rx.vstack(
                rx.el.label(t("Your feed URL (shown once: copy it now)"),
                            html_for="calendar-feed-url", style={"font_weight": "500"}),
                rx.hstack(
                    rx.input(id="calendar-feed-url", value=F.feed_url, read_only=True,
                             width="100%"),
                    rx.button(rx.icon("copy", size=16), t("Copy"), type="button",
                              on_click=[rx.set_clipboard(F.feed_url), F.copied]),
                    width="100%", spacing="2"),
                spacing="1", width="100%"),
            rx.cond(F.has_feed,
                    rx.text(t("Your feed is active. Its URL was shown when you made it; make "
                              "a new one to see it again (the old one stops working)."),
                            size="2")),
        ),
        rx.cond(F.has_feed, rx.hstack(
            rx.el.input(type="checkbox", id="feed-names", checked=F.include_names,
                        on_change=F.set_include_names,
                        style={"width": "18px", "height": "18px"}),
            rx.el.label(t("Show client names in the feed"), html_for="feed-names"),
            align="center", spacing="2", min_height="32px")),
        rx.hstack(
            rx.button(rx.cond(F.has_feed, t("Make a new feed URL"), t("Create feed URL")),
                      type="button", on_click=F.make_feed),
            rx.cond(F.has_feed, rx.button(t("Revoke feed"), type="button", variant="soft",
                                          color_scheme="red", on_click=F.revoke_feed)),
            spacing="2", wrap="wrap"),
    )
