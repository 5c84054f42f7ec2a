"""The "Pay online" link of an invoice (its page in the portal, which shows Pay Now),
put on the invoice's PDF and email only while it can be paid there."""

from __future__ import annotations

from models import Business, Client, Invoice, InvoiceKind, InvoiceStatus
from portal_app import routes
from portal_app.services.permissions import client_permissions, effective_access


def pay_online_url(invoice: Invoice, client: Client | None, business: Business,
                   base_url: str) -> str:
    """The invoice page's address while the invoice is open with a balance and its
    client may pay online; "" for an estimate, a paid or void invoice, or no base URL."""
    if (invoice.kind != InvoiceKind.INVOICE or invoice.status not in InvoiceStatus.OPEN
            or invoice.balance_minor <= 0 or client is None or not base_url):
        return ""
    if not effective_access(business, client_permissions(client)).pay:
        return ""
    return f"{base_url.rstrip('/')}{routes.invoice_page(invoice.id)}"
