"""blueprintc.frames: the figures of a compilation as pandas DataFrames."""

from __future__ import annotations

import builtins
import math
from pathlib import Path
from typing import Any

import pytest

import blueprintc
from blueprintc import frames
from blueprintc.driver import Compilation

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "northwind_bank.cxb"


@pytest.fixture(scope="module")
def example() -> Compilation:
    return blueprintc.compile(EXAMPLE)


def test_month_labels() -> None:
    assert frames.month_label(2027, 1, 0) == "2027-01"
    assert frames.month_label(2027, 11, 2) == "2028-01"
    assert frames.month_label(2027, 12, 25) == "2030-01"


def test_without_pandas_the_error_says_what_to_install(
    example: Compilation, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    for function in (frames.staffing, frames.costs):
        with pytest.raises(ImportError, match=r"pip install pandas"):
            function(example)


def test_incomplete_compilations_are_refused() -> None:
    pytest.importorskip("pandas")
    early = blueprintc.compile(EXAMPLE, until="validate")
    with pytest.raises(ValueError, match="no sizing: it stopped before"):
        frames.staffing(early)
    with pytest.raises(ValueError, match="no planning: it stopped before"):
        frames.costs(early)


def test_staffing_frame_holds_the_sizing_figures(example: Compilation) -> None:
    pytest.importorskip("pandas")
    sizing = example.sizing
    assert sizing is not None
    frame = frames.staffing(example)
    assert list(frame.columns) == list(frames.STAFFING_COLUMNS)
    assert len(frame) == len(sizing.queues) * sizing.grid.months
    assert frame["month"].iloc[0] == sizing.grid.label(0)
    assert frame["month"].iloc[-1] == sizing.grid.label(sizing.grid.months - 1)
    for queue in sizing.queues:
        rows = frame[frame["queue"] == queue.name]
        assert rows["fte"].tolist() == pytest.approx(queue.monthly.fte.tolist())
        assert rows["headcount"].tolist() == queue.monthly.headcount.tolist()
        assert rows["contacts"].tolist() == pytest.approx(queue.work.monthly.tolist())
        assert rows["month"].tolist() == [sizing.grid.label(i) for i in range(sizing.grid.months)]
    # the agents' FTE of the whole center, month by month
    by_month = frame.groupby("month", sort=True)["fte"].sum().tolist()
    assert by_month == pytest.approx(sizing.agent_fte.tolist())
    assert example.outcome is not None
    assert frames.staffing(example.outcome).equals(frame)


def test_cost_frame_sums_to_the_cost_reports_total(example: Compilation) -> None:
    pytest.importorskip("pandas")
    planning = example.planning
    assert planning is not None
    statement = planning.statement
    frame = frames.costs(example)
    assert list(frame.columns) == list(frames.COST_COLUMNS)
    assert len(frame) == len(statement.lines) * statement.horizon
    assert frame["amount"].dtype.kind == "f"
    assert math.isclose(frame["amount"].sum(), float(statement.total.total), rel_tol=1e-6)
    for category in ("capex", "opex"):
        series = statement.capex if category == "capex" else statement.opex
        rows = frame[frame["category"] == category]
        assert math.isclose(rows["amount"].sum(), float(series.total), rel_tol=1e-6)
    monthly = frame.groupby("month", sort=True)["amount"].sum().tolist()
    assert monthly == pytest.approx([float(v) for v in statement.total.months])
    assert example.outcome is not None
    assert frames.costs(example.outcome).equals(frame)


def test_an_options_cost_lines(example: Compilation) -> None:
    pytest.importorskip("pandas")
    planning = example.planning
    assert planning is not None and planning.option_statements
    name, statement = next(iter(planning.option_statements.items()))
    frame = frames.costs(example, option=name)
    assert math.isclose(frame["amount"].sum(), float(statement.total.total), rel_tol=1e-6)
    with pytest.raises(ValueError, match="no option 'nope'"):
        frames.costs(example, option="nope")
