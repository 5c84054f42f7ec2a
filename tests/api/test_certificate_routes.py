"""The certificate PDF route serves only the signed-in client's own certificate (404
for anyone else's code, an unknown or malformed code, or no session); the PDF shows
the frozen facts, the code and the public verify URL."""

import io
import warnings
from datetime import date

import pypdf
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import Certificate
from portal_app.api.certificate_routes import certificate_routes
from portal_app.services.sessions import COOKIE_NAME, create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from tests import factories
from tests.unit import course_helpers as h

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


def _token(session, account_id, client_id):
    ticket = create_ticket(session, kind="client", account_id=account_id,
                           selected_client_id=client_id)
    return redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())[0]


def _get(path, token=None):
    app = Starlette(routes=certificate_routes())
    headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
    return TestClient(app, raise_server_exceptions=False).get(path, headers=headers)


def test_only_the_owner_gets_the_certificate_pdf(engine, session):
    factories.business(session, name="Calm Studio")
    course, _m, _l = h.course(session)
    owner_account, (owner,) = factories.household(session, names=("Ana",), access="active")
    other_account, (other,) = factories.household(session, names=("Bo",), access="active")
    row = Certificate(code="ABCDEFGHJKMN", course_id=course.id, client_id=owner.id,
                      client_name="Ana Frozen", course_title="Calm Mind",
                      issued_on=date(2026, 3, 2))
    session.add(row)
    owner_token = _token(session, owner_account.id, owner.id)
    other_token = _token(session, other_account.id, other.id)
    session.commit()

    ok = _get("/api/certificates/ABCDEFGHJKMN.pdf", owner_token)
    assert ok.status_code == 200 and ok.headers["content-type"] == "application/pdf"
    assert "attachment" in ok.headers["content-disposition"]
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(ok.content)).pages)
    for expected in ("Ana Frozen", "Calm Mind", "Mar 2, 2026", "ABCD-EFGH-JKMN",
                     "/verify/ABCDEFGHJKMN"):
        assert expected in text, expected
    assert _get("/api/certificates/abcd-efgh-jkmn.pdf", owner_token).status_code == 200
    for path, token in (("/api/certificates/ABCDEFGHJKMN.pdf", other_token),
                        ("/api/certificates/ABCDEFGHJKMN.pdf", None),
                        ("/api/certificates/ABCDEFGHJKMP.pdf", owner_token),
                        ("/api/certificates/%3Cscript%3E.pdf", owner_token)):
        answer = _get(path, token)
        assert answer.status_code == 404, path
        assert b"Ana" not in answer.content
