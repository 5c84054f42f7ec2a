"""The "Report to the business" dialog the group page and the post page share: its
vars, opening and closing it, a refusal shown in it, and who hears of a report (the
console's queue; every open tab of the group when enough reports hid the text). A
mixin: each page's own `submit_report` says what is reported."""

from __future__ import annotations

import reflex as rx

from portal_app import live
from portal_app.services.errors import ServiceError
from state.community.feed_common import push_written
from state.session import ClientState


class ReportDialog(ClientState, mixin=True):
    report_open: bool = False
    report_reason: str = ""
    report_error: str = ""

    def _open_report_dialog(self) -> None:
        self.report_reason, self.report_error, self.report_open = "", "", True

    @rx.event
    def set_report_open(self, value: bool):
        self.report_open = bool(value)

    def _report_refused(self, exc: ServiceError) -> None:
        self.report_error = self._tr(exc.message)

    def _reported(self, group_id: int, hidden: bool) -> None:
        """Close the dialog; the console's queue lists the report, and text the reports
        hid leaves every open tab of the group."""
        self.report_open, self.report_error = False, ""
        if hidden:
            push_written(group_id, self.router.session.client_token, staff=True)
        else:
            live.staff_changed(about=live.COMMUNITY)
