"""The hub's apps (seed 002): one registry that the app switcher, the route table,
the navigation and the server checks read. Adding an app touches this list, not
the shell.

`needs_grant`: the app shows only to a client holding an active grant to it (to
the app itself or to any of its content, e.g. one course), unless the business opened it to every client (`Business.apps_open`,
the referral program's "any client may join"). `profile_fields`: the
client-record fields the app asks for, once, before it first opens
(services/hub/profile_completion.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal_app import routes


@dataclass(frozen=True)
class AppSpec:
    key: str
    label: str  # English; the UI translates it
    icon: str  # a lucide icon name
    route: str  # where the app opens
    needs_grant: bool
    profile_fields: tuple[str, ...] = ()


PORTAL = "portal"
COURSES = "courses"
REFERRALS = "referrals"
COMMUNITY = "community"

APPS: tuple[AppSpec, ...] = (
    AppSpec(PORTAL, "Portal", "layout_dashboard", routes.DASHBOARD, needs_grant=False),
    AppSpec(COURSES, "Courses", "graduation_cap", routes.COURSES, needs_grant=True),
    AppSpec(REFERRALS, "Referrals", "gift", routes.REFERRALS, needs_grant=True,
            profile_fields=("payout_details",)),
    AppSpec(COMMUNITY, "Community", "users", routes.COMMUNITY, needs_grant=True,
            profile_fields=("display_name",)),
)
APP_KEYS = tuple(a.key for a in APPS)
# Apps the business may turn on or off (the portal's own sections are always there).
OPTIONAL_APP_KEYS = tuple(a.key for a in APPS if a.key != PORTAL)


def get_app(key: str) -> AppSpec | None:
    return next((a for a in APPS if a.key == key), None)
