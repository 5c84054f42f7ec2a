"""One way to guard a handler, per audience.

    @staff_event
    def void(self, session, ctx, invoice_id: str): ...

    @client_event(feature="documents")
    def load(self, session, ctx): ...

The decorated method is an `rx.event` whose public arguments are the ones
after `session, ctx`. Each call runs in one `session_scope()`: the session
check first (`StaffState._staff` / `ClientState._client`), then the
permission, then the body. What the caller gets back:

- not signed in: the sign-in page (staff) or `_bounce()` (clients);
- a client without a selected record (when the handler needs one), or
  without the feature: the record picker, or the dashboard with a notice;
- a `ServiceError` from the body: nothing is committed and the message comes
  back as a toast in the reader's language, or goes to `on_error(self, exc)`
  (a method name) when the handler shows it beside a field instead;
- otherwise whatever the body returned.

Async handlers that read uploads keep their two steps (read the files, then
the checked transaction) and call `refusal()` themselves: a transaction must
not stay open across an upload.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import reflex as rx

from portal_app import routes
from portal_app.db import session_scope
from portal_app.services.errors import ServiceError

UNAVAILABLE = "That part of the portal is not available to you."


def refusal(state, exc: ServiceError, on_error: str | None = None):
    """A refused service call as the reader sees it: beside a field or as a toast."""
    if on_error:
        return getattr(state, on_error)(exc)
    return rx.toast.error(state._tr(exc.message))


def _public(fn: Callable, run: Callable) -> Callable:
    """`run(self, *args)` dressed as `fn` minus its `session, ctx` parameters, so
    Reflex sees the event's own arguments (and their types)."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if len(params) < 3 or [p.name for p in params[1:3]] != ["session", "ctx"]:
        raise TypeError(f"{fn.__qualname__}: a guarded handler starts (self, session, ctx, ...)")
    hidden = {"session", "ctx"}

    @functools.wraps(fn)
    def handler(self, *args, **kwargs):
        return run(self, *args, **kwargs)

    handler.__signature__ = sig.replace(parameters=[params[0], *params[3:]])
    handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k not in hidden}
    handler.__guarded__ = True
    return rx.event(handler)


def staff_event(fn: Callable | None = None, *, on_error: str | None = None):
    """A console handler: signed-in staff only (see the module docstring)."""

    def decorate(body: Callable) -> Callable:
        def run(self, *args, **kwargs):
            event, result = self._as_staff(lambda s, c: body(self, s, c, *args, **kwargs))
            if event is not None:
                return event
            if isinstance(result, ServiceError):
                return self._with_language(refusal(self, result, on_error))
            return self._with_language(result)

        return _public(body, run)

    return decorate(fn) if fn is not None else decorate


def client_event(fn: Callable | None = None, *, feature: str | None = None,
                 record: bool = True, unavailable: str = UNAVAILABLE,
                 on_error: str | None = None):
    """A client handler: a signed-in client, with a selected record unless
    `record=False`, allowed `feature` (an `Access` field) when given; a client
    without it is told `unavailable` on the dashboard."""

    def decorate(body: Callable) -> Callable:
        def run(self, *args, **kwargs):
            try:
                with session_scope() as session:
                    ctx = self._client(session)
                    refused = client_refusal(self, ctx, feature=feature, record=record,
                                             unavailable=unavailable)
                    if refused is not None:
                        return refused
                    return body(self, session, ctx, *args, **kwargs)
            except ServiceError as exc:
                return refusal(self, exc, on_error)

        return _public(body, run)

    return decorate(fn) if fn is not None else decorate


def client_refusal(state, ctx, *, feature: str | None = None, record: bool = True,
                   unavailable: str = UNAVAILABLE):
    """Where a client goes when `ctx` may not run a handler; None when it may."""
    if ctx is None:
        return state._bounce()
    if record and ctx.client_id is None:
        return rx.redirect(routes.SELECT_ACCOUNT)
    if feature and not getattr(ctx.access, feature):
        return [rx.redirect(routes.DASHBOARD), rx.toast.info(state._tr(unavailable))]
    return None
