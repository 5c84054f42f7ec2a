"""What every Courses handler shares: the app check, in one place.

`courses_event` is `client_event(app="courses")`: a signed-in client with a selected
record who may use the Courses app now (the business has it on and the record holds
an active grant to it or to one of its courses; the session check works that out
on every event, at no extra statement). Each course and lesson is then checked by
the services (services/courses/access.py).
"""

from __future__ import annotations

from collections.abc import Callable

from portal_app import apps
from state.guards import client_event


def courses_event(fn: Callable | None = None, *, on_error: str | None = None,
                  page: bool = False):
    """A Courses handler: a signed-in client with a selected record and the app."""
    decorate = client_event(app=apps.COURSES, on_error=on_error, page=page)
    return decorate(fn) if fn is not None else decorate
