"""A py-spy profile (its speedscope file) as text: where the server's samples fell,
grouped by package (our code, sqlalchemy, reflex, pydantic, other), and the top
functions by self and by inclusive time. Pure functions, unit-tested.

Only the samples of Python at work count. Left out, and counted apart: samples with
no Python frame (granian's own threads, in Rust) and samples of a thread waiting
(its innermost frame a known wait: an idle pool worker, `Condition.wait`, the event
loop's `select`). py-spy is meant to leave idle threads out itself, but on this
machine it lets the executor's and anyio's waiting threads through (~45% of the
samples in a first recording), so the summary filters them again.

A function is its name and file (py-spy gives the qualified name, `Class.method`, on
Python 3.11+). Self time: the samples where the function is the innermost frame.
Inclusive time: the samples where it is on the stack at all (once per sample,
however deep the recursion), above its thread's trunk: the outermost frames all of
that thread's samples share (granian, the `reflex run` command, the event loop), which
say nothing about where the time goes; so too a group's "on the stack". The inclusive
list also leaves out the "other" group (asyncio's handles and the like, on most stacks). Percentages are of the samples of Python at work.
"""

from __future__ import annotations

import re

GROUPS = ("our code", "sqlalchemy", "reflex", "pydantic", "other")
# Top-level packages by group; anything else in site-packages or the standard
# library is "other" (socket.io, granian, starlette, asyncio, json...).
PACKAGES = {"sqlalchemy": "sqlalchemy", "sqlmodel": "sqlalchemy", "alembic": "sqlalchemy",
            "pydantic": "pydantic", "pydantic_core": "pydantic",
            "pydantic_settings": "pydantic"}
OUR_FOLDERS = ("portal_app", "state", "components", "models", "bench", "rxconfig.py")
STDLIB = re.compile(r"/lib/python3\.\d+/(?!site-packages/)")


def where(file: str, root: str) -> tuple[str, str]:
    """(group, short path) of a source file as py-spy names it."""
    if "site-packages/" in file:
        short = file.rsplit("site-packages/", 1)[1]
        package = short.split("/", 1)[0]
        if package.startswith("reflex"):  # reflex, reflex_base, reflex_components_*...
            return "reflex", short
        return PACKAGES.get(package, "other"), short
    root = root.rstrip("/") + "/"
    if file.startswith(root):
        short = file[len(root):]
        return ("our code" if short.split("/", 1)[0] in OUR_FOLDERS else "other"), short
    stdlib = STDLIB.search(file)
    if stdlib:
        return "other", file[stdlib.end():]
    if file.split("/", 1)[0] in OUR_FOLDERS:  # a relative path (the server's cwd is root)
        return "our code", file
    return "other", file


# (file's short path, function name or its ".suffix"): innermost frames of a thread waiting.
WAITS = (("concurrent/futures/thread.py", "_worker"), ("threading.py", ".wait"),
         ("selectors.py", ".select"))


def waiting(name: str, short: str) -> bool:
    return any(short == file and (name == fn or (fn.startswith(".") and name.endswith(fn)))
               for file, fn in WAITS)


def stacks(speedscope: dict) -> list[tuple[list[int], float, int]]:
    """Every sample of every profile (thread) in the file: (frame indices from the
    outermost to the innermost, weight, the thread's number)."""
    out = []
    for thread, profile in enumerate(speedscope.get("profiles", ())):
        if profile.get("type") != "sampled":
            continue
        weights = profile.get("weights") or [1.0] * len(profile.get("samples", ()))
        out += [(stack, w, thread)
                for stack, w in zip(profile.get("samples", ()), weights, strict=False)]
    return out


def _trunk(stacks_: list[list[int]], keyed: list) -> int:
    """How many outermost frames every one of a thread's samples shares (the thread's
    plumbing: granian, the reflex command that started it, the event loop), stopping
    at our code's first frame and short of any sample's innermost frame."""
    if not stacks_:
        return 0
    n = min(len(s) for s in stacks_) - 1
    for i in range(n):
        key, group = keyed[stacks_[0][i]]
        if group == "our code" or any(keyed[s[i]][0] != key for s in stacks_):
            return i
    return max(n, 0)


def at_work(speedscope: dict, root: str) -> tuple[list, list, dict]:
    """(frame index -> (function key, group), the samples of Python at work as
    (stack, weight, the length of its thread's trunk), the samples' counts: all, no
    Python frame, waiting). py-spy makes one frame per line, so several frames fold
    into one function key."""
    keyed, idle = [], []
    for frame in speedscope.get("shared", {}).get("frames", []):
        group, short = where(frame.get("file") or "?", root)
        name = frame.get("name", "?")
        keyed.append((f"{name} ({short})", group))
        idle.append(waiting(name, short))
    every = stacks(speedscope)
    busy = [(stack, w, t) for stack, w, t in every if stack and not idle[stack[-1]]]
    by_thread: dict[int, list] = {}
    for stack, _, thread in busy:
        by_thread.setdefault(thread, []).append(stack)
    trunks = {t: _trunk(s, keyed) for t, s in by_thread.items()}
    no_python = sum(1 for stack, _, _ in every if not stack)
    return keyed, [(s, w, trunks[t]) for s, w, t in busy], {
        "all": len(every), "no_python": no_python, "waiting": len(every) - no_python - len(busy)}


def summarize(speedscope: dict, root: str, top: int = 15) -> dict:
    """The profile's totals by group and its top functions (see the module docstring)."""
    keyed, samples, counts = at_work(speedscope, root)
    total = sum(w for _, w, _ in samples)
    self_w: dict[str, float] = {}
    incl_w: dict[str, float] = {}
    group_self = dict.fromkeys(GROUPS, 0.0)
    group_incl = dict.fromkeys(GROUPS, 0.0)
    group_of: dict[str, str] = {}
    for stack, weight, trunk in samples:
        leaf, leaf_group = keyed[stack[-1]]
        self_w[leaf] = self_w.get(leaf, 0.0) + weight
        group_self[leaf_group] += weight
        seen_f, seen_g = set(), set()
        for index in stack[trunk:]:
            key, group = keyed[index]
            group_of[key] = group
            if key not in seen_f:
                seen_f.add(key)
                incl_w[key] = incl_w.get(key, 0.0) + weight
            if group not in seen_g:
                seen_g.add(group)
                group_incl[group] += weight

    def pct(w: float) -> float:
        return 100 * w / total if total else 0.0

    for stack, _, _ in samples:  # trunk frames too have a group, for the self list
        for index in stack:
            group_of.setdefault(*keyed[index])

    def entry(key: str) -> dict:
        return {"function": key, "group": group_of[key], "self_pct": pct(self_w.get(key, 0.0)),
                "inclusive_pct": pct(incl_w.get(key, 0.0))}

    by_self = sorted(self_w, key=lambda k: (-self_w[k], k))[:top]
    # The server's plumbing (granian, asyncio, click...) is on nearly every stack:
    # the inclusive list leaves "other" out to show the frames that say something.
    by_incl = sorted((k for k in incl_w if group_of[k] != "other"),
                     key=lambda k: (-incl_w[k], k))[:top]
    return {"samples": len(samples), "sampled_s": total, "samples_all": counts["all"],
            "samples_no_python": counts["no_python"], "samples_waiting": counts["waiting"],
            "threads": sum(1 for p in speedscope.get("profiles", ())
                           if p.get("type") == "sampled"),
            "groups": {g: {"self_pct": pct(group_self[g]), "inclusive_pct": pct(group_incl[g])}
                       for g in GROUPS},
            "top_self": [entry(k) for k in by_self],
            "top_inclusive": [entry(k) for k in by_incl]}


def markdown(profiles: dict) -> list[str]:
    """The bench.md section: one block per profiled action."""
    lines = ["", "## Where the server's time goes (py-spy)", ""]
    for key, item in profiles.items():
        label = item.get("label", key)
        if item.get("skipped") or item.get("error"):
            lines += [f"- {label}: no profile ({item.get('skipped') or item.get('error')})."]
            continue
        s = item["summary"]
        lines += [f"### {label}", "",
                  f"{item['clients']} clients in a closed loop for {item['seconds']:g} s "
                  f"({item['events']} events answered, {item['cpu_ms_per_event']:.2f} ms server "
                  f"CPU per event while sampled), py-spy at {item['rate']} Hz on the server "
                  f"process that answered them: {s['samples_all']:,} samples in {s['threads']} "
                  f"threads, of which {s['samples']:,} of Python at work (left out: "
                  f"{s['samples_waiting']:,} of threads waiting, {s['samples_no_python']:,} "
                  "with no Python frame). "
                  f"Files: `{item['file']}` (speedscope.app)"
                  + (f", `{item['svg']}` (flame graph)" if item.get("svg") else "") + ".", "",
                  "By package, of the samples at work (self = innermost frame there; on the "
                  "stack = anywhere in it): "
                  + ", ".join(f"{g} {v['self_pct']:.0f}% self / {v['inclusive_pct']:.0f}% on the "
                              "stack" for g, v in s["groups"].items()) + ".", ""]
        for title, rows in (("self time", s["top_self"]),
                            ("inclusive time (\"other\" left out: the server's plumbing, "
                             "on every stack)", s["top_inclusive"])):
            lines += [f"Top {len(rows)} by {title}:", "",
                      "| function | package | self | inclusive |", "|---|---|---:|---:|"]
            lines += [f"| `{r['function']}` | {r['group']} | {r['self_pct']:.1f}% | "
                      f"{r['inclusive_pct']:.1f}% |" for r in rows]
            lines.append("")
    return lines
