"""The do-nothing cost of today's operation: monthly lines worked out by hand."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import Compilation, compile
from blueprintc.planning.baseline_costs import CostBasis, DoNothing, do_nothing
from blueprintc.solve import finance as fin

ROOT = Path(__file__).resolve().parents[2]

# The queue of tests/sizing/test_baseline.py: 100 calls of 180 s an hour around the clock,
# 80% within 20 s, needs 8 agents in every interval, 48 FTE at 40 paid hours and 30%
# shrinkage (Erlang C, worked there).
DESIGN = """\
blueprint "T" { currency USD; start 2027-01; horizon 24 months; interval 60 min }
brand b { promise fast "A person answers" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 876k/year; mix { phone 100% }; aht { phone 3 min } }
channel phone { kind voice; hours daily 00:00-24:00; shrinkage 30%; target 80% within 20 s }
component acd { supports phone; subscription 100 USD/seat/month; replaces legacy }
staffing {
  loaded_cost 30 USD/h
  paid_hours 40 h/week
  span supervisor 12
  role_cost supervisor 60k USD/year
}
system legacy { fate replace; cost 12k USD/month }
system crm { fate keep; cost 3k USD/month }
site hq { seats 60; area 100 sqft/seat; rent 24 USD/sqft/year; running 40 USD/seat/month;
  existing yes }
site annex { seats 40; area 100 sqft/seat; rent 12 USD/sqft/year; running 40 USD/seat/month;
  existing yes }
site new { seats 100; running 40 USD/seat/month; fitout 5_000 USD/seat }
"""
MONTH = Fraction(365, 84)  # weeks in a month (365 / 12 / 7)


def costed(project: Callable[..., Compilation], baseline: str) -> DoNothing:
    result = project(DESIGN + baseline, header=False, until="size")
    assert result.model is not None and result.sizing is not None, result.diagnostics
    found = do_nothing(result.model, result.sizing, DiagnosticSink())
    assert found is not None
    return found


def line(statement: fin.Statement, name: str) -> tuple[Fraction, ...]:
    return next(x.months for x in statement.lines if x.name == name)


def test_bottom_up_lines(project: Callable[..., Compilation]) -> None:
    case = costed(
        project,
        "baseline { volume phone 876k/year; aht phone 3 min; service_level phone 80% within"
        " 20 s; seats 50 }\n",
    )
    assert case.basis is CostBasis.BOTTOM_UP and case.statement is case.bottom_up
    statement = case.bottom_up
    assert isinstance(statement, fin.Statement) and statement.reconciles()
    assert statement.horizon == 24 and statement.capex.total == 0
    # 48 FTE x 40 paid hours a week x 365/84 weeks a month x 30 USD an hour.
    agents = fin.to_cents(48 * 40 * MONTH * 30)
    assert agents == Fraction("250285.71")
    assert line(statement, "phone agents") == (agents,) * 24
    assert line(statement, "supervisor staff") == (Fraction(20_000),) * 24  # 4 x 60k / 12
    # Every current system runs the whole horizon: nothing is replaced when nothing is done.
    assert line(statement, "legacy (current)") == (Fraction(12_000),) * 24
    assert line(statement, "crm (current)") == (Fraction(3_000),) * 24
    # Today's 50 seats over the existing sites by their seats: 30 at hq, 20 at annex.
    assert case.seats == {"hq": 30, "annex": 20}
    assert line(statement, "hq rent") == (Fraction(6_000),) * 24  # 2 USD/sqft x 100 x 30
    assert line(statement, "hq running") == (Fraction(1_200),) * 24  # 40 x 30
    assert line(statement, "annex rent") == (Fraction(2_000),) * 24  # 1 USD/sqft x 100 x 20
    assert line(statement, "annex running") == (Fraction(800),) * 24
    assert not any(x.name.startswith("new") for x in statement.lines)  # not open today
    month = agents + 20_000 + 12_000 + 3_000 + 6_000 + 1_200 + 2_000 + 800
    assert statement.total.months == (month,) * 24
    assert case.first_year_bottom_up == 12 * month


def test_stated_fte_win_over_derived_ones(project: Callable[..., Compilation]) -> None:
    case = costed(
        project,
        "baseline { volume phone 876k/year; aht phone 3 min; service_level phone 80% within"
        " 20 s; fte phone 50; sites hq }\n",
    )
    statement = case.bottom_up
    assert line(statement, "phone agents")[0] == fin.to_cents(50 * 40 * MONTH * 30)
    assert line(statement, "supervisor staff")[0] == 25_000  # ceil(50 / 12) = 5
    assert case.seats == {"hq": 60}  # no `seats`: the site's seats
    assert {x.name for x in statement.lines if x.group == "facility"} == {"hq rent", "hq running"}


def test_a_stated_total_is_one_line_grown_with_the_volume(
    project: Callable[..., Compilation],
) -> None:
    case = costed(project, "baseline { volume phone 876k/year; agents 60; growth 10%/year }\n")
    months = line(case.bottom_up, "agents")
    per_fte = 40 * MONTH * 30
    assert months[0] == fin.to_cents(60 * per_fte)
    assert months[12] == fin.to_cents(Fraction("66") * per_fte)  # 60 x 1.1
    assert not any(x.name == "phone agents" for x in case.bottom_up.lines)


def test_stated_cost_is_the_do_nothing_cost(project: Callable[..., Compilation]) -> None:
    case = costed(
        project,
        "baseline { volume phone 876k/year; agents 60; growth 10%/year; cost 3.6M USD/year }\n",
    )
    assert case.basis is CostBasis.STATED
    assert case.stated == 3_600_000
    assert case.stated_span is not None and case.stated_span.text == "cost 3.6M USD/year"
    ((only,),) = [case.statement.lines]
    assert (only.name, only.category, only.group) == (
        "operating cost (stated)",
        "opex",
        "current operation",
    )
    # 300,000 a month grown 10% a year, compounded monthly: 300,000 x 1.1 ^ (t / 12).
    assert only.months[0] == 300_000
    assert only.months[6] == fin.to_cents(Fraction(str(300_000 * 1.1**0.5)))
    assert only.months[12] == 330_000
    # The bottom-up cost is kept beside it.
    assert case.bottom_up.lines and case.bottom_up is not case.statement


def test_no_staffing_block_costs_no_staff(project: Callable[..., Compilation]) -> None:
    text = DESIGN.replace(
        "staffing {\n  loaded_cost 30 USD/h\n  paid_hours 40 h/week\n  span supervisor 12\n"
        "  role_cost supervisor 60k USD/year\n}\n",
        "",
    )
    result = project(
        text + "baseline { volume phone 876k/year; agents 60 }\n", header=False, until="size"
    )
    assert result.model is not None and result.sizing is not None
    case = do_nothing(result.model, result.sizing, DiagnosticSink())
    assert case is not None
    assert {x.group for x in case.bottom_up.lines} == {"current systems", "facility"}


def test_the_bundled_example_costs_today() -> None:
    result = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert result.model is not None and result.sizing is not None
    case = do_nothing(result.model, result.sizing, DiagnosticSink())
    assert case is not None and case.statement.reconciles() and case.bottom_up.reconciles()
    baseline = result.model.baseline
    assert baseline is not None and baseline.cost is not None
    assert case.basis is CostBasis.STATED
    assert case.statement.horizon == result.model.blueprint.horizon_months
    # Every current system costs all 36 months.
    systems = [x for x in case.bottom_up.lines if x.group == "current systems"]
    assert {x.name for x in systems} == {
        "legacy_pbx (current)",
        "legacy_ivr (current)",
        "core_crm (current)",
    }
    assert all(all(v > 0 for v in x.months) for x in systems)


def test_a_second_industry() -> None:
    result = compile(ROOT / "examples" / "harbor_insurance.cxb")
    assert result.model is not None and result.sizing is not None
    case = do_nothing(result.model, result.sizing, DiagnosticSink())
    assert case is not None and case.basis is CostBasis.STATED
    assert case.stated == 6_500_000
    # Month 0: 6.5M / 12, the volume index being 1 today.
    assert line(case.statement, "operating cost (stated)")[0] == fin.to_cents(
        Fraction(6_500_000, 12)
    )
    # Bottom-up: 58 agents, their supervisors, both systems, Portland's 110 seats; Boise
    # is not open today.
    names = {x.name for x in case.bottom_up.lines}
    assert names == {
        "agents",
        "supervisor staff",
        "quality staff",
        "workforce staff",
        "old_pbx (current)",
        "policy_admin (current)",
        "portland rent",
        "portland running",
    }
    assert case.seats == {"portland": 110}
    assert line(case.bottom_up, "portland running")[0] == 45 * 110
