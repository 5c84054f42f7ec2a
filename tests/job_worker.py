"""One stand-in worker process for the exactly-once test: it runs the production job
loop (`portal_app.jobs.outbox_loop`, the lifespan task every granian worker runs) with
the configured email backend, and appends one line per delivery attempt and per pass
that held the outbox job to a log shared by all the workers."""

import asyncio
import os
import time

from portal_app import jobs
from portal_app.providers import email_provider_from

LOG = os.environ["JOB_TEST_LOG"]
SEND_SECONDS = float(os.environ.get("JOB_TEST_SEND_SECONDS", "0.02"))


def _log(line: str) -> None:
    # One short O_APPEND write per line: lines from several processes never interleave.
    fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{os.getpid()} {line}\n".encode())
    finally:
        os.close(fd)


class RecordingProvider:
    """The configured provider, with every send logged and slowed like a real API call."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name

    def send_email(self, message):
        _log(f"send {message.idempotency_key}")
        time.sleep(SEND_SECONDS)  # widens the window in which another worker could race
        return self.inner.send_email(message)


_real_deliver_due = jobs.deliver_due


def _deliver_due(*args, **kwargs):
    _log("pass")
    return _real_deliver_due(*args, **kwargs)


jobs.email_provider_from = lambda settings: RecordingProvider(email_provider_from(settings))
jobs.deliver_due = _deliver_due
_log("started")
asyncio.run(jobs.outbox_loop())
