"""bench/statements.py: the statement's SQL count at two history sizes, and the
statement PDF line (measured with a renderer; skipped, saying why, without one)."""

import sys
import types

from bench import statements


def test_statement_queries_do_not_grow_with_history():
    small, large = statements.history(5), statements.history(300)
    assert (small["invoices"], large["invoices"]) == (5, 300)
    assert small["queries_seen"] == large["queries_seen"] == [2]
    assert large["lines_this_month"] >= small["lines_this_month"]
    text = "\n".join(statements.markdown({"history": [small, large],
                                          "pdf": [{"lines": 10, "skipped": "not here"}]}))
    assert "Same number of statements at every size: yes." in text
    assert "Statement PDF: not here." in text


def test_pdf_line_is_skipped_with_the_expected_call_when_the_function_is_missing(monkeypatch):
    monkeypatch.setattr(statements, "PDF_MODULE", "portal_app.services.billing.no_such_pdf")
    got = statements.pdf(3)
    assert got == {"lines": 6, "skipped": "portal_app.services.billing.no_such_pdf is not on "
                                          "this branch (the statement PDF); skipped"}
    fake = types.ModuleType("bench_fake_pdf_empty")
    monkeypatch.setitem(sys.modules, "bench_fake_pdf_empty", fake)
    monkeypatch.setattr(statements, "PDF_MODULE", "bench_fake_pdf_empty")
    assert "expected portal_app.services.billing.statements.pdf.statement_pdf_bytes(session, " \
        "client_id=..., start=..., end=..., lang='en')" in statements.pdf(3)["skipped"]


def test_pdf_line_times_the_renderer_on_the_seeded_lines(monkeypatch):
    calls = []

    def statement_pdf_bytes(session, *, client_id, start, end, lang=""):
        got = statements.statement(session, client_id=client_id, start=start, end=end,
                                   zone=statements.ZONE)
        calls.append((lang, sum(len(c.lines) for c in got.currencies)))
        return b"%PDF-1.4 " + b"x" * 1000 + b"/Type /Page /Type /Pages"

    fake = types.ModuleType("bench_fake_pdf")
    fake.statement_pdf_bytes = statement_pdf_bytes
    monkeypatch.setitem(sys.modules, "bench_fake_pdf", fake)
    monkeypatch.setattr(statements, "PDF_MODULE", "bench_fake_pdf")
    got = statements.pdf(20)
    assert (got["lines"], got["queries"], got["pages"]) == (40, 2, 1)
    assert calls == [("en", 40)] * 5  # warm-up, three timed, one under tracemalloc
    assert got["peak_mb"] >= 0 and got["median_ms"] > 0
