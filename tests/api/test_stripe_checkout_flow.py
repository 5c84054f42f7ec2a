"""The whole Stripe-mode payment flow with the real stripe SDK against FakeStripe:
a signed-in client presses Pay (State handler, as the websocket calls it), the
portal opens a Checkout Session for the amount it computed, the fake "pays",
and the signed webhook records the payment and queues the receipt."""

import os
import warnings

import pytest
from reflex.event import EventSpec
from reflex.istate.data import RouterData
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning
from stripe._http_client import HTTPClient

from models import (
    CheckoutAttempt,
    Client,
    Invoice,
    InvoiceStatus,
    Payment,
    PortalAccess,
    ProcessedEvent,
)
from portal_app.api.billing_routes import billing_routes
from portal_app.providers.payments import UNREACHABLE, checkout_idempotency_key
from portal_app.settings import reset_settings_cache
from state.payments import PAY_UNAVAILABLE, InvoiceState, PaymentsState
from tests import factories
from tests.api.test_billing_routes import (
    client_token,
    make_invoice,
    receipt_messages,
    rows,
)
from tests.fake_stripe import FakeStripe
from tests.state.harness import call, new_tab, page_events, substate

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

BASE_URL = "http://portal.test"
WEBHOOK = "/api/stripe/webhook"
CHECKOUT_PATH = "/v1/checkout/sessions"


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def fake():
    with FakeStripe() as server:
        yield server


@pytest.fixture
def stripe_env(engine, fake, monkeypatch):
    """Stripe mode pointed at the fake (environment restored afterwards)."""
    values = {
        "PORTAL_PAYMENTS_BACKEND": "stripe",
        "STRIPE_SECRET_KEY": fake.secret_key,
        "STRIPE_WEBHOOK_SECRET": fake.webhook_secret,
        "STRIPE_API_BASE": fake.base_url,
        "PORTAL_BASE_URL": BASE_URL,
        # requests honours proxy variables; the fake lives on loopback.
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    reset_settings_cache()
    # The SDK's backoff between network retries (0.5 s, 1 s) shrunk for the outage test.
    monkeypatch.setattr(HTTPClient, "INITIAL_DELAY", 0.01)
    monkeypatch.setattr(HTTPClient, "MAX_DELAY", 0.02)
    try:
        yield fake
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_settings_cache()


@pytest.fixture
def world(stripe_env, session):
    factories.business(session)
    staff = factories.staff(session, role="owner")
    payer_acc, (payer,) = factories.household(session, access=PortalAccess.ACTIVE)
    other_acc, (other,) = factories.household(session, access=PortalAccess.ACTIVE)
    w = {
        "payer": payer, "other": other,
        # 80.00 with 10.00 paid offline: the balance (7000) is what the server must charge.
        "open": make_invoice(session, staff_id=staff.id, client_id=payer.id, state="partial"),
        "second": make_invoice(session, staff_id=staff.id, client_id=payer.id, price="45.50"),
        "paid": make_invoice(session, staff_id=staff.id, client_id=payer.id, state="paid"),
        "draft": make_invoice(session, staff_id=staff.id, client_id=payer.id, state="draft"),
        "void": make_invoice(session, staff_id=staff.id, client_id=payer.id, state="void"),
        "estimate": make_invoice(session, staff_id=staff.id, client_id=payer.id,
                                 kind="estimate"),
        "tiny": make_invoice(session, staff_id=staff.id, client_id=payer.id, price="0.30"),
        "theirs": make_invoice(session, staff_id=staff.id, client_id=other.id),
        "token": client_token(session, payer_acc.id, payer.id),
        "other_token": client_token(session, other_acc.id, other.id),
    }
    session.commit()
    assert w["open"].balance_minor == 7000
    return w


@pytest.fixture
def webhook():
    app = Starlette(routes=billing_routes())

    def post(fake: FakeStripe, event: dict):
        body, header = fake.signed(event)
        return TestClient(app, raise_server_exceptions=False).post(
            WEBHOOK, content=body, headers={"Stripe-Signature": header,
                                            "Content-Type": "application/json"})

    return post


# --- helpers ------------------------------------------------------------------------------


def tab(token: str | None, url: str = "/payments"):
    """A new tab whose router is at `url` (path and query), carrying the session cookie."""
    root = new_tab(token)
    data = {**root.router_data, "pathname": url.split("?")[0], "asPath": url}
    root.router_data = data
    root.router = RouterData.from_router_data(data)
    return root


def redirect_target(result) -> str | None:
    """The URL of an rx.redirect among the returned events, if any."""
    events = result if isinstance(result, list) else [result]
    for spec in events:
        if isinstance(spec, EventSpec) and spec.handler.fn.__qualname__.endswith("_redirect"):
            return {name._js_expr: value._var_value for name, value in spec.args}["path"]
    return None


def checkout_posts(fake: FakeStripe) -> list[dict]:
    return [r for r in fake.requests if r["method"] == "POST" and r["path"] == CHECKOUT_PATH]


def attempts(engine) -> list[CheckoutAttempt]:
    with Session(engine) as s:
        return list(s.exec(select(CheckoutAttempt).order_by(CheckoutAttempt.id)).all())


def invoice_now(engine, invoice_id: int) -> Invoice:
    with Session(engine) as s:
        return s.get(Invoice, invoice_id)


def payments_of(engine, invoice_id: int) -> list[Payment]:
    with Session(engine) as s:
        return list(s.exec(select(Payment).where(Payment.invoice_id == invoice_id)
                           .order_by(Payment.id)).all())


def pay_from_list(token: str, invoice_id) -> object:
    root = tab(token, "/payments")
    call(root, PaymentsState, "load")
    return call(root, PaymentsState, "pay_now", str(invoice_id))


def submit(token: str, form: dict):
    """The "+" dialog: returns (events, the error shown next to the field)."""
    root = tab(token, "/payments")
    call(root, PaymentsState, "load")
    result = call(root, PaymentsState, "submit_payment", form)
    return result, substate(root, PaymentsState).pay_error


def _assert_checkout_request(record: dict, *, attempt: CheckoutAttempt, invoice: Invoice,
                             amount: int) -> None:
    params = record["params"]
    (item,) = params["line_items"]
    price = item["price_data"]
    assert price["unit_amount"] == str(amount)
    assert price["currency"] == invoice.currency.lower() == "usd"
    assert item["quantity"] == "1"
    assert invoice.number in price["product_data"]["name"]
    assert params["mode"] == "payment"
    expected_meta = {"invoice_id": str(invoice.id), "client_id": str(invoice.client_id),
                     "attempt_id": str(attempt.id)}
    assert params["metadata"] == expected_meta
    assert params["payment_intent_data"]["metadata"] == expected_meta
    assert params["client_reference_id"] == str(attempt.id)
    assert params["success_url"].startswith(f"{BASE_URL}/payments/invoice?id={invoice.id}")
    assert params["cancel_url"].startswith(f"{BASE_URL}/payments/invoice?id={invoice.id}")
    assert record["idempotency_key"] == f"checkout-attempt-{attempt.id}"
    assert record["idempotency_key"] == checkout_idempotency_key(attempt.id)


# --- the happy path -----------------------------------------------------------------------


def test_pay_now_charges_the_balance_and_webhook_records_it(world, fake, webhook, engine):
    invoice = world["open"]

    result = pay_from_list(world["token"], invoice.id)

    (record,) = checkout_posts(fake)
    assert record["status"] == 200
    (attempt,) = attempts(engine)
    (session_id,) = fake.sessions
    assert (attempt.status, attempt.provider, attempt.provider_session_id) == (
        "open", "stripe", session_id)
    assert (attempt.amount_minor, attempt.currency, attempt.invoice_id) == (7000, "USD",
                                                                          invoice.id)
    assert attempt.tab_token == "tab-token"
    _assert_checkout_request(record, attempt=attempt, invoice=invoice, amount=7000)
    assert record["params"]["customer_email"] == world["payer"].email
    assert fake.sessions[session_id]["amount_total"] == 7000
    assert redirect_target(result) == fake.sessions[session_id]["url"] == attempt.checkout_url
    assert invoice_now(engine, invoice.id).status == InvoiceStatus.PARTIALLY_PAID
    receipts_before = len(receipt_messages(engine))

    response = webhook(fake, fake.complete(session_id))

    assert response.status_code == 200
    assert response.json()["outcome"] == "recorded"
    paid = invoice_now(engine, invoice.id)
    assert (paid.status, paid.paid_minor, paid.balance_minor) == (InvoiceStatus.PAID, 8000, 0)
    card = [p for p in payments_of(engine, invoice.id) if p.provider == "stripe"]
    assert [(p.amount_minor, p.currency, p.flag, p.provider_ref) for p in card] == [
        (7000, "USD", "", session_id)]
    assert card[0].payment_intent_id == fake.sessions[session_id]["payment_intent"]
    assert attempts(engine)[0].status == "completed"
    receipts = receipt_messages(engine)
    assert len(receipts) == receipts_before + 1
    (receipt,) = [m for m in receipts if m.idempotency_key == f"receipt-{card[0].receipt_number}"]
    assert receipt.to == world["payer"].email
    assert [a["content_type"] for a in receipt.attachments] == ["application/pdf"]
    # Stripe redelivers: nothing more.
    assert webhook(fake, fake.complete(session_id)).json()["outcome"] in ("recorded", "duplicate")
    assert len(payments_of(engine, invoice.id)) == 2
    assert len(receipt_messages(engine)) == receipts_before + 1


def test_invoice_page_pay_now_charges_the_balance(world, fake, webhook, engine):
    invoice = world["second"]
    root = tab(world["token"], f"/payments/invoice?id={invoice.id}")
    assert page_events(call(root, InvoiceState, "load")) == []
    assert substate(root, InvoiceState).found

    result = call(root, InvoiceState, "pay_now")

    (record,) = checkout_posts(fake)
    (attempt,) = attempts(engine)
    _assert_checkout_request(record, attempt=attempt, invoice=invoice, amount=4550)
    assert redirect_target(result) == attempt.checkout_url
    response = webhook(fake, fake.complete(attempt.provider_session_id))
    assert response.json()["outcome"] == "recorded"
    assert invoice_now(engine, invoice.id).status == InvoiceStatus.PAID


def test_chosen_partial_amount_is_charged(world, fake, webhook, engine):
    invoice = world["open"]

    result, error = submit(world["token"], {"invoice_id": str(invoice.id), "amount": "25.00"})

    assert error == ""
    (record,) = checkout_posts(fake)
    (attempt,) = attempts(engine)
    _assert_checkout_request(record, attempt=attempt, invoice=invoice, amount=2500)
    assert fake.sessions[attempt.provider_session_id]["amount_total"] == 2500
    assert redirect_target(result) == attempt.checkout_url
    assert webhook(fake, fake.complete(attempt.provider_session_id)).status_code == 200
    after = invoice_now(engine, invoice.id)
    assert (after.status, after.paid_minor, after.balance_minor) == (
        InvoiceStatus.PARTIALLY_PAID, 1000 + 2500, 4500)


# --- tampering ----------------------------------------------------------------------------


TAMPERING = {
    "above the balance": ("open", "70.01", "The most you can pay is the balance, $70.00."),
    "far above the balance": ("open", "999999", "The most you can pay is the balance, $70.00."),
    "below the minimum": ("open", "0.49", "The smallest online payment is $0.50."),
    "zero": ("open", "0", "Enter an amount above zero."),
    "negative": ("open", "-5.00", "Amounts cannot be negative."),
    "exponent": ("open", "1e5", "Enter an amount such as 80.00."),
    "too many decimals": ("open", "10.001", "Use at most 2 decimal places."),
    "not a number": ("open", "ten dollars", "Enter an amount such as 80.00."),
    "another household's invoice": ("theirs", "", "That invoice does not exist."),
    "a paid invoice": ("paid", "", "This invoice has nothing left to pay."),
    "a draft": ("draft", "", "That invoice does not exist."),
    "a void invoice": ("void", "", "That invoice does not exist."),
    "an estimate": ("estimate", "", "That invoice does not exist."),
    "balance below the minimum": ("tiny", "", "The balance is below the smallest online "
                                              "payment ($0.50). Please contact us."),
    "no such invoice": (None, "", "That invoice does not exist."),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_tampered_payment_is_refused_before_the_provider(world, fake, engine, case):
    which, amount, message = TAMPERING[case]
    invoice_id = world[which].id if which else 987654
    invoices_before = {k: (v.status, v.paid_minor) for k, v in world.items()
                       if isinstance(v, Invoice)}

    result, error = submit(world["token"], {"invoice_id": str(invoice_id), "amount": amount})

    assert error == message
    assert redirect_target(result) is None
    assert fake.requests == []
    assert attempts(engine) == []  # refused inside the first transaction: no row at all
    with Session(engine) as s:
        after = {k: (s.get(Invoice, v.id).status, s.get(Invoice, v.id).paid_minor)
                 for k, v in world.items() if isinstance(v, Invoice)}
    assert after == invoices_before


@pytest.mark.parametrize("raw", ["", "abc", "-1", "1.5", None, ["1"], {"id": 1},
                                 "99999999999999999999"])
def test_garbage_invoice_id_is_refused_before_the_provider(world, fake, engine, raw):
    result = pay_from_list(world["token"], raw) if isinstance(raw, str) else None
    if not isinstance(raw, str):
        root = tab(world["token"])
        call(root, PaymentsState, "load")
        result = call(root, PaymentsState, "pay_now", raw)

    assert redirect_target(result) is None
    assert "toast" in repr(result)
    assert fake.requests == []
    assert attempts(engine) == []


def test_client_without_pay_permission_is_refused(world, fake, engine, session):
    payer = session.get(Client, world["payer"].id)
    payer.perm_pay = False
    session.add(payer)
    session.commit()

    from_list = pay_from_list(world["token"], world["open"].id)
    _, error = submit(world["token"], {"invoice_id": str(world["open"].id), "amount": "25.00"})
    root = tab(world["token"], f"/payments/invoice?id={world['open'].id}")
    call(root, InvoiceState, "load")
    from_invoice = call(root, InvoiceState, "pay_now")

    assert PAY_UNAVAILABLE in repr(from_list) and PAY_UNAVAILABLE in repr(from_invoice)
    assert error == PAY_UNAVAILABLE
    assert redirect_target(from_list) is None and redirect_target(from_invoice) is None
    assert fake.requests == []
    assert attempts(engine) == []


def test_signed_out_caller_is_bounced(world, fake, engine):
    for token in (None, "forged-token"):
        result = pay_from_list(token, world["open"].id)

        assert redirect_target(result) == "/login"
    assert fake.requests == []
    assert attempts(engine) == []


# --- provider outage ----------------------------------------------------------------------


def test_provider_outage_is_readable_and_marks_the_attempt_failed(world, fake, webhook,
                                                                 engine):
    invoice = world["open"]
    fake.fail_next(10, status=500)

    result = pay_from_list(world["token"], invoice.id)

    assert UNREACHABLE in repr(result)
    assert redirect_target(result) is None
    tries = checkout_posts(fake)
    # The SDK's first try and its two network retries, all under the attempt's key.
    assert [t["status"] for t in tries] == [500, 500, 500]
    (failed,) = attempts(engine)
    assert {t["idempotency_key"] for t in tries} == {f"checkout-attempt-{failed.id}"}
    assert (failed.status, failed.provider_session_id) == ("failed", None)
    assert fake.sessions == {}
    assert invoice_now(engine, invoice.id).paid_minor == 1000
    assert rows(engine, ProcessedEvent) == 0

    with fake.lock:  # the provider is back
        fake._failures.clear()
    result = pay_from_list(world["token"], invoice.id)

    failed_again, opened = attempts(engine)
    assert failed_again.status == "failed"
    assert opened.status == "open" and opened.amount_minor == 7000
    assert redirect_target(result) == opened.checkout_url
    assert webhook(fake, fake.complete(opened.provider_session_id)).status_code == 200
    assert invoice_now(engine, invoice.id).status == InvoiceStatus.PAID


# --- what Stripe says was paid wins, flagged for staff ------------------------------------


def test_amount_mismatch_is_recorded_as_paid_and_flagged(world, fake, webhook, engine):
    invoice = world["open"]
    pay_from_list(world["token"], invoice.id)
    (attempt,) = attempts(engine)
    assert attempt.amount_minor == 7000

    response = webhook(fake, fake.complete(attempt.provider_session_id, amount_paid=1234))

    assert response.json()["outcome"] == "recorded"
    (card,) = [p for p in payments_of(engine, invoice.id) if p.provider == "stripe"]
    assert card.amount_minor == 1234
    assert card.flag, "a mismatch must be flagged for staff"
    assert "$12.34" in card.flag and "$70.00" in card.flag
    after = invoice_now(engine, invoice.id)
    assert (after.status, after.paid_minor) == (InvoiceStatus.PARTIALLY_PAID, 1000 + 1234)


def test_webhook_before_the_session_id_was_stored_still_records(world, fake, webhook, engine):
    """The process died between Stripe's answer and open_checkout: the metadata finds
    the attempt, so the payment is not lost."""
    invoice = world["second"]
    pay_from_list(world["token"], invoice.id)
    (attempt,) = attempts(engine)
    session_id = attempt.provider_session_id
    with Session(engine) as s:  # as if open_checkout never ran
        row = s.get(CheckoutAttempt, attempt.id)
        row.provider_session_id = None
        row.status = "creating"
        s.add(row)
        s.commit()

    response = webhook(fake, fake.complete(session_id))

    assert response.json()["outcome"] == "recorded"
    (card,) = payments_of(engine, invoice.id)
    assert (card.amount_minor, card.provider_ref, card.flag) == (4550, session_id, "")
    assert attempts(engine)[0].provider_session_id == session_id
