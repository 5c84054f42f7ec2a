"""The demo shows the hub at once: Courses on, one published course (two modules,
text, video embed, a three-question quiz, the second module dripped 7 days) and a
free active offer granting it, already claimed by the first demo record."""

from sqlmodel import select

from models import (
    Business,
    Client,
    Course,
    CourseModule,
    Lesson,
    Offer,
    OfferItem,
    OfferPurchase,
    QuizQuestion,
)
from portal_app import apps
from portal_app.services.courses.access import get_course_for
from portal_app.services.courses.roster import course_roster
from portal_app.services.demo import DEMO_CLIENT, seed_demo
from portal_app.services.hub.entitlements import client_apps


def test_the_demo_client_sees_courses_at_once(session):
    seed_demo(session)
    session.commit()

    business = session.exec(select(Business)).one()
    first, second = session.exec(select(Client).where(Client.email == DEMO_CLIENT)
                                 .order_by(Client.id)).all()
    # Referrals and Community are open to every client (demo_referrals, demo_community);
    # Courses needs the offer's grant.
    assert client_apps(session, business=business, client_id=first.id) == (
        apps.PORTAL, apps.COURSES, apps.REFERRALS, apps.COMMUNITY)
    assert client_apps(session, business=business, client_id=second.id) == (
        apps.PORTAL, apps.REFERRALS, apps.COMMUNITY)
    (course,) = session.exec(select(Course)).all()
    assert get_course_for(session, client_id=first.id, course_id=course.id) == course

    modules = session.exec(select(CourseModule).order_by(CourseModule.position)).all()
    assert [(m.drip_kind, m.drip_days) for m in modules] == [("none", 0), ("days", 7)]
    kinds = [lesson.kind for lesson in session.exec(select(Lesson)).all()]
    assert sorted(kinds) == ["quiz", "text", "text", "video"]
    video = session.exec(select(Lesson).where(Lesson.kind == "video")).one()
    assert video.embed_url.startswith("https://www.youtube-nocookie.com/embed/")
    assert len(session.exec(select(QuizQuestion)).all()) == 3

    (offer,) = session.exec(select(Offer)).all()
    assert (offer.status, offer.price_minor) == ("active", 0)
    (item,) = session.exec(select(OfferItem)).all()
    assert (item.kind, item.target_id) == ("course", course.id)
    (claim,) = session.exec(select(OfferPurchase)).all()
    assert (claim.client_id, claim.status) == (first.id, "free")

    roster = course_roster(session, course_id=course.id)
    assert [s.name for s in roster.students] == [first.full_name]
    assert [s.status for s in roster.students[0].states.values()] == [
        "open", "open", "open", "locked"]
