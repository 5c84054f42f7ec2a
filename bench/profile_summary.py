"""A py-spy profile (its speedscope file) as text: where the server's samples fell,
grouped by package (our code, sqlalchemy, reflex, pydantic, other), and the top
functions by self and by inclusive time. Pure functions, unit-tested.

A function is its name and file (py-spy's frame names carry no class, so two
methods of one name in one file count as one). Self time: the samples where the
function is the innermost frame. Inclusive time: the samples where it is on the
stack at all (once per sample, however deep the recursion). Percentages are of
all the profile's samples (every thread that was busy; py-spy leaves idle ones out).
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


def stacks(speedscope: dict) -> list[tuple[list[int], float]]:
    """Every sample of every profile (thread) in the file: (frame indices from the
    outermost to the innermost, weight)."""
    out = []
    for profile in speedscope.get("profiles", ()):
        if profile.get("type") != "sampled":
            continue
        weights = profile.get("weights") or [1.0] * len(profile.get("samples", ()))
        out += list(zip(profile.get("samples", ()), weights, strict=False))
    return out


def summarize(speedscope: dict, root: str, top: int = 15) -> dict:
    """The profile's totals by group and its top functions (see the module docstring)."""
    frames = speedscope.get("shared", {}).get("frames", [])
    # Frame index -> (function key, group); py-spy makes one frame per line, so
    # several frames fold into one function.
    keyed = []
    for frame in frames:
        group, short = where(frame.get("file") or "?", root)
        keyed.append((f"{frame.get('name', '?')} ({short})", group))
    samples = stacks(speedscope)
    total = sum(w for _, w in samples)
    self_w: dict[str, float] = {}
    incl_w: dict[str, float] = {}
    group_self = dict.fromkeys(GROUPS, 0.0)
    group_incl = dict.fromkeys(GROUPS, 0.0)
    group_of: dict[str, str] = {}
    for stack, weight in samples:
        if not stack:
            continue
        leaf, leaf_group = keyed[stack[-1]]
        self_w[leaf] = self_w.get(leaf, 0.0) + weight
        group_self[leaf_group] += weight
        seen_f, seen_g = set(), set()
        for index in stack:
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

    def entry(key: str) -> dict:
        return {"function": key, "group": group_of[key], "self_pct": pct(self_w.get(key, 0.0)),
                "inclusive_pct": pct(incl_w.get(key, 0.0))}

    by_self = sorted(self_w, key=lambda k: (-self_w[k], k))[:top]
    by_incl = sorted(incl_w, key=lambda k: (-incl_w[k], k))[:top]
    return {"samples": len(samples), "sampled_s": total,
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
                  f"CPU per event while sampled), py-spy at {item['rate']} Hz on the server's "
                  f"process tree: {s['samples']:,} samples in {s['threads']} busy threads. "
                  f"Files: `{item['file']}` (speedscope.app)"
                  + (f", `{item['svg']}` (flame graph)" if item.get("svg") else "") + ".", "",
                  "By package (self = innermost frame there; on the stack = anywhere in it): "
                  + ", ".join(f"{g} {v['self_pct']:.0f}% self / {v['inclusive_pct']:.0f}% on the "
                              "stack" for g, v in s["groups"].items()) + ".", ""]
        for title, rows in (("self", s["top_self"]), ("inclusive", s["top_inclusive"])):
            lines += [f"Top {len(rows)} by {title} time:", "",
                      "| function | package | self | inclusive |", "|---|---|---:|---:|"]
            lines += [f"| `{r['function']}` | {r['group']} | {r['self_pct']:.1f}% | "
                      f"{r['inclusive_pct']:.1f}% |" for r in rows]
            lines.append("")
    return lines
