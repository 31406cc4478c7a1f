"""The sizing pass end to end, against hand calculations made in the tests."""

from __future__ import annotations

import io
import json
import math
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc import cli
from blueprintc.driver import Compilation, compile
from blueprintc.outcome.figures import Results, figure_value
from blueprintc.semantic import figures as F

ROOT = Path(__file__).resolve().parents[2]
ONE_INTERVAL = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 30 min }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process p1 { service s; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
component acd { supports voice }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week; span supervisor 12 }
site hq { seats 20 }
"""


def erlang_c(agents: int, traffic: float) -> float:
    """Probability of waiting, from the textbook formula (independent of the code)."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


def hand_agents(traffic: float, aht: float, target: float, level: float) -> int:
    agents = math.floor(traffic) + 1
    while 1 - erlang_c(agents, traffic) * math.exp(-(agents - traffic) * target / aht) < level:
        agents += 1
    return agents


@pytest.fixture(scope="module")
def one() -> Compilation:
    result = compile(ONE_INTERVAL)
    assert result.ok, [d.message for d in result.diagnostics]
    assert result.sizing is not None
    return result


def test_one_interval_by_hand(one: Compilation) -> None:
    assert one.sizing is not None
    queue = one.sizing.queue("voice")
    assert queue is not None
    # 100 contacts a week, all in Monday 09:00-09:30 (contacts of closed hours are carried
    # to the next opening): 100 x 180 s / 1,800 s = 10 Erlangs.
    monday_nine = queue.intervals.contacts[0, 0, 18]
    assert monday_nine == pytest.approx(100)
    assert queue.intervals.month(0).traffic[0, 18] == pytest.approx(10)
    agents = hand_agents(10, 180, 20, 0.8)
    assert agents == 14  # the classic 10-Erlang answer for 80/20 with 3-minute calls
    assert queue.intervals.agents[0, 0, 18] == agents
    assert queue.intervals.agents.sum() == agents * 12  # one interval a week, 12 months
    # FTE: 14 agents x 0.5 h a week / (37.5 h x (1 - 30%)).
    assert queue.monthly.fte[0] == pytest.approx(14 * 0.5 / (37.5 * 0.7))
    assert queue.monthly.headcount[0] == 1
    sl = 1 - erlang_c(14, 10) * math.exp(-(14 - 10) * 20 / 180)
    assert queue.monthly.service_level[0] == pytest.approx(sl)
    assert queue.monthly.occupancy[0] == pytest.approx(10 / 14)


def test_support_staff_and_seats(one: Compilation) -> None:
    assert one.sizing is not None
    assert list(one.sizing.support["supervisor"]) == [1] * 12  # ceil(1 / 12)
    # 14 agents logged in at the busiest interval plus one supervisor on site.
    assert one.sizing.seats == {"hq": 15}


def test_assert_figures(one: Compilation) -> None:
    assert one.model is not None and one.outcome is not None
    results = Results(one.model, one.outcome)
    voice = F.Named("channel", "voice")
    assert figure_value(results, "occupancy", voice) == pytest.approx(10 / 14)
    assert figure_value(results, "agents", F.Total()) == 14


def test_failed_assertion_reports_the_value() -> None:
    result = compile(ONE_INTERVAL + "assert occupancy(voice) <= 70%\nassert agents(voice) <= 14\n")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code.id == "CXB0605"
    assert diagnostic.span is not None and diagnostic.span.line == 10
    assert "occupancy(voice) is 71.4%" in diagnostic.message
    assert result.assertions == {"occupancy(voice) <= 70%": False, "agents(voice) <= 14": True}


def test_financial_assertions_are_evaluated_by_the_planning_pass() -> None:
    result = compile(ONE_INTERVAL + "assert capex(year 1) <= 1M USD\n")
    assert result.ok and result.assertions == {"capex(year 1) <= 1M USD": True}


def test_minimum_agents_when_open_without_work() -> None:
    text = ONE_INTERVAL.replace("shrinkage 30%", "shrinkage 30%; minimum_agents 2").replace(
        "volume 100/week", "volume 0/week"
    )
    result = compile(text)
    assert result.sizing is not None
    queue = result.sizing.queue("voice")
    assert queue is not None and queue.intervals.agents[0, 0, 18] == 2
    assert queue.intervals.agents.sum() == 2 * 12


def test_size_command_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(ROOT / "examples" / "northwind_bank.cxb")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["size", example], out, err) == 0
    text = out.getvalue()
    assert "voice" in text and "peak month" in text and "seats: chicago" in text
    out = io.StringIO()
    assert cli.main(["size", "--format", "json", example], out, io.StringIO()) == 0
    document = json.loads(out.getvalue())
    assert document["schema"] == "blueprintc.sizing" and len(document["months"]) == 36
    names = [queue["name"] for queue in document["queues"]]
    assert "voice" in names and "voice (outbound)" in names
    voice = document["queues"][names.index("voice")]
    assert len(voice["fte"]) == 36 and all(value > 0 for value in voice["fte"])
    assert voice["fte_by_year"][0] == pytest.approx(sum(voice["fte"][:12]) / 12, abs=1e-3)
    assert len(document["total_fte_by_year"]) == 3


def test_size_command_intervals_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "one.cxb"
    path.write_text(ONE_INTERVAL, encoding="utf-8")
    out = io.StringIO()
    assert cli.main(["size", "--intervals", str(path)], out, io.StringIO()) == 0
    assert "Mon  09:00     100.0    10.00      14" in out.getvalue()
    bad = tmp_path / "bad.cxb"
    bad.write_text(ONE_INTERVAL.replace("target 80% within 20 s", "target 100% within 0 s"))
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["size", str(bad)], out, err) == 1
    assert "CXB0601" in err.getvalue() and out.getvalue() == ""
    out = io.StringIO()
    assert cli.main(["size", "--format", "json", str(bad)], out, io.StringIO()) == 1
    assert json.loads(out.getvalue())["diagnostics"][0]["code"] == "CXB0601"


def test_sizing_is_deterministic() -> None:
    first = compile(ROOT / "examples" / "northwind_bank.cxb").sizing
    second = compile(ROOT / "examples" / "northwind_bank.cxb").sizing
    assert first is not None and second is not None
    assert list(first.total_fte) == list(second.total_fte)
    assert Fraction(str(first.agent_fte[0])) == Fraction(str(second.agent_fte[0]))


def _span() -> object:
    from blueprintc.source import SourceFile, Span

    return Span(SourceFile("t", "x"), 0, 1)


def test_site_shares_mix_given_and_capacity() -> None:
    from blueprintc.model import elements as m
    from blueprintc.sizing.size import site_shares

    def site(name: str, seats: int, share: str | None) -> m.Site:
        return m.Site(
            name=name,
            span=_span(),
            seats=seats,  # type: ignore[arg-type]
            share=Fraction(share) if share else None,
        )

    # hq takes its 70%; the two others split the remaining 30% by seats (10 : 20).
    shares = site_shares([site("hq", 50, "0.7"), site("a", 10, None), site("b", 20, None)])
    assert shares == pytest.approx({"hq": 0.7, "a": 0.1, "b": 0.2})
    # Shares that do not add up to 100% are scaled.
    assert site_shares([site("x", 1, "0.3"), site("y", 1, "0.3")]) == pytest.approx(
        {"x": 0.5, "y": 0.5}
    )


def test_outbound_without_handle_time_is_reported() -> None:
    text = (
        ONE_INTERVAL
        + 'outbound remind { service s; trigger "late"; channel voice; volume 100/week }\n'
    )
    result = compile(text)
    assert [d.code.id for d in result.diagnostics] == ["CXB0602"]
