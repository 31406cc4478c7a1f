"""Project phasing: which phase delivers each work item, when, at what cost.

Input is plain data (this package never sees the blueprint model): work items (`Item`:
component implementations, channel launches, migrations, maturity practices), declared
phases (`Phase`) and channel pilots (`Pilot`).  `plan` returns a `Plan`; everything that
cannot be honoured is returned as data (`Infeasibility`) for the compiler to report, and
the plan is still computed as far as it can be, so one run shows every problem.

All months are exact `Fraction`s counted from the start of the horizon (month 0).

Algorithm:

1. **Phase sequence.**  Phases are ordered topologically by `after` (a phase comes after
   every phase it names).  Among phases free to go next, the lower start month goes first,
   then the earlier declaration.  A phase without a declared start sorts with the start
   month of the nearest dated phase declared before it (month 0 if none): a reader takes
   an undated phase to follow the one written above it.  A cycle of `after` gives a
   ``"phase-cycle"`` infeasibility naming the phases of one shortest cycle (in `items`,
   each phase follows the next); the `after` links inside the cycle are then ignored so
   the rest of the plan can still be computed.  Names in `after` that are not phases are
   ignored (unresolved references are the compiler's business).
2. **Fixed items.**  An item with `fixed_phase` stays in that phase and takes its budget
   first.  When fixed items alone cost more than a phase's budget: ``"over-budget"``.
3. **Placement.**  The other items are placed one by one in dependency order (topological
   over `depends_on`; among items free to go next the lower `rank`, then the name, goes
   first).  `rank` is only this tie-break: it gives cheaper channels (web self-service,
   IVR) the first claim on early budgets, but never overrides a dependency.  Each item
   goes into the EARLIEST phase in the sequence that (a) is no earlier than the phase of
   any of its dependencies and (b) has budget left for its cost (a phase without a budget
   is unlimited; a zero-cost item always fits).  The reason is recorded: ``"fixed"``,
   ``"earliest phase"``, ``"held back by dependency X (in phase P)"`` (the dependency in
   the latest phase, ties by name) or ``"held back by budget of phase P (needs c, left
   l)"`` (the first phase that refused it).  This is a greedy first fit, not an
   optimisation over all placements.  An item that fits no allowed phase's budget is left
   unplaced (``"no-budget"``); an item that depends on an unplaced item is left unplaced
   too (``"blocked"``); without any phase every unfixed item is ``"no-phase"``.  A
   dependency that is not an item is ignored.  A dependency cycle gives ``"item-cycle"``
   naming one shortest cycle (each item depends on the next); the dependencies inside the
   cycle are then ignored everywhere (placement, dates, critical path).  After placement,
   a dependency placed in a later phase than its dependent (only possible when the
   dependent is fixed) gives ``"dependency-later"`` naming both items.
4. **Dates.**  A phase starts at its declared `start_month`; else when all the phases it
   follows (`after`) have ended; else, without `after`, when the previous phase in the
   sequence ends; the first phase of the sequence begins at month 0 when undated.  Inside
   a phase an item starts when its dependencies in the same phase have finished;
   dependencies in earlier phases are taken to be done before the phase starts (when
   they are not, because phase dates overlap: ``"dependency-unfinished"``).  The longest
   such chain is the phase's critical chain.  A declared duration is a minimum: the phase
   ends at start + max(declared duration, longest chain), and the excess of the chain
   over a declared duration is reported as the phase's `overrun` (0 when none; a phase
   without a declared duration lasts exactly its longest chain).  A declared start
   earlier than the end of a phase it follows gives ``"early-start"`` (the declared start
   is kept).
5. **Critical path.**  The longest path through the dependency DAG of all items (placed
   or not), weighted by duration (with pilot months), by `networkx.dag_longest_path`,
   and its length: how long the work would take with no phase boundaries and no budget
   limits.  Per phase: cost (sum of its items' costs), budget and budget left.
6. **Pilots** (trial, then roll-out).  `Pilot(item, share, months)` launches the item to
   `share` of the customers first.  The pilot starts when the item's own work is done
   (`pilot_start` = start + duration) and runs for `months`; the full roll-out is at
   `pilot_end`, which is also the item's `end`: dependents wait for it and it counts in
   the phase's chain and the critical path.  A pilot without `months` runs from launch
   to the end of its phase (the roll-out is at the phase end) and adds no time: the
   item's `end` is then its launch.

Everything is deterministic: items are listed by name, phases in sequence order, a phase's
items by start then name, infeasibilities by kind (in the order of `KINDS`) then names.
"""

from __future__ import annotations

import bisect
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

import attrs
import networkx as nx

KINDS: Final = (
    "phase-cycle",
    "item-cycle",
    "over-budget",
    "no-phase",
    "no-budget",
    "blocked",
    "dependency-later",
    "early-start",
    "dependency-unfinished",
)
"""Infeasibility kinds, in the order the plan reports them."""

CAUSES: Final = ("fixed", "earliest", "dependency", "budget")
"""Why an item is in its phase (`ItemSchedule.cause`)."""

ZERO: Final = Fraction(0)


# ------------------------------------------------------------------------------ inputs


def _fraction(value: Fraction | int) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise TypeError(f"expected a Fraction or an int, got {value!r}")
    return Fraction(value)


def _optional_fraction(value: Fraction | int | None) -> Fraction | None:
    return None if value is None else _fraction(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError(f"expected a sequence of names, got the string {value!r}")
    return tuple(value)


@attrs.frozen
class Item:
    """A work item: a component implementation, channel launch, migration or practice.

    `rank` orders otherwise equal items (lower first); it is a tie-break, not a rule.
    """

    name: str
    kind: str
    duration_months: Fraction = attrs.field(converter=_fraction)
    cost: Fraction = attrs.field(converter=_fraction)
    depends_on: tuple[str, ...] = attrs.field(converter=_names)
    fixed_phase: str | None
    rank: int = 0

    def __attrs_post_init__(self) -> None:
        if not self.name:
            raise ValueError("an item needs a name")
        if self.duration_months < 0:
            raise ValueError(f"item {self.name!r}: duration must be >= 0")
        if self.cost < 0:
            raise ValueError(f"item {self.name!r}: cost must be >= 0")


@attrs.frozen
class Phase:
    """A declared phase: `order` is the declaration order, `start_month` 0-based."""

    name: str
    order: int
    start_month: int | None
    duration_months: Fraction | None = attrs.field(converter=_optional_fraction)
    budget: Fraction | None = attrs.field(converter=_optional_fraction)
    after: tuple[str, ...] = attrs.field(converter=_names)

    def __attrs_post_init__(self) -> None:
        if not self.name:
            raise ValueError("a phase needs a name")
        start = self.start_month
        if start is not None and (isinstance(start, bool) or not isinstance(start, int)):
            raise TypeError(f"phase {self.name!r}: start month must be an int")
        if start is not None and start < 0:
            raise ValueError(f"phase {self.name!r}: start month must be >= 0")
        if self.duration_months is not None and self.duration_months < 0:
            raise ValueError(f"phase {self.name!r}: duration must be >= 0")
        if self.budget is not None and self.budget < 0:
            raise ValueError(f"phase {self.name!r}: budget must be >= 0")


@attrs.frozen
class Pilot:
    """Trial then roll-out: `item` first goes to `share` of customers for `months`."""

    item: str
    share: Fraction = attrs.field(converter=_fraction)
    months: Fraction | None = attrs.field(converter=_optional_fraction)

    def __attrs_post_init__(self) -> None:
        if not 0 < self.share <= 1:
            raise ValueError(f"pilot of {self.item!r}: share must be in (0, 1]")
        if self.months is not None and self.months < 0:
            raise ValueError(f"pilot of {self.item!r}: months must be >= 0")


# ----------------------------------------------------------------------------- results


@attrs.frozen
class Infeasibility:
    """Something the plan cannot honour.

    `items` names the items involved, or the phases for the phase kinds (``"phase-cycle"``,
    ``"early-start"``); `phases` names the phases involved.
    """

    kind: str
    items: tuple[str, ...]
    phases: tuple[str, ...] = ()
    message: str = ""


@attrs.frozen
class ItemSchedule:
    """Where and when one item is done, and why it is in that phase.

    `cause` is one of `CAUSES`; `held_by` the dependency or phase that held it back.
    """

    name: str
    kind: str
    phase: str
    start: Fraction
    end: Fraction
    cost: Fraction
    reason: str
    cause: str
    held_by: str | None = None
    pilot_share: Fraction | None = None
    pilot_start: Fraction | None = None
    pilot_end: Fraction | None = None


@attrs.frozen
class PhaseSchedule:
    """One phase's dates, money and items.

    `duration` is the declared duration (None when not declared); `overrun` how far the
    items' longest chain goes past it.  `left` is the budget left (None: unlimited;
    negative only when fixed items overspend).  `items` are ordered by start, then name.
    """

    name: str
    start: Fraction
    end: Fraction
    duration: Fraction | None
    overrun: Fraction
    cost: Fraction
    budget: Fraction | None
    left: Fraction | None
    items: tuple[str, ...]
    critical_chain: tuple[str, ...]
    chain_length: Fraction


@attrs.frozen
class Plan:
    """The phasing: phases in sequence order, placed items by name, infeasibilities."""

    phases: tuple[PhaseSchedule, ...]
    items: tuple[ItemSchedule, ...]
    unplaced: tuple[str, ...]
    critical_path: tuple[str, ...]
    critical_length: Fraction
    end: Fraction
    infeasibilities: tuple[Infeasibility, ...]

    @property
    def feasible(self) -> bool:
        return not self.infeasibilities

    def item(self, name: str) -> ItemSchedule:
        """The placed item `name` (KeyError when it is unplaced or unknown)."""
        k = bisect.bisect_left(self.items, name, key=lambda schedule: schedule.name)
        if k < len(self.items) and self.items[k].name == name:
            return self.items[k]
        raise KeyError(name)

    def phase(self, name: str) -> PhaseSchedule:
        for schedule in self.phases:
            if schedule.name == name:
                return schedule
        raise KeyError(name)


# ---------------------------------------------------------------------------- helpers


def show(value: Fraction) -> str:
    """A month count or an amount for a message: exact decimals, else a fraction."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator != 1:
        return str(value)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return f"{float(value):.{places}f}" if places <= 15 else str(value)


def _shortest_cycle(
    start: str, members: set[str], follows: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    """The shortest cycle through `start` inside one strongly connected component."""
    parent: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for following in follows[node]:
            if following == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return tuple(reversed(path))
            if following in members and following not in parent:
                parent[following] = node
                queue.append(following)
    raise AssertionError(f"{start!r} is on no cycle")  # pragma: no cover


def _break_cycles(
    follows: Mapping[str, tuple[str, ...]],
) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, ...]]]:
    """Links outside cycles, and one shortest cycle per cyclic strong component.

    `follows` maps each node to the sorted nodes it follows (depends on); every name in it
    is a node.  A cycle lists nodes each following the next, from its smallest name.
    """
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(follows)
    graph.add_edges_from((node, other) for node, others in follows.items() for other in others)
    component: dict[str, str] = {}
    cycles = []
    for members in nx.strongly_connected_components(graph):
        start = min(members)
        if len(members) == 1 and not graph.has_edge(start, start):
            continue
        cycles.append(_shortest_cycle(start, members, follows))
        component.update(dict.fromkeys(members, start))
    kept = {
        node: tuple(
            other
            for other in others
            if node not in component or component.get(other) != component[node]
        )
        for node, others in follows.items()
    }
    return kept, sorted(cycles)


def _topological(follows: Mapping[str, tuple[str, ...]], key: Callable[[str], Any]) -> list[str]:
    """Nodes after everything they follow; among nodes free to go, the smallest key first."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(follows)
    graph.add_edges_from((other, node) for node, others in follows.items() for other in others)
    return list(nx.lexicographical_topological_sort(graph, key=key))


def _check_names(items: Sequence[Item], phases: Sequence[Phase], pilots: Sequence[Pilot]) -> None:
    for what, names in (("item", [i.name for i in items]), ("phase", [p.name for p in phases])):
        duplicates = sorted(name for name, seen in Counter(names).items() if seen > 1)
        if duplicates:
            raise ValueError(f"{what} names must be unique: {', '.join(duplicates)}")
    phase_names = {p.name for p in phases}
    for item in items:
        if item.fixed_phase is not None and item.fixed_phase not in phase_names:
            raise ValueError(f"item {item.name!r}: unknown phase {item.fixed_phase!r}")
    item_names = {i.name for i in items}
    seen: set[str] = set()
    for pilot in pilots:
        if pilot.item not in item_names:
            raise ValueError(f"pilot of unknown item {pilot.item!r}")
        if pilot.item in seen:
            raise ValueError(f"item {pilot.item!r} has two pilots")
        seen.add(pilot.item)


def _phase_sequence(
    phases: Sequence[Phase], report: list[Infeasibility]
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Phases in sequence order, and the phases each one follows (cycles broken)."""
    names = {p.name for p in phases}
    follows = {p.name: tuple(sorted({a for a in p.after if a in names})) for p in phases}
    kept, cycles = _break_cycles(follows)
    for cycle in cycles:
        shown = " → ".join((*cycle, cycle[0]))
        message = f"phases follow each other in a circle: {shown}"
        report.append(Infeasibility("phase-cycle", cycle, tuple(sorted(cycle)), message))
    sort_month: dict[str, int] = {}
    month = 0
    for phase in phases:  # in declaration order
        month = phase.start_month if phase.start_month is not None else month
        sort_month[phase.name] = month
    order = {p.name: k for k, p in enumerate(phases)}
    return _topological(kept, key=lambda n: (sort_month[n], order[n], n)), kept


# ------------------------------------------------------------------------------- plan


def plan(items: Iterable[Item], phases: Iterable[Phase], pilots: Iterable[Pilot] = ()) -> Plan:
    """Place every item in a phase, date phases and items, find the critical path."""
    item_list = sorted(items, key=lambda i: i.name)
    phase_list = sorted(phases, key=lambda p: (p.order, p.name))
    pilot_list = list(pilots)
    _check_names(item_list, phase_list, pilot_list)
    by_name = {i.name: i for i in item_list}
    phase_by = {p.name: p for p in phase_list}
    pilot_of = {p.item: p for p in pilot_list}
    report: list[Infeasibility] = []

    # 1. Phase sequence.
    sequence, phase_follows = _phase_sequence(phase_list, report)
    position = {name: k for k, name in enumerate(sequence)}

    # Item dependency order (dependencies that are not items are ignored).
    declared = {i.name: tuple(sorted({d for d in i.depends_on if d in by_name})) for i in item_list}
    deps, cycles = _break_cycles(declared)
    for cycle in cycles:
        shown = " → ".join((*cycle, cycle[0]))
        message = f"items depend on each other in a circle: {shown}"
        report.append(Infeasibility("item-cycle", cycle, (), message))
    order = _topological(deps, key=lambda n: (by_name[n].rank, n))
    extra = {
        name: (p.months if (p := pilot_of.get(name)) is not None and p.months is not None else ZERO)
        for name in by_name
    }
    effective = {name: item.duration_months + extra[name] for name, item in by_name.items()}

    # 2. Fixed items take their phase's budget first.
    left: dict[str, Fraction | None] = {p.name: p.budget for p in phase_list}
    placed: dict[str, int] = {}
    why: dict[str, tuple[str, str, str | None]] = {}
    for item in item_list:
        if item.fixed_phase is not None:
            placed[item.name] = position[item.fixed_phase]
            why[item.name] = ("fixed", "fixed", None)
            remaining = left[item.fixed_phase]
            if remaining is not None:
                left[item.fixed_phase] = remaining - item.cost
    for name in sequence:
        remaining = left[name]
        if remaining is not None and remaining < 0:
            fixed = tuple(i.name for i in item_list if i.fixed_phase == name)
            budget = phase_by[name].budget
            assert budget is not None
            message = (
                f"the items fixed in phase {name} cost {show(budget - remaining)}, "
                f"more than its budget of {show(budget)}"
            )
            report.append(Infeasibility("over-budget", fixed, (name,), message))

    # 3. Everything else: earliest phase after its dependencies with budget left.
    unplaced: list[str] = []
    for name in order:
        item = by_name[name]
        if item.fixed_phase is not None:
            continue
        missing = [d for d in deps[name] if d not in placed]
        if missing:
            message = f"{name} depends on {missing[0]}, which could not be placed"
            report.append(Infeasibility("blocked", (name, missing[0]), (), message))
            unplaced.append(name)
            continue
        if not sequence:
            message = f"{name} cannot be placed: there is no phase"
            report.append(Infeasibility("no-phase", (name,), (), message))
            unplaced.append(name)
            continue
        lower, holder = 0, None
        for dep in deps[name]:
            if placed[dep] > lower:
                lower, holder = placed[dep], dep
        chosen: int | None = None
        refused: tuple[str, Fraction] | None = None
        for k in range(lower, len(sequence)):
            remaining = left[sequence[k]]
            if remaining is None or item.cost <= max(remaining, ZERO):
                chosen = k
                break
            if refused is None:
                refused = (sequence[k], remaining)
        if chosen is None:
            allowed = tuple(sequence[lower:])
            most = max(r for r in (left[p] for p in allowed) if r is not None)
            message = (
                f"{name} needs {show(item.cost)} but no phase it may go in (from "
                f"{sequence[lower]} on) has that much left: at most {show(most)}"
            )
            report.append(Infeasibility("no-budget", (name,), allowed, message))
            unplaced.append(name)
            continue
        target = sequence[chosen]
        placed[name] = chosen
        remaining = left[target]
        if remaining is not None:
            left[target] = remaining - item.cost
        if refused is not None:
            reason = (
                f"held back by budget of phase {refused[0]} "
                f"(needs {show(item.cost)}, left {show(refused[1])})"
            )
            why[name] = (reason, "budget", refused[0])
        elif holder is not None:
            reason = f"held back by dependency {holder} (in phase {target})"
            why[name] = (reason, "dependency", holder)
        else:
            why[name] = ("earliest phase", "earliest", None)

    for name in sorted(placed):
        for dep in deps[name]:
            if dep in placed and placed[dep] > placed[name]:
                mine, theirs = sequence[placed[name]], sequence[placed[dep]]
                message = (
                    f"{name} (phase {mine}) depends on {dep}, which is in the later phase {theirs}"
                )
                report.append(
                    Infeasibility("dependency-later", (name, dep), (mine, theirs), message)
                )

    # 4. Dates: phase starts, chains inside each phase, phase ends.
    members: dict[str, list[str]] = {name: [] for name in sequence}
    for name in order:
        if name in placed:
            members[sequence[placed[name]]].append(name)
    phase_start: dict[str, Fraction] = {}
    phase_end: dict[str, Fraction] = {}
    offset: dict[str, Fraction] = {}
    finish: dict[str, Fraction] = {}
    schedules: list[PhaseSchedule] = []
    for k, name in enumerate(sequence):
        phase = phase_by[name]
        if phase.start_month is not None:
            start = Fraction(phase.start_month)
            for before in phase_follows[name]:
                if phase_end[before] > start:
                    message = (
                        f"phase {name} is declared to start at month {phase.start_month}, "
                        f"before phase {before}, which it follows, ends (month "
                        f"{show(phase_end[before])})"
                    )
                    report.append(
                        Infeasibility("early-start", (name, before), (name, before), message)
                    )
        elif phase_follows[name]:
            start = max(phase_end[before] for before in phase_follows[name])
        elif k > 0:
            start = phase_end[sequence[k - 1]]
        else:
            start = ZERO
        previous: dict[str, str | None] = {}
        for item_name in members[name]:
            begin, via = ZERO, None
            for dep in deps[item_name]:
                if placed.get(dep) == k and finish[dep] > begin:
                    begin, via = finish[dep], dep
            offset[item_name] = begin
            finish[item_name] = begin + effective[item_name]
            previous[item_name] = via
        chain: list[str] = []
        length = ZERO
        if members[name]:
            last = min(members[name], key=lambda n: (-finish[n], n))
            length = finish[last]
            cursor: str | None = last
            while cursor is not None:
                chain.append(cursor)
                cursor = previous[cursor]
            chain.reverse()
        minimum = phase.duration_months
        overrun = length - minimum if minimum is not None and length > minimum else ZERO
        end = start + max(length, minimum if minimum is not None else ZERO)
        phase_start[name], phase_end[name] = start, end
        cost = sum((by_name[n].cost for n in members[name]), ZERO)
        ordered = tuple(sorted(members[name], key=lambda n: (offset[n], n)))
        schedules.append(
            PhaseSchedule(
                name=name,
                start=start,
                end=end,
                duration=minimum,
                overrun=overrun,
                cost=cost,
                budget=phase.budget,
                left=left[name],
                items=ordered,
                critical_chain=tuple(chain),
                chain_length=length,
            )
        )

    item_schedules: list[ItemSchedule] = []
    for name in sorted(placed):
        item = by_name[name]
        phase_name = sequence[placed[name]]
        start = phase_start[phase_name] + offset[name]
        pilot = pilot_of.get(name)
        share = launch = rollout = None
        if pilot is not None:
            share = pilot.share
            launch = start + item.duration_months
            rollout = launch + pilot.months if pilot.months is not None else phase_end[phase_name]
        reason, cause, held_by = why[name]
        item_schedules.append(
            ItemSchedule(
                name=name,
                kind=item.kind,
                phase=phase_name,
                start=start,
                end=start + effective[name],
                cost=item.cost,
                reason=reason,
                cause=cause,
                held_by=held_by,
                pilot_share=share,
                pilot_start=launch,
                pilot_end=rollout,
            )
        )
    ends = {s.name: s.end for s in item_schedules}
    starts = {s.name: s.start for s in item_schedules}
    for name in sorted(placed):
        for dep in deps[name]:
            if dep in placed and placed[dep] < placed[name] and ends[dep] > starts[name]:
                mine, theirs = sequence[placed[name]], sequence[placed[dep]]
                message = (
                    f"{name} starts at month {show(starts[name])} (phase {mine}) but its "
                    f"dependency {dep} (phase {theirs}) ends at month {show(ends[dep])}"
                )
                report.append(
                    Infeasibility("dependency-unfinished", (name, dep), (mine, theirs), message)
                )

    # 5. Critical path over all items, by duration (with pilot months).
    path, path_length = _critical_path(order, deps, effective)

    report.sort(key=lambda f: (KINDS.index(f.kind), f.items, f.phases))
    return Plan(
        phases=tuple(schedules),
        items=tuple(item_schedules),
        unplaced=tuple(sorted(unplaced)),
        critical_path=path,
        critical_length=path_length,
        end=max(phase_end.values(), default=ZERO),
        infeasibilities=tuple(report),
    )


def _critical_path(
    order: Sequence[str],
    deps: Mapping[str, tuple[str, ...]],
    weight: Mapping[str, Fraction],
) -> tuple[tuple[str, ...], Fraction]:
    """Longest dependency chain by total weight (`order` is topological), and its length.

    Node weights become edge weights: an edge into an item weighs the item's duration and
    a virtual source (-1) leads to every item, so a path from the source weighs its items.
    """
    if not order:
        return (), ZERO
    index = {name: k for k, name in enumerate(order)}
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_node(-1)
    graph.add_nodes_from(range(len(order)))
    for name in order:
        graph.add_edge(-1, index[name], weight=weight[name])
    for name in order:
        for dep in deps[name]:
            graph.add_edge(index[dep], index[name], weight=weight[name])
    nodes = nx.dag_longest_path(graph, weight="weight", topo_order=[-1, *range(len(order))])
    path = tuple(order[k] for k in nodes if k >= 0)
    return path, sum((weight[name] for name in path), ZERO)
