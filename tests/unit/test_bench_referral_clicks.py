"""bench/referral_clicks.py: the real /r/<code> route driven in process — every visit
answered 303, one click recorded per real visit and none for an unknown code, the
statements per click, and the ratio to the trivial event when it was measured."""

from bench import referral_clicks


def test_clicks_are_measured_on_the_real_route(monkeypatch):
    monkeypatch.setattr(referral_clicks, "REPEATS", 1)
    got = referral_clicks.measure(12, trivial_cpu_ms=1.0)
    assert got["recorded"] == got["expected_recorded"] == 20 + 12
    # an unknown code: the business, the IP limit (count, insert), the referrer lookup
    assert (got["real"]["sql_per_click"], got["unknown"]["sql_per_click"]) == (6.0, 4.0)
    assert got["real"]["per_s"] > 0 and got["real"]["cpu_us_per_click"] > 0
    # CPU ÷ the trivial event's 1.0 ms: the CPU per click in ms
    assert abs(got["real"]["cpu_vs_trivial"] - got["real"]["cpu_us_per_click"] / 1000) < 0.01
    text = "\n".join(referral_clicks.markdown(got))
    assert "1.00 ms CPU per event" in text and "Clicks recorded: 32 (one per real visit)." in text


def test_without_the_trivial_event_the_ratio_is_left_out():
    got = {"clicks": 5, "repeats": 1, "trivial_cpu_ms": None, "recorded": 1,
           "expected_recorded": 2,
           "real": {"per_s": 100, "cpu_us_per_click": 3000, "sql_per_click": 6.0,
                    "cpu_vs_trivial": None},
           "unknown": {"per_s": 300, "cpu_us_per_click": 1000, "sql_per_click": 2.0,
                       "cpu_vs_trivial": None}}
    text = "\n".join(referral_clicks.markdown(got))
    assert "The trivial Reflex event: not measured." in text
    assert "| 3,000 | 6.0 | – |" in text and "(expected 2)." in text
