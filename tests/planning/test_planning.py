"""The planning pass end to end: cost lines worked out by hand, NPV against
numpy-financial, the example's plan, ranking and maturity, and the commands."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import numpy_financial as npf  # type: ignore[import-untyped,unused-ignore]
import pytest

from blueprintc import cli
from blueprintc.driver import Compilation, compile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"
SMALL = """\
blueprint "T" { currency USD; start 2027-01; horizon 1 year; interval 30 min; discount 12% }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process p1 { service s; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
component acd { kind acd; supports voice; implementation 12k USD; subscription 100 USD/seat/month }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
phase go { includes acd; start 2027-01; duration 2 months }
"""


@pytest.fixture(scope="module")
def small() -> Compilation:
    result = compile(SMALL)
    assert result.ok, [d.message for d in result.diagnostics]
    assert result.planning is not None
    return result


@pytest.fixture(scope="module")
def bank() -> Compilation:
    result = compile(EXAMPLE)
    assert result.ok and result.planning is not None
    return result


def test_cost_lines_by_hand(small: Compilation) -> None:
    assert small.planning is not None
    lines = {line.name: line for line in small.planning.statement.lines}
    # Implementation: 12,000 in the month the ACD's work starts (month 0).
    assert lines["acd implementation"].months[0] == 12_000
    assert sum(lines["acd implementation"].months) == 12_000
    # The ACD goes live after its effort (the stdlib's default) and phase: from then on,
    # 14 seats (agents at the busiest interval) x 100 USD a month.
    subscription = lines["acd subscription"].months
    live = next(i for i, v in enumerate(subscription) if v)
    assert all(v == 1400 for v in subscription[live:])
    assert (
        small.planning.timing.go_live(
            __import__("blueprintc.model", fromlist=["Ref"]).Ref("component", "acd")
        )
        == live
    )
    # Staff: FTE x paid hours a month x loaded cost. FTE = 14 agents x 0.5 h / (37.5 x 0.7);
    # paid hours a month = 37.5 x 365 / 7 / 12.
    fte = Fraction(14, 2) / (Fraction(75, 2) * Fraction(7, 10))
    per_month = fte * Fraction(75, 2) * Fraction(365, 84) * 40
    cents = Fraction(round(per_month * 100), 100)
    assert lines["voice agents"].months[0] == cents


def test_statement_reconciles_to_the_cent(bank: Compilation) -> None:
    assert bank.planning is not None
    statement = bank.planning.statement
    assert statement.reconciles()
    assert sum(statement.total.years) == statement.total.total
    assert sum(statement.capex.months) + sum(statement.opex.months) == statement.total.total
    for line in statement.lines:
        assert all(month.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100) for month in line.months)


def test_npv_against_numpy_financial(small: Compilation) -> None:
    assert small.planning is not None
    statement = small.planning.statement
    flows = [
        float(c + o) for c, o in zip(statement.capex.months, statement.opex.months, strict=True)
    ]
    monthly = 1.12 ** (1 / 12) - 1
    # numpy-financial discounts its first flow at t = 0; ours are paid at the end of the
    # month, so prepend a zero.
    expected = npf.npv(monthly, [0.0, *flows])
    assert float(small.planning.npv) == pytest.approx(expected, abs=0.01)


def test_example_plan_respects_dependencies(bank: Compilation) -> None:
    assert bank.planning is not None and bank.planning.plan is not None
    plan = bank.planning.plan
    order = {phase.name: index for index, phase in enumerate(plan.phases)}
    assert list(order) == ["foundation", "digital", "optimisation"]
    placed = {item.name: item for item in plan.items}
    assert placed["component:acd"].phase == "foundation"
    assert order[placed["component:ivr"].phase] >= order[placed["component:acd"].phase]
    # A channel launches once the components carrying it are live.
    assert placed["channel:chat"].start >= placed["component:omnichannel"].end
    assert plan.critical_path[0] == "component:sip_trunk"


def test_example_ranking_and_sensitivity(bank: Compilation) -> None:
    assert bank.planning is not None and bank.planning.ranking is not None
    ranking = bank.planning.ranking
    # harbor: .35 x 4 + .30 x 4.5 + .15 x 3.5 + .10 x 3.5 + .10 x 4 = 4.025
    # skyline: .35 x 4.5 + .30 x 3 + .15 x 4 + .10 x 4 + .10 x 5 = 3.975
    assert [(v.name, v.total) for v in ranking.ranked] == [
        ("harbor", Fraction(4025, 1000)),
        ("skyline", Fraction(3975, 1000)),
    ]
    assert [e.name for e in ranking.excluded] == ["northstar"]
    flip = next(f for f in bank.planning.flips if f.most_sensitive)
    assert flip.criterion == "price" and flip.new_weight is not None
    # Price weight x, the others scaled by (1 - x) / 0.7: the margin
    # D(x) = x * 1.5 + (1 - x) / 0.7 * (0.05 - 0.3 * 1.5) is zero at x = 8/29.
    assert flip.new_weight == Fraction(8, 29)


def test_example_maturity(bank: Compilation) -> None:
    assert bank.planning is not None and bank.planning.maturity is not None
    result = bank.planning.maturity
    assert result.target is not None and result.current is not None
    assert result.target > result.current
    assert {p.name for p in result.gaps} == {"std.qa_calibrated", "wfm_suite", "std.ivr_speech"}


def test_options_side_by_side(bank: Compilation) -> None:
    assert bank.planning is not None
    names = [option.name for option in bank.planning.options]
    assert sorted(names) == ["cloud", "onprem"]
    cheapest = bank.planning.options[0]
    assert cheapest.npv_delta == 0
    assert all(option.npv >= cheapest.npv for option in bank.planning.options)


def test_assertions_over_finance(small: Compilation) -> None:
    result = compile(SMALL + "assert capex(year 1) == 12k USD\nassert opex(total) < 1 USD\n")
    assert result.assertions == {"capex(year 1) == 12k USD": True, "opex(total) < 1 USD": False}
    assert [d.code.id for d in result.diagnostics] == ["CXB0605"]


@pytest.mark.parametrize("command", ["plan", "cost"])
def test_commands(command: str) -> None:
    out = io.StringIO()
    assert cli.main([command, str(EXAMPLE)], out, io.StringIO()) == 0
    assert out.getvalue()
    out = io.StringIO()
    assert cli.main([command, "--format", "json", str(EXAMPLE)], out, io.StringIO()) == 0
    document = json.loads(out.getvalue())
    assert document["schema"] == f"blueprintc.{command}" and document["version"] == 1
    if command == "cost":
        assert document["reconciles"] is True
        years = [Fraction(v) for v in document["total"]["years"]]
        assert sum(years) == Fraction(document["total"]["total"])


def test_commands_fail_cleanly_on_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cxb"
    bad.write_text(SMALL.replace("mix { voice 100% }", "mix { voice 90% }"), encoding="utf-8")
    out = io.StringIO()
    assert cli.main(["cost", "--format", "json", str(bad)], out, io.StringIO()) == 1
    assert json.loads(out.getvalue())["diagnostics"][0]["code"] == "CXB0513"


def test_activity_costs_add_up_to_the_operating_cost(bank: Compilation) -> None:
    assert bank.planning is not None
    activity = bank.planning.activity
    total = sum((row.total for row in activity), Fraction(0))
    assert total == bank.planning.statement.opex.total
    names = {row.name for row in activity}
    assert "card_activation" in names and "voice (outbound)" in names
    # A long branch conversation costs more per contact than a balance enquiry in the IVR.
    cost = {row.name: row.per_contact for row in activity}
    assert cost["mortgage_enquiry"] > cost["balance_enquiry"]  # type: ignore[operator]


def test_vendor_discount_scenario(bank: Compilation) -> None:
    assert bank.planning is not None
    (scenario,) = bank.planning.scenarios
    assert scenario.vendor == "skyline" and scenario.discount == Fraction(8, 100)
    assert scenario.saving > 0
    assert scenario.npv + scenario.saving == bank.planning.npv


def test_savings_of_a_migration_by_resizing(bank: Compilation) -> None:
    from blueprintc.planning.savings import savings

    assert bank.model is not None and bank.sizing is not None
    found = {(s.process, s.lever): s for s in savings(bank.model, bank.sizing)}
    lever = found[("card_activation", "migrate voice to web")]
    # Without the migration more contacts stay on voice: more agents, more staff cost.
    assert lever.fte_saved_average > 0 and lever.staff_cost_saved > 0
    assert not any("automation on ivr" in key[1] for key in found)


def test_overlap_keeps_a_replaced_system_longer() -> None:
    text = SMALL + "system old { fate replace; cost 1k USD/month }\n"
    text = text.replace("implementation 12k USD;", "implementation 12k USD; replaces old;")
    one = compile(text)
    two = compile(text.replace("discount 12% }", "discount 12%; overlap 3 months }"))
    assert one.planning is not None and two.planning is not None

    def months(result: Compilation) -> int:
        assert result.planning is not None
        line = next(x for x in result.planning.statement.lines if x.name == "old (current)")
        return sum(1 for value in line.months if value)

    assert months(two) == months(one) + 2


def test_usage_per_minute_follows_handled_minutes() -> None:
    text = SMALL.replace("subscription 100 USD/seat/month", "usage 0.05 USD/minute")
    result = compile(text)
    assert result.planning is not None and result.sizing is not None
    (usage,) = [x for x in result.planning.statement.lines if x.name == "acd usage"]
    # 100 contacts a week x 3 minutes, over a 365/12-day month: 300 x 365 / 84 minutes.
    minutes = Fraction(300 * 365, 84)
    live = next(i for i, v in enumerate(usage.months) if v)
    assert usage.months[live] == Fraction(round(minutes * Fraction(5, 100) * 100), 100)


def test_a_practice_extending_a_standard_one_replaces_it_in_the_catalogue(
    bank: Compilation,
) -> None:
    assert bank.model is not None
    names = {p.name for p in bank.model.catalogue}
    assert "wfm_suite" in names and "std.wfm_suite" not in names
    assert bank.planning is not None and bank.planning.maturity is not None
    operational = bank.planning.maturity.layer("operational")
    assert operational.catalogue == 18  # three areas x (1 + 2 + 3)
    assert operational.target == Fraction(6, 18) * 100


def test_phase_overrun_is_reported() -> None:
    text = SMALL.replace("duration 2 months", "duration 1 month")
    result = compile(text.replace("kind acd;", "kind acd; effort 3 months;"))
    assert [d.code.id for d in result.diagnostics] == ["CXB0703"]


def test_migrations_are_work_items(bank: Compilation) -> None:
    assert bank.planning is not None and bank.planning.plan is not None
    placed = {item.name: item for item in bank.planning.plan.items}
    move = placed["migration:online_banking_help:voice-chat"]
    # It waits for both channels: chat launches with a two-month pilot in `digital`.
    assert move.start >= placed["channel:chat"].end
    assert move.start >= placed["channel:voice"].end
