"""Project phasing on small graphs solved by hand, and properties on random ones.

Every expected placement, date and path below is worked out by hand in the test's
docstring or comments; the property test checks the plan against independent
recomputations (budgets from the placed costs, the critical path by a plain recursion).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprintc.solve.phasing import (
    Infeasibility,
    Item,
    Phase,
    Pilot,
    Plan,
    plan,
    show,
)

F = Fraction


def item(
    name: str,
    months: int | Fraction = 1,
    cost: int | Fraction = 0,
    deps: tuple[str, ...] = (),
    fixed: str | None = None,
    rank: int = 0,
    kind: str = "component",
) -> Item:
    return Item(name, kind, F(months), F(cost), deps, fixed, rank)


def phase(
    name: str,
    order: int,
    start: int | None = None,
    months: int | Fraction | None = None,
    budget: int | Fraction | None = None,
    after: tuple[str, ...] = (),
) -> Phase:
    return Phase(
        name,
        order,
        start,
        None if months is None else F(months),
        None if budget is None else F(budget),
        after,
    )


def kinds(result: Plan) -> list[str]:
    return [f.kind for f in result.infeasibilities]


def three_phases(budget: int | None = None) -> list[Phase]:
    return [
        phase("one", 0, start=0, budget=budget),
        phase("two", 1, budget=budget, after=("one",)),
        phase("three", 2, budget=budget, after=("two",)),
    ]


# ------------------------------------------------------------------------ placement


def test_dependency_chain_across_phases() -> None:
    """a is fixed in two; b needs a and c needs b, so both follow a into two; d is free.

    Dates: one holds d (2 months): 0-2.  two starts when one ends (2) and chains
    a (3) -> b (1) -> c (2): a 2-5, b 5-6, c 6-8, so two is 2-8.  three is empty: 8-8.
    Critical path a, b, c: 6 months.
    """
    result = plan(
        [
            item("a", 3, fixed="two"),
            item("b", 1, deps=("a",)),
            item("c", 2, deps=("b",)),
            item("d", 2),
        ],
        three_phases(),
    )
    assert result.feasible
    assert [(s.name, s.phase, s.start, s.end) for s in result.items] == [
        ("a", "two", 2, 5),
        ("b", "two", 5, 6),
        ("c", "two", 6, 8),
        ("d", "one", 0, 2),
    ]
    assert result.item("a").reason == "fixed"
    assert result.item("b").reason == "held back by dependency a (in phase two)"
    assert result.item("c").reason == "held back by dependency b (in phase two)"
    assert (result.item("c").cause, result.item("c").held_by) == ("dependency", "b")
    assert result.item("d").reason == "earliest phase"
    assert [(p.name, p.start, p.end) for p in result.phases] == [
        ("one", 0, 2),
        ("two", 2, 8),
        ("three", 8, 8),
    ]
    assert result.phase("two").items == ("a", "b", "c")
    assert result.phase("two").critical_chain == ("a", "b", "c")
    assert result.phase("two").chain_length == 6
    assert result.critical_path == ("a", "b", "c")
    assert result.critical_length == 6
    assert result.end == 8


def test_dependency_in_earlier_phase_does_not_delay_the_item_inside_its_phase() -> None:
    """b depends on a (phase one, 0-4); b is fixed in two (starts at 4) and starts at 4."""
    result = plan(
        [item("a", 4, fixed="one"), item("b", 2, deps=("a",), fixed="two")], three_phases()
    )
    assert result.feasible
    assert (result.item("b").start, result.item("b").end) == (4, 6)
    assert result.phase("two").critical_chain == ("b",)


def test_budget_forced_delay() -> None:
    """Budgets of 10 per phase: A (6) fits phase one; B (6) would leave it at -2, so two.

    C costs nothing and depends on B: it follows B into two.
    """
    result = plan(
        [item("A", cost=6), item("B", cost=6), item("C", cost=0, deps=("B",))],
        three_phases(budget=10),
    )
    assert result.feasible
    assert result.item("A").phase == "one"
    b = result.item("B")
    assert b.phase == "two"
    assert b.cause == "budget"
    assert b.held_by == "one"
    assert b.reason == "held back by budget of phase one (needs 6, left 4)"
    assert result.item("C").reason == "held back by dependency B (in phase two)"
    assert [(p.cost, p.left) for p in result.phases] == [(6, 4), (6, 4), (0, 10)]


def test_budget_delay_past_several_phases_names_the_first_refusal() -> None:
    """One and two have 5 left after the fixed items; X costs 8 and goes to three."""
    result = plan(
        [item("f1", cost=5, fixed="one"), item("f2", cost=5, fixed="two"), item("X", cost=8)],
        three_phases(budget=10),
    )
    assert result.item("X").phase == "three"
    assert result.item("X").reason == "held back by budget of phase one (needs 8, left 5)"


def test_budget_reason_shows_fractions_exactly() -> None:
    result = plan(
        [item("a", cost=F(5, 2)), item("b", cost=F(1, 3))],
        [phase("p", 0, budget=F(8, 3)), phase("q", 1)],
    )
    assert result.item("b").reason == "held back by budget of phase p (needs 1/3, left 1/6)"
    assert show(F(5, 2)) == "2.5"
    assert show(F(-3, 4)) == "-0.75"
    assert show(F(7)) == "7"


def test_rank_breaks_ties_web_before_voice_before_branch() -> None:
    """Four channels of cost 10, four phases of budget 10: one channel per phase.

    By name the order would be branch, ivr, voice, web; the ranks reverse it.
    """
    channels = [
        item("branch", cost=10, rank=3, kind="channel"),
        item("voice", cost=10, rank=2, kind="channel"),
        item("ivr", cost=10, rank=1, kind="channel"),
        item("web", cost=10, rank=0, kind="channel"),
    ]
    phases = [phase(f"p{k}", k, budget=10) for k in range(1, 5)]
    result = plan(channels, phases)
    assert result.feasible
    placed = {s.name: s.phase for s in result.items}
    assert placed == {"web": "p1", "ivr": "p2", "voice": "p3", "branch": "p4"}
    # Equal ranks: the name decides.
    result = plan([item("b", cost=10), item("a", cost=10)], phases[:2])
    assert (result.item("a").phase, result.item("b").phase) == ("p1", "p2")


def test_rank_is_a_tie_break_not_a_rule() -> None:
    """web (rank 0) needs branch (rank 3): branch goes first and takes p1's budget."""
    phases = [phase(f"p{k}", k, budget=10) for k in range(1, 4)]
    result = plan(
        [item("branch", cost=10, rank=3), item("web", cost=10, rank=0, deps=("branch",))],
        phases,
    )
    assert (result.item("branch").phase, result.item("web").phase) == ("p1", "p2")
    assert result.item("web").cause == "budget"


def test_dependency_that_is_not_an_item_is_ignored() -> None:
    result = plan([item("a", 2, deps=("ghost",))], three_phases())
    assert result.feasible
    assert result.item("a").reason == "earliest phase"
    assert result.critical_path == ("a",)


def test_zero_cost_item_fits_an_overspent_phase() -> None:
    result = plan(
        [item("big", cost=12, fixed="one"), item("free", cost=0)], three_phases(budget=10)
    )
    assert result.item("free").phase == "one"
    assert kinds(result) == ["over-budget"]
    assert result.infeasibilities[0].items == ("big",)
    assert result.infeasibilities[0].phases == ("one",)
    assert result.phase("one").left == -2


# -------------------------------------------------------------------- infeasibilities


def test_fixed_item_before_its_fixed_dependency() -> None:
    result = plan([item("app", fixed="one", deps=("db",)), item("db", fixed="two")], three_phases())
    assert result.infeasibilities == (
        Infeasibility(
            "dependency-later",
            ("app", "db"),
            ("one", "two"),
            "app (phase one) depends on db, which is in the later phase two",
        ),
    )
    # The items stay where they were fixed.
    assert (result.item("app").phase, result.item("db").phase) == ("one", "two")


def test_fixed_item_whose_free_dependency_is_pushed_later_by_budget() -> None:
    """app is fixed in one; db costs 5 and one has 3 left, so db goes to two."""
    result = plan(
        [item("app", cost=7, fixed="one", deps=("db",)), item("db", cost=5)],
        three_phases(budget=10),
    )
    assert result.item("db").phase == "two"
    assert kinds(result) == ["dependency-later"]
    assert result.infeasibilities[0].items == ("app", "db")


def test_item_cycle_names_the_cycle() -> None:
    """a needs b, b needs c, c needs a: one cycle a -> b -> c; s needs itself."""
    result = plan(
        [
            item("a", deps=("b",)),
            item("b", deps=("c",)),
            item("c", deps=("a",)),
            item("d", deps=("a",)),
            item("s", deps=("s",)),
        ],
        three_phases(),
    )
    cycles = [f for f in result.infeasibilities if f.kind == "item-cycle"]
    assert [f.items for f in cycles] == [("a", "b", "c"), ("s",)]
    assert cycles[0].message == "items depend on each other in a circle: a → b → c → a"
    assert kinds(result) == ["item-cycle", "item-cycle"]
    # The plan is still computed, ignoring the links inside the cycles.
    assert {s.name for s in result.items} == {"a", "b", "c", "d", "s"}
    assert result.item("d").start == result.item("a").end


def test_item_cycle_reports_the_shortest_cycle_of_a_component() -> None:
    """a <-> b and b -> c -> a: one strong component; the shortest cycle through a."""
    result = plan(
        [item("a", deps=("b",)), item("b", deps=("a", "c")), item("c", deps=("a",))],
        three_phases(),
    )
    assert [f.items for f in result.infeasibilities] == [("a", "b")]


def test_phase_cycle_names_the_phases() -> None:
    phases = [
        phase("x", 0, after=("y",)),
        phase("y", 1, after=("x",)),
        phase("z", 2, after=("x",)),
    ]
    result = plan([item("a", 2)], phases)
    assert kinds(result) == ["phase-cycle"]
    found = result.infeasibilities[0]
    assert found.items == ("x", "y")
    assert found.phases == ("x", "y")
    assert found.message == "phases follow each other in a circle: x → y → x"
    # The cycle's `after` links are ignored: declaration order x, y; z still follows x.
    assert [p.name for p in result.phases] == ["x", "y", "z"]
    assert [(p.start, p.end) for p in result.phases] == [(0, 2), (2, 2), (2, 2)]


def test_item_that_fits_no_budget() -> None:
    """big costs 20; the phases have 10 and 15: unplaced.  after_big is blocked."""
    result = plan(
        [item("big", cost=20), item("after_big", deps=("big",)), item("small", cost=3)],
        [phase("one", 0, budget=10), phase("two", 1, budget=15)],
    )
    assert result.unplaced == ("after_big", "big")
    assert [s.name for s in result.items] == ["small"]
    with pytest.raises(KeyError):
        result.item("big")
    assert result.infeasibilities == (
        Infeasibility(
            "no-budget",
            ("big",),
            ("one", "two"),
            "big needs 20 but no phase it may go in (from one on) has that much left: at most 15",
        ),
        Infeasibility(
            "blocked",
            ("after_big", "big"),
            (),
            "after_big depends on big, which could not be placed",
        ),
    )


def test_no_budget_counts_only_phases_after_the_dependencies() -> None:
    """b needs a (fixed in two); one has room for b, but b may only go in two, which is full."""
    result = plan(
        [item("a", cost=10, fixed="two"), item("b", cost=5, deps=("a",))],
        [phase("one", 0, budget=100), phase("two", 1, budget=10)],
    )
    assert kinds(result) == ["no-budget"]
    assert result.infeasibilities[0].phases == ("two",)


def test_no_phase() -> None:
    result = plan([item("a")], [])
    assert kinds(result) == ["no-phase"]
    assert result.unplaced == ("a",)
    assert result.end == 0
    assert result.critical_path == ("a",)


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="unique"):
        plan([item("a"), item("a")], three_phases())
    with pytest.raises(ValueError, match="unique"):
        plan([], [phase("p", 0), phase("p", 1)])
    with pytest.raises(ValueError, match="unknown phase"):
        plan([item("a", fixed="nowhere")], three_phases())
    with pytest.raises(ValueError, match="unknown item"):
        plan([item("a")], three_phases(), [Pilot("b", F(1, 10), F(2))])
    with pytest.raises(ValueError, match="two pilots"):
        plan([item("a")], three_phases(), [Pilot("a", F(1, 10), F(2)), Pilot("a", F(1), None)])
    with pytest.raises(ValueError, match="share"):
        Pilot("a", F(0), F(1))
    with pytest.raises(ValueError, match="cost"):
        item("a", cost=-1)
    with pytest.raises(ValueError, match="start month"):
        phase("p", 0, start=-1)
    with pytest.raises(TypeError):
        Item("a", "component", 1.5, F(1), (), None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Item("a", "component", F(1), F(1), "b", None)


# ---------------------------------------------------------------------------- dates


def test_phases_with_and_without_start_dates() -> None:
    """Declared: build (start 0, 3 months), pilot (undated, no after), later (start 12),
    wrap (after pilot and later, undated).

    Sequence by start month: build (0), pilot (0, inherits build's month), later (12),
    wrap.  build 0-3 (declared 3, items take 2).  pilot follows the previous phase in
    sequence: 3, its item takes 4: 3-7.  later starts at its declared 12, lasts 1: 12-13.
    wrap starts when both pilot (7) and later (13) end: 13; its item takes 2: 13-15.
    """
    result = plan(
        [
            item("a", 2, fixed="build"),
            item("b", 4, fixed="pilot"),
            item("c", 1, fixed="later"),
            item("d", 2, fixed="wrap"),
        ],
        [
            phase("build", 0, start=0, months=3),
            phase("pilot", 1),
            phase("later", 2, start=12),
            phase("wrap", 3, after=("pilot", "later")),
        ],
    )
    assert result.feasible
    assert [(p.name, p.start, p.end) for p in result.phases] == [
        ("build", 0, 3),
        ("pilot", 3, 7),
        ("later", 12, 13),
        ("wrap", 13, 15),
    ]
    assert result.end == 15


def test_sequence_orders_by_start_month_then_declaration() -> None:
    """Declared late (start 6), free (undated), early (start 0): early, late, free.

    free inherits late's month 6 and comes after it by declaration.  early 0-2, late
    6-7, free follows late: 7-8.
    """
    result = plan(
        [item("a", 2, fixed="early"), item("b", 1, fixed="late"), item("c", 1, fixed="free")],
        [phase("late", 0, start=6), phase("free", 1), phase("early", 2, start=0)],
    )
    assert [(p.name, p.start, p.end) for p in result.phases] == [
        ("early", 0, 2),
        ("late", 6, 7),
        ("free", 7, 8),
    ]


def test_first_undated_phase_starts_at_zero() -> None:
    result = plan([item("a", 5)], [phase("p", 0), phase("q", 1)])
    assert [(p.start, p.end) for p in result.phases] == [(0, 5), (5, 5)]


def test_declared_duration_is_a_minimum_and_overrun_is_reported() -> None:
    """Declared 2 months, chain 3 + 2 = 5: the phase lasts 5 with an overrun of 3.
    A declared 6 months with a 5-month chain lasts 6, no overrun."""
    items = [item("a", 3, fixed="p"), item("b", 2, deps=("a",), fixed="p")]
    short = plan(items, [phase("p", 0, months=2)]).phase("p")
    assert (short.start, short.end, short.duration, short.overrun) == (0, 5, 2, 3)
    long = plan(items, [phase("p", 0, months=6)]).phase("p")
    assert (long.end, long.overrun, long.chain_length) == (6, 0, 5)


def test_parallel_items_inside_a_phase() -> None:
    """a (2) and b (5) are independent, c needs both: c starts at 5, chain b, c."""
    result = plan(
        [item("a", 2), item("b", 5), item("c", 1, deps=("a", "b"))], [phase("p", 0, start=4)]
    )
    assert [(s.name, s.start, s.end) for s in result.items] == [
        ("a", 4, 6),
        ("b", 4, 9),
        ("c", 9, 10),
    ]
    assert result.phase("p").items == ("a", "b", "c")
    assert result.phase("p").critical_chain == ("b", "c")


def test_early_start_is_reported() -> None:
    """two follows one (0-6) but is declared to start at month 3."""
    result = plan(
        [item("a", 6, fixed="one"), item("b", 1, fixed="two")],
        [phase("one", 0, start=0), phase("two", 1, start=3, after=("one",))],
    )
    assert result.phase("two").start == 3
    assert kinds(result) == ["early-start"]
    assert result.infeasibilities[0].items == ("two", "one")


def test_dependency_unfinished_when_phase_dates_overlap() -> None:
    """one is 0-6 with a (6 months); two is declared at month 2 and holds b, which needs a."""
    result = plan(
        [item("a", 6, fixed="one"), item("b", 1, deps=("a",), fixed="two")],
        [phase("one", 0, start=0), phase("two", 1, start=2)],
    )
    assert kinds(result) == ["dependency-unfinished"]
    found = result.infeasibilities[0]
    assert (found.items, found.phases) == (("b", "a"), ("two", "one"))
    assert found.message == (
        "b starts at month 2 (phase two) but its dependency a (phase one) ends at month 6"
    )


# ----------------------------------------------------------------- critical path, pilots


def test_critical_path_by_hand() -> None:
    """Diamond a (2) -> b (3) | c (5) -> d (1), and e (4) alone.

    Paths: a b d = 6, a c d = 8, e = 4.  Longest: a, c, d = 8 months.
    """
    items = [
        item("a", 2),
        item("b", 3, deps=("a",)),
        item("c", 5, deps=("a",)),
        item("d", 1, deps=("b", "c")),
        item("e", 4),
    ]
    result = plan(items, [phase("p", 0)])
    assert result.critical_path == ("a", "c", "d")
    assert result.critical_length == 8
    assert result.phase("p").critical_chain == ("a", "c", "d")
    assert result.phase("p").end == 8
    # The critical path ignores phases: spread over two phases it is still a, c, d.
    spread = plan(
        [*items[:3], item("d", 1, deps=("b", "c"), fixed="q"), items[4]],
        [phase("p", 0), phase("q", 1, after=("p",))],
    )
    assert spread.critical_path == ("a", "c", "d")
    assert spread.critical_length == 8
    assert spread.phase("p").critical_chain == ("a", "c")


def test_pilot_delays_the_rollout_and_the_dependents() -> None:
    """chat takes 2 months, then a 10 % pilot for 3: launch at 2, full roll-out at 5.

    bot needs chat: it starts at 5.  The chain is chat (2 + 3) + bot (1) = 6.
    """
    result = plan(
        [item("chat", 2, kind="channel"), item("bot", 1, deps=("chat",))],
        [phase("digital", 0, start=0)],
        [Pilot("chat", F(1, 10), F(3))],
    )
    chat = result.item("chat")
    assert (chat.start, chat.pilot_start, chat.pilot_end, chat.end) == (0, 2, 5, 5)
    assert chat.pilot_share == F(1, 10)
    assert result.item("bot").start == 5
    assert result.critical_length == 6
    assert result.phase("digital").end == 6
    assert result.item("bot").pilot_end is None


def test_pilot_without_months_runs_to_the_phase_end() -> None:
    """chat launches at 2 (its work), the phase lasts 6 (declared): pilot 2-6, no delay."""
    result = plan(
        [item("chat", 2, kind="channel"), item("bot", 1, deps=("chat",))],
        [phase("digital", 0, start=0, months=6)],
        [Pilot("chat", F(1, 5), None)],
    )
    chat = result.item("chat")
    assert (chat.start, chat.end, chat.pilot_start, chat.pilot_end) == (0, 2, 2, 6)
    assert result.item("bot").start == 2


def test_plan_is_deterministic_whatever_the_input_order() -> None:
    items = [
        item(
            f"i{k}",
            k % 4 + 1,
            cost=k % 5,
            deps=tuple(f"i{d}" for d in range(k) if (k * d) % 3 == 1),
        )
        for k in range(12)
    ]
    phases = [phase(f"p{k}", k, budget=8, after=(f"p{k - 1}",) if k else ()) for k in range(4)]
    reference = plan(items, phases)
    shuffler = random.Random(7)
    for _ in range(5):
        shuffler.shuffle(items)
        shuffler.shuffle(phases)
        assert plan(items, phases) == reference


# ------------------------------------------------------------------------- properties


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[Item], list[Phase], bool]:
    """Random DAGs (each item depends on up to 3 earlier ones) over 1-4 phases."""
    count = draw(st.integers(1, 12))
    phase_count = draw(st.integers(1, 4))
    phases = []
    for k in range(phase_count):
        earlier = draw(st.sets(st.integers(0, k - 1), max_size=2)) if k > 0 else set()
        after = tuple(f"p{j}" for j in sorted(earlier))
        phases.append(
            phase(
                f"p{k}",
                k,
                start=draw(st.none() | st.integers(0, 24)),
                months=draw(st.none() | st.integers(0, 6)),
                budget=draw(st.none() | st.integers(0, 20)),
                after=after,
            )
        )
    with_fixed = draw(st.booleans())
    items = []
    for k in range(count):
        deps = draw(st.sets(st.integers(0, k - 1), max_size=3)) if k > 0 else set()
        fixed = draw(st.none() | st.sampled_from([p.name for p in phases])) if with_fixed else None
        items.append(
            item(
                f"i{k}",
                draw(st.integers(0, 4)),
                cost=draw(st.integers(0, 10)),
                deps=tuple(f"i{d}" for d in sorted(deps)),
                fixed=fixed,
                rank=draw(st.integers(0, 3)),
            )
        )
    return items, phases, with_fixed


@settings(max_examples=300, deadline=None)
@given(problems())
def test_placement_respects_dependencies_and_budgets(
    problem: tuple[list[Item], list[Phase], bool],
) -> None:
    items, phases, with_fixed = problem
    result = plan(items, phases)
    by_name = {i.name: i for i in items}
    position = {p.name: k for k, p in enumerate(result.phases)}
    where = {s.name: position[s.phase] for s in result.items}
    assert sorted([*where, *result.unplaced]) == sorted(by_name)
    found: dict[str, list[Infeasibility]] = {}
    for failure in result.infeasibilities:
        found.setdefault(failure.kind, []).append(failure)

    # Dependencies: never in a later phase, except pairs reported as dependency-later.
    later = {
        (name, dep)
        for name in where
        for dep in by_name[name].depends_on
        if dep in where and where[dep] > where[name]
    }
    assert later == {f.items for f in found.get("dependency-later", [])}
    assert all(by_name[name].fixed_phase is not None for name, _ in later)
    if not with_fixed:
        assert not later

    # Budgets: `left` is budget minus placed cost; only fixed items may overspend.
    over = {f.phases[0] for f in found.get("over-budget", [])}
    for schedule in result.phases:
        cost = sum((by_name[n].cost for n in schedule.items), F(0))
        assert schedule.cost == cost
        if schedule.budget is None:
            assert schedule.left is None
            continue
        assert schedule.left == schedule.budget - cost
        fixed_cost = sum((by_name[n].cost for n in schedule.items if by_name[n].fixed_phase), F(0))
        assert (schedule.name in over) == (fixed_cost > schedule.budget)
        if schedule.name not in over:
            assert cost <= schedule.budget
        else:
            assert cost == fixed_cost  # nothing else was added to an overspent phase

    # Earliest: every phase skipped (after the dependencies) could not pay for the item.
    left = {s.name: s.left for s in result.phases}
    names = [s.name for s in result.phases]
    for placed in result.items:
        if placed.cause == "fixed":
            continue
        lower = max((where[d] for d in by_name[placed.name].depends_on), default=0)
        here = where[placed.name]
        assert here >= lower
        assert (here > lower) == (placed.cause == "budget")
        for k in range(lower, here):
            remaining = left[names[k]]
            assert remaining is not None and remaining < placed.cost
    for failure in found.get("no-budget", []):
        (name,) = failure.items
        for phase_name in failure.phases:
            remaining = left[phase_name]
            assert remaining is not None and remaining < by_name[name].cost
    for failure in found.get("blocked", []):
        assert failure.items[1] in result.unplaced

    # Dates: inside the phase, after dependencies in the same phase.
    spans = {s.name: (s.start, s.end) for s in result.phases}
    for dated in result.items:
        start, end = spans[dated.phase]
        assert start <= dated.start <= dated.end <= end
        assert dated.end - dated.start == by_name[dated.name].duration_months
        for dep in by_name[dated.name].depends_on:
            if dep in where and where[dep] == where[dated.name]:
                assert result.item(dep).end <= dated.start
    for declared in phases:
        span = result.phase(declared.name)
        if declared.duration_months is not None:
            assert span.end - span.start >= declared.duration_months
        if declared.start_month is not None:
            assert span.start == declared.start_month

    # Critical path: the longest chain, recomputed by a plain recursion.
    @cache
    def longest(name: str) -> Fraction:
        before = [longest(d) for d in by_name[name].depends_on]
        return by_name[name].duration_months + max(before, default=F(0))

    assert result.critical_length == max(longest(n) for n in by_name)
    path = result.critical_path
    assert sum((by_name[n].duration_months for n in path), F(0)) == result.critical_length
    assert all(a in by_name[b].depends_on for a, b in itertools.pairwise(path))
