"""The client's Referrals app (issue 24): one page, /referrals."""
