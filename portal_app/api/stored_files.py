"""Serving a stored file (a document, a course lesson's media) from the storage in use.

The route checks the session and the ownership first, then calls `open_download`
(still inside its checks, before it records a view or an audit row): a file that
is gone raises FileNotFoundError (a bad stored name ValueError, an unreadable file
on disk OSError), so the route answers 404 and records nothing. Any other storage
error (S3 unreachable, access refused) is logged and raised as StorageUnavailable:
the route answers 503 with a sentence in the reader's language, records nothing. What comes back is
either the open file, streamed CHUNK bytes at a time (never read whole: a 500 MB
video costs one chunk of memory), or, with `PORTAL_STORAGE=s3` and
`PORTAL_STORAGE_PRESIGN=1`, a short-lived presigned GET URL that carries our
Content-Disposition, Content-Type and `private, no-store`; the route then answers
303 to it with `no-store`, so neither the browser nor a proxy keeps the redirect.
A HEAD is never redirected (a presigned URL is signed for GET only): it gets the
headers from here, without a body.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from portal_app import i18n
from portal_app.providers.storage import CHUNK, FileStorage, opened_size

log = logging.getLogger("portal.downloads")
NOT_FOUND = (FileNotFoundError, ValueError, OSError)  # what open_download raises for "gone"
UNAVAILABLE = "The file store is not answering. Please try again in a minute."


_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()\-,]")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_ASCII_UNSAFE.sub("_", text).split()).strip(". ")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266/5987)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    stem, ext = _ascii(stem), _ascii(ext).replace(".", "")
    if not any(ch.isalnum() for ch in stem):
        stem = "download"
    fallback = f"{stem}.{ext}" if ext else stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# Every private file the portal hands out: never sniffed, never run, never cached.
PRIVATE_FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox",
                        "Cache-Control": "private, no-store"}



class StorageUnavailable(RuntimeError):
    """The storage failed for another reason than "no such file" (logged)."""


def full_type(content_type: str) -> str:
    """The Content-Type as Starlette sends it for a body: text gets `charset=utf-8`."""
    if content_type.startswith("text/") and "charset=" not in content_type.lower():
        return f"{content_type}; charset=utf-8"
    return content_type


def chunks(fh: BinaryIO, first: int, length: int) -> Iterator[bytes]:
    """`length` bytes from `first`, CHUNK at a time; the file is closed at the end
    (also when the client goes away mid-way and the generator is closed)."""
    try:
        fh.seek(first)
        left = length
        while left > 0:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
    finally:
        fh.close()


@dataclass
class Download:
    """An open stored file (`fh`, `size`) or, instead, a presigned `url`."""

    fh: BinaryIO | None = None
    size: int = 0
    url: str | None = None

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


def open_download(storage: FileStorage, stored_name: str, *, method: str, disposition: str,
                  content_type: str) -> Download:
    """The file to send, or where to send the browser; raises NOT_FOUND's errors when
    the file is gone (checked for a presigned URL too, so a missing object is 404),
    StorageUnavailable when the storage fails otherwise."""
    try:
        if method == "GET":
            url = storage.presigned_url(stored_name, filename_header=disposition,
                                        content_type=full_type(content_type))
            if url is not None:
                size = storage.size(stored_name)  # the object exists (else FileNotFoundError)
                return Download(size=size, url=url)
        fh = storage.open(stored_name)
        return Download(fh=fh, size=opened_size(fh))
    except NOT_FOUND:
        raise
    except Exception as exc:
        log.warning("download of a stored file failed: %s: %s", type(exc).__name__, exc)
        raise StorageUnavailable(str(exc)) from exc


def unavailable(request: Request) -> Response:
    """503 with a sentence in the reader's language (cookie, else Accept-Language)."""
    lang = i18n.pick(request.cookies.get(i18n.COOKIE),
                     i18n.from_accept_language(request.headers.get("accept-language")))
    return Response(i18n.gettext(lang, UNAVAILABLE), status_code=503,
                    headers={"Retry-After": "30", "Cache-Control": "no-store"})


def redirect(url: str) -> Response:
    """303 to a presigned URL: never cached, and no Referer carries the portal's URL."""
    return Response(status_code=303, headers={"Location": url, "Cache-Control": "no-store",
                                              "Referrer-Policy": "no-referrer"})


def stream(download: Download, *, method: str, headers: dict[str, str], media_type: str,
           status: int = 200, first: int = 0, length: int | None = None) -> Response:
    """The open file (or `length` bytes of it from `first`) as the body, in chunks;
    a HEAD gets the same headers and no body. Sets Content-Length."""
    fh = download.fh
    assert fh is not None, "a presigned download is answered with redirect()"
    length = download.size - first if length is None else length
    headers = {**headers, "Content-Length": str(length)}
    if method == "HEAD":
        download.close()
        return Response(status_code=status, headers=headers, media_type=media_type)
    download.fh = None  # the body's generator owns it now and closes it
    return StreamingResponse(chunks(fh, first, length), status_code=status, headers=headers,
                             media_type=media_type)


def deliver(download: Download, *, method: str, media_type: str, disposition: str) -> Response:
    """What a download route answers once its checks passed: the presigned redirect,
    or the private file streamed with its Content-Disposition."""
    if download.url is not None:
        return redirect(download.url)
    return stream(download, method=method, media_type=media_type,
                  headers={**PRIVATE_FILE_HEADERS, "Content-Disposition": disposition})
