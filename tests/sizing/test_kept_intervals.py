"""What a sized queue keeps of its intervals (agents, contacts, horizon sums, and any
month's figures on request) is exactly what sizing every interval at once computes: a
realtime queue's month sized again alone gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from blueprintc.driver import Compilation, compile
from blueprintc.sizing.size import _handle_times, _in_operation
from blueprintc.solve import staffing as st
from tests.bench.generate import generated_blueprint
from tests.outcome.blueprints import blueprints

ROOT = Path(__file__).resolve().parents[2]


def _check(compiled: Compilation) -> None:
    assert compiled.ok and compiled.sizing is not None
    sizing = compiled.sizing
    for queue in sizing.queues:
        work = queue.work
        load = st.QueueLoad(work.contacts, _handle_times(work), work.open)
        live = sizing.timeline.availability(work.channel.ref)
        full = _in_operation(st.interval_agents(queue.spec, load), live)  # every interval
        kept = queue.intervals
        assert kept.agents.dtype in (np.int16, np.int32)
        assert np.array_equal(kept.agents, full.agents)
        assert kept.contacts.tobytes() == full.contacts.tobytes()
        assert kept.infeasible.tobytes() == full.infeasible.tobytes()
        assert kept.sums == st.weighted_sums(full)
        for month in range(sizing.grid.months):
            alone = kept.month(month)
            for field in attrs.fields(st.IntervalResult):
                mine = getattr(alone, field.name)
                theirs = getattr(full, field.name)[month]
                assert mine.shape == theirs.shape
                assert mine.tobytes() == theirs.tobytes(), (queue.name, month, field.name)
        with pytest.raises(IndexError):
            kept.month(sizing.grid.months)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=blueprints())
def test_generated_blueprints_keep_what_sizing_every_interval_gives(text: str) -> None:
    _check(compile(text))


def test_a_generated_center_keeps_what_sizing_every_interval_gives() -> None:
    _check(compile(generated_blueprint(2, horizon="2 years", interval="15 min")))


@pytest.mark.parametrize(
    "example", ["northwind_bank.cxb", "harbor_insurance.cxb", "thornvale_water.cxb"]
)
def test_examples_keep_what_sizing_every_interval_gives(example: str) -> None:
    _check(compile(ROOT / "examples" / example))


def test_the_contacts_are_kept_once() -> None:
    """A queue whose intervals' contacts are its work's keeps one array for both."""
    compiled = compile(ROOT / "examples" / "northwind_bank.cxb")
    assert compiled.sizing is not None
    shared = [q for q in compiled.sizing.queues if q.intervals.contacts is q.work.contacts]
    assert len(shared) == len(compiled.sizing.queues)
    assert all(np.shares_memory(q.intervals.contacts, q.work.contacts) for q in shared)
