"""What `make bench` adds to the app, and only then (PORTAL_BENCH=1; the
settings refuse it in production, and only portal_app/portal_app.py's bench
switch imports this module into the app; the benchmark reads its names).

- The floor: a trivial counter event on its own page, so the benchmark can
  compare the portal's events with the least a Reflex event costs in the
  same app, config and process; and the page floor, a page whose on_load is
  that event alone (the least a page open costs).
- A SQL statement counter: every statement any engine of this process runs
  bumps a counter in a small memory-mapped file `sql-<pid>.count` under
  PORTAL_BENCH_DIR, which the benchmark reads from outside. One file per
  process, so several workers are counted too.
"""

from __future__ import annotations

import itertools
import mmap
import os
import struct
from pathlib import Path

import reflex as rx
from sqlalchemy import event
from sqlalchemy.engine import Engine

BENCH_COUNTER = "/bench/counter"
# The page floor: a page whose on_load is the trivial event alone.
BENCH_PAGE = "/bench/page"
COUNT_FORMAT = struct.Struct("<Q")


class BenchCounterState(rx.State):
    """The trivial event of the floor measurement: no database, one var."""

    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def counter_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Bench counter", as_="h1"),
        rx.text(BenchCounterState.count, data_testid="bench-count"),
        rx.button("Add one", on_click=BenchCounterState.increment),
        padding="2em",
    )


def floor_page() -> rx.Component:
    """The least a page open costs in Reflex: on_load_internal, one trivial on_load
    (`increment`) and the hydrated flip — what every portal page pays before its own work."""
    return rx.vstack(rx.heading("Bench page", as_="h1"),
                     rx.text(BenchCounterState.count), padding="2em")


class StatementCounter:
    """`before_cursor_execute` listener: counts into `sql-<pid>.count`.

    The file is (re)opened when the pid changes, so a worker forked from a
    process that already counted starts its own file at zero.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._pid: int | None = None
        self._map: mmap.mmap | None = None
        self._counter = itertools.count(1)

    def _open(self, pid: int) -> None:
        fd = os.open(self.folder / f"sql-{pid}.count", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, COUNT_FORMAT.size)
            self._map = mmap.mmap(fd, COUNT_FORMAT.size)
        finally:
            os.close(fd)
        self._pid = pid
        self._counter = itertools.count(1)

    def __call__(self, *_args) -> None:
        pid = os.getpid()
        if pid != self._pid:
            self._open(pid)
        # next() on itertools.count is atomic under the GIL (queries also run in threads).
        COUNT_FORMAT.pack_into(self._map, 0, next(self._counter))


def read_statement_counts(folder: Path) -> int:
    """The sum over every process's counter file (the benchmark's side)."""
    total = 0
    for path in Path(folder).glob("sql-*.count"):
        data = path.read_bytes()
        if len(data) >= COUNT_FORMAT.size:
            total += COUNT_FORMAT.unpack_from(data)[0]
    return total


def install_statement_counter() -> None:
    """Count every SQL statement of this process when PORTAL_BENCH_DIR is set."""
    folder = os.environ.get("PORTAL_BENCH_DIR", "").strip()
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        event.listen(Engine, "before_cursor_execute", StatementCounter(Path(folder)))
