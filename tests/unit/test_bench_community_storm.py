"""The storm measurement's bookkeeping: when a tab counts as showing a post."""

from bench import community_actions, community_watch
from bench.community_report import markdown


class _Tab:
    def __init__(self, index):
        self.index = index


def _update(posts):
    return {"delta": {community_actions.GROUP_STATE_NAME: {"posts_rx_state_": posts}}}


def test_post_counts_as_shown_when_a_later_post_is_shown(monkeypatch):
    monkeypatch.setattr(community_actions, "GROUP_STATE_NAME", "state.group_page_state")
    seen = community_watch.Seen()
    seen(_Tab(0), _update([{"id": 2001, "title": "Storm post SX1x0x"}]))
    assert seen.when("SX1x0x", 0) is not None
    assert seen.when("SX1x0x", 1) is None
    # Tab 1's first page holds only newer posts (the storm pushed this one off it).
    seen(_Tab(1), _update([{"id": 2030, "title": "Storm post SX1x7x"}]))
    assert seen.when("SX1x0x", 1) is not None
    assert seen.when("SX1x9x", 1) is None  # never shown anywhere: its id is unknown


def test_post_not_shown_when_the_tab_only_saw_older_posts(monkeypatch):
    monkeypatch.setattr(community_actions, "GROUP_STATE_NAME", "state.group_page_state")
    seen = community_watch.Seen()
    seen(_Tab(0), _update([{"id": 2050, "title": "Storm post SX2x3x"}]))
    seen(_Tab(1), _update([{"id": 2049, "title": "Storm post SX2x4x"}]))
    assert seen.when("SX2x3x", 1) is None


def test_report_says_why_when_the_storm_was_skipped():
    lines = markdown({"skipped": "open the group feed: not on this branch"})
    assert any("Not measured: open the group feed" in line for line in lines)
