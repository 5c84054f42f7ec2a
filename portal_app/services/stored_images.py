"""Images the business uploads (the logo, the superbills' signature): the type judged
by the content, a file under a random name in its folder, the replaced file removed.
The callers say which types they take and write the business row.

The folder is on this machine's disk (`PORTAL_DATA_DIR/brand`, `.../private`); with
object storage (`PORTAL_STORAGE=s3`) each image is also kept in the bucket, and a node
that lacks one (another machine saved it) fetches it once into its own folder, so
several machines need no shared disk."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from pathlib import Path

LOGO, LOGO_KINDS = "logo", ("png", "jpg", "svg")


def _storage():
    from portal_app.providers.select import current

    return current().storage


def raster_kind(data: bytes) -> str | None:
    """"png" or "jpg" from the first bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None


def store(folder: Path, prefix: str, kind: str, data: bytes) -> str:
    """Write `data` as `<prefix>-<16 hex>.<kind>` in `folder`; returns the name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{secrets.token_hex(8)}.{kind}"
    (folder / name).write_bytes(data)
    _storage().share(folder.name, name, data)
    return name


def is_stored_name(name: str | None, prefix: str, kinds: tuple[str, ...]) -> bool:
    """A name `store` could have made (nothing else is ever opened or removed)."""
    return bool(name) and re.fullmatch(
        rf"{re.escape(prefix)}-[0-9a-f]{{16}}\.({'|'.join(kinds)})", name) is not None


def remove(folder: Path, name: str | None, prefix: str, kinds: tuple[str, ...]) -> None:
    """Delete a stored file by its name, when it is one `store` made."""
    if is_stored_name(name, prefix, kinds):
        (folder / name).unlink(missing_ok=True)
        _storage().unshare(folder.name, name)


def local_copy(folder: Path, name: str | None, prefix: str,
               kinds: tuple[str, ...]) -> Path | None:
    """The image's path on this machine, fetched from the bucket when another node
    saved it; None when the name is not one of ours or the image is gone."""
    if not is_stored_name(name, prefix, kinds):
        return None
    path = folder / name
    if path.is_file():
        return path
    data = _storage().fetch_shared(folder.name, name)
    if data is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # a reader sees the whole image or none
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def logo_path(data_dir: Path, name: str | None) -> Path | None:
    """The business logo on this machine (see local_copy)."""
    return local_copy(Path(data_dir) / "brand", name, LOGO, LOGO_KINDS)
