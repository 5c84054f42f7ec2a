"""What `portal backup` says must be backed up besides the database, per storage mode.

The database backup holds every row but no file. Documents and course media are in
the storage (`PORTAL_DATA_DIR/files`, or the bucket); the logo and the superbill
signature always sit in the data directory (`brand/`, `private/`); and without the
same secret key the sign-in codes already sent (HMACs keyed with it) stop working."""

from __future__ import annotations

import os

from portal_app.settings import Settings


def backup_notes(settings: Settings, *, versioning: str | None = None) -> list[str]:
    """Lines for the operator. `versioning`: the bucket's versioning status when it
    was asked ("Enabled", "Suspended", "" for never turned on), None if unknown."""
    data = settings.data_dir
    lines = ["Also back up, with this file:"]
    if settings.storage.backend == "s3":
        where = f"s3://{settings.storage.bucket}/{settings.storage.prefix}"
        lines.append(f"  - the documents and course media: the objects under {where} "
                     "(the bucket is not in this backup).")
        if versioning == "Enabled":
            lines.append("    Versioning is on for this bucket: deleted or overwritten "
                         "files can be recovered.")
        else:
            state = "unknown (the bucket could not be asked)" if versioning is None else (
                (versioning or "never turned on").lower())
            lines.append(f"    Versioning is {state}: turn it on, e.g. aws s3api "
                         f"put-bucket-versioning --bucket {settings.storage.bucket} "
                         "--versioning-configuration Status=Enabled, or copy the bucket "
                         "elsewhere (rclone sync, a replication rule).")
    else:
        lines.append(f"  - the documents and course media: the folder {data / 'files'}")
    lines.append(f"  - the logo and the superbill signature: {data / 'brand'} and "
                 f"{data / 'private'}" + (" (also kept in the bucket under shared/)"
                                          if settings.storage.backend == "s3" else ""))
    if os.environ.get("PORTAL_SECRET_KEY", "").strip():
        lines.append("  - the secret key: the value of PORTAL_SECRET_KEY (keep it apart from "
                     "the backup; the portal keys its sign-in codes with it)")
    else:
        lines.append(f"  - the secret key: the file {data / 'secret_key'} (keep it apart from "
                     "the backup; the portal keys its sign-in codes with it)")
    return lines


def bucket_versioning(config) -> str | None:
    """The bucket's versioning status ("" when never turned on), None when unknown
    (asked once, with a short timeout: the backup is already made)."""
    from portal_app.providers.s3_storage import make_client

    try:
        client = make_client(config, attempts=1, connect_timeout=5)
        answer = client.get_bucket_versioning(Bucket=config.bucket)
    except Exception:  # noqa: BLE001 - the notes are advice; the backup is already made
        return None
    return str(answer.get("Status", ""))
