"""Console billing: the invoice list (/console/invoices) and one invoice or
estimate (/console/invoice): drafting with line items, sending, voiding,
offline payments and refunds.

- `invoice_list.py`: InvoiceListState (filter tabs, search, paging);
- `editor.py`: InvoiceEditorState, the document page, made of
  `draft_form.py` (the draft's fields and lines, Save, Delete) and one mixin
  per dialog: `send_dialog.py`, `payment_dialog.py`, `refund_dialog.py`.

Every handler is guarded by `staff_event`. The invoice, the payment being
refunded and the refund in flight are backend vars set by the server (at load
or when a dialog opens), never ids taken from the browser at the moment of
the write; the services check every id again. Money in public vars is
display text; amounts are parsed and computed on the server.
"""

from state.console_billing.common import FILTERS, METHOD_OPTIONS, staff_status_label
from state.console_billing.editor import InvoiceEditorState
from state.console_billing.invoice_list import InvoiceListState

__all__ = ["FILTERS", "METHOD_OPTIONS", "InvoiceEditorState", "InvoiceListState",
           "staff_status_label"]
