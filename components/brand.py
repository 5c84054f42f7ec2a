"""Branding bits: the business mark and contact line."""

import reflex as rx

from state.brand import BrandState


def business_mark(size: str = "5", *, one_line: bool = False) -> rx.Component:
    """`one_line`: a long name ends in "…" rather than wrapping (the whole name is
    the title; the text stays whole for screen readers)."""
    fit = ({"white_space": "nowrap", "overflow": "hidden", "text_overflow": "ellipsis",
            "min_width": "0", "title": BrandState.business_name} if one_line else {})
    # Hidden until the branding loads, so the placeholder name never flashes.
    return rx.hstack(
        rx.cond(
            BrandState.logo_url != "",
            rx.image(src=BrandState.logo_url, alt="", height="28px", max_width="120px",
                     object_fit="contain", flex_shrink="0"),
            rx.box(width="14px", height="14px", border_radius="4px",
                   background=BrandState.accent, aria_hidden="true", flex_shrink="0"),
        ),
        rx.text(BrandState.business_name, size=size, weight="bold", **fit),
        align="center",
        spacing="2",
        min_width="0" if one_line else "auto",
        visibility=rx.cond(BrandState.loaded, "visible", "hidden"),
    )


def contact_line() -> rx.Component:
    return rx.vstack(
        rx.cond(BrandState.contact_email != "", rx.text(BrandState.contact_email, size="2")),
        rx.cond(BrandState.contact_phone != "", rx.text(BrandState.contact_phone, size="2")),
        rx.cond(BrandState.address != "", rx.text(BrandState.address, size="2")),
        spacing="0",
        color="var(--gray-11)",
    )
