"""`portal storage migrate --to s3` as a real process against a real S3 API (moto's
server): SIGKILLed once some objects are in the bucket, then run again. It completes,
every object matches its local file, nothing already verified is copied again (the
bucket keeps versions, so a second PUT would show), and it switches only at the end.
Also: it refuses, with nothing switched, when the bucket cannot be reached."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal_app.cli import app
from portal_app.providers.storage import LocalFileStorage
from portal_app.settings import reset_settings_cache
from portal_app.storage_settings import SWITCHED_MARKER, StorageSettings

pytestmark = [pytest.mark.timeout(180), pytest.mark.serial]

ROOT = Path(__file__).resolve().parents[2]
FILES = 200
WORKERS = 4
KILL_AT = 30  # objects in the bucket


def _env(s3_server, bucket: str, data_dir: Path) -> dict[str, str]:
    env = {**os.environ, **s3_server.env(bucket), "PORTAL_DATA_DIR": str(data_dir),
           "DATABASE_URL": f"sqlite:///{data_dir / 'portal.db'}", "PYTHONPATH": str(ROOT)}
    env.pop("PORTAL_STORAGE")  # unset: the marker decides
    return env


def _migrate() -> list[str]:
    return [sys.executable, "-m", "portal_app.cli", "storage", "migrate", "--to", "s3",
            "--workers", str(WORKERS)]


def _versions(client, bucket: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            found.setdefault(version["Key"], []).append(version["VersionId"])
    return found


def _count(client, bucket: str) -> int:
    return client.list_objects_v2(Bucket=bucket).get("KeyCount", 0)


def test_a_migration_killed_midway_resumes_without_copying_again(s3_server, tmp_path,
                                                                  monkeypatch):
    monkeypatch.delenv("PORTAL_STORAGE", raising=False)
    data_dir = tmp_path / "data"
    local = LocalFileStorage(data_dir / "files")
    md5 = {}
    for i in range(FILES):
        body = os.urandom(512 + i)
        md5[local.save(body)] = hashlib.md5(body).hexdigest()  # noqa: S324 - S3's ETag
    (data_dir / "brand").mkdir(parents=True)
    logo = "logo-0123456789abcdef.png"
    (data_dir / "brand" / logo).write_bytes(b"\x89PNG logo")
    client = s3_server.client()
    bucket = s3_server.new_bucket()
    client.put_bucket_versioning(Bucket=bucket,
                                 VersioningConfiguration={"Status": "Enabled"})
    env = _env(s3_server, bucket, data_dir)

    proc = subprocess.Popen(_migrate(), env=env, cwd=ROOT, stdout=subprocess.PIPE,  # noqa: S603
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _count(client, bucket) < KILL_AT:
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "no object reached the bucket"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    at_kill = _versions(client, bucket)
    assert KILL_AT <= len(at_kill) < FILES, "the kill came after the copy had finished"
    assert not (data_dir / SWITCHED_MARKER).exists()
    assert StorageSettings.from_env(data_dir).backend == "local"  # not switched

    done = subprocess.run(_migrate(), env=env, cwd=ROOT, capture_output=True,  # noqa: S603
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    copied, earlier = map(int, re.search(r"(\d+) copied now, (\d+) by an earlier run",
                                         done.stdout).groups())

    shared = f"portal/shared/brand/{logo}"  # the logo too, for nodes without it
    assert client.get_object(Bucket=bucket, Key=shared)["Body"].read() == b"\x89PNG logo"
    after = {key: v for key, v in _versions(client, bucket).items() if key != shared}
    assert set(after) == {f"portal/{name}" for name in md5}
    # Copied again: only files caught between their upload and their journal line.
    again = [key for key, versions in at_kill.items() if after[key] != versions]
    assert len(again) <= WORKERS
    assert all(len(versions) <= 2 for versions in after.values())
    assert (copied, earlier) == (FILES - len(at_kill) + len(again), len(at_kill) - len(again))
    listing = [item for item in client.list_objects_v2(Bucket=bucket)["Contents"]
               if item["Key"] != shared]
    assert {item["Key"][len("portal/"):]: item["ETag"].strip('"') for item in listing} == md5
    assert client.head_object(Bucket=bucket, Key=listing[0]["Key"])["Metadata"]["sha256"]

    switched = StorageSettings.from_env(data_dir)
    assert (switched.backend, switched.switched_by) == ("s3", str(data_dir / SWITCHED_MARKER))
    assert f"rm -r {data_dir / 'files'}" in done.stdout
    assert len(list(local.names())) == FILES  # the local files are kept
    monkeypatch.setenv("PORTAL_STORAGE", "local")
    assert StorageSettings.from_env(data_dir).backend == "local"  # explicit beats the marker


def test_migrate_refuses_an_unreachable_bucket_and_switches_nothing(s3_server, tmp_path,
                                                                    monkeypatch):
    data_dir = tmp_path / "data"
    LocalFileStorage(data_dir / "files").save(b"x")
    env = _env(s3_server, "no-such-bucket-here", data_dir)
    for name in ("PORTAL_S3_BUCKET", "PORTAL_S3_ENDPOINT_URL", "PORTAL_S3_REGION",
                 "PORTAL_S3_ADDRESSING_STYLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "PORTAL_DATA_DIR", "DATABASE_URL"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("PORTAL_STORAGE", raising=False)
    reset_settings_cache()
    try:
        refused = CliRunner().invoke(app, ["storage", "migrate", "--to", "s3"])
        assert refused.exit_code == 1
        assert "cannot reach bucket 'no-such-bucket-here'" in refused.output
        assert "Not switched" in refused.output

        monkeypatch.delenv("PORTAL_S3_BUCKET")
        reset_settings_cache()
        unset = CliRunner().invoke(app, ["storage", "migrate", "--to", "s3"])
        assert unset.exit_code == 2
        assert "migrating needs PORTAL_S3_BUCKET" in unset.output

        other = CliRunner().invoke(app, ["storage", "migrate", "--to", "local"])
        assert other.exit_code == 2 and "--to takes s3 only" in other.output
    finally:
        reset_settings_cache()
    assert not (data_dir / SWITCHED_MARKER).exists()
    assert StorageSettings.from_env(data_dir).backend == "local"
