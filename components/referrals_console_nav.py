"""The console's Referrals section: its four pages' links (Referrers, Commissions,
Payouts, Program)."""

from components.section_nav import section_nav
from portal_app import routes

PAGES = [
    ("Referrers", routes.CONSOLE_REFERRALS),
    ("Commissions", routes.CONSOLE_REFERRAL_COMMISSIONS),
    ("Payouts", routes.CONSOLE_REFERRAL_PAYOUTS),
    ("Program", routes.CONSOLE_REFERRAL_PROGRAM),
]


def referrals_console_nav():
    return section_nav(PAGES, "Referrals pages")
