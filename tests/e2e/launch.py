"""Starting the portal for the browser suite: the environment of one portal process,
its database prepared once, and a `Node` (one `reflex run --env prod --single-port`
process group, with its granian worker processes) started, waited for and stopped.

The frontend build names the server's address (PORTAL_BASE_URL), so a node started
with `build=False` serves a build an earlier node made for the same address
(tests/e2e/serve_built.py) instead of compiling and building it again."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "e2e-secret-key-0123456789-0123456789-abcdef"
START_SECONDS = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def portal_env(tmp: Path, *, port: int, base_url: str, webhook_secret: str) -> dict:
    """The environment of a portal process serving `base_url` on `port`, its data
    (and by default its SQLite database and mailbox) under `tmp`."""
    env = {
        **os.environ,
        "PORT": str(port),
        "PORTAL_BASE_URL": base_url,
        "PORTAL_ENV": "dev",
        "PORTAL_DATA_DIR": str(tmp / "data"),
        "DATABASE_URL": os.environ.get("PORTAL_E2E_DATABASE_URL", f"sqlite:///{tmp}/portal.db"),
        "PORTAL_EMAIL_BACKEND": "file",
        "PORTAL_MAIL_DIR": str(tmp / "mail"),
        "PORTAL_SMS_BACKEND": "none",
        "PORTAL_OUTBOX_POLL_SECONDS": "0.3",
        "PORTAL_CODE_SENDS_PER_IP": "1000",
        "PORTAL_SECRET_KEY": SECRET_KEY,
        # Test-mode checkout, plus a webhook secret so a signed Stripe event can be
        # delivered to the running server (the live-update journey).
        "PORTAL_PAYMENTS_BACKEND": "test",
        "STRIPE_WEBHOOK_SECRET": webhook_secret,
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{BIN}:{os.environ.get('PATH', '')}",
    }
    for name in ("REDIS_URL", "STRIPE_SECRET_KEY", "GRANIAN_WORKERS"):
        env.pop(name, None)
    return env


def prepare_database(env: dict) -> None:
    """Migrate the database and seed the demo business (once per deployment)."""
    portal_cli = str(BIN / "portal")
    subprocess.run([portal_cli, "migrate"], env=env, cwd=ROOT, check=True)
    subprocess.run([portal_cli, "seed-demo"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


class Node:
    """One portal process group: `reflex run` and its granian worker processes."""

    def __init__(self, env: dict, log_path: Path):
        self.env, self.log_path = env, log_path
        self.port = int(env["PORT"])
        self.data_dir = Path(env["PORTAL_DATA_DIR"])
        self.proc: subprocess.Popen | None = None
        self._terminated = False
        self.workers: list[int] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, *, build: bool) -> Node:
        run_args = ["run", "--env", "prod", "--single-port", "--loglevel", "warning"]
        launcher = ([str(BIN / "reflex"), *run_args] if build else
                    [sys.executable, str(Path(__file__).with_name("serve_built.py")),
                     *run_args[1:]])
        self._terminated = False
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(launcher, env=self.env, cwd=ROOT, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self, expected_workers: int) -> Node:
        """Until the node answers a page on its own port; then note its workers."""
        deadline = time.monotonic() + START_SECONDS
        url = f"http://{self.address}/login"
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"portal exited:\n{self.log_tail()}")
            try:
                if httpx.get(url, timeout=2, follow_redirects=True).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"portal did not start:\n{self.log_tail()}")
            time.sleep(0.5)
        # granian runs the app in worker processes under the `reflex run` process.
        self.workers = children(self.proc.pid)
        if len(self.workers) != expected_workers:
            self.kill()
            raise RuntimeError(f"expected {expected_workers} worker processes, "
                               f"found {len(self.workers)}: {self.workers}")
        return self

    def log_tail(self) -> str:
        return self.log_path.read_text()[-4000:]

    def kill(self) -> None:
        """SIGKILL the whole process group, as a machine that dies."""
        if self.proc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)
        self.workers = []

    def terminate(self) -> None:
        """SIGTERM the process group (`stop` waits for it)."""
        if self.proc and self.proc.poll() is None and not self._terminated:
            self._terminated = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.workers = []
