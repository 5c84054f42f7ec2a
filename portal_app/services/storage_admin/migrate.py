"""`portal storage migrate --to s3`: copy every local file into the bucket under the
same name, verify each, and switch this data directory to s3 at the very end.

Verification reads each object back and compares its SHA-256 with the local file's
(the hash is also kept as the object's `x-amz-meta-sha256`). Reading back works the
same on AWS S3, moto and every S3-compatible service, whatever checksums they offer.

Resumable: each verified file is appended to a journal in PORTAL_DATA_DIR; a second
run lists the bucket once and skips every file that is both in the journal and in
the bucket with the same size, so nothing verified is copied twice. Files that
appear while it runs are picked up by another pass. Only when every local file is
in the bucket with its size does it write the switch marker (storage_settings).
Local files are kept."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from portal_app.providers.s3_storage import SHARED_FOLDERS
from portal_app.providers.storage import CHUNK, LocalFileStorage, StoredObject
from portal_app.services.storage_admin.journal import JOURNAL_NAME, Journal, read_journal
from portal_app.storage_settings import SWITCHED_MARKER

MAX_PASSES = 5  # passes to catch files uploaded during the copy, before giving up


class MigrationRefused(RuntimeError):
    """The migration cannot go on; nothing was switched. The message says why."""


@dataclass
class MigrationReport:
    files: int = 0
    copied: int = 0
    copied_bytes: int = 0
    skipped: int = 0  # verified by an earlier run
    failed: list[str] = field(default_factory=list)
    marker: Path | None = None
    images: int = 0  # the logo and signature images also put in the bucket


def file_sha256(fh) -> str:
    digest = hashlib.sha256()
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def check_bucket(target) -> None:
    """Refuse unless the bucket answers (exists, and these credentials reach it)."""
    try:
        target.client.head_bucket(Bucket=target.bucket)
    except Exception as exc:  # noqa: BLE001 - any failure: say it and stop
        raise MigrationRefused(f"cannot reach bucket {target.bucket!r}: {exc}") from exc


def _bucket_sizes(target) -> dict[str, int]:
    return {obj.name: obj.size for obj in target.names()}


def _copy_one(source: LocalFileStorage, target, obj: StoredObject, journal: Journal) -> int:
    """Copy, read back, compare; the bytes copied. A mismatch removes the object."""
    with source.open(obj.name) as fh:
        sha = file_sha256(fh)
        size = fh.tell()
        fh.seek(0)
        target.save_as(obj.name, fh, size=size, metadata={"sha256": sha})
    if target.sha256_of(obj.name) != sha:
        target.delete(obj.name)
        raise MigrationRefused(f"{obj.name}: the bucket's copy does not match the local file")
    journal.record(obj.name, size, sha)
    return size


def migrate_to_s3(source: LocalFileStorage, target, *, data_dir: Path, workers: int = 4,
                  echo: Callable[[str], None] = print) -> MigrationReport:
    """Copy and verify every file of `source` into `target` (an S3FileStorage), then
    switch. MigrationRefused, with nothing switched, when the bucket cannot be
    reached, a file fails to copy or verify, or files keep arriving."""
    check_bucket(target)
    report = MigrationReport()
    journal_path = Path(data_dir) / JOURNAL_NAME
    journal = Journal(journal_path)
    try:
        for _ in range(MAX_PASSES):
            todo = _plan(source, target, journal_path, report)
            if not todo:
                break
            echo(f"Copying {len(todo)} files ({report.skipped} already copied and verified).")
            _copy_all(source, target, todo, journal, workers, report, echo)
            if report.failed:
                raise MigrationRefused(
                    f"{len(report.failed)} files failed to copy or verify, for example "
                    f"{report.failed[0]}; nothing was switched. Run the command again.")
        else:
            raise MigrationRefused("files kept arriving while copying; stop the portal "
                                   "and run the command again (nothing was switched)")
    finally:
        journal.close()
    report.images = share_images(Path(data_dir), target)
    report.marker = _switch(data_dir, target, files=report.files)
    return report


def share_images(data_dir: Path, target) -> int:
    """Put the logo and the signature (PORTAL_DATA_DIR/brand, /private) in the bucket
    too, where nodes without them fetch them (services.stored_images); small, so all
    are written again each run. Returns how many."""
    count = 0
    for folder in SHARED_FOLDERS:
        for path in sorted((data_dir / folder).glob("*-*.*")):
            if target.SHARED_NAME.match(path.name) and path.is_file():
                target.share(folder, path.name, path.read_bytes())
                count += 1
    return count


def _plan(source, target, journal_path: Path, report: MigrationReport) -> list[StoredObject]:
    """The local files not yet in the bucket as verified (journal and size agree)."""
    done = read_journal(journal_path)
    present = _bucket_sizes(target)
    todo: list[StoredObject] = []
    report.files = report.skipped = 0
    for obj in source.names():
        report.files += 1
        verified = done.get(obj.name)
        if verified and verified.size == obj.size and present.get(obj.name) == obj.size:
            report.skipped += 1
        else:
            todo.append(obj)
    report.skipped -= report.copied  # those this run copied are not "already copied"
    return todo


def _copy_all(source, target, todo, journal, workers, report, echo) -> None:
    def one(obj: StoredObject) -> tuple[StoredObject, int | Exception]:
        try:
            return obj, _copy_one(source, target, obj, journal)
        except FileNotFoundError as exc:  # removed meanwhile (a deleted document)
            return obj, exc
        except Exception as exc:  # noqa: BLE001 - reported; the others go on
            return obj, exc

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for n, (obj, outcome) in enumerate(pool.map(one, todo), start=1):
            if isinstance(outcome, FileNotFoundError):
                continue
            if isinstance(outcome, Exception):
                report.failed.append(f"{obj.name} ({outcome})")
                continue
            report.copied += 1
            report.copied_bytes += outcome
            if n % 100 == 0:
                echo(f"  {n} of {len(todo)}")


def _switch(data_dir: Path, target, *, files: int) -> Path:
    """Write the marker atomically: from now on PORTAL_STORAGE unset means s3 here."""
    marker = Path(data_dir) / SWITCHED_MARKER
    body = json.dumps({"backend": "s3", "bucket": target.bucket, "prefix": target.prefix,
                       "endpoint_url": target.config.endpoint_url, "files": files,
                       "switched_at": datetime.now(UTC).isoformat(timespec="seconds")},
                      indent=2)
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".tmp-switch-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(body + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, marker)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return marker
