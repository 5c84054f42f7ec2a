"""Judge a finished run again against the targets in bench/report.py and rewrite its
bench.md (the JSON's rows are kept as measured):

    .venv/bin/python -m bench.rejudge [bench/results/bench.json]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from bench import report
from bench.points import LOAD_DATA


def _nan(value):
    return math.nan if value is None else value


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    path = Path(args[0] if args else Path(__file__).parent / "results" / "bench.json")
    results = json.loads(path.read_text())
    for row in results["rows"]:
        row["ratios"] = {k: _nan(v) for k, v in (row.get("ratios") or {}).items()}
        row["summary"] = {k: _nan(v) for k, v in row["summary"].items()}
    tg = results.get("targets") or {}
    tg["rows"] = report.targets(results["rows"], open_point="o200", closed_point="c50",
                                server=LOAD_DATA, overload=bool(tg.get("overloaded")))
    tg["page_floor_vs_trivial"] = report.page_floor_vs_trivial(results["rows"], point="c50",
                                                               server=LOAD_DATA)
    tg["private_floor_vs_trivial"] = report.page_floor_vs_trivial(
        results["rows"], point="c50", server=LOAD_DATA, key="private_floor")
    results["targets"] = tg
    report.write(results, path.parent)
    print(f"rejudged {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
