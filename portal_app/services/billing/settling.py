"""An invoice's status from what was paid toward it."""

from __future__ import annotations

from models import Invoice, InvoiceKind, InvoiceStatus
from models.base import utcnow


def settle(invoice: Invoice) -> None:
    """Status from what was paid; a void invoice stays void."""
    if invoice.status == InvoiceStatus.VOID or invoice.kind != InvoiceKind.INVOICE:
        return
    if invoice.paid_minor >= invoice.total_minor and invoice.total_minor > 0:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = invoice.paid_at or utcnow()
    else:
        invoice.status = (InvoiceStatus.PARTIALLY_PAID if invoice.paid_minor > 0
                          else InvoiceStatus.SENT)
        invoice.paid_at = None
    invoice.updated_at = utcnow()
