"""The benchmark's seed: each simulated client may open the course lessons its
actions use, and the player's report the bench sends is accepted."""

from sqlmodel import Session, SQLModel

from bench import seed
from bench.seed_courses import TEXT_LESSON_TITLE, VIDEO_SECONDS

TINY = seed.Scale("tiny", clients=12, bookings=30, future_bookings=10, invoices=12,
                  messages=24)


def test_each_simulated_client_may_open_its_lessons_and_report_progress(tmp_path):
    import models  # noqa: F401
    from models import Business
    from portal_app import apps
    from portal_app.db import make_engine
    from portal_app.services.courses import progress
    from portal_app.services.hub.entitlements import client_apps

    url = f"sqlite:///{tmp_path / 'bench.db'}"
    engine = make_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    fixture = seed.seed(url, TINY, bench_clients=4, sign_in_accounts=2, password_hash="!")

    assert fixture.counts["course_grants"] == TINY.clients
    assert len(fixture.clients) == 4
    engine = make_engine(url)
    with Session(engine) as session:
        business = session.get(Business, 1)
        for client in fixture.clients:
            assert apps.COURSES in client_apps(session, business=business,
                                               client_id=client.client_id)
            facts, lesson = progress.open_lesson(session, client_id=client.client_id,
                                                 lesson_id=client.lesson_id, zone=seed.ZONE)
            assert lesson.title == TEXT_LESSON_TITLE
            _facts, video = progress.open_lesson(session, client_id=client.client_id,
                                                 lesson_id=client.video_lesson_id,
                                                 zone=seed.ZONE)
            assert video.kind == "video" and video.media_id is not None
            report = progress.report_video(session, client_id=client.client_id,
                                           lesson_id=client.video_lesson_id, position=3,
                                           duration=VIDEO_SECONDS, zone=seed.ZONE)
            assert report.accepted and not report.completed
        # Everyone is enrolled already; the others finished the first lesson (history).
        assert fixture.counts["course_enrolments"] == TINY.clients
        assert fixture.counts["course_progress_rows"] == TINY.clients - 4
        session.rollback()
    engine.dispose()
