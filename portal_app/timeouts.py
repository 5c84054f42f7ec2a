"""Session time limits from settings."""

from datetime import timedelta
from functools import lru_cache

from portal_app.services.sessions import SessionTimeouts
from portal_app.settings import get_settings


def session_timeouts() -> SessionTimeouts:
    s = get_settings()
    return _timeouts(s.session_idle_minutes, s.session_absolute_hours)


@lru_cache(maxsize=4)
def _timeouts(idle_minutes: float, absolute_hours: float) -> SessionTimeouts:
    # Made once per pair of settings (frozen, so shared): every private event asks.
    return SessionTimeouts(idle=timedelta(minutes=idle_minutes),
                           absolute=timedelta(hours=absolute_hours))
