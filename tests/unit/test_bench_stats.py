"""The benchmark's maths and instruments: percentiles, row summaries, the
statement counter, and the seeder's timestamp text."""

import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from bench.bench_state import StatementCounter, read_statement_counts
from bench.seed import _ts
from bench.stats import percentile, ratio, summarize


@pytest.mark.parametrize(("q", "expected"), [
    (0, 1.0), (50, 5.5), (95, 9.55), (99, 9.91), (100, 10.0), (25, 3.25)])
def test_percentile_interpolates_between_ranks_like_numpy(q, expected):
    values = [7, 1, 10, 4, 2, 9, 3, 8, 6, 5]  # order does not matter
    assert percentile(values, q) == pytest.approx(expected)


def test_percentile_of_one_value_and_of_none():
    assert percentile([4.2], 99) == 4.2
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def _repeat(latencies, *, errors=0, wall=1.0, cpu=0.5, sql=10, own=0.1):
    return {"latencies_ms": latencies, "errors": errors, "wall_s": wall, "server_cpu_s": cpu,
            "sql": sql, "loadgen_cpu_s": own}


def test_summary_pools_latencies_and_divides_costs_by_every_event():
    rows = [_repeat([1.0, 2.0, 3.0], errors=1, wall=2.0, cpu=0.4, sql=8, own=0.2),
            _repeat([4.0], wall=1.0, cpu=0.1, sql=2, own=0.9)]

    s = summarize(rows)

    assert s["n"] == 4 and s["p50"] == pytest.approx(2.5)
    assert s["errors"] == 1
    assert s["events_per_s"] == pytest.approx(4 / 3)  # answered events over the summed time
    assert s["cpu_ms_per_event"] == pytest.approx(100.0)  # 0.5 s over 5 events (errors too)
    assert s["sql_per_event"] == pytest.approx(2.0)
    assert s["server_cores"] == pytest.approx(0.5 / 3)
    assert s["loadgen_core_max"] == pytest.approx(0.9)  # the worst repeat is what is flagged
    assert s["p95_spread"] == [pytest.approx(2.9), 4.0]


def test_ratio_is_nan_without_a_baseline():
    assert ratio(3.0, 1.5) == 2.0
    assert math.isnan(ratio(3.0, 0))
    assert math.isnan(ratio(math.nan, 1.0))


def test_statement_counter_counts_every_statement_into_its_file(tmp_path):
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    counter = StatementCounter(tmp_path)
    event.listen(engine, "before_cursor_execute", counter)
    with engine.connect() as conn:
        for _ in range(5):
            conn.execute(text("SELECT 1"))

    assert read_statement_counts(tmp_path) == 5
    assert len(list(tmp_path.glob("sql-*.count"))) == 1
    engine.dispose()


def test_seeded_timestamps_are_the_text_the_orm_writes_and_reads(tmp_path):
    """Bulk rows bypass SQLAlchemy: their UTC text must sort and compare like its own."""
    from models import Business
    from portal_app.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    SQLModel.metadata.create_all(engine, tables=[Business.__table__])
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    with Session(engine) as s:
        s.add(Business(name="x", created_at=moment))
        s.commit()
        stored = s.exec(text("SELECT created_at FROM business")).one()[0]
        assert _ts(moment) == stored
        other_zone = moment.astimezone(timezone(timedelta(hours=-5)))
        assert _ts(other_zone) == stored
        assert _ts(moment.replace(microsecond=12)) == "2026-03-04 05:06:07.000012"
        assert s.exec(select(Business).where(Business.created_at == moment)).one()
    engine.dispose()
