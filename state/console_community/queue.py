"""Console → Community → Moderation (/console/community/moderation): two tabs,
"Waiting for approval" (held posts and comments, oldest first: approve, or reject
with a reason; tick several to approve at once) and "Reported" (reported text per
post or comment with its count and reasons, what the reports hid first: hide,
restore, remove, or dismiss the reports).

Every handler is a staff event; the service checks each target and refuses a
second decision on the same text. A decision reloads the group's open tabs and the
other console tabs after the commit, and the bells of the clients it notified. The
page reloads by itself when a client's text is held or reported (`_live_refresh`,
state/live_pages.py)."""

import reflex as rx

from portal_app import i18n, live, routes
from portal_app.services.community import moderation
from portal_app.services.community.moderation_queue import list_held, list_reported
from portal_app.services.community.post_views import post_html
from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings
from state.console_community.moderation_common import CommunityStaffState, author_text
from state.console_format import console_zone, when
from state.guards import staff_event
from state.selection import toggled

TABS = ("held", "reported")
STATUS_LABELS = {"published": "Published", "hidden": "Hidden", "held": "Waiting"}
DONE = {"approve": "Approved.", "hide": "Hidden.", "restore": "Restored.",
        "remove": "Removed.", "dismiss": "Reports dismissed."}


def _page(raw: object) -> int:
    try:
        return max(1, int(raw))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1


class CommunityQueueState(CommunityStaffState):
    tab: str = "held"
    held: list[dict[str, str]] = []
    reported: list[dict[str, str]] = []
    held_total: int = 0
    reported_total: int = 0
    held_page: int = 1
    held_pages: int = 1
    reported_page: int = 1
    reported_pages: int = 1
    selected: list[str] = []
    skipped: list[str] = []  # why the last bulk approval left some as they were
    reject_open: bool = False
    reject_error: str = ""
    _reject_targets: list[str] = []

    def _row(self, item, zone: str) -> dict[str, str]:
        is_post = item.kind == "post"
        words = " ".join((item.title if is_post else item.body).split())
        return {
            "target": item.target, "kind": item.kind,
            # What the buttons name for a screen reader ("Hide: the comment's first words").
            "name": words if len(words) <= 60 else words[:59].rstrip() + "…",
            "kind_label": self._tr("A post" if is_post else "A comment"),
            "context": f"{item.group_name} › {item.channel_name}",
            "link": routes.console_community_feed(item.group_id, item.channel_id),
            "on_post": "" if is_post else item.post_title,
            "title": item.title,
            "body_html": post_html(item.body) if is_post else "",
            "body_text": "" if is_post else item.body,
            "author": author_text(item.author_display, item.author_legal,
                                  item.author_is_staff, self._tr("staff")),
            "when": when(item.created_at, zone),
            "reason": self._tr(item.held_reason) if item.held_reason else "",
            "status": item.status,
            "status_label": self._tr(STATUS_LABELS.get(item.status, item.status)),
            "count": str(item.report_count),
            "reasons": " · ".join(item.reasons),
        }

    def _fill(self, session) -> None:
        zone = console_zone(session)
        held = list_held(session, page=self.held_page)
        reported = list_reported(session, page=self.reported_page)
        self.held = [self._row(i, zone) for i in held.items]
        self.reported = [self._row(i, zone) for i in reported.items]
        self.held_page, self.held_pages, self.held_total = held.page, held.pages, held.total
        self.reported_page, self.reported_pages, self.reported_total = (
            reported.page, reported.pages, reported.total)
        shown = {r["target"] for r in self.held}
        self.selected = [t for t in self.selected if t in shown]

    def _live_refresh(self) -> None:
        """Pushed from outside (a client's text was held or reported): reload the tabs."""
        self._as_staff(lambda s, c: self._fill(s))

    @staff_event
    def load(self, session, ctx):
        self.held_page = self.reported_page = 1
        self.selected, self.skipped = [], []
        self.reject_open = False
        self._fill(session)

    @rx.event
    def set_tab(self, value: str):
        self.tab = value if value in TABS else "held"

    @staff_event
    def go_to_held_page(self, session, ctx, page: int):
        self.held_page = _page(page)
        self._fill(session)

    @staff_event
    def go_to_reported_page(self, session, ctx, page: int):
        self.reported_page = _page(page)
        self._fill(session)

    @rx.event
    def toggle_row(self, target: str, checked: bool):
        """Tick or untick one held item (display only; approving checks each target)."""
        self.selected = toggled(self.selected, target, checked)

    @rx.event
    def toggle_page(self, checked: bool):
        self.selected = [r["target"] for r in self.held] if checked else []

    def _noted(self, decisions) -> None:
        for decision in decisions:
            self._group_changed(decision.group_id)
            self._client_changed(*decision.notified, about=live.COMMUNITY)

    def _decide(self, session, ctx, action: str, target: str):
        """One decision; a refusal (someone decided first) shows the queue as it is now."""
        try:
            decision = moderation.decide(session, staff_id=ctx.staff_id, action=action,
                                         target=target, base_url=get_settings().base_url)
        except ServiceError as exc:
            self._fill(session)
            return rx.toast.error(self._tr(exc.message))
        self._noted([decision])
        self.selected = [t for t in self.selected if t != decision.target]
        self._fill(session)
        return rx.toast.success(self._tr(DONE[action]))

    @staff_event
    def approve(self, session, ctx, target: str):
        return self._decide(session, ctx, "approve", target)

    @staff_event
    def hide(self, session, ctx, target: str):
        return self._decide(session, ctx, "hide", target)

    @staff_event
    def restore(self, session, ctx, target: str):
        return self._decide(session, ctx, "restore", target)

    @staff_event
    def remove(self, session, ctx, target: str):
        return self._decide(session, ctx, "remove", target)

    @staff_event
    def dismiss(self, session, ctx, target: str):
        return self._decide(session, ctx, "dismiss", target)

    @staff_event
    def approve_selected(self, session, ctx):
        """Approve every ticked item; the ones someone decided meanwhile are listed."""
        if not self.selected:
            return rx.toast.error(self._tr("Select at least one item."))
        decisions, skipped = moderation.decide_many(
            session, staff_id=ctx.staff_id, action="approve", targets=list(self.selected),
            base_url=get_settings().base_url)
        self._noted(decisions)
        self.skipped = [f"{target}: {self._tr(why)}" for target, why in skipped]
        self.selected = []
        self._fill(session)
        message = i18n.gettext(self._lang, "Approved: {count}.", count=len(decisions))
        return rx.toast.warning(message) if skipped else rx.toast.success(message)

    @rx.event
    def open_reject(self, target: str):
        """The reject dialog for one held item (display only)."""
        self._reject_targets = [str(target)]
        self.reject_error = ""
        self.reject_open = True

    @rx.event
    def open_reject_selected(self):
        if not self.selected:
            return rx.toast.error(self._tr("Select at least one item."))
        self._reject_targets = list(self.selected)
        self.reject_error = ""
        self.reject_open = True
        return None

    @rx.event
    def set_reject_open(self, value: bool):
        self.reject_open = bool(value)

    def _reject_refused(self, exc: ServiceError):
        if exc.field == "reason":
            self.reject_error = self._tr(exc.message)
            return None
        self.reject_open = False
        return rx.toast.error(self._tr(exc.message))

    @staff_event(on_error="_reject_refused")
    def reject(self, session, ctx, form: dict):
        """Reject the chosen held items with a reason (kept for the record)."""
        form = form if isinstance(form, dict) else {}
        done, why = moderation.decide_many(
            session, staff_id=ctx.staff_id, action="reject",
            targets=list(self._reject_targets), reason=form.get("reason", ""))
        skipped = [f"{target}: {self._tr(text)}" for target, text in why]
        self._noted(done)
        self.skipped, self.selected, self._reject_targets = skipped, [], []
        self.reject_open, self.reject_error = False, ""
        self._fill(session)
        message = i18n.gettext(self._lang, "Rejected: {count}.", count=len(done))
        return rx.toast.warning(message) if skipped else rx.toast.success(message)
