"""Benchmark of project phasing: 2,000 items over 10 phases with budgets, goal < 1 s.

Random DAG (fixed seed): each item depends on up to 3 earlier items.  Phases form a chain
(`after` the previous one); every third one also has a declared start month.  Budgets
total about 90 % of the work's cost, so budgets push items to later phases and the last
items do not fit anywhere.  Forty channel launches have pilots, and 5 % of the items are
fixed in a phase.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from blueprintc.solve.phasing import Item, Phase, Pilot, Plan, plan

ITEMS = 2000
PHASES = 10


def problem(seed: int) -> tuple[list[Item], list[Phase], list[Pilot]]:
    rng = random.Random(seed)
    kinds = ("component", "channel", "migration", "practice")
    phase_names = [f"phase{k}" for k in range(PHASES)]
    items = []
    for k in range(ITEMS):
        earlier = rng.sample(range(k), min(k, rng.randint(0, 3)))
        items.append(
            Item(
                f"item{k:04d}",
                kinds[k % 4],
                Fraction(rng.randint(1, 12), 2),
                Fraction(rng.randint(10, 200) * 1000),
                tuple(f"item{d:04d}" for d in sorted(earlier)),
                rng.choice(phase_names) if rng.random() < 0.05 else None,
                rng.randint(0, 5),
            )
        )
    total = sum((i.cost for i in items), Fraction(0))
    phases = [
        Phase(
            name,
            k,
            12 * k if k % 3 == 0 else None,
            Fraction(6) if k % 2 == 0 else None,
            total * 9 / 10 / PHASES,
            (phase_names[k - 1],) if k > 0 else (),
        )
        for k, name in enumerate(phase_names)
    ]
    pilots = [Pilot(i.name, Fraction(1, 10), Fraction(2)) for i in items[1:160:4]]
    return items, phases, pilots


def test_bench_phasing_2000_items_10_phases(benchmark: Any) -> None:
    items, phases, pilots = problem(seed=2027)
    result: Plan = benchmark(plan, items, phases, pilots)
    assert len(result.items) + len(result.unplaced) == ITEMS
    assert len(result.items) > ITEMS // 2
    assert len(result.phases) == PHASES
    assert {"no-budget", "blocked"} & {f.kind for f in result.infeasibilities}
    assert any(s.cause == "budget" for s in result.items)
    assert result.critical_length > 0
    for schedule in result.phases:
        assert schedule.budget is not None and schedule.left is not None
        assert schedule.left >= 0 or any(
            f.kind == "over-budget" and f.phases == (schedule.name,) for f in result.infeasibilities
        )
