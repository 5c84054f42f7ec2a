"""Files checked before anything is written: an allow-list of types
recognised by their content (the extension only has to agree), a size per
file and per request, and a count. All or nothing: one bad file refuses the
batch."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portal_app.services.documents.names import MB, clean_filename
from portal_app.services.errors import ServiceError

MAX_FILES = 10


@dataclass(frozen=True)
class IncomingFile:
    """One file as it arrived: the name the sender gave it and its bytes."""

    filename: str
    data: bytes


# --- types, recognised by content --------------------------------------------------------

_ZIP_MAX_ENTRIES = 10_000
_ZIP_MAX_MANIFEST = 512 * 1024  # [Content_Types].xml is a few KB in real files
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_OVERRIDE = re.compile(r"<(?:\w+:)?Override\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*\'([^\']*)\'')


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _is_gif(data: bytes) -> bool:
    return data[:6] in (b"GIF87a", b"GIF89a")


def _is_webp(data: bytes) -> bool:
    return len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _is_heic(data: bytes) -> bool:
    """An ISO-BMFF file whose `ftyp` box names a HEIC brand (iPhone photos)."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    if not 16 <= size <= min(len(data), 512):
        return False
    major = data[8:12]
    compatible = {data[i:i + 4] for i in range(16, size - 3, 4)}
    if major in _HEIC_BRANDS:
        return True
    return major in (b"mif1", b"msf1") and bool(compatible & _HEIC_BRANDS)


def _is_text(data: bytes) -> bool:
    """Valid UTF-8 (a BOM is fine) without NUL bytes."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _zip(data: bytes) -> zipfile.ZipFile | None:
    """The archive's directory, or None. Reading the directory extracts nothing."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None
    if len(archive.infolist()) > _ZIP_MAX_ENTRIES:
        return None
    return archive


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """At most `limit` bytes of one small member; None if bigger, absent or broken.

    The declared size can lie, so the read itself is bounded too: a zip bomb
    stops after `limit + 1` decompressed bytes.
    """
    try:
        info = archive.getinfo(name)
        if info.file_size > limit or info.flag_bits & 0x1:  # too big, or encrypted
            return None
        with archive.open(info) as member:
            body = member.read(limit + 1)
    except Exception:  # any damage in a member means "not this type"
        return None
    return body if len(body) <= limit else None


def _ooxml(main_type: str) -> Callable[[bytes], bool]:
    """An Office Open XML file whose [Content_Types].xml declares `main_type` for a
    part that the archive really holds. Macro-enabled variants have other main
    types (and a vbaProject.bin) and are refused."""

    def check(data: bytes) -> bool:
        archive = _zip(data)
        if archive is None:
            return False
        with archive:
            names = set(archive.namelist())
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return False
            manifest = _read_member(archive, "[Content_Types].xml", _ZIP_MAX_MANIFEST)
        if manifest is None:
            return False
        text = manifest.decode("utf-8", errors="replace")
        # Plain pattern matching, not an XML parser: no entity expansion to abuse.
        for match in _OVERRIDE.finditer(text):
            attrs = {(m.group(1) or m.group(3)).lower(): (m.group(2) or m.group(4) or "")
                     for m in _ATTR.finditer(match.group(1))}
            if attrs.get("contenttype", "").strip().lower() == main_type:
                part = attrs.get("partname", "").lstrip("/")
                if part in names:
                    return True
        return False

    return check


def _odt(data: bytes) -> bool:
    """An OpenDocument text: the first member is `mimetype`, stored, naming ODT."""
    archive = _zip(data)
    if archive is None:
        return False
    with archive:
        infos = archive.infolist()
        if not infos or infos[0].filename != "mimetype":
            return False
        body = _read_member(archive, "mimetype", 100)
    return body is not None and body.strip() == b"application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str
    extensions: tuple[str, ...]
    check: Callable[[bytes], bool]


_OOXML = "application/vnd.openxmlformats-officedocument."
FILE_TYPES: tuple[FileType, ...] = (
    FileType("application/pdf", "PDF", ("pdf",), _is_pdf),
    FileType("image/png", "PNG image", ("png",), _is_png),
    FileType("image/jpeg", "JPEG image", ("jpg", "jpeg"), _is_jpeg),
    FileType("image/gif", "GIF image", ("gif",), _is_gif),
    FileType("image/webp", "WEBP image", ("webp",), _is_webp),
    FileType("image/heic", "HEIC image", ("heic",), _is_heic),
    FileType("text/plain", "plain text (UTF-8)", ("txt",), _is_text),
    FileType("text/csv", "CSV (UTF-8)", ("csv",), _is_text),
    FileType(_OOXML + "wordprocessingml.document", "Word document", ("docx",),
             _ooxml(_OOXML + "wordprocessingml.document.main+xml")),
    FileType(_OOXML + "spreadsheetml.sheet", "Excel workbook", ("xlsx",),
             _ooxml(_OOXML + "spreadsheetml.sheet.main+xml")),
    FileType(_OOXML + "presentationml.presentation", "PowerPoint presentation", ("pptx",),
             _ooxml(_OOXML + "presentationml.presentation.main+xml")),
    FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", ("odt",), _odt),
)
_BY_EXTENSION = {ext: t for t in FILE_TYPES for ext in t.extensions}
ALLOWED_TYPES_TEXT = ("PDF, images (PNG, JPEG, GIF, WEBP, HEIC), text (.txt, .csv), "
                      "Word (.docx), Excel (.xlsx), PowerPoint (.pptx) and OpenDocument "
                      "text (.odt)")


def sniff_type(data: bytes, filename: str) -> str:
    """The content type of an allowed file, recognised by its bytes.

    The extension picks the expected type and the content must match it, so a
    page renamed to .pdf or a program renamed to .txt is refused by name.
    """
    name = clean_filename(filename)
    if not data:
        raise ServiceError(f"“{name}” is empty.", field="files")
    _, dot, ext = name.rpartition(".")
    file_type = _BY_EXTENSION.get(ext.lower()) if dot else None
    if file_type is None:
        raise ServiceError(f"“{name}” is not an allowed type. Allowed types: "
                           f"{ALLOWED_TYPES_TEXT}.", field="files")
    if not file_type.check(bytes(data)):
        raise ServiceError(f"“{name}” is not an allowed type: it is not a real "
                           f"{file_type.label} file. Allowed types: {ALLOWED_TYPES_TEXT}.",
                           field="files")
    return file_type.content_type



def _mb(size: int) -> str:
    mb = size / MB
    return f"{mb:g} MB" if mb >= 0.1 else f"{max(1, round(size / 1024))} KB"


def check_files(
    files: Sequence[IncomingFile],
    *,
    max_file_bytes: int,
    max_request_bytes: int,
    max_files: int = MAX_FILES,
) -> list[tuple[IncomingFile, str, str]]:
    """(file, content type, clean name) for every file, or ServiceError for the
    first problem. All or nothing: one bad file refuses the whole batch."""
    files = list(files or [])
    if not files:
        raise ServiceError("Choose a file.", field="files")
    if len(files) > max_files:
        raise ServiceError(f"Choose at most {max_files} files.", field="files")
    total = 0
    for f in files:
        if not isinstance(f, IncomingFile) or not isinstance(f.data, bytes | bytearray):
            raise TypeError("check_files takes IncomingFile objects with bytes")
        name = clean_filename(f.filename)
        if not f.data:
            raise ServiceError(f"“{name}” is empty.", field="files")
        if len(f.data) > max_file_bytes:
            raise ServiceError(f"“{name}” is larger than {_mb(max_file_bytes)}.", field="files")
        total += len(f.data)
    if total > max_request_bytes:
        raise ServiceError(f"These files add up to more than {_mb(max_request_bytes)}.",
                           field="files")
    return [(f, sniff_type(f.data, f.filename), clean_filename(f.filename)) for f in files]
