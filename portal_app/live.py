"""Live updates pushed into open tabs from outside their own events (a staff
reply, a shared document, a Stripe webhook): the tab's page state reloads
from the database and Reflex sends the change down the tab's websocket.

Tabs are remembered per client record (and for staff) when they run an
event; the registry lives in this process (one worker by default; scaling
out across workers is the Redis issue). A push never fails its caller and
never runs inside the caller's own event: it is scheduled as a task.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

from sqlmodel import select

from models import CheckoutAttempt
from portal_app.db import session_scope

log = logging.getLogger("portal.live")

MAX_TABS_PER_KEY = 20
STAFF = ("staff", 0)
_tabs: dict[tuple[str, int], OrderedDict[str, None]] = {}


def watch(kind: str, key: int, token: str) -> None:
    """Remember that tab `token` shows `kind`/`key` (newest kept, bounded)."""
    if not token:
        return
    tabs = _tabs.setdefault((kind, key), OrderedDict())
    tabs[token] = None
    tabs.move_to_end(token)
    while len(tabs) > MAX_TABS_PER_KEY:
        tabs.popitem(last=False)


def tabs_of(kind: str, key: int) -> list[str]:
    return list(_tabs.get((kind, key), ()))


def _page_states():
    """Which state refreshes for which page path."""
    from state import live_pages

    return live_pages.PAGE_STATES


async def refresh_tab(token: str) -> None:
    """Reload the bell and the open page of one tab."""
    from reflex.istate.manager.token import BaseStateToken

    from portal_app.portal_app import app
    from state.session import AuthBase

    try:
        async with app.modify_state(BaseStateToken(ident=token, cls=AuthBase)) as root:
            path = (root.router.url.path or "/").rstrip("/") or "/"
            states = _page_states()
            # Any other client page still has the bell in its header.
            default = () if path.startswith("/console") else states["*client*"]
            for cls in states.get(path, default):
                page_state = await root.get_state(cls)
                page_state._live_refresh()
    except Exception:  # a push is a courtesy: the data is already committed
        log.exception("live update to a tab failed")


def _schedule(tokens: list[str], exclude: str = "") -> None:
    tokens = [t for t in tokens if t and t != exclude]
    if not tokens:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # not inside the server's loop (a CLI job): the next page load shows it
    for token in tokens:
        loop.create_task(refresh_tab(token))


def client_changed(client_id: int, *, exclude: str = "") -> None:
    """Something the client sees changed: refresh their open tabs."""
    _schedule(tabs_of("client", client_id), exclude)


def staff_changed(*, exclude: str = "") -> None:
    """Something staff see changed (a client's message): refresh console tabs."""
    _schedule(tabs_of(*STAFF), exclude)


async def payment_recorded(event: dict) -> None:
    """After a webhook recorded a payment: update the payer's tabs."""
    session_id = str(((event.get("data") or {}).get("object") or {}).get("id") or "")
    with session_scope() as session:
        row = session.exec(select(CheckoutAttempt.tab_token, CheckoutAttempt.client_id).where(
            CheckoutAttempt.provider_session_id == session_id)).first()
    if row is None:
        return
    token, client_id = row
    tokens = list(dict.fromkeys([token, *tabs_of("client", client_id)]))
    await asyncio.gather(*(refresh_tab(t) for t in tokens if t))
