"""Document downloads through Starlette's TestClient: the owner gets the bytes
with safe headers; anyone else gets 403 or 404; every download is audited."""

import itertools
import warnings

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import AuditEvent, Business, Document, DocumentDirection, PortalAccess, StaffUser
from portal_app.api.document_routes import (
    API_CONSOLE_DOCUMENT_DOWNLOAD,
    API_DOCUMENT_DOWNLOAD,
    document_routes,
)
from portal_app.providers.storage import get_storage
from portal_app.services.documents import (
    IncomingFile,
    delete_document,
    share_documents,
    upload_documents,
)
from portal_app.services.sessions import COOKIE_NAME, create_ticket, redeem_ticket
from portal_app.settings import get_settings, reset_settings_cache
from portal_app.timeouts import session_timeouts
from tests import factories
from tests.unit.test_file_checks import image_bytes, pdf_bytes

with warnings.catch_warnings():
    # The project pins httpx; starlette would rather have httpx2 for its test client.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

MB = 1024 * 1024
LIMITS = {"max_file_bytes": 10 * MB, "max_request_bytes": 25 * MB}
BASE_URL = "http://portal.test"
HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "sandbox",
    "cache-control": "private, no-store",
}
_seq = itertools.count(1)


# --- helpers -------------------------------------------------------------------------------


def client_token(session, account_id: int, client_id: int | None) -> str:
    ticket = create_ticket(session, kind="client", account_id=account_id,
                           selected_client_id=client_id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    return token


def staff_token(session, staff_id: int) -> str:
    ticket = create_ticket(session, kind="staff", staff_id=staff_id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    return token


def fresh(engine, model, row_id):
    with Session(engine) as s:
        return s.get(model, row_id)


def download_audits(engine) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == "document.downloaded")
                           .order_by(AuditEvent.id)).all())


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def files_env(monkeypatch, tmp_path):
    """Settings (and so the routes' storage) point at this test's own data dir."""
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    yield tmp_path / "data"
    reset_settings_cache()


@pytest.fixture
def http():
    app = Starlette(routes=document_routes())

    def get(path: str, *, token: str | None = None, **params):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).get(path, params=params,
                                                                   headers=headers)

    return get


@pytest.fixture
def world(files_env, engine, session):
    business = factories.business(session)
    n = next(_seq)
    staff = StaffUser(email=f"route-staff{n}@example.test", full_name=f"Route Staff {n}",
                      role="staff", password_hash="!unusable")
    session.add(staff)
    owner_acc, (owner,) = factories.household(session, access=PortalAccess.ACTIVE)
    other_acc, (sam, kim) = factories.household(session, names=("Sam", "Kim"),
                                                access=PortalAccess.ACTIVE)
    session.flush()
    storage = get_storage(get_settings())

    def shared(client, name, data, **kw):
        (doc,) = share_documents(session, staff_id=staff.id, client_id=client.id,
                                 files=[IncomingFile(name, data)], storage=storage,
                                 base_url=BASE_URL, **LIMITS, **kw)
        return doc

    def uploaded(client, name, data):
        (doc,) = upload_documents(session, client_id=client.id,
                                  files=[IncomingFile(name, data)], storage=storage,
                                  base_url=BASE_URL, **LIMITS)
        return doc

    plan = pdf_bytes("Plan")
    mine = {
        "plan": shared(owner, "Plan.pdf", plan),
        "unicode": shared(owner, "Résumé – 日本 2030.pdf", pdf_bytes("R")),
        "text": shared(owner, "notes.txt", "Grüße\n".encode()),
        "upload": uploaded(owner, "scan.png", image_bytes("PNG")),
        "deleted": shared(owner, "old.pdf", pdf_bytes("old")),
    }
    # A row whose stored display name holds quotes and a backslash, as an older or
    # imported row might: the header must stay well-formed anyway.
    quoted = Document(client_id=owner.id, direction=DocumentDirection.SHARED,
                      title="Quoted", filename='say "hi" \\ now.txt',
                      stored_name=storage.save(b"quoted"), content_type="text/plain",
                      size_bytes=6)
    session.add(quoted)
    mine["quoted"] = quoted
    theirs = []
    for client in (sam, kim):
        theirs.append(shared(client, "theirs.pdf", pdf_bytes("theirs")))
        theirs.append(uploaded(client, "their-scan.png", image_bytes("PNG")))
    session.flush()
    delete_document(session, staff_id=staff.id, document_id=mine["deleted"].id,
                    storage=storage)
    world = {
        "business": business, "staff": staff, "owner": owner, "sam": sam, "kim": kim,
        "mine": mine, "theirs": theirs, "plan_bytes": plan, "storage": storage,
        "owner_token": client_token(session, owner_acc.id, owner.id),
        "sam_token": client_token(session, other_acc.id, sam.id),
        "unselected_token": client_token(session, other_acc.id, None),
        "staff_token": staff_token(session, staff.id),
    }
    session.commit()
    return world


# --- the owner -----------------------------------------------------------------------------


def test_download_owner_gets_exact_bytes_and_safe_headers(world, http, engine):
    doc = world["mine"]["plan"]

    response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id)

    assert response.status_code == 200, response.text
    assert response.content == world["plan_bytes"]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Plan.pdf\"; filename*=UTF-8''Plan.pdf")
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_download_unicode_name_has_ascii_fallback_and_utf8_filename(world, http):
    doc = world["mine"]["unicode"]

    response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id)

    assert response.status_code == 200
    assert doc.filename == "Résumé _ 日本 2030.pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Resume _ 2030.pdf\"; "
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20_%20%E6%97%A5%E6%9C%AC%202030.pdf")
    assert response.headers["content-disposition"].isascii()


def test_download_name_with_quotes_keeps_the_header_well_formed(world, http):
    response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"],
                    id=world["mine"]["quoted"].id)

    assert response.status_code == 200
    assert response.content == b"quoted"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"say _hi_ _ now.txt\"; "
        "filename*=UTF-8''say%20%22hi%22%20%5C%20now.txt")


def test_download_text_file_is_served_as_utf8_text(world, http):
    response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"],
                    id=world["mine"]["text"].id)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == "Grüße\n".encode()
    assert response.headers["content-security-policy"] == "sandbox"


def test_download_writes_audit_row_and_sets_first_viewed_at(world, http, engine):
    doc = world["mine"]["plan"]
    assert fresh(engine, Document, doc.id).first_viewed_at is None

    http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id)
    http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id)

    row = fresh(engine, Document, doc.id)
    assert row.first_viewed_at is not None and row.view_count == 2
    audits = download_audits(engine)
    assert len(audits) == 2
    assert all((a.actor_kind, a.actor_id, a.client_id, a.detail["document_id"]) ==
               ("client", world["owner"].id, world["owner"].id, doc.id) for a in audits)
    assert audits[0].ip  # the TestClient's address


def test_download_own_upload_is_audited_but_not_counted_as_a_view(world, http, engine):
    doc = world["mine"]["upload"]

    response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    row = fresh(engine, Document, doc.id)
    assert row.view_count == 0 and row.first_viewed_at is None
    assert len(download_audits(engine)) == 1


# --- everyone else -------------------------------------------------------------------------


def test_download_every_other_household_document_is_404(world, http, engine):
    for doc in world["theirs"]:
        response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id)
        assert response.status_code == 404, doc.id
        assert response.content == b"Not found."
    assert download_audits(engine) == []
    assert all(fresh(engine, Document, d.id).view_count == 0 for d in world["theirs"])


def test_download_other_record_of_the_same_household_is_404(world, http):
    kims = [d for d in world["theirs"] if d.client_id == world["kim"].id]
    sams = [d for d in world["theirs"] if d.client_id == world["sam"].id]

    for doc in kims:
        assert http(API_DOCUMENT_DOWNLOAD, token=world["sam_token"], id=doc.id).status_code == 404
    for doc in sams:
        assert http(API_DOCUMENT_DOWNLOAD, token=world["sam_token"], id=doc.id).status_code == 200


@pytest.mark.parametrize("raw", ["", "abc", "0", "-1", "1.5", "1 OR 1=1", "9" * 30, "999999"])
def test_download_bad_id_is_404(world, http, raw):
    assert http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=raw).status_code == 404


def test_download_without_id_is_404(world, http):
    assert http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"]).status_code == 404


def test_download_deleted_document_is_404(world, http):
    doc = world["mine"]["deleted"]

    assert http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id).status_code == 404
    assert http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff_token"],
                id=doc.id).status_code == 404


def test_download_file_missing_from_disk_is_404(world, http, files_env):
    doc = world["mine"]["plan"]
    (files_env / "files" / doc.stored_name).unlink()

    assert http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=doc.id).status_code == 404


@pytest.mark.parametrize("token", [None, "not-a-real-session-token"])
def test_download_signed_out_is_403(world, http, engine, token):
    response = http(API_DOCUMENT_DOWNLOAD, token=token, id=world["mine"]["plan"].id)

    assert response.status_code == 403
    assert download_audits(engine) == []


def test_download_with_no_record_selected_is_403(world, http):
    doc = world["theirs"][0]

    response = http(API_DOCUMENT_DOWNLOAD, token=world["unselected_token"], id=doc.id)

    assert response.status_code == 403


@pytest.mark.parametrize("switch", ["feature_documents", "portal_enabled"])
def test_download_documents_off_for_the_business_is_403(world, http, engine, switch):
    with Session(engine) as s:
        business = s.get(Business, world["business"].id)
        setattr(business, switch, False)
        s.add(business)
        s.commit()

    response = http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"],
                    id=world["mine"]["plan"].id)

    assert response.status_code == 403


def test_download_staff_cookie_on_client_route_is_403(world, http):
    response = http(API_DOCUMENT_DOWNLOAD, token=world["staff_token"],
                    id=world["mine"]["plan"].id)

    assert response.status_code == 403


# --- staff ---------------------------------------------------------------------------------


def test_staff_download_any_live_document(world, http, engine):
    docs = [d for k, d in world["mine"].items() if k != "deleted"] + world["theirs"]

    for doc in docs:
        response = http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff_token"], id=doc.id)
        assert response.status_code == 200, doc.id
        assert response.content == world["storage"].read(doc.stored_name)
        assert response.headers["content-disposition"].startswith("attachment; filename=")
        for name, value in HEADERS.items():
            assert response.headers[name] == value
    audits = download_audits(engine)
    assert len(audits) == len(docs)
    assert {a.actor_kind for a in audits} == {"staff"}
    assert {a.actor_id for a in audits} == {world["staff"].id}


def test_staff_download_counts_views_of_uploads_only(world, http, engine):
    upload, shared = world["mine"]["upload"], world["mine"]["plan"]

    http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff_token"], id=upload.id)
    http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff_token"], id=shared.id)

    assert fresh(engine, Document, upload.id).view_count == 1
    assert fresh(engine, Document, upload.id).first_viewed_at is not None
    assert fresh(engine, Document, shared.id).view_count == 0
    assert fresh(engine, Document, shared.id).first_viewed_at is None


@pytest.mark.parametrize("who", ["owner_token", "sam_token", None])
def test_staff_download_without_staff_cookie_is_403(world, http, who):
    token = world[who] if who else None

    response = http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=token, id=world["mine"]["plan"].id)

    assert response.status_code == 403


@pytest.mark.parametrize("raw", ["", "abc", "0", "-3", "999999"])
def test_staff_download_bad_id_is_404(world, http, raw):
    assert http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff_token"],
                id=raw).status_code == 404


def test_a_signed_form_pdf_downloads_only_for_its_own_record_and_staff(world, http, session):
    """The signed form's PDF is a Document of the record it was signed for: another
    household, and another record of the same household, get 404 like any document."""
    from datetime import timedelta

    from portal_app.services.forms.requests import version_of
    from portal_app.services.forms.sending import send_form
    from portal_app.services.forms.signed_pdf import file_signed_pdf
    from portal_app.services.forms.submit import submit_form
    from portal_app.services.forms.templates import create_template
    from tests.unit.forms_helpers import NOW

    kim = world["kim"]
    template = create_template(session, staff_id=world["staff"].id, title="Consent",
                               fields=[{"kind": "short_text", "label": "Name",
                                        "required": True}])
    request = send_form(session, staff_id=world["staff"].id, client_id=kim.id,
                        template_id=template.id, base_url=BASE_URL, now=NOW)
    answer_key = version_of(session, request).fields[0]["key"]
    submission = submit_form(session, client_id=kim.id, request_id=request.id,
                             account_id=kim.account_id, email=kim.email, ip="198.51.100.7",
                             user_agent="pytest", consent_version=None,
                             now=NOW + timedelta(minutes=1), answers={answer_key: "Kim"})
    pdf = file_signed_pdf(session, submission_id=submission.id, base_url=BASE_URL,
                          storage=world["storage"])
    kim_token = client_token(session, kim.account_id, kim.id)
    session.commit()

    assert http(API_DOCUMENT_DOWNLOAD, token=world["owner_token"], id=pdf.id).status_code == 404
    assert http(API_DOCUMENT_DOWNLOAD, token=world["sam_token"], id=pdf.id).status_code == 404
    own = http(API_DOCUMENT_DOWNLOAD, token=kim_token, id=pdf.id)
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    staff = http(API_CONSOLE_DOCUMENT_DOWNLOAD, token=world["staff_token"], id=pdf.id)
    assert staff.status_code == 200 and staff.content == own.content
