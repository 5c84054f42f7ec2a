"""A malformed upload that makes Reflex's /_upload endpoint fail is answered 400 with a
plain sentence (no stack trace), whether the failure comes as a 500 sent by Starlette's
error middleware or as an error raised before any answer; good uploads pass untouched."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from portal_app.api.upload_limit import BAD_UPLOAD, upload_limit


def _client(endpoint) -> TestClient:
    inner = Starlette(routes=[Route("/_upload", endpoint, methods=["POST"])])
    return TestClient(upload_limit(10 * 1024 * 1024)(inner), raise_server_exceptions=False)


async def _takes_no_files(_request: Request):
    raise ValueError("`upload_media` handler should have a parameter annotated as list[rx.UploadFile]")


async def _fine(_request: Request):
    return PlainTextResponse("ok")


def test_a_handler_that_takes_no_files_is_a_400_without_a_stack_trace():
    answer = _client(_takes_no_files).post("/_upload", files={"files": ("a.txt", b"hi")})
    assert answer.status_code == 400
    assert answer.text == BAD_UPLOAD
    assert "Traceback" not in answer.text and "ValueError" not in answer.text


def test_an_error_raised_before_any_answer_is_a_400_too():
    """(The test above goes through Starlette's error middleware, which sends a 500 and
    then re-raises; here the app raises before anything is sent.)"""
    async def raw_app(scope, receive, send):
        raise TypeError("upload_media() got an unexpected keyword argument 'extra'")

    client = TestClient(upload_limit(1024 * 1024)(raw_app), raise_server_exceptions=False)
    answer = client.post("/_upload", content=b"x")
    assert (answer.status_code, answer.text) == (400, BAD_UPLOAD)


def test_a_good_upload_and_other_paths_are_untouched():
    assert _client(_fine).post("/_upload", content=b"x").text == "ok"


def test_reflexs_public_upload_mount_serves_nothing(tmp_path):
    """Reflex serves its upload folder under /_upload as public static files; the portal
    keeps nothing there, and a file put there anyway is not handed out."""
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    (tmp_path / "leak.txt").write_text("private")
    inner = Starlette(routes=[Route("/_upload", _fine, methods=["POST"]),
                              Mount("/_upload", StaticFiles(directory=tmp_path))])
    assert TestClient(inner).get("/_upload/leak.txt").text == "private"  # the bare mount
    client = TestClient(upload_limit(1024 * 1024)(inner))
    for method in ("GET", "HEAD"):
        answer = client.request(method, "/_upload/leak.txt")
        assert answer.status_code == 404 and "private" not in answer.text
    assert client.post("/_upload", content=b"x").text == "ok"  # uploads still pass
