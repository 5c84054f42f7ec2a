"""What every Referrals handler shares: the app check, in one place.

`referrals_event` is `client_event(app=apps.REFERRALS)`: a signed-in client with a
selected record who may use the Referrals app now (the business has it on, and the
record holds a grant or the business opened the app to every client). Every id
then goes to a service that checks it belongs to this client's referrer.
"""

from __future__ import annotations

from collections.abc import Callable

from portal_app import apps
from state.guards import client_event


def referrals_event(fn: Callable | None = None, *, on_error: str | None = None,
                    page: bool = False):
    """A Referrals handler: a signed-in client with a selected record and the app."""
    decorate = client_event(app=apps.REFERRALS, on_error=on_error, page=page)
    return decorate(fn) if fn is not None else decorate
