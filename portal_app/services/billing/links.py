"""The "Pay online" link of an invoice (its page in the portal, which shows Pay Now),
put on the invoice's PDF and email only while it can be paid there; and the
addresses of a statement's PDF (the client's and the console's)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

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


def _statement_pdf(path: str, client_id: int, start: date, end: date) -> str:
    """A statement PDF's address: ids and ISO dates only (never a user's string)."""
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return f"{path.replace('{client_id:int}', str(int(client_id)))}?{query}"


def statement_pdf_url(client_id: int, start: date, end: date) -> str:
    """The client's own statement PDF (/api/statements/<client_id>.pdf?start=&end=)."""
    return _statement_pdf(routes.API_STATEMENT_PDF, client_id, start, end)


def console_statement_pdf_url(client_id: int, start: date, end: date) -> str:
    """The console's statement PDF of a client (/api/console/statements/<id>.pdf?...)."""
    return _statement_pdf(routes.API_CONSOLE_STATEMENT_PDF, client_id, start, end)
