"""Console → Referrals (issue 24): one state module per page."""
