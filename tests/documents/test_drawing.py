"""Charts drawn by worker processes are the charts drawn in the build's own process."""

from __future__ import annotations

import contextlib
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from blueprintc.documents import drawing, dump, svg
from blueprintc.documents.build import build_documents, charts_in
from blueprintc.documents.catalog import DOCUMENTS
from blueprintc.documents.charts import Diagram, Gantt, LineChart, Series
from blueprintc.documents.context import Context
from blueprintc.driver import Compilation
from tests.bench.generate import generated_blueprint
from tests.documents.conftest import ROOT, compile_in, compiled_example
from tests.documents.test_charts import DIAGRAM, GANTT, HOSTILE_CHARTS, LINE


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Two workers, nothing remembered before or after, an empty cache folder."""
    monkeypatch.setenv("BLUEPRINTC_JOBS", "2")
    monkeypatch.setenv("BLUEPRINTC_CACHE_DIR", str(tmp_path / "cache"))
    drawing.forget()
    yield
    drawing.forget()


def _handed(drawings: drawing.Drawings) -> None:
    for event in drawings._handovers:
        event.wait()


def test_workers_draw_the_same_bytes_as_the_build_itself(fresh: None) -> None:
    charts = [LINE, GANTT, DIAGRAM, *HOSTILE_CHARTS]
    drawings = drawing.Drawings(charts)
    if drawing._workers() is None or not drawings._handovers:
        pytest.skip("no worker processes here")
    _handed(drawings)
    assert len(drawings._futures) == len(charts)  # all handed to the workers
    for chart in charts:
        assert drawings.svg(chart) == svg.render(chart)
        assert drawings.svg(chart, "again-") == svg.render(chart, "again-")
    assert not drawings._futures


def test_a_chart_is_drawn_once_and_remembered(fresh: None) -> None:
    first = drawing.Drawings([LINE, GANTT])
    document = first.document(LINE)
    second = drawing.Drawings([LINE, GANTT])
    _handed(second)
    assert LINE not in second._futures and second.document(LINE) is document
    second.close()


def test_a_chart_drawn_by_another_process_is_taken_from_the_cache_folder(fresh: None) -> None:
    document = drawing.Drawings().document(LINE)
    kept = drawing._kept_at(LINE)
    assert kept is not None and kept.read_text(encoding="utf-8") == document
    drawing.forget()  # as a new process: nothing in memory
    again = drawing.Drawings([LINE])
    assert not again._handovers and again.document(LINE) == document
    drawing.forget()
    kept.write_text("<svg>stale</svg>", encoding="utf-8")
    drawing._environment = "another matplotlib"  # the key changes with what drawing uses
    try:
        assert drawing.Drawings().document(LINE) == document
    finally:
        drawing._environment = None


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
    assert not drawings._handovers and not drawings._futures
    assert drawings.svg(GANTT) == svg.render(GANTT)


def test_workers_do_not_run_the_programs_script_again(tmp_path: Path) -> None:
    """multiprocessing runs the main script again in each worker it starts by forkserver:
    a script without an ``if __name__ == "__main__"`` guard would build once more in each."""
    log = tmp_path / "ran.txt"
    script = tmp_path / "script.py"
    script.write_text(
        "import os\n"
        f"with open({str(log)!r}, 'a') as f:\n"
        "    f.write('ran\\n')\n"
        "from blueprintc.documents import drawing\n"
        "from tests.documents.test_charts import DIAGRAM, GANTT, LINE\n"
        "drawings = drawing.Drawings([LINE, GANTT, DIAGRAM])\n"
        "[event.wait() for event in drawings._handovers]\n"
        "print(len(drawings._futures), len(drawings.document(DIAGRAM)) > 0)\n",
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "BLUEPRINTC_JOBS": "2",
        "BLUEPRINTC_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, str(script)], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() in (["3", "True"], ["0", "True"])  # 0: no workers here
    assert log.read_text(encoding="utf-8") == "ran\n"


def test_the_number_of_workers_has_a_range(monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprintc.documents import drawing

    for setting, expected in (("3", 3), ("100000", drawing.MAX_JOBS), ("1", 1)):
        monkeypatch.setenv("BLUEPRINTC_JOBS", setting)
        assert drawing.jobs() == expected
    for ignored in ("0", "-2", "many", ""):
        monkeypatch.setenv("BLUEPRINTC_JOBS", ignored)
        assert 1 <= drawing.jobs() <= drawing.MAX_JOBS


def test_kept_text_extents_and_box_outlines_draw_matplotlibs_own_bytes(
    example_context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``svg`` keeps every text extent matplotlib measures for the process and each box's
    outline while arrows are clipped to it (``_measured_once``, ``_Outline``): each chart
    of the example (its line charts, Gantt chart and diagrams, the traceability one with
    74 arrows) and of the unit tests, drawn twice with them, is the chart drawn without."""
    charts = [c for d in DOCUMENTS for c in charts_in(d.build(example_context))]
    charts += [LINE, GANTT, DIAGRAM, *HOSTILE_CHARTS]
    assert {type(c) for c in charts} == {LineChart, Gantt, Diagram}
    kept = [svg.draw(chart) for chart in charts]
    assert [svg.draw(chart) for chart in charts] == kept  # with every extent known
    monkeypatch.setattr(svg, "_measured_once", contextlib.nullcontext)
    monkeypatch.setattr(svg, "_Outline", lambda patch: patch)
    assert [svg.draw(chart) for chart in charts] == kept


def _laid_out_at_save(spec: Any) -> str:
    """matplotlib's usual way to save a laid-out figure, the reference for ``svg.draw``:
    the layout engine stays on, so savefig lays the figure out and draws it twice more."""
    import io

    from matplotlib.figure import Figure

    buffer = io.StringIO()
    with svg._drawing(spec):
        figure = Figure(layout="constrained")
        {LineChart: svg._line_chart, Gantt: svg._gantt, Diagram: svg._diagram}[type(spec)](
            figure, spec
        )
        figure.draw_without_rendering()
        if isinstance(spec, LineChart):
            svg._separate(figure, spec)
        metadata = {"Date": None, "Creator": None, "Format": None, "Type": None}
        figure.savefig(buffer, format="svg", metadata=metadata)
    return buffer.getvalue()


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_CLIP_ID = re.compile(r"\bp[0-9a-f]{10}\b")  # a digest of the clip box's coordinates


def _shape(document: str) -> str:
    return _NUMBER.sub("#", _CLIP_ID.sub("p-clip", document))


def test_each_chart_drawn_once_is_the_chart_matplotlib_lays_out_again_when_saving(
    example_context: Context, tmp_path: Path
) -> None:
    """``svg.draw`` lays a chart out once, with the SVG renderer's text extents and a
    diagram's arrows unclipped, and saves it without its layout engine: one drawing
    instead of three. Every chart of two examples, a generated blueprint and the unit
    tests is matplotlib's own (arrows clipped at every pass, laid out again by savefig,
    and drawn twice there) with the same elements and texts, every coordinate within a
    tenth of a point."""
    thornvale = Context.of_compilation(compiled_example("thornvale_water"))
    generated = Context.of_compilation(compile_in(tmp_path, generated_blueprint(3)))
    contexts = (example_context, thornvale, generated)
    views = [d.build(ctx) for ctx in contexts for d in DOCUMENTS]
    charts = [c for view in views for c in charts_in(view)]
    charts += [LINE, GANTT, DIAGRAM, *HOSTILE_CHARTS]
    assert {type(c) for c in charts} == {LineChart, Gantt, Diagram}
    for chart in dict.fromkeys(charts):
        ours, reference = svg.draw(chart), _laid_out_at_save(chart)
        assert _shape(ours) == _shape(reference), chart.key
        numbers = [_NUMBER.findall(_CLIP_ID.sub("", d)) for d in (ours, reference)]
        pairs = zip(*numbers, strict=True)
        worst = max((abs(float(a) - float(b)) for a, b in pairs), default=0.0)
        assert worst < 0.1, (chart.key, worst)


def test_the_json_and_the_sources_written_by_workers_are_those_written_here(
    example: Compilation, fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build hands the JSON files, the Word files, the highlighted sources and the
    pages' Markdown to convert to the drawing workers when they run (``drawing.beside``):
    the files are those of a build that does all itself, and a worker that cannot take
    the work (here: arguments that do not pickle) leaves it to the build."""
    handed: list[str] = []
    beside = drawing.beside

    def recorded(task: Any, *args: Any) -> Any:
        future = beside(task, *args)
        if future is not None:
            handed.append(task.__name__)
        return future

    monkeypatch.setattr(drawing, "beside", recorded)
    by_workers = build_documents(example).files
    if drawing._workers() is None:
        pytest.skip("no worker processes here")
    assert {"encoded_files", "highlighted_lines", "word_files", "converted"} <= set(handed)
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")
    assert build_documents(example).files == by_workers
    monkeypatch.setenv("BLUEPRINTC_JOBS", "2")
    future = drawing.beside(dump.encoded_files, (), {}, lambda: None, None)
    assert drawing.outcome(future, dump.encoded_files, (), {}, {}, None).keys() == {
        "json/blueprint.json"
    }


def test_a_task_no_worker_has_started_is_taken_back_and_done_here(fresh: None) -> None:
    """``outcome`` of a task still waiting for a worker does it in this process, which
    would otherwise only wait (a build's pages converted from both ends, see
    ``site.document_bodies``)."""
    import time

    if drawing._workers() is None:
        pytest.skip("no worker processes here")
    started = drawing.beside(os.getpid)
    assert started is not None and started.result() != os.getpid()  # done by a worker
    assert drawing.outcome(started, os.getpid) == started.result()
    busy = [drawing.beside(time.sleep, 0.3) for _ in range(drawing.jobs() + 3)]
    waiting = drawing.beside(os.getpid)
    assert drawing.outcome(waiting, os.getpid) == os.getpid()
    assert waiting is not None and waiting.cancelled()
    assert all(job is not None and job.result() is None for job in busy)


def test_warming_up_starts_the_forkserver_and_no_worker(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``warm_up`` starts the process the workers are forked from (with matplotlib to
    import) and nothing that a process would wait for at its end; nothing at all where
    charts are drawn in-process or workers run already."""
    from multiprocessing import forkserver

    started: list[str] = []
    ensure_running = forkserver.ensure_running

    def recorded() -> None:
        started.append(os.path.basename(sys.modules["__main__"].__dict__.get("__file__", "")))
        ensure_running()

    monkeypatch.setattr(forkserver, "ensure_running", recorded)
    monkeypatch.setenv("BLUEPRINTC_JOBS", "1")
    drawing.warm_up()
    assert started == []
    monkeypatch.setenv("BLUEPRINTC_JOBS", "2")
    if drawing._pool is None and not drawing._pool_failed:
        drawing.warm_up()
        assert started == [""]  # without the program's main module (see _main_hidden)
        assert drawing._pool is None
    if drawing._workers() is None:
        pytest.skip("no worker processes here")
    started.clear()
    drawing.warm_up()
    assert started == []
    job = drawing.beside(os.getpid)
    assert job is not None and job.result() != os.getpid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_hand_work_to_the_parents_workers(fresh: None) -> None:
    """A child forked from a process with workers (a test, a build system) has no thread
    to talk to them: it does its work itself instead of waiting for them for ever."""
    if drawing._workers() is None:
        pytest.skip("no worker processes here")
    assert drawing.outcome(drawing.beside(len, "four"), len, "four") == 4
    pid = os.fork()
    if pid == 0:  # the child: never returns into the test run
        try:
            os._exit(0 if drawing.beside(len, "four") is None else 3)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def test_the_workers_start_when_a_view_has_a_chart_to_draw(fresh: None) -> None:
    """``expect`` starts the workers once, before the charts are handed over, and only
    for charts that are not drawn yet."""
    drawings = drawing.Drawings()
    drawings.expect([])
    assert not drawings._handovers
    drawings.expect([LINE])
    if drawing._pool is None:
        pytest.skip("no worker processes here")
    assert len(drawings._handovers) == 1
    _handed(drawings)
    drawings.expect([GANTT])
    assert len(drawings._handovers) == 1
    drawings.add([LINE])
    assert drawings.document(LINE) == svg.draw(LINE)
