"""/r/<code>: the click and the signed cookie for an active referrer; the same answer
(status, place, cookies set bar the referral cookie) for an unknown, disabled or
malformed code and with the app off; first click kept or last click taken per the
program; an IP over its limit records nothing; a few statements per click."""

import warnings
from datetime import UTC, datetime

from sqlmodel import func, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import Business, ReferralClick, ReferrerStatus
from portal_app.api.referral_link_routes import referral_link_routes
from portal_app.services.referrals import attribution, referrers, visits
from portal_app.services.referrals.attribution import REF_COOKIE, VISITOR_COOKIE
from portal_app.settings import get_settings
from tests import factories
from tests.sql import statements_of
from tests.unit.referral_helpers import world

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


def _setup(session, *, on=True, signup=True, **program):
    w = world(session, **program)
    business = session.exec(select(Business)).first()
    business.apps_enabled = ["referrals"] if on else []
    business.allow_self_signup = signup
    session.add(business)
    session.commit()
    return w


def _client(ip="10.0.0.1"):
    return TestClient(Starlette(routes=referral_link_routes()), follow_redirects=False,
                      client=(ip, 5000))


def _clicks(session):
    session.expire_all()
    return session.exec(select(func.count()).select_from(ReferralClick)).one()


def _set_cookie_names(response) -> list[str]:
    return sorted(h.split("=", 1)[0] for h in response.headers.get_list("set-cookie"))


def _cookie_header(response, name) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith(name + "="))


def test_a_click_is_recorded_and_the_signed_cookie_lasts_the_window(session):
    w = _setup(session, window_days=45)
    answer = _client().get(f"/r/{w['referrer'].code}")
    assert answer.status_code == 303 and answer.headers["location"] == "/register"
    assert _clicks(session) == 1
    header = _cookie_header(answer, REF_COOKIE)
    for part in ("HttpOnly", "Max-Age=3888000", "Path=/", "SameSite=lax"):
        assert part.lower() in header.lower(), part
    assert "secure" not in header.lower()  # http base URL in the tests
    value = answer.cookies[REF_COOKIE]
    touch = attribution.read_cookie(get_settings().secret_key, value, window_days=45)
    assert touch is not None and touch.code == w["referrer"].code
    assert attribution.read_cookie("another-key" * 4, value, window_days=45) is None
    tampered = value.replace(w["referrer"].code, "ZZZZZZZZ")
    assert attribution.read_cookie(get_settings().secret_key, tampered, window_days=45) is None
    assert "httponly" in _cookie_header(answer, VISITOR_COOKIE).lower()


def test_lowercase_code_works_and_head_records_nothing(session):
    w = _setup(session)
    client = _client()
    assert client.head(f"/r/{w['referrer'].code}").status_code == 303
    assert _clicks(session) == 0
    answer = client.get(f"/r/{w['referrer'].code.lower()}")
    assert REF_COOKIE in answer.cookies and _clicks(session) == 1


def test_first_click_wins_keeps_the_cookie_and_last_click_replaces_it(session):
    w = _setup(session, attribution_rule="first")
    _acc, (other_client,) = factories.household(session, names=("Olga",))
    other = referrers.join_program(session, client_id=other_client.id)
    session.commit()
    client = _client()
    first = client.get(f"/r/{w['referrer'].code}").cookies[REF_COOKIE]
    client.cookies.set(REF_COOKIE, first)
    second = client.get(f"/r/{other.code}")
    assert REF_COOKIE not in second.cookies  # kept: nothing set
    assert _clicks(session) == 2  # the click still counts for the other referrer

    w["program"].attribution_rule = "last"
    session.add(w["program"])
    session.commit()
    third = client.get(f"/r/{other.code}")
    secret = get_settings().secret_key
    touch = attribution.read_cookie(secret, third.cookies[REF_COOKIE], window_days=60)
    assert touch.code == other.code

    # A tampered or foreign cookie is no cookie: first click wins takes the new one.
    w["program"].attribution_rule = "first"
    session.add(w["program"])
    session.commit()
    client.cookies.set(REF_COOKIE, "1.ABCDEFGH.1700000000.deadbeef")
    assert REF_COOKIE in client.get(f"/r/{w['referrer'].code}").cookies


def _shape(response):
    return (response.status_code, response.headers["location"],
            [n for n in _set_cookie_names(response) if n != REF_COOKIE],
            response.headers.get("cache-control"), response.content)


def test_unknown_disabled_malformed_and_app_off_look_the_same(session):
    w = _setup(session)
    real = _client().get(f"/r/{w['referrer'].code}")
    assert REF_COOKIE in real.cookies
    off = referrers.join_program(session, client_id=w["customer"].id)
    off.status = ReferrerStatus.DISABLED
    session.add(off)
    session.commit()
    answers = [_client().get(path) for path in
               ("/r/NOSUCHCD", f"/r/{off.code}", "/r/%3Cscript%3E", "/r/" + "A" * 200)]
    for answer in answers:
        assert REF_COOKIE not in answer.cookies
        assert _shape(answer) == _shape(real)
    business = session.exec(select(Business)).first()
    business.apps_enabled = []
    session.add(business)
    session.commit()
    app_off = _client().get(f"/r/{w['referrer'].code}")
    assert REF_COOKIE not in app_off.cookies and _shape(app_off) == _shape(real)
    assert _clicks(session) == 1


def test_without_self_signup_the_link_goes_home(session):
    w = _setup(session, signup=False)
    answer = _client().get(f"/r/{w['referrer'].code}")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    assert _client().get("/r/NOSUCHCD").headers["location"] == "/"


def test_an_ip_over_its_limit_records_no_click_and_looks_the_same(session, monkeypatch):
    w = _setup(session)
    monkeypatch.setattr(visits, "CLICKS_PER_IP", 3)
    client = _client("10.9.9.9")
    for _ in range(3):
        client.cookies.clear()
        assert REF_COOKIE in client.get(f"/r/{w['referrer'].code}").cookies
    client.cookies.clear()
    limited = client.get(f"/r/{w['referrer'].code}")
    assert REF_COOKIE not in limited.cookies
    assert _shape(limited)[:3] == (303, "/register", [VISITOR_COOKIE])
    assert _clicks(session) == 3  # three new visitors; the fourth visit counted nothing
    other_ip = _client("10.9.9.10").get(f"/r/{w['referrer'].code}")
    assert REF_COOKIE in other_ip.cookies


def test_guessing_codes_spends_the_limit_too(session, monkeypatch):
    w = _setup(session)
    monkeypatch.setattr(visits, "CLICKS_PER_IP", 3)
    client = _client("10.9.9.11")
    for guess in ("AAAAAAAA", "BBBBBBBB", "CCCCCCCC"):
        assert REF_COOKIE not in client.get(f"/r/{guess}").cookies
    client.cookies.clear()
    assert REF_COOKIE not in client.get(f"/r/{w['referrer'].code}").cookies
    assert _clicks(session) == 0


def test_a_click_costs_a_few_statements(engine, session):
    w = _setup(session)
    client = _client()
    client.get(f"/r/{w['referrer'].code}")  # warm-up
    client.cookies.clear()
    sent = statements_of(engine, lambda: client.get(f"/r/{w['referrer'].code}"))
    # a new visitor: the business, the referrer, the limit (count, insert), the
    # program, the click
    assert len(sent) == 6, sent
    # a returning one (the visitor cookie kept): their click of today is looked up,
    # found, and no second one written
    again = statements_of(engine, lambda: client.get(f"/r/{w['referrer'].code}"))
    assert len(again) == 6 and "INSERT INTO referral_click" not in " ".join(again), again
    unknown = statements_of(engine, lambda: client.get("/r/NOSUCHCD"))
    # the business, the limit (count, insert: guesses count too), the referrer
    assert len(unknown) == 4, unknown
    assert "INSERT INTO referral_click" not in " ".join(unknown), unknown
    assert _clicks(session) == 2


def test_visit_link_counts_the_click_once_a_day_per_visitor(session):
    w = _setup(session)
    now = datetime.now(UTC)
    secret = "k" * 40
    a = visits.visit_link(session, code=w["referrer"].code, visitor="visitor-aaaaaaaaaaaa",
                          ip="1.1.1.1", secret_key=secret, now=now)
    b = visits.visit_link(session, code=w["referrer"].code, visitor="visitor-aaaaaaaaaaaa",
                          ip="1.1.1.1", secret_key=secret, now=now)
    assert a.cookie and b.cookie and a.max_age == 60 * 24 * 3600
    assert _clicks(session) == 1


def test_behind_https_both_cookies_are_secure(session, monkeypatch):
    from portal_app.settings import reset_settings_cache

    w = _setup(session)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example.test")
    reset_settings_cache()
    try:
        answer = _client().get(f"/r/{w['referrer'].code}")
        for name in (REF_COOKIE, VISITOR_COOKIE):
            assert "secure" in _cookie_header(answer, name).lower(), name
    finally:
        monkeypatch.delenv("PORTAL_BASE_URL")
        reset_settings_cache()
