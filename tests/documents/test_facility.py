"""Document 3, facility design: seats, occupancy by shift and facility costs worked out by
hand on the sizing worked example (docs/sizing.md §7: 14 agents on Monday 09:00-09:30,
one supervisor) with two sites; empty sections; escaping of hostile text."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import facility
from blueprintc.driver import Compilation
from blueprintc.sizing.size import Sizing
from tests.documents.conftest import compile_in, render

SMALL = """\
blueprint "Sizing example" { currency USD; start 2027-01; horizon 1 year; interval 30 min }
brand b { promise fast "A person answers within a minute" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 100/week; mix { voice 100% }; aht { voice 180 s } }
channel voice { kind voice; hours mon 09:00-09:30; target 80% within 20 s; shrinkage 30% }
component acd { supports voice }
site hq {
  location "<script>x</script> | Main St"
  seats 10
  channels voice
  share 60%
  area 100 sqft/seat
  rent 12 USD/sqft/year
  fitout 1_000 USD/seat
  running 10 USD/seat/month
  existing no
}
site annex { seats 20; channels voice; share 40%; existing yes }
staffing { loaded_cost 38 USD/h; paid_hours 37.5 h/week; span supervisor 12 }
budget fitting { amount 12k USD; covers hq; year 1 }
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("facility"), SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> facility.FacilityDesign:
    return facility.build(Context.of_compilation(small))


def test_seats_by_hand(view: facility.FacilityDesign) -> None:
    # 14 agents at the busiest interval + 1 supervisor = 15 seats; 60% of 15 = 9 at hq.
    need = view.need
    assert (need.agents_logged_in, need.on_site, need.peak_month) == (14, 15, "2027-01")
    assert [(r.role, r.people) for r in need.support] == [("supervisor", 1)]
    seats = {r.site: r for r in view.seats}
    assert (seats["hq"].seats_needed, seats["hq"].spare) == (9, 1)
    assert (seats["annex"].seats_needed, seats["annex"].spare) == (6, 14)
    assert seats["hq"].utilisation == pytest.approx(0.9)
    # One agent employed (FTE 0.27 rounded up) and one supervisor over 30 declared seats.
    assert need.agent_headcount == 1
    assert need.staff_per_seat == pytest.approx(2 / 30)


def test_sites(view: facility.FacilityDesign) -> None:
    sites = {s.name: s for s in view.sites}
    assert sites["hq"].share == pytest.approx(0.6) and not sites["hq"].existing
    assert sites["hq"].area == 1000 and sites["annex"].area is None


def test_occupancy_by_shift_by_hand(view: facility.FacilityDesign) -> None:
    rows = {(r.shift, r.site): r for r in view.shifts}
    assert [s for s, _, _ in facility.SHIFTS] == ["night", "early", "day", "late"]
    early = rows[("early", None)]
    # The only staffed interval, Monday 09:00, lies in the early shift (06:00-12:00).
    assert (early.busiest_at, early.agents_busiest, early.seats) == ("Mon 09:00", 14, 30)
    assert early.agents_average == pytest.approx(14 / (7 * 12))  # 12 intervals x 7 days
    assert early.occupancy_busiest == pytest.approx(14 / 30)
    # 14 x 60% = 8.4 and 14 x 40% = 5.6: largest remainder gives 8 and 6.
    assert rows[("early", "hq")].agents_busiest == 8
    assert rows[("early", "annex")].agents_busiest == 6
    assert rows[("early", "hq")].occupancy_busiest == pytest.approx(0.8)
    assert rows[("early", "annex")].agents_average == pytest.approx(14 / 84 * 0.4)
    for shift in ("night", "day", "late"):
        assert rows[(shift, None)].agents_busiest == 0
        assert rows[(shift, None)].busiest_at is None


def test_facility_costs_by_hand(view: facility.FacilityDesign) -> None:
    costs = {c.site: c for c in view.costs}
    hq = costs["hq"]
    assert hq.fitout == 10_000  # 1,000 a seat x 10 declared seats, a new site
    assert hq.fitout_per_seat == 1_000
    assert hq.rent_per_year == 12 * 100 * 10  # 12 a sq ft a year x 100 sq ft x 10 seats
    assert hq.running_per_year == 10 * 10 * 12  # 10 a seat a month x 10 seats x 12 months
    assert hq.total == 10_000 + 12_000 + 1_200
    annex = costs["annex"]
    assert (annex.fitout, annex.rent, annex.running, annex.total) == (0, 0, 0, 0)
    assert view.cost_total is not None and view.cost_total.total == 23_200
    (budget,) = view.budgets
    assert (budget.amount, budget.capex, budget.headroom) == (12_000, 10_000, 2_000)
    assert isinstance(budget.headroom, Fraction)


def test_sources(view: facility.FacilityDesign) -> None:
    lines = SMALL.splitlines()
    seats = {r.site: r for r in view.seats}
    assert seats["hq"].where is not None
    assert lines[seats["hq"].where.line - 1].strip() == "seats 10"
    costs = {c.site: c for c in view.costs}
    assert costs["hq"].where is not None
    assert "fitout" in lines[costs["hq"].where.line - 1]


def test_example_seats_are_the_sizing_seats(example_context: Context, example: Compilation) -> None:
    view = facility.build(example_context)
    assert {r.site: r.seats_needed for r in view.seats} == _sizing(example).seats
    assert view.need.on_site == sum(_sizing(example).seats.values())
    # The busiest interval of the peak month shows up in the busiest shift.
    busiest = max(r.agents_busiest for r in view.shifts if r.site is None)
    assert busiest == view.need.agents_logged_in


def test_hostile_text_is_escaped(small: Compilation) -> None:
    text = render(small, "facility-design")
    assert "<script>" not in text
    assert r"\<script\>x\</script\> \| Main St" in text


def test_empty_sections(project: Callable[..., Compilation]) -> None:
    empty = project("", until="size")
    assert empty.ok
    view = facility.build(Context.of_compilation(empty))
    assert view.shifts == () and view.costs == () and view.cost_total is None
    text = render(empty, "facility-design")
    assert text.count("_No sites in this blueprint._") == 4
    assert "| night |" not in text


def _sizing(compilation: Compilation) -> Sizing:
    """The compilation's own sizing: what the view's figures are checked against."""
    assert compilation.sizing is not None
    return compilation.sizing
