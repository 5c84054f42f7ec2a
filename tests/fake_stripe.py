"""A local fake of the parts of the Stripe API the portal uses (stdlib only).

    with FakeStripe() as fake:
        gateway = StripeGateway(fake.secret_key, api_base=fake.base_url)
        session = gateway.create_checkout(request)
        event = fake.complete(session.id)
        body = json.dumps(event).encode()
        header = fake.sign(body)

It speaks Stripe's wire format: form-encoded nested params in, JSON out,
Stripe-shaped errors, `Authorization: Bearer <key>`, and Idempotency-Key
replay (same key and same params: the first response again, nothing new
created; same key and other params: 400 idempotency_error). Like Stripe, a
request that failed (injected outage, validation error) saves no idempotent
result, so a retry with the same key can still succeed.

Implemented: POST /v1/checkout/sessions, GET /v1/checkout/sessions/<id>,
POST /v1/refunds. Anything else is a 404 "Unrecognized request URL".
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_VERSION = "2025-01-01"


def sign_payload(payload: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """A Stripe-Signature header value: t=<ts>,v1=<hex HMAC-SHA256 of "<ts>." + payload>."""
    if isinstance(payload, str):
        payload = payload.encode()
    ts = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256)
    return f"t={ts},v1={mac.hexdigest()}"


_KEY_PART = re.compile(r"\[([^\]]*)\]")


def decode_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding back into nested dicts and lists (values stay strings).

    `line_items[0][price_data][unit_amount]=5000` -> {"line_items": [{"price_data": {...}}]}
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + (_KEY_PART.findall("[" + rest) if rest else [])
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":  # key[] appends
                part = str(len(node))
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _listify(root)


def _listify(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    converted = {k: _listify(v) for k, v in value.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


class _ApiError(Exception):
    def __init__(self, status: int, type_: str, message: str, *, code: str | None = None,
                 param: str | None = None):
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"type": type_, "message": message}
        if code:
            self.body["code"] = code
        if param:
            self.body["param"] = param


def _missing(param: str) -> _ApiError:
    return _ApiError(400, "invalid_request_error", f"Missing required param: {param}.",
                     code="parameter_missing", param=param)


def _int_param(name: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise _ApiError(400, "invalid_request_error", f"Invalid integer: {value}",
                        code="parameter_invalid_integer", param=name) from None
    return number


class FakeStripe:
    """The fake API on 127.0.0.1 (a free port), served from a daemon thread."""

    secret_key = "sk_test_fake"
    webhook_secret = "whsec_fake"

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.base_url = ""
        self.requests: list[dict[str, Any]] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        # payment intent id -> {"amount": paid, "refunded": n, "currency": c, "session": id}
        self.payment_intents: dict[str, dict[str, Any]] = {}
        self._idempotency: dict[str, dict[str, Any]] = {}
        self._failures: list[int] = []
        self._delays: list[float] = []
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeStripe:
        if self._server is not None:
            return self
        fake = self

        class Handler(_Handler):
            owner = fake

        server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        # A short poll interval keeps stop() (server.shutdown) quick.
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-stripe", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- test controls ---------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 500) -> None:
        """The next n API requests answer `status` with an error body (a provider outage)."""
        with self.lock:
            self._failures.extend([status] * n)

    def delay_next(self, seconds: float, n: int = 1) -> None:
        """The next n API requests wait `seconds` before being handled (to hit timeouts)."""
        with self.lock:
            self._delays.extend([seconds] * n)

    def complete(self, session_id: str, *, amount_paid: int | None = None,
                 payment_status: str = "paid") -> dict[str, Any]:
        """Finish a checkout as if the customer paid; return its checkout.session.completed event.

        With payment_status="unpaid" (a delayed method) the payment intent exists
        but nothing is refundable; calling complete() again with "paid" settles it.
        """
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = "complete"
            session["payment_status"] = payment_status
            if amount_paid is not None:
                session["amount_total"] = amount_paid
                session["amount_subtotal"] = amount_paid
            pi_id = session["payment_intent"] or f"pi_test_{next(self._ids)}"
            session["payment_intent"] = pi_id
            self.payment_intents[pi_id] = {
                "amount": session["amount_total"] if payment_status == "paid" else 0,
                "refunded": self.payment_intents.get(pi_id, {}).get("refunded", 0),
                "currency": session["currency"],
                "session": session_id,
            }
            return self.event("checkout.session.completed", session)

    def event(self, type: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Any event around a copy of `obj` (e.g. "charge.refunded")."""
        with self.lock:
            event_id = f"evt_{next(self._ids)}"
        return {
            "id": event_id,
            "object": "event",
            "type": type,
            "api_version": API_VERSION,
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": copy.deepcopy(obj)},
        }

    def sign(self, payload: bytes | str, *, secret: str | None = None,
             timestamp: int | None = None) -> str:
        return sign_payload(payload, secret or self.webhook_secret, timestamp)

    def signed(self, event: dict[str, Any], **kwargs: Any) -> tuple[bytes, str]:
        """(body, Stripe-Signature header) for posting `event` to a webhook endpoint."""
        body = json.dumps(event).encode()
        return body, self.sign(body, **kwargs)

    # --- request handling (called from the server threads) ---------------------------

    def _handle(self, method: str, raw_path: str, headers: Any, body: bytes
                ) -> tuple[int, dict[str, Any], dict[str, str]]:
        split = urlsplit(raw_path)
        path = split.path
        pairs = parse_qsl(split.query if method == "GET" else body.decode(), keep_blank_values=True)
        params = decode_form(pairs)
        key = headers.get("Idempotency-Key")
        with self.lock:
            request_id = f"req_{next(self._ids)}"
            record = {"method": method, "path": path, "params": params, "idempotency_key": key,
                      "request_id": request_id, "status": None}
            self.requests.append(record)
            delay = self._delays.pop(0) if self._delays else 0.0
        if delay:
            time.sleep(delay)
        with self.lock:
            status, reply, extra = self._respond(method, path, params, key, headers, request_id)
            record["status"] = status
        return status, reply, {"Request-Id": request_id, **extra}

    def _respond(self, method: str, path: str, params: dict[str, Any], key: str | None,
                 headers: Any, request_id: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        if self._failures:
            status = self._failures.pop(0)
            kind = "rate_limit_error" if status == 429 else "api_error"
            return status, {"error": {"type": kind, "message": "An unknown error occurred"}}, {}
        auth = headers.get("Authorization", "")
        if auth != f"Bearer {self.secret_key}":
            given = auth.removeprefix("Bearer ").strip()
            masked = f"{given[:8]}****{given[-4:]}" if len(given) > 12 else given
            message = (f"Invalid API Key provided: {masked}" if given
                       else "You did not provide an API key.")
            return 401, {"error": {"type": "invalid_request_error", "message": message}}, {}
        fingerprint = (method, path, json.dumps(params, sort_keys=True))
        if method == "POST" and key:
            saved = self._idempotency.get(key)
            if saved is not None:
                if saved["fingerprint"] != fingerprint:
                    message = (
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with. Try using a key other than "
                        f"'{key}' if you meant to execute a different request."
                    )
                    return 400, {"error": {"type": "idempotency_error", "message": message}}, {}
                return saved["status"], copy.deepcopy(saved["body"]), {
                    "Idempotent-Replayed": "true", "Original-Request": saved["request_id"]}
        try:
            status, reply = self._route(method, path, params)
        except _ApiError as exc:
            return exc.status, {"error": exc.body}, {}
        if method == "POST" and key:
            self._idempotency[key] = {"fingerprint": fingerprint, "status": status,
                                      "body": copy.deepcopy(reply),
                                      "request_id": request_id}
        return status, reply, {}

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return 200, self._create_session(params)
        match = re.fullmatch(r"/v1/checkout/sessions/([^/]+)", path)
        if method == "GET" and match:
            session = self.sessions.get(match.group(1))
            if session is None:
                raise _ApiError(404, "invalid_request_error",
                                f"No such checkout.session: '{match.group(1)}'",
                                code="resource_missing", param="session")
            return 200, copy.deepcopy(session)
        if method == "POST" and path == "/v1/refunds":
            return 200, self._create_refund(params)
        raise _ApiError(404, "invalid_request_error",
                        f"Unrecognized request URL ({method}: {path}).")

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any]:
        if "mode" not in params:
            raise _missing("mode")
        items = params.get("line_items")
        if not isinstance(items, list) or not items:
            raise _missing("line_items")
        total = 0
        currency = None
        for i, item in enumerate(items):
            price = item.get("price_data") or {}
            if "currency" not in price:
                raise _missing(f"line_items[{i}][price_data][currency]")
            if "unit_amount" not in price:
                raise _missing(f"line_items[{i}][price_data][unit_amount]")
            if not (price.get("product_data") or {}).get("name"):
                raise _missing(f"line_items[{i}][price_data][product_data][name]")
            amount = _int_param("unit_amount", price["unit_amount"])
            quantity = _int_param("quantity", item.get("quantity", "1"))
            if amount < 0:
                raise _ApiError(400, "invalid_request_error", "Invalid non-negative integer",
                                param=f"line_items[{i}][price_data][unit_amount]")
            if currency is not None and price["currency"] != currency:
                raise _ApiError(400, "invalid_request_error",
                                "All line items must use the same currency.")
            currency = price["currency"]
            total += amount * quantity
        session_id = f"cs_test_{next(self._ids)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"{self.base_url}/checkout/{session_id}",
            "amount_subtotal": total,
            "amount_total": total,
            "currency": currency,
            "metadata": params.get("metadata") or {},
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "mode": params["mode"],
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "payment_intent": None,
            "livemode": False,
            "created": int(time.time()),
            "expires_at": int(time.time()) + 24 * 3600,
        }
        self.sessions[session_id] = session
        return copy.deepcopy(session)

    def _create_refund(self, params: dict[str, Any]) -> dict[str, Any]:
        pi_id = params.get("payment_intent")
        if not pi_id:
            raise _missing("payment_intent")
        intent = self.payment_intents.get(pi_id)
        if intent is None:
            raise _ApiError(404, "invalid_request_error", f"No such payment_intent: '{pi_id}'",
                            code="resource_missing", param="payment_intent")
        remaining = intent["amount"] - intent["refunded"]
        amount = _int_param("amount", params.get("amount", remaining))
        if amount <= 0:
            raise _ApiError(400, "invalid_request_error", "Invalid positive integer",
                            code="parameter_invalid_integer", param="amount")
        if remaining <= 0:
            raise _ApiError(400, "invalid_request_error",
                            f"Charge for payment intent {pi_id} has already been refunded.",
                            code="charge_already_refunded")
        if amount > remaining:
            currency = intent["currency"]
            raise _ApiError(
                400, "invalid_request_error",
                f"Refund amount ({amount} {currency}) is greater than unrefunded amount on "
                f"charge ({remaining} {currency})",
                param="amount",
            )
        intent["refunded"] += amount
        refund_id = f"re_{next(self._ids)}"
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "payment_intent": pi_id,
            "status": "succeeded",
            "created": int(time.time()),
            "metadata": params.get("metadata") or {},
        }
        self.refunds[refund_id] = refund
        return copy.deepcopy(refund)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected in timeout tests.
        pass


class _Handler(BaseHTTPRequestHandler):
    owner: FakeStripe

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, reply, extra = self.owner._handle(self.command, self.path, self.headers, body)
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = _serve
    do_POST = _serve
    do_DELETE = _serve
