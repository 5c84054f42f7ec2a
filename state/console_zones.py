"""The time zones a console form offers (the searchable zone picker's list)."""

import reflex as rx

from portal_app.services import timezones


class ZoneChoiceVars(rx.State, mixin=True):
    """`zone_options` for components/zone_picker.py, in the staff member's language."""

    zone_options: list[dict[str, str]] = []

    def _fill_zones(self) -> None:
        choices = timezones.zone_choices(self._lang)
        if choices != self.zone_options:  # ~420 rows: sent again only when they change
            self.zone_options = choices
