"""The time zones a form offers (the searchable zone list of the console's forms
and of the client's profile)."""

import reflex as rx

from portal_app.services import timezones


class ZoneChoiceVars(rx.State, mixin=True):
    """`zone_options` for a zone list, in the reader's language (`_lang`)."""

    zone_options: list[dict[str, str]] = []

    def _fill_zones(self) -> None:
        choices = timezones.zone_choices(self._lang)
        if choices != self.zone_options:  # ~420 rows: sent again only when they change
            self.zone_options = choices
