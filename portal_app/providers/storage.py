"""Private file storage for documents and course media: random names, one flat
directory on disk (here) or one prefix in an S3 bucket (`providers.s3_storage`).

Files never go under Reflex's public `/_upload` mount. The storage picks the
name itself (128 random bits as 32 hex digits), so nothing a person typed ever
becomes part of a path; the name they gave the file lives in the database.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from portal_app.providers.storage_names import (  # noqa: F401 - re-exported
    CHUNK,
    STORED_NAME,
    StoredObject,
    TooLarge,
    check_stored_name,
)

if TYPE_CHECKING:
    from portal_app.settings import Settings

class FileStorage(Protocol):
    def save(self, data: bytes) -> str:
        """Store `data` under a new random name and return that name."""
        ...

    def save_stream(self, fileobj: BinaryIO, *, max_bytes: int | None = None) -> str:
        """Copy `fileobj` from where it stands, in chunks, under a new random name."""
        ...

    def read(self, stored_name: str) -> bytes:
        """The bytes stored under `stored_name` (FileNotFoundError if gone)."""
        ...

    def open(self, stored_name: str) -> BinaryIO:
        """The stored file opened for reading (FileNotFoundError if gone)."""
        ...

    def size(self, stored_name: str) -> int:
        """The stored file's size in bytes (FileNotFoundError if gone)."""
        ...

    def delete(self, stored_name: str) -> None:
        """Remove the file; a file that is already gone is fine."""
        ...

    def names(self) -> Iterator[StoredObject]:
        """Every stored file (for the cleanup job and the migration)."""
        ...

    def presigned_url(self, stored_name: str, *, filename_header: str,
                      content_type: str) -> str | None:
        """A short-lived direct download URL, or None: the portal streams the file."""
        ...

    # The business's small images (logo, signature) live in PORTAL_DATA_DIR; with
    # object storage they are also kept in the bucket for the other machines.
    def share(self, folder: str, name: str, data: bytes) -> None: ...

    def fetch_shared(self, folder: str, name: str) -> bytes | None: ...

    def unshare(self, folder: str, name: str) -> None: ...


class LocalFileStorage:
    """Files in one private directory (0700), each 0600, written atomically."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _ensure_root(self) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkdir's mode is filtered by the umask and ignored for an existing dir.
        if (self.root.stat().st_mode & 0o777) != 0o700:
            self.root.chmod(0o700)
        return self.root

    def _path(self, stored_name: object) -> Path:
        return self.root / check_stored_name(stored_name)

    def save(self, data: bytes) -> str:
        return self._write(lambda fh: fh.write(data))

    def save_stream(self, fileobj: BinaryIO, *, max_bytes: int | None = None) -> str:
        """Like `save`, but copied from `fileobj` CHUNK bytes at a time, so a big
        upload is never held in memory whole. Over `max_bytes`: TooLarge, nothing kept."""

        def copy(fh) -> None:
            total = 0
            while True:
                chunk = fileobj.read(CHUNK)
                if not chunk:
                    return
                total += len(chunk)
                if max_bytes is not None and total > max_bytes:
                    raise TooLarge(f"more than {max_bytes} bytes")
                fh.write(chunk)

        return self._write(copy)

    def _write(self, fill) -> str:
        root = self._ensure_root()
        while True:
            name = secrets.token_hex(16)
            if not (root / name).exists():
                break
        # A temp file in the same directory, so os.replace is an atomic rename:
        # a reader sees either no file or the whole file, never a partial one.
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o600)
                fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, root / name)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._fsync_dir(root)
        return name

    def read(self, stored_name: str) -> bytes:
        path = self._path(stored_name)
        # O_NOFOLLOW: a symlink planted in the directory is refused, not followed.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            return fh.read()

    def open(self, stored_name: str) -> BinaryIO:
        """For reading in pieces (range requests); the caller closes it."""
        fd = os.open(self._path(stored_name), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb")

    def size(self, stored_name: str) -> int:
        return os.stat(self._path(stored_name), follow_symlinks=False).st_size

    def delete(self, stored_name: str) -> None:
        self._path(stored_name).unlink(missing_ok=True)

    def names(self) -> Iterator[StoredObject]:
        if not self.root.is_dir():
            return
        with os.scandir(self.root) as entries:
            for entry in entries:
                if STORED_NAME.match(entry.name) and entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    yield StoredObject(entry.name, info.st_size, info.st_mtime)

    def presigned_url(self, stored_name: str, *, filename_header: str,
                      content_type: str) -> str | None:
        return None  # files on disk are always streamed by the portal

    # One machine, one disk: the images in PORTAL_DATA_DIR are all there is.
    def share(self, folder: str, name: str, data: bytes) -> None:
        return None

    def fetch_shared(self, folder: str, name: str) -> bytes | None:
        return None

    def unshare(self, folder: str, name: str) -> None:
        return None

    @staticmethod
    def _fsync_dir(root: Path) -> None:
        """Make the rename itself durable (best effort: not every OS allows it)."""
        try:
            fd = os.open(root, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def get_storage(settings: Settings) -> FileStorage:
    """The storage chosen from settings: an S3 bucket with `PORTAL_STORAGE=s3`,
    else files under `<data_dir>/files`."""
    if settings.storage.backend == "s3":
        from portal_app.providers.s3_storage import S3FileStorage

        return S3FileStorage(settings.storage)
    return local_storage(settings)


def local_storage(settings: Settings) -> LocalFileStorage:
    """The files on this machine's disk (also the source of `portal storage migrate`)."""
    return LocalFileStorage(settings.data_dir / "files")


def opened_size(fh: BinaryIO) -> int:
    """The size of a file returned by `open`, as it is now (a range never reads past it)."""
    size = getattr(fh, "size", None)
    return int(size) if size is not None else os.fstat(fh.fileno()).st_size
