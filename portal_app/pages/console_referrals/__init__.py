"""Console → Referrals (issue 24): referrers, commissions and the program (the
payouts page is its own module)."""

from portal_app.pages.console_referrals.commissions_page import console_commissions_page
from portal_app.pages.console_referrals.program_page import console_program_page
from portal_app.pages.console_referrals.referrers_page import console_referrers_page

__all__ = ["console_commissions_page", "console_program_page", "console_referrers_page"]
