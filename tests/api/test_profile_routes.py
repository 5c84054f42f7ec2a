"""GET /api/profile/export through Starlette's TestClient: the record comes from
the session cookie only; no session or no selected record is refused; each
household gets its own data; every export is audited."""

import io
import json
import warnings
import zipfile

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import AuditEvent, PortalAccess
from portal_app import routes
from portal_app.api.profile_routes import profile_routes
from portal_app.providers.storage import get_storage
from portal_app.services import messaging
from portal_app.services.documents import IncomingFile, share_documents
from portal_app.services.sessions import COOKIE_NAME
from portal_app.settings import get_settings, reset_settings_cache
from tests import factories
from tests.api.test_document_routes import client_token
from tests.unit.test_file_checks import pdf_bytes

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

MB = 1024 * 1024
BASE_URL = "http://portal.test"


@pytest.fixture
def files_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    yield
    reset_settings_cache()


@pytest.fixture
def http():
    app = Starlette(routes=profile_routes())

    def request(method="GET", *, token=None, **params):
        cookies = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).request(
            method, routes.API_PROFILE_EXPORT, params=params, headers=cookies)

    return request


@pytest.fixture
def world(files_env, engine, session):
    factories.business(session)
    staff = factories.staff(session)
    storage = get_storage(get_settings())
    owner_acc, (owner,) = factories.household(session, names=("Ownerperson",),
                                              access=PortalAccess.ACTIVE)
    other_acc, (sam, kim) = factories.household(session, names=("Samperson", "Kimperson"),
                                                access=PortalAccess.ACTIVE)
    for client, text in ((owner, "Owner secret plan"), (sam, "Sam secret plan"),
                         (kim, "Kim secret plan")):
        share_documents(session, staff_id=staff.id, client_id=client.id,
                        files=[IncomingFile(f"{text}.pdf", pdf_bytes(text))], storage=storage,
                        base_url=BASE_URL, max_file_bytes=10 * MB, max_request_bytes=25 * MB)
        messaging.start_conversation(session, client_id=client.id, subject=f"About {text}",
                                     body=text, by="client", base_url=BASE_URL)
    session.flush()
    world = {
        "owner": owner, "sam": sam, "kim": kim, "owner_account": owner_acc,
        "owner_token": client_token(session, owner_acc.id, owner.id),
        "sam_token": client_token(session, other_acc.id, sam.id),
        "unselected_token": client_token(session, other_acc.id, None),
    }
    session.commit()
    return world


def unzip(response) -> tuple[zipfile.ZipFile, dict, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    everything = b"".join(archive.read(n) for n in archive.namelist())
    return archive, json.loads(archive.read("data.json")), everything


def export_audits(engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == "client.data_exported")
                           .order_by(AuditEvent.id)).all())


def test_owner_gets_a_zip_of_own_data_with_safe_headers(world, http, engine):
    response = http(token=world["owner_token"])

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith('attachment; filename="my-data-')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "private, no-store"
    assert int(response.headers["content-length"]) == len(response.content)
    archive, data, everything = unzip(response)
    assert data["profile"]["id"] == world["owner"].id
    assert b"Owner secret plan" in everything
    assert b"Sam secret plan" not in everything and b"Kim secret plan" not in everything
    assert any(n.startswith("files/shared/") for n in archive.namelist())
    (audit,) = export_audits(engine)
    assert audit.actor_kind == "client" and audit.actor_id == world["owner_account"].id
    assert audit.client_id == world["owner"].id and audit.detail["files"] == 1


def test_another_household_gets_its_own_data_only(world, http, engine):
    response = http(token=world["sam_token"])

    assert response.status_code == 200
    _, data, everything = unzip(response)
    assert data["profile"]["id"] == world["sam"].id
    assert b"Sam secret plan" in everything
    assert b"Owner secret plan" not in everything and b"Kim secret plan" not in everything


def test_a_client_id_in_the_url_is_ignored(world, http):
    response = http(token=world["sam_token"], client_id=world["owner"].id, id=world["owner"].id)

    assert response.status_code == 200
    _, data, everything = unzip(response)
    assert data["profile"]["id"] == world["sam"].id
    assert b"Owner secret plan" not in everything


@pytest.mark.parametrize("token", [None, "not-a-session-token", "x" * 500])
def test_without_a_valid_session_it_is_refused(world, http, engine, token):
    response = http(token=token)

    assert response.status_code == 403
    assert b"secret plan" not in response.content
    assert export_audits(engine) == []


def test_without_a_selected_record_it_is_refused(world, http, engine):
    response = http(token=world["unselected_token"])

    assert response.status_code == 404
    assert b"secret plan" not in response.content
    assert export_audits(engine) == []


def test_a_staff_session_is_not_a_client_session(world, http, engine, session):
    from portal_app.services.sessions import create_ticket, redeem_ticket
    from portal_app.timeouts import session_timeouts

    staff = factories.staff(session)
    ticket = create_ticket(session, kind="staff", staff_id=staff.id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()

    assert http(token=token).status_code == 403


def test_a_closed_portal_refuses_the_export(world, http, engine, session):
    from portal_app.services.business import get_business

    business = get_business(session)
    business.portal_enabled = False
    session.add(business)
    session.commit()

    assert http(token=world["owner_token"]).status_code == 403


def test_head_builds_nothing_and_is_not_audited(world, http, engine):
    response = http("HEAD", token=world["owner_token"])

    assert response.status_code == 405
    assert export_audits(engine) == []


def test_post_is_not_allowed(world, http):
    assert http("POST", token=world["owner_token"]).status_code == 405
