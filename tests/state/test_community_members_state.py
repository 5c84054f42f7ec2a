"""The Community list and members pages' handlers: the app check on every call, the
group id from the URL checked (another household's group is refused and nothing of
it shown), join / ask / cancel / leave wired to the services, refusals beside their
fields, the profile card, and the list's live refresh."""

import asyncio
from types import SimpleNamespace

from sqlmodel import select

from models import GroupMember, GroupVisibility, MemberStatus
from portal_app import apps, live
from portal_app.providers import select as providers
from portal_app.providers.storage import LocalFileStorage
from portal_app.services.community import membership
from state.community.list_page import CommunityState
from state.community.members_page import MembersState
from state.community.profile_card import CommunityProfileState
from state.session import ClientState
from tests import factories
from tests.state.harness import all_vars, call, page_events, signed_in_client, substate, tab_at
from tests.unit import community_members_helpers as h


def _world(session, *, on=True):
    factories.business(session, apps_enabled=[apps.COMMUNITY] if on else [],
                       apps_open=[apps.COMMUNITY] if on else [])
    session.commit()


def _client(session, name="Ana", display="Ana B"):
    token, client = signed_in_client(session, name)
    client.display_name = display
    session.add(client)
    session.commit()
    return token, client


def _page(token, cls, url, *args):
    tab = tab_at(token, url)
    result = call(tab, cls, "load", *args)
    return tab, substate(tab, cls), result


def _status(session, grp, person):
    session.expire_all()
    row = session.exec(select(GroupMember).where(GroupMember.group_id == grp.id,
                                                 GroupMember.client_id == person.id)).first()
    return row.status if row else None


def test_list_shows_groups_and_join_makes_a_member(engine, session):
    _world(session)
    grp = h.group(session, "Book club")
    private = h.group(session, "Inner circle", visibility=GroupVisibility.PRIVATE)
    session.commit()
    token, ana = _client(session)
    tab, page, result = _page(token, CommunityState, "/community")
    assert page_events(result) == [] and page.loaded and page.my_groups == []
    assert [(g["name"], g["standing"]) for g in page.other_groups] == [
        ("Book club", "join"), ("Inner circle", "ask")]
    result = call(tab, CommunityState, "join", str(grp.id))
    assert "You joined Book club." in repr(result)
    assert [g["name"] for g in page.my_groups] == ["Book club"]
    assert page.my_groups[0]["href"] == f"/community/group?id={grp.id}"
    call(tab, CommunityState, "join", str(private.id))  # private: refused, not joined
    assert _status(session, private, ana) is None


def test_without_the_app_every_handler_goes_to_the_dashboard(engine, session):
    _world(session, on=False)
    grp = h.group(session, "Secret club")
    session.commit()
    token, ana = _client(session)
    for cls, url in ((CommunityState, "/community"),
                     (MembersState, f"/community/members?id={grp.id}"),
                     (CommunityProfileState, "/community")):
        tab, _page_state, result = _page(token, cls, url)
        assert "/dashboard" in repr(result), cls
        assert "Secret club" not in all_vars(tab)
    tab = tab_at(token, "/community")
    assert "/dashboard" in repr(call(tab, CommunityState, "join", str(grp.id)))
    assert _status(session, grp, ana) is None


def test_ask_to_join_sends_the_request_with_the_note_beside_the_field(engine, session):
    _world(session)
    grp = h.group(session, "Inner circle", visibility=GroupVisibility.PRIVATE)
    session.commit()
    token, ana = _client(session)
    tab, page, _r = _page(token, CommunityState, "/community")
    call(tab, CommunityState, "open_ask", str(grp.id))
    assert page.ask_open and page.ask_name == "Inner circle"
    call(tab, CommunityState, "ask", {"note": "x" * 501})
    assert page.errors["note"].startswith("Use at most 500") and page.ask_open
    assert _status(session, grp, ana) is None
    result = call(tab, CommunityState, "ask", {"note": "Hello"})
    assert "Request sent" in repr(result) and not page.ask_open
    assert _status(session, grp, ana) == MemberStatus.REQUESTED
    assert page.other_groups[0]["standing"] == "requested"
    call(tab, CommunityState, "cancel_request", str(grp.id))
    assert _status(session, grp, ana) == MemberStatus.LEFT


def test_open_ask_refuses_a_group_that_is_not_listed(engine, session):
    _world(session)
    open_group = h.group(session, "Open one")
    entitled = h.group(session, "Paid circle", visibility=GroupVisibility.ENTITLED)
    session.commit()
    token, _ana = _client(session)
    tab, page, _r = _page(token, CommunityState, "/community")
    for group_id in (open_group.id, entitled.id, "nope"):
        call(tab, CommunityState, "open_ask", str(group_id))
        assert not page.ask_open
    assert "Paid circle" not in all_vars(tab)
    result = call(tab, CommunityState, "ask", {"note": "sneaky"})  # no dialog opened
    assert "does not exist" in repr(result)


def test_members_page_refuses_another_households_group(engine, session):
    _world(session)
    theirs = h.group(session, "Their group", visibility=GroupVisibility.PRIVATE)
    bo = h.client(session, "Bo", display="Bo Secret")
    h.member(session, theirs, bo)
    session.commit()
    token, _ana = _client(session)
    tab, page, result = _page(token, MembersState, f"/community/members?id={theirs.id}")
    assert page.missing and "does not exist" in repr(result)
    assert "Their group" not in all_vars(tab) and "Bo Secret" not in all_vars(tab)
    call(tab, MembersState, "set_notify", "all")
    call(tab, MembersState, "leave")
    assert _status(session, theirs, bo) == MemberStatus.ACTIVE


def test_members_page_lists_display_names_and_saves_settings(engine, session):
    _world(session)
    grp = h.group(session, "Book club")
    bo = h.client(session, "Boris", display="Bo")
    h.member(session, grp, bo)
    session.commit()
    token, ana = _client(session)
    h.member(session, grp, ana)
    session.commit()
    tab, page, result = _page(token, MembersState, f"/community/members?id={grp.id}")
    assert page_events(result) == [] and page.group_name == "Book club"
    assert [(m["name"], m["me"]) for m in page.members] == [("Ana B", "yes"), ("Bo", "")]
    assert bo.full_name not in all_vars(tab) and ana.full_name not in repr(page.members)
    call(tab, MembersState, "find", {"search": "bo"})
    assert [m["name"] for m in page.members] == ["Bo"]
    assert page.notify == "mentions"
    call(tab, MembersState, "set_notify", "loud")
    assert page.notify_error and page.notify == "mentions"
    call(tab, MembersState, "set_notify", "muted")
    assert page.notify == "muted" and not page.notify_error
    session.expire_all()
    assert session.exec(select(GroupMember.notify).where(
        GroupMember.client_id == ana.id)).one() == "muted"
    call(tab, MembersState, "set_leave_open", True)
    result = call(tab, MembersState, "leave")
    assert "/community" in repr(result) and _status(session, grp, ana) == MemberStatus.LEFT


def test_profile_card_saves_the_name_and_refuses_beside_it(engine, session):
    _world(session)
    token, ana = _client(session)
    tab, card, _r = _page(token, CommunityProfileState, "/community")
    assert (card.display_name, card.initials, card.avatar_url) == ("Ana B", "AB", "")
    call(tab, CommunityProfileState, "save_name", {"display_name": "x"})
    assert card.errors["display_name"] and card.display_name == "Ana B"
    call(tab, CommunityProfileState, "save_name", {"display_name": "Ana Banana"})
    assert card.display_name == "Ana Banana" and card.errors["display_name"] == ""


class _Upload:
    def __init__(self, name, data):
        self.name, self._data = name, data

    async def read(self, size=-1):
        return self._data if size < 0 else self._data[:size]


def test_profile_card_uploads_and_removes_a_picture(engine, session, tmp_path, monkeypatch):
    storage = LocalFileStorage(tmp_path / "files")
    monkeypatch.setattr(providers, "current", lambda: SimpleNamespace(storage=storage))
    _world(session)
    token, ana = _client(session)
    tab, card, _r = _page(token, CommunityProfileState, "/community")
    state = substate(tab, CommunityProfileState)
    fn = CommunityProfileState.event_handlers["upload_avatar"].fn
    asyncio.run(fn(state, [_Upload("doc.pdf", b"%PDF-1.4")]))
    assert card.errors["avatar"] == "Choose a PNG, JPEG or WEBP image." and not card.avatar_url
    asyncio.run(fn(state, [_Upload("me.png", h.PNG)]))
    assert card.avatar_url.startswith(f"/api/community/avatars/{ana.id}?v=")
    assert card.errors["avatar"] == ""
    assert len(list(storage.names())) == 1
    call(tab, CommunityProfileState, "remove_avatar")
    assert card.avatar_url == "" and list(storage.names()) == []


def test_list_reloads_live_when_staff_approve_a_request(engine, session):
    _world(session)
    grp = h.group(session, "Inner circle", visibility=GroupVisibility.PRIVATE)
    session.commit()
    token, ana = _client(session)
    membership.request_to_join(session, client_id=ana.id, group_id=grp.id)
    session.commit()
    tab, page, _r = _page(token, CommunityState, "/community")
    assert page.other_groups[0]["standing"] == "requested"
    row = session.exec(select(GroupMember).where(GroupMember.client_id == ana.id)).one()
    row.status = MemberStatus.ACTIVE  # as the console's approval does
    session.add(row)
    session.commit()
    assert page._live_refresh() is None
    assert [g["name"] for g in page.my_groups] == ["Inner circle"]


def test_the_app_shows_in_the_switcher_and_asks_for_a_display_name_first(engine, session):
    _world(session)
    token, _ana = _client(session, display="")
    tab = tab_at(token, "/community")
    result = call(tab, ClientState, "guard_app", apps.COMMUNITY)
    assert "/complete-profile?app=community" in repr(result)
    shell = substate(tab, ClientState)
    assert "/community" in [link["route"] for link in shell.app_links]
    token, _bo = _client(session, "Bo", display="Bo")
    assert call(tab_at(token, "/community"), ClientState, "guard_app", apps.COMMUNITY) is None


def test_a_request_tells_the_console_at_once(engine, session, monkeypatch):
    _world(session)
    grp = h.group(session, "Inner circle", visibility=GroupVisibility.PRIVATE)
    session.commit()
    token, _ana = _client(session)
    pushed = []
    monkeypatch.setattr(live, "staff_changed", lambda **kw: pushed.append("staff"))
    tab, _page_state, _r = _page(token, CommunityState, "/community")
    call(tab, CommunityState, "open_ask", str(grp.id))
    call(tab, CommunityState, "ask", {"note": ""})
    assert pushed == ["staff"]


def test_the_app_pages_own_load_asks_for_the_display_name_in_its_one_event(engine, session):
    """The hub pages' on_load chains carry no separate guard event: the page's load
    (client_event(page=True)) sends a record without the app's profile fields on."""
    from portal_app.portal_app import app as portal
    from state.community.group_page import GroupPageState

    _world(session)
    for route in ("/community", "/community/members", "/community/leaderboard"):
        names = [getattr(e, "fn", e).__qualname__
                 for e in portal.get_load_events(route)] if portal.get_load_events(route) else []
        assert not any("guard_app" in n for n in names), (route, names)
    token, _ana = _client(session, display="")
    for cls, path in ((CommunityState, "/community"), (GroupPageState, "/community/group")):
        result = call(tab_at(token, path), cls, "load")
        assert "/complete-profile?app=community" in repr(result), (cls, result)
    token, _bo = _client(session, "Bo", display="Bo")
    assert "complete-profile" not in repr(call(tab_at(token, "/community"), CommunityState,
                                               "load"))
