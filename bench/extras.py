"""The measurements beside the load points: the community post storm on the load
server after the points, and, once the servers are stopped, the ones that run in
the bench's own process (the slot search, the statements, the referral link's
clicks, the storage transfer). Each writes into `results["other"]`."""

from __future__ import annotations

from bench import report
from bench.progress import say

# Seconds kept at the end of the run for `in_process` (~10 s for the slot search, the
# statements and the clicks, ~20 s for the storage transfer) and the report.
IN_PROCESS_RESERVE_S = 80
# The community storm (~40 s) runs on the load server after the points.
STORM_S = 60


def storm_seconds(community_missing: str) -> int:
    return 0 if community_missing else STORM_S


def community_storm(results: dict, server, boot, fixture, *, deadline: float) -> None:
    say("community: 50 members post at once (bench/community_storm.py)")
    from bench import community_storm as storm

    try:
        results["other"]["community_storm"] = storm.measure(server, boot, fixture,
                                                            deadline=deadline)
    except Exception as exc:  # noqa: BLE001 - reported, the run goes on
        results["other"]["community_storm"] = {
            "skipped": f"failed: {type(exc).__name__}: {exc}"[:300]}


def in_process(results: dict, load_data: str) -> None:
    """The slot search, the statements, the referral clicks and the storage transfer."""
    say("slot search (bench/slots.py)")
    from bench import slots

    results["other"]["slots"] = [slots.measure(n) for n in (10, 5000)]
    say("statements: 10 vs 1,000 invoices, a 2,000-line PDF (bench/statements.py)")
    from bench import statements

    results["other"]["statements"] = statements.measure()
    say("referral link clicks: /r/<code> in process (bench/referral_clicks.py)")
    from bench import referral_clicks

    trivial = (report.find(results["rows"], "c50", load_data, "trivial")
               or report.find(results["rows"], "c1", load_data, "trivial"))
    results["other"]["referral_clicks"] = referral_clicks.measure(
        trivial_cpu_ms=trivial["summary"]["cpu_ms_per_event"] if trivial else None)
    say("storage transfer: 20 MB up and down, disk vs S3 (bench/storage_transfer.py)")
    from bench import storage_transfer

    results["other"]["storage_transfer"] = storage_transfer.measure()
