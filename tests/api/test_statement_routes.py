"""The statement PDF routes: the client's own records only (another household's id, a
record without billing access or no such record: 404; not signed in: 403, as the
invoice PDFs), the household's other record by its own permission, the staff route
behind a staff session, a bad range refused with the reason."""

import io
import warnings
from datetime import UTC, datetime, timedelta

import pypdf
import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import PortalAccess
from portal_app.api.statement_routes import statement_routes
from portal_app.services.billing.links import console_statement_pdf_url, statement_pdf_url
from portal_app.services.sessions import COOKIE_NAME
from tests import factories
from tests.api.test_billing_routes import client_token, make_invoice, staff_token

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

TODAY = datetime.now(UTC).date()
START, END = TODAY - timedelta(days=365), TODAY + timedelta(days=30)
RANGE = {"start": START.isoformat(), "end": END.isoformat()}


def _url(client_id, *, console=False):
    """The route's path (from the URL builder) and the range as query parameters."""
    url = (console_statement_pdf_url if console else statement_pdf_url)(
        client_id, START, END)
    path, _, _query = url.partition("?")
    return path, dict(RANGE)


def _text(body: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
                    .split())


@pytest.fixture
def http():
    app = Starlette(routes=statement_routes())

    def get(path, *, token=None, params=None):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).get(path, params=params or {},
                                                                   headers=headers)

    return get


@pytest.fixture
def world(engine, session):
    factories.business(session)
    staff = factories.staff(session, role="staff")
    acc, (mine, kid) = factories.household(session, names=("Ana", "Kid"),
                                           access=PortalAccess.ACTIVE)
    _other_acc, (theirs,) = factories.household(session, names=("Zed",),
                                                access=PortalAccess.ACTIVE)
    kid.perm_billing = False
    kid.perm_pay = False
    session.add(kid)
    invoices = {c.id: make_invoice(session, staff_id=staff.id, client_id=c.id)
                for c in (mine, kid, theirs)}
    token = client_token(session, acc.id, mine.id)
    staff_tok = staff_token(session, staff.id)
    session.commit()
    return {"mine": mine, "kid": kid, "theirs": theirs, "invoices": invoices,
            "token": token, "staff_token": staff_tok}


def test_the_client_gets_their_own_statement_pdf(http, world):
    path, params = _url(world["mine"].id)
    response = http(path, token=world["token"], params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["cache-control"] == "private, no-store"
    text = _text(response.content)
    assert "Statement" in text and world["invoices"][world["mine"].id].number in text
    assert world["invoices"][world["theirs"].id].number not in text


@pytest.mark.parametrize("who", ["theirs", "kid", "missing"])
def test_another_households_or_a_no_billing_record_or_no_such_id_is_404(http, world, who):
    client_id = 999_999 if who == "missing" else world[who].id
    path, params = _url(client_id)
    response = http(path, token=world["token"], params=params)
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_no_session_is_refused_as_for_the_invoice_pdfs(http, world):
    path, params = _url(world["mine"].id)
    assert http(path, params=params).status_code == 403
    assert http(path, token="forged-token", params=params).status_code == 403
    # A client session is not a staff session.
    staff_path, _ = _url(world["mine"].id, console=True)
    assert http(staff_path, token=world["token"], params=params).status_code == 403


def test_a_bad_range_is_400_with_the_reason(http, world):
    path, _ = _url(world["mine"].id)
    response = http(path, token=world["token"], params={"start": "yesterday", "end": "2026-01-01"})
    assert response.status_code == 400
    assert response.text == "Enter the first day as a date (YYYY-MM-DD)."
    response = http(path, token=world["token"],
                    params={"start": "2026-02-01", "end": "2026-01-01"})
    assert (response.status_code, response.text) == (
        400, "The first day must be on or before the last day.")


def test_staff_get_any_clients_statement_and_404_for_no_such_client(http, world):
    path, params = _url(world["theirs"].id, console=True)
    response = http(path, token=world["staff_token"], params=params)
    assert response.status_code == 200
    assert world["invoices"][world["theirs"].id].number in _text(response.content)
    path, params = _url(999_999, console=True)
    assert http(path, token=world["staff_token"], params=params).status_code == 404
