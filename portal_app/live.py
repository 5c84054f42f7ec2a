"""Live updates pushed into a client's open tab from outside an event
(a Stripe webhook): the tab's state reloads from the database and Reflex
sends the change down the tab's websocket.

The tab is known from the checkout attempt (the tab that pressed Pay keeps
its token across the trip to Stripe). A push never fails the caller.
"""

from __future__ import annotations

import logging

from sqlmodel import select

from models import CheckoutAttempt
from portal_app.db import session_scope

log = logging.getLogger("portal.live")


async def refresh_payment_views(tab_token: str) -> None:
    """Reload the invoice and payments views of one tab."""
    if not tab_token:
        return
    from reflex.istate.manager.token import BaseStateToken

    from portal_app.portal_app import app
    from state.payments import InvoiceState, PaymentsState

    try:
        async with app.modify_state(BaseStateToken(ident=tab_token, cls=InvoiceState)) as root:
            invoice_view = await root.get_state(InvoiceState)
            invoice_view._live_refresh()
            payments_view = await root.get_state(PaymentsState)
            if payments_view.signed_in:
                payments_view._live_refresh()
    except Exception:  # a push is a courtesy: the data is already committed
        log.exception("live update to a tab failed")


async def payment_recorded(event: dict) -> None:
    """After a webhook recorded a payment: update the payer's tab."""
    session_id = str(((event.get("data") or {}).get("object") or {}).get("id") or "")
    with session_scope() as session:
        token = session.exec(select(CheckoutAttempt.tab_token).where(
            CheckoutAttempt.provider_session_id == session_id)).first()
    await refresh_payment_views(token or "")
