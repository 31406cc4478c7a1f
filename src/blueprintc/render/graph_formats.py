"""The dependency graph as text: Graphviz DOT, a Mermaid flowchart, or JSON.

All three are pure functions of the graph and byte-for-byte deterministic: layers come in
the fixed order of :data:`~blueprintc.model.elements.LAYERS` (brand first, technology
last), nodes within a layer by kind then name, edges by (source, target). Each layer is
one cluster (DOT) or subgraph (Mermaid).

Element names are not always identifiers: standard-library names carry dots
(``std.voice_weekday``) and an assertion is named by its source text
(``occupancy(voice) <= 85%``, or ``... #2`` for a repeated one). DOT quotes and escapes
every id and label; Mermaid gets generated ids (``n0``, ``n1``, ... in render order) and
labels whose special characters are written as Mermaid entity codes (``#quot;``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from blueprintc.model.elements import LAYERS
from blueprintc.render.answer import figures_json

if TYPE_CHECKING:
    from blueprintc.graph import Graph

SCHEMA = "blueprintc.graph"
VERSION = 1


def layered_nodes(graph: Graph) -> list[tuple[str, list[str]]]:
    """(layer, node ids) for every layer that has nodes, in render order.

    Layers outside :data:`LAYERS` (none today) come last, alphabetically, rather than
    being dropped.
    """
    by_layer: dict[str, list[str]] = {}
    for node, layer in graph.nodes(data="layer"):
        by_layer.setdefault(str(layer), []).append(node)
    order = [*LAYERS, *sorted(set(by_layer) - set(LAYERS))]
    return [
        (layer, sorted(by_layer[layer], key=lambda node: _sort_key(graph, node)))
        for layer in order
        if layer in by_layer
    ]


def sorted_edges(graph: Graph) -> list[tuple[str, str, str]]:
    """(source, target, relation) of every edge, sorted by (source, target)."""
    return sorted((a, b, str(data["relation"])) for a, b, data in graph.edges(data=True))


def _sort_key(graph: Graph, node: str) -> tuple[str, str, str]:
    data = graph.nodes[node]
    return str(data["kind"]), str(data["name"]), node


def _kind_name(graph: Graph, node: str) -> tuple[str, str]:
    data = graph.nodes[node]
    return str(data["kind"]), str(data["name"])


# -- DOT ----------------------------------------------------------------------------------


def _dot_string(text: str) -> str:
    """A DOT quoted string (used for ids and labels alike).

    Backslashes are doubled so that a name ending in one cannot escape the closing quote,
    and so that labels show them literally; line breaks become ``\\n``.
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def _cluster_id(layer: str) -> str:
    return "cluster_" + re.sub(r"[^A-Za-z0-9_]", "_", layer)


def to_dot(graph: Graph) -> str:
    """Graphviz DOT: one ``subgraph cluster_<layer>`` per layer, edges labelled by relation.

    Nodes are declared (with their labels) at the top level and listed again inside their
    layer's cluster: Graphviz draws a node in the cluster that mentions it, and readers that
    ignore subgraphs (``networkx.nx_pydot.from_pydot``) still see every node.
    """
    layers = layered_nodes(graph)
    lines = [
        "digraph blueprint {",
        "  newrank=true;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for _, nodes in layers:
        for node in nodes:
            kind, name = _kind_name(graph, node)
            label = _dot_string(f"{kind}\n{name}")
            lines.append(f"  {_dot_string(node)} [label={label}];")
    for layer, nodes in layers:
        lines.append(f"  subgraph {_cluster_id(layer)} {{")
        lines.append(f"    label={_dot_string(layer)};")
        lines.extend(f"    {_dot_string(node)};" for node in nodes)
        lines.append("  }")
    for source, target, relation in sorted_edges(graph):
        lines.append(
            f"  {_dot_string(source)} -> {_dot_string(target)} [label={_dot_string(relation)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- Mermaid ------------------------------------------------------------------------------

# Characters written as they are inside a quoted Mermaid label; anything else becomes an
# entity code, so quotes, brackets, `#`, `%`, `|`, `;` and backticks cannot end the label,
# start a comment or turn it into a Markdown string.
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 _.,:+*/=\-]")
_MERMAID_NAMED = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}


def mermaid_text(text: str) -> str:
    """``text`` for a quoted Mermaid label: unsafe characters as ``#quot;`` or ``#35;``."""
    return "".join(
        ch if _MERMAID_SAFE.fullmatch(ch) else _MERMAID_NAMED.get(ch, f"#{ord(ch)};") for ch in text
    )


def mermaid_ids(graph: Graph) -> dict[str, str]:
    """The Mermaid id of each node, derived from its kind and name (``component_acd``) so
    that adding a node does not rename the others; clashes get ``_2``, ``_3``, ..."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for _, nodes in layered_nodes(graph):
        for node in nodes:
            base = "n_" + re.sub(r"[^A-Za-z0-9]+", "_", node).strip("_")
            candidate, suffix = base, 2
            while candidate in taken:
                candidate, suffix = f"{base}_{suffix}", suffix + 1
            taken.add(candidate)
            ids[node] = candidate
    return ids


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart: one ``subgraph`` per layer, edges labelled by relation."""
    ids = mermaid_ids(graph)
    lines = ["flowchart TB"]
    for layer, nodes in layered_nodes(graph):
        slug = re.sub(r"[^A-Za-z0-9_]", "_", layer)
        lines.append(f'  subgraph layer_{slug}["{mermaid_text(layer)}"]')
        for node in nodes:
            kind, name = _kind_name(graph, node)
            lines.append(f'    {ids[node]}["{mermaid_text(f"{kind}: {name}")}"]')
        lines.append("  end")
    for source, target, relation in sorted_edges(graph):
        lines.append(f'  {ids[source]} -->|"{mermaid_text(relation)}"| {ids[target]}')
    return "\n".join(lines) + "\n"


# -- JSON ---------------------------------------------------------------------------------


def to_json(graph: Graph) -> str:
    """The document of :func:`json_document` as JSON text."""
    return figures_json(json_document(graph))


def json_document(graph: Graph) -> dict[str, Any]:
    """``{"schema": "blueprintc.graph", "version": 1, "nodes": [...], "edges": [...]}``."""
    nodes = []
    for _, ordered in layered_nodes(graph):
        for node in ordered:
            data = graph.nodes[node]
            nodes.append(
                {"id": node, "kind": data["kind"], "name": data["name"], "layer": data["layer"]}
            )
    edges = [
        {"source": source, "target": target, "relation": relation}
        for source, target, relation in sorted_edges(graph)
    ]
    return {"schema": SCHEMA, "version": VERSION, "nodes": nodes, "edges": edges}


FORMATS = {"dot": to_dot, "mermaid": to_mermaid, "json": to_json}

__all__ = [
    "FORMATS",
    "json_document",
    "layered_nodes",
    "mermaid_ids",
    "mermaid_text",
    "sorted_edges",
    "to_dot",
    "to_json",
    "to_mermaid",
]
