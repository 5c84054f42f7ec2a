"""What a live update does to a tab (portal_app/live.py carries the pushes):
which page states reload for the page the tab shows, and the refresher that
reloads them. Each listed state has a `_live_refresh()`, which may return
events for the tab (where it goes when its client was signed out or lost the
page's permission, a notice); the refresher sends them down the tab's socket
after the reloaded vars. The branding reloads in every tab. The app installs
the refresher at start-up (`live.set_refresher(tab_refresher(app))` in
portal_app/portal_app.py)."""

from reflex.istate.manager.token import BaseStateToken
from reflex.state import StateUpdate
from reflex_base.event import Event

from portal_app import live_topics
from state.bookings import BookingsState
from state.brand import BrandState
from state.client_forms.form_page import FormState
from state.client_forms.list_page import FormsListState
from state.client_pages import DashboardState
from state.community.group_page import GroupPageState
from state.community.list_page import CommunityState
from state.community.post_page import PostPageState
from state.console_calendar import CalendarState
from state.console_community.group import ConsoleGroupState
from state.console_community.group_members import ConsoleGroupMembersState
from state.console_community.queue import CommunityQueueState
from state.console_community.staff_group import StaffFeedState
from state.console_documents import ClientDocumentsState
from state.console_forms.client import ClientFormsState
from state.console_forms.outstanding import FormsOutstandingState
from state.console_home import ConsoleHomeState
from state.console_messages import InboxState
from state.documents import DocumentsState
from state.guards import as_list
from state.messages import MessagesState
from state.payments import InvoiceState, PaymentsState
from state.referrals.page import ReferralsState
from state.session import AuthBase, ClientState
from state.staff_session import StaffState
from state.statements import StatementsState

PAGE_STATES = {
    "/dashboard": (DashboardState,),
    "/bookings": (BookingsState,),
    "/payments": (PaymentsState,),
    "/payments/invoice": (InvoiceState,),
    "/payments/statements": (StatementsState,),
    "/documents": (DocumentsState,),
    "/forms": (FormsListState,),
    "/forms/form": (FormState,),
    "/referrals": (ReferralsState,),
    "/community": (CommunityState,),
    "/community/group": (GroupPageState,),
    "/community/post": (PostPageState,),
    "/messages": (MessagesState,),
    "/console": (ConsoleHomeState,),
    "/console/messages": (InboxState,),
    "/console/calendar": (CalendarState,),
    "/console/client": (ClientDocumentsState, ClientFormsState),
    "/console/forms": (FormsOutstandingState,),
    "/console/community/moderation": (CommunityQueueState,),
    "/console/community/feed": (StaffFeedState,),
    "/console/community/group": (ConsoleGroupState, ConsoleGroupMembersState),
    # Any other client page: the shell (bell, access, buttons).
    "*client*": (ClientState,),
}


T = live_topics
# What each page state shows, by topic (portal_app/live_topics.py): for a push about
# topics its page state shows none of, it does not reload. A state not listed here
# shows anything (it reloads for every push): add one only when sure of what it shows.
# The dashboard's cards and next step, and the console's Today, show nearly everything.
SHOWS: dict[type, frozenset[str]] = {
    DashboardState: frozenset({T.MESSAGES, T.FORMS, T.BOOKINGS, T.DOCUMENTS, T.BILLING,
                               T.COURSES}),
    BookingsState: frozenset({T.BOOKINGS}),
    PaymentsState: frozenset({T.BILLING}),
    InvoiceState: frozenset({T.BILLING}),
    StatementsState: frozenset({T.BILLING}),
    # A message may carry files; a signed form's PDF is filed among the documents.
    DocumentsState: frozenset({T.DOCUMENTS, T.MESSAGES, T.FORMS}),
    FormsListState: frozenset({T.FORMS}),
    FormState: frozenset({T.FORMS}),
    # A payment may earn a commission.
    ReferralsState: frozenset({T.REFERRALS, T.BILLING}),
    CommunityState: frozenset({T.COMMUNITY}),
    GroupPageState: frozenset({T.COMMUNITY}),
    PostPageState: frozenset({T.COMMUNITY}),
    MessagesState: frozenset({T.MESSAGES}),
    InboxState: frozenset({T.MESSAGES}),
    CalendarState: frozenset({T.BOOKINGS}),
    ClientDocumentsState: frozenset({T.DOCUMENTS, T.MESSAGES, T.FORMS}),
    ClientFormsState: frozenset({T.FORMS}),
    FormsOutstandingState: frozenset({T.FORMS}),
    CommunityQueueState: frozenset({T.COMMUNITY}),
    StaffFeedState: frozenset({T.COMMUNITY}),
    ConsoleGroupState: frozenset({T.COMMUNITY}),
    ConsoleGroupMembersState: frozenset({T.COMMUNITY}),
}
# The console's shell shows the unread count only: the topics that can change it.
CONSOLE_SHELL = frozenset({T.MESSAGES})


def _clean(path: str) -> str:
    return (path or "/").rstrip("/") or "/"


def _shows(cls: type, about: tuple[str, ...]) -> bool:
    shown = SHOWS.get(cls)
    return shown is None or any(t in shown for t in about)


def shell_for(path: str, about: tuple[str, ...] | None = None) -> tuple:
    """The state of the page's shell, for a push about `about`: the client's (the bell,
    the counts, the access: any push may change them), or the console's (its unread
    count) when the push may change that; else nothing."""
    if not _clean(path).startswith("/console"):
        return (ClientState,)
    if about is None or any(t in CONSOLE_SHELL for t in about):
        return (StaffState,)
    return ()


def states_for(path: str, about: tuple[str, ...] | None = None) -> tuple:
    """The page states that reload for a tab at `path` (a console page not listed: none);
    for a push `about` topics, only those that show one of them, else the shell
    (`shell_for`). A push about a topic this module does not know reloads the page."""
    path = _clean(path)
    # Any other client page still has the bell in its header.
    default = () if path.startswith("/console") else PAGE_STATES["*client*"]
    states = PAGE_STATES.get(path, default)
    if about is None or not all(t in live_topics.TOPICS for t in about):
        return states
    shown = tuple(cls for cls in states if _shows(cls, about))
    return shown or shell_for(path, about)


async def tab_connected(app, token: str) -> bool:
    """Whether tab `token` has its websocket open on any worker. A tab that closed stays
    in live.py's lists (up to 20 per client, 20 for all staff) until a refresh finds it
    gone: refreshing it would load its state, run its page's queries and send the delta
    nowhere, and touching it keeps its dead state in memory. Reflex's token manager
    knows (with Redis, across workers); an app without one counts every tab as open."""
    namespace = getattr(app, "event_namespace", None)
    manager = getattr(namespace, "_token_manager", None)
    if manager is None:
        return True
    return await manager.is_token_connected(token)


def tab_refresher(app):
    """`async refresh(token, only=None)`: reload the branding, the shell and the open page
    of one tab of `app`, then send the tab what the page states returned (a redirect, a
    toast). For a group's push, a tab whose socket this worker does not hold is not
    touched: the worker that holds it refreshes it (every worker hears every push)."""

    async def refresh(token: str, only: tuple[str, ...] | None = None, *,
                      about: tuple[str, ...] | None = None) -> bool:
        """With `only` (a group's push, which every worker applies to the tabs it
        holds): False when this worker does not hold the tab's socket (closed, or now on
        another worker: forget it here), and a tab showing a page under none of those
        paths is left alone. Without `only`, any open tab is refreshed: Reflex forwards
        the delta to the worker holding it (a webhook's payer tab, refreshed by the
        worker that took the webhook); a tab open on no worker is reported gone (False)
        without being opened (`tab_connected`). With `about`, a page that shows none of those topics
        reloads its shell only (`states_for`), and the branding is not read again
        (it changes with untagged pushes only)."""
        namespace = getattr(app, "event_namespace", None)
        connected = getattr(namespace, "token_to_sid", None)
        if only is not None and connected is not None and token not in connected:
            return False
        if not await tab_connected(app, token):
            return False  # closed on every worker: live.py forgets it
        events: list = []
        async with app.modify_state(BaseStateToken(ident=token, cls=AuthBase)) as root:
            path = root.router.url.path or "/"
            if only is not None and not path.startswith(only):
                return True
            if about is None:  # a push about one thing (a message) leaves the branding be
                (await root.get_state(BrandState))._live_refresh()
            for cls in states_for(path, about):
                page_state = await root.get_state(cls)
                events += as_list(page_state._live_refresh())
        if events and getattr(app, "event_namespace", None) is not None:
            await app.event_namespace.emit_update(
                update=StateUpdate(events=Event.from_event_type(events)), token=token)
        return True

    return refresh
