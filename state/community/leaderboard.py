"""/community/leaderboard?id=: a group's weekly and all-time leaderboards, the viewer's
points, level and the next level; "Points are off in this group" when the group has
no gamification. Members only: the group id from the URL goes through
access.member_context (services/community/leaderboard.py page_view)."""

from __future__ import annotations

import reflex as rx

from portal_app import apps, routes
from portal_app.i18n import formats, gettext
from portal_app.services.community import leaderboard
from portal_app.services.errors import NotAllowed, NotFound
from state.guards import client_event
from state.session import ClientState

SOMEONE = "A member"
POINTS = "Points: {count}"
NEXT = "Points to the next level ({level}): {count}"
TOP_LEVEL = "You reached the top level."
NO_LEVEL = "No level yet"
MY_RANK = "Your rank: {rank}"
NO_RANK = "You have no points in this period yet."


class LeaderboardState(ClientState):
    group_name: str = ""
    group_href: str = ""
    missing: bool = False
    gamification: bool = False
    my_points: str = ""
    my_level: str = ""
    next_text: str = ""
    week_rows: list[dict[str, str]] = []
    all_rows: list[dict[str, str]] = []
    week_rank: str = ""
    all_rank: str = ""

    def _clear(self) -> None:
        self.group_name = self.group_href = ""
        self.my_points = self.my_level = self.next_text = self.week_rank = self.all_rank = ""
        self.week_rows, self.all_rows = [], []
        self.gamification = self.missing = False

    def _rows(self, board: leaderboard.Board) -> list[dict[str, str]]:
        lang = self._lang
        return [{"rank": formats.number(r.rank, lang),
                 "name": r.name or gettext(lang, SOMEONE),
                 "points": formats.number(r.points, lang), "level": r.level,
                 "me": "yes" if r.me else ""} for r in board.rows]

    def _rank(self, board: leaderboard.Board) -> str:
        if board.my_rank is None:
            return gettext(self._lang, NO_RANK)
        return gettext(self._lang, MY_RANK, rank=formats.number(board.my_rank, self._lang))

    @client_event(app=apps.COMMUNITY, page=True)
    def load(self, session, ctx):
        """on_load: the boards of the group in the URL (?id=), for its members only."""
        self._clear()
        group_id = self.router.url.query_parameters.get("id", "")
        try:
            view = leaderboard.page_view(session, client_id=ctx.client_id, group_id=group_id)
        except (NotFound, NotAllowed) as exc:
            self.missing = True
            return rx.toast.error(self._tr(exc.message))
        lang = self._lang
        self.group_name = view.group.name
        self.group_href = routes.community_group(view.group.id)
        self.gamification = view.gamification
        if not view.gamification:
            return None
        mine = view.standing
        self.my_points = gettext(lang, POINTS, count=formats.number(mine.points, lang))
        self.my_level = mine.level or gettext(lang, NO_LEVEL)
        self.next_text = (gettext(lang, NEXT, level=mine.next_level,
                                  count=formats.number(mine.to_next, lang))
                          if mine.next_level else gettext(lang, TOP_LEVEL))
        self.week_rows, self.all_rows = self._rows(view.week), self._rows(view.all_time)
        self.week_rank, self.all_rank = self._rank(view.week), self._rank(view.all_time)
        return None
