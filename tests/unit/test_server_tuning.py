"""The server's tuning (portal_app/server_tuning.py): the disk state manager sweeps
expired state files at most once a minute, and the app runs with it."""

import os
import time

from reflex.istate.manager.disk import StateManagerDisk

from portal_app import server_tuning
from portal_app.server_tuning import ThrottledStateManagerDisk, use_throttled_disk_state


def _expired(folder, name: str):
    path = folder / name
    path.write_bytes(b"x")
    old = time.time() - 2 * 3600  # past the hour a tab's state is kept
    os.utime(path, (old, old))
    return path


def test_expired_state_files_are_swept_at_most_once_a_minute(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path))
    first = _expired(tmp_path, "first.pkl")
    manager = ThrottledStateManagerDisk()  # Reflex sweeps once when it is made
    assert manager.states_directory == tmp_path.absolute()
    assert not first.exists()

    later = _expired(tmp_path, "later.pkl")
    fresh = tmp_path / "fresh.pkl"
    fresh.write_bytes(b"x")
    manager._purge_expired_states()  # the write queue's next pass, within the minute
    assert later.exists()

    monkeypatch.setattr(server_tuning.time, "monotonic",
                        lambda: manager._next_purge + 1)  # a minute on
    manager._purge_expired_states()
    assert not later.exists() and fresh.exists()


def test_the_app_keeps_tab_states_in_the_throttled_disk_manager(tmp_path, monkeypatch):
    import portal_app.portal_app as composition

    # Without Redis (as the tests run) the app's state manager is the throttled one.
    assert type(composition.app._state_manager) is ThrottledStateManagerDisk

    monkeypatch.setenv("REFLEX_STATES_WORKDIR", str(tmp_path))

    class App:
        _state_manager = StateManagerDisk()

    app = App()
    for name in server_tuning.DEBOUNCE_VARS:
        monkeypatch.delenv(name, raising=False)
    use_throttled_disk_state(app)
    assert type(app._state_manager) is ThrottledStateManagerDisk
    assert app._state_manager._write_debounce_seconds == server_tuning.WRITE_DEBOUNCE_S
    app._state_manager = StateManagerDisk()
    monkeypatch.setenv("REFLEX_STATE_MANAGER_DISK_DEBOUNCE", "3")  # the operator's wins
    use_throttled_disk_state(app)
    assert app._state_manager._write_debounce_seconds == 3
    other = object()  # a Redis or memory manager is left alone
    app._state_manager = other
    use_throttled_disk_state(app)
    assert app._state_manager is other


def test_each_worker_raises_the_collectors_thresholds_at_start():
    import gc

    import portal_app.portal_app as composition
    from portal_app.server_tuning import GC_THRESHOLDS, tune_gc

    assert tune_gc in composition.app._lifespan_tasks
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert GC_THRESHOLDS[0] > before[0]
    finally:
        gc.set_threshold(*before)
