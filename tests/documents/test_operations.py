"""Document 9, operations templates: targets and planned values worked out by hand on the
sizing worked example (docs/sizing.md §7), cost per contact by hand, asserted limits, the
training rule, empty sections and escaping (this document shows no free text of the
blueprint, only names, which are escaped too)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest

from blueprintc.documents.context import Context
from blueprintc.documents.views import operations
from blueprintc.driver import Compilation
from blueprintc.outcome.figures import Results, figure_value
from blueprintc.semantic import figures as F
from tests.documents.conftest import compile_in, render

SMALL = """\
blueprint "Ops example" { currency USD; start 2027-01; horizon 1 year; interval 30 min }
brand b { promise fast "A person answers within a minute" }
segment all { share 100%; value high; strategy retain; intensity simple }
service s { delivers fast; segments all }
process p { service s; volume 100/week; mix { voice 100% }; aht { voice 180 s } }
channel voice {
  kind voice
  hours mon 09:00-09:30
  target 80% within 20 s
  max_asa 30 s
  max_abandon 5%
  occupancy 85%
  shrinkage 30%
}
component acd { kind acd; supports voice }
component sbc { kind sbc; supports voice }
component gadget { supports voice }
staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week; span supervisor 12 }
assert service_level(voice) >= 88%
assert cost_per_contact(voice) <= 4.5 USD and 90% > occupancy(voice)
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Compilation:
    return compile_in(tmp_path_factory.mktemp("operations"), SMALL)


@pytest.fixture(scope="module")
def view(small: Compilation) -> operations.OperationsTemplates:
    return operations.build(Context.of_compilation(small))


def test_targets_and_planned_values_by_hand(view: operations.OperationsTemplates) -> None:
    rows = {(t.queue, t.kpi, t.origin): t for t in view.targets}
    # One interval, 100 contacts, A = 10 Erlangs, 14 agents (docs/sizing.md §7, step 5):
    # SL 88.84%, ASA 7.8 s, occupancy 10/14, no abandonment without patience.
    sl = rows[("voice", "Service level", "channel")]
    assert (sl.bound, sl.target, sl.within, sl.definition) == (
        "at least",
        Fraction(4, 5),
        20,
        "offered",
    )
    assert sl.planned == pytest.approx(0.88835, abs=1e-5)
    asa = rows[("voice", "Average speed of answer", "channel")]
    assert (asa.bound, asa.target) == ("at most", 30)
    assert asa.planned == pytest.approx(0.1741 * 180 / 4, rel=1e-3)
    abandon = rows[("voice", "Abandonment", "channel")]
    assert (abandon.target, abandon.planned) == (Fraction(1, 20), pytest.approx(0.0))
    occupancy = rows[("voice", "Occupancy", "channel")]
    assert occupancy.target == Fraction(17, 20)
    assert occupancy.planned == pytest.approx(10 / 14)


def test_planned_values_equal_the_assert_figures(small: Compilation) -> None:
    """Second method: the planned values are the `assert` figures of the same name."""
    assert small.model is not None and small.outcome is not None
    view = operations.build(Context.of_compilation(small))
    results = Results(small.model, small.outcome)
    for kpi, key in (("Service level", "service_level"), ("Occupancy", "occupancy")):
        row = next(t for t in view.targets if t.kpi == kpi and t.origin == "channel")
        assert row.planned == pytest.approx(figure_value(results, key, F.Named("channel", "voice")))


def test_cost_per_contact_by_hand(view: operations.OperationsTemplates) -> None:
    # Voice agents cost FTE x paid hours x 40 a month with FTE = 7 h / 26.25 h; the
    # contacts are 100 a week. Per contact: (7 / 26.25) x 37.5 x 40 / 100 = 4.00 (the
    # weeks per month cancel out), to within the cent rounding of the monthly line.
    rows = {(t.queue, t.kpi): t for t in view.targets if t.kpi == "Cost per contact"}
    voice = rows[("voice", "Cost per contact")]
    assert (voice.origin, voice.bound, voice.target) == ("assert", "at most", Fraction(9, 2))
    assert float(voice.planned) == pytest.approx(4.0, abs=1e-4)  # type: ignore[arg-type]
    # Only voice agents cost money (no role costs, no component prices): the total is equal.
    total = rows[("total", "Cost per contact")]
    assert total.origin == "not set" and total.target is None
    assert float(total.planned) == pytest.approx(4.0, abs=1e-4)  # type: ignore[arg-type]


def test_asserted_limits(view: operations.OperationsTemplates) -> None:
    asserted = [(t.queue, t.kpi, t.bound, t.target) for t in view.targets if t.origin == "assert"]
    assert asserted == [
        ("voice", "Service level", "at least", Fraction(22, 25)),
        ("voice", "Occupancy", "at most", Fraction(9, 10)),  # 90% > occupancy(voice)
        ("voice", "Cost per contact", "at most", Fraction(9, 2)),
    ]
    row = next(t for t in view.targets if t.origin == "assert")
    assert row.where is not None
    assert SMALL.splitlines()[row.where.line - 1].startswith("assert service_level")


def test_staffing_plan(view: operations.OperationsTemplates) -> None:
    (row,) = view.staffing
    assert (row.queue, row.peak_agents, row.headcount_peak) == ("voice", 14, 1)
    assert row.fte_peak == pytest.approx(4 / 15) and row.fte_average == pytest.approx(4 / 15)


def test_reports(view: operations.OperationsTemplates) -> None:
    reports = {r.key: r for r in view.reports}
    assert list(reports) == ["interval", "daily", "agent", "queue"]
    assert reports["interval"].period.startswith("every 30 min")
    assert reports["interval"].queues == ("voice",)
    assert "Customer satisfaction" in reports["queue"].kpis
    assert view.interval_seconds == 1800 and view.interval_where is not None


def test_training_rule(view: operations.OperationsTemplates) -> None:
    assert view.roles == ("agents", "supervisor")
    rows = {t.component: t for t in view.training}
    # The ACD: its agents (headcount 1) and the supervisor; trained by go-live (month 0).
    assert rows["acd"].people == (1, 1) and rows["acd"].train_by == "2027-01"
    assert rows["acd"].channels == ("voice",)
    assert rows["sbc"].people == (None, None)  # infrastructure: IT only
    assert rows["gadget"].people == (1, 1)  # no kind: taken as agent-facing
    assert operations.needs_training("quality", "qm")
    assert not operations.needs_training("agents", "recording")
    assert operations.needs_training("workforce", "wfm")


def test_names_are_escaped(project: Callable[..., Compilation]) -> None:
    hostile = project(
        "channel voice { kind voice; hours mon 09:00-10:00; target 80% within 20 s;"
        " shrinkage 30% }\n"
        'brand b { promise p "x" }\n'
        "segment all { share 100%; value high; strategy retain; intensity simple }\n"
        "service s { delivers p; segments all }\n"
        "process p { service s; volume 10/week; mix { voice 100% }; aht { voice 60 s } }\n"
        "component acd { supports voice }\n"
        "staffing { loaded_cost 40 USD/h; paid_hours 37.5 h/week; span team_leader 8 }\n",
        until="size",
    )
    assert hostile.ok
    text = render(hostile, "operations")
    assert r"team\_leader" in text and "team_leader" not in text


def test_empty_sections(project: Callable[..., Compilation]) -> None:
    empty = project("", until="size")
    assert empty.ok
    text = render(empty, "operations")
    assert "_No sized queues in this blueprint._" in text
    assert "_No technology components in this blueprint._" in text
    view = operations.build(Context.of_compilation(empty))
    assert [t.queue for t in view.targets] == ["total"]  # cost per contact only
