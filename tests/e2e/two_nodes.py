"""The browser suite's `scale` mode: the portal deployed as two machines would run it.

Two portal nodes, each its own process group with its own `PORTAL_DATA_DIR` (no
shared disk), sharing what machines share: one PostgreSQL database, one Redis, one
S3 bucket (moto's server, tests/s3_server.py) and the secret key. nginx (Debian's
package; scripts/ensure_nginx.sh) listens on the address the frontend build names
(`PORTAL_BASE_URL`) and spreads requests over the nodes (least connections, websockets
included), skipping a dead node (the README's scale-out recipe, plus a log of which
node answered each request). The dev mailbox (`PORTAL_MAIL_DIR`, the file email
backend) is one folder for both nodes: it stands in for the email provider, which
every machine reaches alike.

Without nginx the scale mode skips on a laptop and fails in CI (CI=true)."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.e2e.launch import Node, free_port

NGINX = os.environ.get("PORTAL_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
NODE_WORKERS = int(os.environ.get("PORTAL_E2E_WORKERS", "1"))  # granian workers per node
ACCESS_LINE = re.compile(r'^(?P<upstream>.+) (?P<status>\d{3}) "(?P<method>\S+) (?P<uri>\S+)"$')

NGINX_CONF = """\
{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    # Which node answered each request (a retried request lists both); the path
    # without its query string (no websocket ?token=, no invitation ?key=).
    log_format nodes '$upstream_addr $status "$request_method $uri"';
    access_log {prefix}/access.log nodes;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # least_conn, not plain round-robin: round-robin counts requests, and a page
    # load is a fixed number of requests and then its websocket, so every new tab's
    # websocket can land on the same node; least_conn spreads the long-lived
    # websockets and still alternates short requests (ties go round-robin).
    upstream portal {{
        least_conn;
        server {node_a} max_fails=1 fail_timeout=5s;
        server {node_b} max_fails=1 fail_timeout=5s;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 26m;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def need_nginx() -> None:
    from tests.services import missing

    if not Path(NGINX).exists():
        missing(f"nginx not found at {NGINX} (install Debian's nginx; make test does as root)")


def scale_env() -> tuple[dict, Callable[[], None]]:
    """What both nodes share: a fresh PostgreSQL database, a Redis database, an S3
    bucket on a moto server; and the cleanup."""
    from tests.s3_server import S3Server
    from tests.services import create_pg_database, drop_pg_database, need_redis

    need_nginx()
    # Reflex's Redis keys are per tab token (random) and the portal's live-update
    # channel is per database, so runs sharing a Redis never mix; a database number
    # of its own keeps a run's keys apart for inspection too.
    redis_url = need_redis(random.randint(1, 15))
    db_url = create_pg_database("portal_e2e")
    try:
        s3 = S3Server.start()
    except BaseException:  # moto missing: skipped (or failed in CI) without a stray db
        drop_pg_database(db_url)
        raise

    def cleanup():
        drop_pg_database(db_url)
        s3.stop()

    env = {"DATABASE_URL": db_url, "REDIS_URL": redis_url, "PORTAL_TRUSTED_PROXY_HOPS": "1",
           "GRANIAN_WORKERS": str(NODE_WORKERS), **s3.env(s3.new_bucket("portal-e2e"))}
    return env, cleanup


class Nginx:
    def __init__(self, prefix: Path, port: int, nodes: list[Node]):
        self.prefix, self.port = prefix, port
        prefix.mkdir(parents=True, exist_ok=True)
        # A root master starts its workers as `nobody`, who could not write the
        # temp folders here (a large upload is buffered there): keep them root.
        user = "user root;\n" if os.geteuid() == 0 else ""
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=port,
                                               node_a=nodes[0].address,
                                               node_b=nodes[1].address))
        self.access_log = prefix / "access.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Nginx:
        # -e: the error log from the first line (before the configuration is read).
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.prefix /
                                                                           "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited:\n{self.errors()}")
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/ping", timeout=2)
                return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not start:\n{self.errors()}")

    def errors(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text()[-4000:] if path.exists() else ""

    def log_size(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def requests_since(self, offset: int) -> list[dict]:
        """The requests nginx logged after `offset` (log_size() taken before)."""
        with open(self.access_log, "rb") as handle:
            handle.seek(offset)
            lines = handle.read().decode().splitlines()
        return [m.groupdict() for line in lines if (m := ACCESS_LINE.match(line))]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # nginx's fast shutdown
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class TwoNodes:
    """nginx on `port` in front of node A and node B (`nodes`)."""

    def __init__(self, tmp: Path, env: dict, port: int):
        self.nodes: list[Node] = []
        for name in ("a", "b"):
            data = tmp / f"node-{name}"
            self.nodes.append(Node({**env, "PORT": str(free_port()),
                                    "PORTAL_DATA_DIR": str(data / "data"),
                                    # Reflex's public /_upload folder, and the folder
                                    # each `reflex run` empties as it starts (two nodes
                                    # starting at once in one .states would race).
                                    "REFLEX_UPLOADED_FILES_DIR": str(data / "uploaded_files"),
                                    "REFLEX_STATES_WORKDIR": str(data / "states")},
                                   tmp / f"node-{name}.log"))
        self.nginx = Nginx(tmp / "nginx", port, self.nodes)

    @property
    def workers(self) -> list[int]:
        return [pid for node in self.nodes for pid in node.workers]

    def start_nodes(self, *, build: bool) -> TwoNodes:
        """Both nodes, on ports of their own (nginx not yet). With `build`, node A
        builds the frontend (naming nginx's address) before node B serves that build;
        else both serve the build already there, started side by side."""
        try:
            if build:
                self.nodes[0].start(build=True).wait_ready(NODE_WORKERS)
                self.nodes[1].start(build=False).wait_ready(NODE_WORKERS)
            else:
                for node in self.nodes:
                    node.start(build=False)
                with ThreadPoolExecutor(2) as pool:
                    list(pool.map(lambda node: node.wait_ready(NODE_WORKERS), self.nodes))
        except BaseException:
            self.stop()
            raise
        return self

    def open(self) -> TwoNodes:
        """nginx in front of the started nodes, on the address the build names."""
        try:
            self.nginx.start()
        except BaseException:
            self.stop()
            raise
        return self

    def start(self, *, build: bool) -> TwoNodes:
        """Both nodes, then nginx."""
        return self.start_nodes(build=build).open()

    def node_at(self, address: str) -> Node:
        return next(node for node in self.nodes if node.address == address)

    def node_that_answered(self, offset: int, method: str, uri: str) -> Node:
        """The node that answered the one `method uri` request nginx logged after
        `offset` (nginx writes the line when the answer is complete)."""
        deadline = time.monotonic() + 10
        while True:
            hits = [r for r in self.nginx.requests_since(offset)
                    if (r["method"], r["uri"]) == (method, uri)]
            if hits or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert len(hits) == 1, f"expected one {method} {uri} after {offset}: {hits}"
        return self.node_at(hits[0]["upstream"])

    def restart(self, node: Node) -> None:
        """A killed node back (its build is there), serving through nginx again."""
        node.start(build=False).wait_ready(NODE_WORKERS)

    def stop(self) -> None:
        self.nginx.stop()
        for node in self.nodes:  # both shut down at once
            node.terminate()
        for node in self.nodes:
            node.stop()
