"""The Courses app's actions: the lesson page, and the video player's progress
report (`LessonPageState.report_progress`), as the browser sends them.

The server keeps a report only when it is plausible: the position may run ahead
of the furthest point kept so far by at most twice the wall-clock time since the
last report plus 5 s (services/courses/progress.py), and the duration must agree
with the one reported before. The simulated player reports every time a
position 1–4 s past the last one it sent (about the wall time since that report,
at least a second so that every report moves the furthest point and writes it,
as a playing video's report does): always within the 5 s margin, so a closed
loop of reports many times a second is as plausible as one every ten seconds.
The duration is always the same (bench/seed_courses.py's VIDEO_SECONDS).

What proves the reports are kept: each answer's `watched_pct` must be the
percentage of the position sent; and every page load of the lesson (the untimed
`prepare`, before each measured window) reads back the furthest point the server
kept (the player's `#t=` start) — short of what this client sent means reports
were refused, and the next check says so.
"""

from __future__ import annotations

import re
import time
from typing import ClassVar

from bench.action_base import Action, _delta
from bench.seed import BenchClient
from bench.seed_courses import TEXT_LESSON_TITLE, VIDEO_SECONDS
from bench.tab import Tab, sets


def _lesson_state() -> str:
    from state.courses.lesson_page import LessonPageState

    return LessonPageState.get_full_name()


LESSON_STATE = _lesson_state()
LESSON_ROUTE = "/courses/lesson"
START = re.compile(r"#t=(\d+)$")


class OpenLesson(Action):
    """Courses → a lesson (the text lesson): the access check, the course's drip
    states and the student's progress, and "where you left off" written."""

    page = True  # a page open (its CPU also against the page floor's)

    async def run(self, tab, client, seq):
        return await tab.navigate(LESSON_ROUTE, {"id": str(client.lesson_id)})

    def check(self, updates, client):
        page = _delta(updates, LESSON_STATE)
        title, status = page.get("title_rx_state_"), page.get("status_rx_state_")
        if title != TEXT_LESSON_TITLE or status not in ("open", "complete"):
            return f"lesson {client.lesson_id} not shown (status {status!r}, title {title!r})"
        return None


class ReportProgress(Action):
    """One report of the video player on the video lesson's page."""

    # Per (server port, client): the furthest position sent and when; and what a
    # page load found wrong, for the next check to report.
    sent: ClassVar[dict[tuple[int, int], tuple[int, float]]] = {}
    problems: ClassVar[dict[tuple[int, int], str]] = {}

    async def prepare(self, tab: Tab, client: BenchClient) -> None:
        key = (tab.port, client.client_id)
        updates = await tab.navigate(LESSON_ROUTE, {"id": str(client.video_lesson_id)})
        # (an unchanged page sends nothing again: what the tab holds)
        url = _delta([{"delta": tab.view}, *updates], LESSON_STATE).get("media_url_rx_state_", "")
        match = START.search(url or "")
        kept = int(match.group(1)) if match else 0
        position, _at = self.sent.get(key, (0, 0.0))
        if kept < position:
            self.problems[key] = f"the server kept {kept} s of the {position} s reported"
        self.sent[key] = (kept, 0.0)

    async def run(self, tab, client, seq):
        key = (tab.port, client.client_id)
        position, at = self.sent.get(key, (0, 0.0))
        now = time.perf_counter()
        step = 1 if not at else min(4, max(1, round(now - at)))
        position += step
        updates = await tab.event(f"{LESSON_STATE}.report_progress",
                                  {"form": {"position": position, "duration": VIDEO_SECONDS}},
                                  done=sets(LESSON_STATE, "watched_pct"))
        self.sent[key] = (position, now)
        return [*updates, {"reported": position, "port": tab.port}]

    def check(self, updates, client):
        sent = next((u for u in updates if "reported" in u), None)
        if sent is None:
            return "no report sent"
        problem = self.problems.pop((sent["port"], client.client_id), None)
        if problem:
            return problem
        pct = _delta(updates, LESSON_STATE).get("watched_pct_rx_state_")
        want = min(100, 100 * sent["reported"] // VIDEO_SECONDS)
        return None if pct == want else f"watched {pct}% after reporting {sent['reported']} s"
