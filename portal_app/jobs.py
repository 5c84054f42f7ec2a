"""Background jobs, run in every worker: the outbox sender, booking reminders,
reminders of forms not completed yet, "a new lesson is open" notices, the monthly
statements and superbills, the daily Community digest, and once a day the stored files no row refers to.

Every worker runs `outbox_loop` (a lifespan task), and each pass of each job
runs in one worker at a time: it first takes the job's lock (`job_lock`: a
PostgreSQL advisory lock, or a file lock next to a SQLite database) and a
worker that does not get it skips the pass. Underneath, outbox rows are still
claimed with a lease, and a reminder is claimed by a conditional UPDATE in the
same transaction that queues its email, so each is sent exactly once even if
two runners ever overlap.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import Booking
from models.base import utcnow
from portal_app.db import get_engine, session_scope
from portal_app.job_lock import job_lock
from portal_app.providers import email_provider_from, sms_provider_from
from portal_app.services.billing import statement_sends as sends
from portal_app.services.billing.dates import business_zone
from portal_app.services.booking_notices import send_reminder
from portal_app.services.business import get_business
from portal_app.services.forms.reminders import send_reminders as send_form_reminders
from portal_app.services.outbox import DeliveryReport, deliver_due
from portal_app.services.scheduling.bookings import claim_reminder, due_reminders
from portal_app.settings import get_settings

log = logging.getLogger("portal.jobs")
REMINDER_EVERY = 30  # outbox passes between reminder passes
# "A new lesson is open" is a daily digest: its pass (every enrolment of every
# published course, the drip worked out twice each) runs at most this often per
# worker, not on every reminder pass. On 10,000 enrolments a pass costs ~2 s of CPU;
# every 30 s that was ~7% of a core, held in bursts beside the clients' events.
COURSE_NOTICES_EVERY = timedelta(minutes=15)
_course_notices_last: list = [None]  # this worker's last pass (the `now` it ran at)
RATE_EVENTS_KEPT = timedelta(days=1)
OUTBOX_JOB = "outbox"
REMINDER_JOB = "reminders"
SUPERBILL_JOB = "superbills"
STORAGE_GC_JOB = "storage-gc"
COMMUNITY_DIGEST_JOB = "community-digest"
STORAGE_GC_EVERY = 24 * 3600  # seconds between a worker's passes
# The first pass an hour after start: a deploy or restart of every worker does not
# list the whole storage at once; a portal that runs for a day still cleans daily.
STORAGE_GC_FIRST = 3600


def deliver_once() -> DeliveryReport | None:
    """Send what is due; None when another worker is running the outbox pass."""
    settings = get_settings()
    engine = get_engine()
    with job_lock(engine, OUTBOX_JOB) as held:
        if not held:
            return None
        return deliver_due(
            lambda: Session(engine, expire_on_commit=False),
            email=email_provider_from(settings),
            sms=sms_provider_from(settings),
            sender=settings.email_from,
        )


def remind_once(now=None) -> int:
    """Queue the reminders that are due; each booking's reminder exactly once.
    The same pass, under the same lock, queues the form reminders (forms/reminders.py:
    at most one a day per client).

    Returns how many booking reminders this call queued (0 also when another worker
    holds the job).
    """
    now = now or utcnow()
    with job_lock(get_engine(), REMINDER_JOB) as held:
        if not held:
            return 0
        sent = _queue_due_reminders(now)
        _queue_form_reminders(now)
        try:
            if course_notices_due(now):
                queue_course_notices(now)
        except Exception:  # noqa: BLE001 - the reminders above are committed; retried next pass
            log.exception("course notices failed")
        file_missing_pdfs()
        try:
            send_monthly_statements(now)
        except Exception:  # noqa: BLE001 - the reminders above are committed; retried next pass
            log.exception("monthly statements failed")
        return sent


def send_monthly_statements(now=None) -> int:
    """On or after the business's statement day (in its zone), e-mail last month's
    statement to every client with activity in it, as staff's bulk send does. Each
    client is claimed (a unique key) with its e-mail in its own transaction, so the
    pass is safe to repeat on every worker and after a crash: once per client and
    month. Returns how many it queued now."""
    now = now or utcnow()
    with session_scope() as session:
        business = get_business(session)
        period = sends.monthly_period_due(
            business, today=now.astimezone(ZoneInfo(business_zone(business))).date())
    if period is None:
        return 0
    report = sends.send_month_in_steps(period_start=period, trigger=sends.MONTHLY,
                                       base_url=get_settings().base_url)
    if report.sent:
        log.info("monthly statements for %s: %s", period, report)
    return report.sent


def _queue_form_reminders(now) -> int:
    """One reminder email per client with open forms (none twice in a day)."""
    with session_scope() as session:
        return send_form_reminders(session, base_url=get_settings().base_url, now=now)


def course_notices_due(now) -> bool:
    """Whether this worker's course-notice pass is due at `now` (and if so, mark it
    run): its first pass, COURSE_NOTICES_EVERY after its last, or a clock that went
    back. A lesson that opens is announced within that interval."""
    last = _course_notices_last[0]
    if last is not None and last <= now < last + COURSE_NOTICES_EVERY:
        return False
    _course_notices_last[0] = now
    return True


def queue_course_notices(now) -> int:
    """"A new lesson is open": at most one notice a day per course and client
    (courses/notices.py; each claimed on its unique key, so a rerun sends nothing)."""
    from portal_app.services.courses.notices import send_lesson_notices

    with session_scope() as session:
        return send_lesson_notices(session, base_url=get_settings().base_url, now=now)


def file_missing_pdfs() -> int:
    """File the signed-form PDFs whose first try failed (each in its own
    transaction, once: file_signed_pdf returns the filed one). Returns how many."""
    from portal_app.providers import select as providers
    from portal_app.services.forms.signed_pdf import file_signed_pdf, submissions_missing_pdf

    settings = get_settings()
    with session_scope() as session:
        pending = submissions_missing_pdf(session)
    filed = 0
    for submission_id in pending:
        try:
            with session_scope() as session:
                file_signed_pdf(session, submission_id=submission_id,
                                base_url=settings.base_url,
                                storage=providers.current().storage,
                                data_dir=settings.data_dir)
            filed += 1
        except Exception:  # noqa: BLE001 - one bad PDF must not stop the others
            log.exception("filing the PDF of form submission %s failed", submission_id)
    return filed


def _queue_due_reminders(now) -> int:
    settings = get_settings()
    with session_scope() as session:
        lead = timedelta(hours=get_business(session).reminder_hours)
        due = due_reminders(session, now=now, lead=lead)
    sent = 0
    for booking_id in due:
        with session_scope() as session:
            if claim_reminder(session, booking_id=booking_id, now=now):
                send_reminder(session, booking=session.get(Booking, booking_id),
                              base_url=settings.base_url,
                              sms_enabled=settings.sms_backend != "none")
                sent += 1
    return sent


def superbills_once(now=None) -> dict[str, int] | None:
    """Last month's superbills once the business's day has come (superbills/monthly.py):
    each client claimed, then issued or held, in its own transaction. None when another
    worker holds the job; the counts of what this pass did otherwise ("done": claimed
    by an earlier pass)."""
    from portal_app.services.billing.superbills import monthly

    now = now or utcnow()
    with job_lock(get_engine(), SUPERBILL_JOB) as held:
        if not held:
            return None
        with session_scope() as session:
            period = monthly.monthly_period(session, now=now)
            ids = (monthly.clients_with_sessions(session, start=period[0], end=period[1],
                                                 now=now) if period else [])
        counts = {monthly.ISSUED: 0, monthly.HELD: 0, monthly.DONE: 0}
        for client_id in ids:
            try:
                with session_scope() as session:
                    outcome = monthly.run_monthly_for(
                        session, client_id=client_id, start=period[0], end=period[1],
                        base_url=get_settings().base_url, now=now)
                counts[outcome] += 1
            except Exception:  # noqa: BLE001 - one client must not stop the others
                log.exception("monthly superbill of client %s failed", client_id)
        return counts


def community_digest_once(now=None) -> int | None:
    """Each member's daily Community digest once their 07:00 has come (community/
    digest.py), each client in its own transaction: the DigestRun row and the email
    commit together, so a digest goes once per day even if two runners overlap.
    None when another worker holds the job; otherwise how many emails were queued."""
    from portal_app.services.community import digest

    now = now or utcnow()
    with job_lock(get_engine(), COMMUNITY_DIGEST_JOB) as held:
        if not held:
            return None
        with session_scope() as session:
            ids = digest.due_clients(session, now=now)
        sent = 0
        for client_id in ids:
            try:
                with session_scope() as session:
                    outcome = digest.send_digest(session, client_id=client_id, now=now,
                                                 base_url=get_settings().base_url)
                sent += outcome == digest.SENT
            except Exception:  # noqa: BLE001 - one client must not stop the others
                log.exception("community digest of client %s failed", client_id)
        return sent


def prune_rate_events_once(now=None) -> int:
    """Forget rate-limit events older than a day (every limit's window is an hour at
    most); the referral link adds one per click, so they must not pile up."""
    from portal_app.services import ratelimit

    now = now or utcnow()
    with session_scope() as session:
        return ratelimit.prune(session, older_than=now - RATE_EVENTS_KEPT)


def storage_gc_once():
    """`portal storage gc` with its default grace period: the GcReport, or None when
    another worker is running it."""
    from portal_app.providers import select as providers
    from portal_app.services.storage_admin.gc import DEFAULT_GRACE_HOURS, collect_garbage

    with job_lock(get_engine(), STORAGE_GC_JOB) as held:
        if not held:
            return None
        with session_scope() as session:
            report = collect_garbage(session, providers.current().storage,
                                     grace_hours=DEFAULT_GRACE_HOURS, dry_run=False)
        if report.deleted or report.failed:
            log.info("storage gc: deleted %s unreferenced files (%s bytes), %s failed",
                     report.deleted, report.deleted_bytes, report.failed)
        return report


async def outbox_loop() -> None:
    """Deliver due messages every few seconds, queue reminders now and then, and
    remove unreferenced stored files once a day."""
    delay = get_settings().outbox_poll_seconds
    passes = 0
    last_gc = time.monotonic() - STORAGE_GC_EVERY + STORAGE_GC_FIRST
    while True:
        try:
            if passes % REMINDER_EVERY == 0:
                await asyncio.to_thread(remind_once)
                await asyncio.to_thread(superbills_once)
                await asyncio.to_thread(prune_rate_events_once)
                await asyncio.to_thread(community_digest_once)
            if time.monotonic() - last_gc >= STORAGE_GC_EVERY:
                last_gc = time.monotonic()
                await asyncio.to_thread(storage_gc_once)
            await asyncio.to_thread(deliver_once)
        except Exception:  # keep the loop alive; the rows stay pending
            log.exception("background pass failed")
        passes += 1
        await asyncio.sleep(delay)
