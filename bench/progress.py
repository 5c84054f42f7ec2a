"""What the run says as it goes (`say`, kept for the JSON's phases) and what it ran
on (`machine`, `versions`)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES: list[tuple[float, str]] = []
_T0 = time.monotonic()


def start() -> float:
    """The run's clock starts now (`say` counts from here); returns the moment."""
    global _T0
    _T0 = time.monotonic()
    return _T0


def say(message: str) -> None:
    """Progress on stdout, with the time since the start; kept for the JSON."""
    elapsed = time.monotonic() - _T0
    PHASES.append((round(elapsed, 1), message))
    print(f"bench [{elapsed:5.0f} s] {message}", flush=True)


def machine() -> dict:
    cpu_model = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model,
            "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
            "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "kernel": platform.release()}


def versions() -> dict:
    from bench import browser

    out = {"python": platform.python_version()}
    for name in ("reflex", "granian", "python-socketio", "python-engineio", "sqlalchemy",
                 "sqlmodel", "playwright", "py-spy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    bun = ROOT / ".tools/node_modules/bun/package.json"
    if bun.exists():
        out["bun"] = json.loads(bun.read_text()).get("version", "?")
    out["chromium"] = browser.chromium_version().replace("Chromium ", "")
    return out
