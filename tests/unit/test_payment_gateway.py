"""The Stripe boundary: the real SDK against the local FakeStripe, webhook
signatures, the test-mode gateway and backend selection. No network beyond 127.0.0.1."""

from __future__ import annotations

import dataclasses
import json
import logging
import time

import pytest
import stripe
from stripe._http_client import HTTPClient

from portal_app.providers.payments import (
    CHANGED,
    NOT_SET_UP,
    UNREACHABLE,
    CheckoutRequest,
    PaymentProviderError,
    StripeGateway,
    TestModeGateway,
    WebhookInvalid,
    select_gateway,
    verify_webhook,
)
from portal_app.settings import Settings
from tests.fake_stripe import FakeStripe, decode_form, sign_payload


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    # requests honours proxy variables; the fake lives on loopback.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def fake():
    with FakeStripe() as server:
        yield server


@pytest.fixture
def gateway(fake):
    gw = StripeGateway(fake.secret_key, api_base=fake.base_url, timeout_seconds=5)
    yield gw
    gw.close()


@pytest.fixture
def fast_retries(monkeypatch):
    """Shrink the SDK's backoff (0.5 s, 1 s, ...) for tests that retry on purpose."""
    monkeypatch.setattr(HTTPClient, "INITIAL_DELAY", 0.01)
    monkeypatch.setattr(HTTPClient, "MAX_DELAY", 0.02)


def _request(attempt_id: int = 7, *, amount_minor: int = 5000, currency: str = "USD",
             email: str = "pat@example.test") -> CheckoutRequest:
    return CheckoutRequest(
        attempt_id=attempt_id,
        invoice_id=3,
        client_id=11,
        invoice_number="INV-0001",
        amount_minor=amount_minor,
        currency=currency,
        customer_email=email,
        description="Invoice INV-0001 — Test Studio",
        success_url="http://portal.test/pay/done?attempt=7",
        cancel_url="http://portal.test/invoices/3",
    )


def _posts(fake: FakeStripe, path: str) -> list[dict]:
    return [r for r in fake.requests if r["method"] == "POST" and r["path"] == path]


def _paid_intent(fake: FakeStripe, gateway: StripeGateway, amount: int = 5000) -> str:
    session = gateway.create_checkout(_request(amount_minor=amount))
    event = fake.complete(session.id)
    return event["data"]["object"]["payment_intent"]


# --- checkout ---------------------------------------------------------------------------


def test_create_checkout_sends_amount_currency_metadata_and_key(fake, gateway):
    session = gateway.create_checkout(_request())

    assert session.id.startswith("cs_test_")
    assert session.url == f"{fake.base_url}/checkout/{session.id}"
    [sent] = _posts(fake, "/v1/checkout/sessions")
    assert sent["idempotency_key"] == "checkout-attempt-7"
    params = sent["params"]
    assert params["mode"] == "payment"
    assert params["line_items"] == [{
        "price_data": {"currency": "usd", "unit_amount": "5000",
                       "product_data": {"name": "Invoice INV-0001 — Test Studio"}},
        "quantity": "1",
    }]
    metadata = {"invoice_id": "3", "client_id": "11", "attempt_id": "7"}
    assert params["metadata"] == metadata
    assert params["payment_intent_data"] == {"metadata": metadata}
    assert params["client_reference_id"] == "7"
    assert params["customer_email"] == "pat@example.test"
    assert params["success_url"] == "http://portal.test/pay/done?attempt=7"
    assert params["cancel_url"] == "http://portal.test/invoices/3"
    stored = fake.sessions[session.id]
    assert stored["amount_total"] == 5000
    assert stored["currency"] == "usd"
    assert stored["status"] == "open"
    assert stripe.api_key is None  # the gateway never sets the SDK's global key


def test_customer_email_is_left_out_when_empty(fake, gateway):
    gateway.create_checkout(_request(email=""))

    [sent] = _posts(fake, "/v1/checkout/sessions")
    assert "customer_email" not in sent["params"]


def test_same_attempt_twice_returns_the_same_session(fake, gateway):
    first = gateway.create_checkout(_request())
    second = gateway.create_checkout(_request())

    assert second == first
    assert list(fake.sessions) == [first.id]
    assert len(_posts(fake, "/v1/checkout/sessions")) == 2


def test_other_amount_under_the_same_attempt_is_refused(fake, gateway):
    gateway.create_checkout(_request(amount_minor=5000))

    with pytest.raises(PaymentProviderError) as info:
        gateway.create_checkout(_request(amount_minor=6000))

    assert info.value.message == CHANGED
    assert info.value.kind == "idempotency"
    assert len(fake.sessions) == 1


def test_zero_decimal_currency_amount_is_sent_as_is(fake, gateway):
    session = gateway.create_checkout(_request(attempt_id=8, amount_minor=5000, currency="JPY"))

    [sent] = _posts(fake, "/v1/checkout/sessions")
    assert sent["params"]["line_items"][0]["price_data"]["currency"] == "jpy"
    assert sent["params"]["line_items"][0]["price_data"]["unit_amount"] == "5000"
    assert fake.sessions[session.id]["amount_total"] == 5000


def test_session_can_be_read_back_with_the_sdk(fake, gateway):
    session = gateway.create_checkout(_request())
    client = stripe.StripeClient(fake.secret_key, base_addresses={"api": fake.base_url},
                                 http_client=stripe.RequestsClient(timeout=5))

    read = client.v1.checkout.sessions.retrieve(session.id)

    assert read.id == session.id
    assert read.metadata["invoice_id"] == "3"
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.checkout.sessions.retrieve("cs_test_missing")
    assert info.value.code == "resource_missing"


# --- failures ---------------------------------------------------------------------------


def test_outage_outlasting_retries_is_a_readable_error(fake, gateway, caplog):
    caplog.set_level(logging.DEBUG)
    fake.fail_next(3, status=500)  # the first try and both retries
    started = time.monotonic()

    with pytest.raises(PaymentProviderError) as info:
        gateway.create_checkout(_request())

    assert time.monotonic() - started < 3
    assert info.value.message == UNREACHABLE
    assert info.value.retryable
    assert fake.secret_key not in info.value.message
    assert fake.secret_key not in caplog.text
    tries = _posts(fake, "/v1/checkout/sessions")
    assert [t["status"] for t in tries] == [500, 500, 500]
    assert {t["idempotency_key"] for t in tries} == {"checkout-attempt-7"}
    assert fake.sessions == {}
    # Nothing was saved under the key, so the same attempt works once Stripe is back.
    assert gateway.create_checkout(_request()).id in fake.sessions


def test_brief_outage_is_retried_with_the_same_key(fake, gateway, fast_retries):
    fake.fail_next(2, status=503)

    session = gateway.create_checkout(_request())

    tries = _posts(fake, "/v1/checkout/sessions")
    assert [t["status"] for t in tries] == [503, 503, 200]
    assert {t["idempotency_key"] for t in tries} == {"checkout-attempt-7"}
    assert list(fake.sessions) == [session.id]


def test_slow_provider_times_out(fake):
    gateway = StripeGateway(fake.secret_key, api_base=fake.base_url, timeout_seconds=0.3,
                            max_network_retries=0)
    fake.delay_next(1.5)

    with pytest.raises(PaymentProviderError) as info:
        gateway.create_checkout(_request())

    assert info.value.message == UNREACHABLE
    assert info.value.kind == "unreachable"


def test_unreachable_provider(fake):
    base = fake.base_url
    fake.stop()  # nothing listens on that port any more
    gateway = StripeGateway(FakeStripe.secret_key, api_base=base, max_network_retries=0)

    with pytest.raises(PaymentProviderError) as info:
        gateway.create_checkout(_request())

    assert info.value.message == UNREACHABLE


def test_wrong_key_is_a_setup_error_without_the_key(fake, caplog):
    caplog.set_level(logging.DEBUG)
    gateway = StripeGateway("sk_test_wrongkey12345", api_base=fake.base_url)

    with pytest.raises(PaymentProviderError) as info:
        gateway.create_checkout(_request())

    assert info.value.message == NOT_SET_UP
    assert info.value.kind == "config"
    assert "sk_test_wrongkey12345" not in caplog.text
    ours = [r.getMessage() for r in caplog.records if r.name == "portal.payments.provider"]
    assert ours and all("sk_test" not in m for m in ours)
    assert len(_posts(fake, "/v1/checkout/sessions")) == 1  # a 401 is not retried


# --- refunds ----------------------------------------------------------------------------


def test_refund_within_the_paid_amount(fake, gateway):
    intent = _paid_intent(fake, gateway, 5000)

    first = gateway.refund(payment_intent_id=intent, amount_minor=2000, idempotency_key="rf-1")
    second = gateway.refund(payment_intent_id=intent, amount_minor=3000, idempotency_key="rf-2")

    assert first.startswith("re_") and second.startswith("re_") and first != second
    assert fake.refunds[first]["amount"] == 2000
    assert fake.refunds[second]["payment_intent"] == intent
    sent = _posts(fake, "/v1/refunds")
    assert [r["idempotency_key"] for r in sent] == ["rf-1", "rf-2"]
    assert sent[0]["params"] == {"payment_intent": intent, "amount": "2000"}


def test_refund_beyond_the_paid_amount_is_refused(fake, gateway):
    intent = _paid_intent(fake, gateway, 5000)
    gateway.refund(payment_intent_id=intent, amount_minor=4000, idempotency_key="rf-1")

    with pytest.raises(PaymentProviderError) as info:
        gateway.refund(payment_intent_id=intent, amount_minor=1001, idempotency_key="rf-2")

    assert info.value.kind == "refused"
    assert "greater than unrefunded amount" in info.value.message
    assert len(fake.refunds) == 1


def test_repeated_refund_key_refunds_once(fake, gateway):
    intent = _paid_intent(fake, gateway, 5000)

    first = gateway.refund(payment_intent_id=intent, amount_minor=5000, idempotency_key="rf-1")
    again = gateway.refund(payment_intent_id=intent, amount_minor=5000, idempotency_key="rf-1")

    assert again == first
    assert len(fake.refunds) == 1


def test_refund_of_unknown_payment(fake, gateway):
    with pytest.raises(PaymentProviderError) as info:
        gateway.refund(payment_intent_id="pi_nope", amount_minor=100, idempotency_key="rf-x")

    assert info.value.kind == "refused"
    assert "No such payment_intent" in info.value.message


# --- webhooks ---------------------------------------------------------------------------


def _event_body(fake: FakeStripe, gateway: StripeGateway) -> bytes:
    session = gateway.create_checkout(_request())
    return json.dumps(fake.complete(session.id)).encode()


def test_verify_webhook_accepts_a_signed_event(fake, gateway):
    payload = _event_body(fake, gateway)

    event = verify_webhook(payload, fake.sign(payload), fake.webhook_secret)

    assert type(event) is dict
    assert event == json.loads(payload)
    assert event["type"] == "checkout.session.completed"
    session = event["data"]["object"]
    assert type(session) is dict
    assert session["metadata"] == {"invoice_id": "3", "client_id": "11", "attempt_id": "7"}
    assert session["payment_status"] == "paid"
    assert session["payment_intent"].startswith("pi_test_")


def test_verify_webhook_accepts_the_fakes_signed_helper(fake):
    event = fake.event("charge.refunded", {"id": "ch_1", "object": "charge"})
    body, header = fake.signed(event)

    assert verify_webhook(body, header, fake.webhook_secret) == event


@pytest.mark.parametrize(
    "case",
    ["tampered", "wrong_secret", "missing_header", "empty_header", "garbled_header",
     "old_timestamp", "future_timestamp", "other_scheme"],
)
def test_verify_webhook_rejects_bad_signatures(fake, case):
    payload = json.dumps(fake.event("charge.refunded", {"id": "ch_1"})).encode()
    header: str | None = fake.sign(payload)
    if case == "tampered":
        payload = payload.replace(b"ch_1", b"ch_2")
    elif case == "wrong_secret":
        header = fake.sign(payload, secret="whsec_other")
    elif case == "missing_header":
        header = None
    elif case == "empty_header":
        header = ""
    elif case == "garbled_header":
        header = "t=soon,v1=zzz"
    elif case == "old_timestamp":
        header = fake.sign(payload, timestamp=int(time.time()) - 301)
    elif case == "future_timestamp":
        header = fake.sign(payload, timestamp=int(time.time()) + 3600)
    elif case == "other_scheme":
        header = header.replace("v1=", "v0=")

    with pytest.raises(WebhookInvalid):
        verify_webhook(payload, header, fake.webhook_secret)


def test_verify_webhook_tolerance_is_configurable(fake):
    payload = json.dumps(fake.event("charge.refunded", {"id": "ch_1"})).encode()
    header = fake.sign(payload, timestamp=int(time.time()) - 100)

    assert verify_webhook(payload, header, fake.webhook_secret)["id"]
    with pytest.raises(WebhookInvalid):
        verify_webhook(payload, header, fake.webhook_secret, tolerance=60)


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[1, 2]", b'"text"', b'{"id": "evt_1"}', b'{"type": "x"}', b"\xff\xfe{}"],
    ids=["not_json", "array", "string", "no_type", "no_id", "not_utf8"],
)
def test_verify_webhook_rejects_bodies_that_are_not_events(payload):
    header = sign_payload(payload, "whsec_fake")

    with pytest.raises(WebhookInvalid):
        verify_webhook(payload, header, "whsec_fake")


def test_verify_webhook_needs_a_secret():
    payload = b'{"id": "evt_1", "type": "x"}'
    with pytest.raises(WebhookInvalid):
        verify_webhook(payload, sign_payload(payload, ""), "")


# --- test mode and selection ------------------------------------------------------------


def test_test_mode_gateway_needs_no_network():
    gateway = TestModeGateway("http://127.0.0.1:3000/")

    one = gateway.create_checkout(_request(attempt_id=42))
    two = gateway.create_checkout(_request(attempt_id=42))

    assert gateway.name == "test"
    assert one.id.startswith("test_cs_42_") and one.id != two.id
    assert one.url == f"http://127.0.0.1:3000/pay/test?session={one.id}"
    refund = gateway.refund(payment_intent_id="x", amount_minor=1, idempotency_key="rf-9")
    assert refund == "test_re_rf-9"


def test_select_gateway_follows_the_backend():
    base = Settings.from_env()
    stripe_settings = dataclasses.replace(
        base, payments_backend="stripe", stripe_secret_key="sk_test_x",
        stripe_webhook_secret="whsec_x", stripe_api_base="http://127.0.0.1:9",
    )
    test_settings = dataclasses.replace(base, payments_backend="test",
                                        base_url="http://portal.test")

    assert select_gateway(dataclasses.replace(base, payments_backend="off")) is None
    chosen = select_gateway(stripe_settings)
    assert isinstance(chosen, StripeGateway) and chosen.name == "stripe"
    test_mode = select_gateway(test_settings)
    assert isinstance(test_mode, TestModeGateway)
    assert test_mode.create_checkout(_request()).url.startswith("http://portal.test/pay/test?")


def test_stripe_gateway_needs_a_key():
    with pytest.raises(ValueError):
        StripeGateway("")


# --- the fake itself --------------------------------------------------------------------


def test_fake_decodes_stripe_form_encoding():
    pairs = [("line_items[0][price_data][unit_amount]", "5000"),
             ("line_items[0][quantity]", "1"), ("line_items[1][quantity]", "2"),
             ("metadata[invoice_id]", "3"), ("expand[]", "a"), ("expand[]", "b"), ("mode", "x")]

    assert decode_form(pairs) == {
        "line_items": [{"price_data": {"unit_amount": "5000"}, "quantity": "1"},
                       {"quantity": "2"}],
        "metadata": {"invoice_id": "3"},
        "expand": ["a", "b"],
        "mode": "x",
    }


def test_fake_signature_matches_the_sdk_scheme():
    payload = b'{"id": "evt_1", "type": "x"}'
    header = sign_payload(payload, "whsec_fake", timestamp=1700000000)

    expected = stripe.WebhookSignature.generate_signature_header(
        payload.decode(), "whsec_fake", timestamp=1700000000)
    assert header == expected
