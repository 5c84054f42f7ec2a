"""Whose tab a recorded payment updates (read-only, no Reflex)."""

from datetime import date

from models import CheckoutAttempt, Invoice
from portal_app.services.billing.live_lookup import PayerTab, payer_of_checkout
from tests import factories


def _attempt(session, *, session_id: str, tab: str) -> int:
    factories.business(session)
    _, clients = factories.household(session, names=("Payer",))
    invoice = Invoice(number=f"INV-{session_id}", client_id=clients[0].id,
                      issue_date=date(2030, 1, 1))
    session.add(invoice)
    session.flush()
    session.add(CheckoutAttempt(invoice_id=invoice.id, client_id=clients[0].id, amount_minor=500,
                                currency="USD", provider="test", provider_session_id=session_id,
                                tab_token=tab))
    session.commit()
    return clients[0].id


def test_payer_of_checkout_names_the_client_and_their_tab(session):
    client_id = _attempt(session, session_id="cs_1", tab="tab-9")
    assert payer_of_checkout(session, provider_session_id="cs_1") == PayerTab(client_id, "tab-9")


def test_payer_of_checkout_without_a_tab_gives_an_empty_token(session):
    client_id = _attempt(session, session_id="cs_2", tab="")
    assert payer_of_checkout(session, provider_session_id="cs_2") == PayerTab(client_id, "")


def test_payer_of_an_unknown_or_empty_checkout_is_none(session):
    _attempt(session, session_id="cs_3", tab="tab-1")
    assert payer_of_checkout(session, provider_session_id="cs_other") is None
    assert payer_of_checkout(session, provider_session_id="") is None
