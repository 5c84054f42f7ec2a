"""What a killed write leaves besides a whole file: a `.tmp-*` file on disk (the
atomic write's temp file), or an unfinished multipart upload in a bucket (its parts
are stored, and billed, until aborted). Both are removed by `portal storage gc`
once older than its grace period."""

from __future__ import annotations

import os
from datetime import datetime

from portal_app.providers.storage import LocalFileStorage

TEMP_PREFIX = ".tmp-"


def stale_leftovers(storage, *, cutoff: float, dry_run: bool) -> int:
    """Remove (or count) the leftovers last touched before `cutoff`; how many."""
    if isinstance(storage, LocalFileStorage):
        return _temp_files(storage, cutoff=cutoff, dry_run=dry_run)
    if hasattr(storage, "client") and hasattr(storage, "bucket"):
        return _multipart_uploads(storage, cutoff=cutoff, dry_run=dry_run)
    return 0


def _temp_files(storage: LocalFileStorage, *, cutoff: float, dry_run: bool) -> int:
    if not storage.root.is_dir():
        return 0
    found = 0
    with os.scandir(storage.root) as entries:
        for entry in entries:
            if not (entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False)):
                continue
            if entry.stat(follow_symlinks=False).st_mtime >= cutoff:
                continue
            found += 1
            if not dry_run:
                os.unlink(entry.path)
    return found


def _multipart_uploads(storage, *, cutoff: float, dry_run: bool) -> int:
    found = 0
    pages = storage.client.get_paginator("list_multipart_uploads").paginate(
        Bucket=storage.bucket, Prefix=storage.prefix)
    for page in pages:
        for upload in page.get("Uploads", []):
            started: datetime = upload["Initiated"]
            if started.timestamp() >= cutoff:
                continue
            found += 1
            if not dry_run:
                storage.client.abort_multipart_upload(Bucket=storage.bucket,
                                                      Key=upload["Key"],
                                                      UploadId=upload["UploadId"])
    return found
