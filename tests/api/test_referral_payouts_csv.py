"""The payout CSV for the bank: a staff session is required (403, as the progress CSV),
a date range or ticked payouts, an attachment never cached, formulas defused, bad
input 400 and an unknown payout 404."""

import csv
import io
import warnings
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import AuditEvent, Client
from portal_app import routes
from portal_app.api.referral_payout_routes import referral_payout_routes
from portal_app.services.sessions import COOKIE_NAME
from tests.api.test_billing_routes import client_token, staff_token
from tests.unit.referral_helpers import bring, world
from tests.unit.referral_payout_helpers import approved_commission, paid_out

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

URL = routes.CONSOLE_REFERRAL_PAYOUTS_CSV


@pytest.fixture(autouse=True)
def _quick_receipts(monkeypatch):
    monkeypatch.setattr(
        "portal_app.services.billing.printouts.receipt_pdf_bytes",
        lambda session, *, payment, invoice, lang="": b"%PDF-stub")


@pytest.fixture
def http():
    app = Starlette(routes=referral_payout_routes())

    def get(path, *, token=None):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).get(path, headers=headers)

    return get


@pytest.fixture
def w(engine, session):
    w = world(session, rate_bp=1000, hold_days=0)
    bring(session, w)
    client = session.get(Client, w["ref_client"].id)
    client.full_name, client.payout_details = "-2+3", "=IBAN()"
    session.add(client)
    session.commit()
    w["early"] = paid_out(session, w, [approved_commission(session, w, 30000)],
                          reference="@SUM(A1)", at=datetime(2026, 11, 30, 12, tzinfo=UTC))
    w["late"] = paid_out(session, w, [approved_commission(session, w, 40000)],
                         method="cash", at=datetime(2026, 12, 15, 12, tzinfo=UTC))
    w["staff_token"] = staff_token(session, w["staff"].id)
    w["client_token"] = client_token(session, w["ref_client"].account_id, w["ref_client"].id)
    session.commit()
    return w


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_no_staff_session_is_403(http, w, session):
    assert http(URL).status_code == 403
    assert http(URL, token=w["client_token"]).status_code == 403  # the referrer themself
    assert http(f"{URL}?ids={w['early'].id}", token="not-a-token").status_code == 403
    assert session.exec(select(AuditEvent).where(
        AuditEvent.action == "referrals.payouts_exported")).all() == []


def test_staff_get_the_range_as_an_attachment_with_formulas_defused(http, w, session):
    response = http(f"{URL}?from=2026-11-01&to=2026-11-30", token=w["staff_token"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith(
        'attachment; filename="payouts-2026-11-01-to-2026-11-30.csv"')
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    header, *rows = _rows(response)
    assert header[0] == "Payout number" and header[1] == "Date (UTC)"
    assert rows == [[w["early"].number, "2026-11-30", "'-2+3", w["ref_client"].email,
                     "'=IBAN()", "Bank transfer", "USD", "30.00", "'@SUM(A1)"]]
    session.expire_all()
    (audit,) = session.exec(select(AuditEvent).where(
        AuditEvent.action == "referrals.payouts_exported")).all()
    assert (audit.actor_id, audit.detail["numbers"]) == (w["staff"].id, [w["early"].number])


def test_ticked_payouts_and_everything(http, w):
    ticked = _rows(http(f"{URL}?ids={w['late'].id}", token=w["staff_token"]))
    assert [r[0] for r in ticked[1:]] == [w["late"].number] and ticked[1][5] == "Cash"
    everything = _rows(http(URL, token=w["staff_token"]))
    assert [r[0] for r in everything[1:]] == [w["early"].number, w["late"].number]


def test_bad_days_are_400_and_unknown_payouts_404(http, w):
    for query in ("from=30/11/2026", "to=2026-13-01", "from=2026-12-02&to=2026-12-01"):
        assert http(f"{URL}?{query}", token=w["staff_token"]).status_code == 400, query
    for query in ("ids=999999", "ids=1,abc", "ids=0"):
        assert http(f"{URL}?{query}", token=w["staff_token"]).status_code == 404, query
