"""Staffing: agents per interval and people per month, from loads and service targets.

Input is numbers and numpy arrays only (this package never sees the blueprint model).
A queue is one channel's assisted work (`QueueSpec`); its load (`QueueLoad`) is a
representative week (7 days, Monday first, `n` intervals a day) for each month:
`contacts` and `handle_time` have shape (months, 7, n), `open` has shape (7, n).

Modelling choices (docs/sizing.md):

* **Traffic** in Erlangs is contacts × handle time ÷ interval length, i.e. agents busy on
  average.  For chat it is divided by the concurrency: traffic counts agents, not sessions.
* **Realtime** (voice, video, chat): the smallest whole number of agents meeting every
  target in each interval, by `queueing.required_agents` (Erlang C; Erlang A with
  `patience`), all months and intervals in one vectorised call.  Chat (concurrency c > 1)
  uses `queueing.chat_agents` (an agent is c slots; handle time measured at that
  concurrency, no extra slowdown), plus `max_occupancy` on the slots if given.  Contacts
  forecast for a closed interval are not served by this queue (they hear the closed
  message) and are left out of the traffic and of the month's averages.
* **Deferred** (e-mail, back office): level staffing by `queueing.deferred_agents` on the
  week's open intervals only, which wrap round (Sunday's last open interval is followed by
  Monday's first).  Work arriving in interval i is due `target_time` after the start of i
  (calendar time; a whole number of intervals, rounded down), so with a 72 h target
  Friday's work may wait until Monday.  When a closure is longer than the target (work
  arriving at its start would be due before the queue opens), all work arriving during
  that closure waits for the opening and its target counts from the opening: under
  first-in first-out nothing can be answered before earlier work that is still waiting,
  and due times that never decrease are what lets first-in first-out meet them all.
  Shorter closures keep calendar due times.  Each arrival's work is spread evenly over
  the open intervals between its arrival (or the opening) and its due time; at least one
  interval, so work due before it could be worked is done in the first open interval.
  The plan clears every interval's work (its `target_level` share, default all) by its
  due time, the rest in the next open interval.  With `max_occupancy` (the occupancy cap
  u) an agent works at most u of each interval it is logged in, so the plan's fractional
  agents are divided by u before they are rounded up per interval (agents ≥ workload ÷
  (interval × u)); without a cap u = 1.
* **Deferred achieved metrics** come from a fluid first-in first-out backlog worked by
  the rounded agents, each at u of the interval, over repeated weeks (one week of warm-up
  reaches the periodic steady state because capacity covers the week's work):
  `service_level` is the share of each interval's work finished by its due time, `asa`
  the mean response time in seconds (arrival to answer in calendar time, closed hours
  included; arrivals and work spread evenly over each interval), `occupancy` the work
  done ÷ the agents' time (so at most u in every interval), `abandon` 0.
* **Outbound**: agents = ceil(attempts × handle time ÷ (interval × u)) in open intervals,
  u the occupancy cap as for deferred work (1 without one); `contacts` are attempts and
  `handle_time` the mean agent time per attempt (the caller blends the contact rate in).
  Attempts planned for closed intervals are not made.  Every planned attempt is made in
  its interval: service level 1, ASA 0, abandon 0.
* **A cap of 0** (no agent may ever be busy) makes every deferred or outbound cell with
  work infeasible, as it does for realtime queues.
* **Minimum and infeasible**: an open interval never has fewer than `minimum_agents`, even
  without work; a closed one has 0.  A cell whose targets no head count can meet
  (`queueing.INFEASIBLE`) gets 0 agents and is flagged in `infeasible` for a diagnostic;
  its metrics are those of 0 agents (service level 0, ASA inf).  Realtime traffic below
  `NEGLIGIBLE_TRAFFIC` (1e-9 Erlangs, float residue) counts as no work, as fractional
  deferred and outbound agents within 1e-9 of a whole number are not rounded up.
* **Month** (`monthly_staff`): `agent_hours` is the representative week's agents ×
  interval hours (hours per week, like the paid hours); `fte` = agent_hours ÷ (paid hours
  per week × (1 − shrinkage)), computed
  exactly on the decimal values as written (as `queueing.fte` does), so 21 agents for
  37.5 h at 30 % shrinkage are exactly 30.0 FTE; `headcount` is that rounded up.  The
  service level, ASA and abandon rate are volume-weighted: abandon and offered/virtual
  service levels by contacts, ASA (and the answered service level) by answered contacts,
  since they describe answered calls; occupancy is weighted by agents (busy time over
  logged-in time), the only weighting that gives the month's real occupancy.  A month
  without contacts has service level 1, ASA 0, abandon 0.
* **Support staff** (`support_staff`): ceil(agent headcount ÷ span) per role, in exact
  integer arithmetic.  Spans of control count people, not hours, so they apply to the
  agent headcount; for whole-number spans ceil(ceil(fte) / s) = ceil(fte / s), so passing
  FTE gives the same answer.
* **What binds** (`binding`): at an interval, the limit that alone needs the agents the
  interval has: its minimum staff when the limits together need fewer; else the first of
  service level (the response target for deferred work), ASA, abandonment and occupancy
  cap that, sized alone (the minimum left out), needs as many; else the work itself
  (outbound attempts, or no limit above just carrying the traffic).
* **Seats** (`seats`): the on-site need is the agents logged in at the busiest interval
  plus on-site support staff, rounded up; it is split over sites by their shares (summing
  to 1) with largest-remainder rounding, so each site gets its quota rounded down or up
  and the sites add up to exactly the rounded-up total.
"""

from __future__ import annotations

import enum
import hashlib
import itertools
import math
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from fractions import Fraction
from typing import Any, Final, Protocol, TypeVar, cast, overload

import attrs
import numpy as np
import numpy.typing as npt

from blueprintc import forked, memory
from blueprintc.solve import queueing as q

T = TypeVar("T")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MODES: Final = ("realtime", "deferred", "outbound")
DEFINITIONS: Final = ("offered", "answered", "virtual")
DAYS: Final = 7
DAY_SECONDS: Final = 86400
NEGLIGIBLE_TRAFFIC: Final = 1e-9
"""Realtime traffic (Erlangs) below this counts as none: 86 microseconds of work a day."""
MAX_TARGET_TIME: Final = 366 * DAY_SECONDS
"""The longest target time taken: deferred work is followed over that many weeks."""
SHARE_TOLERANCE: Final = 1e-6
"""How far site shares may sum from 1 (they are then normalised)."""


# ------------------------------------------------------------------------------ inputs


@attrs.frozen
class QueueSpec:
    """One queue: a channel's assisted work, its targets and its staffing rules."""

    name: str
    mode: str
    interval: float
    target_level: float | None
    target_time: float | None
    definition: str = "offered"
    patience: float | None = None
    max_abandon: float | None = None
    max_asa: float | None = None
    max_occupancy: float | None = None
    concurrency: float = 1.0
    minimum_agents: int = 0
    shrinkage: float = 0.0

    def __attrs_post_init__(self) -> None:
        problem = _spec_problem(self)
        if problem is not None:
            raise ValueError(f"queue {self.name!r}: {problem}")


def _spec_problem(spec: QueueSpec) -> str | None:
    """The first thing wrong with a queue specification, or None."""
    if spec.mode not in MODES:
        return f"mode must be one of {', '.join(MODES)}, got {spec.mode!r}"
    if spec.definition not in DEFINITIONS:
        return f"definition must be one of {', '.join(DEFINITIONS)}, got {spec.definition!r}"
    if not (spec.interval > 0 and (DAY_SECONDS / spec.interval).is_integer()):
        return f"interval must divide a day (900, 1800 or 3600 s), got {spec.interval}"
    fractions = ("target_level", "max_abandon", "shrinkage")
    for name in fractions:
        value = getattr(spec, name)
        if value is not None and not 0.0 <= value <= 1.0:
            return f"{name} must be a fraction in [0, 1], got {value}"
    if spec.shrinkage >= 1.0:
        return "shrinkage must be below 1 (100 % shrinkage leaves no one to schedule)"
    for name in ("target_time", "max_asa", "max_occupancy"):
        value = getattr(spec, name)
        if value is not None and not value >= 0.0:
            return f"{name} must be >= 0, got {value}"
    if spec.patience is not None and not spec.patience > 0.0:
        return f"patience must be > 0 seconds, got {spec.patience}"
    if not spec.concurrency >= 1.0:
        return f"concurrency must be >= 1, got {spec.concurrency}"
    if spec.concurrency > 1.0 and spec.mode != "realtime":
        return "concurrency above 1 applies to realtime (chat) queues only"
    whole = isinstance(spec.minimum_agents, int | np.integer)
    if not (whole and not isinstance(spec.minimum_agents, bool) and spec.minimum_agents >= 0):
        return f"minimum_agents must be a whole number >= 0, got {spec.minimum_agents}"
    if spec.target_time is None and (spec.mode == "deferred" or spec.target_level is not None):
        return "target_time is required with a target level and for deferred work"
    if spec.target_time is not None and spec.target_time > MAX_TARGET_TIME:
        return f"target_time must be at most {MAX_TARGET_TIME:g} s (a year), got {spec.target_time}"
    return None


def _floats(value: npt.ArrayLike) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def _bools(value: npt.ArrayLike) -> BoolArray:
    return np.asarray(value, dtype=np.bool_)


@attrs.frozen(eq=False)
class QueueLoad:
    """Representative weeks: contacts and handle time (months, 7, n), opening hours (7, n)."""

    contacts: FloatArray = attrs.field(converter=_floats)
    handle_time: FloatArray = attrs.field(converter=_floats)
    open: BoolArray = attrs.field(converter=_bools)

    def __attrs_post_init__(self) -> None:
        shape = self.contacts.shape
        if len(shape) != 3 or shape[1] != DAYS:
            raise ValueError(f"contacts must have shape (months, 7, n), got {shape}")
        if self.handle_time.shape != shape:
            raise ValueError(f"handle_time must have shape {shape}, got {self.handle_time.shape}")
        if self.open.shape != shape[1:]:
            raise ValueError(f"open must have shape {shape[1:]}, got {self.open.shape}")
        for name in ("contacts", "handle_time"):
            values = getattr(self, name)
            if not np.all(np.isfinite(values) & (values >= 0)):
                raise ValueError(f"{name} must be finite and >= 0")


# ----------------------------------------------------------------------------- results


@attrs.frozen(eq=False)
class IntervalResult:
    """Agents and achieved performance per interval, arrays of shape (months, 7, n).

    `contacts` is the volume the metrics describe (open intervals for realtime and
    outbound, every arrival for deferred work): the weights of the month's averages.
    """

    agents: IntArray
    traffic: FloatArray
    service_level: FloatArray
    asa: FloatArray
    abandon: FloatArray
    occupancy: FloatArray
    infeasible: BoolArray
    contacts: FloatArray


MEASURES: Final = ("service_level", "asa", "abandon", "occupancy")
"""The service figures of an interval that are averaged over months and the horizon."""


@attrs.frozen(eq=False)
class Intervals:
    """A sized queue's intervals as they are kept: the agents and contacts of every
    interval of every month, the intervals no head count can serve, each service figure's
    contact-weighted sums over the horizon (`sums`), and every figure of any one month on
    request (`month`, computed again for that month or read from what was kept).

    The service figures of every interval are reduced as they are computed (to the
    month's figures of `MonthlyStaff` and to these sums): a large center keeps two arrays
    a queue, not eight.
    """

    agents: npt.NDArray[np.integer[Any]]
    """Whole agents per interval (int16 or int32 where they fit: the same numbers in less
    memory; add them up in int64)."""
    contacts: FloatArray
    infeasible: BoolArray
    sums: Mapping[str, tuple[float, float]]
    """measure -> (sum of figure x contacts, sum of contacts) over the intervals that have
    contacts and a finite figure."""
    detail: Callable[[int], IntervalResult] = attrs.field(repr=False)

    def month(self, month: int) -> IntervalResult:
        """Every figure of one month's intervals, arrays of shape (7, n)."""
        return self.detail(month)


_FIELDS: Final = tuple(f.name for f in attrs.fields(IntervalResult))
"""The arrays of an interval result, in order (``contacts`` last)."""


def weighted_sums(result: IntervalResult) -> dict[str, tuple[float, float]]:
    """Each service figure's sums over all intervals, weighted by contacts (see
    `Intervals.sums`)."""
    weights = result.contacts.reshape(-1)
    sums = {}
    for measure in MEASURES:
        values = getattr(result, measure).reshape(-1)
        finite = np.isfinite(values) & (weights > 0)
        sums[measure] = (
            float((values[finite] * weights[finite]).sum()),
            float(weights[finite].sum()),
        )
    return sums


def month_of(result: IntervalResult, month: int) -> IntervalResult:
    """One month of an interval result, arrays of shape (7, n)."""
    return IntervalResult(*(getattr(result, f.name)[month] for f in attrs.fields(IntervalResult)))


@attrs.frozen(eq=False)
class MonthlyStaff:
    """People per month, arrays of shape (months,); see the module docstring."""

    agent_hours: FloatArray
    fte: FloatArray
    headcount: IntArray
    peak_agents: IntArray
    service_level: FloatArray
    asa: FloatArray
    abandon: FloatArray
    occupancy: FloatArray
    fte_exact: tuple[Fraction, ...] = ()
    """The FTE of each month as the exact decimal ratio ``fte`` rounds (sums of queues'
    FTE are taken on these, so they do not depend on the order of the queues)."""


# ------------------------------------------------------------------------ per interval


def interval_agents(
    spec: QueueSpec, load: QueueLoad, kept: KeptCells | None = None
) -> IntervalResult:
    """Agents needed in every interval of every month's representative week (a realtime
    queue's cells through ``kept``, if given: `KeptCells`)."""
    _check_intervals(spec, load)
    if spec.mode == "realtime":
        return _realtime(spec, load, kept)
    if spec.mode == "deferred":
        return _deferred(spec, load)
    return _outbound(spec, load)


def _check_intervals(spec: QueueSpec, load: QueueLoad) -> None:
    per_day = round(DAY_SECONDS / spec.interval)
    if load.contacts.shape[2] != per_day:
        raise ValueError(
            f"queue {spec.name!r}: {spec.interval:g} s intervals need {per_day} per day, "
            f"the load has {load.contacts.shape[2]}"
        )


def _ceil_whole(values: FloatArray) -> IntArray:
    """Round up to whole agents, ignoring float noise just above a whole number."""
    noise = q.FTE_TOLERANCE * np.maximum(1.0, np.abs(values))
    return np.ceil(values - noise).astype(np.int64)


def _with_minimum(agents: IntArray, staffed: BoolArray, minimum: int | IntArray) -> IntArray:
    """At least `minimum` agents in the staffed (open, feasible) intervals."""
    return np.where(staffed, np.maximum(agents, minimum), agents).astype(np.int64)


def _open_cells(load: QueueLoad) -> BoolArray:
    return np.broadcast_to(load.open, load.contacts.shape)


@attrs.frozen(eq=False)
class _Policy:
    """A realtime queue's staffing policy as the search reads it: each number is one value
    for the whole queue, or an array of one value per cell (queues sized together)."""

    definition: str
    chat: bool  # concurrency above 1: chat_agents
    target_time: Any
    target_level: Any
    patience: Any
    max_abandon: Any
    max_asa: Any
    max_occupancy: Any
    concurrency: Any
    minimum_agents: Any

    @classmethod
    def of(cls, spec: QueueSpec) -> _Policy:
        return cls(
            spec.definition,
            spec.concurrency != 1.0,
            0.0 if spec.target_time is None else spec.target_time,
            spec.target_level,
            spec.patience,
            spec.max_abandon,
            spec.max_asa,
            spec.max_occupancy,
            spec.concurrency,
            spec.minimum_agents,
        )

    @classmethod
    def cells(cls, specs: list[QueueSpec], counts: list[int]) -> _Policy:
        """The policies of queues of one kind (`_kind`), one value per cell: ``counts[i]``
        cells of ``specs[i]``."""
        policies = [cls.of(spec) for spec in specs]
        first = policies[0]

        def per_cell(name: str, dtype: type = np.float64) -> Any:
            if getattr(first, name) is None:
                return None  # the same for the whole kind
            values: npt.NDArray[Any] = np.array(
                [getattr(policy, name) for policy in policies], dtype=dtype
            )
            return np.repeat(values, counts)

        return cls(
            first.definition,
            first.chat,
            per_cell("target_time"),
            per_cell("target_level"),
            per_cell("patience"),
            per_cell("max_abandon"),
            per_cell("max_asa"),
            per_cell("max_occupancy"),
            per_cell("concurrency"),
            per_cell("minimum_agents", np.int64),
        )


def _kind(spec: QueueSpec) -> tuple[object, ...]:
    """What realtime queues sized in one call have in common: the service level definition,
    chat or not, and which limits they set (their values may differ per queue)."""
    limits = (spec.target_level, spec.patience, spec.max_abandon, spec.max_asa, spec.max_occupancy)
    return (spec.definition, spec.concurrency != 1.0, *(v is None for v in limits))


@attrs.frozen(eq=False)
class _Distinct:
    """A realtime queue's intervals before staffing: every cell's contacts, traffic, AHT and
    opening, and its distinct cells (`first` picks one of each, `inverse` places them
    back)."""

    contacts: FloatArray
    sessions: FloatArray
    aht: FloatArray
    is_open: BoolArray
    first: IntArray
    inverse: IntArray


def _distinct(spec: QueueSpec, load: QueueLoad) -> _Distinct:
    is_open = _open_cells(load)
    contacts = np.where(is_open, load.contacts, 0.0)
    sessions = contacts * load.handle_time / spec.interval  # Erlangs of calls or sessions
    # Float residue from forecast arithmetic is no work (and would not staff an agent).
    sessions = np.where(sessions < NEGLIGIBLE_TRAFFIC, 0.0, sessions)
    aht = np.where(sessions > 0, load.handle_time, 1.0)  # no traffic: any AHT, no effect
    first, inverse = _first_of_each(
        sessions.ravel().view(np.uint64), aht.ravel().view(np.uint64), is_open.ravel()
    )
    return _Distinct(contacts, sessions, aht, is_open, first, inverse)


def _first_of_each(*columns: npt.NDArray[Any]) -> tuple[IntArray, IntArray]:
    """The rows of the columns that are distinct bit for bit: the index of the first row of
    each (in the order of the rows sorted by their bits) and each row's distinct row."""
    order = np.lexsort(columns[::-1])  # stable: equal rows keep their order
    new = np.ones(order.size, dtype=bool)
    for column in columns:
        ranked = column[order]
        new[1:] &= ranked[1:] == ranked[:-1]
    new[1:] = ~new[1:]
    inverse = np.empty(order.size, dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return order[new].astype(np.int64), inverse


def _placed(distinct: _Distinct, sized: IntervalResult) -> IntervalResult:
    """A queue's intervals from its sized distinct cells."""
    shape = distinct.sessions.shape
    placed = {
        name: np.asarray(getattr(sized, name))[distinct.inverse].reshape(shape)
        for name in _FIELDS
        if name != "contacts"
    }
    return IntervalResult(**placed, contacts=distinct.contacts)


def _realtime(spec: QueueSpec, load: QueueLoad, kept: KeptCells | None) -> IntervalResult:
    """Every interval of a realtime queue: a batch of one (`_realtime_batch`). An
    interval's agents and figures depend only on its traffic, handle time and whether it
    is open, so each distinct combination is sized once (the days of a week with the same
    profile, closed hours) and the results are placed back: the same numbers as sizing
    every interval, in a fraction of the time."""
    ((_, result),) = _realtime_batch([(spec, load)], [0], kept)
    return result


BATCH_CELLS: Final = 200_000
"""The most intervals of queues sized together in one call (bounds the memory it takes)."""


def interval_agents_many(
    queues: Sequence[tuple[QueueSpec, QueueLoad]],
    finish: Callable[[int, IntervalResult], T],
    kept: KeptCells | None = None,
) -> Iterator[tuple[int, T]]:
    """`interval_agents` of many queues, as (index, ``finish(index, result)``) pairs in no
    set order; ``finish`` is called where the result is made (a sizing thread, or a forked
    child process, from which what it returns comes back pickled), so that only what it
    keeps waits to be handed on.

    The realtime queues of one kind (`_kind`) are sized together, a batch of up to
    `BATCH_CELLS` intervals in one vectorised call with each queue's policy per cell: an
    interval's staffing depends on that interval alone, so the numbers are those of sizing
    each queue alone, without the cost of a search per queue.  Beyond one batch of work,
    two cores size them (`_batches_sized`). With ``kept``, a realtime queue's cells sized
    before are read from it, and only the others are sized (`KeptCells`)."""
    kinds: dict[tuple[object, ...], list[int]] = {}
    for index, (spec, load) in enumerate(queues):
        if spec.mode == "realtime":
            _check_intervals(spec, load)
            kinds.setdefault(_kind(spec), []).append(index)
        else:
            yield index, finish(index, interval_agents(spec, load, kept))
    batches: list[list[int]] = []
    for members in kinds.values():
        batch: list[int] = []
        cells = 0
        for index in members:
            batch.append(index)
            cells += queues[index][1].contacts.size
            if cells >= BATCH_CELLS:
                batches.append(batch)
                batch, cells = [], 0
        if batch:
            batches.append(batch)
    yield from _batches_sized(queues, batches, finish, kept)


def _batches_sized(
    queues: Sequence[tuple[QueueSpec, QueueLoad]],
    batches: list[list[int]],
    finish: Callable[[int, IntervalResult], T],
    kept: KeptCells | None,
) -> Iterator[tuple[int, T]]:
    """`_realtime_batch` of every batch, each result through ``finish``, in their order.

    Beyond one full batch of work, the later batches (half the intervals) are sized by a
    forked child process (`blueprintc.forked`) while this process sizes the first ones;
    the child sends back what ``finish`` made of each queue (which must pickle), and if it
    fails they are sized here. Where no child can be forked, the batches run on up to
    `SIZING_THREADS` threads instead: numpy and scipy let go of the interpreter's lock
    while they compute over whole arrays, though less than half the time, so a child
    does better (docs/testing.md)."""

    def sized(members: list[int]) -> list[tuple[int, T]]:
        return [(i, finish(i, result)) for i, result in _realtime_batch(queues, members, kept)]

    cells = [sum(queues[i][1].contacts.size for i in members) for members in batches]
    if len(batches) < 2 or sum(cells) <= BATCH_CELLS:
        for members in batches:
            yield from sized(members)
        return
    half = _halfway(cells)
    ours, theirs = batches[:half], batches[half:]
    child = forked.start(
        lambda: pickle.dumps([sized(m) for m in theirs], protocol=pickle.HIGHEST_PROTOCOL)
    )
    if child is None:
        yield from _on_threads(sized, batches)
        return
    try:
        for members in ours:
            yield from sized(members)
    except BaseException:
        child.abandon()
        raise
    data = child.result()
    done: list[list[tuple[int, T]]] = [] if data is None else pickle.loads(data)
    for members, results in itertools.zip_longest(theirs, done):
        yield from sized(members) if results is None else results


def _halfway(cells: list[int]) -> int:
    """Where batches of these many intervals split into halves of about equal work (at
    least one batch on each side)."""
    total, running = sum(cells), 0
    for position, count in enumerate(cells):
        if running + count / 2 >= total / 2:
            return min(max(position, 1), len(cells) - 1)
        running += count
    return len(cells) - 1


def _on_threads(
    sized: Callable[[list[int]], list[tuple[int, T]]], batches: list[list[int]]
) -> Iterator[tuple[int, T]]:
    """``sized`` of every batch on up to `SIZING_THREADS` threads, in their order; no more
    batches under way than there are threads (each holds its intervals' figures until
    ``finish`` has reduced them)."""
    threads = _sizing_threads()
    if threads < 2:
        for members in batches:
            yield from sized(members)
        return
    settings = np.geterr()  # numpy's error handling is per thread: the caller's holds

    def sized_here(members: list[int]) -> list[tuple[int, T]]:
        with np.errstate(**settings):
            return sized(members)

    pool = ThreadPoolExecutor(threads, thread_name_prefix="blueprintc-sizing")
    try:
        ahead: deque[Future[list[tuple[int, T]]]] = deque()
        for members in batches:
            if len(ahead) >= threads:
                yield from ahead.popleft().result()
            ahead.append(pool.submit(sized_here, members))
        while ahead:
            yield from ahead.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        memory.give_back()  # the threads' arenas hold what their batches freed


SIZING_THREADS: Final = 4
"""The most threads that size realtime batches at once (fewer on fewer cores)."""


def _sizing_threads() -> int:
    """Threads for `_on_threads`: the cores this process may use, at most
    `SIZING_THREADS`; one (the caller's) when the caller is not the main thread: a
    language server sizes in the background, sharing the interpreter with the compilation
    of the next edit, and stops a sizing at its next Python call, which a thread of its
    own would not see."""
    if threading.current_thread() is not threading.main_thread():
        return 1
    return min(forked.usable_cores(), SIZING_THREADS)


def _realtime_batch(
    queues: Sequence[tuple[QueueSpec, QueueLoad]], members: list[int], kept: KeptCells | None
) -> Iterator[tuple[int, IntervalResult]]:
    """Realtime queues of one kind sized in one call (those whose cells ``kept`` holds
    read from it instead, and the others' kept in it)."""
    found = [_distinct(*queues[i]) for i in members]
    if kept is None:
        cells = _cells_sized([queues[i][0] for i in members], found)
    else:
        cells = _cells_through(kept, [queues[i][0] for i in members], found)
    for index, distinct, sized in zip(members, found, cells, strict=True):
        yield index, _placed(distinct, sized)


def _cells_sized(specs: list[QueueSpec], found: list[_Distinct]) -> list[IntervalResult]:
    """The distinct cells of each queue (``found[i]`` of ``specs[i]``), sized in one call
    with each queue's policy per cell."""
    if not found:
        return []
    counts = [f.first.size for f in found]
    sized = _realtime_cells(
        _Policy.cells(specs, counts),
        np.concatenate([f.sessions.ravel()[f.first] for f in found]),
        np.concatenate([f.aht.ravel()[f.first] for f in found]),
        np.concatenate([f.is_open.ravel()[f.first] for f in found]),
    )
    stops = itertools.accumulate(counts)
    return [_part(sized, stop - count, stop) for count, stop in zip(counts, stops, strict=True)]


def _cells_through(
    kept: KeptCells, specs: list[QueueSpec], found: list[_Distinct]
) -> list[IntervalResult]:
    """`_cells_sized`, with each queue's cells read from ``kept`` when it holds them; the
    cells sized here are kept."""
    keys = [cells_key(spec, f) for spec, f in zip(specs, found, strict=True)]
    cells = [kept.find(key) for key in keys]
    missing = [
        k
        for k, known in enumerate(cells)
        if known is None or np.asarray(known.agents).shape != found[k].first.shape
    ]
    sized = _cells_sized([specs[k] for k in missing], [found[k] for k in missing])
    for k, result in zip(missing, sized, strict=True):
        kept.keep(keys[k], result)
        cells[k] = result
    return cast(list[IntervalResult], cells)


def _part(sized: IntervalResult, start: int, stop: int) -> IntervalResult:
    """The cells ``start:stop`` of cells sized together (views, no copies)."""
    parts: dict[str, Any] = {
        name: np.asarray(getattr(sized, name))[start:stop] for name in _FIELDS if name != "contacts"
    }
    return IntervalResult(**parts, contacts=sized.contacts)


class KeptCells(Protocol):
    """Where the sized cells of realtime queues are kept between compilations: a queue's
    distinct cells (`_Distinct`) sized under its policy, found again by `cells_key`.
    An interval's staffing depends on that interval alone, so a queue's cells are the
    same bits whichever queues they were sized with (tests/solve/test_staffing_distinct.py)."""

    def find(self, key: bytes) -> IntervalResult | None:
        """The cells kept under ``key`` (``contacts`` empty), or None."""

    def keep(self, key: bytes, cells: IntervalResult) -> None:
        """Keep ``cells`` under ``key`` (best effort: it may be lost)."""


def cells_key(spec: QueueSpec, distinct: _Distinct) -> bytes:
    """What a realtime queue's sized cells depend on, as a digest: the policy the search
    reads (`_Policy`) and each distinct cell's traffic, handle time and opening, bit for
    bit. The code that sizes them is not in it: a keeper adds that."""
    policy = _Policy.of(spec)
    numbers = [getattr(policy, name) for name in _POLICY_NUMBERS]
    plain = [
        None if v is None else int(v) if isinstance(v, int | np.integer) else float(v)
        for v in numbers
    ]
    digest = hashlib.sha256(repr((policy.definition, policy.chat, *plain)).encode())
    for column in (distinct.sessions, distinct.aht, distinct.is_open):
        digest.update(b"|")
        digest.update(np.ascontiguousarray(column.ravel()[distinct.first]).tobytes())
    return digest.digest()


_POLICY_NUMBERS: Final = tuple(f.name for f in attrs.fields(_Policy))[2:]
"""The numbers of a `_Policy` (after its definition and whether it is chat)."""


def _realtime_cells(
    policy: _Policy, sessions: FloatArray, aht: FloatArray, is_open: BoolArray
) -> IntervalResult:
    """Realtime intervals sized one by one (arrays of any shape; ``contacts`` is left
    empty): the agents each needs, and what those agents achieve."""
    needed = _realtime_needed(policy, sessions, aht)
    infeasible = needed == q.INFEASIBLE
    agents = _with_minimum(
        np.where(infeasible, 0, needed), is_open & ~infeasible, policy.minimum_agents
    )
    # A chat agent holds floor(c * N) sessions at a time: the queue's servers are slots.
    slots = np.floor(agents * policy.concurrency + q.FTE_TOLERANCE)
    patience = math.inf if policy.patience is None else policy.patience
    definition = cast(q.Definition, policy.definition)
    got = q.erlang_a(sessions, slots, aht, patience, policy.target_time, definition=definition)
    return IntervalResult(
        agents=agents,
        traffic=sessions / policy.concurrency,
        service_level=_floats(getattr(got, f"service_level_{policy.definition}")),
        asa=_floats(got.asa),
        abandon=_floats(got.abandon),
        occupancy=_floats(got.occupancy),
        infeasible=infeasible,
        contacts=np.zeros(0),
    )


def _realtime_needed(policy: _Policy, sessions: npt.ArrayLike, aht: npt.ArrayLike) -> IntArray:
    """Smallest agents per cell (INFEASIBLE where none), one vectorised search."""
    target = policy.target_time
    definition = cast(q.Definition, policy.definition)
    if policy.chat and policy.max_occupancy is None:
        return np.asarray(
            q.chat_agents(
                sessions,
                aht,
                target,
                policy.target_level,
                policy.concurrency,
                patience=policy.patience,
                max_abandon=policy.max_abandon,
                max_asa=policy.max_asa,
                definition=definition,
            ),
            dtype=np.int64,
        )
    needed = np.asarray(
        q.required_agents(
            sessions,
            aht,
            target,
            policy.target_level,
            patience=policy.patience,
            max_abandon=policy.max_abandon,
            max_asa=policy.max_asa,
            max_occupancy=policy.max_occupancy,
            definition=definition,
        ),
        dtype=np.int64,
    )
    if not policy.chat:
        return needed
    # Chat with an occupancy cap: the slots were searched for every target and the cap at
    # once. Each is met from some number of slots on, so that is the larger of the two
    # searches chat_agents and the cap alone would make, and an agent is
    # ceil(slots / concurrency) either way (tests/solve/test_staffing_chat.py).
    agents = _ceil_whole(needed / policy.concurrency)
    return np.where(needed == q.INFEASIBLE, q.INFEASIBLE, agents).astype(np.int64)


def _working_share(spec: QueueSpec) -> float:
    """The share of a logged-in interval a deferred or outbound agent works: the occupancy
    cap, or all of it without one."""
    return 1.0 if spec.max_occupancy is None else min(spec.max_occupancy, 1.0)


def _outbound(spec: QueueSpec, load: QueueLoad) -> IntervalResult:
    is_open = _open_cells(load)
    attempts = np.where(is_open, load.contacts, 0.0)
    # The caller has blended the contact rate into handle_time: every attempt takes it.
    hours = _floats(q.outbound_hours(attempts, 1.0, load.handle_time, 0.0))
    traffic = hours * 3600.0 / spec.interval
    share = _working_share(spec)
    infeasible = (traffic > 0) & (share <= 0.0)
    needed = _ceil_whole(traffic / share) if share > 0.0 else np.zeros_like(traffic, np.int64)
    agents = _with_minimum(needed, is_open & ~infeasible, spec.minimum_agents)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(agents > 0, traffic / agents, 0.0)
    zeros = np.zeros_like(traffic)
    return IntervalResult(
        agents=agents,
        traffic=traffic,
        service_level=np.where(infeasible, 0.0, 1.0),
        asa=np.where(infeasible, math.inf, 0.0),
        abandon=zeros,
        occupancy=occupancy,
        infeasible=infeasible,
        contacts=attempts,
    )


# --------------------------------------------------------------------------- deferred


@attrs.frozen(eq=False)
class _Windows:
    """Per arrival interval of the week: where its work may be done and when it is due.

    Indices count intervals from the start of the arrival's week and may run past it.
    The work may be done from `first`, the first open interval at or after the arrival:
    `due` is the interval by whose start it must be finished (> first), `width` the open
    intervals in [first, due) and `start` the position of `first` among the week's open
    intervals.
    """

    due: IntArray
    width: IntArray
    start: IntArray


def _windows(is_open: BoolArray, lead: int) -> _Windows:
    """Deadline windows for a cyclic week with `lead` whole intervals of response time."""
    size = is_open.size
    opened = np.flatnonzero(is_open)
    before = np.concatenate([[0], np.cumsum(is_open)]).astype(np.int64)

    def open_before(t: IntArray) -> IntArray:  # open intervals in [0, t) of the cyclic time
        return (t // size) * opened.size + before[t % size]

    # Two weeks, so that a closure running over the week boundary is seen from its start.
    arrival = np.arange(-size, size, dtype=np.int64)
    within = arrival % size
    pos = np.searchsorted(opened, within)
    wrapped = pos == opened.size
    nxt = np.where(wrapped, opened[0] + size, opened[np.minimum(pos, opened.size - 1)])
    first = arrival - within + nxt
    # Calendar due time, unless it expires before the queue opens: then count from opening.
    raw = np.where(arrival + lead >= first, arrival + lead, first + lead)
    due = np.maximum.accumulate(raw)[size:]  # FIFO: never due before earlier waiting work
    first = first[size:]
    due = np.maximum(due, first + 1)  # at least the first open interval
    width = open_before(due) - open_before(first)
    start = open_before(first) % opened.size
    return _Windows(due=due, width=width, start=start)


def _level_plan(
    work: FloatArray, win: _Windows, n_open: int, share: float, length: float
) -> FloatArray:
    """Fractional agents per open interval (months, n_open) by queueing.deferred_agents."""
    plan = np.zeros((work.shape[0], n_open))
    # deferred_agents takes one response time: one call per distinct window width (a few).
    for width in np.unique(win.width):
        chosen = win.width == width
        placed = np.zeros((n_open, work.shape[0]))  # work moved to its window's start
        np.add.at(placed, win.start[chosen], work[:, chosen].T)
        plan += q.deferred_agents(placed.T, 1.0, length, float(width) * length, share, cyclic=True)
    return plan


def _deferred(spec: QueueSpec, load: QueueLoad) -> IntervalResult:
    shape = load.contacts.shape
    months = shape[0]
    work = (load.contacts * load.handle_time).reshape(months, -1)  # agent-seconds arriving
    is_open = load.open.ravel()
    working = _working_share(spec)
    if not is_open.any() or working <= 0.0:
        return _never_open(load, spec.interval)
    assert spec.target_time is not None  # checked by QueueSpec
    lead = math.floor(_exact(spec.target_time) / _exact(spec.interval))
    win = _windows(is_open, lead)
    share = 1.0 if spec.target_level is None else spec.target_level
    plan = _level_plan(work, win, int(is_open.sum()), share, spec.interval)
    agents = np.zeros(work.shape, dtype=np.int64)
    agents[:, is_open] = _ceil_whole(plan / working)
    agents = _with_minimum(agents, np.broadcast_to(is_open, agents.shape), spec.minimum_agents)
    capacity = _floats(agents * (spec.interval * working))  # agent-seconds worked
    done, level, response = _fifo(work, capacity, win, spec.interval)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = np.where(agents > 0, done / (agents * spec.interval), 0.0)
    return IntervalResult(
        agents=agents.reshape(shape),
        traffic=(work / spec.interval).reshape(shape),
        service_level=level.reshape(shape),
        asa=response.reshape(shape),
        abandon=np.zeros(shape),
        occupancy=occupancy.reshape(shape),
        infeasible=np.zeros(shape, dtype=np.bool_),
        contacts=load.contacts.copy(),
    )


def _never_open(load: QueueLoad, length: float) -> IntervalResult:
    """A deferred queue that never opens, or whose agents may never be busy (an occupancy
    cap of 0): all of its work is infeasible."""
    work = load.contacts * load.handle_time
    has_work = work > 0
    return IntervalResult(
        agents=np.zeros(work.shape, dtype=np.int64),
        traffic=work / length,
        service_level=np.where(has_work, 0.0, 1.0),
        asa=np.where(has_work, math.inf, 0.0),
        abandon=np.zeros(work.shape),
        occupancy=np.zeros(work.shape),
        infeasible=has_work,
        contacts=load.contacts.copy(),
    )


def _fifo(
    work: FloatArray, capacity: FloatArray, win: _Windows, length: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Fluid FIFO backlog over repeated weeks: (work done, on-time share, mean response s).

    Week 0 is warm-up (enough: capacity covers the week's work, so the backlog's periodic
    state depends on one week of history at most), week 1 is measured and later weeks let
    its work finish.
    """
    size = work.shape[1]
    weeks = 3 + max(0, -(-(int(win.due.max()) - size) // size))
    arrived = np.cumsum(np.tile(work, weeks), axis=1)
    offered = np.cumsum(np.tile(capacity, weeks), axis=1)
    # Departures D(t) = C(t) + min(0, min over s <= t of A(s) - C(s)) (Lindley, cumulative).
    departed = offered + np.minimum(0.0, np.minimum.accumulate(arrived - offered, axis=1))
    week = np.arange(size, 2 * size)
    done = departed[:, week] - departed[:, week - 1]
    before = arrived[:, week - 1]
    # Cumulative sums carry rounding noise: work finished up to it counts as finished.
    slack = q.FTE_TOLERANCE * max(1.0, float(arrived[:, -1].max()))
    finished = departed[:, size + win.due - 1] - before
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.where(finished + slack >= work, 1.0, np.clip(finished / work, 0.0, 1.0))
    level = np.where(work > 0, share, 1.0)
    response = _mean_response(arrived, departed, work, length)
    return done, level, response


def _mean_response(
    arrived: FloatArray, departed: FloatArray, work: FloatArray, length: float
) -> FloatArray:
    """Mean seconds from arrival to completion of the measured week's work per interval.

    Completion time is the inverse of the departure curve (linear within an interval);
    its integral over an interval's slice (a, b] of the cumulative work, divided by b - a,
    is the fluid mean completion.  Arrivals are spread evenly: their mean is mid-interval.
    """
    size = work.shape[1]
    week = np.arange(size, 2 * size)
    times = np.arange(departed.shape[1] + 1, dtype=np.float64) * length  # interval ends
    out = np.zeros(work.shape)
    for m in range(work.shape[0]):  # one searchsorted per month, not a loop over intervals
        curve = np.concatenate([[0.0], departed[m]])
        area = np.concatenate([[0.0], np.cumsum(np.diff(curve) * (times[1:] + times[:-1]) / 2)])
        lo, hi = arrived[m, week - 1], arrived[m, week]
        total = _area_to(hi, curve, times, area) - _area_to(lo, curve, times, area)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            mean_done = np.where(hi > lo, total / (hi - lo), 0.0)
        wait = np.maximum(mean_done - (week + 0.5) * length, 0.0)
        out[m] = np.where(work[m] > 0, wait, 0.0)
    return out


def _area_to(x: FloatArray, curve: FloatArray, times: FloatArray, area: FloatArray) -> FloatArray:
    """Integral of completion time over cumulative work [0, x] (curve non-decreasing)."""
    j = np.clip(np.searchsorted(curve, x, side="left"), 1, curve.size - 1)
    step = curve[j] - curve[j - 1]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        frac = np.where(step > 0, (x - curve[j - 1]) / step, 0.0)
    at_x = times[j - 1] + frac * (times[j] - times[j - 1])
    return np.asarray(area[j - 1] + (x - curve[j - 1]) * (times[j - 1] + at_x) / 2)


# ------------------------------------------------------------------------------ monthly


def _exact(value: float) -> Fraction:
    """The decimal number a float was written as, exactly (as queueing.fte reads it)."""
    return Fraction(repr(float(value)))


def monthly_staff(
    spec: QueueSpec, result: IntervalResult, paid_hours_per_week: float
) -> MonthlyStaff:
    """Agent hours, FTE, headcount, peak agents and achieved performance per month."""
    if not (math.isfinite(paid_hours_per_week) and paid_hours_per_week > 0):
        raise ValueError(f"paid_hours_per_week must be > 0, got {paid_hours_per_week}")
    months = result.agents.shape[0]
    agents = result.agents.reshape(months, -1)
    slots = agents.sum(axis=1)  # agent-intervals in the representative week
    # Exact: whole agent-intervals x interval / (paid x (1 - shrinkage)) as written.
    hours_per_fte = _exact(paid_hours_per_week) * (1 - _exact(spec.shrinkage)) * 3600
    per_slot = _exact(spec.interval) / hours_per_fte  # exact: the product is the same
    exact = [int(n) * per_slot for n in slots.tolist()]
    contacts = result.contacts.reshape(months, -1)
    answered = contacts * (1.0 - result.abandon.reshape(months, -1))
    by_level = answered if spec.definition == "answered" else contacts
    return MonthlyStaff(
        agent_hours=slots * (spec.interval / 3600.0),
        fte=np.array([float(f) for f in exact], dtype=np.float64),
        headcount=np.array([math.ceil(f) for f in exact], dtype=np.int64),
        peak_agents=agents.max(axis=1, initial=0).astype(np.int64),
        service_level=_weighted(result.service_level, by_level, 1.0),
        asa=_weighted(result.asa, answered, 0.0),
        abandon=_weighted(result.abandon, contacts, 0.0),
        occupancy=_weighted(result.occupancy, agents.astype(np.float64), 0.0),
        fte_exact=tuple(exact),
    )


def _weighted(values: FloatArray, weights: FloatArray, empty: float) -> FloatArray:
    """Weighted mean per month of (months, ...) values; `empty` where the weights are 0."""
    months = weights.shape[0]
    v, w = values.reshape(months, -1), weights.reshape(months, -1)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore"):  # inf x 0 in cells that carry no weight
        weighted = np.where(w > 0, v * w, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(total > 0, weighted / total, empty)


# -------------------------------------------------------------------------- what binds


class Binding(enum.Enum):
    """What sets a queue's head count at an interval (see the module docstring)."""

    SERVICE_LEVEL = "service level"
    ASA = "average speed of answer"
    ABANDONMENT = "abandonment"
    OCCUPANCY_CAP = "occupancy cap"
    MINIMUM_STAFF = "minimum staff"
    WORKLOAD = "workload"


@attrs.frozen
class Bound:
    """Why one interval has the agents it has: the limit that sets them (`binding`)."""

    binding: Binding
    month: int
    day: int  # 0 = Monday
    interval: int  # of the day
    agents: int


def binding(spec: QueueSpec, load: QueueLoad, day: int, interval: int) -> Bound:
    """What sets the agents of one interval of a month's representative week (``load``
    of shape (1, 7, n)): each limit is sized alone, as `interval_agents` sizes them together.
    A realtime or outbound interval depends on its own load only, so only it is sized (a
    realtime one by the scalar search: `_realtime_agents1`)."""
    if spec.mode == "realtime":
        _check_intervals(spec, load)
        cell = (
            float(load.contacts[0, day, interval]),
            float(np.broadcast_to(load.handle_time, load.contacts.shape)[0, day, interval]),
            bool(load.open[day, interval]),
        )

        def need(policy: QueueSpec) -> int:
            return _realtime_agents1(policy, *cell)

    else:
        if spec.mode == "outbound":  # the other cells left empty: one cell to size
            alone = np.zeros_like(load.contacts)
            alone[0, day, interval] = load.contacts[0, day, interval]
            load = QueueLoad(alone, load.handle_time, load.open)

        def need(policy: QueueSpec) -> int:
            return int(interval_agents(policy, load).agents[0, day, interval])

    agents = need(spec)
    free = attrs.evolve(spec, minimum_agents=0)
    if need(free) < agents:
        return Bound(Binding.MINIMUM_STAFF, 0, day, interval, agents)
    limits = (found for found, alone in _limits_alone(free) if need(alone) >= agents)
    return Bound(next(limits, Binding.WORKLOAD), 0, day, interval, agents)


def _realtime_agents1(spec: QueueSpec, contacts: float, handle: float, is_open: bool) -> int:
    """The agents `interval_agents` gives one realtime interval with this load, by the
    scalar path of the search (the same numbers as the arrays: `_distinct`,
    `_realtime_cells`; tests/solve/test_binding.py compares them)."""
    sessions = (contacts if is_open else 0.0) * handle / spec.interval
    if sessions < NEGLIGIBLE_TRAFFIC:
        sessions = 0.0
    needed = int(_realtime_needed(_Policy.of(spec), sessions, handle if sessions > 0 else 1.0))
    if needed == q.INFEASIBLE:
        return 0
    return max(needed, spec.minimum_agents) if is_open else needed


def _limits_alone(spec: QueueSpec) -> Iterator[tuple[Binding, QueueSpec]]:
    """Each limit the queue sets, with the queue's policy holding that limit only."""
    if spec.mode != "realtime":
        first = Binding.SERVICE_LEVEL if spec.mode == "deferred" else Binding.WORKLOAD
        yield first, attrs.evolve(spec, max_occupancy=None)
        yield Binding.OCCUPANCY_CAP, spec
        return
    none = attrs.evolve(spec, target_level=None, max_asa=None, max_abandon=None, max_occupancy=None)
    limits = (
        (Binding.SERVICE_LEVEL, "target_level"),
        (Binding.ASA, "max_asa"),
        (Binding.ABANDONMENT, "max_abandon"),
        (Binding.OCCUPANCY_CAP, "max_occupancy"),
    )
    for found, name in limits:
        value = getattr(spec, name)
        if value is not None:
            yield found, attrs.evolve(none, **{name: value})


# ------------------------------------------------------------------------ support staff


def support_staff(headcount: npt.ArrayLike, spans: Mapping[str, float]) -> dict[str, IntArray]:
    """Support roles per month: ceil(agent headcount / span) for each role's span of control.

    `headcount` is MonthlyStaff.headcount (fractional FTE is rounded up first, which for
    whole-number spans gives the same result).  Exact integer arithmetic: a span is read
    as the decimal it was written as (12.5 = 25/2).
    """
    people = _ceil_whole(np.asarray(headcount, dtype=np.float64))
    if np.any(people < 0):
        raise ValueError("headcount must be >= 0")
    out: dict[str, IntArray] = {}
    for role, span in spans.items():
        if not (math.isfinite(span) and span > 0):
            raise ValueError(f"span of control for {role!r} must be > 0, got {span}")
        ratio = _exact(span)
        # ceil(h / (p/q)) = -(-h q // p) in Python integers (h q can pass 2**63).
        need = [-(-int(h) * ratio.denominator // ratio.numerator) for h in people.ravel()]
        out[role] = np.array(need, dtype=np.int64).reshape(people.shape)
    return out


# ------------------------------------------------------------------------------- seats


@overload
def seats(
    peak_concurrent_agents: float, site_shares: Mapping[str, float], extra_on_site: float = 0
) -> dict[str, int]: ...
@overload
def seats(
    peak_concurrent_agents: npt.NDArray[Any],
    site_shares: Mapping[str, float],
    extra_on_site: npt.ArrayLike = 0,
) -> dict[str, IntArray]: ...
@overload
def seats(
    peak_concurrent_agents: npt.ArrayLike,
    site_shares: Mapping[str, float],
    extra_on_site: npt.ArrayLike = 0,
) -> dict[str, int] | dict[str, IntArray]: ...
def seats(
    peak_concurrent_agents: npt.ArrayLike,
    site_shares: Mapping[str, float],
    extra_on_site: npt.ArrayLike = 0,
) -> dict[str, int] | dict[str, IntArray]:
    """Seats per site for the busiest interval's agents plus on-site support staff.

    The need, rounded up, is split by the site shares (which must sum to 1) with largest-
    remainder rounding: every site gets its quota rounded down or up and the sites add up
    to exactly ceil(need).  Ties go to the site listed first.  Arrays (e.g. per month)
    give arrays.
    """
    names = list(site_shares)
    shares = np.array([site_shares[n] for n in names], dtype=np.float64)
    if not names or np.any(~np.isfinite(shares) | (shares < 0)):
        raise ValueError("site shares must be one or more fractions >= 0")
    if abs(shares.sum() - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"site shares must sum to 1, got {shares.sum():g}")
    need_in = np.asarray(peak_concurrent_agents, dtype=np.float64) + np.asarray(
        extra_on_site, dtype=np.float64
    )
    if np.any(~np.isfinite(need_in) | (need_in < 0)):
        raise ValueError("peak agents and on-site staff must be finite and >= 0")
    need = _ceil_whole(need_in)
    split = _largest_remainder(need.ravel(), shares / shares.sum())
    if need.ndim == 0:
        return {n: int(split[0, i]) for i, n in enumerate(names)}
    return {n: split[:, i].reshape(need.shape) for i, n in enumerate(names)}


def _largest_remainder(totals: IntArray, shares: FloatArray) -> IntArray:
    """Split each total by the shares into whole parts that add up to the total."""
    quota = totals[:, None] * shares[None, :]
    base = np.floor(quota + q.FTE_TOLERANCE).astype(np.int64)  # 6.9999999 is 7
    left = totals - base.sum(axis=1)  # between 0 and the number of sites - 1
    # Rank sites by remainder, largest first; a stable sort keeps ties in listed order.
    order = np.argsort(-(quota - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(shares.size)[None, :], axis=1)
    return np.asarray(base + (rank < left[:, None]), dtype=np.int64)
