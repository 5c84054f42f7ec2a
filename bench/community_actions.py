"""The Community app's actions (issue 23): the group page's feed, as the browser opens
it, and the names the storm measurement (bench/community_storm.py) uses.

The group page is the feed helper's (state/community/group_page.py); where it is not
on the branch yet, the action is left out and the run says so (COMMUNITY_MISSING),
as bench/actions.py does for the statements page.

What proves the feed was read: the page state's delta must carry the newest posts of
the quiet group's history (their titles start with bench/seed_community.py's
QUIET_TITLE), not an empty feed or a refusal.
"""

from __future__ import annotations

import importlib
import json

from bench.action_base import Action, _delta
from bench.seed_community import QUIET_GROUP_ID, QUIET_TITLE

# "module:Class" of the group page's state, its post handler and the route.
GROUP_STATE = "state.community.group_page:GroupPageState"
GROUP_ROUTE = "/community/group"


def _group_state() -> tuple[object | None, str]:
    """(the page state class, "") or (None, why the Community actions are left out)."""
    module, _, cls = GROUP_STATE.partition(":")
    try:
        state = getattr(importlib.import_module(module), cls)
    except ModuleNotFoundError as exc:
        if exc.name != module and not module.startswith(f"{exc.name}."):
            raise  # the page is there but broken: say so, do not skip it
        return None, f"open the group feed: {module} is not on this branch"
    except AttributeError:
        return None, f"open the group feed: {module} has no {cls}"
    return state, ""


GROUP_STATE_CLASS, COMMUNITY_MISSING = _group_state()
GROUP_STATE_NAME = GROUP_STATE_CLASS.get_full_name() if GROUP_STATE_CLASS else ""


def feed_text(updates: list[dict]) -> str:
    """The group page state's merged delta as JSON text (titles are searched in it)."""
    return json.dumps(_delta(updates, GROUP_STATE_NAME), ensure_ascii=False)


class OpenGroupFeed(Action):
    """Community → a group (the quiet group, its default channel: the feed): the access
    check, the channel list and the first page of the feed, newest first."""

    # CPU per event against the trivial event's, at the saturation point (issue 18:
    # the community feed may cost up to 5× the trivial event).
    cpu_target = 5.0
    page = True  # a page open (its CPU also against the page floor's)

    async def run(self, tab, client, seq):
        return await tab.navigate(GROUP_ROUTE, {"id": str(QUIET_GROUP_ID)})

    def check(self, updates, client):
        text = feed_text(updates)
        if QUIET_TITLE not in text:
            return f"quiet group feed not shown: {text[:200]}"
        return None


COMMUNITY_ACTIONS = ((OpenGroupFeed("group_feed", "open a community group feed", "portal"),)
                     if GROUP_STATE_CLASS else ())


# The composer on the group page: typing sets the title and text (on_change events),
# "Post" sends the upload handler to /_upload (no files picked), as the browser does.
POST_HANDLER = "submit_post"
