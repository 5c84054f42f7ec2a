"""Which page states reload when a tab on that page gets a live update
(portal_app/live.py). Each listed state has a `_live_refresh()`."""

from state.client_pages import DashboardState
from state.console_documents import ClientDocumentsState
from state.console_messages import InboxState
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
    "/console/messages": (InboxState,),
    "/console/client": (ClientDocumentsState,),
    # Any other client page: the shell's bell.
    "*client*": (ClientState,),
}
