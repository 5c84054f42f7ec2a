"""What both file storages (`providers.storage` on disk, `providers.s3_storage` in a
bucket) share: the stored-name rule, the chunk size, the size-limit error and the
listing row. Its own module so that neither storage imports the other's."""

from __future__ import annotations

import re
from typing import NamedTuple

STORED_NAME = re.compile(r"^[0-9a-f]{32}\Z")
CHUNK = 1024 * 1024  # save_stream copies (and callers read) in pieces of this size


class TooLarge(ValueError):
    """save_stream stopped: the stream held more than `max_bytes` (nothing was kept)."""


class StoredObject(NamedTuple):
    name: str
    size: int
    modified: float  # seconds since the epoch


def check_stored_name(stored_name: object) -> str:
    """`stored_name` if it is one of ours (32 lowercase hex digits); else ValueError."""
    if not isinstance(stored_name, str) or not STORED_NAME.match(stored_name):
        raise ValueError("not a stored file name")
    return stored_name
