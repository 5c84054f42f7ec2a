"""Every public event handler is a remote procedure: any websocket client can
call it with any arguments. This test calls every handler of every State
class (new ones included automatically) as an anonymous client and as a
signed-in client of another household, with the victim's ids as arguments.
Apart from the reviewed allow-list below, each call must change nothing in
the database and reveal nothing of the victim."""

import copy
import hashlib
import inspect
import json
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy import inspect as sa_inspect

from portal_app.services.sessions import create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from tests import factories
from tests.databases import database_template, forget_process_caches, fresh_database
from tests.state.harness import all_vars, call, new_tab, our_handlers, substate

# Handlers that must work signed out, with the reason. Anything not listed
# here must refuse an anonymous caller. Review additions carefully.
SIGNED_OUT_ALLOWED = {
    "BrandState.load": "public branding for the sign-in page",
    "LoginState.reset_form": "sign-in form step",
    "LoginState.use_password": "sign-in form step",
    "LoginState.back_to_email": "sign-in form step",
    "LoginState.request_code": "sends a code; same answer for every email",
    "LoginState.resend_code": "sends a code; same answer for every email",
    "LoginState.submit_code": "the sign-in itself",
    "LoginState.submit_password": "the sign-in itself",
    "RegisterState.start": "self sign-up (business switch checked in the service)",
    "RegisterState.finish": "self sign-up",
    "RegisterState.restart": "self sign-up form step",
    "ForgotState.request": "password reset; same answer for every email",
    "ForgotState.reset_with_code": "password reset with the emailed code",
    "ConsoleLoginState.restart": "staff sign-in form step",
    "ConsoleLoginState.submit_password": "staff sign-in step 1",
    "ConsoleLoginState.confirm_enrolment": "staff TOTP enrolment after step 1 (server-side pending)",
    "ConsoleLoginState.finish_enrolment": "staff sign-in after enrolment (server-side ticket)",
    "ConsoleLoginState.submit_code": "staff sign-in step 2 (server-side pending)",
    "MailboxState.load": "dev mailbox: dev only; refused in production (tested below)",
}

# Bookkeeping that an allowed or refused call may legitimately touch (the access
# generation is a counter that any session or record change moves; no private data).
IGNORED_TABLES = {"rate_event", "access_generation"}

# Handlers whose lawful effect for a signed-in caller is an email to the business
# about the caller's own record (an outbox row has no owner column). For these the
# outbox is checked apart: new rows must name the caller and nothing of the victim.
OWN_EMAIL_TO_BUSINESS = {
    "ProfileState.request_closure": "the caller asks to close their own account",
    "MessagesState.start_text": "the caller starts a conversation of their own household "
                                "(its rows are the caller's; staff are emailed)",
}


def _victims_group(session, victim, marker: str) -> None:
    """An entitlement-only group the victim holds a grant to, with their post, comment
    and reaction, all naming the marker: its ids (small numbers, like the victim's
    record ids passed to every handler) must open nothing to another household."""
    from models import (
        ChannelKind,
        CommunityChannel,
        CommunityGroup,
        GrantKind,
        GrantSource,
        GroupVisibility,
        Post,
        PostComment,
        Reaction,
    )
    from portal_app.services.hub.entitlements import grant

    victim.display_name = f"{marker}Shown"
    group = CommunityGroup(name=f"{marker} group", visibility=GroupVisibility.ENTITLED)
    session.add(group)
    session.flush()
    channel = CommunityChannel(group_id=group.id, name="Feed", kind=ChannelKind.FEED)
    session.add(channel)
    session.flush()
    grant(session, client_id=victim.id, kind=GrantKind.GROUP, app_key="community",
          target_id=group.id, source=GrantSource.STAFF)
    post = Post(group_id=group.id, channel_id=channel.id, author_client_id=victim.id,
                title=f"{marker} post", body=marker)
    session.add(post)
    session.flush()
    session.add(PostComment(post_id=post.id, group_id=group.id, author_client_id=victim.id,
                            body=f"{marker} comment"))
    session.add(Reaction(group_id=group.id, post_id=post.id, target=f"p{post.id}",
                         client_id=victim.id, emoji="👍"))
    session.flush()


def _build_world(session) -> dict:
    # Every hub app on, Community open to all: app handlers run past the app check.
    factories.business(session, portal_enabled=True, allow_self_signup=True,
                       apps_enabled=["courses", "referrals", "community"],
                       apps_open=["community"])
    marker = f"Victimname{uuid.uuid4().hex[:8]}"
    victim_acc, victim_clients = factories.household(
        session, names=(marker, f"{marker}Two"), email=f"victim{uuid.uuid4().hex[:6]}@example.test")
    attacker_acc, attacker_clients = factories.household(session, names=("Mallory",))
    _victims_group(session, victim_clients[1], marker)
    factories.staff(session, role="owner", totp_secret="JBSWY3DPEHPK3PXP")
    tokens = {}
    for label, acc, client in (("victim", victim_acc, victim_clients[0]),
                               ("attacker", attacker_acc, attacker_clients[0])):
        ticket = create_ticket(session, kind="client", account_id=acc.id,
                               selected_client_id=client.id)
        tokens[label], _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return {
        "marker": marker,
        "victim_email": victim_acc.email,
        "victim_account": victim_acc.id,
        "victim_ids": [c.id for c in victim_clients],
        "attacker_account": attacker_acc.id,
        "tokens": tokens,
    }


# The world is made once per module and copied per test (about 2,000 tests call
# handlers on it); made again after half an hour, well inside the sessions' idle
# limit, so the attacker's cookie is always a live session.
WORLD_MAX_AGE = 30 * 60


@pytest.fixture(scope="module")
def _world_template(_schema_template, tmp_path_factory):
    made: dict = {}

    def current():
        if not made or time.monotonic() - made["at"] > WORLD_MAX_AGE:
            folder = tmp_path_factory.mktemp("world")
            made["path"], made["world"] = database_template(_schema_template, folder,
                                                            _build_world)
            made["at"] = time.monotonic()
        return made["path"], made["world"]

    return current


@pytest.fixture
def world(engine, _world_template):
    path, made = _world_template()
    fresh_database(engine, Path(engine.url.database), path)
    forget_process_caches()
    return copy.deepcopy(made)


def _row_owned_by(table: str, row: dict, account_id: int, owned: dict) -> bool:
    """`owned`: the account's client records and their conversations (ids)."""
    if table == "portal_account":
        return row["id"] == account_id
    if table in ("client", "auth_session", "sign_in_ticket"):
        return row.get("account_id") == account_id
    if table == "audit_event":
        return row["actor_kind"] == "client" and (row["actor_id"] == account_id
                                                  or row["actor_id"] in owned["clients"])
    if table == "conversation":
        return row["client_id"] in owned["clients"]
    if table == "message":
        return row["conversation_id"] in owned["conversations"]
    return False


def _owned_ids(conn, account_id: int) -> dict:
    clients = {r[0] for r in conn.execute(
        text("SELECT id FROM client WHERE account_id = :a"), {"a": account_id})}
    conversations = {r[0] for r in conn.execute(text("SELECT id, client_id FROM conversation"))
                     if r[1] in clients}
    return {"clients": clients, "conversations": conversations}


def digest(engine, *, exclude_account: int | None = None) -> dict[str, str]:
    """A hash per table of every row (minus the excluded account's own rows)."""
    out = {}
    with engine.connect() as conn:
        owned = _owned_ids(conn, exclude_account) if exclude_account is not None else {}
        for table in sorted(sa_inspect(conn).get_table_names()):
            if table in IGNORED_TABLES or table == "alembic_version":
                continue
            rows = [dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            if exclude_account is not None:
                rows = [r for r in rows if not _row_owned_by(table, r, exclude_account, owned)]
            out[table] = hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()
    return out


class Before:
    """The database as it was before a call, kept cheaply: a copy made with SQLite's
    backup API, and `PRAGMA data_version` read on a connection of its own (it changes
    when any other connection commits). Most refused calls commit nothing, and then no
    table needs hashing; otherwise the copy's digest is compared with the database's."""

    def __init__(self, engine, folder):
        path = engine.url.database
        self._watch = sqlite3.connect(path, isolation_level=None)
        self._version = self._data_version()
        self._copy = folder / "before.db"
        self._copy.unlink(missing_ok=True)
        source, target = sqlite3.connect(path), sqlite3.connect(self._copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def _data_version(self) -> int:
        return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def committed(self) -> bool:
        """Did any other connection commit since?"""
        changed = self._data_version() != self._version
        self._watch.close()
        return changed

    def digest(self, **kwargs) -> dict[str, str]:
        copy = create_engine(f"sqlite:///{self._copy}")
        try:
            return digest(copy, **kwargs)
        finally:
            copy.dispose()


def victim_rows(engine, w) -> str:
    with engine.connect() as conn:
        rows = [
            conn.execute(text("SELECT * FROM portal_account WHERE id=:i"),
                         {"i": w["victim_account"]}).all(),
            conn.execute(text("SELECT * FROM client WHERE account_id=:i ORDER BY id"),
                         {"i": w["victim_account"]}).all(),
            conn.execute(text("SELECT * FROM auth_session WHERE account_id=:i ORDER BY id"),
                         {"i": w["victim_account"]}).all(),
        ]
    return repr(rows)


def last_outbox_id(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM outbox_message")).scalar()


def new_outbox_bodies(engine, *, since: int) -> list[str]:
    with engine.connect() as conn:
        return [f"{r[0]}\n{r[1]}\n{r[2]}" for r in conn.execute(
            text("SELECT subject, body_text, body_html FROM outbox_message WHERE id > :i"),
            {"i": since})]


def hostile_args(fn, w) -> list:
    """Arguments aimed at the victim, shaped by the handler's signature."""
    victim_id = w["victim_ids"][1]
    form = {
        "email": w["victim_email"], "code": "123456", "password": "guess-password-123",
        "current_password": "guess-password-123", "new_password": "attacker-password-1",
        "full_name": "Mallory", "client_id": victim_id, "id": victim_id,
    }
    args = []
    params = list(inspect.signature(fn).parameters.values())[1:]
    for p in params:
        ann = str(p.annotation)
        if "dict" in ann:
            args.append(dict(form))
        elif "int" in ann:
            args.append(victim_id)
        else:
            args.append(str(victim_id))
    return args


def label(cls, name):
    return f"{cls.__name__}.{name}"


HANDLERS = our_handlers()


def test_enumeration_finds_the_handlers():
    names = {label(c, n) for c, n in HANDLERS}
    # A sample of known handlers proves the walk reaches every layer.
    for expected in ("ClientState.guard_feature", "ClientState.switch_record", "ClientState.logout",
                     "AccountState.save_password", "AccountState.sign_out_everywhere",
                     "ConsoleHomeState.load", "StaffState.staff_guard", "LoginState.request_code"):
        assert expected in names
    stale = (set(SIGNED_OUT_ALLOWED) | set(OWN_EMAIL_TO_BUSINESS)) - names
    assert not stale, f"allow-list names handlers that no longer exist: {stale}"


@pytest.mark.parametrize("cls,name", HANDLERS, ids=[label(c, n) for c, n in HANDLERS])
def test_anonymous_caller_is_refused(cls, name, world, engine, tmp_path):
    fn = cls.event_handlers[name].fn
    key = label(cls, name)
    before_all = Before(engine, tmp_path)
    before_victim = victim_rows(engine, world)
    root = new_tab(None)
    result = call(root, cls, name, *hostile_args(fn, world))
    revealed = all_vars(root) + repr(result)
    if key != "MailboxState.load":
        assert world["marker"] not in revealed, f"{key} revealed the victim's data"
    assert victim_rows(engine, world) == before_victim, f"{key} changed the victim's rows"
    changed = before_all.committed()
    if key not in SIGNED_OUT_ALLOWED and changed:
        assert digest(engine) == before_all.digest(), (
            f"{key} changed the database for an anonymous caller")


@pytest.mark.parametrize("cls,name", HANDLERS, ids=[label(c, n) for c, n in HANDLERS])
def test_other_household_is_refused(cls, name, world, engine, tmp_path):
    fn = cls.event_handlers[name].fn
    key = label(cls, name)
    snapshot = Before(engine, tmp_path)
    before_victim = victim_rows(engine, world)
    outbox_before = last_outbox_id(engine)
    root = new_tab(world["tokens"]["attacker"])
    result = call(root, cls, name, *hostile_args(fn, world))
    revealed = all_vars(root) + repr(result)
    if key != "MailboxState.load":
        assert world["marker"] not in revealed, f"{key} revealed another household's data"
    assert victim_rows(engine, world) == before_victim, f"{key} changed another household's rows"
    changed = snapshot.committed()
    if key not in SIGNED_OUT_ALLOWED and (changed or key in OWN_EMAIL_TO_BUSINESS):
        before = snapshot.digest(exclude_account=world["attacker_account"])
        after = digest(engine, exclude_account=world["attacker_account"])
        if key in OWN_EMAIL_TO_BUSINESS:
            before.pop("outbox_message"), after.pop("outbox_message")
            bodies = new_outbox_bodies(engine, since=outbox_before)
            assert bodies, f"{key}: the caller's own email was expected (the check must bite)"
            for body in bodies:
                assert "Mallory" in body and world["marker"] not in body, key
        assert after == before, f"{key} changed data outside the caller's own household"


def test_victim_sees_own_data_positive_control(world, engine):
    """The checks above can fail: the victim's own cookie does reveal the marker."""
    from state.client_pages import DashboardState

    root = new_tab(world["tokens"]["victim"])
    call(root, DashboardState, "load")
    assert world["marker"] in all_vars(root)


def test_setvar_on_public_vars_grants_nothing(world, engine):
    """Public vars are display-only: setvar is refused (no auto-setters), and even
    forged values do not sign anyone in."""
    from state.client_pages import DashboardState
    from state.session import ClientState

    root = new_tab(None)
    with pytest.raises(AttributeError):
        call(root, ClientState, "setvar", "signed_in", True)
    forged = substate(root, DashboardState)
    forged.signed_in = True
    forged.selected_record = str(world["victim_ids"][0])
    result = call(root, DashboardState, "load")
    assert "/login" in repr(result)
    assert world["marker"] not in all_vars(root)


def test_dev_mailbox_is_refused_in_production(world, engine, monkeypatch):
    from portal_app.settings import reset_settings_cache
    from state.mailbox import MailboxState

    monkeypatch.setattr("state.mailbox.get_settings",
                        lambda: type("S", (), {"is_production": True})())
    root = new_tab(None)
    call(root, MailboxState, "load")
    assert world["victim_email"] not in all_vars(root)
    reset_settings_cache()


def test_the_snapshot_sees_what_another_connection_commits(world, engine, tmp_path):
    """The check above can fail: a commit through the app's engine changes
    `data_version`, and the copy still holds the rows as they were."""
    untouched = Before(engine, tmp_path)
    assert untouched.committed() is False
    snapshot = Before(engine, tmp_path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE client SET full_name = 'Changed' WHERE id = :i"),
                     {"i": world["victim_ids"][0]})
    assert snapshot.committed() is True
    assert snapshot.digest()["client"] != digest(engine)["client"]

