"""Benchmark: statements as a client's history grows, and a 2,000-line statement PDF.

    python -m bench.statements

1. SQL statements and time of `statement(...)` (this month, as the client's
   Statements page asks for it) for one client with 10 and with 1,000 invoices:
   the count must be the same (two reads at any size).
2. The statement PDF of 2,000 lines (1,000 invoices each with its payment in the
   range): wall time and peak Python memory (tracemalloc), with 200 lines beside it
   to show how it scales. The PDF module
   (`portal_app.services.billing.statements.pdf`) comes with the client's
   Statements page; without it the line is skipped and says so.

Seeds throwaway SQLite databases through the models (no server). `make bench`
runs it at its end (bench/run.py); it writes bench/results/statements.json.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, SQLModel

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-bench-"))

import models  # noqa: E402,F401
from models import Business, Client, Invoice, InvoiceLine, Payment  # noqa: E402
from portal_app.db import make_engine  # noqa: E402
from portal_app.services.billing.statements import statement, this_month  # noqa: E402

ZONE = "America/New_York"
REPEATS = 5
PDF_MODULE = "portal_app.services.billing.statements.pdf"
PDF_FUNCTION = "statement_pdf_bytes"
PDF_CALL = (f"{PDF_MODULE}.{PDF_FUNCTION}(session, client_id=..., start=..., end=..., "
            "lang='en') -> bytes")


def _seed(engine, invoices: int, *, paid_in_range: bool) -> tuple[int, date, date]:
    """One client with `invoices` sent invoices over the last ~3 years; with
    `paid_in_range` all of them are issued and paid this month instead (two statement
    lines each). Returns the client id and this month's range."""
    start, end = this_month(ZONE)
    with Session(engine) as s:
        s.add(Business(name="Bench", timezone=ZONE, currency="USD", address="1 Bench St"))
        client = Client(full_name="Bench Client", email="bench@example.test", timezone=ZONE)
        s.add(client)
        s.flush()
        for i in range(invoices):
            if paid_in_range:
                issued = start + timedelta(days=i % ((end - start).days + 1))
            else:
                issued = end - timedelta(days=(i * 37) % 1100)
            total = 4000 + (i % 90) * 100
            paid = total if paid_in_range or i % 3 == 0 else (total // 2 if i % 3 == 1 else 0)
            status = "paid" if paid == total else ("partially_paid" if paid else "sent")
            moment = datetime.combine(issued, dtime(15), tzinfo=UTC)
            inv = Invoice(kind="invoice", number=f"INV-{i + 1:06d}", client_id=client.id,
                          status=status, currency="USD", issue_date=issued,
                          due_date=issued + timedelta(days=14), subtotal_minor=total,
                          total_minor=total, paid_minor=paid, sent_at=moment,
                          paid_at=moment if status == "paid" else None)
            s.add(inv)
            s.flush()
            s.add(InvoiceLine(invoice_id=inv.id, description=f"Session {i + 1}",
                              unit_price_minor=total, amount_minor=total))
            if paid:
                s.add(Payment(invoice_id=inv.id, client_id=client.id,
                              receipt_number=f"RCT-{i + 1:06d}", amount_minor=paid,
                              currency="USD", method="card", provider="test",
                              paid_at=moment + timedelta(hours=1)))
        s.commit()
        return client.id, start, end


def _engine(invoices: int, *, paid_in_range: bool):
    path = Path(tempfile.mkdtemp(prefix="portal-bench-db-")) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    client_id, start, end = _seed(engine, invoices, paid_in_range=paid_in_range)
    return engine, client_id, start, end


def history(invoices: int) -> dict:
    """The statement of this month for a client with `invoices` invoices."""
    engine, client_id, start, end = _engine(invoices, paid_in_range=False)
    counted: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(1))
    times, queries, lines = [], set(), 0
    with Session(engine) as s:
        statement(s, client_id=client_id, start=start, end=end, zone=ZONE)  # warm-up
        for _ in range(REPEATS):
            s.expunge_all()
            counted.clear()
            t0 = time.perf_counter()
            got = statement(s, client_id=client_id, start=start, end=end, zone=ZONE)
            times.append((time.perf_counter() - t0) * 1000)
            queries.add(len(counted))
            lines = sum(len(c.lines) for c in got.currencies)
    engine.dispose()
    return {"invoices": invoices, "lines_this_month": lines, "queries": max(queries),
            "queries_seen": sorted(queries), "median_ms": round(statistics.median(times), 2),
            "max_ms": round(max(times), 2)}


def _pdf_function():
    """The statement PDF function, or why the line is skipped."""
    try:
        module = importlib.import_module(PDF_MODULE)
    except ModuleNotFoundError:
        return None, f"{PDF_MODULE} is not on this branch (the statement PDF); skipped"
    render = getattr(module, PDF_FUNCTION, None)
    if render is None:
        return None, f"{PDF_MODULE} has no {PDF_FUNCTION}; expected {PDF_CALL}; skipped"
    return render, ""


def pdf(invoices: int) -> dict:
    """The statement PDF of this month with 2 × `invoices` lines: time and peak memory."""
    render, why = _pdf_function()
    if render is None:
        return {"lines": 2 * invoices, "skipped": why}
    engine, client_id, start, end = _engine(invoices, paid_in_range=True)
    counted: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(1))
    with Session(engine) as s:
        lines = sum(len(c.lines) for c in statement(s, client_id=client_id, start=start,
                                                     end=end, zone=ZONE).currencies)
        render(s, client_id=client_id, start=start, end=end, lang="en")  # warm-up (fonts)
        times = []
        for _ in range(3):  # timed without tracemalloc (it slows Python down several times)
            s.expunge_all()
            counted.clear()
            t0 = time.perf_counter()
            data = render(s, client_id=client_id, start=start, end=end, lang="en")
            times.append((time.perf_counter() - t0) * 1000)
        assert data.startswith(b"%PDF-"), "not a PDF"
        queries = len(counted)
        s.expunge_all()
        gc.collect()
        tracemalloc.start()
        render(s, client_id=client_id, start=start, end=end, lang="en")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    engine.dispose()
    return {"lines": lines, "queries": queries, "bytes": len(data),
            "pages": data.count(b"/Type /Page") - data.count(b"/Type /Pages"),
            "median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "peak_mb": round(peak / 2**20, 1)}


def measure() -> dict:
    return {"history": [history(n) for n in (10, 1000)], "pdf": [pdf(n) for n in (100, 1000)]}


def markdown(result: dict) -> list[str]:
    """The lines of the bench report (bench/report.py) for these measurements."""
    out = ["", "## Statements (bench/statements.py)", "",
           "The client's statement for this month, computed as the Statements page does:",
           "", "| invoices in the history | lines this month | SQL statements | median ms | "
           "max ms |", "|---:|---:|---:|---:|---:|"]
    for r in result["history"]:
        out.append(f"| {r['invoices']:,} | {r['lines_this_month']:,} | {r['queries']} | "
                   f"{r['median_ms']} | {r['max_ms']} |")
    counts = {r["queries"] for r in result["history"]}
    out += ["", "Same number of statements at every size: "
            + ("yes" if len(counts) == 1 else f"NO ({sorted(counts)})") + ".", ""]
    skipped = [r["skipped"] for r in result["pdf"] if "skipped" in r]
    if skipped:
        out.append(f"Statement PDF: {skipped[0]}.")
        return out
    out += ["The statement PDF (from the database to the bytes; peak Python memory by "
            "tracemalloc):", "", "| lines | pages | SQL statements | KB | median ms | max ms | "
            "peak MB |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in result["pdf"]:
        out.append(f"| {r['lines']:,} | {r['pages']} | {r['queries']} | {r['bytes'] / 1024:,.0f}"
                   f" | {r['median_ms']} | {r['max_ms']} | {r['peak_mb']} |")
    return out


def main() -> None:
    result = measure()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "statements.json").write_text(json.dumps(result, indent=2))
    print("\n".join(markdown(result)))
    print(f"\n(JSON in {out / 'statements.json'})")


if __name__ == "__main__":
    main()
