"""The S3 implementation of FileStorage against a real S3 API (moto's server) through
the unchanged boto3 SDK: the same contract as the disk storage, plus multipart, the
size limit that aborts an upload, ranged reads, encryption and presigned URLs."""

import hashlib
import io
from dataclasses import replace

import httpx
import pytest

from portal_app.providers.s3_storage import S3FileStorage
from portal_app.providers.storage import STORED_NAME, LocalFileStorage, TooLarge

MB = 1024 * 1024


def _objects(storage: S3FileStorage) -> list[str]:
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def _uploads(storage: S3FileStorage) -> list:
    return storage.client.list_multipart_uploads(Bucket=storage.bucket).get("Uploads", [])


def test_save_read_delete_under_the_prefix(s3_storage):
    name = s3_storage.save(b"hello")
    assert STORED_NAME.match(name)
    assert _objects(s3_storage) == [f"files/{name}"]
    assert s3_storage.read(name) == b"hello"
    assert s3_storage.size(name) == 5
    s3_storage.delete(name)
    s3_storage.delete(name)  # already gone is fine
    assert _objects(s3_storage) == []
    with pytest.raises(FileNotFoundError):
        s3_storage.read(name)
    with pytest.raises(FileNotFoundError):
        s3_storage.open(name)


def test_names_outside_ours_are_refused_before_any_request(s3_storage):
    for bad in ("../etc/passwd", "A" * 32, "", None, "files/" + "a" * 32):
        with pytest.raises(ValueError):
            s3_storage.read(bad)


def test_a_big_stream_goes_up_in_parts_and_reads_back_whole(s3_storage):
    data = bytes(range(256)) * (12 * MB // 256)  # 12 MB: three 5 MB parts
    name = s3_storage.save_stream(io.BytesIO(data))
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key=f"files/{name}")
    assert head["ETag"].strip('"').endswith("-3")  # a multipart object of 3 parts
    assert hashlib.sha256(s3_storage.read(name)).digest() == hashlib.sha256(data).digest()


def test_over_the_limit_stores_nothing_and_leaves_no_parts(s3_storage):
    with pytest.raises(TooLarge):
        s3_storage.save_stream(io.BytesIO(b"x" * (11 * MB)), max_bytes=10 * MB)
    with pytest.raises(TooLarge):
        s3_storage.save_stream(io.BytesIO(b"x" * 300), max_bytes=100)
    assert _objects(s3_storage) == []
    assert _uploads(s3_storage) == []


def test_open_reads_ranges_and_seeks_like_a_file(s3_storage):
    data = bytes(range(256)) * 40
    name = s3_storage.save(data)
    fh = s3_storage.open(name)
    assert fh.size == len(data)
    fh.seek(1000)
    assert fh.read(10) == data[1000:1010]
    assert fh.read(5) == data[1010:1015]  # continues the same GET
    fh.seek(-6, io.SEEK_END)
    assert fh.read() == data[-6:]
    assert fh.read(1) == b""
    fh.close()


def test_server_side_encryption_is_asked_for_each_object(s3_storage):
    storage = S3FileStorage(replace(s3_storage.config, sse="AES256"), client=s3_storage.client)
    name = storage.save(b"secret")
    big = storage.save_stream(io.BytesIO(b"y" * (6 * MB)))
    for stored in (name, big):
        head = storage.client.head_object(Bucket=storage.bucket, Key=f"files/{stored}")
        assert head["ServerSideEncryption"] == "AES256"
    plain = s3_storage.save(b"plain")
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key=f"files/{plain}")
    assert "ServerSideEncryption" not in head


def test_objects_are_private_and_presigned_urls_expire_with_our_headers(s3_storage):
    name = s3_storage.save(b"%PDF-1.7 report")
    # No URL by default; the object gets no public grant.
    assert s3_storage.presigned_url(name, filename_header="attachment", content_type="x/y") is None
    acl = s3_storage.client.get_object_acl(Bucket=s3_storage.bucket, Key=f"files/{name}")
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in acl["Grants"])
    storage = S3FileStorage(replace(s3_storage.config, presign=True, presign_seconds=30),
                            client=s3_storage.client)
    url = storage.presigned_url(name, filename_header='attachment; filename="report.pdf"',
                                content_type="application/pdf")
    assert "X-Amz-Expires=30" in url and "X-Amz-Signature=" in url
    answer = httpx.get(url)
    assert answer.status_code == 200 and answer.content == b"%PDF-1.7 report"
    assert answer.headers["content-disposition"] == 'attachment; filename="report.pdf"'
    assert answer.headers["cache-control"] == "private, no-store"


def test_names_lists_only_stored_files_of_the_prefix(s3_storage, tmp_path):
    a, b = s3_storage.save(b"a"), s3_storage.save(b"bb")
    s3_storage.client.put_object(Bucket=s3_storage.bucket, Key="other/" + "c" * 32, Body=b"x")
    s3_storage.client.put_object(Bucket=s3_storage.bucket, Key="files/notes.txt", Body=b"x")
    assert sorted((o.name, o.size) for o in s3_storage.names()) == sorted([(a, 1), (b, 2)])
    local = LocalFileStorage(tmp_path / "files")
    assert list(local.names()) == []
    c = local.save(b"ccc")
    (tmp_path / "files" / "stray.txt").write_text("x")
    assert [(o.name, o.size) for o in local.names()] == [(c, 3)]
