"""The superbill PDF routes: a client gets only an issued superbill of a record of
the signed-in household with billing access while superbills are on (404
otherwise, whether the id exists or not); staff get any that passes the
pre-flight; a superbill with data missing is never printed."""

import io
import warnings
from datetime import date

import pypdf
import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import Business, Client, Superbill, SuperbillStatus
from portal_app.api.superbill_routes import superbill_routes
from portal_app.services.sessions import COOKIE_NAME, create_ticket, redeem_ticket
from portal_app.timeouts import session_timeouts
from tests import factories
from tests.unit import superbill_helpers as h

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _client_token(session, account_id, client_id):
    ticket = create_ticket(session, kind="client", account_id=account_id,
                           selected_client_id=client_id)
    return redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())[0]


def _get(path, token=None):
    app = Starlette(routes=superbill_routes())
    headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
    return TestClient(app, raise_server_exceptions=False).get(path, headers=headers)


def _ready(session, client, service, staff, status=SuperbillStatus.ISSUED):
    client.date_of_birth = date(1990, 1, 1)
    client.address = "1 Elm St"
    client.insurance_member_id = "M-77"
    client.timezone = h.ZONE
    session.add(client)
    h.diagnosis(session, client, "F41.1", date(2020, 1, 1))
    h.invoice_for(session, h.booking(session, client, service, staff, h.utc(2026, 3, 10)),
                  total=15000, paid=6000)
    row = Superbill(client_id=client.id, start_date=MARCH[0], end_date=MARCH[1], status=status,
                    source="staff", issued_at=h.utc(2026, 4, 1))
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def world(engine, session):
    _biz, staff, service, account, client = h.ready_world(session)
    mine = _ready(session, client, service, staff)
    victim_acc, (victim,) = factories.household(session, names=("Victim",))
    theirs = _ready(session, victim, service, staff)
    requested = _ready(session, client, service, staff, status=SuperbillStatus.REQUESTED)
    token = _client_token(session, account.id, client.id)
    staff_ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    staff_token = redeem_ticket(session, raw_ticket=staff_ticket, timeouts=session_timeouts())[0]
    session.commit()
    return dict(mine=mine, theirs=theirs, requested=requested, token=token,
                staff=staff_token, client=client, account=account, engine=engine)


def _text(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)


def test_client_downloads_own_issued_superbill(world):
    res = _get(f"/api/superbills/{world['mine'].id}.pdf", world["token"])
    assert res.status_code == 200
    assert res.headers["content-type"] == "application/pdf"
    assert "attachment" in res.headers["content-disposition"]
    text = _text(res.content)
    for expected in (h.NPI, "90834", "F41.1", "$150.00", "$60.00", "M-77"):
        assert expected in text


@pytest.mark.parametrize("which", ["theirs", "requested"])
def test_client_gets_404_for_another_households_or_unissued(world, which):
    res = _get(f"/api/superbills/{world[which].id}.pdf", world["token"])
    assert res.status_code == 404 and b"%PDF" not in res.content


def test_client_gets_404_signed_out_unknown_id_or_staff_cookie(world):
    assert _get(f"/api/superbills/{world['mine'].id}.pdf").status_code == 404
    assert _get("/api/superbills/999999.pdf", world["token"]).status_code == 404
    assert _get(f"/api/superbills/{world['mine'].id}.pdf", world["staff"]).status_code == 404


def test_client_without_billing_permission_gets_404(world):
    with Session(world["engine"]) as s:
        client = s.get(Client, world["client"].id)
        client.perm_billing = False
        s.add(client)
        s.commit()
    assert _get(f"/api/superbills/{world['mine'].id}.pdf", world["token"]).status_code == 404


def test_client_gets_404_when_superbills_are_off(world):
    with Session(world["engine"]) as s:
        business = s.exec(select(Business)).one()
        business.superbills_enabled = False
        s.add(business)
        s.commit()
    assert _get(f"/api/superbills/{world['mine'].id}.pdf", world["token"]).status_code == 404


def test_incomplete_data_is_never_printed(world):
    with Session(world["engine"]) as s:
        client = s.get(Client, world["client"].id)
        client.insurance_member_id = ""
        s.add(client)
        s.commit()
    res = _get(f"/api/superbills/{world['mine'].id}.pdf", world["token"])
    assert res.status_code == 409 and b"%PDF" not in res.content
    res = _get(f"/api/console/superbills/{world['mine'].id}.pdf", world["staff"])
    assert res.status_code == 409


def test_staff_route_needs_a_staff_session(world):
    res = _get(f"/api/console/superbills/{world['theirs'].id}.pdf", world["staff"])
    assert res.status_code == 200 and "M-77" in _text(res.content)
    assert _get(f"/api/console/superbills/{world['theirs'].id}.pdf",
                world["token"]).status_code == 403
    assert _get(f"/api/console/superbills/{world['theirs'].id}.pdf").status_code == 403
    assert _get("/api/console/superbills/999999.pdf", world["staff"]).status_code == 404
