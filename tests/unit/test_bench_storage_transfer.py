"""bench/storage_transfer.py on the disk storage with a small file: the upload through
attach_media and the download over HTTP from granian run, check the bytes, and report."""

from bench import storage_transfer


def test_disk_row_measures_an_upload_and_a_checked_download(tmp_path, monkeypatch):
    monkeypatch.setattr(storage_transfer, "REPEATS", 1)
    source, sha256 = storage_transfer._source(tmp_path, 2)
    row = storage_transfer._one("local", work=tmp_path / "local", source=source, sha256=sha256,
                                mb=2, s3=None)
    assert row["upload_s"] > 0 and row["download_s"] > 0
    assert 0 <= row["server_peak_extra_mb"] < 64
    text = "\n".join(storage_transfer.markdown(
        {"mb": 2, "rows": [{"label": "disk (local)", **row}], "skipped": "S3 not measured"}))
    assert "| disk (local) | " in text and "S3 not measured." in text
