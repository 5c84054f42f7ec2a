"""The outbox: delivery with retries and leases, the file provider, and the real providers
against local fake HTTP APIs."""

import base64
import email
import email.policy
import json
import threading
import time
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import resend
from sqlmodel import Session, select

from models import OutboxMessage, OutboxStatus
from models.base import utcnow
from portal_app.db import session_scope
from portal_app.providers.base import OutgoingEmail, OutgoingSms
from portal_app.providers.dev import FileProvider
from portal_app.providers.real import ResendProvider, TwilioProvider
from portal_app.services import client_auth, outbox
from tests import factories
from tests.unit.helpers import SECRET, code_sent_to, count

SENDER = "Test Studio <portal@studio.test>"


def _factory(engine):
    return lambda: Session(engine, expire_on_commit=False)


def _enqueue(session, n: int = 1) -> list[str]:
    keys = [f"test-{i}-{time.monotonic_ns()}" for i in range(n)]
    for i, key in enumerate(keys):
        outbox.enqueue_email(session, to=f"person{i}@example.test", template="no_account",
                             business=None, idempotency_key=key)
    session.commit()
    return keys


def _row(engine, key: str) -> OutboxMessage:
    with Session(engine) as s:
        return s.exec(select(OutboxMessage).where(OutboxMessage.idempotency_key == key)).one()


class FlakyProvider:
    """Fails the first `failures` sends, then succeeds; records every call."""

    name = "flaky"

    def __init__(self, failures: int):
        self.failures = failures
        self.calls: list[OutgoingEmail] = []

    def send_email(self, message: OutgoingEmail) -> str:
        self.calls.append(message)
        if len(self.calls) <= self.failures:
            raise ConnectionError(f"provider down (call {len(self.calls)})")
        return f"provider-id-{len(self.calls)}"


# --- retries ---------------------------------------------------------------------------------


def test_deliver_due_retries_with_backoff_until_sent(engine, session):
    (key,) = _enqueue(session)
    provider = FlakyProvider(failures=2)
    deliver = _factory(engine)

    before = utcnow()
    first = outbox.deliver_due(deliver, email=provider, sms=None, sender=SENDER)
    row = _row(engine, key)
    assert (first.retried, row.status, row.attempts) == (1, OutboxStatus.PENDING, 1)
    assert "provider down" in row.last_error
    first_delay = row.next_attempt_at - before
    assert timedelta(seconds=9) <= first_delay <= timedelta(seconds=30)

    # Not due yet: an immediate pass leaves it alone.
    assert outbox.deliver_due(deliver, email=provider, sms=None, sender=SENDER).retried == 0
    assert len(provider.calls) == 1

    before = utcnow()
    outbox.deliver_due(deliver, email=provider, sms=None, sender=SENDER,
                       now=utcnow() + timedelta(days=1))
    row = _row(engine, key)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 2)
    assert row.next_attempt_at - before > first_delay  # the wait grows

    last = outbox.deliver_due(deliver, email=provider, sms=None, sender=SENDER,
                              now=utcnow() + timedelta(days=2))
    row = _row(engine, key)
    assert last.sent == 1
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)
    assert (row.provider, row.provider_message_id) == ("flaky", "provider-id-3")
    assert row.sent_at is not None and row.lease_until is None
    assert {c.idempotency_key for c in provider.calls} == {key}
    assert provider.calls[0].sender == SENDER


def test_deliver_due_marks_failed_after_max_attempts(engine, session):
    (key,) = _enqueue(session)
    provider = FlakyProvider(failures=10_000)
    deliver = _factory(engine)

    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        report = outbox.deliver_due(deliver, email=provider, sms=None, sender=SENDER,
                                    now=utcnow() + timedelta(days=attempt))
        row = _row(engine, key)
        assert row.attempts == attempt
        if attempt < outbox.MAX_ATTEMPTS:
            assert (row.status, report.retried) == (OutboxStatus.PENDING, 1)

    assert (row.status, report.failed) == (OutboxStatus.FAILED, 1)
    outbox.deliver_due(deliver, email=provider, sms=None, sender=SENDER,
                       now=utcnow() + timedelta(days=365))
    assert len(provider.calls) == outbox.MAX_ATTEMPTS


def test_sms_without_sms_backend_is_retried_not_lost(engine, session):
    factories.business(session)
    account, _ = factories.household(session, mobile="+15550002222")
    client_auth.request_sign_in_code(session, email=account.email, secret_key=SECRET,
                                     sms_enabled=True)
    session.commit()

    report = outbox.deliver_due(_factory(engine), email=FlakyProvider(0), sms=None,
                                sender=SENDER)

    row = session.exec(select(OutboxMessage)).one()
    session.refresh(row)
    assert report.retried == 1
    assert (row.status, row.channel) == (OutboxStatus.PENDING, "sms")
    assert "SMS backend is off" in row.last_error


# --- leases ----------------------------------------------------------------------------------


class SlowRecorder:
    name = "slow"

    def __init__(self):
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def send_email(self, message: OutgoingEmail) -> str:
        with self._lock:
            self.calls.append(message.idempotency_key)
        time.sleep(0.2)
        return "ok"


def test_concurrent_deliver_due_sends_each_message_once(engine, session):
    keys = _enqueue(session, n=4)
    provider = SlowRecorder()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker():
        barrier.wait(timeout=30)
        try:
            outbox.deliver_due(_factory(engine), email=provider, sms=None, sender=SENDER)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert Counter(provider.calls) == Counter(keys)
    rows = [_row(engine, k) for k in keys]
    assert all((r.status, r.attempts) == (OutboxStatus.SENT, 1) for r in rows)


def test_message_in_flight_is_not_claimed_by_another_pass(engine, session):
    """While one pass is sending (lease held), another pass finds nothing to claim."""
    (key,) = _enqueue(session)
    nested_reports = []

    class ReentrantProvider:
        name = "reentrant"
        calls = 0

        def send_email(self, message):
            ReentrantProvider.calls += 1
            if ReentrantProvider.calls == 1:
                nested_reports.append(outbox.deliver_due(_factory(engine), email=self,
                                                         sms=None, sender=SENDER))
            return "ok"

    report = outbox.deliver_due(_factory(engine), email=ReentrantProvider(), sms=None,
                                sender=SENDER)

    assert report.sent == 1
    assert nested_reports == [outbox.DeliveryReport(sent=0, failed=0, retried=0)]
    assert ReentrantProvider.calls == 1
    assert _row(engine, key).status == OutboxStatus.SENT


# --- file provider ---------------------------------------------------------------------------


def test_file_provider_writes_eml_with_code(engine, session, tmp_path):
    factories.business(session)
    account, _ = factories.household(session)
    client_auth.request_sign_in_code(session, email=account.email, secret_key=SECRET,
                                     sms_enabled=False)
    code = code_sent_to(session, account.email)
    session.commit()

    report = outbox.deliver_due(_factory(engine), email=FileProvider(tmp_path), sms=None,
                                sender=SENDER)

    assert report.sent == 1
    (path,) = tmp_path.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert code in message["Subject"]
    assert message["To"] == account.email
    assert message["From"] == SENDER
    assert code in message.get_body(preferencelist=("plain",)).get_content()
    assert code in message.get_body(preferencelist=("html",)).get_content()
    row = session.exec(select(OutboxMessage)).one()
    assert message["X-Idempotency-Key"] == row.idempotency_key
    assert path.name == f"{row.idempotency_key}.eml"


def test_file_provider_writes_sms_text_file(engine, session, tmp_path):
    factories.business(session)
    account, _ = factories.household(session, mobile="+15550003333")
    client_auth.request_sign_in_code(session, email=account.email, secret_key=SECRET,
                                     sms_enabled=True)
    code = code_sent_to(session, "+15550003333")
    session.commit()
    files = FileProvider(tmp_path)

    report = outbox.deliver_due(_factory(engine), email=files, sms=files, sender=SENDER)

    assert report.sent == 1
    assert list(tmp_path.glob("*.eml")) == []
    (path,) = tmp_path.glob("*.sms.txt")
    content = path.read_text()
    assert content.startswith("To: +15550003333\n")
    assert code in content


def test_rolled_back_transaction_leaves_no_outbox_row(engine, session):
    factories.business(session)
    account, _ = factories.household(session)
    session.commit()

    with pytest.raises(RuntimeError, match="later step failed"), session_scope() as s:
        client_auth.request_sign_in_code(s, email=account.email, secret_key=SECRET,
                                         sms_enabled=False)
        assert count(s, OutboxMessage) == 1
        raise RuntimeError("later step failed")

    assert count(session, OutboxMessage) == 0


# --- real providers against local fake APIs --------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server naming
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append({
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        })
        payload = json.dumps(self.server.reply).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_api(monkeypatch):
    """A local HTTP server that records POSTs and answers with `server.reply`."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []
    server.reply = {}
    server.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def restore_resend_globals(monkeypatch):
    # The provider sets the SDK's module globals; put them back afterwards.
    monkeypatch.setattr(resend, "api_key", resend.api_key)
    monkeypatch.setattr(resend, "api_url", resend.api_url)


def test_resend_provider_posts_email_with_key_and_idempotency(fake_api, restore_resend_globals):
    fake_api.reply = {"id": "em_0123"}
    port = fake_api.server_address[1]
    message = OutgoingEmail(to="pat@example.test", subject="Your code 123456", text="Code 123456",
                            html="<p>Code 123456</p>", sender=SENDER,
                            idempotency_key="code-abc123")

    provider_id = ResendProvider(api_key="re_test",
                                 api_url=f"http://127.0.0.1:{port}").send_email(message)

    assert provider_id == "em_0123"
    (request,) = fake_api.requests
    assert request["path"] == "/emails"
    assert request["headers"]["authorization"] == "Bearer re_test"
    assert request["headers"]["idempotency-key"] == "code-abc123"
    body = json.loads(request["body"])
    assert body["from"] == SENDER
    assert body["to"] == ["pat@example.test"]
    assert body["subject"] == "Your code 123456"
    assert body["text"] == "Code 123456"
    assert body["html"] == "<p>Code 123456</p>"


def test_resend_provider_error_raises_so_outbox_retries(fake_api, restore_resend_globals,
                                                        engine, session):
    fake_api.reply = {"statusCode": 500, "name": "internal_server_error", "message": "boom"}
    fake_api.status = 500
    (key,) = _enqueue(session)
    provider = ResendProvider(api_key="re_test",
                              api_url=f"http://127.0.0.1:{fake_api.server_address[1]}")

    report = outbox.deliver_due(_factory(engine), email=provider, sms=None, sender=SENDER)

    assert report.retried == 1
    row = _row(engine, key)
    assert (row.status, row.provider) == (OutboxStatus.PENDING, "resend")
    assert fake_api.requests[0]["headers"]["idempotency-key"] == key


def test_twilio_provider_posts_form_with_basic_auth_and_idempotency(fake_api):
    fake_api.reply = {"sid": "SM1"}
    port = fake_api.server_address[1]
    provider = TwilioProvider("AC123", "secret-token", "+15550009999",
                              api_url=f"http://127.0.0.1:{port}/")

    provider_id = provider.send_sms(OutgoingSms(to="+15550001111", text="123456 is your code",
                                                idempotency_key="code-xyz"))

    assert provider_id == "SM1"
    (request,) = fake_api.requests
    assert request["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    expected = base64.b64encode(b"AC123:secret-token").decode()
    assert request["headers"]["authorization"] == f"Basic {expected}"
    assert request["headers"]["i-twilio-idempotency-token"] == "code-xyz"
    assert request["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    form = parse_qs(request["body"].decode())
    assert form == {"To": ["+15550001111"], "From": ["+15550009999"],
                    "Body": ["123456 is your code"]}
