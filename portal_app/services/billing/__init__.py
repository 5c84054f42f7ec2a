"""Invoices, estimates, payments, refunds and their documents."""
