"""The installable web app's HTTP files through Starlette's TestClient: the manifest
follows the branding, icons are real PNGs whose URLs change with the logo, sw.js and the
offline page are served with the right headers."""

import io
import warnings

import pytest
from PIL import Image
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import Business, StaffUser
from portal_app.api.pwa_routes import pwa_routes
from portal_app.services import portal_settings
from portal_app.settings import get_settings, reset_settings_cache
from tests import factories

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def png_logo(colour: str, size=(300, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    yield tmp_path / "data"
    reset_settings_cache()


@pytest.fixture
def world(data_dir, engine, session):
    business = factories.business(session, name="Harbor Physio Clinic", accent_color="#0F766E",
                                  tagline="Physiotherapy by the sea")
    staff = StaffUser(email="pwa-owner@example.test", full_name="Pwa Owner", role="owner",
                      password_hash="!unusable")  # no bcrypt: this test never signs in
    session.add(staff)
    session.commit()
    return {"business": business, "staff": staff}


@pytest.fixture
def http():
    return TestClient(Starlette(routes=pwa_routes()), raise_server_exceptions=True)


def brand(engine, **fields):
    with Session(engine) as s:
        business = s.get(Business, 1)
        for key, value in fields.items():
            setattr(business, key, value)
        s.add(business)
        s.commit()


def upload_logo(engine, staff_id: int, data: bytes) -> str:
    with Session(engine) as s:
        name = portal_settings.save_logo(s, staff_id=staff_id, data=data,
                                         brand_dir=get_settings().data_dir / "brand")
        s.commit()
    return name


def icons_by_purpose(manifest: dict) -> dict[tuple[str, str], str]:
    return {(i["purpose"], i["sizes"]): i["src"] for i in manifest["icons"]}


def fetch_png(http, url: str) -> Image.Image:
    r = http.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(r.content))
    assert image.format == "PNG"
    return image


# --- manifest ------------------------------------------------------------------------------


def test_manifest_is_served_as_manifest_json_with_the_install_fields(world, http):
    r = http.get("/manifest.webmanifest")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/manifest+json"
    assert r.headers["cache-control"] == "no-cache"
    m = r.json()
    assert m["name"] == "Harbor Physio Clinic"
    assert m["short_name"] == "Harbor"
    assert m["id"] == "/"
    assert m["start_url"] == "/dashboard"
    assert m["scope"] == "/"
    assert m["display"] == "standalone"
    assert m["theme_color"] == "#0F766E"
    assert m["background_color"] == "#FFFFFF"
    assert m["description"] == "Physiotherapy by the sea"
    assert set(icons_by_purpose(m)) == {("any", "192x192"), ("any", "512x512"),
                                        ("maskable", "192x192"), ("maskable", "512x512")}
    assert all(i["type"] == "image/png" for i in m["icons"])


def test_manifest_follows_a_branding_change(world, engine, http):
    before = http.get("/manifest.webmanifest").json()
    with Session(engine) as s:
        portal_settings.update_branding(s, staff_id=world["staff"].id, form={
            "name": "Bloom", "accent_color": "#7C3AED", "tagline": ""})
        s.commit()
    after = http.get("/manifest.webmanifest").json()
    assert (after["name"], after["short_name"], after["theme_color"]) == (
        "Bloom", "Bloom", "#7C3AED")
    assert "description" not in after
    # The initials and colour changed, so the drawn icons did: new URLs.
    assert set(icons_by_purpose(after).values()).isdisjoint(icons_by_purpose(before).values())


def test_icons_are_pngs_of_the_announced_sizes(world, http):
    m = http.get("/manifest.webmanifest").json()
    for icon in m["icons"]:
        image = fetch_png(http, icon["src"])
        assert f"{image.width}x{image.height}" == icon["sizes"]
        if icon["purpose"] == "maskable":
            assert image.mode == "RGB"  # a maskable icon is opaque
    apple = fetch_png(http, "/apple-touch-icon.png")
    assert (apple.size, apple.mode) == ((180, 180), "RGB")


def test_without_logo_icons_are_initials_on_the_accent(world, http):
    m = http.get("/manifest.webmanifest").json()
    image = fetch_png(http, icons_by_purpose(m)[("maskable", "512x512")]).convert("RGB")
    assert image.getpixel((5, 5)) == (15, 118, 110)
    colours = {c for _n, c in image.getcolors(maxcolors=512 * 512)}
    assert (255, 255, 255) in colours  # white letters


def test_a_new_logo_changes_the_icon_urls_and_the_pixels(world, engine, http):
    plain = icons_by_purpose(http.get("/manifest.webmanifest").json())
    upload_logo(engine, world["staff"].id, png_logo("black"))
    first = icons_by_purpose(http.get("/manifest.webmanifest").json())
    assert set(first.values()).isdisjoint(plain.values())
    image = fetch_png(http, first[("maskable", "512x512")]).convert("RGB")
    assert image.getpixel((5, 5)) == (255, 255, 255)  # a logo sits on white
    assert image.getpixel((256, 256)) == (0, 0, 0)

    upload_logo(engine, world["staff"].id, png_logo("red"))
    second = icons_by_purpose(http.get("/manifest.webmanifest").json())
    assert set(second.values()).isdisjoint(first.values())
    image = fetch_png(http, second[("maskable", "512x512")]).convert("RGB")
    assert image.getpixel((256, 256)) == (255, 0, 0)


def test_svg_logo_falls_back_to_initials(world, engine, http):
    plain = fetch_png(http, icons_by_purpose(http.get("/manifest.webmanifest").json())[
        ("any", "512x512")])
    upload_logo(engine, world["staff"].id, SVG)
    icons = icons_by_purpose(http.get("/manifest.webmanifest").json())
    with_svg = fetch_png(http, icons[("any", "512x512")])
    assert with_svg.tobytes() == plain.tobytes()
    assert fetch_png(http, "/apple-touch-icon.png").convert("RGB").getpixel((3, 3)) == (
        15, 118, 110)


def test_versioned_icon_is_immutable_other_versions_revalidate(world, http):
    src = icons_by_purpose(http.get("/manifest.webmanifest").json())[("any", "192x192")]
    current = http.get(src)
    assert current.headers["cache-control"] == "public, max-age=31536000, immutable"
    old = http.get("/pwa/icon-192.png?v=000000000000")
    assert old.status_code == 200 and old.headers["cache-control"] == "no-cache"
    apple = http.get("/apple-touch-icon.png")
    assert apple.headers["cache-control"] == "no-cache"
    again = http.get("/apple-touch-icon.png", headers={"If-None-Match": apple.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize("path", ["/pwa/icon-64.png", "/pwa/apple-touch-icon.png",
                                  "/pwa/..%2Fsecret_key", "/pwa/"])
def test_unknown_icon_names_are_not_found(world, http, path):
    assert http.get(path).status_code == 404


def test_pwa_files_answer_only_get(world, http):
    for path in ("/manifest.webmanifest", "/sw.js", "/offline", "/apple-touch-icon.png"):
        assert http.post(path).status_code == 405


# --- service worker and offline page -------------------------------------------------------


def test_service_worker_is_served_uncached_from_the_root(world, http):
    r = http.get("/sw.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "no-cache"
    assert "service-worker-allowed" not in r.headers  # root path: root scope needs nothing
    body = r.text
    assert 'const BYPASS = ["/_event", "/_upload", "/api"];' in body
    assert 'const OFFLINE_URL = "/offline";' in body
    for src in icons_by_purpose(http.get("/manifest.webmanifest").json()).values():
        assert f'"{src}"' in body


def test_service_worker_changes_with_the_branding(world, engine, http):
    before = http.get("/sw.js").text
    upload_logo(engine, world["staff"].id, png_logo("black"))
    assert http.get("/sw.js").text != before


def test_offline_page_is_branded_and_self_contained(world, engine, http):
    brand(engine, name='Fish & <Chips> "Co"')
    r = http.get("/offline")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-cache"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    html = r.text
    assert "Fish &amp; &lt;Chips&gt; &#34;Co&#34;" in html
    assert "<Chips>" not in html
    assert "background: #0F766E" in html
    assert "You are offline" in html
    assert '<button type="button" id="retry">Retry</button>' in html
    # The Spanish text travels in the same cached page, shown by the language cookie.
    assert "No tienes conexión" in html and "portal_lang=" in html
    # Its one image is a precached icon, so it shows without a network.
    icon = icons_by_purpose(http.get("/manifest.webmanifest").json())[("any", "192x192")]
    assert f'src="{icon}"' in html
