"""A course's lessons: add, edit (title, kind, Markdown body, embed URL,
published, required, drip rule, completion rule and quiz settings), move up/down
(across a module's edge into the next one), delete.

Deleting a lesson that a student has opened, completed or tried is refused —
unpublish it instead: their progress keeps pointing at a lesson that exists.
Deleting one another lesson or module waits for is refused too."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, select

from models import (
    CompleteRule,
    CourseMedia,
    DripKind,
    Enrolment,
    Lesson,
    LessonKind,
    LessonProgress,
    QuizAttempt,
    QuizQuestion,
)
from models.base import utcnow
from portal_app.services.courses.authoring.common import (
    MAX_BODY,
    clean_title,
    get_course,
    get_lesson,
    get_module,
    touch,
    whole,
)
from portal_app.services.courses.authoring.drip_rules import (
    apply_drip,
    check_loops,
    clean_drip,
    outline,
)
from portal_app.services.courses.authoring.embeds import canonical_embed_url
from portal_app.services.courses.authoring.modules import (
    DOWN,
    UP,
    modules_waiting_for,
    renumber,
)
from portal_app.services.errors import ServiceError

# Completion by watching a share of the media: lessons that play something.
PLAYED_KINDS = (LessonKind.VIDEO, LessonKind.AUDIO)
HAS_PROGRESS = ("Students have started this lesson, so it cannot be deleted: unpublish it "
                "instead (their progress is kept).")


def add_lesson(session: Session, *, module_id: object, title: object,
               kind: object = LessonKind.TEXT) -> Lesson:
    """A new draft lesson at the end of the module."""
    module = get_module(session, module_id=module_id)
    course = get_course(session, course_id=module.course_id)
    title = clean_title(title)
    kind = str(kind or "")
    if kind not in LessonKind.ALL:
        raise ServiceError("Choose the kind of lesson.", field="kind")
    last = session.exec(select(func.max(Lesson.position))
                        .where(Lesson.module_id == module.id)).one()
    lesson = Lesson(course_id=course.id, module_id=module.id, title=title, kind=kind,
                    position=0 if last is None else last + 1, published=False,
                    complete_rule=CompleteRule.QUIZ if kind == LessonKind.QUIZ
                    else CompleteRule.MANUAL)
    session.add(lesson)
    touch(session, course)
    session.flush()
    return lesson


def _complete_rule(kind: str, rule: object) -> str:
    if kind == LessonKind.QUIZ:
        return CompleteRule.QUIZ  # a quiz is complete when it is passed
    rule = str(rule or CompleteRule.MANUAL)
    if rule not in CompleteRule.ALL:
        raise ServiceError("Choose how the lesson is completed.", field="complete_rule")
    if rule == CompleteRule.QUIZ:
        raise ServiceError("Only a quiz lesson is completed by passing a quiz.",
                           field="complete_rule")
    if rule == CompleteRule.VIDEO and kind not in PLAYED_KINDS:
        raise ServiceError("Only a video or audio lesson is completed by watching.",
                           field="complete_rule")
    return rule


def _ready_to_publish(session: Session, lesson: Lesson, *, kind: str, embed_url: str,
                      media_id: int | None) -> None:
    if kind == LessonKind.VIDEO and not (media_id or embed_url):
        raise ServiceError("Upload a video or enter an embed URL before publishing.",
                           field="published")
    if kind in (LessonKind.AUDIO, LessonKind.FILE) and not media_id:
        raise ServiceError("Upload the file before publishing.", field="published")
    if kind == LessonKind.QUIZ and not session.exec(
            select(func.count()).select_from(QuizQuestion)
            .where(QuizQuestion.lesson_id == lesson.id)).one():
        raise ServiceError("Add at least one question before publishing.", field="published")


def update_lesson(session: Session, *, lesson_id: object, title: object, kind: object,
                  body: object = "", embed_url: object = "", published: object = False,
                  required: object = True, drip_kind: object = DripKind.NONE,
                  drip_days: object = 0, drip_date: object = None, drip_after: object = None,
                  complete_rule: object = CompleteRule.MANUAL, video_share_pct: object = 90,
                  pass_mark_pct: object = 70, attempts_limit: object = 0,
                  shuffle: object = False) -> Lesson:
    """Save the lesson editor: every field checked first, then all saved at once."""
    lesson = get_lesson(session, lesson_id=lesson_id)
    course = get_course(session, course_id=lesson.course_id)
    title = clean_title(title)
    kind = str(kind or "")
    if kind not in LessonKind.ALL:
        raise ServiceError("Choose the kind of lesson.", field="kind")
    body = str(body or "")
    if len(body) > MAX_BODY:
        raise ServiceError(f"Keep the text to {MAX_BODY:,} characters.", field="body")
    embed = canonical_embed_url(embed_url) if kind == LessonKind.VIDEO else ""
    rule = _complete_rule(kind, complete_rule)
    share = lesson.video_share_pct
    if rule == CompleteRule.VIDEO:
        share = whole(video_share_pct, low=10, high=100, field="video_share_pct",
                      message="Enter a share from 10 to 100 %.")
    pass_mark, attempts, mix = lesson.pass_mark_pct, lesson.attempts_limit, lesson.shuffle
    if kind == LessonKind.QUIZ:
        pass_mark = whole(pass_mark_pct, low=0, high=100, field="pass_mark_pct",
                          message="Enter a pass mark from 0 to 100 %.")
        attempts = whole(attempts_limit, low=0, high=20, field="attempts_limit",
                         message="Enter a number of attempts from 0 (no limit) to 20.")
        mix = bool(shuffle)
    modules, lessons = outline(session, course.id)
    drip = clean_drip(lessons, kind=drip_kind, days=drip_days, on=drip_date, after=drip_after,
                      own_lesson_id=lesson.id)
    check_loops(in_order=course.in_order, modules=modules, lessons=lessons,
                lesson_after={lesson.id: drip.after})
    media_id = lesson.media_id if kind in (*PLAYED_KINDS, LessonKind.FILE) else None
    published = bool(published)
    if published:
        _ready_to_publish(session, lesson, kind=kind, embed_url=embed, media_id=media_id)
    lesson.title, lesson.kind, lesson.body, lesson.embed_url = title, kind, body, embed
    lesson.published, lesson.required = published, bool(required)
    lesson.complete_rule, lesson.video_share_pct = rule, share
    lesson.pass_mark_pct, lesson.attempts_limit, lesson.shuffle = pass_mark, attempts, mix
    apply_drip(lesson, drip)
    lesson.updated_at = utcnow()
    session.add(lesson)
    touch(session, course)
    session.flush()
    return lesson


def set_published(session: Session, *, lesson_id: object, published: bool) -> Lesson:
    """Publish or unpublish without opening the editor."""
    lesson = get_lesson(session, lesson_id=lesson_id)
    if published:
        _ready_to_publish(session, lesson, kind=lesson.kind, embed_url=lesson.embed_url,
                          media_id=lesson.media_id)
    lesson.published = bool(published)
    lesson.updated_at = utcnow()
    session.add(lesson)
    touch(session, get_course(session, course_id=lesson.course_id))
    session.flush()
    return lesson


def move_lesson(session: Session, *, lesson_id: object, direction: str) -> Lesson:
    """One place up or down within its module; past the module's edge it moves to the
    end of the module before (or the start of the one after). Refused when "in order"
    would then close a loop."""
    lesson = get_lesson(session, lesson_id=lesson_id)
    course = get_course(session, course_id=lesson.course_id)
    if direction not in (UP, DOWN):
        return lesson
    modules, lessons = outline(session, course.id)
    groups = {m.id: [x for x in lessons if x.module_id == m.id] for m in modules}
    order = [m.id for m in modules]
    siblings = groups[lesson.module_id]
    i = siblings.index(lesson)
    if direction == UP and i > 0:
        siblings[i - 1], siblings[i] = siblings[i], siblings[i - 1]
    elif direction == DOWN and i < len(siblings) - 1:
        siblings[i + 1], siblings[i] = siblings[i], siblings[i + 1]
    else:
        k = order.index(lesson.module_id) + (-1 if direction == UP else 1)
        if not 0 <= k < len(order):
            return lesson
        siblings.remove(lesson)
        target = groups[order[k]]
        if direction == UP:
            target.append(lesson)
        else:
            target.insert(0, lesson)
        lesson.module_id = order[k]
    reordered = [x for mid in order for x in groups[mid]]
    if course.in_order:
        check_loops(in_order=True, modules=modules, lessons=reordered, field="order")
    for mid in order:
        renumber(groups[mid])
    session.add_all(reordered)
    touch(session, course)
    session.flush()
    return lesson


def has_student_activity(session: Session, *, lesson_id: int) -> bool:
    progress = session.exec(select(LessonProgress.id)
                            .where(LessonProgress.lesson_id == lesson_id).limit(1)).first()
    if progress is not None:
        return True
    return session.exec(select(QuizAttempt.id)
                        .where(QuizAttempt.lesson_id == lesson_id).limit(1)).first() is not None


def delete_lesson(session: Session, *, lesson_id: object) -> tuple[Lesson, str | None]:
    """Delete a lesson nobody has started, with its questions. Returns the lesson and
    the stored name of its media file when no other lesson uses it (the caller
    removes the file after the commit)."""
    lesson = get_lesson(session, lesson_id=lesson_id)
    course = get_course(session, course_id=lesson.course_id)
    if has_student_activity(session, lesson_id=lesson.id):
        raise ServiceError(HAS_PROGRESS)
    modules, lessons = outline(session, course.id)
    waiting = [x.title for x in lessons if x.id != lesson.id and x.drip_kind == DripKind.AFTER
               and x.drip_after_lesson_id == lesson.id]
    waiting += [m.title for m in modules_waiting_for(modules, lesson.id)]
    if waiting:
        raise ServiceError(f"“{waiting[0]}” waits for this lesson: change its unlock rule "
                           "first.")
    for question in session.exec(select(QuizQuestion)
                                 .where(QuizQuestion.lesson_id == lesson.id)).all():
        session.delete(question)
    session.execute(update(Enrolment).where(Enrolment.last_lesson_id == lesson.id)
                    .values(last_lesson_id=None))
    orphan = None
    if lesson.media_id is not None:
        shared = session.exec(select(func.count()).select_from(Lesson).where(
            Lesson.media_id == lesson.media_id, Lesson.id != lesson.id)).one()
        media = session.get(CourseMedia, lesson.media_id)
        lesson.media_id = None
        session.add(lesson)
        session.flush()
        if media is not None and not shared:
            orphan = media.stored_name
            session.delete(media)
    session.delete(lesson)
    session.flush()
    siblings = [x for x in lessons if x.module_id == lesson.module_id and x.id != lesson.id]
    renumber(siblings)
    session.add_all(siblings)
    touch(session, course)
    session.flush()
    return lesson, orphan
