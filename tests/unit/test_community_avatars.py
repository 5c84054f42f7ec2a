"""The community profile: the display name, and the avatar (type judged by its bytes,
2 MB at most, stored under a random name, the old file removed after the commit and
the new one removed when the transaction does not commit), and who may see it."""

import pytest
from sqlmodel import Session, select

from models import AuditEvent, Client, GroupVisibility, MemberStatus
from portal_app.db import session_scope
from portal_app.providers.storage import LocalFileStorage
from portal_app.services.community import avatars
from portal_app.services.documents.file_checks import IncomingFile
from portal_app.services.errors import ServiceError
from portal_app.services.storage_admin.references import referenced_names
from tests.unit import community_members_helpers as h


@pytest.fixture
def storage(tmp_path):
    return LocalFileStorage(tmp_path / "files")


def _files(storage):
    return sorted(o.name for o in storage.names())


def _set(session, person, data, storage, name="me.png"):
    return avatars.set_avatar(session, client_id=person.id, file=IncomingFile(name, data),
                              storage=storage)


@pytest.mark.parametrize("data", [h.PNG, h.JPEG, h.WEBP])
def test_avatar_of_each_image_type_is_stored_under_a_random_name(session, storage, data):
    ana = h.client(session)
    client = _set(session, ana, data, storage, name="../../etc/passwd.png")
    assert client.avatar_name and "passwd" not in client.avatar_name
    assert _files(storage) == [client.avatar_name]
    assert storage.read(client.avatar_name) == data
    assert avatars.get_profile(session, client_id=ana.id).avatar_url.startswith(
        f"/api/community/avatars/{ana.id}?v=")
    assert session.exec(select(AuditEvent.action)).all() == ["community.avatar_set"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Choose an image."),
    (b"%PDF-1.4 not an image", "Choose a PNG, JPEG or WEBP image."),
    (b"GIF89a" + b"\x00" * 20, "Choose a PNG, JPEG or WEBP image."),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Choose a PNG, JPEG or WEBP image."),
    (h.PNG + b"\x00" * (2 * 1024 * 1024), "Choose an image of at most 2 MB."),
])
def test_avatar_that_is_not_a_small_image_is_refused(session, storage, data, message):
    ana = h.client(session)
    with pytest.raises(ServiceError) as err:
        _set(session, ana, data, storage)
    assert (err.value.message, err.value.field) == (message, "avatar")
    assert _files(storage) == [] and ana.avatar_name == ""


def test_avatar_of_exactly_2_mb_is_taken(session, storage):
    ana = h.client(session)
    data = h.PNG + b"\x00" * (2 * 1024 * 1024 - len(h.PNG))
    assert _set(session, ana, data, storage).avatar_name


def test_replaced_avatar_file_is_removed_after_the_commit(engine, storage):
    with session_scope() as session:
        ana = h.client(session)
        first = _set(session, ana, h.PNG, storage).avatar_name
        ana_id = ana.id
    with session_scope() as session:
        second = avatars.set_avatar(session, client_id=ana_id, storage=storage,
                                    file=IncomingFile("b.jpg", h.JPEG)).avatar_name
        assert first in _files(storage)  # not yet: the commit may still fail
    assert _files(storage) == [second]
    with session_scope() as session:
        avatars.remove_avatar(session, client_id=ana_id, storage=storage)
    assert _files(storage) == []
    with Session(engine) as s:
        assert s.get(Client, ana_id).avatar_name == ""


def test_new_avatar_file_is_removed_when_the_transaction_fails(engine, storage):
    with session_scope() as session:
        ana_id = h.client(session).id
    with pytest.raises(RuntimeError), session_scope() as session:
        avatars.set_avatar(session, client_id=ana_id, storage=storage,
                           file=IncomingFile("a.png", h.PNG))
        raise RuntimeError("the event failed after the upload")
    assert _files(storage) == []
    with Session(engine) as s:
        assert s.get(Client, ana_id).avatar_name == ""


def test_storage_gc_keeps_avatars(session, storage):
    ana = h.client(session)
    name = _set(session, ana, h.PNG, storage).avatar_name
    assert name in referenced_names(session)


def test_display_name_is_checked_and_saved(session):
    ana = h.client(session, "Anaïs")
    with pytest.raises(ServiceError) as err:
        avatars.set_display_name(session, client_id=ana.id, display_name=" a ")
    assert err.value.field == "display_name"
    client = avatars.set_display_name(session, client_id=ana.id, display_name="  Ana   B ")
    assert client.display_name == "Ana B" and client.full_name.startswith("Anaïs")
    profile = avatars.get_profile(session, client_id=ana.id)
    assert (profile.display_name, profile.initials, profile.avatar_url) == ("Ana B", "AB", "")


def test_avatar_is_seen_by_oneself_and_members_of_a_shared_group(session):
    ana, bo, out = h.client(session), h.client(session), h.client(session)
    grp = h.group(session)
    h.member(session, grp, ana)
    h.member(session, grp, bo)
    see = lambda viewer, whom: avatars.may_see_avatar(  # noqa: E731
        session, viewer_client_id=viewer.id, client_id=whom.id)
    assert see(ana, ana) and see(out, out)
    assert see(bo, ana) and see(ana, bo)
    assert not see(out, ana) and not see(ana, out)


def test_avatar_is_not_seen_through_a_left_archived_or_ungranted_group(session):
    ana, bo = h.client(session), h.client(session)
    left = h.group(session)
    h.member(session, left, ana)
    h.member(session, left, bo, MemberStatus.LEFT)
    archived = h.group(session, archived=True)
    h.member(session, archived, ana)
    h.member(session, archived, bo)
    entitled = h.group(session, visibility=GroupVisibility.ENTITLED)
    h.grant(session, ana, entitled)
    h.grant(session, bo, entitled, ended=True)
    assert not avatars.may_see_avatar(session, viewer_client_id=ana.id, client_id=bo.id)
    h.grant(session, bo, entitled)
    assert avatars.may_see_avatar(session, viewer_client_id=ana.id, client_id=bo.id)
