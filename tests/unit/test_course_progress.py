"""A student's way through a course: the outline and its drip states in the client's
own zone (DST and a zone unlike the business's), locked lessons refused with the
reason, "continue where you left off", manual completion, the percentage, the
course's completion, and the player's reports checked for plausibility."""

from datetime import timedelta

import pytest

from models import CompleteRule, DripKind, Enrolment, GrantKind, GrantSource
from portal_app import apps
from portal_app.services.courses import my_courses, progress
from portal_app.services.courses.drip import COMPLETE, LOCKED, OPEN
from portal_app.services.errors import NotAllowed, NotFound
from portal_app.services.hub import entitlements
from tests import factories
from tests.sql import statements_of
from tests.unit import course_helpers as h

T0 = h.utc(2026, 3, 1, 12)


def _world(session, **course_fields):
    factories.business(session, timezone="America/New_York")
    course, mods, lessons = h.course(session, **course_fields)
    return course, mods, lessons


def test_the_outline_lists_published_lessons_in_order_with_their_states(engine, session):
    course, mods, lessons = _world(session, modules=2, lessons_per_module=2)
    lessons[1].published = False
    lessons[2].position, lessons[3].position = 5, 1  # lesson 2.2 before 2.1
    session.add_all(lessons)
    client = h.student(session, course_row=course)
    facts = progress.course_outline(session, client_id=client.id, course_id=course.id,
                                    zone="UTC", now=T0)
    assert [x.title for x in facts.lessons] == ["Lesson 1.1", "Lesson 2.2", "Lesson 2.1"]
    assert {s.status for s in facts.states.values()} == {OPEN}
    assert session.get(Enrolment, facts.enrolment.id).client_id == client.id


def test_a_draft_an_ungranted_or_a_missing_course_is_the_same_not_found(engine, session):
    course, _m, lessons = _world(session)
    draft, _m2, _l2 = h.course(session, title="Draft", status="draft")
    granted = h.student(session, course_row=course)
    other = h.student(session, name="Bo", course_row=draft)
    for client_id, course_id in ((granted.id, draft.id), (other.id, course.id),
                                 (granted.id, 999999), (granted.id, "x; drop")):
        with pytest.raises(NotFound) as caught:
            progress.course_outline(session, client_id=client_id, course_id=course_id,
                                    zone="UTC")
        assert caught.value.message == "That course is not available to you."
    with pytest.raises(NotFound):
        progress.open_lesson(session, client_id=other.id, lesson_id=lessons[0].id, zone="UTC")


def test_a_day_drip_opens_at_the_hour_of_the_clients_zone_not_the_businesss(engine, session):
    course, _m, lessons = _world(session, unlock_hour=8)
    lessons[1].drip_kind, lessons[1].drip_days = DripKind.DAYS, 1
    session.add(lessons[1])
    client = h.student(session, course_row=course, timezone="Asia/Tokyo", starts_at=T0)
    # Day 0 is Mar 1 in Tokyo (21:00 JST); day 1 at 08:00 JST is Mar 1, 23:00 UTC.
    opens = h.utc(2026, 3, 1, 23)
    facts = progress.course_outline(session, client_id=client.id, course_id=course.id,
                                    zone="Asia/Tokyo", now=opens - timedelta(minutes=1))
    assert facts.states[lessons[1].id].status == LOCKED
    assert facts.states[lessons[1].id].unlocks_at == opens
    with pytest.raises(progress.LessonLocked) as caught:
        progress.open_lesson(session, client_id=client.id, lesson_id=lessons[1].id,
                             zone="Asia/Tokyo", now=opens - timedelta(minutes=1))
    assert progress.locked_text(caught.value, lang="en", zone="Asia/Tokyo") == (
        "This lesson opens on Monday, March 2, 2026, 8:00\u202fAM JST (Asia/Tokyo).")
    assert "(Asia/Tokyo)" in progress.locked_text(caught.value, lang="es", zone="Asia/Tokyo")
    assert progress.locked_text(caught.value, lang="es", zone="Asia/Tokyo").startswith(
        "Esta lección se abre el")
    facts, lesson = progress.open_lesson(session, client_id=client.id, lesson_id=lessons[1].id,
                                         zone="Asia/Tokyo", now=opens)
    assert lesson.id == lessons[1].id


def test_a_day_drip_across_the_spring_change_keeps_the_local_hour(engine, session):
    course, _m, lessons = _world(session, unlock_hour=8)
    lessons[1].drip_kind, lessons[1].drip_days = DripKind.DAYS, 1
    session.add(lessons[1])
    started = h.utc(2026, 3, 7, 15)  # Sat Mar 7, 10:00 EST; clocks go forward on Mar 8
    client = h.student(session, course_row=course, timezone="America/New_York",
                       starts_at=started)
    facts = progress.course_outline(session, client_id=client.id, course_id=course.id,
                                    zone="America/New_York", now=started)
    # 08:00 EDT (UTC-4) on Mar 8, not 08:00 EST (13:00 UTC).
    assert facts.states[lessons[1].id].unlocks_at == h.utc(2026, 3, 8, 12)


def test_in_order_a_lesson_waits_for_the_one_before(engine, session):
    course, _m, lessons = _world(session, in_order=True)
    client = h.student(session, course_row=course)
    with pytest.raises(progress.LessonLocked) as caught:
        progress.open_lesson(session, client_id=client.id, lesson_id=lessons[1].id, zone="UTC")
    assert progress.locked_text(caught.value, lang="en", zone="UTC") == (
        "Complete “Lesson 1.1” first.")
    with pytest.raises(progress.LessonLocked):
        progress.mark_complete(session, client_id=client.id, lesson_id=lessons[1].id,
                               zone="UTC")
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id, zone="UTC")
    facts, _lesson = progress.open_lesson(session, client_id=client.id,
                                          lesson_id=lessons[1].id, zone="UTC")
    assert facts.states[lessons[0].id].status == COMPLETE


def test_opening_a_lesson_is_where_the_student_left_off(engine, session):
    course, _m, lessons = _world(session)
    client = h.student(session)  # the whole app
    assert my_courses.continue_card(session, client_id=client.id) is None
    progress.open_lesson(session, client_id=client.id, lesson_id=lessons[1].id, zone="UTC",
                         now=T0)
    card = my_courses.continue_card(session, client_id=client.id)
    assert (card.course_title, card.lesson_id, card.lesson_title) == (
        "Calm Mind", lessons[1].id, "Lesson 1.2")
    for lesson in lessons:
        progress.mark_complete(session, client_id=client.id, lesson_id=lesson.id, zone="UTC")
    assert my_courses.continue_card(session, client_id=client.id) is None  # finished


def test_where_the_student_left_off_skips_a_course_no_longer_granted_in_one_statement(
        engine, session):
    factories.business(session, timezone="America/New_York")
    calm, _m, calm_lessons = h.course(session, title="Calm Mind")
    sleep, _m2, sleep_lessons = h.course(session, title="Better Sleep")
    client = h.student(session, course_row=calm)
    grant = entitlements.grant(session, client_id=client.id, kind=GrantKind.COURSE,
                               app_key=apps.COURSES, target_id=sleep.id,
                               source=GrantSource.STAFF)
    progress.open_lesson(session, client_id=client.id, lesson_id=calm_lessons[0].id,
                         zone="UTC", now=T0)
    progress.open_lesson(session, client_id=client.id, lesson_id=sleep_lessons[1].id,
                         zone="UTC", now=T0 + timedelta(hours=1))
    session.flush()
    cards = []
    sent = statements_of(engine, lambda: cards.append(
        my_courses.continue_card(session, client_id=client.id)))
    assert cards[0].course_title == "Better Sleep"  # the lesson opened last
    assert len(sent) == 1
    entitlements.revoke_grant(session, grant_id=grant.id, staff_id=None)
    session.flush()
    card = my_courses.continue_card(session, client_id=client.id)
    assert (card.course_title, card.lesson_id) == ("Calm Mind", calm_lessons[0].id)


def test_mark_complete_only_for_manual_lessons_and_once(engine, session):
    course, _m, lessons = _world(session)
    h.make_video(session, lessons[1])
    client = h.student(session, course_row=course)
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id, zone="UTC")
    with pytest.raises(NotAllowed) as caught:
        progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id,
                               zone="UTC")
    assert caught.value.message == progress.ALREADY_COMPLETE
    with pytest.raises(NotAllowed) as caught:
        progress.mark_complete(session, client_id=client.id, lesson_id=lessons[1].id,
                               zone="UTC")
    assert caught.value.message == progress.NOT_MANUAL


def test_percentage_counts_required_lessons_and_completion_is_recorded_once(engine, session):
    course, _m, lessons = _world(session, lessons_per_module=4)
    lessons[3].required = False
    session.add(lessons[3])
    client = h.student(session, course_row=course)
    cards = my_courses.list_my_courses(session, client_id=client.id)
    assert [(c.title, c.percent, c.completed) for c in cards] == [("Calm Mind", 0, False)]
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id, zone="UTC",
                           now=T0)
    assert my_courses.list_my_courses(session, client_id=client.id)[0].percent == 33
    for lesson in lessons[1:3]:
        facts = progress.mark_complete(session, client_id=client.id, lesson_id=lesson.id,
                                       zone="UTC", now=T0 + timedelta(hours=1))
    assert facts.enrolment.completed_at == T0 + timedelta(hours=1)
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[3].id, zone="UTC",
                           now=T0 + timedelta(hours=2))
    assert facts.enrolment.completed_at == T0 + timedelta(hours=1)
    card = my_courses.list_my_courses(session, client_id=client.id)[0]
    assert (card.percent, card.completed, card.certificate) == (100, True, True)


def test_a_revoked_grant_hides_the_course_and_restoring_keeps_progress(engine, session):
    from sqlmodel import select

    from models import Entitlement
    from portal_app.services.hub import entitlements

    course, _m, lessons = _world(session)
    client = h.student(session, course_row=course)
    progress.mark_complete(session, client_id=client.id, lesson_id=lessons[0].id, zone="UTC")
    grant = session.exec(select(Entitlement).where(Entitlement.client_id == client.id)).one()
    entitlements.revoke_grant(session, grant_id=grant.id, staff_id=None)
    assert my_courses.list_my_courses(session, client_id=client.id) == []
    with pytest.raises(NotFound):
        progress.mark_complete(session, client_id=client.id, lesson_id=lessons[1].id,
                               zone="UTC")
    entitlements.restore_grant(session, grant_id=grant.id, staff_id=None)
    assert my_courses.list_my_courses(session, client_id=client.id)[0].percent == 50


# --- the player's reports ---------------------------------------------------------------


@pytest.mark.parametrize("watched,pct,position,duration,elapsed,ok", [
    (0, 0, 10, 100, 10, True),  # played 10 s in 10 s
    (0, 0, 24, 100, 10, True),  # 2x speed (and the margin)
    (0, 0, 40, 100, 10, False),  # skipped ahead
    (50, 50, 20, 100, 10, True),  # watching again from earlier
    (0, 0, 101.5, 100, 500, False),  # past the end
    (0, 0, 5, 0, 10, False),  # no duration
    (10, 0, 300, 1000, 86400, False),  # a day's pause does not buy a jump
    (50, 50, 55, 100, 10, True),  # the same duration as before
    (50, 50, 55, 60, 10, False),  # a shorter video than reported before: a lie
])
def test_a_report_is_plausible_only_at_the_pace_of_the_clock(watched, pct, position,
                                                             duration, elapsed, ok):
    assert progress.plausible(watched=watched, watched_pct=pct, position=position,
                              duration=duration, elapsed=elapsed) is ok


def test_watching_the_videos_share_completes_it_and_skipping_does_not(engine, session):
    course, _m, lessons = _world(session, lessons_per_module=1)
    h.make_video(session, lessons[0], share=90)
    client = h.student(session, course_row=course)
    lid = lessons[0].id
    progress.open_lesson(session, client_id=client.id, lesson_id=lid, zone="UTC", now=T0)
    jump = progress.report_video(session, client_id=client.id, lesson_id=lid, position=95,
                                 duration=100, zone="UTC", now=T0 + timedelta(seconds=10))
    assert (jump.accepted, jump.watched_pct, jump.completed) == (False, 0, False)
    at = T0 + timedelta(seconds=10)
    for position in range(10, 100, 10):
        at += timedelta(seconds=10)
        report = progress.report_video(session, client_id=client.id, lesson_id=lid,
                                       position=position, duration="100.0", zone="UTC", now=at)
        assert report.accepted, position
    assert (report.watched_pct, report.completed) == (90, True)
    facts = progress.course_outline(session, client_id=client.id, course_id=course.id,
                                    zone="UTC", now=at)
    assert facts.progress[lid].completed_by == "video"
    assert facts.enrolment.completed_at == at
    nonsense = progress.report_video(session, client_id=client.id, lesson_id=lid,
                                     position="nan", duration=None, zone="UTC", now=at)
    assert nonsense.accepted is False


def test_a_report_for_a_text_lesson_is_refused(engine, session):
    course, _m, lessons = _world(session)
    client = h.student(session, course_row=course)
    with pytest.raises(NotAllowed):
        progress.report_video(session, client_id=client.id, lesson_id=lessons[0].id,
                              position=1, duration=10, zone="UTC")
    assert lessons[0].complete_rule == CompleteRule.MANUAL


def test_staff_complete_any_lesson_and_the_certificate_uses_the_clients_date(engine, session):
    from sqlmodel import select

    from models import AuditEvent, Certificate

    course, _m, lessons = _world(session)
    h.make_video(session, lessons[1])
    staff = factories.staff(session)
    client = h.student(session, course_row=course, timezone="Pacific/Auckland")
    late = h.utc(2026, 3, 1, 20)  # Mar 2 in Auckland; Mar 1 in New York (the business)
    for lesson in lessons:
        progress.staff_complete(session, client_id=client.id, lesson_id=lesson.id,
                                staff_id=staff.id, now=late)
    cert = session.exec(select(Certificate)).one()
    assert cert.issued_on.isoformat() == "2026-03-02"
    actions = session.exec(select(AuditEvent.action)).all()
    assert actions.count("lesson.completed") == 2 and "certificate.issued" in actions
    with pytest.raises(NotFound):
        progress.staff_complete(session, client_id=client.id, lesson_id="x", staff_id=staff.id)


@pytest.mark.parametrize("url,shown", [
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", True),
    ("https://player.vimeo.com/video/76979871", True),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", False),  # not the no-cookie host
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1", False),
    ("https://player.vimeo.com/video/1#\"onload=", False),
    ("javascript:alert(1)", False),
    ("https://evil.example/https://player.vimeo.com/video/1", False),
    ("", False),
])
def test_only_a_canonical_allowed_embed_is_framed(url, shown):
    from portal_app.services.courses.lesson_media import safe_embed_url

    assert safe_embed_url(url) == (url if shown else "")
