"""Console → Referrals pages (issue 24): one module per page."""
