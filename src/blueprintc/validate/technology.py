"""Technology layer: every offered channel is supported, every component is justified by a
channel in use, and dependencies are present, acyclic and delivered in time."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from blueprintc.diagnostics import Label
from blueprintc.diagnostics import codes as C
from blueprintc.graph import Graph
from blueprintc.model import elements as m
from blueprintc.validate.financial import cycles, phase_order
from blueprintc.validate.findings import Context, Finding, field_span


def channels_in_use(ctx: Context) -> set[m.Ref]:
    """Channels that some process or proactive contact sends contacts to."""
    used = {ref for p in ctx.model.of(m.Process) for ref, share in p.mix.items() if share > 0}
    return used | {o.channel for o in ctx.model.of(m.Outbound)}


def channel_without_component(ctx: Context) -> Iterator[Finding]:
    """An offered channel that no component supports."""
    supported = {ref for c in ctx.model.of(m.Component) for ref in c.supports}
    for channel in ctx.designed(m.Channel):
        if channel.ref not in supported:
            yield Finding(
                C.CHANNEL_WITHOUT_COMPONENT,
                channel.ref,
                f"no component supports the channel `{channel.name}`",
                channel.span,
            )


def unjustified_component(ctx: Context) -> Iterator[Finding]:
    """A component that supports no channel in use and that nothing requires."""
    used = channels_in_use(ctx)
    required = {ref for c in ctx.model.of(m.Component) for ref in c.requires}
    for component in ctx.designed(m.Component):
        if component.ref in required or any(ref in used for ref in component.supports):
            continue
        yield Finding(
            C.UNJUSTIFIED_COMPONENT,
            component.ref,
            f"`{component.name}` supports no channel in use and no component requires it",
            component.span,
        )


def requires_cycle(ctx: Context) -> Iterator[Finding]:
    """Components that require each other in a circle."""
    graph: Graph = nx.DiGraph()
    for component in ctx.designed(m.Component):
        graph.add_edges_from((component.name, ref.name) for ref in component.requires)
    for cycle in cycles(graph):
        first = ctx.model.get(m.Ref("component", cycle[0]))
        assert first is not None
        circle = " → ".join([*cycle, cycle[0]])
        yield Finding(
            C.REQUIRES_CYCLE,
            first.ref,
            f"components require each other in a circle: {circle}",
            field_span(first, "requires"),
        )


def _phase_of(ctx: Context) -> dict[m.Ref, m.Phase]:
    placed: dict[m.Ref, m.Phase] = {}
    for phase in ctx.designed(m.Phase):
        for item in phase.includes:
            placed.setdefault(item, phase)
    return placed


def _later(first: m.Phase, second: m.Phase, order: Graph) -> bool:
    """Whether ``second`` is delivered after ``first``: it follows it, or starts later."""
    if first.name in order and second.name in order and nx.has_path(order, first.name, second.name):
        return first is not second
    return first.start is not None and second.start is not None and second.start > first.start


def dependency_in_later_phase(ctx: Context) -> Iterator[Finding]:
    """A component placed before a component it requires."""
    placed = _phase_of(ctx)
    order = phase_order(ctx)
    for component in ctx.designed(m.Component):
        own = placed.get(component.ref)
        for ref in component.requires:
            other = placed.get(ref)
            if own is not None and other is not None and _later(own, other, order):
                yield Finding(
                    C.DEPENDENCY_IN_LATER_PHASE,
                    component.ref,
                    f"`{component.name}` (phase `{own.name}`) requires `{ref.name}`, which "
                    f"comes later (phase `{other.name}`)",
                    field_span(own, "includes"),
                    (Label(field_span(other, "includes"), f"`{ref.name}` is placed here"),),
                )


def missing_dependency(ctx: Context) -> Iterator[Finding]:
    """A component requiring a template no component of the blueprint is built on."""
    for component in ctx.designed(m.Component):
        for name, span in component.missing_requires:
            short = name.removeprefix("std.")
            yield Finding(
                C.MISSING_DEPENDENCY,
                component.ref,
                f"`{component.name}` requires a `{name}` component, but the blueprint has none",
                component.span,
                (Label(span, "required here"),),
                help=f"add `component {short} extends {name} {{ ... }}`, or override `requires`",
            )
