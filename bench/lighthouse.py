"""Lighthouse on a phone: the portal's pages as Lighthouse's default mobile profile
sees them (simulated slow 4G, 4x CPU slowdown, a Moto G-sized screen), signed in.

    python -m bench.lighthouse [--budget SECONDS] [--pages login,dashboard,...]

Alone, it seeds the small business into a throwaway SQLite database, starts
`reflex run --env prod --single-port` on it (bench/servers.py) and runs each page
once; `make bench` calls `measure()` on its own server instead. npm `lighthouse`
(from .tools, `make bench` installs it) drives Debian's /usr/bin/chromium; the
signed-in pages carry the seeded session's HttpOnly `portal_session` cookie as an
extra request header (the websocket's handshake carries it too). Each page records
the performance and accessibility scores, FCP, LCP, CLS, TBT, Speed Index and the
JS/CSS bytes transferred (compressed). Writes bench/results/lighthouse.json
(and .md) when run alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LIGHTHOUSE = ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
                "--disable-background-networking --disable-component-update --disable-sync "
                "--no-first-run")
BUDGET_S = 200  # nine pages at ~15-25 s each, with room for a slow one
PAGE_TIMEOUT_S = 75
TARGETS = {"performance": 90, "accessibility": 100, "cls": 0.05}
METRICS = {"fcp_ms": "first-contentful-paint", "lcp_ms": "largest-contentful-paint",
           "tbt_ms": "total-blocking-time", "cls": "cumulative-layout-shift",
           "si_ms": "speed-index"}


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    who: str  # "anyone", "client" or "staff": whose cookie it carries


def pages(invoice_id: int) -> list[Page]:
    """The client's pages, one invoice, and the console's busiest page (everyone's
    week in the calendar: the bench's staff action)."""
    return [
        Page("login", "Sign-in", "/login", "anyone"),
        Page("dashboard", "Dashboard", "/dashboard", "client"),
        Page("bookings", "Bookings", "/bookings", "client"),
        Page("payments", "Payments", "/payments", "client"),
        Page("invoice", "An invoice", f"/payments/invoice?id={invoice_id}", "client"),
        Page("documents", "Documents", "/documents", "client"),
        Page("messages", "Messages", "/messages", "client"),
        Page("profile", "Profile", "/profile", "client"),
        Page("console_calendar", "Console: calendar (week)", "/console/calendar", "staff"),
    ]


def summarize(lhr: dict) -> dict:
    """The figures we keep from one Lighthouse result (its JSON, `lhr`)."""
    cats, audits = lhr.get("categories", {}), lhr.get("audits", {})

    def score(name: str) -> int | None:
        value = (cats.get(name) or {}).get("score")
        return None if value is None else round(value * 100)

    bench_index = (lhr.get("environment") or {}).get("benchmarkIndex")
    out: dict = {"performance": score("performance"), "accessibility": score("accessibility"),
                 "final_url": lhr.get("finalDisplayedUrl") or lhr.get("finalUrl"),
                 # Lighthouse's own CPU benchmark of the machine at that moment (its 4x
                 # slowdown is calibrated for ~1,000-2,000; a loaded machine scores lower)
                 "benchmark_index": None if bench_index is None else round(bench_index)}
    for key, audit_id in METRICS.items():
        value = (audits.get(audit_id) or {}).get("numericValue")
        out[key] = None if value is None else (round(value, 3) if key == "cls" else round(value))
    by_type = {item.get("resourceType"): item for item in
               ((audits.get("resource-summary") or {}).get("details") or {}).get("items", [])}
    out["js_bytes"] = (by_type.get("script") or {}).get("transferSize")
    out["css_bytes"] = (by_type.get("stylesheet") or {}).get("transferSize")
    out["requests"] = (by_type.get("total") or {}).get("requestCount")
    a11y = (cats.get("accessibility") or {}).get("auditRefs", [])
    out["a11y_failed"] = sorted(
        ref["id"] for ref in a11y
        if ref.get("weight") and (audits.get(ref["id"]) or {}).get("score") not in (None, 1))
    perf = (cats.get("performance") or {}).get("auditRefs", [])
    out["perf_opportunities"] = sorted(
        ref["id"] for ref in perf
        if not ref.get("weight") and (audits.get(ref["id"]) or {}).get("score") is not None
        and (audits.get(ref["id"]) or {}).get("score") < 0.9
        and (audits.get(ref["id"]) or {}).get("scoreDisplayMode") in ("metricSavings", "binary",
                                                                      "numeric"))
    if lhr.get("runtimeError"):
        out["error"] = lhr["runtimeError"].get("message", "runtime error")
    return out


def meets(row: dict) -> bool | None:
    if row.get("performance") is None:
        return None
    return (row["performance"] >= TARGETS["performance"]
            and row["accessibility"] == TARGETS["accessibility"]
            and (row.get("cls") or 0) <= TARGETS["cls"])


def run_page(url: str, *, cookie: str | None, out_dir: Path,
             timeout: float = PAGE_TIMEOUT_S) -> dict:
    """One Lighthouse run (mobile defaults), its summary, and its wall time."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = url.rstrip("/").rsplit("/", 1)[-1].replace("?", "_").replace("=", "_") or "root"
    report = out_dir / f"{name}.json"
    args = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
            "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}",
            "--max-wait-for-load=30000"]
    if cookie:
        headers = out_dir / "headers.json"
        headers.write_text(json.dumps({"Cookie": cookie}))
        args.append(f"--extra-headers={headers}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    started = time.monotonic()
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True,  # noqa: S603
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s", "seconds": round(time.monotonic() - started, 1)}
    seconds = round(time.monotonic() - started, 1)
    if done.returncode != 0 or not report.exists():
        return {"error": (done.stderr or done.stdout)[-300:].strip() or f"exit {done.returncode}",
                "seconds": seconds}
    row = summarize(json.loads(report.read_text()))
    row["seconds"] = seconds
    return row


def unavailable() -> str | None:
    if not LIGHTHOUSE.exists():
        return f"no {LIGHTHOUSE.relative_to(ROOT)} (make bench installs it)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}"
    return None


def measure(base_url: str, *, client_token: str, staff_token: str, invoice_id: int,
            budget_s: float = BUDGET_S, only: set[str] | None = None,
            out_dir: Path | None = None) -> dict:
    """Each page once, in order, while the budget lasts (a page that no longer fits
    is named in `skipped`)."""
    why = unavailable()
    if why:
        return {"skipped": why}
    cookies = {"anyone": None, "client": f"portal_session={client_token}",
               "staff": f"portal_session={staff_token}"}
    out_dir = out_dir or Path(tempfile.mkdtemp(prefix="portal-lighthouse-"))
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True,  # noqa: S603
                             text=True, timeout=30).stdout.strip()
    result: dict = {"lighthouse": version, "profile": "mobile (simulated slow 4G, 4x CPU)",
                    "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
                    "pages": [], "skipped": []}
    deadline = time.monotonic() + budget_s
    for page in pages(invoice_id):
        if only and page.key not in only:
            continue
        left = deadline - time.monotonic()
        if left < 20:
            result["skipped"].append(page.label)
            continue
        row = run_page(base_url + page.path, cookie=cookies[page.who], out_dir=out_dir,
                       timeout=min(PAGE_TIMEOUT_S, left))
        result["pages"].append({"key": page.key, "label": page.label, "path": page.path, **row})
    result["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return result


def for_bench(server, fixture, budget_s: float = BUDGET_S) -> dict:
    """bench/run.py's one call: the load server, its first simulated client."""
    client = fixture.clients[0]
    try:
        return measure(f"http://127.0.0.1:{server.port}", client_token=client.token,
                       staff_token=client.staff_token, invoice_id=client.invoice_id,
                       budget_s=budget_s)
    except Exception as exc:  # noqa: BLE001 - reported, the bench goes on
        return {"skipped": f"failed: {type(exc).__name__}: {exc}"[:300]}


def _n(value, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def markdown(result: dict) -> list[str]:
    """The table for bench.md."""
    lines = ["", "## Lighthouse, mobile (phone)", ""]
    if not result.get("pages"):
        return lines + [f"Not measured: {result.get('skipped') or 'no page'}."]
    lines += [f"Lighthouse {result['lighthouse']}, {result['profile']}, Chromium at {CHROMIUM}; "
              f"each page once, signed in; load average {result['loadavg_start']} at start, "
              f"{result['loadavg_end']} at end. Targets: performance ≥ {TARGETS['performance']}, "
              f"accessibility {TARGETS['accessibility']}, CLS ≤ {TARGETS['cls']}. \"CPU index\" is "
              "Lighthouse's benchmark of this machine during the run (its 4x slowdown assumes "
              "~1,000-2,000).", "",
              "| page | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS | "
              "Speed Index ms | JS KB | CSS KB | requests | CPU index | target | failing |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for row in result["pages"]:
        if row.get("error"):
            lines.append(f"| {row['label']} | error: {row['error'][:80]} ||||||||||||")
            continue
        ok = meets(row)
        failing = ", ".join(row.get("a11y_failed", []))
        lines.append(
            f"| {row['label']} | {_n(row['performance'])} | {_n(row['accessibility'])} | "
            f"{_n(row['fcp_ms'])} | {_n(row['lcp_ms'])} | {_n(row['tbt_ms'])} | "
            f"{_n(row['cls'], 3)} | {_n(row['si_ms'])} | "
            f"{_n((row['js_bytes'] or 0) / 1024)} | {_n((row['css_bytes'] or 0) / 1024)} | "
            f"{_n(row['requests'])} | {_n(row.get('benchmark_index'))} | "
            f"{'met' if ok else 'MISSED'} | {failing} |")
    if result.get("skipped"):
        lines += ["", "Not run (budget): " + ", ".join(result["skipped"])]
    return lines


def _serve(work: Path):
    """Seed the small business and start the portal on it (as bench/run.py does)."""
    from bench import seed, servers
    from portal_app.services.crypto import hash_password

    url = f"sqlite:///{work}/small.db"
    proc = seed.migrate(url, work / "data")
    if proc.wait() != 0:
        raise RuntimeError(f"portal migrate failed: {proc.stderr.read().decode()}")
    fixture = seed.seed(url, seed.SMALL, bench_clients=2, sign_in_accounts=1,
                        password_hash=hash_password(seed.BENCH_PASSWORD))
    server = servers.start_portal(servers.SINGLE_PROCESS, "small", database_url=url,
                                  work=work / "server", web_dir=work / "web")
    return server, fixture


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=BUDGET_S,
                        help=f"seconds for the Lighthouse runs (default {BUDGET_S})")
    parser.add_argument("--pages", default="", help="comma-separated page keys (default: all)")
    parser.add_argument("--url", default="", help="a running portal instead of starting one "
                        "(then --client-token, --staff-token and --invoice-id)")
    parser.add_argument("--client-token", default="")
    parser.add_argument("--staff-token", default="")
    parser.add_argument("--invoice-id", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the reports and the server's folder")
    args = parser.parse_args(argv)
    only = {p.strip() for p in args.pages.split(",") if p.strip()} or None
    why = unavailable()
    if why:
        print(f"lighthouse: {why}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="portal-lighthouse-"))
    os.environ.setdefault("PORTAL_DATA_DIR", str(work / "data"))
    server = None
    try:
        if args.url:
            base, client_token, staff_token = args.url.rstrip("/"), args.client_token, args.staff_token
            invoice_id = args.invoice_id
        else:
            print("lighthouse: seeding and starting the portal (small business)...", flush=True)
            server, fixture = _serve(work)
            client = fixture.clients[0]
            base = f"http://127.0.0.1:{server.port}"
            client_token, staff_token, invoice_id = (client.token, client.staff_token,
                                                     client.invoice_id)
        result = measure(base, client_token=client_token, staff_token=staff_token,
                         invoice_id=invoice_id, budget_s=args.budget, only=only,
                         out_dir=work / "reports")
    finally:
        if server:
            server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(json.dumps(result, indent=1))
    text = "\n".join(markdown(result)) + "\n"
    (RESULTS / "lighthouse.md").write_text(text)
    print(text)
    if args.keep:
        print(f"(kept {work})")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
