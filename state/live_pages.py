"""Which page states reload when a tab on that page gets a live update
(portal_app/live.py). Each listed state has a `_live_refresh()`."""

from state.client_pages import DashboardState
from state.documents import DocumentsState
from state.messages import MessagesState
from state.payments import InvoiceState, PaymentsState
from state.session import ClientState

PAGE_STATES = {
    "/dashboard": (DashboardState,),
    "/payments": (PaymentsState,),
    "/payments/invoice": (InvoiceState,),
    "/documents": (DocumentsState,),
    "/messages": (MessagesState,),
    # Any other client page: the shell's bell.
    "*client*": (ClientState,),
}
