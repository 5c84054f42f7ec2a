"""The daily Community digest: once per member per day (job run twice, two workers
racing), only default-level members who may read, after 07:00 in their own zone,
in their language."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from models import (
    DigestRun,
    Entitlement,
    GrantKind,
    GrantSource,
    GroupVisibility,
    OutboxMessage,
)
from portal_app import apps, jobs
from portal_app.services.community import digest
from portal_app.services.hub import entitlements
from tests import community_notices_rows as rows
from tests import factories

BASE = "http://portal.test"
# 13:30 UTC on Mon Dec 7 2026: 07:30 in Chicago (CST), 14:30 in Madrid, 22:30 in Tokyo.
NOW = datetime(2026, 12, 7, 13, 30, tzinfo=UTC)


def _setup(session, *, zone="America/Chicago", **group_fields):
    factories.business(session, timezone=zone)
    group = rows.group(session, **group_fields)
    author = rows.member(session, group, display="Ana Runner", notify="muted")
    rows.post(session, group, author, title="Long run", at=NOW - timedelta(hours=3))
    return group, author


def _mails(session):
    return session.exec(select(OutboxMessage).where(
        OutboxMessage.template == "community_digest")).all()


def test_the_digest_lists_new_posts_in_the_members_zone_once_when_the_job_runs_twice(session):
    group, _author = _setup(session)
    bea = rows.member(session, group)
    session.commit()
    assert jobs.community_digest_once(now=NOW) == 1
    assert jobs.community_digest_once(now=NOW + timedelta(minutes=30)) == 0
    session.expire_all()
    (mail,) = _mails(session)
    assert mail.to == bea.email
    assert mail.subject == "Your Community digest for Dec 7, 2026"
    assert "Long run" in mail.body_text and "Ana Runner" in mail.body_text
    assert "Mon, Dec 7, 4:30\u202fAM CST" in mail.body_text  # 10:30 UTC in Chicago
    assert "/community/post?id=" in mail.body_text
    (run,) = session.exec(select(DigestRun)).all()
    assert (run.client_id, run.day.isoformat(), run.items) == (bea.id, "2026-12-07", 1)


def test_two_workers_racing_on_the_day_row_send_once(session, engine):
    group, _author = _setup(session)
    bea = rows.member(session, group)
    session.commit()
    with Session(engine, expire_on_commit=False) as first:
        assert digest.send_digest(first, client_id=bea.id, now=NOW, base_url=BASE) == digest.SENT
        first.commit()
    with Session(engine, expire_on_commit=False) as second:
        # past its own look-up, the second worker's insert of the day row fails
        assert not digest.claim_day(second, client_id=bea.id, day=NOW.date(), items=1, now=NOW)
        assert digest.send_digest(second, client_id=bea.id, now=NOW, base_url=BASE) == digest.DONE
        second.commit()
    assert len(_mails(session)) == 1


def test_muted_all_level_and_groupless_clients_get_no_digest(session):
    group, author = _setup(session)
    rows.member(session, group, notify="all")
    factories.household(session, names=("Nobody",))
    rows.member(session, group, notify="mentions", status="left")
    session.commit()
    assert digest.due_clients(session, now=NOW) == []
    assert digest.send_digest(session, client_id=author.id, now=NOW, base_url=BASE) == digest.NONE
    assert _mails(session) == []


def test_a_spanish_client_gets_it_in_spanish(session):
    group, _author = _setup(session)
    rows.member(session, group, language="es")
    session.commit()
    jobs.community_digest_once(now=NOW)
    session.expire_all()
    (mail,) = _mails(session)
    assert mail.subject == "Tu resumen de la Comunidad del 7 dic 2026"
    assert "Novedades en tus grupos" in mail.body_text and "CST" in mail.body_text


def test_it_waits_for_07_00_in_each_members_own_zone(session):
    group, _author = _setup(session)
    early = NOW - timedelta(minutes=45)  # 12:45 UTC: 06:45 in Chicago, 13:45 in Madrid
    chicago = rows.member(session, group)  # the business's zone
    madrid = rows.member(session, group, timezone="Europe/Madrid")
    session.commit()
    assert digest.send_digest(session, client_id=chicago.id, now=early,
                              base_url=BASE) == digest.NOT_YET
    assert digest.send_digest(session, client_id=madrid.id, now=early,
                              base_url=BASE) == digest.SENT
    assert digest.send_digest(session, client_id=chicago.id, now=NOW,
                              base_url=BASE) == digest.SENT
    assert sorted(m.to for m in _mails(session)) == sorted([chicago.email, madrid.email])


def test_nothing_new_is_recorded_without_an_email_and_not_looked_at_again(session):
    factories.business(session, timezone="America/Chicago")
    group = rows.group(session)
    bea = rows.member(session, group)
    session.commit()
    assert digest.send_digest(session, client_id=bea.id, now=NOW, base_url=BASE) == digest.EMPTY
    assert [r.items for r in session.exec(select(DigestRun)).all()] == [0]
    assert digest.due_clients(session, now=NOW + timedelta(hours=1)) == []
    assert _mails(session) == []


def test_the_next_digest_lists_only_what_came_after_the_previous_one(session):
    group, author = _setup(session)
    bea = rows.member(session, group)
    assert digest.send_digest(session, client_id=bea.id, now=NOW, base_url=BASE) == digest.SENT
    tomorrow = NOW + timedelta(days=1)
    rows.post(session, group, author, title="Hill repeats", at=tomorrow - timedelta(hours=1))
    assert digest.send_digest(session, client_id=bea.id, now=tomorrow,
                              base_url=BASE) == digest.SENT
    second = _mails(session)[-1]
    assert "Hill repeats" in second.body_text and "Long run" not in second.body_text


def test_only_readers_an_ended_grant_gets_nothing(session):
    group, author = _setup(session, visibility=GroupVisibility.ENTITLED)
    ivy = rows.member(session, group)
    entitlements.grant(session, client_id=ivy.id, kind=GrantKind.GROUP, app_key=apps.COMMUNITY,
                       target_id=group.id, source=GrantSource.STAFF,
                       starts_at=NOW - timedelta(days=30), ends_at=NOW - timedelta(days=1))
    session.commit()
    assert session.exec(select(Entitlement)).one().ends_at < NOW
    assert digest.send_digest(session, client_id=ivy.id, now=NOW, base_url=BASE) == digest.NONE
    assert _mails(session) == []


def test_the_command_runs_the_digest_at_a_given_moment(session):
    from typer.testing import CliRunner

    from portal_app.cli import app

    group, _author = _setup(session)
    rows.member(session, group)
    session.commit()
    early = CliRunner().invoke(app, ["community-digest", "--at", "2026-12-07T12:45:00"])
    assert early.exit_code == 0 and "queued 0 digest emails" in early.output
    result = CliRunner().invoke(app, ["community-digest", "--at", NOW.isoformat()])
    assert result.exit_code == 0 and "queued 1 digest emails" in result.output
    assert len(_mails(session)) == 1


def test_held_posts_stay_out_and_titles_are_escaped(session):
    group, author = _setup(session)
    bea = rows.member(session, group)
    rows.post(session, group, author, title="Secret draft", status="held",
              at=NOW - timedelta(hours=2))
    rows.post(session, group, author, title="<b>Bold</b> & co", at=NOW - timedelta(hours=1))
    assert digest.send_digest(session, client_id=bea.id, now=NOW, base_url=BASE) == digest.SENT
    (mail,) = _mails(session)
    assert "Secret draft" not in mail.body_text and "Secret draft" not in mail.body_html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in mail.body_html and "<b>Bold" not in mail.body_html


def test_a_digest_late_yesterday_does_not_delay_this_mornings(session):
    """Due-ness is the member's own calendar day, not hours since the last digest: a
    digest at 23:00 local yesterday still lets this morning's go at 07:00."""
    group, _author = _setup(session)
    bea = rows.member(session, group)  # Chicago, the business's zone
    session.commit()
    late = NOW + timedelta(hours=16)  # 23:00 in Chicago on the same day as NOW
    assert digest.send_digest(session, client_id=bea.id, now=late, base_url=BASE) in (
        digest.SENT, digest.EMPTY, digest.DONE)
    session.commit()
    assert bea.id not in digest.due_clients(session, now=late + timedelta(hours=1))
    next_morning = NOW + timedelta(days=1)  # 07:00 in Chicago the next day... and after
    assert bea.id in digest.due_clients(session, now=next_morning + timedelta(minutes=5))
    assert bea.id not in digest.due_clients(session, now=next_morning - timedelta(hours=1))
