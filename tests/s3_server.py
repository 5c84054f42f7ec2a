"""A real S3 API on this machine for the tests: moto's server mode, one process per
test session (or per browser-suite mode), spoken to by the unchanged boto3 SDK.

`S3Server.start()` runs `python -m moto.server` on a free port and waits until it
answers; `env(bucket)` gives the environment a portal process (or `StorageSettings`)
needs to use it. moto is a test dependency; without it a test skips on a laptop and
fails in CI (tests.services.missing)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import httpx

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"  # noqa: S105 - moto accepts any credentials
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class S3Server:
    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc, self.port = proc, port
        self.endpoint_url = f"http://127.0.0.1:{port}"

    @classmethod
    def start(cls) -> S3Server:
        from tests.services import missing

        try:
            import moto.server  # noqa: F401
        except ImportError:
            missing("moto[server] is not installed (pip install -e '.[test]')")
        port = _free_port()
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        server = cls(proc, port)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                missing(f"moto's S3 server exited with {proc.returncode}")
            try:
                httpx.get(server.endpoint_url + "/moto-api/", timeout=1)
                return server
            except httpx.HTTPError:
                time.sleep(0.2)
        server.stop()
        missing("moto's S3 server did not start in 30 s")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def credentials_env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_DEFAULT_REGION": REGION}

    def env(self, bucket: str, **extra: str) -> dict[str, str]:
        """What a portal process needs to keep its files in `bucket` on this server."""
        return {**self.credentials_env(), "PORTAL_STORAGE": "s3", "PORTAL_S3_BUCKET": bucket,
                "PORTAL_S3_ENDPOINT_URL": self.endpoint_url, "PORTAL_S3_REGION": REGION,
                "PORTAL_S3_ADDRESSING_STYLE": "path", **extra}

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def new_bucket(self, prefix: str = "portal-test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name
