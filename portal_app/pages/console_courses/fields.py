"""Form pieces of the course editor: the drip rule fields (a module's or a
lesson's), each with its message beside it."""

import reflex as rx

from components.i18n import t
from components.superbill_fields import LABEL_STYLE, SELECT_STYLE, checked_field, field_message


def drip_fields(form, errors, choices, *, prefix: str, kind, on_kind) -> rx.Component:
    """When it unlocks: at once, N days after enrolling, on a date, or after a lesson
    (`kind` is the chosen rule, kept by `on_kind`: only its own field is shown)."""
    after_id, after_err = f"{prefix}-drip_after", f"{prefix}-err-drip_after"
    kind_id, kind_err = f"{prefix}-drip_kind", f"{prefix}-err-drip_kind"
    return rx.vstack(
        rx.el.label(t("Unlocks"), html_for=kind_id, style=LABEL_STYLE),
        rx.el.select(
            rx.el.option(t("At once"), value="none"),
            rx.el.option(t("A number of days after enrolling"), value="days"),
            rx.el.option(t("On a date"), value="date"),
            rx.el.option(t("After another lesson is complete"), value="after"),
            id=kind_id, name="drip_kind", default_value=form["drip_kind"], on_change=on_kind,
            aria_describedby=kind_err, style=SELECT_STYLE),
        field_message(errors.get("drip_kind", ""), kind_err),
        rx.cond(kind == "days", checked_field(
            t("Days after enrolling (1–365)"), "drip_days", errors, prefix=prefix,
            type="number", default_value=form["drip_days"], min="1", max="365")),
        rx.cond(kind == "date", checked_field(t("Date"), "drip_date", errors, prefix=prefix,
                                              type="date", default_value=form["drip_date"])),
        rx.cond(kind == "after", rx.vstack(
            rx.el.label(t("Lesson to complete first"), html_for=after_id, style=LABEL_STYLE),
            rx.el.select(
                rx.el.option(t("(none)"), value=""),
                rx.foreach(choices, lambda c: rx.el.option(c["title"], value=c["id"])),
                id=after_id, name="drip_after", default_value=form["drip_after"],
                aria_describedby=after_err, style=SELECT_STYLE),
            field_message(errors.get("drip_after", ""), after_err),
            spacing="1", width="100%")),
        rx.text(t("Day-based unlocks happen at the course's unlock hour in each student's own "
                  "time zone."), size="1", color="var(--gray-11)"),
        spacing="1", width="100%",
    )
