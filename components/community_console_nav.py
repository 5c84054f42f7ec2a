"""The console's Community section: its pages' links (Groups, Moderation)."""

from components.section_nav import section_nav
from portal_app import routes

PAGES = [
    ("Groups", routes.CONSOLE_COMMUNITY),
    ("Moderation", routes.CONSOLE_COMMUNITY_QUEUE),
]


def community_console_nav():
    return section_nav(PAGES, "Community pages")
