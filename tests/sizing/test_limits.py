"""The sizing's resource limits: intervals to size, and agents one interval may need."""

from __future__ import annotations

from blueprintc.driver import compile
from blueprintc.sizing.size import MAX_SIZED_INTERVALS

HEADER = """\
blueprint "T" {{ currency USD; start 2027-01; horizon {horizon}; interval 15 min }}
brand b {{ promise p "x" }}
segment all {{ share 100%; value high; strategy retain; intensity simple }}
service s {{ delivers p; segments all }}
staffing {{ loaded_cost 38 USD/h; paid_hours 37.5 h/week }}
site hq {{ seats 1000 }}
"""
CHANNEL = (
    "channel c{k} {{ kind voice; hours mon 09:00-10:00; target 80% within 20 s; "
    "shrinkage 30%; minimum_agents 1 }}\ncomponent acd{k} {{ supports c{k} }}\n"
)


def channels(count: int, horizon: str) -> str:
    return HEADER.format(horizon=horizon) + "".join(CHANNEL.format(k=k) for k in range(count))


def test_too_many_intervals_is_reported_at_the_horizon_before_any_work() -> None:
    # 125 queues x 360 months x 672 intervals a week = 30,240,000 > 30,000,000.
    assert 125 * 360 * 672 > MAX_SIZED_INTERVALS >= 124 * 360 * 672
    result = compile(channels(125, "30 years"))
    found = [d for d in result.diagnostics if d.code.id == "CXB0422"]
    assert len(found) == 1, [d.code.id for d in result.diagnostics]
    assert found[0].span is not None
    assert (found[0].span.line, found[0].span.column) == (1, 46)
    assert "30,240,000 intervals" in found[0].message
    assert result.sizing is not None and result.sizing.queues == ()


def test_a_horizon_within_the_limit_is_sized() -> None:
    result = compile(channels(3, "30 years"))
    assert "CXB0422" not in {d.code.id for d in result.diagnostics}
    assert result.sizing is not None and len(result.sizing.queues) == 3
