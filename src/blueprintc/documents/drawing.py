"""The charts of a build, drawn once, beside the rest of the build where two cores help.

matplotlib takes 0.1 to 0.5 s a chart (and 0.4 s to import), more than the rest of the
HTML site. A build hands every chart of its views to ``Drawings`` as soon as the views are
built; the site takes each SVG when it places the figure.

* **In parallel.** With two or more usable cores and at least ``MIN_PARALLEL`` charts to
  draw, worker processes draw them while the build renders the Markdown, the pages, the
  JSON and the spreadsheets. The workers come from a *forkserver*: a fresh process that
  imports matplotlib once, beside the build, and forks a worker per core from there; they
  stay for the next build of the same process (``--watch``). Drawing is a pure function
  of the chart's specification (``svg.draw``), so a worker's SVG is byte for byte the one
  the build's own process would draw. Where processes cannot be started (no forkserver on
  Windows, a sandbox without semaphores) or a worker dies, charts are drawn in-process.
* **Once.** The SVG documents of the last ``MEMO_SIZE`` charts are kept in the process:
  a rebuild redraws only the charts whose figures changed, and a chart shown on several
  pages (or twice on one) is drawn once, its ids renamed per use (``svg.inline``).

``BLUEPRINTC_JOBS`` sets the number of worker processes (``1``: draw in the build's own
process).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from blueprintc.documents import svg
from blueprintc.documents.charts import Chart

MIN_PARALLEL = 2  # charts to draw before worker processes pay for their start
MEMO_SIZE = 64  # SVG documents kept in the process (about 100 kB each)
_PRELOAD = ["blueprintc.documents.svg", "matplotlib.figure", "matplotlib.backends.backend_svg"]

_memo: OrderedDict[Chart, str] = OrderedDict()
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_failed = False


def jobs() -> int:
    """Worker processes to draw with: ``BLUEPRINTC_JOBS``, else the usable cores (1:
    in-process)."""
    setting = os.environ.get("BLUEPRINTC_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


class Drawings:
    """The SVG of each chart of one build, drawn by workers or in-process on demand."""

    def __init__(self, charts: Iterable[Chart]) -> None:
        self._futures: dict[Chart, Future[str]] = {}
        wanted = [c for c in dict.fromkeys(charts) if _remembered(c) is None]
        pool = _workers() if len(wanted) >= MIN_PARALLEL and jobs() > 1 else None
        if pool is None:
            return
        try:
            with _main_hidden():
                for chart in wanted:
                    self._futures[chart] = pool.submit(svg.draw, chart)
        except (BrokenProcessPool, RuntimeError, OSError, AssertionError):
            _retire()
            self._futures.clear()

    def svg(self, chart: Chart, prefix: str | None = None) -> str:
        """The chart as an inline ``<svg>`` element whose ids start with ``prefix``."""
        return svg.inline(self.document(chart), chart, prefix)

    def document(self, chart: Chart) -> str:
        """matplotlib's SVG document of the chart (see ``svg.draw``)."""
        known = _remembered(chart)
        if known is not None:
            return known
        future = self._futures.pop(chart, None)
        document = None
        if future is not None:
            try:
                document = future.result()
            except BrokenProcessPool:
                _retire()
        if document is None:
            document = svg.draw(chart)
        _remember(chart, document)
        return document

    def close(self) -> None:
        """Drop what was not asked for (a build that failed half way)."""
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()


def warm() -> None:
    """Start the worker processes now (matplotlib loads there while the build goes on)."""
    if jobs() > 1:
        pool = _workers()
        if pool is not None:
            try:
                with _main_hidden():
                    pool.submit(_ready)
            except (BrokenProcessPool, RuntimeError, OSError, AssertionError):
                _retire()


def forget() -> None:
    """Forget every chart drawn (the next build draws all of its charts again)."""
    with _lock:
        _memo.clear()


def _ready() -> None:
    """Nothing: the task that makes a worker start."""


def _remembered(chart: Chart) -> str | None:
    with _lock:
        document = _memo.get(chart)
        if document is not None:
            _memo.move_to_end(chart)
        return document


def _remember(chart: Chart, document: str) -> None:
    with _lock:
        _memo[chart] = document
        _memo.move_to_end(chart)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def _workers() -> ProcessPoolExecutor | None:
    """The process's pool of drawing workers (made on first use), or None when worker
    processes cannot be had here."""
    global _pool, _pool_failed
    with _lock:
        if _pool is None and not _pool_failed:
            try:
                import multiprocessing

                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                _pool = ProcessPoolExecutor(
                    max_workers=jobs(), mp_context=context, initializer=_worker_started
                )
            except (ValueError, OSError, NotImplementedError, ImportError):
                _pool_failed = True
        return _pool


def _retire() -> None:
    """Stop using worker processes in this process (one died, or they cannot start)."""
    global _pool, _pool_failed
    with _lock:
        pool, _pool, _pool_failed = _pool, None, True
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start worker processes as if this program had no main module.

    A worker needs nothing of the program that builds (it draws with ``svg.draw``), but
    multiprocessing runs the main script again in every worker it starts this way (as
    ``__mp_main__``): a script without an ``if __name__ == "__main__"`` guard would build
    once more in each. Workers start while a task is submitted, in this thread, reading
    ``sys.modules["__main__"]``: a bare module there for that moment means none is run.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _worker_started() -> None:
    """In a worker: Ctrl-C is the build's to handle (the worker ends with it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
