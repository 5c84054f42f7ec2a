"""Benchmark: free-slot search for 90 days with 10 staff and 5,000 bookings.

Seeds a throwaway SQLite database through the models, then times
`free_slots` (warm-up + repeats) and counts its SQL statements at small and
large history. Prints a markdown table and writes JSON to bench/results/.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-bench-"))

import models  # noqa: E402,F401
from models import (  # noqa: E402
    Booking,
    BookingLock,
    Business,
    Client,
    Service,
    ServiceProvider,
    StaffUser,
    WorkingHours,
)
from models.scheduling import UNIT_MINUTES  # noqa: E402
from portal_app.db import make_engine  # noqa: E402
from portal_app.services.scheduling.slots import free_slots  # noqa: E402

STAFF = 10
DAYS = 90
REPEATS = 5


def seed(engine, bookings: int) -> int:
    with Session(engine) as s:
        s.add(Business(name="Bench", timezone="America/New_York"))
        staff = [StaffUser(email=f"s{i}@bench.test", full_name=f"Staff {i}", password_hash="!",  # noqa: S106
                           role="staff") for i in range(STAFF)]
        s.add_all(staff)
        service = Service(name="Session", duration_minutes=60, buffer_after_minutes=15,
                          min_notice_minutes=0, horizon_days=DAYS + 1, change_window_hours=24)
        s.add(service)
        client = Client(full_name="Bench client")
        s.add(client)
        s.flush()
        for st in staff:
            s.add(ServiceProvider(service_id=service.id, staff_id=st.id))
            for wd in range(6):
                s.add(WorkingHours(staff_id=st.id, weekday=wd, start_minute=8 * 60,
                                   end_minute=18 * 60))
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        locks = []
        for i in range(bookings):
            st = staff[i % STAFF]
            # Spread over the window, one per staff per hour slot.
            at = start + timedelta(hours=2 * ((i // STAFF) % (DAYS * 12)))
            b = Booking(client_id=client.id, service_id=service.id, staff_id=st.id,
                        start_at=at, end_at=at + timedelta(minutes=60), status="confirmed")
            s.add(b)
            s.flush()
            for u in range(0, 75, UNIT_MINUTES):
                locks.append(BookingLock(booking_id=b.id, staff_id=st.id,
                                         unit_start=at + timedelta(minutes=u)))
            if len(locks) > 5000:
                s.add_all(locks)
                s.flush()
                locks = []
        s.add_all(locks)
        s.commit()
        return service.id


def measure(bookings: int) -> dict:
    tmp = tempfile.mkdtemp(prefix="portal-bench-db-")
    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    SQLModel.metadata.create_all(engine)
    service_id = seed(engine, bookings)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))
    now = datetime.now(UTC)
    times = []
    slots = 0
    with Session(engine) as s:
        free_slots(s, service_id=service_id, now=now, days=DAYS)  # warm-up
        for _ in range(REPEATS):
            statements.clear()
            t0 = time.perf_counter()
            slots = len(free_slots(s, service_id=service_id, now=now, days=DAYS))
            times.append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    return {"bookings": bookings, "staff": STAFF, "days": DAYS, "slots": slots,
            "queries": len(statements), "median_ms": round(statistics.median(times), 1),
            "min_ms": round(min(times), 1), "max_ms": round(max(times), 1)}


def main() -> None:
    rows = [measure(n) for n in (10, 5000)]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "slots.json").write_text(json.dumps(rows, indent=2))
    print("\n| bookings | staff | days | free slots | SQL statements | median ms | min | max |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['bookings']:,} | {r['staff']} | {r['days']} | {r['slots']:,} | "
              f"{r['queries']} | {r['median_ms']} | {r['min_ms']} | {r['max_ms']} |")
    print(f"\n(JSON in {out / 'slots.json'})")


if __name__ == "__main__":
    main()
