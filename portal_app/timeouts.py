"""Session time limits from settings."""

from datetime import timedelta

from portal_app.services.sessions import SessionTimeouts
from portal_app.settings import get_settings


def session_timeouts() -> SessionTimeouts:
    s = get_settings()
    return SessionTimeouts(
        idle=timedelta(minutes=s.session_idle_minutes),
        absolute=timedelta(hours=s.session_absolute_hours),
    )
