"""The charts of a build, drawn once, beside the rest of the build where two cores help.

matplotlib takes 0.1 to 0.5 s a chart (and 0.4 s to import), more than the rest of the
HTML site. A build hands every chart of its views to ``Drawings`` as soon as the views are
built; the site takes each SVG when it places the figure.

* **In parallel.** With two or more usable cores, worker processes draw the charts while
  the build renders the Markdown, the pages, the JSON and the spreadsheets. The charts
  are handed over when the views are built, the longest to draw first (by ``cost``): a
  long chart handed over last would end alone, long after the others (longest
  processing time first; R. L. Graham, "Bounds on multiprocessing timing anomalies",
  SIAM J. Appl. Math. 17(2), 1969). The workers come from a *forkserver*: a fresh
  process that imports matplotlib once, beside the build, and forks a worker per core
  from there (the command line starts it as it compiles, ``warm_up``); the workers
  start as soon as a view has a chart to draw (``expect``) and stay for
  the next build of the same process (``--watch``). Drawing is a pure function of the chart's
  specification (``svg.draw``), so a worker's SVG is byte for byte the one the build's
  own process would draw. Where processes cannot be started (no forkserver on Windows,
  a sandbox without semaphores) or a worker dies, charts are drawn in-process.
* **Once.** The SVG documents of the last ``MEMO_SIZE`` charts are kept in the process:
  a rebuild redraws only the charts whose figures changed, and a chart shown on several
  pages (or twice on one) is drawn once, its ids renamed per use (``svg.inline``).
* **Once per machine.** Each SVG document drawn is also kept in the user's cache folder
  (``stamp.cache_folder()/charts``), named after a digest of the chart's specification
  and of everything else its drawing depends on (``stamp.environment_key``: blueprintc's
  files, the Python, the installed distributions, matplotlib's configuration files and
  font list). A later build, in any process, takes a chart from there when its figures
  are the same; a build whose charts are all there neither imports matplotlib in its
  own process nor starts a worker. Files unused for 30 days are deleted.

``BLUEPRINTC_JOBS`` sets the number of worker processes (``1``: draw in the build's own
process).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import signal
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from blueprintc import collector, forked, idle, resources
from blueprintc.documents import stamp, svg
from blueprintc.documents.charts import Chart, Diagram, Gantt, image_path

T = TypeVar("T")

MEMO_SIZE = 64  # SVG documents kept in the process (about 100 kB each)
KEEP_DAYS = 30  # a chart kept on disk and unused this long is deleted
_PRELOAD = ["blueprintc.documents.svg", "matplotlib.figure", "matplotlib.backends.backend_svg"]

_memo: OrderedDict[Chart, str] = OrderedDict()
_lock = threading.Lock()
_starting = threading.Lock()  # one thread at a time starts workers (see _main_hidden)
_pool: ProcessPoolExecutor | None = None
_pool_failed = False
_environment: str | None = None  # stamp.environment_key(), once per process


MAX_JOBS = 64
"""The most worker processes a build draws with, whatever ``BLUEPRINTC_JOBS`` asks."""


def jobs() -> int:
    """Worker processes to draw with: ``BLUEPRINTC_JOBS`` (at most `MAX_JOBS`; anything
    but a whole number from 1 is ignored), else the usable cores (1: in-process)."""
    setting = os.environ.get("BLUEPRINTC_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return min(int(setting), MAX_JOBS)
    return min(forked.usable_cores(), MAX_JOBS)


class Drawings:
    """The SVG of each chart of one build, drawn by workers or in-process on demand."""

    def __init__(self, charts: Iterable[Chart] = ()) -> None:
        self._futures: dict[Chart, Future[str]] = {}
        self._asked: set[Chart] = set()
        self._handovers: list[threading.Event] = []
        self._lock = threading.Lock()
        self.add(charts)

    def add(self, charts: Iterable[Chart]) -> None:
        """Start drawing ``charts`` (those not drawn before) on the workers, if any."""
        wanted = []
        for chart in dict.fromkeys(charts):
            if chart in self._asked or _remembered(chart) is not None or _recalled(chart):
                continue
            self._asked.add(chart)
            wanted.append(chart)
        if not wanted or jobs() <= 1 or _workers() is None:
            return
        wanted.sort(key=cost, reverse=True)  # the longest first: the last to end is short
        # Handed over by a thread: starting a worker waits for the forkserver to have
        # loaded matplotlib, which the build need not wait for.
        handed = threading.Event()
        self._handovers.append(handed)
        threading.Thread(target=self._hand_over, args=(wanted, handed), daemon=True).start()

    def expect(self, charts: Iterable[Chart]) -> None:
        """Start the workers if any of ``charts`` is to be drawn (``add`` hands them over
        later): a worker takes a while to start, and the views are built meanwhile."""
        if self._handovers or jobs() <= 1:
            return
        if all(c in self._asked or _remembered(c) is not None or _recalled(c) for c in charts):
            return
        if _workers() is None:
            return
        started = threading.Event()
        self._handovers.append(started)
        threading.Thread(target=self._start, args=(started,), daemon=True).start()

    @staticmethod
    def _start(started: threading.Event) -> None:
        try:
            _submit(_ready, [None])
        finally:
            started.set()

    def _hand_over(self, wanted: list[Chart], handed: threading.Event) -> None:
        try:
            futures = _submit(svg.draw, wanted)
            if len(futures) == len(wanted):  # else drawn in-process, on demand
                with self._lock:
                    self._futures.update(zip(wanted, futures, strict=True))
        finally:
            handed.set()

    def svg(self, chart: Chart, prefix: str | None = None) -> str:
        """The chart as an inline ``<svg>`` element whose ids start with ``prefix``."""
        return svg.inline(self.document(chart), chart, prefix)

    def document(self, chart: Chart) -> str:
        """matplotlib's SVG document of the chart (see ``svg.draw``)."""
        known = _remembered(chart)
        if known is not None:
            return known
        self._wait()
        with self._lock:
            future = self._futures.pop(chart, None)
        document = None
        if future is not None:
            idle.while_waiting(future)
            try:
                document = future.result()
            except BrokenProcessPool:
                _retire()
        if document is None:
            document = svg.draw(chart)
        _remember(chart, document)
        _keep(chart, document)
        return document

    def close(self) -> None:
        """Drop what was not asked for (a build that failed half way)."""
        self._wait()
        with self._lock:
            for future in self._futures.values():
                future.cancel()
            self._futures.clear()

    def _wait(self) -> None:
        for handed in self._handovers:
            handed.wait()


def images(charts: Iterable[Chart], drawings: Drawings, folder: str) -> dict[str, bytes]:
    """Each chart's SVG as a file of its own, by its path: ``folder`` and
    ``charts.image_path`` (the Markdown's images of its line charts)."""
    return {
        f"{folder}{image_path(chart.key)}": svg.standalone(drawings.document(chart), chart).encode()
        for chart in charts
    }


def _ready(_: None) -> None:
    """Nothing: the task that starts a worker before the charts are handed over."""


def cost(chart: Chart) -> float:
    """About how many milliseconds matplotlib takes to draw ``chart`` (measured on the
    examples: a line chart ~130, a box ~5 and an arrow ~10 more, a bar ~9), only to hand
    the longest over first."""
    if isinstance(chart, Diagram):
        return 60 + 5 * len(chart.nodes) + 10 * len(chart.edges)
    if isinstance(chart, Gantt):
        return 100 + 9 * len(chart.tasks)
    return 120 + 0.1 * len(chart.x) * len(chart.series)


def beside(task: Callable[..., T], *args: Any) -> Future[T] | None:
    """``task(*args)`` started on a drawing worker, if the workers are running (none is
    started for it), else None: the caller does it itself. A build hands over work that
    needs nothing but its arguments (the JSON files, the highlighted sources): a worker
    takes it once the charts handed over before are drawn, while the build goes on."""
    with _lock:
        pool = _pool
    if pool is None or jobs() <= 1:
        return None
    try:
        with _starting, _main_hidden():
            return pool.submit(collector.without_collector, task, *args)
    except (BrokenProcessPool, RuntimeError, OSError, AssertionError):
        _retire()
        return None


def outcome(future: Future[T] | None, task: Callable[..., T], *args: Any) -> T:
    """What ``beside`` started (``future``), or ``task(*args)`` done here if it was not
    started or did not succeed: its worker died, an argument did not pickle, or the task
    failed (it fails here again, with this process's traceback). A task no worker has
    taken yet is taken back and done here: this process would only wait for it."""
    if future is not None and not future.cancel():
        idle.while_waiting(future)
        try:
            return future.result()
        except BrokenProcessPool:
            _retire()
        except Exception:  # done again here, where it raises if it must
            pass
    return task(*args)


def _submit(task: Callable[[Any], Any], items: list[Any]) -> list[Future[Any]]:
    """``task`` of each item handed to the workers (none when they cannot have it)."""
    pool = _workers()
    if pool is None:
        return []
    try:
        with _starting, _main_hidden():
            return [pool.submit(collector.without_collector, task, item) for item in items]
    except (BrokenProcessPool, RuntimeError, OSError, AssertionError):
        _retire()
        return []


def forget() -> None:
    """Forget every chart drawn (the next build draws all of its charts again)."""
    with _lock:
        _memo.clear()


def _kept_at(chart: Chart) -> Path | None:
    """Where the SVG document of ``chart`` is kept on disk (None: no cache folder)."""
    global _environment
    try:
        if _environment is None:
            _environment = stamp.environment_key()
        digest = hashlib.sha256(pickle.dumps(chart, protocol=4))
        digest.update(_environment.encode())
        return stamp.cache_folder() / "charts" / f"{digest.hexdigest()[:40]}.svg"
    except (OSError, ValueError, pickle.PicklingError):
        return None


def _recalled(chart: Chart) -> bool:
    """Take the chart's SVG document from the cache folder into memory, if it is there."""
    path = _kept_at(chart)
    if path is None:
        return False
    try:
        document = path.read_text(encoding="utf-8")
        os.utime(path)  # used: kept by stamp.prune
    except (OSError, ValueError):
        return False
    _remember(chart, document)
    return True


def _keep(chart: Chart, document: str) -> None:
    """Keep the chart's SVG document in the cache folder (nothing if it cannot be)."""
    path = _kept_at(chart)
    if path is not None:
        resources.keep(path, lambda staged: staged.write_text(document, "utf-8"), KEEP_DAYS)


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


def warm_up() -> None:
    """Start the process the workers are forked from, which imports matplotlib, while
    the build compiles (a command that is about to build: half a second it would
    otherwise wait for when the first chart is handed over). No worker is started and
    nothing waits for it: a build whose charts are all kept ends at once, and the process
    ends with it. Nothing happens when the workers run already or cannot run here."""
    if jobs() <= 1:
        return
    with _lock:
        if _pool is not None or _pool_failed:
            return
    # Where it cannot start, the workers cannot either: ``_workers`` finds that out later.
    with contextlib.suppress(ValueError, OSError, NotImplementedError, ImportError):
        import multiprocessing
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(_PRELOAD)
        with _starting, _main_hidden():
            forkserver.ensure_running()


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
                forked.lend(beside)  # to the next compile's parse, say (no fork beside them)
            except (ValueError, OSError, NotImplementedError, ImportError):
                _pool_failed = True
        return _pool


def _retire() -> None:
    """Stop using worker processes in this process (one died, or they cannot start)."""
    global _pool, _pool_failed
    with _lock:
        pool, _pool, _pool_failed = _pool, None, True
    forked.lend(None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Start worker processes as if this program had no main module.

    A worker needs nothing of the program that builds (it draws with ``svg.draw``), but
    multiprocessing runs the main script again in every worker it starts this way (as
    ``__mp_main__``): a script without an ``if __name__ == "__main__"`` guard would build
    once more in each. Workers start while a task is submitted, in the submitting thread,
    reading ``sys.modules["__main__"]``: a bare module there for that moment (one thread
    at a time, ``_starting``) means none is run. The build's own thread, meanwhile,
    renders templates and Markdown, which never look at ``__main__``.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _forked() -> None:
    """In a child forked from this process: the workers are the parent's, and a lock
    another thread held at the fork stays held; the child starts its own if it draws."""
    global _pool, _lock, _starting
    _pool = None
    _lock = threading.Lock()
    _starting = threading.Lock()


if hasattr(os, "register_at_fork"):  # pragma: no branch - not on Windows
    os.register_at_fork(after_in_child=_forked)


def _worker_started() -> None:
    """In a worker: Ctrl-C is the build's to handle (the worker ends with it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
