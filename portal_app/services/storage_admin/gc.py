"""`portal storage gc`: remove stored files no database row refers to.

An upload writes its file before its row commits, so a file is only removed once it
is older than the grace period (24 hours by default): an upload in flight is never
taken. The storage is listed first and the database read after, so any row that
committed before the listing is seen. Works the same on local disk and in a bucket."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from sqlmodel import Session

from portal_app.providers.storage import FileStorage, StoredObject
from portal_app.services.storage_admin.leftovers import stale_leftovers
from portal_app.services.storage_admin.references import referenced_names

log = logging.getLogger("portal.storage")
DEFAULT_GRACE_HOURS = 24


@dataclass
class GcReport:
    dry_run: bool
    stored: int = 0
    stored_bytes: int = 0
    young: int = 0  # unreferenced but inside the grace period: kept
    unreferenced: list[StoredObject] = field(default_factory=list)
    deleted: int = 0
    deleted_bytes: int = 0
    failed: int = 0
    leftovers: int = 0  # temp files / unfinished multipart uploads of killed writes

    @property
    def unreferenced_bytes(self) -> int:
        return sum(obj.size for obj in self.unreferenced)


def collect_garbage(session: Session, storage: FileStorage, *, grace_hours: float,
                    dry_run: bool, now: float | None = None) -> GcReport:
    """Delete (or, with `dry_run`, only count) the stored files no live row refers to
    and that were last written more than `grace_hours` ago."""
    if grace_hours < 0:
        raise ValueError("the grace period cannot be negative")
    now = time.time() if now is None else now
    cutoff = now - grace_hours * 3600
    report = GcReport(dry_run=dry_run)
    candidates: list[StoredObject] = []
    for obj in storage.names():  # listed before the rows are read: see the docstring
        report.stored += 1
        report.stored_bytes += obj.size
        candidates.append(obj)
    referenced = referenced_names(session)
    for obj in candidates:
        if obj.name in referenced:
            continue
        if obj.modified > cutoff:
            report.young += 1
            continue
        report.unreferenced.append(obj)
    try:
        report.leftovers = stale_leftovers(storage, cutoff=cutoff, dry_run=dry_run)
    except Exception:  # noqa: BLE001 - reported; the files below are still collected
        log.exception("could not remove the leftovers of killed writes")
        report.failed += 1
    if dry_run:
        return report
    for obj in report.unreferenced:
        try:
            storage.delete(obj.name)
        except Exception:  # noqa: BLE001 - one failure must not stop the others; next run retries
            log.exception("could not delete unreferenced file %s", obj.name)
            report.failed += 1
            continue
        report.deleted += 1
        report.deleted_bytes += obj.size
    return report


def describe(report: GcReport, *, grace_hours: float) -> list[str]:
    """The report as lines for the operator."""
    lines = [f"{report.stored} stored files ({human_bytes(report.stored_bytes)}); "
             f"{len(report.unreferenced)} referenced by no row and older than "
             f"{grace_hours:g} h ({human_bytes(report.unreferenced_bytes)}); "
             f"{report.young} unreferenced but newer, kept."]
    if report.dry_run:
        lines.append(f"Dry run: would delete {len(report.unreferenced)} files "
                     f"({human_bytes(report.unreferenced_bytes)}); nothing was deleted.")
        lines += [f"  {obj.name}  {obj.size} bytes" for obj in report.unreferenced[:50]]
        if len(report.unreferenced) > 50:
            lines.append(f"  … and {len(report.unreferenced) - 50} more")
        if report.leftovers:
            lines.append(f"Would remove {report.leftovers} leftovers of interrupted writes "
                         "(temp files or unfinished multipart uploads).")
    else:
        lines.append(f"Deleted {report.deleted} files ({human_bytes(report.deleted_bytes)}).")
        if report.leftovers:
            lines.append(f"Removed {report.leftovers} leftovers of interrupted writes "
                         "(temp files or unfinished multipart uploads).")
        if report.failed:
            lines.append(f"{report.failed} could not be deleted (see the log); "
                         "the next run tries again.")
    return lines


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
