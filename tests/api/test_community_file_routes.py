"""A community post's file over HTTP: a member who may see the post gets it (images
inline, other files as attachments, never cached); a client outside the group, a
client without the app, or a deleted post: 404; signed out: 403; staff get it."""

import warnings

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import PortalAccess
from portal_app.api.community_file_routes import community_file_routes
from portal_app.providers.storage import get_storage
from portal_app.services.community import posts
from portal_app.services.community.files import files_of
from portal_app.services.documents import IncomingFile
from portal_app.services.sessions import COOKIE_NAME
from portal_app.settings import get_settings
from tests import factories
from tests.api.test_document_routes import client_token, files_env, staff_token  # noqa: F401
from tests.unit.community_feed_helpers import BASE, group, member
from tests.unit.test_file_checks import image_bytes, pdf_bytes

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

PNG = image_bytes("PNG")
PDF = pdf_bytes()


@pytest.fixture
def http():
    app = Starlette(routes=community_file_routes())

    def get(file_id, *, token=None):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).get(
            f"/api/community/files/{file_id}", headers=headers)

    return get


@pytest.fixture
def world(files_env, engine, session):  # noqa: F811
    business = factories.business(session, apps_enabled=["community"], apps_open=["community"])
    grp, chans = group(session, name="Makers")
    author, _ = member(session, grp, "Alice")
    reader, _ = member(session, grp, "Bob")
    outsider_acc, (outsider,) = factories.household(session, access=PortalAccess.ACTIVE)
    staff = factories.staff(session)
    done = posts.create_post(session, client_id=author.id, channel_id=chans["feed"].id,
                             title="Pics", body="", base_url=BASE,
                             files=[IncomingFile("a.png", PNG), IncomingFile("b.pdf", PDF)],
                             storage=get_storage(get_settings()))
    session.flush()
    png, pdf = files_of(session, [done.row.id])[done.row.id]
    world = {"business": business, "post": done.row, "author": author, "png": png, "pdf": pdf,
             "reader": client_token(session, reader.account_id, reader.id),
             "outsider": client_token(session, outsider_acc.id, outsider.id),
             "staff": staff_token(session, staff.id)}
    session.commit()
    return world


def test_a_member_gets_an_image_inline_and_a_file_as_attachment(world, http):
    image = http(world["png"].id, token=world["reader"])
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["content-disposition"] == "inline"
    assert image.headers["cache-control"] == "private, no-store"
    doc = http(world["pdf"].id, token=world["reader"])
    assert doc.status_code == 200 and doc.content == PDF
    assert doc.headers["content-disposition"].startswith("attachment")


def test_a_non_member_gets_404_and_signed_out_gets_403(world, http):
    assert http(world["png"].id, token=world["outsider"]).status_code == 404
    assert http(world["png"].id).status_code == 403
    assert http(999999, token=world["reader"]).status_code == 404


def test_without_the_app_a_member_gets_404(world, http, session):
    business = world["business"]
    business.apps_open = []
    session.add(business)
    session.commit()
    assert http(world["png"].id, token=world["reader"]).status_code == 404


def test_staff_get_the_file_until_the_post_is_deleted(world, http, session):
    assert http(world["pdf"].id, token=world["staff"]).status_code == 200
    posts.delete_post(session, client_id=world["author"].id, post_id=world["post"].id)
    session.commit()
    assert http(world["pdf"].id, token=world["staff"]).status_code == 404
    assert http(world["pdf"].id, token=world["reader"]).status_code == 404
