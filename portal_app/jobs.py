"""Background jobs: the outbox sender, run in every worker (the lease keeps it once)."""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import Session

from portal_app.db import get_engine
from portal_app.providers import email_provider_from, sms_provider_from
from portal_app.services.outbox import DeliveryReport, deliver_due
from portal_app.settings import get_settings

log = logging.getLogger("portal.jobs")


def deliver_once() -> DeliveryReport:
    settings = get_settings()
    engine = get_engine()
    return deliver_due(
        lambda: Session(engine, expire_on_commit=False),
        email=email_provider_from(settings),
        sms=sms_provider_from(settings),
        sender=settings.email_from,
    )


async def outbox_loop() -> None:
    """Deliver due messages every few seconds for as long as the worker lives."""
    delay = get_settings().outbox_poll_seconds
    while True:
        try:
            await asyncio.to_thread(deliver_once)
        except Exception:  # keep the loop alive; the rows stay pending
            log.exception("outbox delivery pass failed")
        await asyncio.sleep(delay)
