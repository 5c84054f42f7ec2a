"""Whose tab to update after a payment (read-only): the live-update channel
(portal_app/live.py) asks, after a webhook recorded a payment, which client
paid and from which tab."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from models import CheckoutAttempt


@dataclass(frozen=True)
class PayerTab:
    client_id: int
    tab_token: str  # "" when the checkout was not started from a known tab


def payer_of_checkout(session: Session, *, provider_session_id: str) -> PayerTab | None:
    """The client (and tab) that started the checkout `provider_session_id`; None
    for an unknown or empty id."""
    if not provider_session_id:
        return None
    row = session.exec(select(CheckoutAttempt.tab_token, CheckoutAttempt.client_id).where(
        CheckoutAttempt.provider_session_id == provider_session_id)).first()
    if row is None:
        return None
    token, client_id = row
    return PayerTab(client_id=client_id, tab_token=token or "")
