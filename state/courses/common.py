"""What every Courses handler shares: the app check, in one place.

`courses_event` is `client_event` plus "this client may use the Courses app now"
(the business has it on and the record holds an active grant to it or to one of
its courses). When state/guards.py offers `client_event(app="courses")` (the hub's
part of the issue), this decorator becomes that one line. Each course and lesson is
then checked by the services (services/courses/access.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import reflex as rx

from portal_app import apps, routes
from portal_app.services.business import get_business
from portal_app.services.hub.entitlements import client_apps
from state.guards import UNAVAILABLE, client_event


def app_refusal(state, session, ctx):
    """The dashboard with a notice when this record may not use Courses; else None."""
    business = ctx.business or get_business(session)
    if apps.COURSES not in client_apps(session, business=business, client_id=ctx.client_id):
        return [rx.redirect(routes.DASHBOARD), rx.toast.info(state._tr(UNAVAILABLE))]
    return None


def courses_event(fn: Callable | None = None, *, on_error: str | None = None):
    """A Courses handler: a signed-in client with a selected record and the app."""

    def decorate(body: Callable) -> Callable:
        @functools.wraps(body)
        def checked(self, session, ctx, *args, **kwargs):
            refused = app_refusal(self, session, ctx)
            if refused is not None:
                return refused
            return body(self, session, ctx, *args, **kwargs)

        return client_event(checked, on_error=on_error)

    return decorate(fn) if fn is not None else decorate
