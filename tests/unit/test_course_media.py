"""Course media: types recognised by content, the streaming save (chunks, atomic,
0600, a limit that keeps nothing), and which client may fetch which file."""

import io
import os
import stat
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import CourseMedia, GrantKind, GrantSource, LessonKind, LessonProgress
from portal_app import apps
from portal_app.providers import storage as storage_module
from portal_app.providers.storage import LocalFileStorage, TooLarge
from portal_app.services.courses import authoring as A
from portal_app.services.courses import media as M
from portal_app.services.courses.media_types import sniff
from portal_app.services.errors import NotFound, ServiceError
from portal_app.services.hub.entitlements import grant
from tests import factories

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000
M4A = b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + b"\x00" * 100
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 100
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 50
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 100
OGG = b"OggS\x00\x02" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00" + b"\x00" * 100


def office(main: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml",
                   f'<Types><Override PartName="/word/document.xml" ContentType="{main}"/>'
                   "</Types>")
        z.writestr("word/document.xml", "<w/>")
    return buf.getvalue()


DOCX = office("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes/readme.txt", "hi")
    return buf.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    (MP4, "video/mp4"), (M4A, "audio/mp4"), (WEBM, "video/webm"), (MP3, "audio/mpeg"),
    (WAV, "audio/wav"), (OGG, "audio/ogg"), (b"\xff\xf1\x50\x80\x00\x1f\xfc", "audio/aac"),
    (PDF, "application/pdf"), (DOCX, "application/vnd.openxmlformats-officedocument."
                                     "wordprocessingml.document"),
    (plain_zip(), "application/zip"), (EXE, None), (b"<html><script>", None),
])
def test_types_are_recognised_by_their_bytes(data, expected):
    fileobj = io.BytesIO(data)
    assert sniff(fileobj) == expected
    assert fileobj.tell() == 0


def test_save_stream_copies_in_chunks_atomically_and_private(tmp_path, monkeypatch):
    monkeypatch.setattr(storage_module, "CHUNK", 1000)
    store = LocalFileStorage(tmp_path / "files")
    reads = []

    class Source(io.BytesIO):
        def read(self, n=-1):
            reads.append(n)
            return super().read(n)

    data = os.urandom(4500)
    name = store.save_stream(Source(data))
    assert store.read(name) == data
    assert reads and all(n == 1000 for n in reads)  # never the whole file at once
    assert stat.S_IMODE((tmp_path / "files" / name).stat().st_mode) == 0o600
    with store.open(name) as fh:
        fh.seek(4000)
        assert fh.read() == data[4000:]
    with pytest.raises(TooLarge):
        store.save_stream(io.BytesIO(data), max_bytes=4499)
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == [name]  # no leftovers


@pytest.fixture
def store(tmp_path):
    return LocalFileStorage(tmp_path / "files")


@pytest.fixture
def built(session):
    course = A.create_course(session, title="Calm Mind")
    m1 = A.add_module(session, course_id=course.id, title="Week one")
    m2 = A.add_module(session, course_id=course.id, title="Week two")
    video = A.add_lesson(session, module_id=m1.id, title="Watch", kind=LessonKind.VIDEO)
    audio = A.add_lesson(session, module_id=m2.id, title="Listen", kind=LessonKind.AUDIO)
    text = A.add_lesson(session, module_id=m1.id, title="Read", kind=LessonKind.TEXT)
    return {"course": course, "m1": m1, "m2": m2, "video": video, "audio": audio,
            "text": text}


def attach(session, store, lesson, data, name="clip.mp4", max_bytes=10_000):
    return M.attach_media(session, staff_id=None, lesson_id=lesson.id, filename=name,
                          fileobj=io.BytesIO(data), storage=store, max_bytes=max_bytes)


def test_attach_checks_kind_size_and_type_and_stores_nothing_when_refused(session, store,
                                                                          built):
    for lesson, data, max_bytes in ((built["text"], MP4, 10_000), (built["video"], b"", 10),
                                    (built["video"], MP4, 100), (built["video"], MP3, 10_000),
                                    (built["video"], EXE, 10_000), (built["audio"], MP4, 10_000)):
        with pytest.raises(ServiceError) as caught:
            attach(session, store, lesson, data, name="clip.mp3", max_bytes=max_bytes)
        assert caught.value.field == "media"
    assert not store.root.exists() or list(store.root.iterdir()) == []
    assert session.exec(select(CourseMedia)).all() == []

    media, orphan = attach(session, store, built["video"], MP4, name="Intro.mp4")
    assert (media.content_type, media.size_bytes, media.filename, orphan) == (
        "video/mp4", len(MP4), "Intro.mp4", None)
    assert built["video"].media_id == media.id and store.read(media.stored_name) == MP4
    replacement, orphan = attach(session, store, built["video"], WEBM, name="Intro.webm")
    assert orphan == media.stored_name and replacement.content_type == "video/webm"
    assert session.get(CourseMedia, media.id) is None


def publish_all(session, built, store):
    media, _ = attach(session, store, built["video"], MP4)
    audio, _ = attach(session, store, built["audio"], MP3, name="talk.mp3")
    for key in ("video", "audio"):
        lesson = built[key]
        A.update_lesson(session, lesson_id=lesson.id, title=lesson.title, kind=lesson.kind,
                        published=True)
    c = built["course"]
    A.update_course(session, course_id=c.id, title=c.title, summary="", in_order=False,
                    unlock_hour=8, certificate=True, status="published")
    return media, audio


def test_client_media_needs_a_grant_a_published_lesson_and_an_open_drip(session, store, built):
    business = factories.business(session, timezone="America/New_York")
    media, audio = publish_all(session, built, store)
    ana, ben = factories.client(session), factories.client(session)
    grant(session, client_id=ana.id, kind=GrantKind.COURSE, app_key=apps.COURSES,
          target_id=built["course"].id, source=GrantSource.STAFF)
    assert M.client_media(session, client_id=ana.id, business=business,
                          media_id=media.id)[1].id == built["video"].id
    for client_id, media_id in ((ben.id, media.id), (ana.id, 999_999), (ana.id, "x"),
                                (ana.id, True)):
        with pytest.raises(NotFound):
            M.client_media(session, client_id=client_id, business=business, media_id=media_id)

    # Week two opens 7 days after the start, at 8:00 in the client's zone.
    A.update_module(session, module_id=built["m2"].id, title="Week two", drip_kind="days",
                    drip_days=7)
    now = datetime.now(UTC)
    with pytest.raises(NotFound):
        M.client_media(session, client_id=ana.id, business=business, media_id=audio.id, now=now)
    later = now + timedelta(days=9)
    assert M.client_media(session, client_id=ana.id, business=business, media_id=audio.id,
                          now=later)[0].id == audio.id

    # A video lesson turned into a text lesson no longer offers its file.
    video = built["video"]
    A.update_lesson(session, lesson_id=video.id, title=video.title, kind="text", published=True)
    with pytest.raises(NotFound):
        M.client_media(session, client_id=ana.id, business=business, media_id=media.id)
    A.update_lesson(session, lesson_id=video.id, title=video.title, kind="video", published=True)
    assert M.client_media(session, client_id=ana.id, business=business,
                          media_id=media.id)[0].id == media.id

    # Unpublished: gone for the client even though they had it.
    A.set_published(session, lesson_id=built["video"].id, published=False)
    with pytest.raises(NotFound):
        M.client_media(session, client_id=ana.id, business=business, media_id=media.id)


def test_after_rule_opens_the_file_once_the_lesson_before_is_complete(session, store, built):
    business = factories.business(session)
    media, audio = publish_all(session, built, store)
    A.update_lesson(session, lesson_id=built["audio"].id, title="Listen", kind="audio",
                    published=True, drip_kind="after", drip_after=built["video"].id)
    ana = factories.client(session)
    grant(session, client_id=ana.id, kind=GrantKind.APP, app_key=apps.COURSES,
          source=GrantSource.STAFF)
    with pytest.raises(NotFound):
        M.client_media(session, client_id=ana.id, business=business, media_id=audio.id)
    session.add(LessonProgress(client_id=ana.id, course_id=built["course"].id,
                               lesson_id=built["video"].id, completed_at=datetime.now(UTC)))
    session.flush()
    assert M.client_media(session, client_id=ana.id, business=business,
                          media_id=audio.id)[0].id == audio.id


def test_the_course_media_limit_is_its_own_setting(monkeypatch, tmp_path):
    from portal_app.settings import Settings, SettingsError

    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PORTAL_COURSE_MEDIA_MAX_MB", raising=False)
    defaults = Settings.from_env()
    assert defaults.course_media_max_bytes == 500 * 1024 * 1024
    assert defaults.upload_max_file_bytes == 10 * 1024 * 1024  # documents unchanged
    monkeypatch.setenv("PORTAL_COURSE_MEDIA_MAX_MB", "2000")
    assert Settings.from_env().course_media_max_bytes == 2000 * 1024 * 1024
    monkeypatch.setenv("PORTAL_COURSE_MEDIA_MAX_MB", "0")
    with pytest.raises(SettingsError, match="PORTAL_COURSE_MEDIA_MAX_MB"):
        Settings.from_env()


def test_private_files_never_sit_under_reflexs_public_upload_mount(tmp_path, monkeypatch):
    """Reflex serves its upload directory at /_upload to anyone: documents, course media
    and the superbill signature live in the data directory, outside it."""
    from reflex_components_core.core.upload import get_upload_dir

    from portal_app.services.billing.superbills.setup import SIGNATURE_DIR
    from portal_app.settings import get_settings, reset_settings_cache

    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    settings = get_settings()
    store = storage_module.get_storage(settings)
    public = get_upload_dir().resolve()
    for private in (store.root, settings.data_dir / SIGNATURE_DIR):
        assert not private.resolve().is_relative_to(public), private
    name = store.save_stream(io.BytesIO(b"\x1aE\xdf\xa3 webm"))
    assert (store.root / name).is_file()
    assert not public.exists() or not any(public.rglob(name))
    reset_settings_cache()
