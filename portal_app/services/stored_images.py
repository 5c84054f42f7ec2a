"""Images the business uploads (the logo, the superbills' signature): the type judged
by the content, a file under a random name in its folder, the replaced file removed.
The callers say which types they take and write the business row."""

from __future__ import annotations

import re
import secrets
from pathlib import Path


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
    return name


def is_stored_name(name: str | None, prefix: str, kinds: tuple[str, ...]) -> bool:
    """A name `store` could have made (nothing else is ever opened or removed)."""
    return bool(name) and re.fullmatch(
        rf"{re.escape(prefix)}-[0-9a-f]{{16}}\.({'|'.join(kinds)})", name) is not None


def remove(folder: Path, name: str | None, prefix: str, kinds: tuple[str, ...]) -> None:
    """Delete a stored file by its name, when it is one `store` made."""
    if is_stored_name(name, prefix, kinds):
        (folder / name).unlink(missing_ok=True)
