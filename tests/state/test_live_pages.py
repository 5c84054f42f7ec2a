"""What a live update reloads in a tab, and that the app wires it into live.py."""

import portal_app.portal_app as composition
from portal_app import live
from state.client_pages import DashboardState
from state.console_messages import InboxState
from state.live_pages import states_for
from state.session import ClientState


def test_the_app_installs_the_tab_refresher():
    assert composition.app is not None
    assert live._refresher.get("fn") is not None


def test_a_listed_page_reloads_its_own_state_trailing_slash_or_not():
    assert states_for("/dashboard") == (DashboardState,)
    assert states_for("/console/messages/") == (InboxState,)


def test_other_client_pages_reload_the_bell_and_other_console_pages_nothing():
    assert states_for("/profile") == (ClientState,)
    assert states_for("") == (ClientState,)
    assert states_for("/console/invoices") == ()


def test_the_refresher_reloads_the_open_page_of_the_tab(engine, session):
    """A booking made meanwhile shows on the client's open dashboard (its cards reload,
    which the bell alone would not)."""
    import asyncio
    from contextlib import asynccontextmanager
    from datetime import UTC, datetime, timedelta

    from models import Booking, BookingStatus
    from state.live_pages import tab_refresher
    from tests import factories
    from tests.state.harness import signed_in_client, substate, tab_at

    factories.business(session)
    token, client = signed_in_client(session, "Livia")
    staff = factories.staff(session)
    service = factories.service(session, providers=[staff], name="Massage")
    start = datetime.now(UTC) + timedelta(days=3)
    session.add(Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                        start_at=start, end_at=start + timedelta(hours=1),
                        status=BookingStatus.CONFIRMED))
    session.commit()
    opened = []

    def app_with(root):
        class App:
            @asynccontextmanager
            async def modify_state(self, key):
                opened.append(key.ident)
                yield root

        return App()

    dashboard = tab_at(token, "/dashboard")
    asyncio.run(tab_refresher(app_with(dashboard))("tab-token"))
    assert opened == ["tab-token"]
    assert [c["service"] for c in substate(dashboard, DashboardState).upcoming] == ["Massage"]

    elsewhere = tab_at(token, "/profile")  # only the shell reloads there
    asyncio.run(tab_refresher(app_with(elsewhere))("tab-2"))
    state = substate(elsewhere, ClientState)
    assert state.client_name.startswith("Livia") and state.upcoming == []


def test_the_refresher_leaves_closed_tabs_and_pages_outside_a_group_push_alone(session):
    """For a group's push (`only`), a tab whose socket this worker does not hold is
    reported gone (False) and not opened, and a tab on another page is opened but
    nothing reloads; any other push refreshes the tab wherever its socket is (Reflex
    forwards the delta: a webhook's payer tab)."""
    import asyncio
    from contextlib import asynccontextmanager

    from portal_app import live
    from state.live_pages import tab_refresher
    from state.session import ClientState
    from tests import factories
    from tests.state.harness import signed_in_client, substate, tab_at

    factories.business(session)
    token, _client = signed_in_client(session, "Gwen")
    session.commit()
    opened = []

    def app_with(root, connected):
        class Namespace:
            token_to_sid = dict.fromkeys(connected, "sid")

        class App:
            event_namespace = Namespace()

            @asynccontextmanager
            async def modify_state(self, key):
                opened.append(key.ident)
                yield root

        return App()

    profile = tab_at(token, "/profile")
    assert asyncio.run(tab_refresher(app_with(profile, []))("gone", live.GROUP_PAGES)) is False
    assert opened == []
    assert asyncio.run(tab_refresher(app_with(profile, ["t1"]))("t1", live.GROUP_PAGES))
    assert opened == ["t1"] and substate(profile, ClientState).client_name == ""
    assert asyncio.run(tab_refresher(app_with(profile, []))("elsewhere")) is True
    assert opened == ["t1", "elsewhere"]
    assert substate(profile, ClientState).client_name.startswith("Gwen")


def test_a_push_to_a_tab_closed_on_every_worker_opens_nothing_and_forgets_it(session,
                                                                             monkeypatch):
    """A closed tab stays in live.py's lists until a refresh finds it gone. Reflex's token
    manager says whether a tab is open on any worker: a closed one is reported gone
    (False) without its state being opened, and live.py drops it, so the next push
    does not try it again; an open tab is refreshed."""
    import asyncio
    from contextlib import asynccontextmanager

    from reflex.utils.token_manager import LocalTokenManager

    from state.live_pages import tab_refresher
    from tests import factories
    from tests.state.harness import signed_in_client, substate, tab_at

    factories.business(session)
    token, client = signed_in_client(session, "Cleo")
    session.commit()
    opened = []
    manager = LocalTokenManager()
    profile = tab_at(token, "/profile")

    class Namespace:
        _token_manager = manager
        token_to_sid = manager.token_to_sid

    class App:
        event_namespace = Namespace()

        @asynccontextmanager
        async def modify_state(self, key):
            opened.append(key.ident)
            yield profile

    async def push(*tokens):
        await manager.link_token_to_sid("open-tab", "sid-1")
        for tab in tokens:
            live.watch("client", client.id, tab)
        live.client_changed(client.id)
        for _ in range(20):
            await asyncio.sleep(0)

    monkeypatch.setattr(live, "_tabs", {})
    monkeypatch.setattr(live, "_refresher", {})
    live.set_refresher(tab_refresher(App()))
    asyncio.run(push("closed-tab", "open-tab"))
    assert opened == ["open-tab"]
    assert substate(profile, ClientState).client_name.startswith("Cleo")
    assert "closed-tab" not in live.tabs_of("client", client.id)
    assert "open-tab" in live.tabs_of("client", client.id)


def test_a_push_about_messages_reloads_the_pages_that_show_them_and_elsewhere_the_shell():
    from state.console_calendar import CalendarState
    from state.messages import MessagesState
    from state.staff_session import StaffState

    about = (live.MESSAGES,)
    assert states_for("/messages", about) == (MessagesState,)
    assert states_for("/console/messages", about) == (InboxState,)
    assert states_for("/dashboard", about) == (DashboardState,)
    # The week view is not redrawn for a message: its shell (the unread count) is.
    assert states_for("/console/calendar", about) == (StaffState,)
    assert states_for("/console/invoices", about) == (StaffState,)
    assert states_for("/bookings", about) == (ClientState,)
    # A push about anything (or about a topic no page lists) reloads the page.
    assert states_for("/console/calendar") == (CalendarState,)
    assert states_for("/console/calendar", ("something-else",)) == (CalendarState,)


def test_each_topic_reloads_the_pages_that_show_it_and_elsewhere_the_shell():
    """Pinned: which page states reload for a push about each topic."""
    from state.bookings import BookingsState
    from state.client_forms.form_page import FormState
    from state.client_forms.list_page import FormsListState
    from state.community.group_page import GroupPageState
    from state.console_calendar import CalendarState
    from state.console_community.queue import CommunityQueueState
    from state.console_documents import ClientDocumentsState
    from state.console_forms.client import ClientFormsState
    from state.console_forms.outstanding import FormsOutstandingState
    from state.console_home import ConsoleHomeState
    from state.documents import DocumentsState
    from state.payments import InvoiceState, PaymentsState
    from state.referrals.page import ReferralsState
    from state.staff_session import StaffState
    from state.statements import StatementsState

    def reload(topic, path):
        return states_for(path, (topic,))

    # Bookings: on the week view, the client's bookings, the dashboard, the console home.
    assert reload(live.BOOKINGS, "/console/calendar") == (CalendarState,)
    assert reload(live.BOOKINGS, "/bookings") == (BookingsState,)
    assert reload(live.BOOKINGS, "/dashboard") == (DashboardState,)
    assert reload(live.BOOKINGS, "/console") == (ConsoleHomeState,)
    assert reload(live.BOOKINGS, "/payments") == (ClientState,)
    assert reload(live.BOOKINGS, "/console/forms") == ()
    # Forms: not the week view, nor its shell (the console's shell counts messages only).
    for topic in (live.FORMS, live.DOCUMENTS, live.BILLING, live.COMMUNITY, live.COURSES,
                  live.REFERRALS):
        assert reload(topic, "/console/calendar") == (), topic
        assert reload(topic, "/console") == (ConsoleHomeState,), topic
        assert reload(topic, "/profile") == (ClientState,), topic
    assert reload(live.FORMS, "/forms") == (FormsListState,)
    assert reload(live.FORMS, "/forms/form") == (FormState,)
    assert reload(live.FORMS, "/console/forms") == (FormsOutstandingState,)
    assert reload(live.FORMS, "/documents") == (DocumentsState,)  # the signed PDF
    # The console's client page: only the section that shows the topic.
    assert reload(live.FORMS, "/console/client") == (ClientDocumentsState, ClientFormsState)
    assert reload(live.DOCUMENTS, "/console/client") == (ClientDocumentsState,)
    assert reload(live.BOOKINGS, "/console/client") == ()
    # Billing: the payments pages; a payment may earn a referrer a commission.
    assert reload(live.BILLING, "/payments") == (PaymentsState,)
    assert reload(live.BILLING, "/payments/invoice") == (InvoiceState,)
    assert reload(live.BILLING, "/payments/statements") == (StatementsState,)
    assert reload(live.BILLING, "/referrals") == (ReferralsState,)
    assert reload(live.BILLING, "/bookings") == (ClientState,)
    assert reload(live.REFERRALS, "/referrals") == (ReferralsState,)
    assert reload(live.COMMUNITY, "/community/group") == (GroupPageState,)
    assert reload(live.COMMUNITY, "/console/community/moderation") == (CommunityQueueState,)
    assert reload(live.COMMUNITY, "/dashboard") == (ClientState,)
    assert reload(live.COURSES, "/dashboard") == (DashboardState,)  # "continue where..."
    # Several topics: any page that shows one of them; messages reload the console shell.
    assert states_for("/console/calendar", (live.FORMS, live.BOOKINGS)) == (CalendarState,)
    assert states_for("/console/calendar", (live.FORMS, live.MESSAGES)) == (StaffState,)
    # No topic (access, permissions, settings): every page reloads, as before.
    assert states_for("/bookings") == (BookingsState,)
    assert states_for("/console/calendar") == (CalendarState,)
