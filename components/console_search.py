"""The console header's search box: a combobox over a list of grouped results."""

import reflex as rx

from components.i18n import t
from state.console_search import ConsoleSearchState as S

LIST_ID = "console-search-results"


def _hit(hit, index) -> rx.Component:
    active = index == S.search_active
    return rx.fragment(
        rx.cond(hit["first"] == "yes",
                rx.text(hit["group"], size="1", weight="bold", color="var(--gray-11)",
                        padding="0.5em 0.75em 0.1em", aria_hidden="true")),
        rx.link(
            rx.vstack(rx.text(hit["title"], size="2", weight="medium"),
                      rx.cond(hit["detail"] != "",
                              rx.text(hit["detail"], size="1", color="var(--gray-11)")),
                      spacing="0"),
            rx.el.span(hit["group"], class_name="visually-hidden",
                       style={"position": "absolute", "width": "1px", "height": "1px",
                              "overflow": "hidden", "clip": "rect(0 0 0 0)"}),
            href=hit["url"], id=hit["id"], role="option",
            aria_selected=rx.cond(active, "true", "false"),
            underline="none", display="block", padding="0.35em 0.75em",
            background=rx.cond(active, "var(--accent-4)", "transparent"),
            _hover={"background": "var(--gray-3)"},
            on_click=S.close_search,
        ),
    )


def console_search() -> rx.Component:
    """Finds clients, invoices, bookings and conversations; arrows and Enter work."""
    open_ = S.search_hits.length() > 0
    return rx.box(
        rx.el.input(
            type="search", placeholder=t("Search clients, invoices, bookings…"),
            aria_label=t("Search the console"), role="combobox",
            aria_autocomplete="list", aria_controls=LIST_ID,
            aria_expanded=rx.cond(open_, "true", "false"),
            aria_activedescendant=rx.cond(S.search_active >= 0,
                                          "search-hit-" + S.search_active.to_string(), ""),
            auto_complete="off",
            on_change=S.search,
            on_key_down=S.search_key,
            style={"width": "100%", "min_height": "36px", "padding": "0.35em 0.6em",
                   "border": "1px solid var(--gray-7)", "border_radius": "6px",
                   "background": "var(--color-background)", "color": "inherit"},
        ),
        rx.cond(
            open_,
            rx.box(rx.foreach(S.search_hits, _hit),
                   id=LIST_ID, role="listbox", aria_label=t("Search results"),
                   position="absolute", top="100%", left="0", right="0", z_index="50",
                   margin_top="4px", background="var(--color-panel-solid)",
                   border="1px solid var(--gray-6)", border_radius="8px",
                   box_shadow="var(--shadow-4)", max_height="70vh", overflow_y="auto",
                   padding="0.25em 0"),
        ),
        position="relative",
        width=["100%", "18em", "24em"],
    )
