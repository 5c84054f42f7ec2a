"""What the console billing states and pages share: the filter tabs, the
offline payment methods, the draft's field names and the staff's status words."""

from models import InvoiceKind, InvoiceStatus, PaymentMethod
from portal_app.services.billing import invoices as invoice_service
from state.console_format import tr

PER_PAGE = 50
CLIENT_CHOICES = 200
FILTERS = [("all", "All"), ("draft", "Drafts"), ("open", "Open"), ("paid", "Paid"),
           ("void", "Void"), ("estimates", "Estimates")]
METHOD_OPTIONS = [(m, PaymentMethod.LABELS[m]) for m in PaymentMethod.OFFLINE]
DRAFT_FIELDS = ("client_id", "issue_date", "due_date", "tax_rate", "discount", "notes")
LINE_FIELDS = ("description", "quantity", "unit_price")
ERROR_KEYS = (*DRAFT_FIELDS, "lines", "message")
FIELD_LIMITS = {"notes": 6000, "description": 400}
STAFF_STATUS_LABELS = {**invoice_service.STATUS_LABELS, InvoiceStatus.SENT: "Open"}


def staff_status_label(invoice) -> str:
    """Like the client's label, in the business's words ("Sent", not "Awaiting your answer")."""
    if invoice.kind == InvoiceKind.ESTIMATE and invoice.status == InvoiceStatus.SENT:
        return tr("Sent")
    return tr(STAFF_STATUS_LABELS.get(invoice.status, invoice.status))


def title(kind: str) -> str:
    return tr("Estimate" if kind == InvoiceKind.ESTIMATE else "Invoice")


def no_errors() -> dict[str, str]:
    return {key: "" for key in ERROR_KEYS}


def clip(field: str, value: object) -> str:
    return str(value if value is not None else "")[:FIELD_LIMITS.get(field, 64)]
