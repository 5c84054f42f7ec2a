"""How the built frontend is served (portal_app/api/static_files.py): a page without
its trailing slash is served at once (no redirect), hashed assets are cached for a
year, pages are revalidated, the web root's other files for a day; a route's own
answer (and its own Cache-Control) is left alone; compression stays the static
mount's (the build's .gz copies)."""

import gzip

from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from portal_app.api.static_files import A_DAY, IMMUTABLE, REVALIDATE, StaticFiles, static_files

SCRIPT = b"console.log('hydrate');" * 40


def _client(tmp_path) -> TestClient:
    (tmp_path / "login").mkdir()
    (tmp_path / "login" / "index.html").write_text("<html><head><title>Sign in</title></head></html>")
    (tmp_path / "index.html").write_text("<html>home</html>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "vendor-abc123.js").write_bytes(SCRIPT)
    (tmp_path / "assets" / "vendor-abc123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (tmp_path / "favicon.svg").write_text("<svg/>")

    async def csv(_request):
        return Response(b"a,b\n", media_type="text/csv")

    async def own(_request):
        return PlainTextResponse("x", headers={"Cache-Control": "private, no-store"})

    async def health(_request):
        return PlainTextResponse("ok")

    inner = Starlette(routes=[
        Route("/console/payouts.csv", csv), Route("/manifest.webmanifest", own),
        Route("/api/health", health),
        Mount("/", app=PrecompressedStaticFiles(directory=tmp_path, html=True,
                                                encodings=["gzip"]))])
    return TestClient(static_files(lambda: tmp_path)(inner))


def test_a_page_without_its_slash_is_served_without_a_redirect(tmp_path):
    client = _client(tmp_path)
    got = client.get("/login", follow_redirects=False)
    assert got.status_code == 200
    assert "<title>Sign in</title>" in got.text
    assert got.headers["cache-control"] == REVALIDATE.decode()
    assert client.get("/", follow_redirects=False).headers["cache-control"] == "no-cache"


def test_a_revalidated_page_stays_no_cache(tmp_path):
    client = _client(tmp_path)
    etag = client.get("/login").headers["etag"]
    again = client.get("/login", headers={"If-None-Match": etag}, follow_redirects=False)
    assert again.status_code == 304
    assert again.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_immutable_for_a_year_and_served_gzipped(tmp_path):
    got = _client(tmp_path).get("/assets/vendor-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert got.status_code == 200
    assert got.headers["cache-control"] == IMMUTABLE.decode()
    assert got.headers["content-encoding"] == "gzip"
    assert got.content == SCRIPT  # the client unzipped the build's own .gz copy


def test_other_files_of_the_web_root_are_cached_a_day(tmp_path):
    got = _client(tmp_path).get("/favicon.svg")
    assert got.headers["cache-control"] == A_DAY.decode()


def test_routes_keep_their_own_answers(tmp_path):
    client = _client(tmp_path)
    assert "cache-control" not in client.get("/console/payouts.csv").headers  # not ours
    assert "cache-control" not in client.get("/api/health").headers
    assert client.get("/manifest.webmanifest").headers["cache-control"] == "private, no-store"
    missing = client.get("/assets/nope-123.js")
    assert missing.status_code == 404 and "cache-control" not in missing.headers


def test_no_path_escapes_the_web_root(tmp_path):
    root = tmp_path / "web"
    root.mkdir()
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "index.html").write_text("secret")
    (tmp_path / "secret.txt").write_text("secret")
    files = StaticFiles(None, lambda: root)
    assert not files._is_page_dir("/../secret")
    assert not files._is_static_file("/../secret.txt")
    assert files._is_page_dir("/secret") is False
