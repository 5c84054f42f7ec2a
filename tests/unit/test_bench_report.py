"""bench/report.py and bench/baseline.py: the actions table's "delta bytes" and
"CPU ÷ trivial (before this issue)" columns, the baseline's lookup, and the bytes
a tab counts per action (bench/tab.py, bench/load.py, bench/wsclient.py)."""

import asyncio
import json
import math

import pytest

from bench import baseline, report
from bench.action_base import Action
from bench.load import Sink, _repeat, run_once
from bench.stats import summarize
from bench.tab import Boot, Tab
from bench.wsclient import OP_TEXT, Socket, encode_frame


def _summary(cpu_ms, *, delta_bytes=None):
    return {"p50": 1.0, "p95": 2.0, "p99": 3.0, "events_per_s": 100.0, "errors": 0,
            "cpu_ms_per_event": cpu_ms, "server_cores": 1.0, "sql_per_event": 4.0,
            "loadgen_core_max": 0.1, "delta_bytes_per_event": delta_bytes}


def _row(point, action, cpu_ms, *, server="large", delta_bytes=None, label=None):
    return {"point": point, "server": server, "data": server, "action": action,
            "label": label or action, "portal": action != "trivial", "config": "single",
            "summary": _summary(cpu_ms, delta_bytes=delta_bytes)}


def _baseline_file(tmp_path, rows, started="2026-12-07 02:29 UTC"):
    path = tmp_path / baseline.FILE
    path.write_text(json.dumps({"started_at": started, "rows": rows}))
    return path


def _results(rows, base):
    return {"started_at": "now", "duration_s": 1.0, "configs": [{"label": "1 process"}],
            "machine": {"cpus": 2, "cpu_model": "x", "memory_gb": 4, "loadavg_start": "1"},
            "versions": {}, "rows": rows, "other": {}, "baseline": base,
            "points": [{"key": "c50", "label": "50 clients"}]}


def _table(text, heading):
    """{row label: {column header: cell}} of the markdown table under `heading`."""
    lines = text.split(f"## {heading}\n\n", 1)[1].split("\n")
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == len(header), line
        table[cells[0]] = dict(zip(header, cells, strict=True))
    return table


def test_baseline_ratio_is_the_same_point_server_and_action_and_nan_elsewhere(tmp_path):
    base = baseline.load(_baseline_file(tmp_path, [
        {"point": "c50", "server": "large", "action": "slots", "ratios": {"cpu_vs_trivial": 38.2}},
        {"point": "c1", "server": "large", "action": "slots", "ratios": {"cpu_vs_trivial": 20.0}},
        {"point": "c50", "server": "small", "action": "slots", "ratios": {"cpu_vs_trivial": 9.0}},
        {"point": "c50", "server": "large", "action": "bell", "ratios": {"cpu_vs_trivial": None}},
    ]))

    assert base["started_at"] == "2026-12-07 02:29 UTC"
    assert baseline.cpu_ratio(base, "c50", "large", "slots") == 38.2
    assert baseline.cpu_ratio(base, "c1", "large", "slots") == 20.0
    assert baseline.cpu_ratio(base, "c50", "small", "slots") == 9.0
    assert math.isnan(baseline.cpu_ratio(base, "c50", "large", "bell"))  # null in the JSON
    assert math.isnan(baseline.cpu_ratio(base, "c50", "large", "lesson"))  # not in that run


def test_a_missing_or_broken_baseline_says_so_and_leaves_the_column_empty(tmp_path):
    missing = baseline.load(tmp_path / baseline.FILE)
    assert missing == {"file": baseline.FILE, "missing": f"{baseline.FILE} not found"}
    (tmp_path / "bad.json").write_text("{not json")
    assert "unreadable" in baseline.load(tmp_path / "bad.json")["missing"]
    (tmp_path / "norows.json").write_text("{}")
    assert baseline.load(tmp_path / "norows.json")["missing"] == "norows.json has no rows"

    rows = [_row("c50", "trivial", 1.0)]
    report.add_ratios(rows)
    baseline.add_before(rows, missing)
    assert math.isnan(rows[0]["ratios"]["cpu_vs_trivial_before"])
    text = report.markdown(_results(rows, missing))
    assert f"is empty: {baseline.FILE} not found" in text


def test_actions_table_shows_delta_bytes_and_both_ratios_side_by_side(tmp_path):
    base = baseline.load(_baseline_file(tmp_path, [
        {"point": "c50", "server": "large", "action": "dashboard",
         "ratios": {"cpu_vs_trivial": 18.04}},
        {"point": "c50", "server": "large", "action": "trivial",
         "ratios": {"cpu_vs_trivial": 1.0}},
    ]))
    rows = [_row("c50", "trivial", 0.5, delta_bytes=210.0, label="trivial event"),
            _row("c50", "dashboard", 2.0, delta_bytes=15234.4, label="open dashboard"),
            _row("c50", "lesson", 3.0, label="open a lesson")]  # new since the baseline
    report.add_ratios(rows)
    baseline.add_before(rows, base)

    text = report.markdown(_results(rows, base))
    table = _table(text, "50 clients")

    assert table["open dashboard"]["delta bytes"] == "15,234"
    assert table["open dashboard"]["CPU ÷ trivial"] == "4.0×"
    assert table["open dashboard"]["CPU ÷ trivial (before this issue)"] == "18.0×"
    assert table["trivial event"]["delta bytes"] == "210"
    assert table["trivial event"]["CPU ÷ trivial (before this issue)"] == "1.0×"
    assert table["open a lesson"]["delta bytes"] == "–"  # not counted
    assert table["open a lesson"]["CPU ÷ trivial"] == "6.0×"
    assert table["open a lesson"]["CPU ÷ trivial (before this issue)"] == "–"
    assert "the run of 2026-12-07 02:29 UTC recorded before issue 18" in text


def test_targets_carry_the_before_ratio_of_the_saturation_point(tmp_path):
    base = baseline.load(_baseline_file(tmp_path, [
        {"point": "c50", "server": "large", "action": "bell", "ratios": {"cpu_vs_trivial": 9.3}},
        {"point": "o200", "server": "large", "action": "bell", "ratios": {"cpu_vs_trivial": 99}},
    ]))
    rows = [_row(p, a, cpu) for p, a, cpu in (("c50", "trivial", 1.0), ("c50", "bell", 3.0),
                                              ("o200", "trivial", 1.0), ("o200", "bell", 5.0))]
    report.add_ratios(rows)
    baseline.add_before(rows, base)

    got = report.targets(rows, open_point="o200", closed_point="c50", server="large")

    assert [(t["action"], t["cpu_vs_trivial"], t["cpu_vs_trivial_before"]) for t in got] == [
        ("bell", 3.0, 9.3)]


def test_summary_divides_delta_bytes_by_answered_events_and_is_nan_when_not_counted():
    repeats = [{"latencies_ms": [1.0, 1.0], "errors": 1, "wall_s": 1.0, "server_cpu_s": 0.1,
                "sql": 2, "loadgen_cpu_s": 0.0, "delta_bytes": 3000, "delta_updates": 4},
               {"latencies_ms": [1.0], "errors": 0, "wall_s": 1.0, "server_cpu_s": 0.1,
                "sql": 1, "loadgen_cpu_s": 0.0, "delta_bytes": 1500, "delta_updates": 2}]
    s = summarize(repeats)
    assert s["delta_bytes_per_event"] == pytest.approx(1500.0)  # 4,500 bytes, 3 answered
    assert s["delta_updates_per_event"] == pytest.approx(2.0)
    del repeats[1]["delta_bytes"]
    assert math.isnan(summarize(repeats)["delta_bytes_per_event"])


def test_socket_reports_each_update_with_its_bytes_on_the_wire():
    got = []
    sock = Socket(on_update=lambda update, size: got.append((update, size)))
    sock._upgraded = True
    text = '42/_event,["event",{"delta":{"s":{"name_rx_state_":"Peña"}}}]'
    sock.data_received(encode_frame(text.encode(), OP_TEXT, mask=b"\0\0\0\0"))
    assert got == [({"delta": {"s": {"name_rx_state_": "Peña"}}}, len(text.encode()))]
    assert len(text.encode()) == len(text) + 1  # bytes, not characters


STAFF: list[Tab] = []


class _Pushes(Action):
    """An action whose answer is three updates as the socket hands them to the tabs:
    two on the client's tab, one on a second tab sharing its count (WeekView's staff tab)."""

    async def run(self, tab, client, seq):
        tab._on_update({"delta": {}}, 100)
        STAFF[0]._on_update({"delta": {}}, 250)
        tab._on_update({"delta": {}}, 4000)
        return []


def test_run_once_counts_what_the_tabs_received_during_the_action():
    async def go():
        tab = Tab("127.0.0.1", 1, Boot())
        STAFF[:] = [Tab("127.0.0.1", 1, Boot(), received=tab.received)]
        tab._on_update({"delta": {}}, 999)  # before the action: not its bytes
        sink = Sink()
        action = _Pushes("push", "push", "portal")
        await run_once(action, tab, None, 0.0, sink)
        STAFF[0]._on_update({"delta": {}}, 50)  # between two actions: neither's
        await run_once(action, tab, None, 0.0, sink)
        Tab("127.0.0.1", 1, Boot())._on_update({"delta": {}}, 7)  # another tab: not counted
        return tab, sink

    tab, sink = asyncio.run(go())
    assert sink.received["push"] == [6, 2 * 4350]
    assert (tab.received.updates, tab.received.bytes) == (8, 999 + 2 * 4350 + 50)

    class _Meter:
        wall_s, server_cpu_s, sql, loadgen_cpu_s = 1.0, 0.1, 0, 0.0

    repeat = _repeat(sink, "push", _Meter(), attributed=True)
    assert (repeat["delta_updates"], repeat["delta_bytes"]) == (6, 8700)
    assert summarize([repeat])["delta_bytes_per_event"] == 4350.0


def test_page_rows_are_also_divided_by_the_page_floor_and_the_targets_table_says_it():
    rows = [_row("c50", "trivial", 0.5), _row("c50", "page_floor", 1.5, label="page floor"),
            _row("c50", "dashboard", 6.0, label="open dashboard"),
            _row("c50", "bell", 2.0, label="open notifications"),
            _row("c50", "private_floor", 2.5, label="private page floor")]
    rows[2]["page"] = True
    report.add_ratios(rows)

    assert rows[2]["ratios"]["cpu_vs_page_floor"] == 4.0
    assert "cpu_vs_page_floor" not in rows[3]["ratios"]  # not a page open
    assert report.page_floor_vs_trivial(rows, point="c50", server="large") == 3.0

    results = _results(rows, None)
    assert report.page_floor_vs_trivial(rows, point="c50", server="large",
                                        key="private_floor") == 5.0
    results["targets"] = {"where": "here", "page_floor_vs_trivial": 3.0,
                          "private_floor_vs_trivial": 5.0,
                          "rows": report.targets(rows, open_point="o200", closed_point="c50",
                                                 server="large")}
    text = report.markdown(results)
    table = _table(text, "Targets (reported, not enforced): here")
    assert table["open dashboard"]["CPU ÷ page floor (pages)"] == "4.00×"
    assert table["open notifications"]["CPU ÷ page floor (pages)"] == "–"
    assert "A page open costs at least the page floor: 3.00× the trivial event" in text
    assert "(the private page floor, /select-account) costs 5.00× the trivial event" in text
