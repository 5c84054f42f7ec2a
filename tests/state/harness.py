"""Call State handlers in-process the way Reflex's event processor does:
`fn(substate, **payload)` on a real State tree whose router carries the
websocket handshake headers (and so our cookie, or none)."""

import asyncio
import inspect

from reflex.istate.data import RouterData
from reflex.state import State

import portal_app.portal_app  # noqa: F401  (registers every page's State)
from portal_app.services.sessions import COOKIE_NAME


def our_state_classes() -> list[type[State]]:
    found: list[type[State]] = []

    def walk(cls):
        # Sorted: a set's order differs between processes, and parallel workers must
        # collect the same parametrised tests in the same order.
        for sub in sorted(cls.get_substates(), key=lambda c: c.get_full_name()):
            if sub.__module__.startswith("state."):
                found.append(sub)
            walk(sub)

    walk(State)
    return found


def our_handlers() -> list[tuple[type[State], str]]:
    """Every public event handler defined by our State classes (setvar aside)."""
    pairs = []
    for cls in our_state_classes():
        for name in sorted(cls.event_handlers):
            if name != "setvar":
                pairs.append((cls, name))
    return pairs


def new_tab(cookie_token: str | None = None, *, ip: str = "203.0.113.9", path: str = "/"):
    """A fresh root state, as for a new websocket connection."""
    root = State(_reflex_internal_init=True)
    headers = {"user-agent": "pytest", "host": "127.0.0.1"}
    if cookie_token:
        headers["cookie"] = f"{COOKIE_NAME}={cookie_token}"
    router_data = {"headers": headers, "ip": ip, "token": "tab-token", "pathname": path}
    root.router_data = router_data
    root.router = RouterData.from_router_data(router_data)
    return root


def substate(root, cls):
    return root.get_substate(cls.get_full_name().split(".")[1:])


def call(root, cls, name: str, *args):
    """Run one handler; return whatever it returned (events, or None)."""
    target = substate(root, cls)
    fn = cls.event_handlers[name].fn
    result = fn(target, *args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return result


def all_vars(root) -> str:
    """Everything the browser could be sent from this tree, as text."""
    return repr(root.dict())


def signed_in_client(session, name: str, **perms):
    """A one-record household, signed in; `perms` turns permissions off (billing=False).
    Returns (cookie token, client)."""
    from portal_app.services.sessions import create_ticket, redeem_ticket
    from portal_app.timeouts import session_timeouts
    from tests import factories

    account, clients = factories.household(session, names=(name,), access="active")
    for key, value in perms.items():
        setattr(clients[0], f"perm_{key}", value)
        session.add(clients[0])
    ticket = create_ticket(session, kind="client", account_id=account.id,
                           selected_client_id=clients[0].id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    session.commit()
    return token, clients[0]


def tab_at(cookie_token: str | None, url: str):
    """A new tab whose page URL (and so its query parameters) is `url`."""
    root = new_tab(cookie_token)
    root.router_data["asPath"] = url
    root.router = RouterData.from_router_data(root.router_data)
    return root


def page_events(result) -> list:
    """What a client page's load returned after the event setting the page's `lang`,
    which such a load (`client_event(page=True)`) sends first: it refreshes the
    branding in its own event. Fails when that event is missing."""
    events = list(result) if isinstance(result, list | tuple) else [result]
    assert events and "document.documentElement.lang" in repr(events[0]), events
    return events[1:]
