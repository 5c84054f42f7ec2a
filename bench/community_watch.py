"""The storm's simulated tabs (bench/community_storm.py): a tab that sees every update,
and the record of when each tab's feed showed each marked post."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import community_actions as CA
from bench.tab import Tab

MARK = re.compile(r"[SQ]X\d+x\d+x")  # the storm's ("S") and the quiet group's ("Q") posts


@dataclass
class WatchTab(Tab):
    """A tab that hands every update to `watcher`: a storm tab sees other members'
    posts arrive in updates of no event of its own (the live refresh)."""

    watcher: Callable[[WatchTab, dict], None] | None = None
    index: int = 0

    def _on_update(self, update: dict, size: int) -> None:
        if self.watcher is not None:
            self.watcher(self, update)
        super()._on_update(update, size)


@dataclass
class Seen:
    """What each tab's feed showed and when. A page shows the newest posts only, so a
    tab refreshed after a storm of 50 shows the last 20: a post counts as shown in a
    tab once that tab's feed shows it or any post written after it (a larger id:
    SQLite writes one transaction at a time, so ids follow the commits)."""

    direct: dict[tuple[str, int], float] = field(default_factory=dict)
    marker_id: dict[str, int] = field(default_factory=dict)
    timeline: dict[int, list[tuple[float, int]]] = field(default_factory=dict)
    updates: int = 0
    feeds_pushed: int = 0  # websocket updates carrying a whole feed (live refreshes)
    pushed_to: dict[int, int] = field(default_factory=dict)  # the same, per tab

    def __call__(self, tab: WatchTab, update: dict) -> None:
        """An update on the tab's websocket (its own events' and the live pushes')."""
        if update.get("delta", {}).get(CA.GROUP_STATE_NAME, {}).get("posts_rx_state_"):
            self.feeds_pushed += 1
            self.pushed_to[tab.index] = self.pushed_to.get(tab.index, 0) + 1
        self.record(tab, update)

    def record(self, tab: WatchTab, update: dict) -> None:
        delta = update.get("delta", {}).get(CA.GROUP_STATE_NAME)
        if not delta:
            return
        self.updates += 1
        now = time.perf_counter()
        top = 0
        for value in delta.values():
            if not isinstance(value, list):
                continue
            for item in value:
                if not isinstance(item, dict):
                    continue
                pid = item.get("id")
                # The page's rows are dict[str, str]: the id arrives as text.
                pid = int(pid) if isinstance(pid, str) and pid.isdigit() else pid
                text = json.dumps(item, ensure_ascii=False)
                for marker in MARK.findall(text):
                    self.direct.setdefault((marker, tab.index), now)
                    if isinstance(pid, int):
                        self.marker_id.setdefault(marker, pid)
                if isinstance(pid, int) and pid > top:
                    top = pid
        if top:
            line = self.timeline.setdefault(tab.index, [])
            if not line or top > line[-1][1]:
                line.append((now, top))

    def when(self, marker: str, tab_index: int) -> float | None:
        """When `tab_index` first showed the post `marker` (or one after it)."""
        times = [self.direct[(marker, tab_index)]] if (marker, tab_index) in self.direct else []
        pid = self.marker_id.get(marker)
        if pid is not None:
            times += [t for t, top in self.timeline.get(tab_index, ()) if top >= pid][:1]
        return min(times) if times else None


def shows(marker: str) -> Callable[[dict], bool]:
    def check(update: dict) -> bool:
        delta = update.get("delta", {}).get(CA.GROUP_STATE_NAME)
        return bool(delta) and marker in json.dumps(delta, ensure_ascii=False)

    return check
