"""Document 5, the phasing plan: placement reasons, dates of fractional months, pilots,
budgets and the critical path of a small blueprint, worked out by hand."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import phasing
from blueprintc.driver import Compilation
from tests.documents.conftest import compile_in, render
from tests.documents.test_traceability import tables_are_rectangular

BASE = """\
blueprint "<script>x</script> | y" { currency USD; start 2027-01; horizon 3 years }
brand b { promise p "x" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers p; segments all }
process p1 { service s; volume 100/week; mix { voice 100% }; aht { voice 3 min } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
component acd { kind acd; supports voice; implementation 12k USD; effort 2 months }
component ivr { kind ivr; supports voice; requires acd; implementation 30k USD; effort 6 weeks }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week }
"""
PHASES = """\
phase one { includes acd; start 2027-01; duration 3 months; budget 20k USD }
phase two { after one; budget 50k USD; pilot voice 25% for 2 months }
"""
# 6 weeks of effort in months of 730 hours: 6 x 168 / 730 = 504/365 (1 + 139/365).
IVR = Fraction(504, 365)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("phasing"), BASE + PHASES)


@pytest.fixture(scope="module")
def view(small: Compilation) -> phasing.PhasingView:
    return phasing.build(Context.of_compilation(small))


def test_month_dates_by_hand(small: Compilation) -> None:
    ctx = Context.of_compilation(small)
    assert phasing.month_date(ctx, Fraction(0)) == "2027-01-01"
    assert phasing.month_date(ctx, Fraction(13)) == "2028-02-01"
    # Half of March (31 days) is 15.5 days, rounded down: the 16th.
    assert phasing.month_date(ctx, Fraction(5, 2)) == "2027-03-16"
    # Half of February 2028 (29 days, a leap year) is 14.5 days: the 15th.
    assert phasing.month_date(ctx, Fraction(13) + Fraction(1, 2)) == "2028-02-15"


def test_month_dates_agree_with_calendar_arithmetic(small: Compilation) -> None:
    """A second method: walk the calendar day by day from the month's first day."""
    ctx = Context.of_compilation(small)
    for offset in (Fraction(k, 7) for k in range(0, 7 * 30)):
        whole = offset.numerator // offset.denominator
        first = dt.date(2027 + whole // 12, whole % 12 + 1, 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        length = (following - first).days
        day = first
        while (day - first).days + 1 <= (offset - whole) * length:
            day += dt.timedelta(days=1)
        assert phasing.month_date(ctx, offset) == day.isoformat(), offset


def test_phases_dates_and_budgets(view: phasing.PhasingView) -> None:
    one, two = view.phases
    # one: the ACD (2 months) in a phase declared to last 3 months, budget 20k.
    assert (one.start, one.end, one.months, one.declared_months) == (
        "2027-01-01", "2027-04-01", 3, 3,
    )  # fmt: skip
    assert (one.cost, one.budget, one.budget_left, one.overrun_months) == (12_000, 20_000, 8_000, 0)
    # two: after one (month 3); IVR (504/365 months) then voice launch 1 + pilot 2 months.
    assert two.start_month == 3 and two.end_month == 3 + IVR + 3
    assert (two.start, two.end) == ("2027-04-01", "2027-08-12")  # 139/365 of August: 11 days
    assert (two.cost, two.budget, two.budget_left, two.after) == (30_000, 50_000, 20_000, ("one",))
    assert two.critical_chain == ("ivr", "voice launch")
    assert (view.total_cost, view.total_budget) == (42_000, 70_000)
    assert view.end == "2027-08-12" and not view.beyond_horizon
    assert one.where is not None and one.budget_where is not None
    assert (one.where.line, one.budget_where.line) == (10, 10)


def test_items_and_why_they_sit_where_they_are(view: phasing.PhasingView) -> None:
    items = {i.id: i for group in view.items for i in group.items}
    acd, ivr, voice = items["component:acd"], items["component:ivr"], items["channel:voice"]
    assert (acd.phase, acd.cause, acd.start, acd.end) == (
        "one",
        "fixed",
        "2027-01-01",
        "2027-03-01",
    )
    assert acd.reason == "included in phase one by the blueprint"
    # The IVR (30k) would follow the ACD in phase one, but only 8k is left there.
    assert (ivr.phase, ivr.cause, ivr.held_by) == ("two", "budget", "one")
    assert ivr.reason == "the budget left in phase one could not take its cost"
    # 504/365 months from April: 1 month, then 139/365 of May's 31 days = 11 days.
    assert (ivr.start, ivr.end, ivr.months, ivr.cost) == ("2027-04-01", "2027-05-12", IVR, 30_000)
    # The voice channel launches once the components carrying it (the IVR) are live.
    assert (voice.phase, voice.cause, voice.held_by) == ("two", "dependency", "component ivr")
    assert voice.reason == "waits for component ivr (phase two)"
    assert (voice.start, voice.end, voice.months) == ("2027-05-12", "2027-08-12", 3)
    assert ivr.where is not None and ivr.where.line == 8  # its own declaration
    assert acd.where is not None and acd.where.line == 10  # the phase that includes it


def test_pilot(view: phasing.PhasingView) -> None:
    (pilot,) = view.pilots
    # Launch work of one month after the IVR: 4 + 139/365 months, 11 days into June.
    assert (pilot.channel, pilot.phase, pilot.share) == ("voice", "two", Fraction(1, 4))
    assert (pilot.launch, pilot.rollout, pilot.months) == ("2027-06-12", "2027-08-12", 2)
    assert not pilot.until_phase_end
    assert pilot.where is not None and pilot.where.line == 11


def test_critical_path(view: phasing.PhasingView) -> None:
    steps = [(s.name, s.kind, s.months, s.cumulative_months) for s in view.critical_path]
    assert steps == [
        ("acd", "component", 2, 2),
        ("ivr", "component", IVR, 2 + IVR),
        ("voice", "channel launch", 3, 5 + IVR),
    ]
    assert view.critical_months == 5 + IVR
    # Phase one's declared 3 months instead of the ACD's 2 add one month.
    assert view.phase_months_added == 1


def test_gantt(view: phasing.PhasingView) -> None:
    assert view.gantt is not None
    tasks = [(t.label, t.section, t.start, t.end, t.critical) for t in view.gantt.tasks]
    assert tasks == [
        ("phase one", "one", "2027-01-01", "2027-04-01", False),
        ("acd", "one", "2027-01-01", "2027-03-01", True),
        ("phase two", "two", "2027-04-01", "2027-08-12", False),
        ("ivr", "two", "2027-04-01", "2027-05-12", True),
        ("voice launch", "two", "2027-05-12", "2027-06-12", True),
        ("voice pilot (25%)", "two", "2027-06-12", "2027-08-12", True),
    ]
    assert len({t.key for t in view.gantt.tasks}) == len(tasks)


def test_page(small: Compilation) -> None:
    page = render(small, "phasing-plan")
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Phases",
        "## Work items by phase",
        "## Critical path",
        "## Gantt chart",
        "## Pilots",
    ]
    assert (
        "| one | - | 2027-01-01 | 2027-04-01 | 3.0 | 3.0 | 0.0 | 1 | 12,000 | 20,000 | 8,000 |"
        in page
    )
    assert "```mermaid\ngantt" in page
    assert "<script>" not in page and "\\<script\\>x\\</script\\> \\| y" in page
    tables_are_rectangular(page)


def test_no_phases(tmp_path: Path) -> None:
    compilation = compile_in(tmp_path, BASE)
    view = phasing.build(Context.of_compilation(compilation))
    assert not view.declared and view.phases == () and view.gantt is None
    page = render(compilation, "phasing-plan")
    assert "_No phases in this blueprint._" in page
    assert "_No pilots in this blueprint._" in page
    assert "mermaid" not in page
    tables_are_rectangular(page)


def test_example_plan_matches_the_solver(example_context: Context) -> None:
    """Every placed item of the example appears once, with its solver phase and cost."""
    view = phasing.build(example_context)
    plan = example_context.outcome.plan
    assert plan is not None
    rows = {i.id: i for group in view.items for i in group.items}
    assert set(rows) == {s.name for s in plan.items}
    for schedule in plan.items:
        assert (rows[schedule.name].phase, rows[schedule.name].cost) == (
            schedule.phase,
            schedule.cost,
        )
    assert sum(p.cost for p in view.phases) == sum(s.cost for s in plan.items)
