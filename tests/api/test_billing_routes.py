"""The billing HTTP routes: invoice and receipt PDFs (client and staff) and the
Stripe webhook, through Starlette's TestClient against a per-test database."""

import io
import itertools
import json
import os
import threading
import time
import warnings
from collections import Counter

import pypdf
import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning

from models import (
    CheckoutAttempt,
    Client,
    Invoice,
    InvoiceStatus,
    OutboxMessage,
    Payment,
    PortalAccess,
    ProcessedEvent,
)
from portal_app.api.billing_routes import MAX_WEBHOOK_BYTES, billing_routes
from portal_app.services.billing.checkout import open_checkout, prepare_checkout
from portal_app.services.billing.invoices import save_draft, send_invoice, void_invoice
from portal_app.services.billing.payments import record_offline_payment
from portal_app.services.sessions import COOKIE_NAME, create_ticket, redeem_ticket
from portal_app.settings import reset_settings_cache
from portal_app.timeouts import session_timeouts
from tests import factories
from tests.fake_stripe import API_VERSION, sign_payload

with warnings.catch_warnings():
    # The project pins httpx; starlette would rather have httpx2 for its test client.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

INVOICE_PDF = "/api/invoices/pdf"
RECEIPT_PDF = "/api/receipts/pdf"
STAFF_PDF = "/api/console/invoices/pdf"
WEBHOOK = "/api/stripe/webhook"
WEBHOOK_SECRET = "whsec_routes_test_secret"
BASE_URL = "http://portal.test"
_staff_seq = itertools.count(1)


# --- building data (plain helpers, also used by test_stripe_checkout_flow) ----------------


def make_invoice(session: Session, *, staff_id: int, client_id: int, price: str = "80.00",
                 state: str = "sent", kind: str = "invoice") -> Invoice:
    """An invoice through the staff services: draft, sent, partial, paid or void."""
    invoice = save_draft(session, staff_id=staff_id, invoice_id=None,
                         form={"client_id": client_id, "kind": kind},
                         lines=[{"description": "Coaching session", "quantity": "1",
                                 "unit_price": price}])
    if state == "draft":
        return invoice
    send_invoice(session, staff_id=staff_id, invoice_id=invoice.id, base_url=BASE_URL)
    if state == "void":
        void_invoice(session, staff_id=staff_id, invoice_id=invoice.id)
    elif state in ("paid", "partial"):
        amount = price if state == "paid" else "10.00"
        record_offline_payment(session, staff_id=staff_id, invoice_id=invoice.id,
                               form={"amount": amount, "method": "cash"}, base_url=BASE_URL)
    session.flush()
    return invoice


def client_token(session: Session, account_id: int, client_id: int) -> str:
    ticket = create_ticket(session, kind="client", account_id=account_id,
                           selected_client_id=client_id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    return token


def staff_token(session: Session, staff_id: int) -> str:
    ticket = create_ticket(session, kind="staff", staff_id=staff_id)
    token, _ = redeem_ticket(session, raw_ticket=ticket, timeouts=session_timeouts())
    return token


def rows(engine, model) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def receipt_messages(engine) -> list[OutboxMessage]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxMessage).where(
            OutboxMessage.idempotency_key.startswith("receipt-"))).all())


def checkout_event(attempt: CheckoutAttempt, *, session_id: str, amount: int | None = None,
                   event_id: str = "evt_test_1", event_type: str = "checkout.session.completed",
                   payment_status: str = "paid") -> dict:
    """A checkout.session.completed event as Stripe sends it for this attempt."""
    return {
        "id": event_id, "object": "event", "type": event_type, "api_version": API_VERSION,
        "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": {
            "id": session_id, "object": "checkout.session",
            "amount_total": attempt.amount_minor if amount is None else amount,
            "amount_subtotal": attempt.amount_minor if amount is None else amount,
            "currency": attempt.currency.lower(), "payment_status": payment_status,
            "status": "complete", "mode": "payment",
            "payment_intent": f"pi_{session_id}",
            "client_reference_id": str(attempt.id),
            "metadata": {"invoice_id": str(attempt.invoice_id),
                         "client_id": str(attempt.client_id),
                         "attempt_id": str(attempt.id)},
        }},
    }


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
           ) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event).encode()
    return body, {"Stripe-Signature": sign_payload(body, secret, timestamp),
                  "Content-Type": "application/json"}


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def app():
    return Starlette(routes=billing_routes())


@pytest.fixture
def http(app):
    """A fresh client per call (no cookie jar carried over); server errors become 500s."""

    def get(path: str, *, token: str | None = None, cookies: str = "",
            headers: dict[str, str] | None = None, **params):
        jar = "; ".join(c for c in (f"{COOKIE_NAME}={token}" if token else "", cookies) if c)
        sent = {**(headers or {}), **({"Cookie": jar} if jar else {})}
        return TestClient(app, raise_server_exceptions=False).get(path, params=params,
                                                                   headers=sent)

    return get


def _set_env(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    reset_settings_cache()


@pytest.fixture
def webhook_env(engine):
    """STRIPE_WEBHOOK_SECRET set for the route (and restored afterwards)."""
    names = ("STRIPE_WEBHOOK_SECRET", "PORTAL_PAYMENTS_BACKEND", "PORTAL_BASE_URL")
    saved = {name: os.environ.get(name) for name in names}
    _set_env({"STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "PORTAL_PAYMENTS_BACKEND": "test",
              "PORTAL_BASE_URL": BASE_URL})
    try:
        yield WEBHOOK_SECRET
    finally:
        _set_env(saved)


@pytest.fixture
def world(engine, session, monkeypatch):
    """Owner, another household and a client without billing access, each with documents.

    The setup's offline payments queue no receipt e-mail (each would render a receipt
    PDF, ~1 s of every test's setup); the webhook tests below count the receipts their
    own payments queue, and the receipt PDF route renders from the payment rows."""
    monkeypatch.setattr("portal_app.services.billing.payments.announce_payment",
                        lambda *args, **kwargs: None)
    factories.business(session)
    staff = factories.staff(session, role="owner")
    owner_acc, (owner,) = factories.household(session, access=PortalAccess.ACTIVE)
    other_acc, (other,) = factories.household(session, access=PortalAccess.ACTIVE)
    nobill_acc, (nobill,) = factories.household(session, access=PortalAccess.ACTIVE)
    nobill.perm_billing = False
    nobill.perm_pay = False
    session.add(nobill)

    def docs(client, states):
        return {state: make_invoice(session, staff_id=staff.id, client_id=client.id,
                                    state=state) for state in states}

    mine = docs(owner, ("sent", "partial", "paid", "draft", "void"))
    theirs = docs(other, ("sent", "partial", "paid", "draft", "void"))
    theirs["estimate"] = make_invoice(session, staff_id=staff.id, client_id=other.id,
                                      kind="estimate")
    nobill_docs = docs(nobill, ("paid",))
    session.flush()

    def payments_of(client_id):
        return list(session.exec(select(Payment).where(Payment.client_id == client_id)
                                 .order_by(Payment.id)).all())

    world = {
        "staff": staff, "owner": owner, "other": other, "nobill": nobill,
        "mine": mine, "theirs": theirs, "nobill_docs": nobill_docs,
        "my_payments": payments_of(owner.id), "their_payments": payments_of(other.id),
        "nobill_payments": payments_of(nobill.id),
        "owner_token": client_token(session, owner_acc.id, owner.id),
        "other_token": client_token(session, other_acc.id, other.id),
        "nobill_token": client_token(session, nobill_acc.id, nobill.id),
        "staff_token": staff_token(session, staff.id),
    }
    session.commit()
    assert len(world["my_payments"]) == 2 and len(world["their_payments"]) == 2
    monkeypatch.undo()  # the tests themselves run the real services
    return world


def _pdf_text(response) -> str:
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _assert_pdf_headers(response, filename: str) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment")
    assert f'filename="{filename}"' in disposition
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in response.headers["cache-control"]


# --- PDFs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["sent", "partial", "paid"])
def test_invoice_pdf_owner_gets_attachment(world, http, state):
    invoice = world["mine"][state]

    response = http(INVOICE_PDF, token=world["owner_token"], id=invoice.id)

    _assert_pdf_headers(response, f"invoice-{invoice.number}.pdf")
    text = _pdf_text(response)
    assert invoice.number in text
    assert world["owner"].full_name in text


def test_receipt_pdf_owner_gets_attachment(world, http):
    for payment in world["my_payments"]:
        response = http(RECEIPT_PDF, token=world["owner_token"], id=payment.id)

        _assert_pdf_headers(response, f"receipt-{payment.receipt_number}.pdf")
        text = _pdf_text(response)
        assert payment.receipt_number in text


@pytest.mark.parametrize("path", [INVOICE_PDF, RECEIPT_PDF, STAFF_PDF])
def test_pdf_signed_out_is_forbidden(world, http, path):
    target = world["my_payments"][0].id if path == RECEIPT_PDF else world["mine"]["sent"].id
    for token in (None, "", "not-a-real-session-token", world["owner_token"] + "x"):
        response = http(path, token=token, id=target)

        assert response.status_code == 403, token
        assert not response.content.startswith(b"%PDF")


def test_pdf_without_billing_permission_is_forbidden(world, http):
    token = world["nobill_token"]
    invoice = world["nobill_docs"]["paid"]
    (payment,) = world["nobill_payments"]

    assert http(INVOICE_PDF, token=token, id=invoice.id).status_code == 403
    assert http(RECEIPT_PDF, token=token, id=payment.id).status_code == 403


def test_pdf_after_billing_permission_revoked_is_forbidden(world, http, session):
    invoice = world["mine"]["sent"]
    assert http(INVOICE_PDF, token=world["owner_token"], id=invoice.id).status_code == 200
    owner = session.get(Client, world["owner"].id)
    owner.perm_billing = False
    session.add(owner)
    session.commit()

    assert http(INVOICE_PDF, token=world["owner_token"], id=invoice.id).status_code == 403


def test_every_document_of_another_household_is_not_found(world, http):
    token = world["owner_token"]
    their_invoices = list(world["theirs"].values())  # sent, partial, paid, draft, void, estimate
    their_payments = world["their_payments"]
    for invoice in their_invoices:
        response = http(INVOICE_PDF, token=token, id=invoice.id)
        assert response.status_code == 404, (invoice.status, response.status_code)
        assert invoice.number.encode() not in response.content
    for payment in their_payments:
        response = http(RECEIPT_PDF, token=token, id=payment.id)
        assert response.status_code == 404, (payment.id, response.status_code)
        assert payment.receipt_number.encode() not in response.content
    # Every one of their ids through both client routes, except where the same number
    # happens to be one of the owner's own visible documents on that route.
    own = {INVOICE_PDF: {i.id for k, i in world["mine"].items() if k not in ("draft", "void")},
           RECEIPT_PDF: {p.id for p in world["my_payments"]}}
    their_ids = {i.id for i in their_invoices} | {p.id for p in their_payments}
    probes = {(path, i) for path in own for i in their_ids if i not in own[path]}
    statuses = {probe: http(probe[0], token=token, id=probe[1]).status_code for probe in probes}
    assert statuses == dict.fromkeys(probes, 404)
    assert len(probes) >= len(their_invoices) + len(their_payments)
    # Positive control: the other household itself gets its own visible documents.
    other = world["other_token"]
    assert http(INVOICE_PDF, token=other, id=world["theirs"]["sent"].id).status_code == 200
    assert http(RECEIPT_PDF, token=other, id=their_payments[0].id).status_code == 200


@pytest.mark.parametrize("state", ["draft", "void"])
def test_owners_draft_or_void_invoice_is_not_found(world, http, state):
    invoice = world["mine"][state]

    response = http(INVOICE_PDF, token=world["owner_token"], id=invoice.id)

    assert response.status_code == 404


MALFORMED_IDS = ["", " ", "abc", "1.5", "-1", "0", "1e3", "0x1", "1;2", "\x00", "true", "NaN",
                 "[1]", "1 OR 1=1"]
# Beyond SQLite's signed 64-bit INTEGER the driver raises OverflowError.
HUGE_IDS = ["9223372036854775807", "9223372036854775808", "99999999999999999999999999",
            "-9223372036854775809"]


def _token_for(world, path: str) -> str:
    return world["staff_token"] if path == STAFF_PDF else world["owner_token"]


@pytest.mark.parametrize("path", [INVOICE_PDF, RECEIPT_PDF, STAFF_PDF])
def test_malformed_id_is_not_found(world, http, path):
    token = _token_for(world, path)
    statuses = {raw: http(path, token=token, id=raw).status_code for raw in MALFORMED_IDS}
    statuses["(missing)"] = http(path, token=token).status_code

    assert statuses == dict.fromkeys(statuses, 404)


@pytest.mark.parametrize("path", [INVOICE_PDF, RECEIPT_PDF, STAFF_PDF])
def test_huge_id_is_not_found(world, http, path):
    token = _token_for(world, path)

    statuses = {raw: http(path, token=token, id=raw).status_code for raw in HUGE_IDS}

    assert statuses == dict.fromkeys(HUGE_IDS, 404)


def test_staff_gets_any_invoice_including_drafts(world, http):
    token = world["staff_token"]
    everything = [*world["mine"].values(), *world["theirs"].values(),
                  *world["nobill_docs"].values()]
    for invoice in everything:
        response = http(STAFF_PDF, token=token, id=invoice.id)

        _assert_pdf_headers(response, f"{invoice.kind}-{invoice.number}.pdf")
        assert invoice.number in _pdf_text(response)
    assert http(STAFF_PDF, token=token, id=10_000).status_code == 404


def test_staff_route_refuses_a_client_cookie(world, http):
    for token in (world["owner_token"], world["other_token"]):
        assert http(STAFF_PDF, token=token, id=world["mine"]["sent"].id).status_code == 403
        assert http(STAFF_PDF, token=token, id=world["mine"]["draft"].id).status_code == 403


def test_client_routes_refuse_a_staff_cookie(world, http):
    token = world["staff_token"]
    assert http(INVOICE_PDF, token=token, id=world["mine"]["sent"].id).status_code == 403
    assert http(RECEIPT_PDF, token=token, id=world["my_payments"][0].id).status_code == 403


def _set_language(session, client, language: str) -> None:
    row = session.get(Client, client.id)
    row.language = language
    session.add(row)
    session.commit()


def test_client_pdfs_are_in_the_record_language_else_the_browser_else_the_business(
        world, http, session):
    invoice, payment = world["mine"]["sent"], world["my_payments"][0]
    token = world["owner_token"]

    def languages(**kw):
        return ("FACTURAR A" in _pdf_text(http(INVOICE_PDF, token=token, id=invoice.id, **kw)),
                "RECIBIDO DE" in _pdf_text(http(RECEIPT_PDF, token=token, id=payment.id, **kw)))

    assert languages() == (False, False)  # nothing chosen: the business's English
    assert "BILL TO" in _pdf_text(http(INVOICE_PDF, token=token, id=invoice.id))
    assert languages(cookies="portal_lang=es") == (True, True)
    assert languages(headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}) == (True, True)
    _set_language(session, world["owner"], "es")
    assert languages() == (True, True)
    assert languages(cookies="portal_lang=en") == (True, True)  # the record's choice first
    _set_language(session, world["owner"], "en")
    assert languages(cookies="portal_lang=es") == (False, False)


def test_staff_pdf_is_in_the_client_language(world, http, session):
    invoice = world["mine"]["sent"]
    token = world["staff_token"]
    assert "BILL TO" in _pdf_text(http(STAFF_PDF, token=token, id=invoice.id))

    _set_language(session, world["owner"], "es")
    text = _pdf_text(http(STAFF_PDF, token=token, id=invoice.id, cookies="portal_lang=en"))

    assert "FACTURAR A" in text and "80,00 US$" in text.replace("\u00a0", " ")


def test_staff_pdf_follows_the_console_language_the_staff_member_chose(world, http, session):
    invoice = world["mine"]["sent"]
    token = world["staff_token"]
    staff = world["staff"]
    staff.language = "es"
    session.add(staff)
    session.commit()
    assert "FACTURAR A" in _pdf_text(http(STAFF_PDF, token=token, id=invoice.id))
    _set_language(session, world["owner"], "es")
    staff.language = "en"
    session.add(staff)
    session.commit()
    assert "BILL TO" in _pdf_text(http(STAFF_PDF, token=token, id=invoice.id))


# --- the Stripe webhook -------------------------------------------------------------------


@pytest.fixture
def opened(world, session):
    """A checkout attempt for the owner's open invoice, prepared and opened (as Pay does)."""

    def make(invoice: Invoice | None = None, *, session_id: str = "cs_test_routes_1"):
        invoice = invoice or world["mine"]["sent"]
        attempt = prepare_checkout(session, client_id=invoice.client_id, invoice_id=invoice.id,
                                   amount_text=None, provider="stripe", tab_token="")
        session.commit()
        open_checkout(session, attempt_id=attempt.id, provider_session_id=session_id,
                      url=f"https://checkout.stripe.test/{session_id}")
        session.commit()
        return attempt

    return make


def _post(app, body: bytes, headers: dict[str, str]):
    return TestClient(app, raise_server_exceptions=False).post(WEBHOOK, content=body,
                                                               headers=headers)


def _state(engine, invoice_id: int):
    with Session(engine) as s:
        invoice = s.get(Invoice, invoice_id)
        return (invoice.status, invoice.paid_minor, invoice.total_minor,
                rows(engine, Payment), rows(engine, ProcessedEvent), len(receipt_messages(engine)))


def test_webhook_signed_completion_records_one_payment(webhook_env, world, opened, app,
                                                       engine):
    attempt = opened(session_id="cs_test_ok")
    before_receipts = len(receipt_messages(engine))  # the owner's offline payments

    response = _post(app, *signed(checkout_event(attempt, session_id="cs_test_ok")))

    assert response.status_code == 200
    assert response.json() == {"received": True, "outcome": "recorded"}
    with Session(engine) as s:
        invoice = s.get(Invoice, attempt.invoice_id)
        assert (invoice.status, invoice.paid_minor) == (InvoiceStatus.PAID, invoice.total_minor)
        (payment,) = s.exec(select(Payment).where(Payment.provider_ref == "cs_test_ok")).all()
        assert (payment.amount_minor, payment.currency, payment.flag) == (
            attempt.amount_minor, "USD", "")
        assert payment.checkout_attempt_id == attempt.id
        assert s.get(CheckoutAttempt, attempt.id).status == "completed"
        (event,) = s.exec(select(ProcessedEvent)).all()
        assert (event.provider, event.event_id, event.event_type) == (
            "stripe", "evt_test_1", "checkout.session.completed")
    receipts = receipt_messages(engine)
    assert len(receipts) == before_receipts + 1
    assert {m.idempotency_key for m in receipts} >= {f"receipt-{payment.receipt_number}"}


def test_webhook_same_delivery_again_is_duplicate(webhook_env, world, opened, app, engine):
    attempt = opened(session_id="cs_test_dup")
    body, headers = signed(checkout_event(attempt, session_id="cs_test_dup"))
    assert _post(app, body, headers).json()["outcome"] == "recorded"
    after_first = _state(engine, attempt.invoice_id)

    again = _post(app, body, headers)

    assert again.status_code == 200
    assert again.json() == {"received": True, "outcome": "duplicate"}
    assert _state(engine, attempt.invoice_id) == after_first
    with Session(engine) as s:
        assert len(s.exec(select(Payment).where(Payment.provider_ref == "cs_test_dup")).all()) == 1


def test_webhook_second_event_for_same_checkout_records_nothing_more(webhook_env, world, opened,
                                                                     app, engine):
    """completed, then async_payment_succeeded (another event id) for the same session."""
    attempt = opened(session_id="cs_test_two")
    first = checkout_event(attempt, session_id="cs_test_two", event_id="evt_a")
    second = checkout_event(attempt, session_id="cs_test_two", event_id="evt_b",
                            event_type="checkout.session.async_payment_succeeded")
    assert _post(app, *signed(first)).status_code == 200
    payments, receipts = rows(engine, Payment), len(receipt_messages(engine))

    response = _post(app, *signed(second))

    assert response.status_code == 200
    assert (rows(engine, Payment), len(receipt_messages(engine))) == (payments, receipts)
    assert rows(engine, ProcessedEvent) == 2


@pytest.mark.parametrize("case", ["wrong_secret", "tampered_body", "no_header", "garbage_header",
                                  "empty_v1"])
def test_webhook_bad_signature_is_refused_and_records_nothing(webhook_env, world, opened, app,
                                                              engine, case):
    attempt = opened(session_id="cs_test_bad")
    event = checkout_event(attempt, session_id="cs_test_bad")
    body, headers = signed(event)
    if case == "wrong_secret":
        body, headers = signed(event, secret="whsec_someone_else")
    elif case == "tampered_body":
        body = body.replace(str(attempt.amount_minor).encode(), b"1", 1)
    elif case == "no_header":
        headers.pop("Stripe-Signature")
    elif case == "garbage_header":
        headers["Stripe-Signature"] = "this is not a signature"
    elif case == "empty_v1":
        headers["Stripe-Signature"] = f"t={int(time.time())},v1="
    before = _state(engine, attempt.invoice_id)

    response = _post(app, body, headers)

    assert response.status_code == 400
    assert _state(engine, attempt.invoice_id) == before
    assert rows(engine, ProcessedEvent) == 0


# A future stamp moves toward the window while the test runs (and int() drops up to
# a second): 330 s ahead stays outside the 300 s tolerance on a loaded machine.
@pytest.mark.parametrize("offset", [-301, -3600, 330])
def test_webhook_timestamp_outside_tolerance_is_refused(webhook_env, world, opened, app, engine,
                                                        offset):
    attempt = opened(session_id="cs_test_old")
    event = checkout_event(attempt, session_id="cs_test_old")

    response = _post(app, *signed(event, timestamp=int(time.time()) + offset))

    assert response.status_code == 400
    assert (rows(engine, ProcessedEvent), rows(engine, Payment)) == (0, 2 + 2 + 1)


def test_webhook_timestamp_inside_tolerance_is_accepted(webhook_env, world, opened, app):
    attempt = opened(session_id="cs_test_recent")
    event = checkout_event(attempt, session_id="cs_test_recent")

    response = _post(app, *signed(event, timestamp=int(time.time()) - 240))

    assert response.status_code == 200


def test_webhook_without_secret_configured_is_not_found(engine, world, opened, app):
    saved = os.environ.get("STRIPE_WEBHOOK_SECRET")
    _set_env({"STRIPE_WEBHOOK_SECRET": None})
    try:
        attempt = opened(session_id="cs_test_nosecret")
        body, headers = signed(checkout_event(attempt, session_id="cs_test_nosecret"))
        response = _post(app, body, headers)
    finally:
        _set_env({"STRIPE_WEBHOOK_SECRET": saved})

    assert response.status_code == 404
    assert rows(engine, ProcessedEvent) == 0


def test_webhook_oversized_body_is_refused(webhook_env, world, opened, app, engine):
    attempt = opened(session_id="cs_test_big")
    event = checkout_event(attempt, session_id="cs_test_big")
    event["data"]["object"]["padding"] = "x" * MAX_WEBHOOK_BYTES
    body, headers = signed(event)  # correctly signed: the size alone refuses it
    assert len(body) > MAX_WEBHOOK_BYTES

    response = _post(app, body, headers)

    assert response.status_code == 413
    assert (rows(engine, ProcessedEvent), rows(engine, CheckoutAttempt)) == (0, 1)
    with Session(engine) as s:
        assert s.get(CheckoutAttempt, attempt.id).status == "open"


def test_webhook_unknown_event_type_is_acknowledged_and_remembered(webhook_env, world, app,
                                                                   engine):
    event = {"id": "evt_unknown_1", "object": "event", "type": "customer.created",
             "api_version": API_VERSION, "created": int(time.time()),
             "data": {"object": {"id": "cus_1", "object": "customer"}}}

    response = _post(app, *signed(event))

    assert response.status_code == 200
    assert response.json() == {"received": True, "outcome": "ignored"}
    with Session(engine) as s:
        (row,) = s.exec(select(ProcessedEvent)).all()
    assert (row.event_id, row.event_type) == ("evt_unknown_1", "customer.created")
    assert _post(app, *signed(event)).json()["outcome"] == "duplicate"


def test_webhook_handling_error_is_500_and_not_remembered(webhook_env, world, opened, app,
                                                          engine):
    """An event whose handling raises must leave no ProcessedEvent row, so Stripe retries.

    (A signed checkout session whose amount_total is not a number makes
    fulfil_checkout raise after the ProcessedEvent row was flushed.)
    """
    attempt = opened(session_id="cs_test_boom")
    event = checkout_event(attempt, session_id="cs_test_boom")
    event["data"]["object"]["amount_total"] = "not-a-number"
    before = _state(engine, attempt.invoice_id)

    response = _post(app, *signed(event))

    assert response.status_code == 500
    assert _state(engine, attempt.invoice_id) == before
    assert rows(engine, ProcessedEvent) == 0
    with Session(engine) as s:
        assert s.get(CheckoutAttempt, attempt.id).status == "open"
    # Stripe retries the same event id; a good delivery of it is then applied.
    good = checkout_event(attempt, session_id="cs_test_boom")
    assert _post(app, *signed(good)).json()["outcome"] == "recorded"


def test_webhook_twenty_concurrent_deliveries_record_once(webhook_env, world, opened, app,
                                                          engine):
    attempt = opened(session_id="cs_test_race")
    body, headers = signed(checkout_event(attempt, session_id="cs_test_race",
                                          event_id="evt_race"))
    receipts_before = len(receipt_messages(engine))
    payments_before = rows(engine, Payment)
    threads_n = 20
    barrier = threading.Barrier(threads_n)
    results: list = [None] * threads_n

    def deliver(i: int) -> None:
        client = TestClient(app, raise_server_exceptions=False)
        barrier.wait(timeout=30)
        try:
            response = client.post(WEBHOOK, content=body, headers=headers)
            results[i] = (response.status_code, response.json().get("outcome")
                          if response.status_code == 200 else response.text)
        except Exception as exc:  # noqa: BLE001 - reported below
            results[i] = ("error", repr(exc))

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert all(status == 200 for status, _ in results), results
    outcomes = Counter(outcome for _, outcome in results)
    assert outcomes == {"recorded": 1, "duplicate": threads_n - 1}, outcomes
    assert rows(engine, Payment) == payments_before + 1
    assert rows(engine, ProcessedEvent) == 1
    assert len(receipt_messages(engine)) == receipts_before + 1
    with Session(engine) as s:
        invoice = s.get(Invoice, attempt.invoice_id)
    assert (invoice.status, invoice.paid_minor) == (InvoiceStatus.PAID, invoice.total_minor)
