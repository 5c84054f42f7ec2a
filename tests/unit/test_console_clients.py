"""Console client services: create, edit, list, households, permissions, disabling access,
and the timeline."""

from datetime import timedelta

import pytest
from sqlalchemy import event, insert
from sqlmodel import Session, select

from models import AuditEvent, AuthSession, Client, Invitation, PortalAccess
from portal_app.services import activity, clients, sessions
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.invitations import INVALID_LINK, accept_invitation, invite_client
from portal_app.services.permissions import PAY_NEEDS_BILLING
from tests import factories
from tests.unit.helpers import (
    BASE_URL,
    NOW,
    TIMEOUTS,
    count,
    invite_and_sign_in,
    invite_key_sent_to,
    redeem,
    resolve,
    timed,
)

ALL_ON = {"booking": True, "messaging": True, "billing": True, "pay": True, "upload": True}


@pytest.fixture
def business(session):
    return factories.business(session, timezone="Europe/Berlin")


@pytest.fixture
def staff(session, business):
    return factories.staff(session)


def _form(**overrides):
    return {"full_name": "Robin Park", "email": "robin@example.test", "mobile": "+1 555 010 0200",
            "timezone": "America/New_York", "notes": "", **overrides}


def _create(session, staff, **overrides):
    return clients.create_client(session, staff_id=staff.id, form=_form(**overrides))


def _audits(session, action):
    return session.exec(select(AuditEvent).where(AuditEvent.action == action)
                        .order_by(AuditEvent.id)).all()


def _bulk_insert_clients(session, n: int, *, start: int = 0) -> None:
    """Many plain client rows in one statement (for list size tests)."""
    session.connection().execute(insert(Client), [
        {"full_name": f"Client {i:05d}", "email": f"client{i:05d}@example.test",
         "portal_access": PortalAccess.NOT_INVITED, "timezone": "UTC", "created_at": NOW}
        for i in range(start, start + n)
    ])
    session.commit()


# --- create / update -----------------------------------------------------------------------


def test_create_client_saves_cleaned_fields(session, staff):
    client = _create(session, staff, full_name="  Robin   Park ", email=" Robin@Example.TEST ")

    assert client.id is not None
    assert (client.full_name, client.email) == ("Robin Park", "robin@example.test")
    assert (client.mobile, client.timezone) == ("+1 555 010 0200", "America/New_York")
    assert (client.portal_access, client.account_id) == (PortalAccess.NOT_INVITED, None)
    (audit,) = _audits(session, "client.created")
    assert (audit.client_id, audit.actor_kind, audit.actor_id) == (client.id, "staff", staff.id)


def test_create_client_without_timezone_uses_business_timezone(session, staff):
    client = _create(session, staff, timezone="")

    assert client.timezone == "Europe/Berlin"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"full_name": ""}, "full_name"),
    ({"full_name": "   "}, "full_name"),
    ({"full_name": "x" * 201}, "full_name"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "robin@example"}, "email"),
    ({"mobile": "call me"}, "mobile"),
    ({"mobile": "+1 23"}, "mobile"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"notes": "n" * 5001}, "notes"),
])
def test_create_client_invalid_field_is_refused_by_name(session, staff, overrides, field):
    with pytest.raises(ServiceError) as exc:
        _create(session, staff, **overrides)

    assert exc.value.field == field
    assert count(session, Client) == 0


def test_create_client_takes_permissions_from_business_defaults(session):
    factories.business(session, default_perm_messaging=False, default_perm_pay=False,
                       default_perm_upload=False)
    staff = factories.staff(session)

    client = _create(session, staff)

    assert clients.client_permissions(client) == {
        "booking": True, "messaging": False, "billing": True, "pay": False, "upload": False}


def test_update_client_changes_fields_and_audits_their_names(session, staff):
    client = _create(session, staff)

    clients.update_client(session, staff_id=staff.id, client_id=client.id,
                          form=_form(full_name="Robin Park-Lee", mobile="+44 20 7946 0000"))

    session.expire_all()
    stored = session.get(Client, client.id)
    assert (stored.full_name, stored.mobile) == ("Robin Park-Lee", "+44 20 7946 0000")
    assert stored.email == "robin@example.test"
    (audit,) = _audits(session, "client.updated")
    assert audit.client_id == client.id
    assert audit.detail["fields"] == ["full_name", "mobile"]


def test_update_client_without_changes_writes_no_audit(session, staff):
    client = _create(session, staff)

    clients.update_client(session, staff_id=staff.id, client_id=client.id, form=_form())

    assert _audits(session, "client.updated") == []


def test_update_client_invalid_email_is_refused(session, staff):
    client = _create(session, staff)

    with pytest.raises(ServiceError) as exc:
        clients.update_client(session, staff_id=staff.id, client_id=client.id,
                              form=_form(email="nope"))

    assert exc.value.field == "email"
    assert _audits(session, "client.updated") == []


@pytest.mark.parametrize("client_id", [999, "abc", None])
def test_update_client_unknown_id_is_not_found(session, staff, client_id):
    with pytest.raises(NotFound):
        clients.update_client(session, staff_id=staff.id, client_id=client_id, form=_form())


# --- list ----------------------------------------------------------------------------------


def test_list_clients_search_matches_name_and_email_case_insensitively(session, staff):
    alice = _create(session, staff, full_name="Alice Smith", email="a.smith@example.test")
    alicia = _create(session, staff, full_name="alicia keys", email="keys@example.test")
    bob = _create(session, staff, full_name="Bob Jones", email="BOBBY@Mail.test")

    by_name = clients.list_clients(session, search="ALIC")
    by_email = clients.list_clients(session, search="bobby@mail")
    nothing = clients.list_clients(session, search="zed")

    assert [r.id for r in by_name.rows] == [alice.id, alicia.id]
    assert by_name.total == 2
    assert [r.id for r in by_email.rows] == [bob.id]
    assert (nothing.rows, nothing.total, nothing.pages) == ([], 0, 1)


def test_list_clients_filters_by_status(session, staff):
    plain = _create(session, staff, email="plain@example.test")
    invited = _create(session, staff, email="invited@example.test")
    disabled = _create(session, staff, email="disabled@example.test")
    invite_client(session, staff_id=staff.id, client_id=invited.id, base_url=BASE_URL, now=NOW)
    clients.disable_access(session, staff_id=staff.id, client_id=disabled.id)

    def ids(status):
        return [r.id for r in clients.list_clients(session, status=status).rows]

    assert ids(PortalAccess.NOT_INVITED) == [plain.id]
    assert ids(PortalAccess.INVITED) == [invited.id]
    assert ids(PortalAccess.DISABLED) == [disabled.id]
    assert ids(PortalAccess.ACTIVE) == []
    assert sorted(ids("")) == sorted([plain.id, invited.id, disabled.id])
    assert sorted(ids("bogus")) == sorted([plain.id, invited.id, disabled.id])


def test_list_clients_filters_by_signed_in(session, staff):
    signed = _create(session, staff, full_name="Signed In", email="in@example.test")
    never = _create(session, staff, full_name="Never Signed", email="never@example.test")
    invite_and_sign_in(session, staff_id=staff.id, client_id=signed.id)

    yes = clients.list_clients(session, signed_in="yes")
    no = clients.list_clients(session, signed_in="no")

    assert [r.id for r in yes.rows] == [signed.id]
    assert yes.rows[0].last_sign_in_at == NOW
    assert yes.rows[0].status == PortalAccess.ACTIVE
    assert [r.id for r in no.rows] == [never.id]


def test_list_clients_pages_and_clamps_page_beyond_last(session, staff):
    for i in range(25):
        _create(session, staff, full_name=f"Person {i:02d}", email=f"p{i}@example.test")

    pages = [clients.list_clients(session, page=p, per_page=10) for p in (1, 2, 3)]
    beyond = clients.list_clients(session, page=99, per_page=10)
    before = clients.list_clients(session, page=0, per_page=10)

    assert [(p.total, p.pages, p.page, len(p.rows)) for p in pages] == [
        (25, 3, 1, 10), (25, 3, 2, 10), (25, 3, 3, 5)]
    names = [r.full_name for p in pages for r in p.rows]
    assert names == [f"Person {i:02d}" for i in range(25)]  # sorted, no overlap, no gap
    assert (beyond.page, [r.id for r in beyond.rows]) == (3, [r.id for r in pages[2].rows])
    assert (before.page, [r.id for r in before.rows]) == (1, [r.id for r in pages[0].rows])


def test_list_clients_row_shows_portal_email_of_account(session, staff):
    from portal_app.services.invitations import change_portal_email

    client = _create(session, staff, email="contact@example.test")
    uninvited = _create(session, staff, full_name="Zed Uninvited", email="zed@example.test")
    change_portal_email(session, staff_id=staff.id, client_id=client.id,
                        new_email="portal@example.test", also_primary=False,
                        base_url=BASE_URL, now=NOW)

    page = clients.list_clients(session)
    found = clients.list_clients(session, search="portal@")

    rows = {r.id: r for r in page.rows}
    assert (rows[client.id].email, rows[client.id].portal_email) == (
        "contact@example.test", "portal@example.test")
    assert (rows[uninvited.id].email, rows[uninvited.id].portal_email) == ("zed@example.test", "")
    assert [r.id for r in found.rows] == [client.id]


def _statements_for_list(engine, session, **kwargs) -> list[str]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        clients.list_clients(session, **kwargs)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


@pytest.mark.parametrize("kwargs", [{}, {"search": "client", "status": "not_invited",
                                         "signed_in": "no", "page": 2}])
def test_list_clients_query_count_is_constant(engine, session, staff, kwargs):
    for i in range(20):
        _create(session, staff, full_name=f"Client A{i:02d}", email=f"a{i}@example.test")
    session.commit()
    small = _statements_for_list(engine, session, **kwargs)

    _bulk_insert_clients(session, 1980)
    large = _statements_for_list(engine, session, **kwargs)

    assert count(session, Client) == 2000
    assert len(small) == len(large) == 2


@pytest.mark.timing
def test_list_clients_with_10000_clients_is_fast(session):
    _bulk_insert_clients(session, 10_000)

    result = {}
    elapsed = timed(lambda: result.update(page=clients.list_clients(session, search="CLIENT 0",
                                                                     page=50)))

    page = result["page"]
    assert (page.total, page.pages, page.page, len(page.rows)) == (10_000, 200, 50, 50)
    assert page.rows[0].full_name == "Client 02450"
    assert elapsed < 1.0, f"list_clients took {elapsed:.3f}s"


# --- households ----------------------------------------------------------------------------


def test_add_household_member_shares_account_and_access(session, staff):
    client = _create(session, staff, email="family@example.test")
    clients.set_permissions(session, staff_id=staff.id, client_id=client.id,
                            perms={**ALL_ON, "pay": False, "upload": False})
    invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    session.refresh(client)

    member = clients.add_household_member(session, staff_id=staff.id, client_id=client.id,
                                          full_name="  Kim  Park ")

    assert member.full_name == "Kim Park"
    assert (member.account_id, member.email) == (client.account_id, client.email)
    assert client.portal_access == member.portal_access == PortalAccess.ACTIVE
    assert clients.client_permissions(member) == clients.client_permissions(client)
    assert {c.id for c in clients.household(session, client_id=client.id)} == {client.id,
                                                                                member.id}
    (audit,) = _audits(session, "client.household_member_added")
    assert (audit.client_id, audit.detail["household_of"]) == (member.id, client.id)


def test_add_household_member_of_invited_client_is_invited(session, staff):
    client = _create(session, staff)
    invite_client(session, staff_id=staff.id, client_id=client.id, base_url=BASE_URL, now=NOW)

    member = clients.add_household_member(session, staff_id=staff.id, client_id=client.id,
                                          full_name="Kim Park")

    assert member.portal_access == PortalAccess.INVITED
    assert member.account_id == client.account_id


def test_add_household_member_needs_portal_email(session, staff):
    client = _create(session, staff)

    with pytest.raises(ServiceError):
        clients.add_household_member(session, staff_id=staff.id, client_id=client.id,
                                     full_name="Kim Park")

    assert count(session, Client) == 1
    assert clients.household(session, client_id=client.id) == [client]


def test_remove_household_member_detaches_and_clears_selection(session, staff):
    client = _create(session, staff, full_name="Robin Park")
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    member = clients.add_household_member(session, staff_id=staff.id, client_id=client.id,
                                          full_name="Kim Park")
    ctx = resolve(session, token)
    sessions.select_client(session, ctx=ctx, client_id=member.id)
    assert resolve(session, token).client_id == member.id

    clients.remove_household_member(session, staff_id=staff.id, client_id=member.id)

    session.expire_all()
    member = session.get(Client, member.id)
    assert (member.account_id, member.portal_access) == (None, PortalAccess.NOT_INVITED)
    auth = session.exec(select(AuthSession)).one()
    assert auth.selected_client_id is None
    assert auth.revoked_at is None  # the email still has a record
    ctx = resolve(session, token)
    assert [r.id for r in ctx.records] == [client.id]
    assert ctx.client_id == client.id
    assert [c.id for c in clients.household(session, client_id=client.id)] == [client.id]


def test_remove_last_eligible_record_revokes_sessions_of_email(session, staff):
    client = _create(session, staff)
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    other_client = _create(session, staff, full_name="Other Person", email="other@example.test")
    other_token = invite_and_sign_in(session, staff_id=staff.id, client_id=other_client.id)

    clients.remove_household_member(session, staff_id=staff.id, client_id=client.id)

    assert resolve(session, token) is None
    revoked = session.exec(select(AuthSession).where(AuthSession.revoked_at.is_not(None))).all()
    assert len(revoked) == 1 and revoked[0].selected_client_id is None
    assert resolve(session, other_token) is not None  # another email is untouched


def test_remove_household_member_not_in_household_is_refused(session, staff):
    client = _create(session, staff)

    with pytest.raises(ServiceError):
        clients.remove_household_member(session, staff_id=staff.id, client_id=client.id)


# --- permissions ---------------------------------------------------------------------------


def test_set_permissions_pay_without_billing_is_refused(session, staff):
    client = _create(session, staff)

    with pytest.raises(ServiceError) as exc:
        clients.set_permissions(session, staff_id=staff.id, client_id=client.id,
                                perms={**ALL_ON, "billing": False})

    assert (exc.value.field, exc.value.message) == ("pay", PAY_NEEDS_BILLING)
    assert clients.client_permissions(client) == ALL_ON
    assert _audits(session, "client.permissions_changed") == []


def test_set_permissions_audits_only_changes(session, staff):
    client = _create(session, staff)

    saved = clients.set_permissions(session, staff_id=staff.id, client_id=client.id,
                                    perms={**ALL_ON, "messaging": False, "upload": False})
    clients.set_permissions(session, staff_id=staff.id, client_id=client.id, perms=saved)

    assert saved == {**ALL_ON, "messaging": False, "upload": False}
    (audit,) = _audits(session, "client.permissions_changed")
    assert audit.client_id == client.id
    assert audit.detail["changes"] == {"messaging": False, "upload": False}


def test_set_permissions_missing_keys_are_off(session, staff):
    client = _create(session, staff)

    saved = clients.set_permissions(session, staff_id=staff.id, client_id=client.id,
                                    perms={"booking": True})

    assert saved == {"booking": True, "messaging": False, "billing": False, "pay": False,
                     "upload": False}


def test_permission_change_applies_on_next_resolve_without_new_sign_in(engine, session, staff,
                                                                       business):
    client = _create(session, staff)
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    session.commit()
    assert resolve(session, token, business=business).access.messaging is True

    clients.set_permissions(session, staff_id=staff.id, client_id=client.id,
                            perms={**ALL_ON, "messaging": False, "pay": False})
    session.commit()

    with Session(engine) as fresh:  # the next event, in its own transaction
        ctx = resolve(fresh, token, business=business, now=NOW + timedelta(minutes=1))
    assert ctx is not None and ctx.session_id is not None
    assert (ctx.access.messaging, ctx.access.pay) == (False, False)
    assert (ctx.access.bookings, ctx.access.billing, ctx.access.upload) == (True, True, True)


@pytest.mark.parametrize(("feature", "turned_off"), [
    ("feature_messaging", {"messaging"}),
    ("feature_payments", {"billing", "pay"}),
    ("feature_bookings", {"bookings"}),
    ("feature_uploads", {"upload"}),
    ("feature_documents", {"documents", "upload"}),
])
def test_business_feature_off_overrides_client_permission(session, staff, business, feature,
                                                          turned_off):
    client = _create(session, staff)
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    assert all(resolve(session, token, business=business).access.as_dict().values())

    setattr(business, feature, False)
    session.add(business)
    access = resolve(session, token, business=business).access.as_dict()

    assert clients.client_permissions(session.get(Client, client.id)) == ALL_ON
    assert {k for k, v in access.items() if not v} == turned_off


# --- disabling access ----------------------------------------------------------------------


def test_disable_access_revokes_open_invitations(session, staff):
    client = _create(session, staff)
    invitation = invite_client(session, staff_id=staff.id, client_id=client.id,
                               base_url=BASE_URL, now=NOW)
    key = invite_key_sent_to(session, invitation.email)

    disabled = clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    assert disabled.portal_access == PortalAccess.DISABLED
    assert disabled.disabled_at is not None
    session.refresh(invitation)
    assert invitation.revoked_at is not None
    with pytest.raises(ServiceError) as exc:
        accept_invitation(session, raw=key, now=NOW)
    assert exc.value.message == INVALID_LINK


def test_disable_access_of_only_record_ends_session_at_once(session, staff, business):
    client = _create(session, staff)
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    assert resolve(session, token, business=business) is not None

    clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    assert resolve(session, token, business=business) is None
    assert session.exec(select(AuthSession)).one().revoked_at is not None
    (audit,) = _audits(session, "client.access_disabled")
    assert (audit.client_id, audit.detail["sessions_ended"]) == (client.id, 1)


def test_disable_access_in_household_keeps_other_record_and_session(session, staff, business):
    client = _create(session, staff, full_name="Robin Park")
    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    member = clients.add_household_member(session, staff_id=staff.id, client_id=client.id,
                                          full_name="Kim Park")

    clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    ctx = resolve(session, token, business=business)
    assert ctx is not None
    assert [r.id for r in ctx.records] == [member.id]
    assert ctx.client_id == member.id
    assert session.exec(select(AuthSession)).one().revoked_at is None
    (audit,) = _audits(session, "client.access_disabled")
    assert audit.detail["sessions_ended"] == 0


def test_disable_access_twice_is_a_no_op(session, staff):
    client = _create(session, staff)
    clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    assert len(_audits(session, "client.access_disabled")) == 1


def test_reinvite_after_disable_restores_access(session, staff):
    client = _create(session, staff)
    clients.disable_access(session, staff_id=staff.id, client_id=client.id)

    token = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)

    session.refresh(client)
    assert (client.portal_access, client.disabled_at) == (PortalAccess.ACTIVE, None)
    assert resolve(session, token) is not None
    assert count(session, Invitation) == 1


# --- timeline / last seen ------------------------------------------------------------------


def test_timeline_lists_labelled_entries_newest_first(session, staff):
    client = _create(session, staff)
    clients.update_client(session, staff_id=staff.id, client_id=client.id,
                          form=_form(full_name="Robin Lee"))
    clients.set_permissions(session, staff_id=staff.id, client_id=client.id,
                            perms={**ALL_ON, "upload": False})
    invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    other = _create(session, staff, full_name="Someone Else", email="else@example.test")

    entries = activity.recent_activity(session, client_id=client.id)

    who = staff.full_name
    assert [(e.text, e.actor_kind) for e in entries] == [
        ("Robin Lee signed in", "client"),
        ("Robin Lee accepted the invitation", "client"),
        (f"{who} invited Robin Lee to the portal", "staff"),
        (f"{who} changed the permissions of Robin Lee", "staff"),
        (f"{who} edited the details of Robin Lee", "staff"),
        (f"{who} added Robin Lee as a client", "staff"),
    ]
    assert all(a.at >= b.at for a, b in zip(entries, entries[1:], strict=False))
    assert [e.text for e in activity.recent_activity(session, client_id=other.id)] == [
        f"{who} added Someone Else as a client"]
    assert len(activity.recent_activity(session, client_id=client.id, limit=2)) == 2


def test_last_seen_is_latest_session_activity(session, staff):
    client = _create(session, staff)
    assert clients.last_seen(session, client_id=client.id) is None
    first = invite_and_sign_in(session, staff_id=staff.id, client_id=client.id)
    assert clients.last_seen(session, client_id=client.id) == NOW

    ticket = sessions.create_ticket(session, kind="client", account_id=client.account_id,
                                    now=NOW + timedelta(minutes=1))
    second = redeem(session, ticket, now=NOW + timedelta(minutes=1))
    sessions.get_live_session(session, raw_token=second, kind="client", timeouts=TIMEOUTS,
                              now=NOW + timedelta(minutes=9))
    sessions.get_live_session(session, raw_token=first, kind="client", timeouts=TIMEOUTS,
                              now=NOW + timedelta(minutes=5))

    assert clients.last_seen(session, client_id=client.id) == NOW + timedelta(minutes=9)
