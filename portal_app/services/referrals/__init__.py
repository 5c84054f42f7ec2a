"""Referrals (issue 24): the program, referrers, attribution, commissions, payouts."""
