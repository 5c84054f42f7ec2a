"""How the server process is tuned for steady traffic, installed by the composition
root (portal_app/portal_app.py `tune_server(app)`). Measured with bench/load.py's open
loop (200 tabs at one action per second each, 1 sign-in/s) on the small business;
figures in the commit messages.

The disk state manager's sweep. Reflex 0.10's `StateManagerDisk` writes a tab's changed
states 2 s after its event (debounced) from one background task, and after every pass
over that write queue it lists the states folder and stats every file, to delete those
older than the token expiry (an hour). Under steady traffic the queue is never empty, so
the next pass is due within milliseconds and the sweep runs back to back: with a few
thousand state files (about fifteen per tab, kept an hour after the tab closed) each
sweep is ~45 ms of CPU, and at 100 actions/s the sweeps took ~0.4 of a core whatever the
load. A file that lives an hour may go a minute late: `ThrottledStateManagerDisk` sweeps
at most once a minute; the writes, the in-memory expiry and the rest are Reflex's own
(reflex-dev/reflex#7060, open, proposes the same upstream).

The disk state manager's write delay. A tab's changed states are pickled and written
once per debounce window, however many events it ran in it: at one action per second a
tab ran ~2 events per write with Reflex's 2 s, ~10 with `WRITE_DEBOUNCE_S` (10 s).
The disk copy is read only after a restart (Reflex flushes the queue when it stops), so
a crash may lose up to 10 s of a tab's page state (never business data: that is in the
database). An operator's REFLEX_STATE_MANAGER_DISK_DEBOUNCE still wins.

The garbage collector's thresholds. Every tab's states stay in memory for the hour
after its last event, so the oldest generation grows with the tabs the worker has seen,
and Python's default thresholds (700, 10, 10) ran a full collection every ~2 s at 200
actions/s, each 120-320 ms with the loop stopped (growing with the tabs kept). Reflex
already freezes the start-up heap before forking its workers; `tune_gc` raises the
thresholds in each worker (a lifespan task) so young objects (an event's rows, deltas,
coroutines) die before promotion and full collections become rare.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time

from reflex.istate.manager.disk import StateManagerDisk

PURGE_EVERY_S = 60.0
WRITE_DEBOUNCE_S = 10.0
DEBOUNCE_VARS = ("REFLEX_STATE_MANAGER_DISK_DEBOUNCE", "REFLEX_STATE_MANAGER_DISK_DEBOUNCE_SECONDS")
GC_THRESHOLDS = (10_000, 20, 50)


@dataclasses.dataclass
class ThrottledStateManagerDisk(StateManagerDisk):
    """`StateManagerDisk` whose expired-file sweep runs at most every `purge_every_s`."""

    purge_every_s: float = PURGE_EVERY_S
    _next_purge: float = dataclasses.field(default=0.0, init=False)

    def _purge_expired_states(self) -> None:
        now = time.monotonic()
        if now < self._next_purge:
            return
        self._next_purge = now + self.purge_every_s
        super()._purge_expired_states()


def use_throttled_disk_state(app) -> None:
    """Give `app` the throttled disk state manager in place of Reflex's own disk one,
    before the server starts (nothing is stored in it yet), writing a tab's states
    `WRITE_DEBOUNCE_S` after its event unless the environment says otherwise. Redis
    and memory state managers are left as they are."""
    current = getattr(app, "_state_manager", None)
    if type(current) is StateManagerDisk:
        manager = ThrottledStateManagerDisk()
        if not any(os.environ.get(name) for name in DEBOUNCE_VARS):
            manager._write_debounce_seconds = WRITE_DEBOUNCE_S
        app._state_manager = manager


def tune_gc() -> None:
    """Raise the collector's thresholds in this worker (`GC_THRESHOLDS`)."""
    gc.set_threshold(*GC_THRESHOLDS)


def tune_server(app) -> None:
    use_throttled_disk_state(app)
    app.register_lifespan_task(tune_gc)
