"""`portal backup` then says what else to back up: the files folder on disk, or the
bucket (with its versioning as the bucket reports it), and the secret key."""

import pytest
from typer.testing import CliRunner

from portal_app import db as db_module
from portal_app.cli import app
from portal_app.settings import reset_settings_cache


@pytest.fixture
def backup(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("PORTAL_DATA_DIR", str(data))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'portal.db'}")
    monkeypatch.delenv("PORTAL_STORAGE", raising=False)

    def run() -> str:
        reset_settings_cache()
        result = CliRunner().invoke(app, ["backup", str(tmp_path / "backup.db")])
        assert result.exit_code == 0, (result.output, result.exception)
        return result.output

    run.data = data
    yield run
    reset_settings_cache()
    if db_module._engine is not None:
        db_module._engine.dispose()
    db_module._engine = None


def test_local_mode_names_the_files_folder_and_the_secret_key(backup, monkeypatch):
    out = backup()
    assert "Backed up" in out
    assert f"the documents and course media: the folder {backup.data / 'files'}" in out
    assert f"{backup.data / 'brand'} and {backup.data / 'private'}" in out
    assert "also kept in the bucket" not in out
    assert "the secret key: the value of PORTAL_SECRET_KEY" in out
    assert "s3://" not in out

    monkeypatch.delenv("PORTAL_SECRET_KEY")  # dev: the key is a file in the data directory
    assert f"the secret key: the file {backup.data / 'secret_key'}" in backup()


def test_s3_mode_names_the_bucket_and_asks_for_versioning(backup, s3_server, monkeypatch):
    bucket = s3_server.new_bucket()
    for name, value in s3_server.env(bucket).items():
        monkeypatch.setenv(name, value)
    out = backup()
    assert f"the objects under s3://{bucket}/portal/ (the bucket is not in this backup)" in out
    assert "Versioning is never turned on: turn it on" in out
    assert f"put-bucket-versioning --bucket {bucket}" in out
    assert f"{backup.data / 'brand'} and {backup.data / 'private'}" in out
    assert "(also kept in the bucket under shared/)" in out
    assert "PORTAL_SECRET_KEY" in out
    assert "the folder" not in out

    s3_server.client().put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    out = backup()
    assert "Versioning is on for this bucket" in out and "turn it on" not in out

    monkeypatch.setenv("PORTAL_S3_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens
    assert "Versioning is unknown (the bucket could not be asked)" in backup()
