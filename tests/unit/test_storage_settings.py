"""PORTAL_STORAGE and the S3 variables: read from the environment, refused clearly."""

import pytest

from portal_app.settings import Settings, SettingsError, reset_settings_cache
from portal_app.storage_settings import StorageSettings


def test_local_is_the_default_and_s3_reads_every_variable(monkeypatch):
    for name in ("PORTAL_STORAGE", "PORTAL_S3_BUCKET", "PORTAL_S3_PREFIX", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    assert StorageSettings.from_env().backend == "local"
    monkeypatch.setenv("PORTAL_STORAGE", "S3")
    monkeypatch.setenv("PORTAL_S3_BUCKET", "practice-files")
    monkeypatch.setenv("PORTAL_S3_PREFIX", "/portal")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    monkeypatch.setenv("PORTAL_S3_ENDPOINT_URL", "https://s3.example.test")
    monkeypatch.setenv("PORTAL_S3_SSE", "aws:kms")
    monkeypatch.setenv("PORTAL_S3_KMS_KEY_ID", "alias/portal")
    monkeypatch.setenv("PORTAL_STORAGE_PRESIGN", "1")
    monkeypatch.setenv("PORTAL_STORAGE_PRESIGN_SECONDS", "120")
    config = StorageSettings.from_env()
    assert (config.backend, config.bucket, config.prefix, config.region) == (
        "s3", "practice-files", "portal/", "eu-west-2")
    assert (config.endpoint_url, config.sse, config.kms_key_id) == (
        "https://s3.example.test", "aws:kms", "alias/portal")
    assert config.presign and config.presign_seconds == 120
    assert config.problems() == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"backend": "nfs"}, "PORTAL_STORAGE must be one of local, s3"),
    ({"backend": "s3"}, "PORTAL_STORAGE=s3 needs PORTAL_S3_BUCKET"),
    ({"sse": "rot13"}, "PORTAL_S3_SSE must be empty, AES256 or aws:kms"),
    ({"kms_key_id": "k"}, "PORTAL_S3_KMS_KEY_ID needs PORTAL_S3_SSE=aws:kms"),
    ({"presign": True}, "PORTAL_STORAGE_PRESIGN=1 needs PORTAL_STORAGE=s3"),
    ({"presign_seconds": 0}, "PORTAL_STORAGE_PRESIGN_SECONDS must be between 1 and 3600"),
    ({"multipart_mb": 4}, "PORTAL_S3_MULTIPART_MB must be at least 5"),
    ({"addressing_style": "dns"}, "PORTAL_S3_ADDRESSING_STYLE must be one of"),
])
def test_each_bad_setting_is_named(changes, message):
    problems = StorageSettings(**changes).problems()
    assert any(p.startswith(message) for p in problems), problems


def test_the_portal_refuses_to_start_without_a_bucket(monkeypatch):
    monkeypatch.setenv("PORTAL_STORAGE", "s3")
    monkeypatch.delenv("PORTAL_S3_BUCKET", raising=False)
    reset_settings_cache()
    try:
        with pytest.raises(SettingsError, match="PORTAL_STORAGE=s3 needs PORTAL_S3_BUCKET"):
            Settings.from_env()
    finally:
        reset_settings_cache()
