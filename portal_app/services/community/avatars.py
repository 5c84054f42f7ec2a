"""A member's community profile: the display name other members see, and an avatar.

The avatar is a PNG, JPEG or WEBP image of at most 2 MB, its type judged by its
bytes (services/documents/file_checks.py), kept in the private FileStorage under a
random name (`Client.avatar_name`). A replaced or removed image is deleted once the
transaction commits; a new one is deleted again if the transaction does not commit
(services/stored_file_cleanup.py). It is served by api/community_avatar_routes.py to
the client themselves, to members who share an active group with them, and to staff
(`may_see_avatar`), never to anyone else.

The display name is checked by profile completion's rule (`clean_display_name`); the
legal name (`Client.full_name`) is never shown to other members.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from models import Client, CommunityGroup, GroupMember
from models.base import utcnow
from portal_app import routes
from portal_app.providers.storage import FileStorage
from portal_app.services.audit import record_audit
from portal_app.services.clients import get_client
from portal_app.services.community.access import reads_clause
from portal_app.services.documents.file_checks import FILE_TYPES, IncomingFile
from portal_app.services.errors import ServiceError
from portal_app.services.hub.profile_completion import clean_display_name
from portal_app.services.stored_file_cleanup import delete_after_commit, discard_unless_committed

MAX_AVATAR_BYTES = 2 * 1024 * 1024
AVATAR_TYPES = ("image/png", "image/jpeg", "image/webp")
NO_IMAGE = "Choose an image."
TOO_BIG = "Choose an image of at most 2 MB."
NOT_AN_IMAGE = "Choose a PNG, JPEG or WEBP image."


@dataclass(frozen=True)
class ProfileView:
    display_name: str
    initials: str
    avatar_url: str


def initials(name: object) -> str:
    """Up to two capitals from the display name ("Ana María" -> "AM"); "?" without one."""
    letters = [w[0] for w in str(name or "").split() if w and w[0].isalnum()]
    return "".join(letters[:2]).upper() or "?"


def avatar_url(client_id: int, avatar_name: str | None) -> str:
    """The avatar's address ("" without one). The version in the query changes with
    the image, so a browser's private cache never shows a replaced one."""
    if not avatar_name:
        return ""
    return f"{routes.community_avatar(client_id)}?v={avatar_name[:8]}"


def image_type(data: bytes) -> str | None:
    """The avatar type these bytes really are, or None."""
    for file_type in FILE_TYPES:
        if file_type.content_type in AVATAR_TYPES and file_type.check(bytes(data)):
            return file_type.content_type
    return None


def get_profile(session: Session, *, client_id: int) -> ProfileView:
    client = get_client(session, client_id=client_id)
    return ProfileView(display_name=client.display_name or "",
                       initials=initials(client.display_name),
                       avatar_url=avatar_url(client.id, client.avatar_name))


def set_display_name(session: Session, *, client_id: int, display_name: object,
                     account_id: int | None = None) -> Client:
    """Change the name other members see (2–40 characters; field "display_name")."""
    name = clean_display_name(display_name)
    client = get_client(session, client_id=client_id)
    if client.display_name != name:
        client.display_name = name
        session.add(client)
        session.flush()
        record_audit(session, actor_kind="client", actor_id=account_id, client_id=client.id,
                     action="community.display_name_changed")
    return client


def set_avatar(session: Session, *, client_id: int, file: IncomingFile, storage: FileStorage,
               account_id: int | None = None) -> Client:
    """Store a new avatar (field "avatar" on a refusal) and drop the old one after the
    commit. Nothing is written when the image is refused."""
    data = bytes(getattr(file, "data", b"") or b"")
    if not data:
        raise ServiceError(NO_IMAGE, field="avatar")
    if len(data) > MAX_AVATAR_BYTES:
        raise ServiceError(TOO_BIG, field="avatar")
    content_type = image_type(data)
    if content_type is None:
        raise ServiceError(NOT_AN_IMAGE, field="avatar")
    client = get_client(session, client_id=client_id)
    stored = storage.save(data)
    discard_unless_committed(session, storage, [stored])
    old = client.avatar_name
    client.avatar_name = stored
    session.add(client)
    session.flush()
    if old:
        delete_after_commit(session, storage, old)
    record_audit(session, actor_kind="client", actor_id=account_id, client_id=client.id,
                 action="community.avatar_set", type=content_type, size=len(data))
    return client


def remove_avatar(session: Session, *, client_id: int, storage: FileStorage,
                  account_id: int | None = None) -> Client:
    """Remove the avatar (initials show instead); the file goes after the commit."""
    client = get_client(session, client_id=client_id)
    if client.avatar_name:
        delete_after_commit(session, storage, client.avatar_name)
        client.avatar_name = ""
        session.add(client)
        session.flush()
        record_audit(session, actor_kind="client", actor_id=account_id, client_id=client.id,
                     action="community.avatar_removed")
    return client


def may_see_avatar(session: Session, *, viewer_client_id: int, client_id: int) -> bool:
    """The viewer is that client, or both may read one group now (active members of a
    live group; for an entitlement-only group both still hold a grant)."""
    if viewer_client_id == client_id:
        return True
    mine, theirs = aliased(GroupMember), aliased(GroupMember)
    now = utcnow()
    shared = session.exec(
        select(CommunityGroup.id)
        .join(mine, mine.group_id == CommunityGroup.id)
        .join(theirs, theirs.group_id == CommunityGroup.id)
        .where(CommunityGroup.archived.is_(False),
               mine.client_id == viewer_client_id, theirs.client_id == client_id,
               reads_clause(CommunityGroup.visibility, now, member=mine),
               reads_clause(CommunityGroup.visibility, now, member=theirs)).limit(1)).first()
    return shared is not None


def avatar_file(session: Session, *, client_id: int) -> str:
    """The stored name of a client's avatar ("" without one)."""
    client = session.get(Client, client_id)
    return client.avatar_name if client is not None and client.avatar_name else ""
