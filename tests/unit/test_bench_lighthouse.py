"""The Lighthouse summary: what bench/lighthouse.py keeps from a Lighthouse result
(scores, paint times, bytes, failing accessibility audits) and its table."""

from bench.lighthouse import markdown, meets, pages, summarize


def _lhr(*, perf=0.93, a11y=0.98, heading_score=0) -> dict:
    return {
        "finalDisplayedUrl": "http://127.0.0.1:3000/bookings",
        "environment": {"benchmarkIndex": 1834.5},
        "categories": {
            "performance": {"score": perf, "auditRefs": [
                {"id": "first-contentful-paint", "weight": 10},
                {"id": "render-blocking-resources", "weight": 0},
                {"id": "uses-long-cache-ttl", "weight": 0}]},
            "accessibility": {"score": a11y, "auditRefs": [
                {"id": "heading-order", "weight": 3},
                {"id": "color-contrast", "weight": 7},
                {"id": "label", "weight": 0}]},
        },
        "audits": {
            "first-contentful-paint": {"numericValue": 1218.37, "score": 0.99},
            "largest-contentful-paint": {"numericValue": 3297.2},
            "total-blocking-time": {"numericValue": 60.4},
            "cumulative-layout-shift": {"numericValue": 0.04567},
            "speed-index": {"numericValue": 1300.1},
            "render-blocking-resources": {"score": 0.5, "scoreDisplayMode": "metricSavings"},
            "uses-long-cache-ttl": {"score": 1, "scoreDisplayMode": "numeric"},
            "heading-order": {"score": heading_score},
            "color-contrast": {"score": 1},
            "label": {"score": 0},  # weight 0: not counted
            "resource-summary": {"details": {"items": [
                {"resourceType": "total", "requestCount": 31, "transferSize": 400_000},
                {"resourceType": "script", "requestCount": 20, "transferSize": 290_000},
                {"resourceType": "stylesheet", "requestCount": 1, "transferSize": 84_000}]}},
        },
    }


def test_summary_keeps_scores_paint_times_bytes_and_failing_audits():
    row = summarize(_lhr())
    assert row["performance"] == 93 and row["accessibility"] == 98
    assert (row["fcp_ms"], row["lcp_ms"], row["tbt_ms"], row["si_ms"]) == (1218, 3297, 60, 1300)
    assert row["cls"] == 0.046
    assert (row["js_bytes"], row["css_bytes"], row["requests"]) == (290_000, 84_000, 31)
    assert row["a11y_failed"] == ["heading-order"]
    assert row["perf_opportunities"] == ["render-blocking-resources"]
    assert row["benchmark_index"] == 1834
    assert row["final_url"].endswith("/bookings")


def test_summary_of_a_failed_run_has_no_scores():
    row = summarize({"runtimeError": {"message": "NO_FCP"}, "categories": {}, "audits": {}})
    assert row["performance"] is None and row["lcp_ms"] is None and row["js_bytes"] is None
    assert row["error"] == "NO_FCP"
    assert meets(row) is None


def test_target_needs_all_three():
    ok = summarize(_lhr(perf=0.9, a11y=1.0, heading_score=1))
    assert ok["a11y_failed"] == [] and meets(ok) is True
    assert meets({**ok, "performance": 89}) is False
    assert meets({**ok, "accessibility": 98}) is False
    assert meets({**ok, "cls": 0.06}) is False


def test_table_has_a_row_per_page_and_names_what_fails():
    result = {"lighthouse": "12.8.2", "profile": "mobile", "loadavg_start": "1.00 1.00 1.00",
              "loadavg_end": "2.00 1.00 1.00", "skipped": ["Profile"],
              "pages": [{"key": "bookings", "label": "Bookings", **summarize(_lhr())},
                        {"key": "login", "label": "Sign-in", "error": "over 75 s"}]}
    text = "\n".join(markdown(result))
    assert "| Bookings | 93 | 98 | 1,218 | 3,297 | 60 | 0.046 |" in text
    assert "MISSED | heading-order |" in text
    assert "| Sign-in | error: over 75 s" in text
    assert "Not run (budget): Profile" in text
    assert "Not measured" in "\n".join(markdown({"skipped": "no lighthouse"}))


def test_pages_cover_the_client_pages_and_the_console():
    listed = {p.key: p for p in pages(invoice_id=42)}
    assert set(listed) == {"login", "dashboard", "bookings", "payments", "invoice", "documents",
                           "messages", "profile", "console_calendar"}
    assert listed["invoice"].path == "/payments/invoice?id=42"
    assert listed["login"].who == "anyone" and listed["console_calendar"].who == "staff"
    assert {p.who for k, p in listed.items() if k not in ("login", "console_calendar")} == {"client"}
