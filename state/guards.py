"""One way to guard a handler, per audience.

    @staff_event
    def void(self, session, ctx, invoice_id: str): ...

    @client_event(feature="documents")
    def load(self, session, ctx): ...

    @client_event(app="courses")
    def open_lesson(self, session, ctx, lesson_id: str): ...

The decorated method is an `rx.event` whose public arguments are the ones
after `session, ctx`. Each call runs in one `session_scope()`: the session
check first (`StaffState._staff` / `ClientState._client`), then the
permission, then the body. What the caller gets back:

- not signed in: the sign-in page (staff) or `_bounce()` (clients);
- a client without a selected record (when the handler needs one), or
  without the feature: the record picker, or the dashboard with a notice;
- `app=<key>` (a key of portal_app/apps.py): a client who may not use that hub
  app now (the business turned it off, or no active grant to it or its content)
  gets the dashboard and the same notice. The check reads the apps the session
  check just derived for the shell (`ClientState._client_apps`, from the shell's
  one statement), so it costs no query and a revoked grant refuses the very next
  event. It does not check one piece of content (a course): the app's services do
  (services/courses/access.py). An app page's load handler says `page=True`:
  it also sends a client who lacks the profile fields the app asks for to the
  profile-completion page first (then back), in the same event — no separate
  guard event in the page's on_load chain (`ClientState.guard_app(key)` does the
  same as a handler of its own). Every client page's load says `page=True`: it
  also refreshes the branding in its event (`brand_in_page`), so a page opened is
  Reflex's three events (on_load_internal, the load, the hydrated flip), not four;
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

from portal_app import apps, routes
from portal_app.db import session_scope
from portal_app.services.business import get_business
from portal_app.services.errors import ServiceError
from portal_app.services.hub.profile_completion import (
    completion_url,
    missing_for_app,
    missing_from,
)
from state.brand import BrandState

UNAVAILABLE = "That part of the portal is not available to you."


def refusal(state, exc: ServiceError, on_error: str | None = None):
    """A refused service call as the reader sees it: beside a field or as a toast."""
    if on_error:
        return getattr(state, on_error)(exc)
    return rx.toast.error(state._tr(exc.message))


def beside_field(state, exc: ServiceError, fields):
    """A refusal naming one of `fields` shown beside it (`state.errors`, the others
    cleared); any other refusal as a toast, every field cleared."""
    errors = dict.fromkeys(fields, "")
    if exc.field in errors:
        errors[exc.field] = state._tr(exc.message)
        state.errors = errors
        return None
    state.errors = errors
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
                 app: str | None = None, record: bool = True,
                 unavailable: str = UNAVAILABLE, on_error: str | None = None,
                 page: bool = False):
    """A client handler: a signed-in client, with a selected record unless
    `record=False`, allowed `feature` (an `Access` field) when given, and allowed
    the hub app `app` (an app key; implies a record) when given; a client without
    them is told `unavailable` on the dashboard. `page=True` (an app page's load):
    a record lacking the profile fields the app asks for goes to complete them.
    `page=True` on any client page's load: the branding is refreshed in the same event
    (see `brand_in_page`), so the page's on_load chain is its load alone."""
    if app is not None:
        if apps.get_app(app) is None:
            raise ValueError(f"client_event: unknown app {app!r}")
        record = True

    def decorate(body: Callable) -> Callable:
        def run(self, *args, **kwargs):
            shown: list = []  # a page's load: the branding's event goes first
            try:
                with session_scope() as session:
                    ctx = self._client(session)
                    if page:
                        shown = brand_in_page(self, session, ctx)
                    refused = client_refusal(self, ctx, feature=feature, app=app,
                                             record=record, unavailable=unavailable)
                    if refused is None and page and app is not None:
                        refused = profile_refusal(self, session, ctx, app)
                    if refused is not None:
                        return _after(shown, refused)
                    return _after(shown, body(self, session, ctx, *args, **kwargs))
            except ServiceError as exc:
                return _after(shown, refusal(self, exc, on_error))

        handler = _public(body, run)
        handler.__page_load__ = page  # read by the on_load chains' test
        return handler

    return decorate(fn) if fn is not None else decorate


def as_list(events) -> list:
    """A handler's answer (None, one event or several) as a list of events."""
    if events is None:
        return []
    return list(events) if isinstance(events, list | tuple) else [events]


def _after(first: list, result):
    """`result` with the events `first` before it (as it is when there are none)."""
    return [*first, *as_list(result)] if first else result


def brand_in_page(state, session, ctx) -> list:
    """A page's load (`page=True`): the branding refreshed in the same event (the client
    pages' on_load chains carry no separate `BrandState.load`); nothing for a tab that
    is not signed in (it is sent to a page that loads the branding itself)."""
    if ctx is None:
        return []
    shown = BrandState.in_page(state, ctx.business or get_business(session))
    return [] if shown is None else [shown]


def client_refusal(state, ctx, *, feature: str | None = None, app: str | None = None,
                   record: bool = True, unavailable: str = UNAVAILABLE):
    """Where a client goes when `ctx` may not run a handler; None when it may.
    `app`: the hub apps this client may use were derived by `state._client(...)`
    in this event (`state._client_apps`)."""
    if ctx is None:
        return state._bounce()
    if record and ctx.client_id is None:
        return rx.redirect(routes.SELECT_ACCOUNT)
    if feature and not getattr(ctx.access, feature):
        return [rx.redirect(routes.DASHBOARD), rx.toast.info(state._tr(unavailable))]
    if app and app not in getattr(state, "_client_apps", ()):
        return [rx.redirect(routes.DASHBOARD), rx.toast.info(state._tr(unavailable))]
    return None


def profile_refusal(state, session, ctx, app: str):
    """The profile-completion page (then back here) when the selected record lacks
    a field the hub app `app` asks for; None when it has them. The fields come with the
    shell's counts in this event (`state._profile_filled`, read by `_client`); read
    here only when they were read for another record."""
    known = getattr(state, "_profile_filled", ())
    if known and known[0] == ctx.client_id:
        missing = missing_from(str(app), known[1])
    else:
        missing = missing_for_app(session, client_id=ctx.client_id, app_key=str(app))
    if not missing:
        return None
    url = state.router.url
    here = url.path + (f"?{url.query}" if url.query else "")
    return rx.redirect(completion_url(str(app), here))
