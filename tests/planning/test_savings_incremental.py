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
from blueprintc.sizing.workload import Workload, build_workload, rebuild_workload
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


def _same_work(rebuilt: Workload, full: Workload) -> None:
    """A workload rebuilt for a variant is the one built for it from scratch: the same
    flows, moves and gaps in the same order, and each channel's work."""

    def flows(work: Workload) -> list[tuple[object, ...]]:
        return [
            (f.source, f.channel, f.offered.tobytes(), f.handled.tobytes(), f.handle_time,
             f.contained.tobytes(), f.assisted)
            for f in work.flows
        ]  # fmt: skip

    assert flows(rebuilt) == flows(full)
    assert [(v.process, v.migration, v.contacts.tobytes()) for v in rebuilt.moves] == [
        (v.process, v.migration, v.contacts.tobytes()) for v in full.moves
    ]
    assert [(g.process.ref, g.channel.ref) for g in rebuilt.missing_handle_times] == [
        (g.process.ref, g.channel.ref) for g in full.missing_handle_times
    ]
    assert rebuilt.processes == full.processes
    assert [(w.channel.ref, w.outbound) for w in rebuilt.channels] == [
        (w.channel.ref, w.outbound) for w in full.channels
    ]
    for mine, theirs in zip(rebuilt.channels, full.channels, strict=True):
        assert np.array_equal(mine.contacts, theirs.contacts)
        assert np.array_equal(mine.handle_time, theirs.handle_time)


def _check(compiled: Compilation) -> None:
    assert compiled.ok, [str(d) for d in compiled.diagnostics if d.is_error]
    model, sizing = compiled.model, compiled.sizing
    assert model is not None and sizing is not None
    for lever in levers(model):
        if lever.resize:
            again = size(lever.without, DiagnosticSink(), sizing.timeline)
            _same_center(resize(lever.without, sizing, lever.changed), again)
            grid, timeline = sizing.grid, sizing.timeline
            rebuilt = rebuild_workload(
                lever.without, grid, timeline, sizing.workload, lever.changed
            )
            _same_work(rebuilt, build_workload(lever.without, grid, timeline))
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


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_workload_rebuilt_for_several_changed_processes_is_built_from_scratch(
    example: str,
) -> None:
    """``rebuild_workload`` with several processes changed at once (every third one, the
    first and the last among them, sent to one channel of its mix only, so that each has
    fewer flows than before) splices each in its place: the workload a full build gives."""
    import attrs

    from blueprintc.model import elements as m

    compiled = compile(ROOT / "examples" / example)
    model, sizing = compiled.model, compiled.sizing
    assert model is not None and sizing is not None
    processes = [p for p in model.of(m.Process) if not p.library]
    picked = [*processes[::3], processes[-1]]
    variant = model.replaced(
        *(attrs.evolve(p, mix={next(iter(p.mix)): 1}, migrations=(), automation={}) for p in picked)
    )
    changed = frozenset(p.ref for p in picked)
    grid, timeline = sizing.grid, sizing.timeline
    rebuilt = rebuild_workload(variant, grid, timeline, sizing.workload, changed)
    _same_work(rebuilt, build_workload(variant, grid, timeline))
    assert len(changed) >= 2 and len(rebuilt.flows) < len(sizing.workload.flows)


def test_a_variant_with_a_process_the_workload_does_not_hold_is_built_afresh() -> None:
    """A changed process the workload was not built with has no place to be spliced in:
    the variant's workload is a full build's (nothing of the old one is taken)."""
    import attrs

    from blueprintc.model import elements as m

    compiled = compile(ROOT / "examples" / EXAMPLES[1])
    model, sizing = compiled.model, compiled.sizing
    assert model is not None and sizing is not None
    first = next(p for p in model.of(m.Process) if not p.library)
    newcomer = attrs.evolve(first, name="newcomer")
    variant = attrs.evolve(model, elements={**model.elements, newcomer.ref: newcomer})
    grid, timeline = sizing.grid, sizing.timeline
    changed = frozenset({newcomer.ref})
    rebuilt = rebuild_workload(variant, grid, timeline, sizing.workload, changed)
    _same_work(rebuilt, build_workload(variant, grid, timeline))
    assert newcomer.ref in rebuilt.processes
