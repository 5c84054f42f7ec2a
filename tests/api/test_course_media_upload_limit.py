"""The upload guard: the course media handler may take more than a document upload,
but only for a request with a live staff session; a forged handler header alone
keeps the document limit."""

import asyncio

import pytest

from portal_app.api.upload_limit import (
    MULTIPART_OVERHEAD,
    LargerUpload,
    UploadSizeLimit,
    staff_signed_in,
)
from portal_app.services.sessions import COOKIE_NAME
from tests import factories
from tests.api.test_document_routes import client_token, staff_token

HANDLER = "state.lesson_editor_state.upload_media"


def run(guard, *, length: int, handler: str = HANDLER, cookie: str = ""):
    reached, sent = [], []
    headers = [(b"content-length", str(length).encode()),
               (b"reflex-event-handler", handler.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {"type": "http", "path": "/_upload", "headers": headers}

    async def app(scope, receive, send):
        reached.append(True)

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    guard.app = app
    asyncio.run(guard(scope, receive, send))
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    return bool(reached), status


def guard(allowed):
    async def check(scope):
        return allowed

    return UploadSizeLimit(None, max_bytes=1000, larger=LargerUpload(
        handlers=frozenset({HANDLER}), max_bytes=10_000, allowed=check))


def test_the_course_media_handler_gets_the_larger_limit_only_when_allowed():
    big = 5000 + MULTIPART_OVERHEAD
    assert run(guard(True), length=big) == (True, None)
    assert run(guard(False), length=big) == (False, 413)  # forged header, not staff
    assert run(guard(True), length=big, handler="state.x.share") == (False, 413)
    assert run(guard(True), length=10_001 + MULTIPART_OVERHEAD) == (False, 413)
    assert run(guard(False), length=900) == (True, None)


@pytest.fixture
def tokens(engine, session):
    factories.business(session)
    staff = factories.staff(session)
    account, (client,) = factories.household(session, access="active")
    out = {"staff": staff_token(session, staff.id),
           "client": client_token(session, account.id, client.id)}
    session.commit()
    return out


def test_staff_signed_in_reads_the_session_cookie(tokens):
    def check(cookie):
        scope = {"headers": [(b"cookie", cookie.encode())]} if cookie else {"headers": []}
        return asyncio.run(staff_signed_in(scope))

    assert check(f"other=1; {COOKIE_NAME}={tokens['staff']}") is True
    assert check(f"{COOKIE_NAME}={tokens['client']}") is False
    assert check(f"{COOKIE_NAME}=forged") is False
    assert check("") is False
    assert check('bad"cookie') is False
