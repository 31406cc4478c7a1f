"""Document 11, the traceability and alignment report: what each promise justifies, the
elements nothing justifies, the ``allow`` exceptions and what they silence, the alignment
findings by layer, and every element's chain of justifications up to a promise.

Everything is read from the graph (``graph.justifies``, ``graph.trace_up`` and the
relations of ``graph.UPWARD``) and from ``ctx.alignment``.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from blueprintc.diagnostics import CODES
from blueprintc.documents.charts import Diagram, Edge, Node, drawable
from blueprintc.documents.context import Context, Where
from blueprintc.graph import NODE_KINDS, justifies, steps
from blueprintc.model import elements as m
from blueprintc.validate.findings import Finding

LAYERS = ("brand", "business", "financial-functional", "operational", "technology")
LAYER_TITLES = {
    "brand": "Brand",
    "business": "Business",
    "financial-functional": "Financial-functional",
    "operational": "Operational",
    "technology": "Technology",
}
KIND_TITLES = {
    "brand": "Brands", "promise": "Promises", "segment": "Segments", "service": "Services",
    "process": "Processes", "outbound": "Outbound contacts", "channel": "Channels",
    "pattern": "Patterns", "site": "Sites", "component": "Components", "system": "Systems",
    "phase": "Phases", "budget": "Budgets", "requirement": "Requirements",
    "criterion": "Criteria", "vendor": "Vendors", "practice": "Practices",
    "assertion": "Assertions", "risk": "Risks",
}  # fmt: skip
# Kinds no relation justifies by design: they stand on their own.
STANDALONE = ("brand", "promise", "segment", "criterion", "system", "practice", "risk")
# What would justify an element of each kind (the relations of graph.UPWARD, in words).
NEEDS = {
    "service": "a promise it delivers",
    "process": "a service that keeps a promise",
    "outbound": "a service that keeps a promise",
    "channel": "a process or outbound contact that uses it",
    "pattern": "a justified channel or process it shapes",
    "site": "a justified channel it hosts",
    "component": "a channel in use it supports, or a justified component requiring it",
    "phase": "a justified item it includes",
    "budget": "a justified phase, component or site it covers",
    "requirement": "a justified element it traces to",
    "vendor": "a justified component it bids for",
    "assertion": "a justified element it constrains",
}
# The kinds drawn in the justification diagram, top-down.
DIAGRAM_KINDS = ("promise", "service", "channel", "component")
FOLDED_KINDS = ("process", "outbound")  # drawn as one labelled service -> channel arrow


@attrs.frozen
class KindGroup:
    """The elements of one kind that a promise justifies."""

    kind: str
    title: str
    count: int
    names: tuple[str, ...]


@attrs.frozen
class PromiseRow:
    """A promise, the services that deliver it, and everything it justifies by kind."""

    name: str
    text: str | None
    brand: str
    services: tuple[str, ...]
    total: int
    justifies: tuple[KindGroup, ...]
    where: Where | None


@attrs.frozen
class UnjustifiedRow:
    """An element no chain of justifications links to a promise.

    ``linked_to`` are the elements directly above it, themselves unjustified; ``findings``
    the codes of alignment findings about it (reported or silenced).
    """

    kind: str
    name: str
    layer: str
    needs: str
    linked_to: tuple[str, ...]
    findings: tuple[str, ...]
    where: Where | None


@attrs.frozen
class AllowRow:
    """One ``allow`` exception and how many findings it silences (0: stale or invalid)."""

    kind: str
    element: str
    code: str
    rule: str | None
    reason: str
    silenced: int
    where: Where | None


@attrs.frozen
class FindingRow:
    """One alignment finding; ``reason`` and ``allow_where`` are set when it is silenced."""

    code: str
    rule: str
    severity: str
    kind: str
    element: str
    message: str
    reason: str | None
    where: Where | None
    allow_where: Where | None


@attrs.frozen
class LayerFindings:
    """The findings about the elements of one layer."""

    layer: str
    title: str
    reported: tuple[FindingRow, ...]
    silenced: int


@attrs.frozen
class ChainRow:
    """An element and its shortest chain of justifications (``via``) up to ``promise``."""

    kind: str
    name: str
    layer: str
    via: tuple[str, ...]
    promise: str | None
    where: Where | None


@attrs.frozen
class TraceabilityView:
    """The traceability and alignment report."""

    promises: tuple[PromiseRow, ...]
    diagram: Diagram | None
    unjustified: tuple[UnjustifiedRow, ...]
    standalone: tuple[KindGroup, ...]
    allows: tuple[AllowRow, ...]
    silenced: tuple[FindingRow, ...]
    layers: tuple[LayerFindings, ...]
    reported: int
    chains: tuple[ChainRow, ...]


def _name(node: str) -> str:
    return node.split(":", 1)[1]


def _kind(node: str) -> str:
    return node.split(":", 1)[0]


def _display(node: str) -> str:
    """``channel voice``: a node as a reader names it."""
    return f"{_kind(node)} {_name(node)}"


def _groups(nodes: Iterable[str]) -> tuple[KindGroup, ...]:
    """Nodes grouped by kind in the graph's kind order, names sorted."""
    by_kind: dict[str, list[str]] = {}
    for node in nodes:
        by_kind.setdefault(_kind(node), []).append(_name(node))
    return tuple(
        KindGroup(kind, KIND_TITLES[kind], len(by_kind[kind]), tuple(sorted(by_kind[kind])))
        for kind in NODE_KINDS
        if kind in by_kind
    )


def _elements(ctx: Context) -> dict[m.Ref, m.Element]:
    return {e.ref: e for e in [*ctx.model, *ctx.model.assertions]}


def _own_nodes(ctx: Context) -> list[str]:
    """The graph's nodes of the blueprint's own elements (library templates left out), in
    kind order then declaration order."""
    graph = ctx.graph
    nodes = [n for n in graph.nodes if not graph.nodes[n]["library"]]
    order = {kind: k for k, kind in enumerate(NODE_KINDS)}
    return sorted(nodes, key=lambda n: order[graph.nodes[n]["kind"]])


def _above(ctx: Context, node: str) -> tuple[str, ...]:
    return ctx.memo(("steps", True), lambda: steps(ctx.graph, upward=True)).get(node, ())


def _below(ctx: Context, node: str) -> tuple[str, ...]:
    return ctx.memo(("steps", False), lambda: steps(ctx.graph, upward=False)).get(node, ())


def _promises(ctx: Context) -> tuple[PromiseRow, ...]:
    rows = []
    for promise in ctx.of(m.Promise):
        node = f"promise:{promise.name}"
        if node not in ctx.graph:
            continue
        below = justifies(ctx.graph, node)
        services = tuple(_name(n) for n in _below(ctx, node) if _kind(n) == "service")
        rows.append(
            PromiseRow(
                promise.name,
                promise.text,
                promise.brand,
                services,
                len(below),
                _groups(below),
                ctx.where(promise),
            )
        )
    return tuple(rows)


def _diagram(ctx: Context) -> Diagram | None:
    """Promises down to components, one arrow per direct justification; the processes
    between a service and a channel are folded into one arrow labelled with their number
    (the chains table lists them), so the diagram stays readable at any size."""
    graph = ctx.graph
    order = {kind: k for k, kind in enumerate(DIAGRAM_KINDS)}
    nodes = sorted(
        (n for n in _own_nodes(ctx) if graph.nodes[n]["kind"] in order),
        key=lambda n: order[graph.nodes[n]["kind"]],
    )
    if not any(_kind(n) == "promise" for n in nodes):
        return None
    keys = {node: f"n{k + 1}" for k, node in enumerate(nodes)}
    edges: list[Edge] = []
    for node in nodes:
        via: dict[str, int] = {}  # channel -> processes of this service that use it
        for lower in _below(ctx, node):
            if lower in keys:
                edges.append(Edge(keys[node], keys[lower]))
            elif _kind(node) == "service" and _kind(lower) in FOLDED_KINDS:
                for channel in _below(ctx, lower):
                    if channel in keys and _kind(channel) == "channel":
                        via[channel] = via.get(channel, 0) + 1
        for channel, count in via.items():
            label = f"{count} process" + ("es" if count != 1 else "")
            edges.append(Edge(keys[node], keys[channel], label))
    return drawable(
        Diagram(
            "traceability-justification",
            "From the promises down to the technology",
            tuple(Node(keys[n], _display(n), graph.nodes[n]["kind"]) for n in nodes),
            tuple(edges),
        )
    )


def _codes_by_subject(ctx: Context) -> dict[m.Ref, list[str]]:
    found: dict[m.Ref, list[str]] = {}
    for finding in ctx.alignment.findings:
        codes = found.setdefault(finding.subject, [])
        if finding.code.id not in codes:
            codes.append(finding.code.id)
    return found


def _unjustified(ctx: Context) -> tuple[tuple[UnjustifiedRow, ...], tuple[KindGroup, ...]]:
    graph = ctx.graph
    codes = _codes_by_subject(ctx)
    rows, standalone = [], []
    elements = _elements(ctx)
    for node in _own_nodes(ctx):
        data = graph.nodes[node]
        element = elements[data["ref"]]
        if _standalone(element):
            if data["kind"] not in ("brand", "promise"):
                standalone.append(node)
            continue
        if len(ctx.chain(node)) > 1:
            continue
        rows.append(
            UnjustifiedRow(
                data["kind"],
                data["name"],
                LAYER_TITLES.get(data["layer"], data["layer"]),
                NEEDS.get(data["kind"], "a justified element above it"),
                tuple(_display(n) for n in _above(ctx, node)),
                tuple(codes.get(element.ref, ())),
                ctx.where(element),
            )
        )
    return tuple(rows), _groups(standalone)


def _finding_row(ctx: Context, finding: Finding) -> FindingRow:
    allow = finding.silenced
    return FindingRow(
        finding.code.id,
        finding.code.name,
        finding.code.severity.value,
        finding.subject.kind,
        finding.subject.name,
        finding.message,
        allow.reason if allow is not None else None,
        ctx.where_span(finding.span),
        ctx.where_span(allow.span) if allow is not None else None,
    )


def _allows(ctx: Context) -> tuple[AllowRow, ...]:
    silenced = ctx.alignment.silenced
    rows = []
    for element in _elements(ctx).values():
        if element.library:
            continue
        for allow in element.allows:
            code = CODES.get(allow.code)
            count = sum(1 for f in silenced if f.subject == element.ref and f.silenced == allow)
            rows.append(
                AllowRow(
                    element.kind,
                    element.name,
                    allow.code,
                    code.name if code is not None else None,
                    allow.reason,
                    count,
                    ctx.where_span(allow.span),
                )
            )
    return tuple(rows)


def _layer_of(elements: dict[m.Ref, m.Element], finding: Finding) -> str:
    element = elements.get(finding.subject)
    return element.layer if element is not None else "brand"


def _layers(ctx: Context) -> tuple[LayerFindings, ...]:
    elements = _elements(ctx)
    reported: dict[str, list[FindingRow]] = {layer: [] for layer in LAYERS}
    silenced: dict[str, int] = dict.fromkeys(LAYERS, 0)
    for finding in ctx.alignment.findings:
        layer = _layer_of(elements, finding)
        reported.setdefault(layer, [])
        silenced.setdefault(layer, 0)
        if finding.silenced is None:
            reported[layer].append(_finding_row(ctx, finding))
        else:
            silenced[layer] += 1
    return tuple(
        LayerFindings(
            layer,
            LAYER_TITLES.get(layer, layer),
            tuple(sorted(rows, key=lambda r: (r.code, str(r.where), r.element))),
            silenced[layer],
        )
        for layer, rows in reported.items()
    )


def _standalone(element: m.Element) -> bool:
    """Elements no relation justifies by design (segments, criteria, systems, practices,
    assertions about the whole design): they are neither traced nor unjustified."""
    return element.kind in STANDALONE or (isinstance(element, m.Assertion) and not element.mentions)


def _chains(ctx: Context) -> tuple[ChainRow, ...]:
    graph = ctx.graph
    rows = []
    elements = _elements(ctx)
    for node in _own_nodes(ctx):
        data = graph.nodes[node]
        element = elements[data["ref"]]
        if _standalone(element):
            continue
        chain = ctx.chain(node)
        top = chain[-1] if len(chain) > 1 else None
        rows.append(
            ChainRow(
                data["kind"],
                data["name"],
                LAYER_TITLES.get(data["layer"], data["layer"]),
                tuple(_display(n) for n in chain[1:-1]),
                _name(top) if top is not None else None,
                ctx.where(element),
            )
        )
    return tuple(rows)


def build(ctx: Context) -> TraceabilityView:
    """The traceability and alignment report of the blueprint."""
    unjustified, standalone = _unjustified(ctx)
    layers = _layers(ctx)
    return TraceabilityView(
        promises=_promises(ctx),
        diagram=_diagram(ctx),
        unjustified=unjustified,
        standalone=standalone,
        allows=_allows(ctx),
        silenced=tuple(_finding_row(ctx, f) for f in ctx.alignment.silenced),
        layers=layers,
        reported=sum(len(layer.reported) for layer in layers),
        chains=_chains(ctx),
    )
