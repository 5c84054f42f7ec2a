"""Seed a throwaway database for the benchmark, fast.

The schema comes from the real migrations (`portal migrate`); the handful of
business rows (business, staff, one service, working hours) go through the
models, and the bulk (clients, bookings with their lock rows, invoices,
payments, conversations, messages, notifications) through SQLAlchemy core
executemany with explicit ids, so 10,000 clients and 100,000 bookings take
seconds, not minutes.

Sessions for the simulated clients are seeded into the real `auth_session`
table (a random token each, stored as its SHA-256 exactly as the sign-in
route stores it); the benchmark's mixed-in sign-ins go through the real
password sign-in path instead. Every account shares one bcrypt hash of
BENCH_PASSWORD (hashed once: cost 12 takes ~0.3 s).
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.seed_community import seed_community
from bench.seed_courses import TEXT_LESSON_ID, VIDEO_LESSON_ID, seed_course

ROOT = Path(__file__).resolve().parent.parent
BENCH_PASSWORD = "bench password 1"  # noqa: S105 - throwaway benchmark database
ZONE = "America/New_York"
STAFF = 10
BLOCK_MINUTES = 75  # a 60-minute session and its 15-minute buffer
BLOCKS_PER_DAY = 8  # 08:00 .. 17:45 local
DAY_START = time(8, 0)


@dataclass(frozen=True)
class Scale:
    name: str
    clients: int
    bookings: int
    future_bookings: int
    invoices: int
    messages: int
    notifications_per_client: int = 5


SMALL = Scale("small", clients=300, bookings=600, future_bookings=100, invoices=300,
              messages=1_200)
LARGE = Scale("large", clients=10_000, bookings=100_000, future_bookings=5_000,
              invoices=50_000, messages=200_000)


@dataclass
class BenchClient:
    """One simulated signed-in client and the ids its actions use."""

    client_id: int
    email: str
    token: str
    invoice_id: int
    conversation_id: int
    form_request_id: int = 0  # an intake form in progress (the autosave action)
    lesson_id: int = 0  # a text lesson of the course granted to every client
    video_lesson_id: int = 0  # the course's video lesson (the player's progress reports)
    staff_token: str = ""  # a staff member's session, for the console's week view


@dataclass
class Fixture:
    scale: str
    database_url: str
    service_id: int
    clients: list[BenchClient]
    sign_in_emails: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Fixture:
        data = dict(data)
        data["clients"] = [BenchClient(**c) for c in data["clients"]]
        return cls(**data)


def migrate(database_url: str, data_dir: Path) -> subprocess.Popen:
    """`portal migrate` on the database (a subprocess: settings are per process), with
    this checkout's migrations: `-m` from ROOT imports ROOT's portal_app (the venv's
    `portal` script imports the one the venv was installed from, which in a second
    worktree sharing the venv is another checkout, without this one's migrations)."""
    env = {**os.environ, "DATABASE_URL": database_url, "PORTAL_DATA_DIR": str(data_dir),
           "PORTAL_ENV": "dev"}
    env.pop("PORTAL_BENCH", None)
    return subprocess.Popen([sys.executable, "-m", "portal_app.cli", "migrate"],  # noqa: S603
                            env=env,
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _defaults(model) -> dict:
    """Column defaults of a model, as the ORM would fill them (computed once per table)."""
    out = {}
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        if not info.is_required():
            out[name] = info.get_default(call_default_factory=True)
    return out


def _ts(value: datetime) -> str:
    """A UTC datetime as SQLAlchemy's SQLite dialect stores it: 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if value.tzinfo is not None:
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        value = value.replace(tzinfo=None)
    text = str(value)
    return text if value.microsecond else text + ".000000"


def _sql_value(value):
    """A value as SQLAlchemy's SQLite dialect stores it (UTC text, ISO dates, 0/1, JSON)."""
    kind = type(value)
    if kind is datetime:
        return _ts(value)
    if kind is date:
        return value.isoformat()
    if kind is bool:
        return int(value)
    if kind in (list, dict):
        return json.dumps(value)
    return value


def _insert_sql(model, columns) -> str:
    # Table and column names come from our models, never from input.
    return (f"INSERT INTO {model.__tablename__} ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(columns))})")


def _insert(conn, model, rows: list[dict], chunk: int = 50_000) -> None:
    """executemany straight on the SQLite driver: the ORM and core's per-value type
    processing would take most of a minute for the 1.3 million booking locks."""
    if not rows:
        return
    base = _defaults(model)
    columns = [c.name for c in model.__table__.columns]
    sql = _insert_sql(model, columns)
    raw = conn.connection.driver_connection
    for start in range(0, len(rows), chunk):
        batch = []
        for r in rows[start:start + chunk]:
            full = {**base, **r}
            batch.append(tuple([_sql_value(full.get(c)) for c in columns]))
        raw.executemany(sql, batch)


def _block_start(day: date, block: int, zone: ZoneInfo) -> datetime:
    local = datetime.combine(day, DAY_START, tzinfo=zone) + timedelta(minutes=BLOCK_MINUTES * block)
    return local.astimezone(UTC)


def seed(database_url: str, scale: Scale, *, bench_clients: int, sign_in_accounts: int,
         password_hash: str, seed_value: int = 8) -> Fixture:
    """Fill a migrated, empty database; returns what the simulated clients need."""
    import models  # noqa: F401
    from models import (
        AuthSession,
        Booking,
        BookingLock,
        Business,
        Client,
        Conversation,
        FormRequest,
        FormTemplate,
        FormTemplateVersion,
        Invoice,
        InvoiceLine,
        Message,
        Notification,
        NumberSequence,
        Payment,
        PortalAccount,
        Service,
        ServiceProvider,
        StaffUser,
        WorkingHours,
    )
    from models.scheduling import UNIT_MINUTES
    from portal_app.db import make_engine
    from portal_app.services.crypto import sha256_hex

    started = datetime.now(UTC)
    rng = random.Random(seed_value)
    zone = ZoneInfo(ZONE)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(zone).date()
    engine = make_engine(database_url)
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        _insert(conn, Business, [{"id": 1, "name": "Bench Studio", "timezone": ZONE,
                                  "currency": "USD", "portal_enabled": True,
                                  "apps_enabled": ["courses"], "created_at": now}])
        _insert(conn, StaffUser, [{"id": i, "email": f"staff{i}@bench.test",
                                   "full_name": f"Staff {i}", "role": "owner" if i == 1 else "staff",
                                   "password_hash": "!", "created_at": now}
                                  for i in range(1, STAFF + 1)])
        _insert(conn, Service, [{"id": 1, "name": "Session (60 min)", "duration_minutes": 60,
                                 "price_minor": 9500, "buffer_after_minutes": 15,
                                 "min_notice_minutes": 0, "horizon_days": 100,
                                 "change_window_hours": 24, "created_at": now}])
        _insert(conn, ServiceProvider, [{"id": i, "service_id": 1, "staff_id": i}
                                        for i in range(1, STAFF + 1)])
        _insert(conn, WorkingHours, [{"id": (s - 1) * 6 + wd + 1, "staff_id": s, "weekday": wd,
                                      "start_minute": 8 * 60, "end_minute": 18 * 60}
                                     for s in range(1, STAFF + 1) for wd in range(6)])

        n = scale.clients
        accounts, clients = [], []
        for i in range(1, n + 1):
            email = f"client{i}@bench.test"
            accounts.append({"id": i, "email": email, "password_hash": password_hash,
                             "email_verified_at": now, "created_at": now,
                             "last_sign_in_at": now})
            clients.append({"id": i, "full_name": f"Client {i}", "email": email,
                            "timezone": ZONE, "account_id": i, "portal_access": "active",
                            "first_sign_in_at": now, "last_sign_in_at": now,
                            "created_at": now})
        _insert(conn, PortalAccount, accounts)
        _insert(conn, Client, clients)
        counts["clients"] = n

        # Bookings: per staff member, consecutive 75-minute blocks going back in time
        # (history), and a random ~80% of the blocks in the next 90 days (future).
        bookings, locks = [], []
        past = scale.bookings - scale.future_bookings
        booking_id = lock_id = 0

        units = [timedelta(minutes=u) for u in range(0, BLOCK_MINUTES, UNIT_MINUTES)]

        def add_booking(start: datetime, staff: int, status: str) -> None:
            nonlocal booking_id, lock_id
            booking_id += 1
            bookings.append({"id": booking_id, "client_id": rng.randint(1, n), "service_id": 1,
                             "staff_id": staff, "start_at": start,
                             "end_at": start + timedelta(minutes=60), "status": status,
                             "created_by": "client", "created_at": start - timedelta(days=7),
                             "updated_at": start - timedelta(days=7)})
            if status in ("pending", "confirmed"):
                for unit in units:
                    lock_id += 1
                    locks.append((lock_id, booking_id, staff, _ts(start + unit)))

        for k in range(past):
            staff = k % STAFF + 1
            block = k // STAFF
            day = today - timedelta(days=1 + block // BLOCKS_PER_DAY)
            status = rng.choices(("confirmed", "cancelled", "declined"), (85, 10, 5))[0]
            add_booking(_block_start(day, block % BLOCKS_PER_DAY, zone), staff, status)
        future_blocks = [(d, b, s) for d in range(1, 91) for b in range(BLOCKS_PER_DAY)
                         for s in range(1, STAFF + 1)
                         if (today + timedelta(days=d)).weekday() < 6]
        for d, b, s in sorted(rng.sample(future_blocks, scale.future_bookings)):
            status = rng.choices(("confirmed", "pending", "cancelled"), (90, 5, 5))[0]
            add_booking(_block_start(today + timedelta(days=d), b, zone), s, status)
        _insert(conn, Booking, bookings)
        columns = [c.name for c in BookingLock.__table__.columns]
        assert columns == ["id", "booking_id", "staff_id", "unit_start"], columns
        conn.connection.driver_connection.executemany(_insert_sql(BookingLock, columns), locks)
        counts["bookings"], counts["booking_locks"] = len(bookings), len(locks)

        # Invoices (one line each), payments for the paid ones.
        invoices, lines, payments = [], [], []
        for i in range(1, scale.invoices + 1):
            client = (i - 1) % n + 1
            status = rng.choices(("paid", "sent", "partially_paid", "void"), (60, 25, 10, 5))[0]
            if i <= n:
                status = "sent"  # every client has an open invoice to look at
            total = rng.randint(40, 400) * 100
            paid = total if status == "paid" else (total // 2 if status == "partially_paid" else 0)
            issued = today - timedelta(days=rng.randint(0, 1000))
            invoices.append({"id": i, "kind": "invoice", "number": f"INV-{i:06d}",
                             "client_id": client, "status": status, "currency": "USD",
                             "issue_date": issued, "due_date": issued + timedelta(days=14),
                             "subtotal_minor": total, "total_minor": total, "paid_minor": paid,
                             "created_by_staff_id": 1, "sent_at": now, "created_at": now,
                             "updated_at": now,
                             "paid_at": now if status == "paid" else None})
            lines.append({"id": i, "invoice_id": i, "position": 0, "description": "Session",
                          "quantity_hundredths": 100, "unit_price_minor": total,
                          "amount_minor": total})
            if paid:
                payments.append({"id": len(payments) + 1, "invoice_id": i, "client_id": client,
                                 "receipt_number": f"RCT-{len(payments) + 1:06d}",
                                 "amount_minor": paid, "currency": "USD", "method": "card",
                                 "provider": "test", "paid_at": now, "created_at": now})
        _insert(conn, Invoice, invoices)
        _insert(conn, InvoiceLine, lines)
        _insert(conn, Payment, payments)
        _insert(conn, NumberSequence, [
            {"id": 1, "name": "invoice", "next_value": scale.invoices + 1},
            {"id": 2, "name": "receipt", "next_value": len(payments) + 1}])
        counts["invoices"], counts["payments"] = len(invoices), len(payments)

        # Two conversations per client, the messages spread over them.
        conversations, messages = [], []
        per_conversation = max(1, scale.messages // (2 * n))
        for c in range(1, 2 * n + 1):
            client = (c - 1) % n + 1
            start = now - timedelta(days=rng.randint(30, 900))
            conversations.append({"id": c, "client_id": client, "subject": f"Question {c}",
                                  "created_by": "client", "created_at": start,
                                  "last_message_at": start + timedelta(hours=per_conversation),
                                  "client_read_at": now, "staff_read_at": now})
            for m in range(per_conversation):
                messages.append({"id": len(messages) + 1, "conversation_id": c,
                                 "sender": "client" if m % 2 == 0 else "staff",
                                 "sender_staff_id": None if m % 2 == 0 else 1,
                                 "body": f"Message {m} of conversation {c}.",
                                 "created_at": start + timedelta(hours=m)})
        _insert(conn, Conversation, conversations)
        _insert(conn, Message, messages)
        counts["conversations"], counts["messages"] = len(conversations), len(messages)

        notes = [{"id": k * n + c, "client_id": c, "kind": "invoice", "title": "Invoice sent",
                  "link": "/payments", "created_at": now - timedelta(days=k),
                  "read_at": None if k < 2 else now}
                 for c in range(1, n + 1) for k in range(scale.notifications_per_client)]
        _insert(conn, Notification, notes)
        counts["notifications"] = len(notes)

        # An intake form (the demo's client-information form) sent to each simulated
        # client: the autosave action types into it.
        from portal_app.services.demo import CLIENT_INFO_FORM
        from portal_app.services.forms.fields import clean_fields

        _insert(conn, FormTemplate, [{"id": 1, "title": "Client information", "intro": "",
                                      "created_at": now, "updated_at": now}])
        _insert(conn, FormTemplateVersion, [{"id": 1, "template_id": 1, "number": 1,
                                             "title": "Client information", "intro": "",
                                             "fields": clean_fields(CLIENT_INFO_FORM),
                                             "created_at": now, "sent_at": now}])
        _insert(conn, FormRequest, [{"id": cid, "client_id": cid, "template_id": 1,
                                     "version_id": 1, "status": "in_progress", "sent_at": now,
                                     "last_activity_at": now}
                                    for cid in range(1, bench_clients + 1)])
        counts["form_requests"] = bench_clients

        # The Courses app: one published course granted to every client (the lesson
        # page and the player's progress reports are measured).
        counts.update(seed_course(conn, _insert, clients=n, bench_clients=bench_clients, now=now))
        # The Community app: a "storm" group of the first 50 simulated clients and a
        # "quiet" group of every simulated client, with history (bench/seed_community.py).
        counts.update(seed_community(conn, _insert, clients=n, bench_clients=bench_clients,
                                     now=now))

        # The simulated clients: a live session each, in the real sessions table.
        visible = {}
        for inv in invoices:
            if inv["status"] != "void":
                visible.setdefault(inv["client_id"], inv["id"])
        # And a staff session beside each (the console's week view is measured too).
        bench, sessions = [], []
        for cid in range(1, bench_clients + 1):
            token = secrets.token_urlsafe(32)
            staff_token = secrets.token_urlsafe(32)
            sessions.append({"id": cid, "token_hash": sha256_hex(token), "kind": "client",
                             "account_id": cid, "selected_client_id": cid, "created_at": now,
                             "last_seen_at": now, "expires_at": now + timedelta(days=14),
                             "ip": "127.0.0.1", "user_agent": "bench"})
            sessions.append({"id": bench_clients + cid, "token_hash": sha256_hex(staff_token),
                             "kind": "staff", "staff_id": cid % STAFF + 1, "created_at": now,
                             "last_seen_at": now, "expires_at": now + timedelta(days=14),
                             "ip": "127.0.0.1", "user_agent": "bench"})
            bench.append(BenchClient(client_id=cid, email=f"client{cid}@bench.test",
                                     token=token, invoice_id=visible[cid],
                                     conversation_id=cid, form_request_id=cid,
                                     lesson_id=TEXT_LESSON_ID,
                                     video_lesson_id=VIDEO_LESSON_ID,
                                     staff_token=staff_token))
        _insert(conn, AuthSession, sessions)
    engine.dispose()
    first = bench_clients + 1
    return Fixture(
        scale=scale.name, database_url=database_url, service_id=1, clients=bench,
        sign_in_emails=[f"client{i}@bench.test" for i in range(first, first + sign_in_accounts)],
        counts=counts, seconds=round((datetime.now(UTC) - started).total_seconds(), 1))
