"""Files and rows stay in step with the transaction that writes the rows.

An upload writes its file first, then its row. `discard_unless_committed` removes
those files if the transaction then ends without committing (a failed flush, a
failed COMMIT, an exception before it): no orphan object. `delete_after_commit`
removes a deleted row's file only once the transaction has committed, so a failed
commit never leaves a live row pointing to nothing. A kill between the two steps
leaves an unreferenced file, which `portal storage gc` removes after its grace period.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import event
from sqlmodel import Session

from portal_app.providers.storage import FileStorage

log = logging.getLogger("portal.storage")
KEY = "portal.stored_files"


class _Pending:
    def __init__(self) -> None:
        self.written: list[tuple[FileStorage, str]] = []  # removed unless committed
        self.doomed: list[tuple[FileStorage, str]] = []  # removed once committed
        self.committed = False


def discard_unless_committed(session: Session, storage: FileStorage,
                             stored_names: Iterable[str]) -> None:
    """Delete these just-written files when this transaction does not commit."""
    _pending(session).written += [(storage, name) for name in stored_names]


def delete_after_commit(session: Session, storage: FileStorage, stored_name: str) -> None:
    """Delete this file once this transaction has committed (kept if it rolls back)."""
    _pending(session).doomed.append((storage, stored_name))


def _pending(session: Session) -> _Pending:
    pending = session.info.get(KEY)
    if pending is None:
        pending = session.info[KEY] = _Pending()
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_transaction_end", _ended)
    return pending


def _committed(session: Session) -> None:
    pending = session.info.get(KEY)
    if pending is not None:
        pending.committed = True


def _ended(session: Session, transaction) -> None:
    """At the end of the outermost transaction: remove what its outcome calls for."""
    if transaction.parent is not None or transaction.nested:
        return
    pending = session.info.get(KEY)
    if pending is None:
        return
    remove = pending.doomed if pending.committed else pending.written
    pending.written, pending.doomed, pending.committed = [], [], False
    for storage, name in remove:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 - must not hide the outcome; `portal storage gc` retries
            log.exception("could not delete stored file %s", name)
