"""bench/profile_summary.py and bench/flamegraph.py: a py-spy speedscope profile
grouped by package, its top functions by self and inclusive time, the bench.md
section and the SVG; and one real py-spy recording of a child process
(bench/profiles.py's way of calling it)."""

import json
import subprocess
import sys
import time

import pytest

from bench import flamegraph, profiles
from bench.profile_summary import GROUPS, markdown, summarize, where

ROOT = "/srv/portal"
SITE = "/srv/portal/.venv/lib/python3.11/site-packages"


@pytest.mark.parametrize(("file", "expected"), [
    (f"{ROOT}/portal_app/services/session.py", ("our code", "portal_app/services/session.py")),
    (f"{ROOT}/state/bookings.py", ("our code", "state/bookings.py")),
    ("portal_app/app.py", ("our code", "portal_app/app.py")),  # relative: the server's cwd
    (f"{SITE}/sqlalchemy/orm/session.py", ("sqlalchemy", "sqlalchemy/orm/session.py")),
    (f"{SITE}/sqlmodel/main.py", ("sqlalchemy", "sqlmodel/main.py")),
    (f"{SITE}/reflex/state.py", ("reflex", "reflex/state.py")),
    (f"{SITE}/reflex_base/vars/base.py", ("reflex", "reflex_base/vars/base.py")),
    (f"{SITE}/pydantic/main.py", ("pydantic", "pydantic/main.py")),
    (f"{SITE}/pydantic_core/core.py", ("pydantic", "pydantic_core/core.py")),
    (f"{SITE}/socketio/async_server.py", ("other", "socketio/async_server.py")),
    ("/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/events.py",
     ("other", "asyncio/events.py")),
    (f"{ROOT}/scripts/x.py", ("other", "scripts/x.py")),  # ours, but not the app's code
    ("<frozen importlib._bootstrap>", ("other", "<frozen importlib._bootstrap>")),
])
def test_each_file_falls_in_its_package_group(file, expected):
    assert where(file, ROOT) == expected


FRAMES = [
    {"name": "run", "file": f"{SITE}/granian/asgi.py", "line": 1},  # 0
    {"name": "handle", "file": f"{SITE}/reflex/state.py", "line": 10},  # 1
    {"name": "check_session", "file": f"{ROOT}/portal_app/services/auth.py", "line": 5},  # 2
    {"name": "execute", "file": f"{SITE}/sqlalchemy/orm/session.py", "line": 7},  # 3
    {"name": "validate", "file": f"{SITE}/pydantic/main.py", "line": 3},  # 4
    {"name": "handle", "file": f"{SITE}/reflex/state.py", "line": 12},  # 5: same function
    {"name": "_worker", "file": "/usr/lib/python3.11/concurrent/futures/thread.py"},  # 6
    {"name": "Condition.wait", "file": "/usr/lib/python3.11/threading.py"},  # 7
    {"name": "EpollSelector.select", "file": "/usr/lib/python3.11/selectors.py"},  # 8
    {"name": "Thread.run", "file": "/usr/lib/python3.11/threading.py"},  # 9: not a wait
]


def _speedscope():
    """Three threads. 10 samples at work: 4 in the SQL under the session check, 3 in
    reflex's own handle (2 of them recursing through a second line of it), 2 in
    pydantic, 1 in the server's loop itself; and 4 of threads waiting (an idle pool
    worker, a condition, the loop's select) and 2 with no Python frame, left out."""
    main = [[0, 1, 2, 3]] * 4 + [[0, 1, 5, 1]] * 2 + [[0, 1]] + [[0, 1, 4]] + [[0, 8]]
    pool = [[9, 4], [0], [9, 6], [9, 6], [9, 7]]
    native = [[], []]
    return {"shared": {"frames": FRAMES}, "profiles": [
        {"type": "sampled", "name": "main", "samples": main, "weights": [0.005] * len(main)},
        {"type": "sampled", "name": "pool", "samples": pool, "weights": [0.005] * len(pool)},
        {"type": "sampled", "name": "granian", "samples": native},  # no weights: 1 each
        {"type": "evented", "name": "ignored"}]}


def test_summary_groups_self_and_stack_time_by_package():
    s = summarize(_speedscope(), ROOT)

    assert (s["samples"], s["threads"]) == (10, 3)
    assert (s["samples_all"], s["samples_waiting"], s["samples_no_python"]) == (16, 4, 2)
    assert s["sampled_s"] == pytest.approx(0.05)
    groups = {g: (round(v["self_pct"]), round(v["inclusive_pct"])) for g, v in s["groups"].items()}
    assert list(groups) == list(GROUPS)
    assert groups == {"our code": (0, 40), "sqlalchemy": (40, 40), "reflex": (30, 80),
                      "pydantic": (20, 20), "other": (10, 20)}  # of the 10 at work
    # "other" is on 9 of the stacks, but in the main thread only as its trunk (granian's
    # run, under every one of its samples); what counts is the pool thread's 2 samples.


def test_top_functions_by_self_and_inclusive_time_count_a_recursion_once():
    s = summarize(_speedscope(), ROOT, top=3)

    handle = f"handle ({'reflex/state.py'})"
    assert [(r["function"], r["group"], round(r["self_pct"]), round(r["inclusive_pct"]))
            for r in s["top_self"]] == [
        ("execute (sqlalchemy/orm/session.py)", "sqlalchemy", 40, 40),
        (handle, "reflex", 30, 80),  # two lines of one function: one entry
        ("validate (pydantic/main.py)", "pydantic", 20, 20)]
    # "other" (granian's run, on 90% of the stacks) is left out of the inclusive list
    assert [(r["function"], round(r["inclusive_pct"])) for r in s["top_inclusive"]] == [
        (handle, 80), ("check_session (portal_app/services/auth.py)", 40),
        ("execute (sqlalchemy/orm/session.py)", 40)]


def test_a_threads_trunk_stops_at_our_code_and_short_of_the_innermost_frame():
    frames = [{"name": "serve", "file": f"{SITE}/granian/server.py"},  # 0
              {"name": "run_prod", "file": f"{SITE}/reflex/reflex.py"},  # 1
              {"name": "on_load", "file": f"{ROOT}/state/session.py"},  # 2
              {"name": "execute", "file": f"{SITE}/sqlalchemy/orm/session.py"}]  # 3
    # One thread: every sample under serve > run_prod > on_load; a second thread
    # with one sample, which has no trunk below its innermost frame.
    data = {"shared": {"frames": frames}, "profiles": [
        {"type": "sampled", "samples": [[0, 1, 2, 3], [0, 1, 2]], "weights": [1, 1]},
        {"type": "sampled", "samples": [[0, 1]], "weights": [1]}]}
    s = summarize(data, ROOT)
    groups = {g: round(v["inclusive_pct"]) for g, v in s["groups"].items()}
    # reflex: only the second thread's run_prod (its innermost frame) counts
    assert groups == {"our code": 67, "sqlalchemy": 33, "reflex": 33, "pydantic": 0, "other": 0}
    assert [(r["function"], round(r["inclusive_pct"])) for r in s["top_inclusive"]] == [
        ("on_load (state/session.py)", 67), ("execute (sqlalchemy/orm/session.py)", 33),
        ("run_prod (reflex/reflex.py)", 33)]


def test_markdown_section_names_the_files_groups_and_top_rows():
    s = summarize(_speedscope(), ROOT, top=2)
    profiles_ = {"dashboard": {"label": "open dashboard", "clients": 20, "seconds": 5.0,
                               "events": 400, "cpu_ms_per_event": 12.5, "rate": 200,
                               "file": "profile_dashboard.speedscope.json",
                               "svg": "profile_dashboard.svg", "summary": s},
                 "slots": {"label": "search free slots (7 days)",
                           "error": "py-spy exited 1: Permission denied"}}
    text = "\n".join(markdown(profiles_))

    assert "### open dashboard" in text
    assert ("16 samples in 3 threads, of which 10 of Python at work (left out: 4 of threads "
            "waiting, 2 with no Python frame)") in text
    assert "`profile_dashboard.speedscope.json` (speedscope.app), `profile_dashboard.svg`" in text
    assert "our code 0% self / 40% on the stack, sqlalchemy 40% self / 40% on the stack" in text
    assert "| `execute (sqlalchemy/orm/session.py)` | sqlalchemy | 40.0% | 40.0% |" in text
    assert "- search free slots (7 days): no profile (py-spy exited 1: Permission denied)." in text


def test_flame_graph_boxes_are_as_wide_as_their_share_and_coloured_by_group():
    tree = flamegraph.tree(_speedscope(), ROOT)
    assert tree["value"] == pytest.approx(0.05)
    run = tree["children"]["run (granian/asgi.py)"]
    assert run["value"] == pytest.approx(0.045)
    assert tree["children"]["Thread.run (threading.py)"]["value"] == pytest.approx(0.005)
    handle = run["children"]["handle (reflex/state.py)"]
    assert handle["value"] == pytest.approx(0.04) and handle["group"] == "reflex"
    assert handle["children"]["handle (reflex/state.py)"]["value"] == pytest.approx(0.01)

    svg = flamegraph.svg(_speedscope(), ROOT, "open dashboard")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    # handle: 80% of the 1,200 px, in reflex's colour
    assert (f'width="960.00" height="{flamegraph.ROW - 1}" '
            f'fill="{flamegraph.COLOURS["reflex"]}"') in svg
    assert "<title>execute (sqlalchemy/orm/session.py) — 40.0%</title>" in svg


def test_py_spy_records_a_real_child_process_into_a_summary(tmp_path):
    exe = profiles.py_spy()
    if exe is None:
        pytest.fail("py-spy is not installed: pip install -e '.[bench]'")
    script = tmp_path / "busy.py"
    script.write_text("import time\n\ndef spin_here():\n    s = 0\n    for i in range(10**6):\n"
                      "        s += i\n    return s\n\nend = time.time() + 8\n"
                      "while time.time() < end:\n    spin_here()\n")
    child = subprocess.Popen([sys.executable, str(script)])
    try:
        time.sleep(0.3)
        out = tmp_path / "p.speedscope.json"
        done = subprocess.run([exe, "record", "--pid", str(child.pid), "--subprocesses",
                               "--rate", "100", "--duration", "1", "--format", "speedscope",
                               "--output", str(out)], capture_output=True, timeout=60)
    finally:
        child.kill()
        child.wait()
    assert done.returncode == 0, done.stdout + done.stderr
    s = summarize(json.loads(out.read_text()), str(tmp_path))
    assert s["samples"] > 30
    top = s["top_self"][0]
    assert top["function"] == "spin_here (busy.py)" and top["self_pct"] > 50
