"""Financial-functional layer: budgets that cover their items' declared one-time costs,
requirements that trace to something, phases in a sequence, items placed and piloted once."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

import networkx as nx

from blueprintc.diagnostics import Label
from blueprintc.diagnostics import codes as C
from blueprintc.graph import Graph
from blueprintc.model import elements as m
from blueprintc.model.format import money
from blueprintc.validate.findings import Context, Finding, field_span


def declared_one_time(element: m.Element | None) -> Fraction:
    """The one-time cost an item declares without sizing (phases: none of their own)."""
    if isinstance(element, m.Component):
        return element.costs.one_time_total()
    if isinstance(element, m.Practice):
        return element.cost or Fraction(0)
    if isinstance(element, m.Site) and not element.existing and element.fitout is not None:
        return element.fitout.value * element.seats
    return Fraction(0)


def declared_capex(ctx: Context, ref: m.Ref, seen: set[m.Ref]) -> Fraction:
    """One-time costs declared for an item (phases: their items), each item counted once.

    Only costs that need no sizing: implementation, total licences, fit-out of a new
    site's seats and the cost of introducing a practice.
    """
    if ref in seen:
        return Fraction(0)
    seen.add(ref)
    element = ctx.model.get(ref)
    if isinstance(element, m.Phase):
        return sum((declared_capex(ctx, item, seen) for item in element.includes), Fraction(0))
    return declared_one_time(element)


def budget_exceeded(ctx: Context) -> Iterator[Finding]:
    """A budget, or a phase's budget, below the declared one-time costs it covers."""
    for budget in ctx.designed(m.Budget):
        seen: set[m.Ref] = set()
        need = sum((declared_capex(ctx, ref, seen) for ref in budget.covers), Fraction(0))
        if need > budget.amount:
            yield _overrun(ctx, budget, budget.amount, need)
    for phase in ctx.designed(m.Phase):
        if phase.budget is not None:
            need = declared_capex(ctx, phase.ref, set())
            if need > phase.budget:
                yield _overrun(ctx, phase, phase.budget, need)


def _overrun(ctx: Context, element: m.Element, amount: Fraction, need: Fraction) -> Finding:
    return Finding(
        C.BUDGET_EXCEEDED,
        element.ref,
        f"the {element.kind} `{element.name}` has {money(amount, ctx.currency)} but what it "
        f"covers declares {money(need, ctx.currency)} of one-time costs "
        f"(over by {money(need - amount, ctx.currency)})",
        field_span(element, "budget" if isinstance(element, m.Phase) else "amount"),
    )


def untraced_requirement(ctx: Context) -> Iterator[Finding]:
    """A requirement that traces to nothing."""
    for requirement in ctx.designed(m.Requirement):
        if not requirement.traces:
            yield Finding(
                C.UNTRACED_REQUIREMENT,
                requirement.ref,
                f"the requirement `{requirement.name}` traces to nothing",
                requirement.span,
            )


def phase_order(ctx: Context) -> Graph:
    """Phases as nodes, an edge from each phase to those that follow it (`after`)."""
    order: Graph = nx.DiGraph()
    for phase in ctx.designed(m.Phase):
        order.add_node(phase.name)
        order.add_edges_from((before.name, phase.name) for before in phase.after)
    return order


def phase_cycle(ctx: Context) -> Iterator[Finding]:
    """Phases that follow each other in a circle."""
    for cycle in cycles(phase_order(ctx)):
        first = ctx.model.get(m.Ref("phase", cycle[0]))
        assert first is not None
        circle = " → ".join([*cycle, cycle[0]])
        yield Finding(
            C.PHASE_CYCLE,
            first.ref,
            f"phases follow each other in a circle: {circle}",
            field_span(first, "after"),
        )


def cycles(graph: Graph) -> list[list[str]]:
    """Each elementary cycle once, rotated to start at its smallest name, sorted."""
    found = []
    for cycle in nx.simple_cycles(graph):
        start = cycle.index(min(cycle))
        found.append(cycle[start:] + cycle[:start])
    return sorted(found)


def included_twice(ctx: Context) -> Iterator[Finding]:
    """An item included in more than one phase."""
    placed: dict[m.Ref, m.Phase] = {}
    for phase in ctx.designed(m.Phase):
        for item in phase.includes:
            first = placed.setdefault(item, phase)
            if first is not phase:
                yield Finding(
                    C.INCLUDED_TWICE,
                    phase.ref,
                    f"`{item.name}` is included in both `{first.name}` and `{phase.name}`",
                    field_span(phase, "includes"),
                    (Label(field_span(first, "includes"), "first included here"),),
                )


def piloted_twice(ctx: Context) -> Iterator[Finding]:
    """A channel with more than one `pilot`: a channel is launched, and piloted, once."""
    first: dict[m.Ref, m.Pilot] = {}
    for phase in ctx.designed(m.Phase):
        for pilot in phase.pilots:
            earlier = first.setdefault(pilot.channel, pilot)
            if earlier is not pilot:
                yield Finding(
                    C.DUPLICATE_FIELD,
                    phase.ref,
                    f"the pilot of `{pilot.channel.name}` is given twice",
                    pilot.span,
                    (Label(earlier.span, "first given here"),),
                )
