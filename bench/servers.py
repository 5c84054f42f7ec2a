"""Starting what is measured, and reading its CPU, memory and SQL counters.

A `ServerConfig` says how the portal runs; the runner takes a list of them,
so another mode (Redis with 1 and 2 workers, say) is one more entry with
its environment, measured in the same run against the same floors.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_state import read_statement_counts

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SECRET = "bench-secret-key-0123456789-0123456789-abcdef"  # noqa: S105 - throwaway


@dataclass(frozen=True)
class ServerConfig:
    """How the portal process runs. `env` is added to the portal's environment
    (for example REDIS_URL and GRANIAN_WORKERS for a Redis mode)."""

    key: str
    label: str
    env: dict[str, str] = field(default_factory=dict)


SINGLE_PROCESS = ServerConfig("single", "1 process, disk state manager (default)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += _children(p)
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes, from /proc/<pid>/stat."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return ticks / CLK_TCK


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except OSError:
            pass
    return total


class LogPump(threading.Thread):
    """Copies a child's output to its log file and notes when each line came,
    so the start can be split into the frontend build and the backend's own start."""

    def __init__(self, stream, log_path: Path):
        super().__init__(daemon=True)
        self.stream, self.log_path = stream, log_path
        self.lines: list[tuple[float, str]] = []

    def run(self) -> None:
        with open(self.log_path, "w") as log:
            pending = ""
            for chunk in iter(lambda: self.stream.read1(4096), b""):
                text = chunk.decode(errors="replace")
                log.write(text)
                log.flush()
                pending += text
                *done, pending = re.split(r"[\r\n]", pending)
                now = time.perf_counter()
                self.lines += [(now, line) for line in done if line.strip()]

    def last(self, needle: str) -> float | None:
        times = [t for t, line in self.lines if needle in line]
        return times[-1] if times else None


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen
    log_path: Path
    bench_dir: Path | None = None
    started_s: float = 0.0
    build_s: float | None = None  # of started_s, the frontend build
    web_dir: Path | None = None

    def pids(self) -> list[int]:
        return process_tree(self.proc.pid)

    def cpu(self) -> float:
        return cpu_seconds(self.pids())

    def rss(self) -> int:
        return rss_bytes(self.pids())

    def sql(self) -> int:
        return read_statement_counts(self.bench_dir) if self.bench_dir else 0

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)


def _wait_healthy(proc: subprocess.Popen, url: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 - 127.0.0.1 only
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}: not up after {timeout} s:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)


def portal_env(config: ServerConfig, *, port: int, database_url: str, work: Path,
               web_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PORT": str(port),
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "PORTAL_ENV": "dev",
        "PORTAL_DATA_DIR": str(work / "data"),
        "DATABASE_URL": database_url,
        "PORTAL_EMAIL_BACKEND": "file",
        "PORTAL_MAIL_DIR": str(work / "mail"),
        "PORTAL_SMS_BACKEND": "none",
        "PORTAL_PAYMENTS_BACKEND": "test",
        "PORTAL_SECRET_KEY": SECRET,
        "PORTAL_CODE_SENDS_PER_IP": "100000",
        # A closed loop autosaves far faster than anyone types; the limit's own row
        # (one rate_event insert) is still written and counted.
        "PORTAL_FORM_SAVES_PER_MINUTE": "100000000",
        "PORTAL_BENCH": "1",
        "PORTAL_BENCH_DIR": str(work / "counters"),
        "REFLEX_WEB_WORKDIR": str(web_dir),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{BIN}:{os.environ.get('PATH', '')}",
    }
    for name in ("REDIS_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "RESEND_API_KEY",
                 "GRANIAN_WORKERS"):
        env.pop(name, None)
    env.update(config.env)
    return env


def start_portal(config: ServerConfig, name: str, *, database_url: str, work: Path,
                 web_dir: Path, timeout: float = 300) -> Server:
    """`reflex run --env prod --single-port`, as `make run` and the e2e tests run
    it: it builds the frontend (into `web_dir`, one per server, since the port is
    baked into the build), then starts the backend, which serves both.
    (`--backend-only` is refused with this rxconfig, which sets frontend_port.)
    `started_s` is spawn to the first healthy answer; `build_s` the part of it
    up to the build's last progress line."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = portal_env(config, port=port, database_url=database_url, work=work, web_dir=web_dir)
    args = [str(BIN / "reflex"), "run", "--env", "prod", "--single-port", "--loglevel", "warning"]
    log_path = work / "server.log"
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE,  # noqa: S603 - our argv
                            stderr=subprocess.STDOUT, start_new_session=True)
    pump = LogPump(proc.stdout, log_path)
    pump.start()
    server = Server(name=name, port=port, proc=proc, log_path=log_path,
                    bench_dir=work / "counters", web_dir=web_dir)
    try:
        _wait_healthy(proc, f"http://127.0.0.1:{port}/api/health", log_path, timeout)
        _wait_healthy(proc, f"http://127.0.0.1:{port}/login", log_path, timeout)
    except BaseException:
        server.stop()
        raise
    up = time.perf_counter()
    server.started_s = up - started
    built = pump.last("Production Build")
    server.build_s = built - started if built else None
    return server


def start_echo(work: Path, timeout: float = 60) -> Server:
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = work / "echo.log"
    log = open(log_path, "w")  # noqa: SIM115 - the child keeps it
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.echo_server", str(port),  # noqa: S603
                             f"http://127.0.0.1:{port}"], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(name="echo", port=port, proc=proc, log_path=log_path)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"echo server did not start:\n{log_path.read_text()}") from None
            time.sleep(0.1)
    server.started_s = time.perf_counter() - started
    return server
