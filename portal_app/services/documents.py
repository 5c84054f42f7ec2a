"""Documents exchanged between the business and a client record.

Staff share files with a client (`share_documents`); a client with the upload
permission sends files to the business (`upload_documents`). Every file is
checked before anything is written: an allow-list of types recognised by
their content (the extension only has to agree), a size per file and per
request, and a sanitised display name. The bytes go to private storage under
a random name (`providers.storage`); the row keeps the metadata. Every id a
client gives is checked for ownership (`get_document_for_client`).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, literal, update
from sqlmodel import Session, select

from models import Client, Document, DocumentDirection, Notification, NotificationKind, StaffUser
from models.base import UTCDateTime, utcnow
from portal_app import i18n, routes
from portal_app.i18n import formats
from portal_app.providers.storage import FileStorage
from portal_app.services.audit import record_audit
from portal_app.services.business import get_business
from portal_app.services.clients import portal_email_of
from portal_app.services.emails import business_language, client_language
from portal_app.services.errors import NotAllowed, NotFound, ServiceError, get_by_id, parse_id
from portal_app.services.outbox import enqueue_email

NO_DOCUMENT = "That document does not exist."
NO_CLIENT = "That client does not exist."
MAX_FILES = 10
MAX_TITLE = 200
MAX_MESSAGE = 2000
MAX_NAME = 120
MB = 1024 * 1024


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


# --- names -------------------------------------------------------------------------------

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


# --- writing -----------------------------------------------------------------------------


def _store(
    session: Session,
    *,
    storage: FileStorage,
    checked: list[tuple[IncomingFile, str, str]],
    titles: list[str],
    client_id: int,
    direction: str,
    message: str,
    staff_id: int | None,
    saved: list[str],
    conversation_message_id: int | None = None,
) -> list[Document]:
    """Write the bytes, then the rows. `saved` collects stored names for cleanup."""
    for incoming, _, _ in checked:
        saved.append(storage.save(bytes(incoming.data)))
    docs = []
    for (incoming, content_type, name), stored, title in zip(checked, saved, titles,
                                                             strict=True):
        doc = Document(
            client_id=client_id, direction=direction, title=title, filename=name,
            stored_name=stored, content_type=content_type, size_bytes=len(incoming.data),
            sha256=hashlib.sha256(incoming.data).hexdigest(), message=message,
            shared_by_staff_id=staff_id, conversation_message_id=conversation_message_id,
        )
        session.add(doc)
        docs.append(doc)
    session.flush()
    return docs


def _discard(storage: FileStorage, saved: list[str]) -> None:
    for stored in saved:
        # Cleanup must not hide the error that brought us here.
        with contextlib.suppress(Exception):
            storage.delete(stored)


def _titles(checked: list[tuple[IncomingFile, str, str]], title: str) -> list[str]:
    if title and len(checked) == 1:
        return [title]
    return [_title_of(name)[:MAX_TITLE] for _, _, name in checked]


def _share(
    session: Session,
    *,
    staff_id: int,
    client: Client,
    files: Sequence[IncomingFile],
    title: str,
    message: str,
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
    updated: bool = False,
) -> list[Document]:
    title = _clean_title(title)
    message = _clean_message(message)
    checked = check_files(files, max_file_bytes=max_file_bytes,
                          max_request_bytes=max_request_bytes)
    titles = _titles(checked, title)
    # Nothing has been written yet: every refusal above leaves no file and no row.
    # From here a failure removes the files written so far. A failure later, at
    # the caller's commit, leaves them as orphans: unreachable (no row names
    # them) and harmless, and a sweep can match stored names against the table.
    saved: list[str] = []
    try:
        docs = _store(session, storage=storage, checked=checked, titles=titles,
                      client_id=client.id, direction=DocumentDirection.SHARED,
                      message=message, staff_id=staff_id, saved=saved)
        if len(docs) == 1:
            label = "Updated document" if updated else "New document"
            note = f"{label}: {docs[0].title}"
        else:
            note = f"{len(docs)} new documents"
        session.add(Notification(client_id=client.id, kind=NotificationKind.DOCUMENT,
                                 title=note[:200], link=routes.DOCUMENTS))
        to = portal_email_of(session, client) or client.email
        emailed = bool(to) and NotificationKind.DOCUMENT in (client.email_notifications or [])
        if emailed:
            # A link only: the files stay behind the sign-in, never in an inbox.
            business = get_business(session)
            enqueue_email(
                session, to=to, template="documents_shared", business=business,
                idempotency_key=f"documents-shared-{docs[0].id}",
                lang=client_language(client, business),
                client_name=client.full_name, titles=[d.title for d in docs],
                message=message, updated=updated, url=f"{base_url}{routes.DOCUMENTS}")
        record_audit(session, actor_kind="staff", actor_id=staff_id, action="document.shared",
                     client_id=client.id, document_ids=[d.id for d in docs],
                     titles=[d.title for d in docs], emailed=emailed)
        session.flush()
    except BaseException:
        _discard(storage, saved)
        raise
    return docs


def share_documents(
    session: Session,
    *,
    staff_id: int,
    client_id: object,
    files: Sequence[IncomingFile],
    title: str = "",
    message: str = "",
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
) -> list[Document]:
    """Staff share files with a client: rows, files, a notification, one email
    with a link (when the client wants document emails) and an audit row.

    `title` names the document when exactly one file is shared; several files
    are each titled by their name.
    """
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    return _share(session, staff_id=staff_id, client=client, files=files, title=title,
                  message=message, storage=storage, base_url=base_url,
                  max_file_bytes=max_file_bytes, max_request_bytes=max_request_bytes)


def upload_documents(
    session: Session,
    *,
    client_id: int,
    files: Sequence[IncomingFile],
    title: str = "",
    message: str = "",
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
) -> list[Document]:
    """A client sends files to the business; the business's contact address gets
    one email with a link to the client's page. The caller checks `upload`."""
    client = get_by_id(session, Client, client_id, NO_CLIENT)
    title = _clean_title(title)
    message = _clean_message(message)
    checked = check_files(files, max_file_bytes=max_file_bytes,
                          max_request_bytes=max_request_bytes)
    titles = _titles(checked, title)
    saved: list[str] = []  # see _share on what a failure leaves behind
    try:
        docs = _store(session, storage=storage, checked=checked, titles=titles,
                      client_id=client.id, direction=DocumentDirection.UPLOADED,
                      message=message, staff_id=None, saved=saved)
        business = get_business(session)
        to = (business.contact_email or "").strip()
        if to:
            enqueue_email(
                session, to=to, template="documents_uploaded", business=business,
                idempotency_key=f"documents-uploaded-{docs[0].id}",
                lang=business_language(business),
                client_name=client.full_name, titles=[d.title for d in docs],
                message=message, url=f"{base_url}{routes.console_client(client.id)}")
        record_audit(session, actor_kind="client", actor_id=client.id,
                     action="document.uploaded", client_id=client.id,
                     document_ids=[d.id for d in docs], titles=[d.title for d in docs],
                     emailed=bool(to))
        session.flush()
    except BaseException:
        _discard(storage, saved)
        raise
    return docs


def attach_to_message(
    session: Session,
    *,
    client_id: int,
    message_id: int,
    checked: list[tuple[IncomingFile, str, str]],
    by: str,
    staff_id: int | None,
    storage: FileStorage,
) -> list[Document]:
    """Files attached to one secure message, stored as that client's documents.

    `checked` is what `check_files` returned, before the message was written,
    so a refused file never leaves a message behind. "shared" when staff sent
    the message, "uploaded" when the client did; titled by the file's clean
    name. No notification or email of their own (the message's cover them);
    audited as a share or an upload is. The caller checks who may attach.
    """
    if by not in ("client", "staff"):
        raise ValueError("by must be 'client' or 'staff'")
    staff = by == "staff"
    saved: list[str] = []  # see _share on what a failure leaves behind
    try:
        docs = _store(session, storage=storage, checked=checked,
                      titles=[name[:MAX_TITLE] for _, _, name in checked],
                      client_id=client_id,
                      direction=DocumentDirection.SHARED if staff else DocumentDirection.UPLOADED,
                      message="", staff_id=staff_id if staff else None, saved=saved,
                      conversation_message_id=message_id)
        record_audit(session, actor_kind=by, actor_id=staff_id if staff else client_id,
                     action="document.shared" if staff else "document.uploaded",
                     client_id=client_id, document_ids=[d.id for d in docs],
                     titles=[d.title for d in docs], message_id=message_id, emailed=False)
        session.flush()
    except BaseException:
        _discard(storage, saved)
        raise
    return docs


# --- reading -----------------------------------------------------------------------------


def _live() -> list:
    return [Document.deleted_at.is_(None)]


def list_client_documents(session: Session, *, client_id: int, limit: int = 500
                          ) -> list[Document]:
    """Both directions for one client record, newest first; deleted ones hidden."""
    stmt = (select(Document).where(Document.client_id == client_id, *_live())
            .order_by(Document.created_at.desc(), Document.id.desc()).limit(limit))
    return list(session.exec(stmt).all())


def new_document_count(session: Session, *, client_id: int) -> int:
    """Documents shared with the client that the client has never opened."""
    stmt = select(func.count()).select_from(Document).where(
        Document.client_id == client_id, Document.direction == DocumentDirection.SHARED,
        Document.first_viewed_at.is_(None), *_live())
    return int(session.exec(stmt).one())


def get_document_for_client(session: Session, *, client_id: int, document_id: object
                            ) -> Document:
    """The client's own live document, or NotFound (someone else's, deleted, bad id)."""
    doc_id = parse_id(document_id, NO_DOCUMENT)
    doc = session.exec(select(Document).where(
        Document.id == doc_id, Document.client_id == client_id, *_live())).first()
    if doc is None:
        raise NotFound(NO_DOCUMENT)
    return doc


def get_document(session: Session, *, document_id: object) -> Document:
    """Any live document (staff act for the one business); NotFound if deleted."""
    doc = get_by_id(session, Document, document_id, NO_DOCUMENT)
    if doc.deleted_at is not None:
        raise NotFound(NO_DOCUMENT)
    return doc


def _receiver(document: Document) -> str:
    return "client" if document.direction == DocumentDirection.SHARED else "staff"


def record_view(session: Session, *, document: Document, by: str, actor_id: int | None,
                ip: str = "") -> Document:
    """A download. Every one is audited; one by the receiving side (the client
    for a shared document, staff for an upload) also counts as a view, which
    is what "viewed on …" shows the sender."""
    if by not in ("client", "staff"):
        raise ValueError("by must be 'client' or 'staff'")
    counted = by == _receiver(document)
    if counted:
        now = utcnow()
        # One UPDATE, so simultaneous downloads never lose a count.
        session.exec(
            update(Document).where(Document.id == document.id).values(
                view_count=Document.view_count + 1,
                last_viewed_at=now,
                first_viewed_at=func.coalesce(Document.first_viewed_at,
                                              literal(now, UTCDateTime())),
            )
        )
        session.refresh(document)
    record_audit(session, actor_kind=by, actor_id=actor_id, action="document.downloaded",
                 client_id=document.client_id, ip=ip, document_id=document.id,
                 title=document.title, direction=document.direction, counted_as_view=counted)
    return document


def storage_totals(session: Session, *, client_ids: list[int] | None = None) -> dict[int, int]:
    """Bytes of live documents per client (all clients, or just these)."""
    if client_ids is not None and not client_ids:
        return {}
    stmt = (select(Document.client_id, func.coalesce(func.sum(Document.size_bytes), 0))
            .where(*_live()).group_by(Document.client_id))
    if client_ids is not None:
        stmt = stmt.where(Document.client_id.in_(list(client_ids)))
    return {int(cid): int(total) for cid, total in session.exec(stmt).all()}


@dataclass(frozen=True)
class DocumentRow:
    """One line of a client's documents in the console."""

    id: int
    direction: str
    title: str
    filename: str
    content_type: str
    size_bytes: int
    message: str
    created_at: datetime
    shared_by: str
    first_viewed_at: datetime | None
    last_viewed_at: datetime | None
    view_count: int

    @property
    def size_label(self) -> str:
        return format_size(self.size_bytes)


def client_document_rows(session: Session, *, client_id: int, limit: int = 500
                         ) -> list[DocumentRow]:
    """The console's view of one client's live documents, with who shared each."""
    stmt = (select(Document, StaffUser.full_name)
            .outerjoin(StaffUser, StaffUser.id == Document.shared_by_staff_id)
            .where(Document.client_id == client_id, *_live())
            .order_by(Document.created_at.desc(), Document.id.desc()).limit(limit))
    return [
        DocumentRow(id=d.id, direction=d.direction, title=d.title, filename=d.filename,
                    content_type=d.content_type, size_bytes=d.size_bytes, message=d.message,
                    created_at=d.created_at, shared_by=name or "",
                    first_viewed_at=d.first_viewed_at, last_viewed_at=d.last_viewed_at,
                    view_count=d.view_count)
        for d, name in session.exec(stmt).all()
    ]


# --- changing ----------------------------------------------------------------------------


def delete_document(session: Session, *, staff_id: int, document_id: object,
                    storage: FileStorage) -> Document:
    """Hide the document from both sides and remove its file.

    The row stays (soft delete) for the audit trail. The file goes at once:
    if the caller's commit then failed, the live row would point at a missing
    file, which downloads answer with 404.
    """
    doc = get_document(session, document_id=document_id)
    doc.deleted_at = utcnow()
    session.add(doc)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="document.deleted",
                 client_id=doc.client_id, document_id=doc.id, title=doc.title)
    session.flush()
    storage.delete(doc.stored_name)
    return doc


def replace_document(
    session: Session,
    *,
    staff_id: int,
    document_id: object,
    file: IncomingFile,
    storage: FileStorage,
    base_url: str,
    max_file_bytes: int,
    max_request_bytes: int,
) -> Document:
    """A new version of a shared document: same client and title, the old one
    deleted and pointing at the new one; the client is told as for a share."""
    old = get_document(session, document_id=document_id)
    if old.direction != DocumentDirection.SHARED:
        raise NotAllowed("Only documents shared with the client can be replaced.")
    client = session.get(Client, old.client_id)
    (new,) = _share(session, staff_id=staff_id, client=client, files=[file], title=old.title,
                    message="", storage=storage, base_url=base_url,
                    max_file_bytes=max_file_bytes, max_request_bytes=max_request_bytes,
                    updated=True)
    # A replaced message attachment stays on its message, as the new version.
    new.conversation_message_id = old.conversation_message_id
    session.add(new)
    old.replaced_by_id = new.id
    old.deleted_at = utcnow()
    session.add(old)
    record_audit(session, actor_kind="staff", actor_id=staff_id, action="document.replaced",
                 client_id=old.client_id, document_id=old.id, replaced_by_id=new.id,
                 title=old.title)
    session.flush()
    storage.delete(old.stored_name)
    return new
