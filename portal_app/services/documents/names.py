"""How files and the words that come with them are named for people: a safe
display and download name for what a sender called their file, the title and
message of a share, and byte counts ("2.5 MB")."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from portal_app import i18n
from portal_app.i18n import formats
from portal_app.services.errors import ServiceError

MAX_TITLE = 200
MAX_MESSAGE = 2000
MAX_NAME = 120
MB = 1024 * 1024

_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_SAFE_PUNCTUATION = frozenset(" -_.(),")
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{p}{n}" for p in ("COM", "LPT") for n in "0123456789¹²³"}
)


def _drop_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Whitespace becomes a space (or stays a newline); control, format (bidi
    overrides, zero-width) and surrogate characters go."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append("\n")
        elif ch.isspace():
            out.append(" ")
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
            continue
        else:
            out.append(ch)
    return "".join(out)


def clean_filename(name: str) -> str:
    """A safe display and download name for what a person called their file.

    The last path component only; no control or bidi characters; letters
    (any script), digits and ` -_.(),` kept, anything else becomes `_`; no
    leading or trailing dots or spaces (a bare ".pdf" becomes "file.pdf");
    Windows device names defused; at most 120 characters with the extension
    kept; "file" when nothing is left.
    """
    text = _drop_controls(unicodedata.normalize("NFC", str(name or "")))
    parts = [p for p in re.split(r"[/\\]", text) if p.strip(" .")]
    text = parts[-1] if parts else ""
    text = "".join(
        ch if ch in _SAFE_PUNCTUATION or unicodedata.category(ch)[0] in "LNM" else "_"
        for ch in text
    )
    text = " ".join(text.split()).rstrip(". ")
    if text.startswith((".", " ")):
        rest = text.lstrip(". ")
        # A name that is only an extension (".txt", "\0\0.pdf") keeps it.
        text = f"file.{rest}" if rest and "." not in rest else rest
    if text.split(".")[0].strip().upper() in _RESERVED:
        text = "_" + text
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            text = stem[: MAX_NAME - len(ext) - 1].rstrip(". ") + "." + ext
        else:
            text = text[:MAX_NAME].rstrip(". ")
    return text or "file"


def _title_of(clean_name: str) -> str:
    stem, dot, _ = clean_name.rpartition(".")
    return stem if dot and stem else clean_name


def _clean_title(title: str) -> str:
    text = " ".join(_drop_controls(str(title or "")).split())
    if len(text) > MAX_TITLE:
        raise ServiceError("Keep the title under 200 characters.", field="title")
    return text


def _clean_message(message: str) -> str:
    text = _drop_controls(str(message or ""), keep_newlines=True).strip()
    if len(text) > MAX_MESSAGE:
        raise ServiceError("Keep the message under 2,000 characters.", field="message")
    return text


def format_size(size: int, lang: str = i18n.DEFAULT) -> str:
    """A byte count for people: "812 bytes", "14 KB", "2.5 MB" ("2,5 MB" in Spanish)."""
    if size < 1024:
        return i18n.gettext(lang, "{count} bytes", count=size)
    if size < MB:
        return f"{round(size / 1024)} KB"
    tenths = round(size * 10 / MB)  # integer tenths of a MB, no float text
    if tenths >= 100 or tenths % 10 == 0:
        return f"{formats.number(round(tenths / 10), lang)} MB"
    return f"{formats.number(Decimal(tenths).scaleb(-1), lang)} MB"

