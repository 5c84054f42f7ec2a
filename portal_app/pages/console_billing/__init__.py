"""Console billing pages: /console/invoices (list) and /console/invoice (a draft's
form, or a sent document with its payments, refunds and staff actions)."""

from portal_app.pages.console_billing.editor import console_invoice_page
from portal_app.pages.console_billing.invoice_list import console_invoices_page

__all__ = ["console_invoice_page", "console_invoices_page"]
