"""The download routes with PORTAL_STORAGE=s3 against a real S3 API (moto's server,
unchanged boto3): documents, course media and the data export stream from the bucket
a chunk at a time; with PORTAL_STORAGE_PRESIGN=1 a GET is, after the same checks and
the same audit, a `no-store` redirect to a presigned URL that downloads the file with
our headers. Someone else gets 403/404 and no URL; a missing object is 404, not 500;
a bucket that refuses (its service failing) is 503 with a sentence, not 500."""

import io
import os
import threading
import warnings
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import AuditEvent, GrantKind, GrantSource, LessonKind, PortalAccess
from portal_app import apps, routes
from portal_app.api.course_media_routes import course_media_routes
from portal_app.api.document_routes import (
    API_CONSOLE_DOCUMENT_DOWNLOAD,
    API_DOCUMENT_DOWNLOAD,
    content_disposition,
    document_routes,
)
from portal_app.api.profile_routes import profile_routes
from portal_app.providers import select as providers
from portal_app.providers.s3_storage import S3FileStorage
from portal_app.providers.storage import CHUNK
from portal_app.services.courses import authoring as A
from portal_app.services.courses.media import attach_media
from portal_app.services.documents import IncomingFile, share_documents
from portal_app.services.hub.entitlements import grant
from portal_app.services.sessions import COOKIE_NAME
from portal_app.settings import reset_settings_cache
from tests import factories
from tests.api.test_document_routes import client_token, staff_token
from tests.unit.test_course_media import MP4

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

MB = 1024 * 1024
# Bigger than one CHUNK, so every whole-file answer is streamed in more than one piece.
NOTES = ("Grüße aus dem Bucket.\n" * (CHUNK // 20)).encode()
VIDEO = MP4 + os.urandom(CHUNK + 5000)
NOTES_NAME = "Résumé notes.txt"


@pytest.fixture
def s3_env(s3_server, monkeypatch, tmp_path):
    """Settings (and so `providers.current().storage`, which the routes use) point at a
    new bucket of the local S3 API; `presign(True)` turns PORTAL_STORAGE_PRESIGN on."""
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    for name, value in s3_server.env(s3_server.new_bucket(), PORTAL_S3_PREFIX="files/",
                                     PORTAL_S3_MULTIPART_MB="5").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PORTAL_STORAGE_PRESIGN", raising=False)
    reset_settings_cache()

    def presign(on: bool) -> None:
        if on:
            monkeypatch.setenv("PORTAL_STORAGE_PRESIGN", "1")
        else:
            monkeypatch.delenv("PORTAL_STORAGE_PRESIGN", raising=False)
        reset_settings_cache()

    yield presign
    reset_settings_cache()


@pytest.fixture
def http():
    app = Starlette(routes=document_routes() + course_media_routes() + profile_routes())

    def call(path, *, token=None, method="GET", range_=None, **params):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        if range_:
            headers["Range"] = range_
        return TestClient(app, raise_server_exceptions=False, follow_redirects=False).request(
            method, path, params=params, headers=headers)

    return call


@pytest.fixture
def world(s3_env, engine, session):
    factories.business(session)
    staff = factories.staff(session)
    owner_acc, (owner,) = factories.household(session, access=PortalAccess.ACTIVE)
    other_acc, (other,) = factories.household(session, access=PortalAccess.ACTIVE)
    storage = providers.current().storage
    assert isinstance(storage, S3FileStorage)
    (doc,) = share_documents(session, staff_id=staff.id, client_id=owner.id,
                             files=[IncomingFile(NOTES_NAME, NOTES)], storage=storage,
                             base_url="http://portal.test", max_file_bytes=10 * MB,
                             max_request_bytes=25 * MB)
    course = A.create_course(session, title="Calm Mind")
    module = A.add_module(session, course_id=course.id, title="Week one")
    lesson = A.add_lesson(session, module_id=module.id, title="Intro", kind=LessonKind.VIDEO)
    media, _ = attach_media(session, staff_id=staff.id, lesson_id=lesson.id,
                            filename="Intro.mp4", fileobj=io.BytesIO(VIDEO), storage=storage,
                            max_bytes=10 * MB)
    A.set_published(session, lesson_id=lesson.id, published=True)
    A.update_course(session, course_id=course.id, title=course.title, summary="",
                    in_order=False, unlock_hour=8, certificate=False, status="published")
    grant(session, client_id=owner.id, kind=GrantKind.COURSE, app_key=apps.COURSES,
          target_id=course.id, source=GrantSource.STAFF)
    world = {"storage": storage, "doc": doc, "media": media,
             "owner": client_token(session, owner_acc.id, owner.id),
             "other": client_token(session, other_acc.id, other.id),
             "staff": staff_token(session, staff.id)}
    session.commit()
    return world


def media_url(media_id: int) -> str:
    return routes.API_COURSE_MEDIA.replace("{media_id:int}", str(media_id))


def audits(engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(
            AuditEvent.action == "document.downloaded")).all())


def test_documents_stream_from_the_bucket_to_the_owner_and_staff_only(world, http, engine):
    doc = world["doc"]
    mine = http(API_DOCUMENT_DOWNLOAD, token=world["owner"], id=doc.id)
    assert mine.status_code == 200, mine.text
    assert mine.content == NOTES
    assert mine.headers["content-length"] == str(len(NOTES))
    assert mine.headers["content-disposition"] == content_disposition(NOTES_NAME)
    assert mine.headers["cache-control"] == "private, no-store"
    staff = http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff"], id=doc.id)
    assert staff.status_code == 200 and staff.content == NOTES
    probe = http(API_DOCUMENT_DOWNLOAD, token=world["owner"], id=doc.id, method="HEAD")
    assert probe.status_code == 200 and probe.content == b""
    assert probe.headers["content-length"] == str(len(NOTES))
    assert http(API_DOCUMENT_DOWNLOAD, token=world["other"], id=doc.id).status_code == 404
    assert http(API_DOCUMENT_DOWNLOAD, id=doc.id).status_code == 403
    assert sorted(a.actor_kind for a in audits(engine)) == ["client", "staff"]  # not HEAD


def test_presign_redirects_after_the_checks_to_a_url_with_our_headers(world, http, engine,
                                                                      s3_env, s3_server):
    s3_env(True)
    doc = world["doc"]
    for who, path in (("other", API_DOCUMENT_DOWNLOAD), ("owner", API_CONSOLE_DOCUMENT_DOWNLOAD),
                      (None, API_DOCUMENT_DOWNLOAD)):
        refused = http(path, token=world[who] if who else None, id=doc.id)
        assert refused.status_code in (403, 404)
        assert "location" not in refused.headers and b"X-Amz" not in refused.content
    assert audits(engine) == []

    answer = http(API_DOCUMENT_DOWNLOAD, token=world["owner"], id=doc.id)
    assert answer.status_code == 303
    assert answer.headers["cache-control"] == "no-store"
    location = answer.headers["location"]
    assert location.startswith(s3_server.endpoint_url) and "X-Amz-Expires=60" in location
    assert [a.actor_kind for a in audits(engine)] == ["client"]  # the same audit as streamed
    fetched = httpx.get(location)
    assert fetched.status_code == 200 and fetched.content == NOTES
    assert fetched.headers["content-disposition"] == content_disposition(NOTES_NAME)
    assert fetched.headers["content-type"] == "text/plain; charset=utf-8"
    assert fetched.headers["cache-control"] == "private, no-store"

    staff = http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff"], id=doc.id)
    assert staff.status_code == 303 and httpx.get(staff.headers["location"]).content == NOTES
    # HEAD is not redirected (the URL is signed for GET) and is not a download.
    probe = http(API_DOCUMENT_DOWNLOAD, token=world["owner"], id=doc.id, method="HEAD")
    assert probe.status_code == 200 and "location" not in probe.headers
    assert probe.headers["content-length"] == str(len(NOTES))
    assert len(audits(engine)) == 2


@pytest.mark.parametrize("presign", [False, True])
def test_an_object_gone_from_the_bucket_is_404_and_not_audited(world, http, engine, s3_env,
                                                               presign):
    s3_env(presign)
    world["storage"].delete(world["doc"].stored_name)
    world["storage"].delete(world["media"].stored_name)
    for path, params in ((API_DOCUMENT_DOWNLOAD, {"id": world["doc"].id}),
                         (media_url(world["media"].id), {})):
        answer = http(path, token=world["owner"], **params)
        assert answer.status_code == 404 and "location" not in answer.headers
    assert audits(engine) == []


def test_course_video_ranges_from_the_bucket(world, http):
    url = media_url(world["media"].id)
    whole = http(url, token=world["owner"])
    assert whole.status_code == 200 and whole.content == VIDEO
    first = CHUNK - 10  # across the first chunk's end
    part = http(url, token=world["owner"], range_=f"bytes={first}-{first + 99}")
    assert part.status_code == 206 and part.content == VIDEO[first:first + 100]
    assert part.headers["content-range"] == f"bytes {first}-{first + 99}/{len(VIDEO)}"
    tail = http(url, token=world["owner"], range_="bytes=-7")
    assert tail.status_code == 206 and tail.content == VIDEO[-7:]
    assert http(url, token=world["other"], range_="bytes=0-9").status_code == 404


def test_course_video_with_presign_redirects_and_the_bucket_answers_ranges(world, http, s3_env):
    s3_env(True)
    url = media_url(world["media"].id)
    refused = http(url, token=world["other"], range_="bytes=0-9")
    assert refused.status_code == 404 and "location" not in refused.headers
    answer = http(url, token=world["owner"], range_="bytes=100-199")
    assert answer.status_code == 303 and answer.headers["cache-control"] == "no-store"
    location = answer.headers["location"]
    assert urlsplit(location).path.endswith(world["media"].stored_name)
    # The browser sends its Range to the bucket directly.
    ranged = httpx.get(location, headers={"Range": "bytes=100-199"})
    assert ranged.status_code == 206 and ranged.content == VIDEO[100:200]
    assert ranged.headers["content-range"] == f"bytes 100-199/{len(VIDEO)}"
    assert ranged.headers["content-type"] == "video/mp4"
    assert ranged.headers["content-disposition"] == "inline"
    # A HEAD (a player's probe) is answered by the portal itself.
    probe = http(url, token=world["owner"], method="HEAD")
    assert probe.status_code == 200 and probe.headers["content-length"] == str(len(VIDEO))


def test_data_export_copies_the_files_from_the_bucket(world, http):
    answer = http(routes.API_PROFILE_EXPORT, token=world["owner"])
    assert answer.status_code == 200, answer.text
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    files = [name for name in archive.namelist() if name != "data.json"]
    assert len(files) == 1 and archive.read(files[0]) == NOTES


class _Refusing(BaseHTTPRequestHandler):
    """An S3 endpoint whose every answer is 403 AccessDenied (a failing provider)."""

    def _refuse(self) -> None:
        body = (b"<?xml version='1.0'?><Error><Code>AccessDenied</Code>"
                b"<Message>Access Denied</Message></Error>")
        self.send_response(403)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = _refuse

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def refusing_s3():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("presign", [False, True])
def test_a_failing_bucket_is_503_with_a_sentence_and_not_audited(world, http, engine, s3_env,
                                                                 refusing_s3, monkeypatch,
                                                                 presign):
    monkeypatch.setenv("PORTAL_S3_ENDPOINT_URL", refusing_s3)
    s3_env(presign)
    doc = http(API_DOCUMENT_DOWNLOAD, token=world["owner"], id=world["doc"].id)
    assert doc.status_code == 503 and "location" not in doc.headers
    assert doc.text == "The file store is not answering. Please try again in a minute."
    assert doc.headers["retry-after"] == "30"
    app = Starlette(routes=course_media_routes())
    media = TestClient(app, raise_server_exceptions=False).get(
        media_url(world["media"].id), headers={"Cookie": f"{COOKIE_NAME}={world['owner']}",
                                              "Accept-Language": "es-MX,es;q=0.9"})
    assert media.status_code == 503
    assert media.text == "El almacén de archivos no responde. Vuelve a intentarlo en un minuto."
    assert audits(engine) == []
