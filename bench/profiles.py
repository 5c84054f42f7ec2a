"""Where the server's time goes, at each `make bench`: py-spy records the load
server's process that does the work (of `reflex run`'s tree, the one that used most
CPU in the warm-up; the parent only waits) while it answers one action in a closed
loop (the dashboard, then the 7-day slot search) for a few seconds, into bench/results/:
profile_<action>.speedscope.json (open it at https://www.speedscope.app), a flame
graph profile_<action>.svg drawn from the same samples (bench/flamegraph.py), and a
text summary for bench.md (bench/profile_summary.py).

py-spy reads the server's memory from outside (ptrace; root, or the same user with
ptrace allowed), so nothing changes in the server. It pauses the process briefly at
each sample: the events answered while it records are a little slower, which is why
these windows are not among the measured ones. Where py-spy is missing or cannot
attach, the profile is skipped and the run says why."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path

from bench import actions as A
from bench import flamegraph, profile_summary
from bench.load import Point, close_tabs, measure, open_tabs
from bench.progress import ROOT, say
from bench.servers import cpu_seconds

PROFILED = (A.PORTAL_ACTIONS[0], A.PORTAL_ACTIONS[2])  # open dashboard, search free slots
SECONDS = 5.0
RATE = 200  # samples per second
CLIENTS = 20
RESERVE_S = 30  # what the two profiles take in the run's budget (~10 s each)


def py_spy() -> str | None:
    """The py-spy binary (the bench extra puts it beside this Python), or None."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def busiest(before: dict[int, float]) -> int:
    """Of the processes (pid: CPU seconds then), the one that has used most CPU since.
    py-spy records that one alone: with --subprocesses its idle detection lets the
    waiting threads of the pool through (seen here: 5–35% of the samples)."""
    return max(before, key=lambda pid: (cpu_seconds([pid]) - before[pid], pid))


async def _one(action: A.Action, server, boot, clients: list, folder: Path, exe: str,
               seconds: float) -> dict:
    point = Point("profile", f"profile: {action.label}", clients=len(clients), mode="closed",
                  repeat_s=seconds, warmup_s=0.5)
    out = {"label": action.label, "clients": len(clients), "seconds": seconds, "rate": RATE}
    tabs = await open_tabs(server, boot, clients)
    try:
        # The warm-up puts every tab on the action's page, so the profile holds the action,
        # and shows which process of the server's tree does the work.
        before = {pid: cpu_seconds([pid]) for pid in server.pids()}
        await measure(point, (action,), server, tabs, clients, duration=point.warmup_s)
        pid = busiest(before)
        target = folder / f"profile_{action.key}.speedscope.json"
        target.unlink(missing_ok=True)
        spy = await asyncio.create_subprocess_exec(
            exe, "record", "--pid", str(pid), "--rate", str(RATE),
            "--duration", str(int(seconds)), "--format", "speedscope", "--output", str(target),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        # The loop runs a little longer than py-spy records (it takes a moment to attach).
        got = await measure(point, (action,), server, tabs, clients, duration=seconds + 1.5)
        text, _ = await asyncio.wait_for(spy.communicate(), 30)
        repeat = got["per_action"][action.key]
        events = len(repeat["latencies_ms"])
        out.update(pid=pid, events=events, errors=repeat["errors"],
                   cpu_ms_per_event=1000 * repeat["server_cpu_s"] / max(events, 1))
        if spy.returncode != 0 or not target.exists():
            out["error"] = (f"py-spy exited {spy.returncode}: "
                            f"{text.decode(errors='replace').strip()[-300:]}")
            return out
        data = json.loads(target.read_text())
        out["file"] = target.name
        out["summary"] = profile_summary.summarize(data, str(ROOT))
        svg_path = target.with_name(f"profile_{action.key}.svg")
        svg_path.write_text(flamegraph.svg(data, str(ROOT),
                                           f"{action.label}: {len(clients)} clients, closed loop"))
        out["svg"] = svg_path.name
    finally:
        await close_tabs(tabs)
    return out


async def record(server, boot, fixture, folder: Path, *, seconds: float = SECONDS) -> dict:
    """Both profiles on the running load server: {action key: what `_one` found}."""
    exe = py_spy()
    if exe is None:
        return {a.key: {"label": a.label, "skipped": "py-spy is not installed (the bench extra)"}
                for a in PROFILED}
    folder.mkdir(parents=True, exist_ok=True)
    found = {}
    for action in PROFILED:
        say(f"profile (py-spy): {action.label}")
        try:
            found[action.key] = await _one(action, server, boot, fixture.clients[:CLIENTS],
                                           folder, exe, seconds)
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            found[action.key] = {"label": action.label,
                                 "error": f"{type(exc).__name__}: {exc}"[:300]}
    return found
