"""Who hears of a published post or comment: mentions, replies, "all" members;
never the author, never a muted member, only readers, once per person per text."""

from datetime import timedelta

from sqlmodel import select

from models import (
    ContentStatus,
    Entitlement,
    GrantKind,
    GrantSource,
    GroupVisibility,
    Mention,
    Notification,
    OutboxMessage,
)
from models.base import utcnow
from portal_app import apps
from portal_app.services.community import notices
from portal_app.services.hub import entitlements
from tests import community_notices_rows as rows
from tests import factories
from tests.sql import statements_of

BASE = "http://portal.test"


def _setup(session, **group_fields):
    factories.business(session)
    group = rows.group(session, **group_fields)
    author = rows.member(session, group, display="Ana Runner")
    return group, author


def _bells(session, client):
    return session.exec(select(Notification).where(Notification.client_id == client.id)).all()


def test_a_mentioned_member_is_notified_once_and_the_mention_marked(session):
    group, author = _setup(session)
    bea = rows.member(session, group)
    post = rows.post(session, group, author, title="Long run", mentions=[bea])
    assert notices.on_published(session, post=post, base_url=BASE) == [bea.id]
    assert notices.on_published(session, post=post, base_url=BASE) == []
    (bell,) = _bells(session, bea)
    assert bell.title == "Runners: Ana Runner mentioned you in Long run"
    assert bell.link == f"/community/post?id={post.id}"
    assert session.exec(select(Mention.notified)).all() == [True]


def test_the_post_author_hears_of_a_reply_but_not_of_their_own_comment(session):
    group, author = _setup(session)
    bea = rows.member(session, group, display="Bea")
    post = rows.post(session, group, author)
    reply = rows.comment(session, post, bea)
    assert notices.on_published(session, comment=reply, base_url=BASE) == [author.id]
    assert _bells(session, author)[0].title == "Runners: Bea replied to your post Hello"
    own = rows.comment(session, post, author)
    assert notices.on_published(session, comment=own, base_url=BASE) == []


def test_mentioned_and_replied_to_is_one_notification(session):
    group, author = _setup(session)
    bea = rows.member(session, group, display="Bea")
    post = rows.post(session, group, author)
    reply = rows.comment(session, post, bea, mentions=[author])
    assert notices.on_published(session, comment=reply, base_url=BASE) == [author.id]
    assert len(_bells(session, author)) == 1
    assert "mentioned you" in _bells(session, author)[0].title


def test_all_level_members_hear_of_every_post_and_default_ones_do_not(session):
    group, author = _setup(session)
    keen = rows.member(session, group, notify="all")
    rows.member(session, group)  # default "mentions": the digest tells them
    post = rows.post(session, group, author, title="Race day")
    assert notices.on_published(session, post=post, base_url=BASE) == [keen.id]
    assert _bells(session, keen)[0].title == "Runners: Ana Runner posted Race day"
    comment = rows.comment(session, post, author)
    assert notices.on_published(session, comment=comment, base_url=BASE) == [keen.id]


def test_a_muted_member_is_not_notified_even_when_mentioned_or_replied_to(session):
    group, author = _setup(session)
    quiet = rows.member(session, group, notify="muted")
    post = rows.post(session, group, quiet)
    reply = rows.comment(session, post, author, mentions=[quiet])
    assert notices.on_published(session, comment=reply, base_url=BASE) == []
    assert _bells(session, quiet) == []


def test_a_held_post_notifies_nobody(session):
    group, author = _setup(session)
    bea = rows.member(session, group, notify="all")
    held = rows.post(session, group, author, status=ContentStatus.HELD, mentions=[bea])
    assert notices.on_published(session, post=held, base_url=BASE) == []
    assert _bells(session, bea) == []
    # the mention waits: approval later tells bea once
    assert session.exec(select(Mention.notified)).all() == [False]
    held.status = ContentStatus.PUBLISHED
    assert notices.on_published(session, post=held, base_url=BASE) == [bea.id]


def test_only_readers_hear_entitled_grant_ended_nothing(session):
    group, author = _setup(session, visibility=GroupVisibility.ENTITLED)
    ivy = rows.member(session, group, notify="all")
    for client in (author, ivy):
        entitlements.grant(session, client_id=client.id, kind=GrantKind.GROUP,
                           app_key=apps.COMMUNITY, target_id=group.id, source=GrantSource.STAFF)
    grant = session.exec(select(Entitlement).where(Entitlement.client_id == ivy.id)).one()
    grant.ends_at = utcnow() - timedelta(minutes=1)
    grant.starts_at = utcnow() - timedelta(days=1)
    session.add(grant)
    session.flush()
    post = rows.post(session, group, author, mentions=[ivy])
    assert notices.on_published(session, post=post, base_url=BASE) == []


def test_a_display_name_never_the_legal_name(session):
    group, _author = _setup(session)
    nameless = rows.member(session, group)
    bea = rows.member(session, group, notify="all")
    post = rows.post(session, group, nameless)
    notices.on_published(session, post=post, base_url=BASE)
    (bell,) = _bells(session, bea)
    assert bell.title == "Runners: A member posted Hello"
    assert nameless.full_name not in bell.title


def test_the_email_copy_follows_the_clients_choice(session):
    group, author = _setup(session)
    wants = rows.member(session, group, email_notifications=["community"], email_ok=True)
    not_wants = rows.member(session, group)
    post = rows.post(session, group, author, mentions=[wants, not_wants])
    assert sorted(notices.on_published(session, post=post, base_url=BASE)) == sorted(
        [wants.id, not_wants.id])
    mails = session.exec(select(OutboxMessage)).all()
    assert [m.to for m in mails] == [wants.email]


def _count_for(session, engine, members: int) -> int:
    group, author = _setup(session)
    bea = rows.member(session, group)
    for _ in range(members):
        rows.member(session, group)
    post = rows.post(session, group, author, mentions=[bea])
    session.commit()
    sent = statements_of(engine, lambda: notices.on_published(session, post=post, base_url=BASE))
    session.rollback()
    return len(sent)


def test_statements_stay_constant_with_5_or_50_members(engine):
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as s1:
        few = _count_for(s1, engine, 5)
    with Session(engine, expire_on_commit=False) as s2:
        many = _count_for(s2, engine, 50)
    assert few == many


def test_an_approved_join_request_is_told_in_the_members_language(session):
    group, _author = _setup(session)
    rita = rows.member(session, group, language="es")
    notices.notify_approved(session, client_id=rita.id, group=group, base_url=BASE)
    (bell,) = _bells(session, rita)
    assert bell.link == f"/community/group?id={group.id}"
    from portal_app.services.notifications import title_of
    assert title_of(bell, lang="es", zone="UTC") == "Tu solicitud para unirte a Runners fue aprobada"
