"""A flame graph (SVG) drawn from a py-spy speedscope file, so one recording gives
both (py-spy writes one format per run). The outermost frame at the bottom, each
box as wide as its share of the samples, coloured by package group
(bench/profile_summary.py); hover a box for its name and share. The samples are the
summary's: Python at work (threads waiting and native-only samples left out).
Pure, unit-tested."""

from __future__ import annotations

from html import escape

from bench.profile_summary import at_work

WIDTH, ROW, FONT = 1200, 16, 11
COLOURS = {"our code": "#f28e2b", "sqlalchemy": "#4e79a7", "reflex": "#b07aa1",
           "pydantic": "#59a14f", "other": "#bab0ac"}
MIN_PX = 0.3  # narrower boxes (and all above them) are left out


def tree(speedscope: dict, root: str) -> dict:
    """Samples folded into nested nodes: {"name", "group", "value", "children": {...}}."""
    labels, samples, _ = at_work(speedscope, root)
    top = {"name": "all", "group": "other", "value": 0.0, "children": {}}
    for stack, weight, _ in samples:
        node = top
        node["value"] += weight
        for index in stack:
            name, group = labels[index]
            node = node["children"].setdefault(
                name, {"name": name, "group": group, "value": 0.0, "children": {}})
            node["value"] += weight
    return top


def _depth(node: dict) -> int:
    return 1 + max((_depth(c) for c in node["children"].values()), default=0)


def svg(speedscope: dict, root: str, title: str) -> str:
    top = tree(speedscope, root)
    total = top["value"] or 1.0
    height = (_depth(top) + 2) * ROW
    boxes: list[str] = []

    def draw(node: dict, x: float, level: int) -> None:
        w = WIDTH * node["value"] / total
        if w < MIN_PX:
            return
        y = height - (level + 1) * ROW
        share = 100 * node["value"] / total
        text = escape(node["name"])
        label = text if w > 40 else ""
        if label and len(node["name"]) * FONT * 0.6 > w:
            label = escape(node["name"][:max(int(w / (FONT * 0.6)) - 2, 0)]) + ".."
        boxes.append(
            f'<g><title>{text} — {share:.1f}%</title><rect x="{x:.2f}" y="{y}" '
            f'width="{w:.2f}" height="{ROW - 1}" fill="{COLOURS[node["group"]]}"/>'
            + (f'<text x="{x + 3:.2f}" y="{y + ROW - 4}">{label}</text>' if label else "")
            + "</g>")
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(child, x, level + 1)
            x += WIDTH * child["value"] / total

    draw(top, 0.0, 0)
    legend = " · ".join(f'<tspan fill="{c}">■</tspan> {g}' for g, c in COLOURS.items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'font-family="monospace" font-size="{FONT}">'
            f'<rect width="100%" height="100%" fill="white"/>'
            f'<text x="4" y="{ROW - 3}">{escape(title)} — {legend}</text>'
            + "".join(boxes) + "</svg>\n")
