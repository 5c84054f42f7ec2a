"""The scale mode's deployment for the browser suite (tests/e2e/two_nodes.py): its
PostgreSQL database, Redis and S3 bucket, the database migrated and seeded, and the
two nodes started; nginx last, on the address the frontend build names.

Everything but nginx needs no port of the first mode: when the run goes on to the
scale mode after the sqlite one, `Ahead` makes it in a background thread while the
sqlite mode's tests run (they leave the machine's CPU mostly idle), and the scale
mode only opens nginx once the sqlite node has stopped (~20 s less of a set-up in
which nothing else ran)."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from tests.e2e import launch, two_nodes


class ScaleDeployment:
    """Two nodes behind nginx on `port`; `make_env(tmp, port)` is a portal's environment."""

    def __init__(self, port: int, make_env: Callable[[Path, int], dict]):
        self.port, self._make_env = port, make_env
        self.tmp: Path | None = None
        self.env: dict = {}
        self.cluster: two_nodes.TwoNodes | None = None
        self._cleanup: Callable[[], None] = lambda: None

    def prepare(self, *, build: bool) -> ScaleDeployment:
        """Everything but nginx: shared services, the database, both nodes started."""
        extra, self._cleanup = two_nodes.scale_env()
        self.tmp = Path(tempfile.mkdtemp(prefix="portal-e2e-scale-"))
        self.env = {**self._make_env(self.tmp, self.port), **extra}
        launch.prepare_database(self.env)
        self.cluster = two_nodes.TwoNodes(self.tmp, self.env, self.port)
        self.cluster.start_nodes(build=build)
        return self

    def open(self) -> ScaleDeployment:
        self.cluster.open()
        return self

    def stop(self) -> None:
        try:
            if self.cluster:
                self.cluster.stop()
        finally:
            self._cleanup()


class Ahead:
    """`deployment.prepare(build=False)` in a background thread: `take()` waits for it
    (and raises what it raised, a skip or a failure included); `cancel()` waits and
    stops what it started (a run that never reached the scale mode)."""

    def __init__(self, deployment: ScaleDeployment):
        self.deployment = deployment
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="scale-mode-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.deployment.prepare(build=False)
        except BaseException as exc:  # re-raised in the test thread by take()
            self.error = exc

    def take(self) -> ScaleDeployment:
        self._thread.join()
        if self.error is not None:
            self.deployment.stop()
            raise self.error
        return self.deployment

    def cancel(self) -> None:
        self._thread.join()
        self.deployment.stop()
