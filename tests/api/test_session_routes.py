"""The HTTP routes that set and clear the HttpOnly session cookie."""

import re
import warnings
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import PortalAccess
from models.base import utcnow
from portal_app.api.session_routes import session_routes
from portal_app.services.sessions import COOKIE_NAME, create_ticket, resolve_client, resolve_staff
from portal_app.settings import get_settings
from portal_app.timeouts import session_timeouts
from tests import factories

with warnings.catch_warnings():
    # The project pins httpx; starlette would rather have httpx2 for its test client.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

START = "/api/session/start"
END = "/api/session/end"


@pytest.fixture
def post(engine):
    """POST with a fresh client each time, so no cookie is carried over by accident."""
    app = Starlette(routes=session_routes())

    def send(path, *, ticket=None, cookie=None, origin=None, body=None):
        headers = {}
        if cookie is not None:
            headers["Cookie"] = f"{COOKIE_NAME}={cookie}"
        if origin is not None:
            headers["Origin"] = origin
        client = TestClient(app)
        if body is not None:
            return client.post(path, content=body, headers=headers)
        return client.post(path, json={} if ticket is None else {"ticket": ticket},
                           headers=headers)

    return send


@pytest.fixture
def client_ticket(session):
    """A fresh client sign-in ticket (committed, so the route's own session sees it)."""

    def make():
        account, (client,) = factories.household(session, access=PortalAccess.ACTIVE)
        ticket = create_ticket(session, kind="client", account_id=account.id,
                               selected_client_id=client.id)
        session.commit()
        return ticket, account

    return make


def _cookie_header(response) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie")
                 if h.startswith(f"{COOKIE_NAME}=")]
    return header


def _token(response) -> str:
    return re.match(rf"{COOKIE_NAME}=([^;]*)", _cookie_header(response)).group(1)


def _resolve(session, token):
    ctx = resolve_client(session, raw_token=token, timeouts=session_timeouts(),
                         portal_enabled=True)
    session.commit()  # release anything the last-seen touch wrote
    return ctx


def test_start_sets_httponly_lax_cookie_that_resolves(session, post, client_ticket):
    ticket, account = client_ticket()

    response = post(START, ticket=ticket)

    assert response.status_code == 200
    assert response.json() == {"ok": True, "kind": "client"}
    assert response.headers["cache-control"] == "no-store"
    header = _cookie_header(response).lower()
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "path=/" in header
    expected_age = int(session_timeouts().absolute.total_seconds())
    assert f"max-age={expected_age}" in header
    assert ("secure" in header) is get_settings().secure_cookies
    token = _token(response)
    assert token and token != ticket
    ctx = _resolve(session, token)
    assert ctx is not None and ctx.account_id == account.id


def test_start_with_same_ticket_again_is_refused(post, client_ticket):
    ticket, _ = client_ticket()
    assert post(START, ticket=ticket).status_code == 200

    again = post(START, ticket=ticket)

    assert again.status_code == 400
    assert again.headers.get_list("set-cookie") == []


@pytest.mark.parametrize("ticket", ["", "bogus-ticket", "z" * 300])
def test_start_with_bogus_ticket_is_refused(post, ticket):
    response = post(START, ticket=ticket)

    assert response.status_code == 400
    assert response.headers.get_list("set-cookie") == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'"a string"'])
def test_start_with_malformed_body_is_refused(post, body):
    assert post(START, body=body).status_code == 400


def test_start_with_oversized_body_is_refused(post):
    assert post(START, body=b'{"ticket": "' + b"a" * 5000 + b'"}').status_code == 413


def test_start_with_expired_ticket_is_refused(session, post):
    account, _ = factories.household(session, access=PortalAccess.ACTIVE)
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           now=utcnow() - timedelta(minutes=3))
    session.commit()

    assert post(START, ticket=ticket).status_code == 400


def test_start_from_foreign_origin_is_forbidden(session, post, client_ticket):
    ticket, _ = client_ticket()

    response = post(START, ticket=ticket, origin="https://evil.example")

    assert response.status_code == 403
    assert response.headers.get_list("set-cookie") == []
    # The ticket was not spent: the real page can still use it.
    assert post(START, ticket=ticket, origin=get_settings().base_url).status_code == 200


def test_start_revokes_cookie_presented_with_it(session, post, client_ticket):
    first_ticket, _ = client_ticket()
    old_token = _token(post(START, ticket=first_ticket))
    assert _resolve(session, old_token) is not None
    second_ticket, account = client_ticket()

    response = post(START, ticket=second_ticket, cookie=old_token)

    new_token = _token(response)
    assert new_token != old_token
    assert _resolve(session, old_token) is None
    assert _resolve(session, new_token).account_id == account.id


def test_start_with_staff_ticket_gives_staff_session(session, post):
    staff = factories.staff(session, totp_secret="JBSWY3DPEHPK3PXP")
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    session.commit()

    response = post(START, ticket=ticket)

    assert response.json()["kind"] == "staff"
    token = _token(response)
    assert _resolve(session, token) is None
    assert resolve_staff(session, raw_token=token, timeouts=session_timeouts()).staff_id == staff.id


def test_end_revokes_session_and_clears_cookie(session, post, client_ticket):
    ticket, _ = client_ticket()
    token = _token(post(START, ticket=ticket))
    assert _resolve(session, token) is not None

    response = post(END, cookie=token)

    assert response.status_code == 200
    assert _resolve(session, token) is None
    header = _cookie_header(response).lower()
    assert "max-age=0" in header or "expires=thu, 01 jan 1970" in header
    assert _token(response) in ("", '""')


def test_end_from_foreign_origin_is_forbidden_and_keeps_session(session, post, client_ticket):
    ticket, _ = client_ticket()
    token = _token(post(START, ticket=ticket))

    response = post(END, cookie=token, origin="https://evil.example")

    assert response.status_code == 403
    assert _resolve(session, token) is not None


def test_end_without_cookie_is_harmless(post):
    response = post(END)

    assert response.status_code == 200
    assert "max-age=0" in _cookie_header(response).lower()


def test_health_answers_ok(engine):
    response = TestClient(Starlette(routes=session_routes())).get("/api/health")

    assert (response.status_code, response.json()) == (200, {"ok": True})
