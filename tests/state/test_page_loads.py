"""A client page opened is Reflex's three events: its on_load chain is the page's own
load (`client_event(page=True)`), which refreshes the branding and the language in
that same event; public and console pages keep `BrandState.load` in their chain (and
the client pages too with the Redis state manager, where the branding is not in memory
during the page's event)."""

import pytest

from portal_app.portal_app import app
from state.brand import BrandState, set_html_lang
from state.client_pages import DashboardState
from state.payments import InvoiceState
from state.session import ClientState
from tests import factories
from tests.state.harness import call, new_tab, page_events, signed_in_client, substate


def _routes() -> list[str]:
    return sorted("/" + (route if route != "index" else "")
                  for route in app._unevaluated_pages)


def _chain(route: str) -> list:
    return [h for h in app.get_load_events(route) or [] if hasattr(h, "fn")]


def test_every_client_page_refreshes_the_branding_in_its_own_load():
    client_pages = []
    for route in _routes():
        chain = _chain(route)
        names = [h.fn.__qualname__ for h in chain]
        client = [h for h in chain if issubclass(h.state, ClientState)]
        if client:
            client_pages.append(route)
            assert "BrandState.load" not in names, (route, names)  # no separate event
            assert any(getattr(h.fn, "__page_load__", False) for h in client), (route, names)
        elif chain and not route.startswith("/dev/"):
            assert names[0] == "BrandState.load", (route, names)  # public and console pages
    assert {"/dashboard", "/bookings", "/payments/invoice", "/messages",
            "/community/group", "/welcome"} <= set(client_pages)


def test_a_page_load_shows_the_business_branding_and_language_in_the_same_event(
        engine, session):
    business = factories.business(session, name="Calm Clinic", language="es")
    token, client = signed_in_client(session, "Ana")
    client.language = ""
    session.add(client)
    business.name = "Calm Clinic & Spa"
    session.add(business)
    session.commit()
    tab = new_tab(token)
    brand = substate(tab, BrandState)
    events = call(tab, DashboardState, "load")

    page_events(events)  # the event setting the page's language comes first
    assert brand.business_name == "Calm Clinic & Spa" and brand.loaded
    assert brand.lang == "es" and events[0] == set_html_lang("es") != set_html_lang("en")


def test_without_the_branding_in_memory_the_chain_keeps_the_branding_event(
        engine, session, monkeypatch):
    """Reflex's Redis state manager loads only the event's own states: the page's load
    then leaves the branding alone (no event chained from it: that made each page ~10×
    slower there) and the client pages' chains lead with `BrandState.load` instead."""
    import portal_app.portal_app as built

    factories.business(session)
    session.commit()
    token, _client = signed_in_client(session, "Ana")
    tab = new_tab(token)
    tab.substates.pop(BrandState.get_name())
    assert "document.documentElement.lang" not in repr(call(tab, DashboardState, "load"))

    monkeypatch.setattr(built, "settings", type("S", (), {"redis_url": "redis://x"})())
    chain = built.client_page_load(DashboardState.load)
    assert chain[0] is built.brand and chain[1:] == [DashboardState.load]
    monkeypatch.setattr(built, "settings", type("S", (), {"redis_url": ""})())
    assert built.client_page_load(DashboardState.load) == [DashboardState.load]


def test_a_signed_out_tab_is_only_sent_away(engine, session):
    factories.business(session)
    session.commit()
    events = call(new_tab(None), InvoiceState, "load")
    assert "document.documentElement.lang" not in repr(events)
    assert "/login" in repr(events)


@pytest.mark.parametrize("route", ["/login", "/console", "/"])
def test_public_and_console_pages_keep_the_branding_event(route):
    assert [h.fn.__qualname__ for h in _chain(route)][0] == "BrandState.load"
