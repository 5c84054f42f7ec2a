"""The clients list's filters fit their text: each select keeps a minimum width and
does not shrink in the crowded filter row ("Signed in or not" ran into its arrow)."""

import re

from portal_app.pages.console_clients import FILTER_SELECT, filters


def test_the_filter_selects_keep_room_for_their_text():
    assert FILTER_SELECT["flex_shrink"] == "0" and FILTER_SELECT["min_width"]
    compiled = str(filters())
    assert len(re.findall(r'minWidth\W+11\.5em', compiled)) == 2, compiled
    assert len(re.findall(r'flexShrink\W+0"', compiled)) == 2
