"""Private file storage in an S3-compatible bucket (boto3): the second implementation
of `providers.storage.FileStorage`, chosen by `PORTAL_STORAGE=s3`.

Objects are private (no ACL is ever set; the bucket's own policy should block public
access) and named `<prefix><32 hex digits>`, the same random names as on disk, so
a database row points to the same name in either storage. Uploads above the multipart
size go in parts (boto3's managed transfer) and are read from the stream part by
part: nothing is held whole in memory, and a failed or refused upload is aborted,
leaving no object behind. Reads stream the object; `open` gives a seekable reader
that fetches by HTTP range, for the range requests of video lessons."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO

from portal_app.providers.storage_names import (
    CHUNK,
    STORED_NAME,
    StoredObject,
    TooLarge,
    check_stored_name,
)

if TYPE_CHECKING:
    from portal_app.storage_settings import StorageSettings

MB = 1024 * 1024
SHARED, SHARED_FOLDERS = "shared/", ("brand", "private")  # under the prefix
MISSING = ("NoSuchKey", "404", "NotFound")


def make_client(config: StorageSettings, *, attempts: int = 5, connect_timeout: int = 10):
    """A boto3 S3 client for these settings (credentials from boto3's own chain)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=config.endpoint_url or None,
        region_name=config.region or None,
        config=Config(s3={"addressing_style": config.addressing_style},
                      signature_version="s3v4",
                      retries={"max_attempts": attempts, "mode": "standard"},
                      connect_timeout=connect_timeout, read_timeout=60),
    )


def _missing(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
    return str(code) in MISSING


class _Limited(io.RawIOBase):
    """Reads `source` and raises TooLarge once more than `max_bytes` have passed."""

    def __init__(self, source: BinaryIO, max_bytes: int | None):
        self.source, self.max_bytes, self.total = source, max_bytes, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size if size and size > 0 else CHUNK)
        self.total += len(chunk)
        if self.max_bytes is not None and self.total > self.max_bytes:
            raise TooLarge(f"more than {self.max_bytes} bytes")
        return chunk

    def readinto(self, buffer) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class S3Object(io.RawIOBase):
    """A stored object read like a file: sequential reads stream one GET from the
    current position; a seek closes it and the next read starts a ranged GET there."""

    def __init__(self, client, bucket: str, key: str, size: int):
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        self._pos, self._body = 0, None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        target = max(base + offset, 0)
        if target != self._pos:
            self._drop_body()
            self._pos = target
        return self._pos

    def read(self, size: int = -1) -> bytes:
        if self._pos >= self.size:
            return b""
        if self._body is None:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key,
                                            Range=f"bytes={self._pos}-")
            self._body = answer["Body"]
        data = self._body.read() if size is None or size < 0 else self._body.read(size)
        self._pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop_body()
        super().close()


class S3FileStorage:
    """Files as private objects in one bucket, under one prefix."""

    def __init__(self, config: StorageSettings, client=None):
        self.config = config
        self.bucket = config.bucket
        self.prefix = config.prefix
        self.client = client or make_client(config)

    # -- names ------------------------------------------------------------------
    def key(self, stored_name: object) -> str:
        return self.prefix + check_stored_name(stored_name)

    def _extra(self) -> dict:
        """Per-object arguments: server-side encryption when it is set."""
        extra: dict = {}
        if self.config.sse:
            extra["ServerSideEncryption"] = self.config.sse
        if self.config.kms_key_id:
            extra["SSEKMSKeyId"] = self.config.kms_key_id
        return extra

    # -- the FileStorage protocol -------------------------------------------------
    def save(self, data: bytes) -> str:
        name = secrets.token_hex(16)
        self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=data,
                               **self._extra())
        return name

    def save_stream(self, fileobj: BinaryIO, *, max_bytes: int | None = None) -> str:
        """Copied from where `fileobj` stands, a part at a time; over `max_bytes`:
        TooLarge, and the upload is aborted (no object, no parts left behind)."""
        from boto3.s3.transfer import TransferConfig

        part = self.config.multipart_mb * MB
        transfer = TransferConfig(multipart_threshold=part, multipart_chunksize=part,
                                  use_threads=False)
        name = secrets.token_hex(16)
        self.client.upload_fileobj(_Limited(fileobj, max_bytes), self.bucket, self.key(name),
                                   ExtraArgs=self._extra() or None, Config=transfer)
        return name

    def save_as(self, stored_name: str, fileobj: BinaryIO, *, size: int,
                metadata: dict[str, str] | None = None) -> None:
        """Copy `fileobj` (`size` bytes) under a name it already has (`portal storage
        migrate` keeps the names the rows hold): one PUT, or parts above the multipart
        size."""
        from boto3.s3.transfer import TransferConfig

        part = self.config.multipart_mb * MB
        extra = {**self._extra(), **({"Metadata": metadata} if metadata else {})}
        if size < part:
            self.client.put_object(Bucket=self.bucket, Key=self.key(stored_name),
                                   Body=fileobj.read(), **extra)
            return
        transfer = TransferConfig(multipart_threshold=part, multipart_chunksize=part,
                                  use_threads=False)
        self.client.upload_fileobj(fileobj, self.bucket, self.key(stored_name),
                                   ExtraArgs=extra or None, Config=transfer)

    def sha256_of(self, stored_name: str) -> str:
        """The SHA-256 of the stored object, read back whole (streamed)."""
        import hashlib

        digest, body = hashlib.sha256(), self._get(stored_name)["Body"]
        try:
            for chunk in body.iter_chunks(CHUNK):
                digest.update(chunk)
        finally:
            body.close()
        return digest.hexdigest()

    def _get(self, stored_name: str) -> dict:
        """GetObject's answer (its Body streams); FileNotFoundError when it is gone."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(stored_name))
        except Exception as exc:
            if _missing(exc):
                raise FileNotFoundError(stored_name) from exc
            raise

    def read(self, stored_name: str) -> bytes:
        with self._get(stored_name)["Body"] as body:
            return body.read()

    def open(self, stored_name: str) -> S3Object:
        return S3Object(self.client, self.bucket, self.key(stored_name), self.size(stored_name))

    def size(self, stored_name: str) -> int:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(stored_name))
        except Exception as exc:
            if _missing(exc):
                raise FileNotFoundError(stored_name) from exc
            raise
        return int(head["ContentLength"])

    def delete(self, stored_name: str) -> None:
        # S3 answers a delete of a missing key with success: "already gone is fine".
        self.client.delete_object(Bucket=self.bucket, Key=self.key(stored_name))

    def names(self) -> Iterator[StoredObject]:
        """Every stored file under the prefix (other keys in the bucket are ignored)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                if STORED_NAME.match(name):
                    modified: datetime = item["LastModified"]
                    yield StoredObject(name, int(item["Size"]), modified.timestamp())

    def presigned_url(self, stored_name: str, *, filename_header: str,
                      content_type: str) -> str | None:
        """A GET URL valid for `presign_seconds`, answering with our own download
        headers; None unless PORTAL_STORAGE_PRESIGN=1."""
        if not self.config.presign:
            return None
        params = {"Bucket": self.bucket, "Key": self.key(stored_name),
                  "ResponseContentDisposition": filename_header,
                  "ResponseContentType": content_type,
                  "ResponseCacheControl": "private, no-store"}
        return self.client.generate_presigned_url("get_object", Params=params,
                                                  ExpiresIn=self.config.presign_seconds)

    # -- the business's small images (logo, signature): kept for the other machines --
    SHARED_NAME = re.compile(r"^[a-z]+-[0-9a-f]{16}\.[a-z]{3}\Z")

    def _shared_key(self, folder: str, name: str) -> str:
        if folder not in SHARED_FOLDERS or not self.SHARED_NAME.match(name or ""):
            raise ValueError("not a shared image")
        return f"{self.prefix}{SHARED}{folder}/{name}"

    def share(self, folder: str, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._shared_key(folder, name),
                               Body=data, **self._extra())

    def fetch_shared(self, folder: str, name: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket,
                                            Key=self._shared_key(folder, name))
        except Exception as exc:
            if _missing(exc):
                return None
            raise
        with answer["Body"] as body:
            return body.read()

    def unshare(self, folder: str, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._shared_key(folder, name))
