"""A large center sized on two cores (the later batches by a forked child, or on threads
where no child can be had) gives the sizing of one process: every queue's agents per
interval, contacts, infeasible intervals, sums and months, each interval's figures on
request, the totals and the diagnostics, for generated blueprints and the examples with
the batches made small so that there are several."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from blueprintc import forked
from blueprintc.driver import Compilation, compile
from blueprintc.solve import staffing as st
from tests.bench.generate import generated_blueprint

ROOT = Path(__file__).resolve().parents[2]


def _compiled(source: str | Path) -> Compilation:
    result = compile(source)
    assert result.sizing is not None, [d.message for d in result.diagnostics]
    return result


MONTHLY = (
    "agent_hours", "fte", "headcount", "peak_agents",
    "service_level", "asa", "abandon", "occupancy",
)  # fmt: skip


def _figures(result: Compilation) -> list[object]:
    """Everything sizing keeps, as bytes and numbers."""
    sizing = result.sizing
    assert sizing is not None
    found: list[object] = [[(d.code, d.message) for d in result.diagnostics]]
    for queue in sizing.queues:
        kept = queue.intervals
        found += [
            queue.name,
            kept.agents.dtype.str,
            kept.agents.tobytes(),
            kept.contacts.tobytes(),
            np.asarray(kept.infeasible).tobytes(),
            sorted(kept.sums.items()),
            [np.asarray(getattr(queue.monthly, field)).tobytes() for field in MONTHLY],
            queue.monthly.fte_exact,
            kept.month(0).service_level.tobytes(),
        ]
    found += [sizing.agent_fte.tobytes(), sizing.headcount.tobytes(), sizing.seats]
    return found


@pytest.fixture(autouse=True)
def _nothing_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every compilation sizes its queues: a cache folder that cannot be written keeps
    none (`blueprintc.sizing.kept`)."""
    blocked = tmp_path / "not a folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(blocked))


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setattr(st, "BATCH_CELLS", 4000)
    with warnings.catch_warnings():  # Python 3.12 warns of fork() beside other threads
        warnings.simplefilter("ignore", DeprecationWarning)
        yield monkeypatch


SOURCES: dict[str, str | Path] = {
    "generated": generated_blueprint(4),
    "northwind": ROOT / "examples" / "northwind_bank.cxb",
    "thornvale": ROOT / "examples" / "thornvale_water.cxb",
}


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("way", ["child", "threads"])
def test_two_cores_size_as_one_process(
    name: str, way: str, small_batches: pytest.MonkeyPatch
) -> None:
    small_batches.setattr(forked, "can_fork", lambda: False)
    small_batches.setattr(st, "_sizing_threads", lambda: 1)
    alone = _figures(_compiled(SOURCES[name]))
    small_batches.setattr(forked, "can_fork", lambda: way == "child")
    small_batches.setattr(st, "_sizing_threads", lambda: 2)
    started = forked.start

    def counted(task: Callable[[], bytes]) -> forked.Child | None:
        child = started(task)
        children.append(child is not None)
        return child

    children: list[bool] = []
    small_batches.setattr(forked, "start", counted)
    assert _figures(_compiled(SOURCES[name])) == alone
    assert any(children) == (way == "child")
