"""Charts drawn by worker processes are the charts drawn in the build's own process."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest

from blueprintc.documents import drawing, svg
from blueprintc.documents.charts import LineChart, Series
from tests.documents.test_charts import DIAGRAM, GANTT, HOSTILE_CHARTS, LINE


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Two workers, nothing remembered before or after."""
    monkeypatch.setenv("BLUEPRINTC_JOBS", "2")
    drawing.forget()
    yield
    drawing.forget()


def test_workers_draw_the_same_bytes_as_the_build_itself(fresh: None) -> None:
    charts = [LINE, GANTT, DIAGRAM, *HOSTILE_CHARTS]
    drawings = drawing.Drawings(charts)
    if drawing._workers() is None:
        pytest.skip("no worker processes here")
    assert len(drawings._futures) == len(charts)  # all handed to the workers
    for chart in charts:
        assert drawings.svg(chart) == svg.render(chart)
        assert drawings.svg(chart, "again-") == svg.render(chart, "again-")
    assert not drawings._futures


def test_a_chart_is_drawn_once_and_remembered(fresh: None) -> None:
    first = drawing.Drawings([LINE, GANTT])
    document = first.document(LINE)
    second = drawing.Drawings([LINE, GANTT])
    assert LINE not in second._futures and second.document(LINE) is document
    second.close()


def test_an_error_in_a_worker_is_the_builds_error(fresh: None) -> None:
    bad = LineChart("n", "t", "x", "y", ("a",), (Series("s", (math.inf,)),))
    drawings = drawing.Drawings([bad, LINE])
    with pytest.raises(ValueError, match="non-finite"):
        drawings.document(bad)
    assert drawings.document(LINE) == svg.draw(LINE)


def test_one_job_draws_in_the_builds_own_process(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")
    drawings = drawing.Drawings([LINE, GANTT])
    assert not drawings._futures
    assert drawings.svg(GANTT) == svg.render(GANTT)
