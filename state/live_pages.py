"""What a live update does to a tab (portal_app/live.py carries the pushes):
which page states reload for the page the tab shows, and the refresher that
reloads them. Each listed state has a `_live_refresh()`. The app installs the
refresher at start-up (`live.set_refresher(tab_refresher(app))` in
portal_app/portal_app.py)."""

from reflex.istate.manager.token import BaseStateToken

from state.client_pages import DashboardState
from state.console_documents import ClientDocumentsState
from state.console_messages import InboxState
from state.documents import DocumentsState
from state.messages import MessagesState
from state.payments import InvoiceState, PaymentsState
from state.session import AuthBase, ClientState

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


def states_for(path: str) -> tuple:
    """The page states that reload for a tab at `path` (a console page not listed: none)."""
    path = (path or "/").rstrip("/") or "/"
    # Any other client page still has the bell in its header.
    default = () if path.startswith("/console") else PAGE_STATES["*client*"]
    return PAGE_STATES.get(path, default)


def tab_refresher(app):
    """`async refresh(token)`: reload the bell and the open page of one tab of `app`."""

    async def refresh(token: str) -> None:
        async with app.modify_state(BaseStateToken(ident=token, cls=AuthBase)) as root:
            for cls in states_for(root.router.url.path):
                page_state = await root.get_state(cls)
                page_state._live_refresh()

    return refresh
