"""Savings by lever are computed incrementally (only the queues a lever changes are sized
again, only the cost lines it can change are costed again): checked against the second
method, sizing and costing the whole center again without the lever, on generated
blueprints, a generated center of many units and the bundled examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from blueprintc.diagnostics import DiagnosticSink
from blueprintc.driver import Compilation, compile
from blueprintc.planning.costs import statement
from blueprintc.planning.savings import Saving, levers, savings
from blueprintc.sizing.size import Sizing, resize, size
from tests.bench.generate import generated_blueprint
from tests.outcome.blueprints import blueprints

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("northwind_bank.cxb", "harbor_insurance.cxb", "thornvale_water.cxb")


def _from_scratch(compiled: Compilation) -> dict[str, Saving]:
    """Every lever's saving by the second method: the whole center sized and costed again."""
    model, sizing = compiled.model, compiled.sizing
    assert model is not None and sizing is not None
    timeline = sizing.timeline
    design = statement(model, sizing, timeline)
    found = {}
    for lever in levers(model):
        other = size(lever.without, DiagnosticSink(), timeline) if lever.resize else sizing
        cost = statement(lever.without, other, timeline)
        staff = sum(line.total for line in cost.lines if line.group == "staff") - sum(
            line.total for line in design.lines if line.group == "staff"
        )
        difference = other.agent_fte - sizing.agent_fte
        found[lever.label] = Saving(
            lever.kind,
            lever.owner,
            lever.label,
            tuple(a - b for a, b in zip(cost.total.months, design.total.months, strict=True)),
            cost.capex.total - design.capex.total,
            cost.opex.total - design.opex.total,
            float(difference.max(initial=0)) if difference.size else 0.0,
            float(difference.mean()) if difference.size else 0.0,
            staff,
            lever.span,
        )
    return found


def _same_center(incremental: Sizing, full: Sizing) -> None:
    """The totals of an incremental re-size are those of sizing the whole center again."""
    assert [q.name for q in incremental.queues] == [q.name for q in full.queues]
    assert incremental.agent_fte.tobytes() == full.agent_fte.tobytes()
    assert incremental.agent_fte_exact == full.agent_fte_exact
    assert np.array_equal(incremental.concurrent, full.concurrent)
    assert np.array_equal(incremental.headcount, full.headcount)
    assert np.array_equal(incremental.peak_concurrent, full.peak_concurrent)
    assert incremental.peak_month == full.peak_month
    assert incremental.seats == full.seats
    assert incremental.support.keys() == full.support.keys()
    for role, counts in full.support.items():
        assert np.array_equal(incremental.support[role], counts)
    for name, counts in full.site_seats.items():
        assert np.array_equal(incremental.site_seats[name], counts)
    for mine, theirs in zip(incremental.queues, full.queues, strict=True):
        assert mine.monthly.fte.tobytes() == theirs.monthly.fte.tobytes()
        assert np.array_equal(mine.intervals.agents, theirs.intervals.agents)
        assert np.array_equal(mine.work.contacts, theirs.work.contacts)


def _check(compiled: Compilation) -> None:
    assert compiled.ok, [str(d) for d in compiled.diagnostics if d.is_error]
    model, sizing = compiled.model, compiled.sizing
    assert model is not None and sizing is not None
    for lever in levers(model):
        if lever.resize:
            again = size(lever.without, DiagnosticSink(), sizing.timeline)
            _same_center(resize(lever.without, sizing, lever.changed), again)
    assert {s.lever: s for s in savings(model, sizing)} == _from_scratch(compiled)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(text=blueprints())
def test_generated_blueprints_save_what_a_full_recosting_says(text: str) -> None:
    _check(compile(text))


def test_a_center_of_many_units_saves_what_a_full_recosting_says() -> None:
    _check(compile(generated_blueprint(3, horizon="2 years")))


@pytest.mark.parametrize("example", EXAMPLES)
def test_examples_save_what_a_full_recosting_says(example: str) -> None:
    _check(compile(ROOT / "examples" / example))
