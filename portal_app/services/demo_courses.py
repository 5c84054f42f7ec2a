"""Demo data for the hub (issue 22): one published course and one free offer that
grants it, already claimed by the first demo record, so `make run` shows the
Courses app in the switcher at once.

The course has two modules: the first open at once (a text lesson, a video lesson
from a YouTube privacy-mode embed, a three-question quiz), the second dripped seven
days after the start. Rows are made directly (the course editor and the offers
service are other parts of the issue); the client's grant goes through
services/hub/entitlements.grant, with the offer as its source.
"""

from __future__ import annotations

from sqlmodel import Session

from models import (
    CompleteRule,
    Course,
    CourseModule,
    CourseStatus,
    DripKind,
    GrantKind,
    GrantSource,
    Lesson,
    LessonKind,
    Offer,
    OfferItem,
    OfferPurchase,
    OfferStatus,
    PurchaseStatus,
    QuestionKind,
    QuizQuestion,
)
from portal_app import apps
from portal_app.services.hub.entitlements import grant

COURSE_TITLE = "Calm Mind: 4 weeks to steadier days"
OFFER_NAME = "Calm Mind — free for clients"
# A short guided breathing practice, embedded in YouTube's privacy-enhanced mode.
VIDEO_EMBED = "https://www.youtube-nocookie.com/embed/inpok4MKVLM"

WELCOME = """\
Welcome! Over the next four weeks you will build **small, steady habits** that make
ordinary days feel calmer.

How it works:

- Each week opens a new module. Week 2 opens seven days after you start, at 8 AM in
  your own time zone.
- Mark a lesson complete when you have done it; your progress is saved.
- Finish the check-in quiz and every lesson to earn your certificate.

Take your time. Five quiet minutes a day is enough.
"""

ANCHOR = """\
A **daily anchor** is one calm moment you attach to something you already do:

1. Pick a cue (your first coffee, brushing your teeth, closing the laptop).
2. Take three slow breaths, longer out than in.
3. Notice one thing you can see, hear and feel.

Do it for a week and note how your days change.
"""

QUIZ = [
    (QuestionKind.SINGLE, "Which breath pattern helps the body settle most?",
     ["A longer out-breath than in-breath", "Holding the breath as long as you can",
      "Breathing fast through the mouth"], [0]),
    (QuestionKind.MULTIPLE, "Which of these are good cues for a daily anchor?",
     ["Your first coffee", "Closing the laptop", "A random moment you forget about"], [0, 1]),
    (QuestionKind.TRUE_FALSE, "Five quiet minutes a day can make a difference.",
     ["True", "False"], [0]),
]


def seed_demo_course(session: Session, *, client_id: int) -> Course:
    """The demo course, its free offer, and the client's grant from that offer."""
    course = Course(title=COURSE_TITLE, status=CourseStatus.PUBLISHED, unlock_hour=8,
                    summary="Four short weeks of simple practices for calmer, steadier days: "
                            "breathing, noticing, and one daily anchor.")
    session.add(course)
    session.flush()
    week1 = CourseModule(course_id=course.id, position=0, title="Week 1: Noticing")
    week2 = CourseModule(course_id=course.id, position=1, title="Week 2: A daily anchor",
                         drip_kind=DripKind.DAYS, drip_days=7)
    session.add_all([week1, week2])
    session.flush()
    quiz = Lesson(course_id=course.id, module_id=week1.id, position=2,
                  title="Check-in: what you have learned", kind=LessonKind.QUIZ,
                  body="Three quick questions. You need 2 of 3 right; try again as often "
                       "as you like.",
                  published=True, complete_rule=CompleteRule.QUIZ, pass_mark_pct=66)
    session.add_all([
        Lesson(course_id=course.id, module_id=week1.id, position=0,
               title="Welcome and how this course works", kind=LessonKind.TEXT, body=WELCOME,
               published=True),
        Lesson(course_id=course.id, module_id=week1.id, position=1,
               title="A five-minute breathing practice", kind=LessonKind.VIDEO,
               embed_url=VIDEO_EMBED, body="Sit comfortably and follow along.",
               published=True),
        quiz,
        Lesson(course_id=course.id, module_id=week2.id, position=0,
               title="Building your daily anchor", kind=LessonKind.TEXT, body=ANCHOR,
               published=True),
    ])
    session.flush()
    session.add_all([QuizQuestion(lesson_id=quiz.id, position=i, kind=kind, prompt=prompt,
                                  options=options, correct=correct)
                     for i, (kind, prompt, options, correct) in enumerate(QUIZ)])
    offer = Offer(name=OFFER_NAME, status=OfferStatus.ACTIVE, price_minor=0,
                  description="The Calm Mind course, free for our clients.")
    session.add(offer)
    session.flush()
    session.add(OfferItem(offer_id=offer.id, kind=GrantKind.COURSE, app_key=apps.COURSES,
                          target_id=course.id))
    purchase = OfferPurchase(offer_id=offer.id, client_id=client_id, status=PurchaseStatus.FREE)
    session.add(purchase)
    session.flush()
    grant(session, client_id=client_id, kind=GrantKind.COURSE, app_key=apps.COURSES,
          target_id=course.id, source=GrantSource.OFFER, offer_id=offer.id,
          purchase_id=purchase.id)
    return course
