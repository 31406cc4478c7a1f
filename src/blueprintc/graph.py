"""The dependency graph of a blueprint: model elements as nodes, typed relations as edges.

Every node carries its layer (brand, business, financial-functional, operational,
technology). The graph is the single source for later passes (sizing order, phasing,
traceability in the RFP). Edges point from an element to the one it names:
``service -delivers-> promise``, ``channel -supported-by-> component``,
``component -requires-> component``, ``risk -threatens-> phase``; :data:`UPWARD` says
which way along each relation leads towards the brand. ``threatens`` justifies nothing:
a risk stands on its own (a threatened benefit, not a node, gets no edge).
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import networkx as nx

from blueprintc.model import elements as m
from blueprintc.model.model import Model

if TYPE_CHECKING:
    Graph = nx.DiGraph[str]
else:
    Graph = nx.DiGraph

NODE_KINDS = (
    "brand", "promise", "segment", "service", "process", "outbound", "channel", "pattern",
    "site", "component", "system", "phase", "budget", "requirement", "criterion", "vendor",
    "practice", "assertion", "risk",
)  # fmt: skip

# For each relation, whether the justifying (upper) element is the edge's target
# ("forward") or its source ("backward"). Relations not listed do not justify.
UPWARD = {
    "delivers": "forward",  # service -> promise: the promise justifies the service
    "part-of": "forward",  # process -> service
    "uses-channel": "backward",  # process -> channel: the process justifies the channel
    "supported-by": "backward",  # channel -> component: the channel justifies the component
    "requires": "backward",  # component -> component: the requirer justifies the required
    "traces-to": "forward",  # requirement -> element
    "bids": "forward",  # vendor -> component
    "covers": "forward",  # budget -> phase, component, site
    "hosts": "forward",  # site -> channel
    "included-in": "backward",  # item -> phase: the items justify the phase
    "shaped-by": "backward",  # channel/process -> pattern
    "constrains": "forward",  # assertion -> element
    "made-by": "forward",  # promise -> brand
}


def node_id(ref: m.Ref) -> str:
    """The graph key of an element: ``kind:name``."""
    return f"{ref.kind}:{ref.name}"


def _edges(element: m.Element) -> Iterator[tuple[str, m.Ref]]:
    """(relation, target) for every relation an element declares."""
    if isinstance(element, m.Promise):
        yield "made-by", m.Ref("brand", element.brand)
        yield from (("targets", t.channel) for t in element.targets)
    elif isinstance(element, m.Service):
        yield from (("delivers", r) for r in element.delivers)
        yield from (("serves", r) for r in element.segments)
    elif isinstance(element, m.Process):
        yield "part-of", element.service
        yield from (("uses-channel", r) for r in element.mix)
        yield from (("serves", r) for r in element.segments)
        if element.seasonality:
            yield "shaped-by", element.seasonality
    elif isinstance(element, m.Outbound):
        yield "part-of", element.service
        yield "uses-channel", element.channel
    elif isinstance(element, m.Channel):
        yield from (("shaped-by", ref) for ref, _ in element.intraday)
        if element.weekly:
            yield "shaped-by", element.weekly
    elif isinstance(element, m.Site):
        yield from (("hosts", r) for r in element.channels)
    elif isinstance(element, m.Component):
        yield from _component_edges(element)
    elif isinstance(element, m.System):
        yield from (("supports", r) for r in element.supports)
    else:
        yield from _planning_edges(element)


def _component_edges(component: m.Component) -> Iterator[tuple[str, m.Ref]]:
    yield from (("requires", r) for r in component.requires)
    yield from (("replaces", r) for r in component.replaces)
    if component.vendor:
        yield "chosen-vendor", component.vendor


def _planning_edges(element: m.Element) -> Iterator[tuple[str, m.Ref]]:
    if isinstance(element, m.Phase):
        yield from (("after", r) for r in element.after)
    elif isinstance(element, m.Budget):
        yield from (("covers", r) for r in element.covers)
    elif isinstance(element, m.Requirement):
        yield from (("traces-to", r) for r in element.traces)
    elif isinstance(element, m.Vendor):
        yield from (("bids", r) for r in element.bids)
        yield from (("scored-on", r) for r in element.scores)
        yield from (("fails", r) for r in element.fails)
    elif isinstance(element, m.Assertion):
        yield from (("constrains", r) for r in element.mentions)
    elif isinstance(element, m.Risk):
        yield from (("threatens", r) for r in element.threatens)


def _reverse_edges(model: Model) -> Iterator[tuple[m.Ref, str, m.Ref]]:
    """Relations declared on the other end: supports, includes, after -> precedes."""
    for component in model.of(m.Component):
        for channel in component.supports:
            yield channel, "supported-by", component.ref
    for phase in model.of(m.Phase):
        for item in phase.includes:
            yield item, "included-in", phase.ref
        for earlier in phase.after:
            yield earlier, "precedes", phase.ref


def build_graph(model: Model) -> Graph:
    """The dependency graph; nodes in model order, edges in declaration order."""
    graph: Graph = nx.DiGraph()
    elements = [*model, *model.assertions]
    for element in elements:
        if element.kind in NODE_KINDS:
            graph.add_node(
                node_id(element.ref),
                kind=element.kind,
                name=element.name,
                layer=element.layer,
                ref=element.ref,
                library=element.library,
            )
    for element in elements:
        for relation, target in _edges(element):
            if relation != "after":
                _add_edge(graph, element.ref, relation, target)
    for source, relation, target in _reverse_edges(model):
        _add_edge(graph, source, relation, target)
    return graph


def _add_edge(graph: Graph, source: m.Ref, relation: str, target: m.Ref) -> None:
    a, b = node_id(source), node_id(target)
    if a in graph and b in graph and not graph.has_edge(a, b):
        graph.add_edge(a, b, relation=relation)


def neighbours(graph: Graph, node: str, upward: bool) -> list[str]:
    """The elements one justification step above (``upward``) or below ``node``, sorted."""
    return list(_steps(graph)[upward].get(node, ()))


def steps(graph: Graph, upward: bool) -> Mapping[str, tuple[str, ...]]:
    """``neighbours`` of every node that has any (sorted), for a walk that reads many:
    each ``neighbours`` call checks that the graph has no new edges, a pass over its nodes."""
    return _steps(graph)[upward]


_STEPS: weakref.WeakKeyDictionary[Graph, tuple[int, dict[bool, dict[str, tuple[str, ...]]]]] = (
    weakref.WeakKeyDictionary()
)


def _steps(graph: Graph) -> dict[bool, dict[str, tuple[str, ...]]]:
    """Every node's sorted neighbours above (True) and below (False), found in one pass
    over the edges and kept for the graph (made again if edges were added since): walks
    that pass a node with many edges read them once, not once per walk."""
    known = _STEPS.get(graph)
    if known is not None and known[0] == graph.number_of_edges():
        return known[1]
    found: dict[bool, dict[str, set[str]]] = {True: {}, False: {}}
    for source, target, data in graph.edges(data=True):
        way = UPWARD.get(data["relation"])
        if way == "forward":  # the target is above the source
            found[True].setdefault(source, set()).add(target)
            found[False].setdefault(target, set()).add(source)
        elif way == "backward":
            found[False].setdefault(source, set()).add(target)
            found[True].setdefault(target, set()).add(source)
    steps = {up: {n: tuple(sorted(v)) for n, v in found[up].items()} for up in (True, False)}
    _STEPS[graph] = (graph.number_of_edges(), steps)
    return steps


def trace_up(graph: Graph, node: str) -> tuple[str, ...]:
    """The shortest chain of justifications from ``node`` to a brand promise (or brand).

    ``component:wfm -> channel:voice -> process:card_activation -> service:cards ->
    promise:fast_answer``; ties break alphabetically, so the chain is stable. An element
    that nothing justifies gets a chain of itself alone.
    """
    return _trace_up(graph, node, _steps(graph)[True])


def _trace_up(graph: Graph, node: str, above: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    parents: dict[str, str | None] = {node: None}
    queue = deque([node])
    while queue:
        current = queue.popleft()
        if current != node and graph.nodes[current]["kind"] in ("promise", "brand"):
            chain = [current]
            while (parent := parents[chain[-1]]) is not None:
                chain.append(parent)
            return tuple(reversed(chain))
        for nxt in above.get(current, ()):
            if nxt not in parents:
                parents[nxt] = current
                queue.append(nxt)
    return (node,)


def trace_up_all(graph: Graph) -> dict[str, tuple[str, ...]]:
    """``trace_up`` of every node at once, in time linear in the graph.

    The chain ``trace_up`` finds is the shortest, and among the shortest the first in
    breadth-first order over sorted neighbours: its first step is the first neighbour
    that lies on a shortest chain, and the rest is that neighbour's own chain. So one
    breadth-first pass down from all promises and brands (their distance 0) gives every
    distance, and each chain follows the first neighbour one step closer.
    """
    found = _steps(graph)  # read once: checking that it is current costs a pass over the nodes
    above, below = found[True], found[False]
    terminal = {n for n, d in graph.nodes(data=True) if d["kind"] in ("promise", "brand")}
    distance = dict.fromkeys(terminal, 0)
    queue = deque(sorted(terminal))
    while queue:
        current = queue.popleft()
        for lower in below.get(current, ()):
            if lower not in distance:
                distance[lower] = distance[current] + 1
                queue.append(lower)
    chains: dict[str, tuple[str, ...]] = {}

    def chain(node: str) -> tuple[str, ...]:
        path = []
        while node not in chains and node not in terminal:
            path.append(node)
            node = next(up for up in above.get(node, ()) if distance.get(up) == distance[node] - 1)
        tail = chains.get(node, (node,))
        for back in reversed(path):  # fill in every node walked, nearest the top first
            tail = (back, *tail)
            chains[back] = tail
        return tail

    result = {}
    for node in graph.nodes:
        if node in terminal:
            result[node] = _trace_up(graph, node, above)  # a promise's chain goes on to its brand
        elif node in distance:
            result[node] = chain(node)
        else:
            result[node] = (node,)
    return result


def justifies(graph: Graph, node: str) -> tuple[str, ...]:
    """Everything ``node`` justifies, directly or through others (sorted)."""
    below = _steps(graph)[False]
    seen = {node}
    stack = [node]
    while stack:
        for nxt in below.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return tuple(sorted(seen - {node}))


def subgraph(graph: Graph, layers: Iterable[str] | None = None, focus: str | None = None) -> Graph:
    """The nodes of some layers, or the neighbourhood of one element (its chain and what it
    justifies)."""
    nodes = set(graph.nodes)
    if layers is not None:
        wanted = set(layers)
        nodes = {n for n in nodes if graph.nodes[n]["layer"] in wanted}
    if focus is not None:
        nodes &= {focus, *trace_up(graph, focus), *justifies(graph, focus)}
    return graph.subgraph([n for n in graph.nodes if n in nodes]).copy()
