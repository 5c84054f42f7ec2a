"""Images and files on a post, under the document rules: at most 4 a post, each
checked by size and by content type (services/documents/file_checks.py) before
anything is written; the bytes go to the private FileStorage under a random name
and a `CommunityFile` row keeps the metadata. A file written by a transaction that
then fails is removed (stored_file_cleanup), so no orphan stays behind; a post
deleted by its author stops referring to its files and `portal storage gc` removes
them (services/storage_admin/references.py).

A client gets a file only when they may see its post (`access.get_post_for`);
staff get the file of any post that was not deleted."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, select

from models import CommunityFile, ContentStatus, Post
from portal_app.providers.storage import FileStorage
from portal_app.services.community.access import get_post_for
from portal_app.services.documents.file_checks import IncomingFile, check_files
from portal_app.services.errors import NotFound, get_by_id, parse_id
from portal_app.services.stored_file_cleanup import discard_unless_committed

MAX_POST_FILES = 4
NO_FILE = "That file does not exist."
SHOWN_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def check_post_files(files: Sequence[IncomingFile], *, max_file_bytes: int,
                     max_request_bytes: int) -> list[tuple[IncomingFile, str, str]]:
    """The files checked (none is fine); one bad file refuses them all."""
    if not files:
        return []
    return check_files(files, max_file_bytes=max_file_bytes,
                       max_request_bytes=max_request_bytes, max_files=MAX_POST_FILES)


def store_post_files(session: Session, *, storage: FileStorage,
                     checked: list[tuple[IncomingFile, str, str]], post: Post,
                     client_id: int | None) -> list[CommunityFile]:
    """Write the checked files and their rows; removed again unless this transaction
    commits."""
    saved: list[str] = []
    rows: list[CommunityFile] = []
    try:
        for incoming, content_type, name in checked:
            saved.append(storage.save(bytes(incoming.data)))
            discard_unless_committed(session, storage, saved[-1:])
            row = CommunityFile(group_id=post.group_id, post_id=post.id, filename=name[:200],
                                stored_name=saved[-1], content_type=content_type,
                                size_bytes=len(incoming.data),
                                sha256=hashlib.sha256(incoming.data).hexdigest(),
                                uploaded_by_client_id=client_id)
            session.add(row)
            rows.append(row)
        session.flush()
    except BaseException:
        for name in saved:
            with contextlib.suppress(Exception):
                storage.delete(name)
        raise
    return rows


def is_shown_image(content_type: str) -> bool:
    return content_type in SHOWN_IMAGES


def get_file_for_client(session: Session, *, client_id: int, file_id: object) -> CommunityFile:
    """The file, when this client may see its post now; NotFound otherwise."""
    row = session.get(CommunityFile, parse_id(file_id, NO_FILE))
    if row is None:
        raise NotFound(NO_FILE)
    try:
        get_post_for(session, client_id=client_id, post_id=row.post_id)
    except NotFound:
        raise NotFound(NO_FILE) from None
    return row


def get_file_for_staff(session: Session, *, file_id: object) -> CommunityFile:
    """Any file of a post its author has not deleted (staff review held and hidden ones)."""
    row = get_by_id(session, CommunityFile, file_id, NO_FILE)
    post = session.get(Post, row.post_id)
    if post is None or post.status == ContentStatus.DELETED:
        raise NotFound(NO_FILE)
    return row


@cache
def _files_statement():
    return (select(CommunityFile).where(CommunityFile.post_id.in_(bindparam("ids", expanding=True)))
            .order_by(CommunityFile.id))


def files_of(session: Session, post_ids: list[int]) -> dict[int, list[CommunityFile]]:
    """The files of these posts, by post (one statement)."""
    out: dict[int, list[CommunityFile]] = {}
    if not post_ids:
        return out
    for row in session.exec(_files_statement(), params={"ids": list(post_ids)}).all():
        out.setdefault(row.post_id, []).append(row)
    return out
