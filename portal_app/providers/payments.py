"""Online payments: the thin boundary to Stripe (official SDK) and a test-mode stand-in.

Everything Stripe-specific stays in this module: the rest of the portal sees a
`PaymentGateway` that opens a hosted checkout and makes refunds, and
`verify_webhook`, which turns a signed webhook body into a plain dict.

- `StripeGateway` uses its own `stripe.StripeClient` (never the SDK's module
  globals), a bounded HTTP timeout and the SDK's network retries. Each checkout
  attempt has a fixed idempotency key, so a retried or repeated request for the
  same attempt gets the same Checkout Session back instead of a second one.
- Every SDK error becomes `PaymentProviderError`, whose `.message` can be shown
  to the person at the screen; the technical detail goes to the log, with
  anything that looks like an API key masked.
- `TestModeGateway` needs no account and no network: its checkout is the
  portal's own /pay/test page.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import stripe

if TYPE_CHECKING:
    from portal_app.settings import Settings

log = logging.getLogger("portal.payments.provider")

UNREACHABLE = "The payment provider is not reachable. Please try again in a minute."
BUSY = "The payment provider is busy. Please try again in a minute."
NOT_SET_UP = "Online payment is not available right now. Please contact us to pay."
CHANGED = (
    "This payment was already started with different details. "
    "Please reload the page and try again."
)
DECLINED = "The payment was declined."
REFUSED = "The payment provider refused the request."
FAILED = "The payment provider could not complete the request. Please try again later."

# Secret, restricted and webhook keys, also in Stripe's masked form (sk_test_****abcd).
_KEY_PATTERN = re.compile(r"\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9*]+|\bwhsec_[A-Za-z0-9*]+")


def _mask_keys(text: str) -> str:
    return _KEY_PATTERN.sub("[key]", text)


class PaymentProviderError(Exception):
    """The provider did not do what was asked. `.message` is fit to show a user.

    `kind` says why: "unreachable" (network, timeout, provider outage), "busy"
    (rate limited), "config" (key refused), "idempotency" (same attempt, other
    details), "declined" (card error), "refused" (invalid request) or "failed".
    `retryable` is True when trying again later may work.
    """

    def __init__(self, message: str, *, kind: str = "failed", retryable: bool = False):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.retryable = retryable


class WebhookInvalid(Exception):
    """The webhook body or its signature cannot be trusted; answer 400."""


@dataclass(frozen=True)
class CheckoutRequest:
    attempt_id: int
    invoice_id: int
    client_id: int
    invoice_number: str
    amount_minor: int
    currency: str  # ISO code; upper case in the database, lower case to Stripe
    customer_email: str
    description: str  # e.g. "Invoice INV-0001 — Business name"
    success_url: str
    cancel_url: str


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


class PaymentGateway(Protocol):
    name: str

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a hosted checkout for one attempt. Raise PaymentProviderError on failure."""
        ...

    def refund(self, *, payment_intent_id: str, amount_minor: int, idempotency_key: str,
               metadata: dict[str, str] | None = None) -> str:
        """Refund part or all of a payment; return the provider's refund id."""
        ...


def checkout_idempotency_key(attempt_id: int) -> str:
    """The same for every request about one attempt: Stripe then replays, not duplicates."""
    return f"checkout-attempt-{attempt_id}"


def _metadata(request: CheckoutRequest) -> dict[str, str]:
    return {
        "invoice_id": str(request.invoice_id),
        "client_id": str(request.client_id),
        "attempt_id": str(request.attempt_id),
    }


def _checkout_params(request: CheckoutRequest) -> dict[str, Any]:
    metadata = _metadata(request)
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": request.currency.lower(),
                    "unit_amount": request.amount_minor,
                    "product_data": {
                        "name": request.description or f"Invoice {request.invoice_number}"
                    },
                },
                "quantity": 1,
            }
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": dict(metadata)},
        "client_reference_id": str(request.attempt_id),
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
    }
    if request.customer_email:
        params["customer_email"] = request.customer_email
    return params


def _provider_error(exc: stripe.StripeError, action: str) -> PaymentProviderError:
    """Log what went wrong (keys masked) and say it in words a user can act on."""
    detail = _mask_keys(exc.user_message or "")
    log.warning(
        "Stripe %s failed: %s status=%s code=%s request_id=%s: %s",
        action,
        type(exc).__name__,
        exc.http_status,
        exc.code,
        exc.request_id,
        detail,
    )
    if isinstance(exc, stripe.APIConnectionError):
        return PaymentProviderError(UNREACHABLE, kind="unreachable", retryable=True)
    if isinstance(exc, stripe.RateLimitError):
        return PaymentProviderError(BUSY, kind="busy", retryable=True)
    if isinstance(exc, (stripe.AuthenticationError, stripe.PermissionError)):
        return PaymentProviderError(NOT_SET_UP, kind="config")
    if isinstance(exc, stripe.IdempotencyError):
        return PaymentProviderError(CHANGED, kind="idempotency")
    if isinstance(exc, stripe.CardError):
        return PaymentProviderError(detail or DECLINED, kind="declined")
    if isinstance(exc, stripe.InvalidRequestError):
        message = f"{REFUSED} {detail}" if detail else REFUSED
        return PaymentProviderError(message, kind="refused")
    if isinstance(exc, stripe.APIError) and (exc.http_status is None or exc.http_status >= 500):
        return PaymentProviderError(UNREACHABLE, kind="unreachable", retryable=True)
    return PaymentProviderError(FAILED, kind="failed", retryable=True)


class StripeGateway:
    """Stripe Checkout and refunds through a private `stripe.StripeClient`."""

    name = "stripe"

    def __init__(
        self,
        secret_key: str,
        *,
        api_base: str = "",
        timeout_seconds: float = 20,
        max_network_retries: int = 2,
    ):
        if not secret_key:
            raise ValueError("StripeGateway needs a secret key (STRIPE_SECRET_KEY)")
        # requests is a hard dependency of the SDK and its default sync client;
        # building it ourselves is how the SDK takes a timeout (its default is 80 s).
        self._http_client = stripe.RequestsClient(timeout=timeout_seconds)
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=self._http_client,
        )

    def __repr__(self) -> str:  # never show the key
        return "StripeGateway()"

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        if request.amount_minor <= 0:
            raise ValueError("A checkout amount must be positive")
        try:
            session = self._client.v1.checkout.sessions.create(
                _checkout_params(request),  # type: ignore[arg-type]
                {"idempotency_key": checkout_idempotency_key(request.attempt_id)},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc, f"checkout for attempt {request.attempt_id}") from exc
        if not session.id or not session.url:
            log.warning("Stripe checkout for attempt %s returned no URL", request.attempt_id)
            raise PaymentProviderError(FAILED, kind="failed", retryable=True)
        return CheckoutSession(id=session.id, url=session.url)

    def refund(self, *, payment_intent_id: str, amount_minor: int, idempotency_key: str,
               metadata: dict[str, str] | None = None) -> str:
        if amount_minor <= 0:
            raise ValueError("A refund amount must be positive")
        params: dict[str, Any] = {"payment_intent": payment_intent_id, "amount": amount_minor}
        if metadata:
            params["metadata"] = dict(metadata)
        try:
            refund = self._client.v1.refunds.create(
                params,
                {"idempotency_key": idempotency_key},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc, f"refund of {payment_intent_id}") from exc
        return refund.id

    def close(self) -> None:
        """Close pooled connections (of the calling thread)."""
        self._http_client.close()


class TestModeGateway:
    """Checkout on the portal's own /pay/test page; no account, no network."""

    __test__ = False  # not a pytest test class despite the name
    name = "test"

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def create_checkout(self, request: CheckoutRequest) -> CheckoutSession:
        session_id = f"test_cs_{request.attempt_id}_{secrets.token_hex(8)}"
        return CheckoutSession(id=session_id, url=f"{self.base_url}/pay/test?session={session_id}")

    def refund(self, *, payment_intent_id: str, amount_minor: int, idempotency_key: str,
               metadata: dict[str, str] | None = None) -> str:
        return f"test_re_{idempotency_key}"

    def completed_event(self, *, session_id: str, attempt_id: int, invoice_id: int,
                        client_id: int, amount_minor: int, currency: str, paid: bool) -> dict:
        """What Stripe would send when the payer finishes (or gives up on) this
        checkout, in Stripe's shape: the test-mode page hands it to the same
        event handling as the webhook, so trying it runs the real fulfilment."""
        return {
            "id": f"test_evt_{session_id}", "object": "event",
            "type": "checkout.session.completed" if paid
            else "checkout.session.async_payment_failed",
            "data": {"object": {
                "id": session_id, "object": "checkout.session",
                "amount_total": amount_minor, "currency": currency.lower(),
                "payment_status": "paid" if paid else "unpaid",
                "payment_intent": f"test_pi_{attempt_id}",
                "metadata": {"invoice_id": str(invoice_id), "client_id": str(client_id),
                             "attempt_id": str(attempt_id)},
            }},
        }


def _signature_timestamp(sig_header: str) -> int:
    """The t= value, read the way the SDK reads it (first t= item)."""
    for item in sig_header.split(","):
        key, _, value = item.partition("=")
        if key == "t":
            return int(value.split("=", 1)[0])
    raise ValueError("no timestamp")


def verify_webhook(
    payload: bytes, sig_header: str | None, secret: str, *, tolerance: int = 300
) -> dict:
    """Check Stripe's signature on the raw body; return the event as plain dicts and lists.

    Raises WebhookInvalid for a missing, garbled or wrong signature, a timestamp
    more than `tolerance` seconds old (or in the future), or a body that is not
    a JSON object with an "id" and a "type".
    """
    if not secret:
        raise WebhookInvalid("No webhook secret is configured")
    if tolerance <= 0:
        raise ValueError("tolerance must be positive; 0 would turn the replay check off")
    try:
        stripe.WebhookSignature.verify_header(payload, sig_header, secret, tolerance)
    except stripe.SignatureVerificationError as exc:
        raise WebhookInvalid(exc.user_message or "Invalid signature") from None
    except UnicodeDecodeError:
        raise WebhookInvalid("The body is not UTF-8") from None
    assert sig_header is not None  # verify_header refuses a missing header
    # The SDK only refuses old timestamps; refuse ones from the future too.
    try:
        signed_at = _signature_timestamp(sig_header)
    except ValueError:
        raise WebhookInvalid("Unable to extract timestamp from header") from None
    if signed_at > time.time() + tolerance:
        raise WebhookInvalid("Timestamp outside the tolerance zone")
    try:
        event = json.loads(payload)
    except ValueError:
        raise WebhookInvalid("The body is not JSON") from None
    if not isinstance(event, dict):
        raise WebhookInvalid("The body is not a JSON object")
    if not isinstance(event.get("id"), str) or not isinstance(event.get("type"), str):
        raise WebhookInvalid("The event has no id or type")
    return event


def select_gateway(settings: Settings) -> PaymentGateway | None:
    """None when online payment is off."""
    backend = settings.payments_backend
    if backend == "off":
        return None
    if backend == "stripe":
        return StripeGateway(settings.stripe_secret_key, api_base=settings.stripe_api_base)
    if backend == "test":
        return TestModeGateway(settings.base_url)
    raise ValueError(f"Unknown payments backend {backend!r}")
