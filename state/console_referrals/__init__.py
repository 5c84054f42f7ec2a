"""Console → Referrals (issue 24): the referrers, the commissions and the program
(the payouts page has its own module)."""

from state.console_referrals.commissions import ConsoleCommissionsState
from state.console_referrals.program import ConsoleProgramState
from state.console_referrals.referrers import ConsoleReferrersState

__all__ = ["ConsoleCommissionsState", "ConsoleProgramState", "ConsoleReferrersState"]
