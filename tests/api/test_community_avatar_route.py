"""The community avatar route: a member who shares an active group with the client,
the client themselves and staff get the image (its real type, nosniff, private
cache); anyone else gets 404 whether the client or image exists or not; signed out
gets 403."""

import warnings

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import GroupMember, MemberStatus
from portal_app import apps, routes
from portal_app.api.community_avatar_routes import community_avatar_routes
from portal_app.providers.storage import get_storage
from portal_app.services.community.avatars import set_avatar
from portal_app.services.documents.file_checks import IncomingFile
from portal_app.services.sessions import COOKIE_NAME
from portal_app.settings import get_settings
from tests import factories
from tests.api.test_document_routes import client_token, files_env, staff_token  # noqa: F401
from tests.unit import community_members_helpers as h

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


def url(client_id):
    return routes.API_COMMUNITY_AVATAR.replace("{client_id:int}", str(client_id))


@pytest.fixture
def http():
    app = Starlette(routes=community_avatar_routes())

    def get(path, *, token=None, method="GET"):
        headers = {"Cookie": f"{COOKIE_NAME}={token}"} if token else {}
        return TestClient(app, raise_server_exceptions=False).request(method, path,
                                                                      headers=headers)

    return get


def _world(session, *, on=True):
    business = factories.business(session, apps_enabled=[apps.COMMUNITY] if on else [],
                                  apps_open=[apps.COMMUNITY] if on else [])
    storage = get_storage(get_settings())
    ana, bo, out = h.client(session, "Ana"), h.client(session, "Bo"), h.client(session, "Out")
    grp = h.group(session)
    h.member(session, grp, ana)
    h.member(session, grp, bo)
    set_avatar(session, client_id=ana.id, file=IncomingFile("a.png", h.PNG), storage=storage)
    staff = factories.staff(session)
    tokens = {p.full_name.split()[0]: client_token(session, p.account_id, p.id)
              for p in (ana, bo, out)}
    tokens["staff"] = staff_token(session, staff.id)
    session.commit()
    return business, grp, ana, bo, tokens


def test_a_member_sharing_a_group_gets_the_image(files_env, engine, session, http):  # noqa: F811
    _b, _g, ana, _bo, tokens = _world(session)
    for who in ("Bo", "Ana", "staff"):
        res = http(url(ana.id), token=tokens[who])
        assert res.status_code == 200, who
        assert res.content == h.PNG
        assert res.headers["content-type"] == "image/png"
        assert res.headers["x-content-type-options"] == "nosniff"
        assert res.headers["cache-control"].startswith("private")
    head = http(url(ana.id), token=tokens["Bo"], method="HEAD")
    assert head.status_code == 200 and head.content == b""


def test_no_shared_group_or_no_image_is_not_found(files_env, engine, session, http):  # noqa: F811
    _b, grp, ana, bo, tokens = _world(session)
    assert http(url(ana.id), token=tokens["Out"]).status_code == 404
    assert http(url(bo.id), token=tokens["Ana"]).status_code == 404  # no image
    assert http(url(999999), token=tokens["Ana"]).status_code == 404
    shared = session.exec(select(GroupMember).where(  # bo leaves the group they shared
        GroupMember.group_id == grp.id, GroupMember.client_id == bo.id)).one()
    shared.status = MemberStatus.LEFT
    session.add(shared)
    session.commit()
    assert http(url(ana.id), token=tokens["Bo"]).status_code == 404


def test_signed_out_is_refused(files_env, engine, session, http):  # noqa: F811
    _b, _g, ana, _bo, _tokens = _world(session)
    assert http(url(ana.id)).status_code == 403
    assert http(url(ana.id), token="not-a-session").status_code == 403


def test_without_the_community_app_a_client_gets_not_found(files_env, engine, session,  # noqa: F811
                                                           http):
    _b, _g, ana, _bo, tokens = _world(session, on=False)
    assert http(url(ana.id), token=tokens["Bo"]).status_code == 404
    assert http(url(ana.id), token=tokens["staff"]).status_code == 200
