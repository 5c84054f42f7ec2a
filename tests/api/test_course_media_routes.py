"""Course media routes through Starlette's TestClient: range requests (206, 416,
clamped ends, several ranges ignored), safe headers, and 403/404 for anyone who
may not have the file — the same 404 for "not yours", "locked" and "no such"."""

import io
import os
import warnings

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import GrantKind, GrantSource, LessonKind, PortalAccess
from portal_app import apps, routes
from portal_app.api.course_media_routes import course_media_routes, parse_range
from portal_app.providers.storage import get_storage
from portal_app.services.courses import authoring as A
from portal_app.services.courses.media import attach_media
from portal_app.services.hub.entitlements import grant
from portal_app.services.sessions import COOKIE_NAME
from portal_app.settings import get_settings
from tests import factories
from tests.api.test_document_routes import client_token, files_env, staff_token  # noqa: F401
from tests.unit.test_course_media import MP3, MP4, PDF

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

VIDEO = MP4 + os.urandom(5000)
SAFE = {"accept-ranges": "bytes", "cache-control": "private, no-store",
        "x-content-type-options": "nosniff"}


def url(media_id, staff=False):
    return (routes.API_CONSOLE_COURSE_MEDIA if staff else routes.API_COURSE_MEDIA).replace(
        "{media_id:int}", str(media_id))


@pytest.fixture
def http():
    app = Starlette(routes=course_media_routes())

    def get(path, *, token=None, range_=None, method="GET"):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        if range_ is not None:
            headers["Range"] = range_
        return TestClient(app, raise_server_exceptions=False).request(method, path,
                                                                      headers=headers)

    return get


@pytest.fixture
def world(files_env, engine, session):  # noqa: F811
    factories.business(session)
    staff = factories.staff(session)
    storage = get_storage(get_settings())
    course = A.create_course(session, title="Calm Mind")
    m1 = A.add_module(session, course_id=course.id, title="Week one")
    m2 = A.add_module(session, course_id=course.id, title="Week two")
    lessons, media = {}, {}
    for key, module, kind, data, name in (("video", m1, LessonKind.VIDEO, VIDEO, "Intro.mp4"),
                                          ("file", m1, LessonKind.FILE, PDF, "Workbook.pdf"),
                                          ("audio", m2, LessonKind.AUDIO, MP3, "Talk.mp3"),
                                          ("draft", m1, LessonKind.VIDEO, MP4, "Draft.mp4")):
        lesson = A.add_lesson(session, module_id=module.id, title=key.title(), kind=kind)
        media[key], _ = attach_media(session, staff_id=staff.id, lesson_id=lesson.id,
                                     filename=name, fileobj=io.BytesIO(data), storage=storage,
                                     max_bytes=10**6)
        if key != "draft":
            A.set_published(session, lesson_id=lesson.id, published=True)
        lessons[key] = lesson
    A.update_course(session, course_id=course.id, title=course.title, summary="",
                    in_order=False, unlock_hour=8, certificate=True, status="published")
    A.update_module(session, module_id=m2.id, title="Week two", drip_kind="days", drip_days=7)
    owner_acc, (owner,) = factories.household(session, access=PortalAccess.ACTIVE)
    other_acc, (other,) = factories.household(session, access=PortalAccess.ACTIVE)
    grant(session, client_id=owner.id, kind=GrantKind.COURSE, app_key=apps.COURSES,
          target_id=course.id, source=GrantSource.STAFF)
    world = {"media": media, "lessons": lessons,
             "owner": client_token(session, owner_acc.id, owner.id),
             "other": client_token(session, other_acc.id, other.id),
             "staff": staff_token(session, staff.id)}
    session.commit()
    return world


def test_whole_file_with_safe_headers(world, http):
    response = http(url(world["media"]["video"].id), token=world["owner"])
    assert response.status_code == 200, response.text
    assert response.content == VIDEO
    assert response.headers["content-type"] == "video/mp4"
    assert response.headers["content-length"] == str(len(VIDEO))
    assert "content-disposition" not in response.headers  # played inline
    for name, value in SAFE.items():
        assert response.headers[name] == value


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-99", 0, 99), ("bytes=100-", 100, len(VIDEO) - 1),
    ("bytes=-10", len(VIDEO) - 10, len(VIDEO) - 1),
    ("bytes=50-999999999", 50, len(VIDEO) - 1),  # clamped to the last byte
    ("bytes=-999999", 0, len(VIDEO) - 1),
])
def test_ranges_are_served_as_206(world, http, header, first, last):
    response = http(url(world["media"]["video"].id), token=world["owner"], range_=header)
    assert response.status_code == 206
    assert response.content == VIDEO[first:last + 1]
    assert response.headers["content-range"] == f"bytes {first}-{last}/{len(VIDEO)}"
    assert response.headers["content-length"] == str(last - first + 1)


@pytest.mark.parametrize("header", [f"bytes={len(VIDEO)}-", f"bytes={len(VIDEO) + 5}-9999999",
                                    "bytes=-0"])
def test_unsatisfiable_range_is_416(world, http, header):
    response = http(url(world["media"]["video"].id), token=world["owner"], range_=header)
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(VIDEO)}"
    assert response.content == b""


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-5", "bytes=9-2", "bytes=x-y"])
def test_several_or_malformed_ranges_get_the_whole_file(world, http, header):
    response = http(url(world["media"]["video"].id), token=world["owner"], range_=header)
    assert response.status_code == 200
    assert response.content == VIDEO


def test_parse_range_never_reaches_past_the_file():
    assert parse_range("bytes=0-0", 1) == (0, 0)
    assert parse_range("bytes=0-", 0) == "unsatisfiable"
    assert parse_range("bytes=5-10", 8) == (5, 7)


def test_a_download_is_an_attachment(world, http):
    response = http(url(world["media"]["file"].id), token=world["owner"])
    assert response.status_code == 200 and response.content == PDF
    assert response.headers["content-disposition"].startswith('attachment; filename="Workbook.pdf"')


def test_head_answers_without_a_body(world, http):
    response = http(url(world["media"]["video"].id), token=world["owner"], method="HEAD",
                    range_="bytes=0-9")
    assert response.status_code == 206 and response.content == b""
    assert response.headers["content-length"] == "10"


def test_who_may_not_have_the_file(world, http):
    media = world["media"]
    assert http(url(media["video"].id)).status_code == 403  # signed out
    assert http(url(media["video"].id), token=world["staff"]).status_code == 403  # not a client
    # Another client (no grant), a draft lesson's file, a locked lesson's file, no such id:
    # the same 404.
    for token, media_id in ((world["other"], media["video"].id),
                            (world["owner"], media["draft"].id),
                            (world["owner"], media["audio"].id),
                            (world["owner"], 999_999)):
        response = http(url(media_id), token=token, range_="bytes=0-9")
        assert response.status_code == 404
        assert response.content == b"Not found."


def test_staff_get_any_file_with_ranges(world, http):
    media = world["media"]
    assert http(url(media["draft"].id, staff=True)).status_code == 403
    assert http(url(media["draft"].id, staff=True), token=world["owner"]).status_code == 403
    response = http(url(media["draft"].id, staff=True), token=world["staff"], range_="bytes=4-11")
    assert response.status_code == 206 and response.content == MP4[4:12]
    assert http(url(999_999, staff=True), token=world["staff"]).status_code == 404
