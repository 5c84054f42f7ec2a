"""The types a lesson's media may have, recognised by the file's bytes (the name
the sender gave it plays no part): video for video lessons, audio for audio
lessons, documents and archives for downloads.

Only the start of the file is read (`HEAD` bytes), except for zip-based Office
files, whose manifest is read from the archive's directory without extracting
anything (the file object is seekable: an upload spooled to disk)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from models import LessonKind
from portal_app.services.documents.file_checks import _ATTR, _OVERRIDE, _read_member

HEAD = 64 * 1024
_OOXML = "application/vnd.openxmlformats-officedocument."
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
               b"M4V ", b"M4VH", b"M4VP", b"dash", b"mmp4", b"MSNV", b"qt  "}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


@dataclass(frozen=True)
class MediaType:
    content_type: str
    label: str
    extension: str


VIDEO_TYPES = {"video/mp4": MediaType("video/mp4", "MP4 video", "mp4"),
               "video/webm": MediaType("video/webm", "WebM video", "webm")}
AUDIO_TYPES = {"audio/mpeg": MediaType("audio/mpeg", "MP3 audio", "mp3"),
               "audio/mp4": MediaType("audio/mp4", "M4A audio", "m4a"),
               "audio/aac": MediaType("audio/aac", "AAC audio", "aac"),
               "audio/ogg": MediaType("audio/ogg", "Ogg audio", "ogg"),
               "audio/wav": MediaType("audio/wav", "WAV audio", "wav")}
FILE_TYPES = {"application/pdf": MediaType("application/pdf", "PDF", "pdf"),
              "application/zip": MediaType("application/zip", "ZIP archive", "zip"),
              _OOXML + "wordprocessingml.document":
                  MediaType(_OOXML + "wordprocessingml.document", "Word document", "docx"),
              _OOXML + "presentationml.presentation":
                  MediaType(_OOXML + "presentationml.presentation", "PowerPoint", "pptx"),
              _OOXML + "spreadsheetml.sheet":
                  MediaType(_OOXML + "spreadsheetml.sheet", "Excel workbook", "xlsx")}
ALLOWED = {LessonKind.VIDEO: VIDEO_TYPES, LessonKind.AUDIO: AUDIO_TYPES,
           LessonKind.FILE: {**FILE_TYPES, **AUDIO_TYPES, **VIDEO_TYPES}}
ALLOWED_TEXT = {LessonKind.VIDEO: "MP4 or WebM",
                LessonKind.AUDIO: "MP3, M4A/AAC, Ogg or WAV",
                LessonKind.FILE: "PDF, ZIP, Word, PowerPoint, Excel, audio or video"}


def _ftyp(head: bytes) -> bytes | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return head[8:12]
    return None


def _mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    # An MPEG audio frame: 11 sync bits, layer III (bits 01), not a reserved version.
    return (len(head) >= 4 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0
            and (head[1] & 0x06) == 0x02 and (head[1] & 0x18) != 0x08
            and (head[2] & 0xF0) != 0xF0)


def _adts(head: bytes) -> bool:
    return len(head) >= 7 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0


def _ooxml_type(fileobj: BinaryIO) -> str | None:
    """The Office type a zip declares for a part it really holds, or None."""
    try:
        fileobj.seek(0)
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return None
    with archive:
        names = set(archive.namelist())
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return None
        manifest = _read_member(archive, "[Content_Types].xml", 512 * 1024)
    if manifest is None:
        return "application/zip"
    text = manifest.decode("utf-8", errors="replace")
    for match in _OVERRIDE.finditer(text):
        attrs = {(m.group(1) or m.group(3)).lower(): (m.group(2) or m.group(4) or "")
                 for m in _ATTR.finditer(match.group(1))}
        declared = attrs.get("contenttype", "").strip().lower()
        if attrs.get("partname", "").lstrip("/") not in names:
            continue
        for kind in ("wordprocessingml.document", "presentationml.presentation",
                      "spreadsheetml.sheet"):
            if declared == f"{_OOXML}{kind}.main+xml":
                return _OOXML + kind
    return None  # a manifest that names no document we take: refused


def sniff(fileobj: BinaryIO) -> str | None:
    """The content type of `fileobj` (read from its start; left at the start), or None."""
    fileobj.seek(0)
    head = fileobj.read(HEAD)
    fileobj.seek(0)
    content_type = None
    brand = _ftyp(head)
    if brand in _M4A_BRANDS:
        content_type = "audio/mp4"
    elif brand in _MP4_BRANDS:
        content_type = "video/mp4"
    elif head.startswith(b"\x1a\x45\xdf\xa3") and b"\x42\x82\x84webm" in head[:64]:
        content_type = "video/webm"
    elif head.startswith(b"OggS"):
        content_type = "audio/ogg"
    elif len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        content_type = "audio/wav"
    elif head.startswith(b"%PDF-"):
        content_type = "application/pdf"
    elif head.startswith(b"PK\x03\x04"):
        content_type = _ooxml_type(fileobj)
        fileobj.seek(0)
    elif _adts(head):
        content_type = "audio/aac"
    elif _mp3(head):
        content_type = "audio/mpeg"
    return content_type


def media_type_for(kind: str, fileobj: BinaryIO) -> MediaType | None:
    """The file's type when a lesson of `kind` may use it; None otherwise."""
    content_type = sniff(fileobj)
    return ALLOWED.get(kind, {}).get(content_type) if content_type else None
