"""Every table column that holds a stored file's name, and the names they refer to.

Only files in `providers.storage` count: a document's file, a course's media and a
community post's file.
(The logo and the superbill signature are small files in the data directory, not in
the storage, and are backed up with it: see `backup_notes`.) A soft-deleted document
refers to nothing: its file is removed when it is deleted or replaced.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from models import CommunityFile, ContentStatus, CourseMedia, Document, Post

# (column, the rows whose file must stay): one constant statement per table.
REFERENCES = (
    (Document.stored_name, Document.deleted_at.is_(None)),
    (CourseMedia.stored_name, None),
    # A community post's files, until its author deletes the post.
    (CommunityFile.stored_name, CommunityFile.post_id.in_(
        select(Post.id).where(Post.status != ContentStatus.DELETED))),
)
BATCH = 1000


def _statements():
    for column, live in REFERENCES:
        statement = select(column)
        yield statement if live is None else statement.where(live)


def iter_referenced_names(session: Session) -> Iterator[str]:
    """Each stored name a live row refers to, read in batches of BATCH rows."""
    for statement in _statements():
        result = session.execute(statement.execution_options(yield_per=BATCH))
        for name in result.scalars():
            if name:
                yield name


def referenced_names(session: Session) -> set[str]:
    """The stored names live rows refer to (one query per table)."""
    return set(iter_referenced_names(session))
